// The rollout panel's renderer: a bar for the new ReplicaSet (available, ready, created against desired), one line
// per old ReplicaSet still draining, and the sentence `kubectl rollout status` would print.
import type {ReplicaSetSummary, RolloutProgress} from '../model/rollout-progress.js';
import type {Theme} from '../state/ui.js';
import {sentenceLines} from './layout.js';
import {glyphs, line, titleLine, type Line, type Pane} from './lines.js';

// What the sentence means, for its colour.
export type RolloutTone = 'progress' | 'done' | 'error';

const TONE_COLOR: Record<RolloutTone, string> = {progress: 'yellow', done: 'green', error: 'red'};

// Old ReplicaSets worth a line: those with pods or asked for pods, and always the latest old revision
// (what an undo would go back to), so the drain to 0 stays visible.
export function drainingReplicaSets(progress: RolloutProgress): ReplicaSetSummary[] {
	return progress.oldReplicaSets.filter((rs, i) => i === 0 || rs.current > 0 || rs.desired > 0);
}

// A bar of `width` cells out of `of`: solid for `a`, then `b`, then `c`, then empty.
export function stackedBar(theme: Theme, width: number, of: number, a: number, b: number, c: number) {
	const bar = glyphs(theme).bar;
	const cells = (n: number) => (of <= 0 ? 0 : Math.round((Math.max(0, Math.min(n, of)) / of) * width));
	const na = cells(a);
	const nb = Math.max(na, cells(b));
	const nc = Math.max(nb, cells(c));
	return {
		full: bar.available.repeat(na),
		part: bar.ready.repeat(nb - na),
		light: bar.created.repeat(nc - nb),
		empty: bar.empty.repeat(Math.max(0, width - nc)),
	};
}

const images = (rs: ReplicaSetSummary | undefined) => (rs ? rs.images.join(',') : '');

// The panel; without a rollout (the deployment not loaded yet) only its title.
export function rolloutPane(o: {
	theme: Theme;
	width: number;
	height: number;
	deploymentName?: string;
	rollout?: {progress: RolloutProgress; sentence: string; tone: RolloutTone};
	paused: boolean;
	/** The fail-fast diagnosis (model/stuck-pods.ts describeDiagnosis): a new pod that will not progress. */
	diagnosis?: string;
}): Pane {
	const {theme, width, height} = o;
	if (!o.rollout || o.deploymentName === undefined) return {width, height, title: titleLine(theme, 'Rollout', width), lines: []};
	const {progress, sentence, tone} = o.rollout;
	const g = glyphs(theme);
	const nrs = progress.newReplicaSet;
	const desired = progress.desired;
	const sentenceRows = sentenceLines(sentence, width);
	const diagnosisRows = o.diagnosis ? 1 : 0;
	const room = Math.max(0, height - 2 - sentenceRows - diagnosisRows);
	const draining = drainingReplicaSets(progress);
	const shown = draining.length > room ? draining.slice(0, Math.max(0, room - 1)) : draining;
	const hidden = draining.length - shown.length;
	const counts = `${progress.updated}/${desired} updated  ${progress.ready}/${desired} ready  ${progress.available}/${desired} available`;
	// "  new rev 12 ": the widest revision number sets where the bars start.
	const labelWidth = 11 + String(Math.max(nrs?.revision ?? 0, ...draining.map((r) => r.revision))).length;
	const barWidth = Math.max(8, Math.min(40, width - labelWidth - counts.length - 4));
	const bar = stackedBar(theme, barWidth, desired, progress.available, progress.ready, progress.updated);
	const lines: Line[] = [
		{
			key: 'new',
			segments: [
				{text: `  new rev ${nrs?.revision ?? '?'}`.padEnd(labelWidth), color: 'green', bold: true},
				{text: bar.full, color: 'green'},
				{text: bar.part, color: 'green'},
				{text: bar.light, color: 'yellow'},
				{text: bar.empty, dim: true},
				{text: `  ${counts}`},
			],
		},
	];
	for (const rs of shown) {
		const old = stackedBar(theme, barWidth, desired, rs.current, rs.current, rs.current);
		const left = rs.desired < rs.current ? `${rs.current} ${g.arrow} ${rs.desired}` : `${rs.current}`;
		lines.push({
			key: rs.name,
			segments: [
				{text: `  old rev ${rs.revision}`.padEnd(labelWidth), color: 'yellow'},
				{text: old.full, color: 'yellow'},
				{text: old.empty, dim: true},
				{text: `  ${left} old  ${images(rs)}  ${rs.name}`},
			],
		});
	}
	if (hidden > 0) lines.push(line('hidden', `  +${hidden} more old ReplicaSets with pods`, {dim: true}));
	lines.push(line('sentence', sentence, {color: TONE_COLOR[tone]}, {wrap: true, rows: sentenceRows, indent: 2}));
	// Long before the progress deadline: the pod that holds the rollout up, marked without colour too.
	if (o.diagnosis)
		lines.push(line('diagnosis', `${g.cross} ${o.diagnosis}`, {color: 'red', bold: true}, {wrap: true, rows: diagnosisRows, indent: 2}));
	const detail = `${o.deploymentName}${nrs ? ` rev ${nrs.revision} ${images(nrs)}` : ''}${paused(o.paused)}`;
	return {width, height, title: titleLine(theme, 'Rollout', width, false, detail), lines};
}

const paused = (p: boolean) => (p ? ' (paused)' : '');
