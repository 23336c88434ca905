// The graceful check's renderer (`g`): "Was it graceful?" before the rollout. Each setting of the selected
// deployment that lets a rollout drop requests, with a one-line why and the fix (model/graceful.ts), and the
// probe's last verdict as the evidence; the findings that fit, and how many more.
import {gracefulCheck, PREDICTIONS, type GracefulContext, type GracefulFinding} from '../model/graceful.js';
import type {Deployment} from '../model/types.js';
import {formatVerdict, observedFor, type Verdict} from '../probe/stats.js';
import type {Theme} from '../state/ui.js';
import {wrappedRows} from './layout.js';
import {glyphs, line, type Line, type Pane} from './lines.js';

// A short name for each finding, in the words of the issue and of `kubectl explain`.
export const FINDING_TITLES: Record<GracefulFinding['id'], string> = {
	'recreate-strategy': 'strategy Recreate',
	'single-replica': 'a single replica',
	'max-unavailable-all': 'maxUnavailable leaves no ready pod',
	'too-few-serving': 'too few replicas to keep serving',
	'surge-unavailable-zero': 'maxSurge and maxUnavailable both 0',
	'invalid-rolling-update': 'rollingUpdate cannot be resolved',
	'no-readiness-probe': 'no readinessProbe',
	'probes-identical': 'readinessProbe identical to livenessProbe',
	'min-ready-seconds-zero': 'minReadySeconds 0 with a readinessProbe that passes at once',
	'no-prestop': 'no preStop delay',
	'grace-period-too-short': 'terminationGracePeriodSeconds not longer than the preStop sleep',
	'no-pdb': 'no PodDisruptionBudget',
};

// "predicted: drops on scale-down · observed: 3 failed in revision 4": a finding's prediction beside the evidence.
export function predictionLine(f: GracefulFinding, verdict: Verdict | undefined, theme: Theme): string {
	const p = PREDICTIONS[f.id];
	return `predicted: ${p.text} ${theme.unicode ? '·' : '-'} observed: ${observedFor(p.expect, verdict)}`;
}

// The check of `deployment` (undefined: none selected) with the probe's last verdict as the evidence, in a
// bordered box.
export function gracefulPane(o: {
	theme: Theme;
	width: number;
	height: number;
	deployment?: Deployment;
	verdict?: Verdict;
	/** What else the check knows: the namespace's PodDisruptionBudgets, once read. */
	context?: GracefulContext;
}): Pane {
	const {theme, width, height, deployment} = o;
	const verdict = o.verdict ? formatVerdict(o.verdict) : undefined;
	const g = glyphs(theme);
	const findings = deployment ? gracefulCheck(deployment, o.context) : [];
	const inner = Math.max(10, width - 4);
	const name = deployment?.metadata?.name;
	// Border (2) + title + summary + blank + verdict (maybe) + closing hint.
	const fixed = 2 + 3 + (verdict ? wrappedRows(`Probe: ${verdict}`, inner) : 0) + 1;
	let room = Math.max(0, height - fixed);
	const shown: GracefulFinding[] = [];
	for (const f of findings) {
		const need =
			1 + wrappedRows(f.why, inner - 7) + wrappedRows(f.fix, inner - 7) + wrappedRows(predictionLine(f, o.verdict, theme), inner - 2);
		const reserve = shown.length + 1 < findings.length ? 1 : 0;
		if (need + reserve > room) break;
		shown.push(f);
		room -= need;
	}
	const hidden = findings.length - shown.length;
	const summary = !deployment
		? 'Select a deployment to check its rollout settings.'
		: findings.length === 0
			? `${g.tick} nothing in these settings lets a rollout drop requests; the probe has the last word.`
			: `${findings.length} setting${findings.length === 1 ? '' : 's'} let${findings.length === 1 ? 's' : ''} a rollout drop requests:`;
	const lines: Line[] = [
		line('title', `Was it graceful?${name ? ` deployment ${name}` : ''}`, {bold: true}),
		line('summary', summary, {color: findings.length === 0 ? 'green' : 'yellow'}, {wrap: true}),
		line('blank', ' '),
	];
	for (const f of shown) {
		const key = `${f.id}/${f.container ?? ''}`;
		lines.push(
			line(key, `${g.cross} ${FINDING_TITLES[f.id]}${f.container ? ` (container ${f.container})` : ''}`, {color: 'red', bold: true}),
		);
		lines.push(line(`${key}/why`, f.why, {}, {wrap: true, indent: 2, lead: {text: 'why:', width: 5, dim: true}}));
		lines.push(line(`${key}/fix`, f.fix, {color: 'green'}, {wrap: true, indent: 2, lead: {text: 'fix:', width: 5, dim: true}}));
		lines.push(line(`${key}/predicted`, predictionLine(f, o.verdict, theme), {dim: true}, {wrap: true, indent: 2}));
	}
	if (hidden > 0) lines.push(line('hidden', `+${hidden} more: enlarge the terminal to see them`, {dim: true}));
	if (verdict) lines.push(line('verdict', `Probe: ${verdict}`, {color: /: 0 failed/.test(verdict) ? 'green' : 'red'}, {wrap: true}));
	lines.push(line('close', 'Esc or g closes this check.', {dim: true}));
	return {width, height, lines, border: true};
}
