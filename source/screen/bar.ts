// The bar under the panes: a prompt with its line of text (the image of a container, a replica count), or the
// y/N question before a change is sent, with the kubectl command it amounts to and one line per change.
import type {Bar, Theme} from '../state/ui.js';
import {barHeight, CONFIRM_MAX_CHANGES} from './layout.js';
import {glyphs, line, titleLine, type Line, type Pane} from './lines.js';

// Rows the bar takes (0 without one).
export function barRows(bar: Bar | undefined): number {
	if (!bar) return 0;
	if (bar.kind === 'confirm')
		return barHeight({kind: 'confirm', changes: bar.plan.changes.length, changeCause: bar.plan.changeCause !== undefined});
	if (bar.kind === 'command') return barHeight({kind: 'line', note: bar.error !== undefined || bar.note !== undefined});
	if (bar.kind === 'filter') return barHeight({kind: 'line', note: bar.error !== undefined});
	return barHeight({kind: 'prompt', error: bar.error});
}

// The bar as lines; `filtering` names what a `/` filter applies to (the lists, or a log view's lines).
export function barPane(theme: Theme, width: number, bar: Bar, filtering = 'pods, events, deployments'): Pane {
	const height = barRows(bar);
	if (bar.kind === 'confirm') {
		const {plan} = bar;
		const shown = plan.changes.length > CONFIRM_MAX_CHANGES ? plan.changes.slice(0, CONFIRM_MAX_CHANGES) : plan.changes;
		const more = plan.changes.length - shown.length;
		const lines: Line[] = shown.map((text, i) => line(`change${i}`, `  ${text}`));
		if (more > 0) lines.push(line('more', `  … and ${more} more change${more === 1 ? '' : 's'}`));
		if (plan.changeCause) lines.push(line('cause', `  change-cause: ${plan.changeCause}`, {dim: true}));
		lines.push({
			key: 'question',
			segments: [
				{text: `Apply to deployment/${plan.name} in ${plan.namespace}? [y/N]`, bold: true, color: 'yellow'},
				{text: '  y sends it; n, Esc or any other key cancels'},
			],
		});
		return {width, height, title: titleLine(theme, 'Confirm', width, true, `kubectl ${plan.command}`), lines};
	}
	if (bar.kind === 'command' || bar.kind === 'filter') return lineBarPane(theme, width, bar, filtering);
	const last = bar.kind === 'image' && bar.at === bar.targets.length - 1;
	const title =
		bar.kind === 'scale'
			? 'Scale'
			: `Set image ${bar.at + 1}/${bar.targets.length}: ${bar.targets[bar.at].init ? 'init container' : 'container'} ${bar.targets[bar.at].name}`;
	const lines: Line[] = [
		{
			key: 'value',
			segments: [
				{text: `${bar.kind === 'scale' ? 'replicas' : 'image'}: `, bold: true},
				{text: bar.value},
				{text: glyphs(theme).cursor, color: 'cyan'},
			],
			cutStart: true,
		},
	];
	if (bar.error) lines.push(line('error', theme.color ? bar.error : `error: ${bar.error}`, {color: 'red'}));
	const submit = bar.kind === 'scale' || last ? 'review the change' : 'next container';
	lines.push(line('hint', `Enter ${submit}  Esc cancel (nothing is sent)  Ctrl-U clear`, {dim: true}));
	return {width, height, title: titleLine(theme, title, width, true), lines};
}

// The `:` and `/` bars, k9s style: the line after its sigil, and under it an error or what Tab found.
function lineBarPane(theme: Theme, width: number, bar: Extract<Bar, {kind: 'command' | 'filter'}>, filtering: string): Pane {
	const command = bar.kind === 'command';
	const title = command ? 'Command' : 'Filter';
	const keys = command ? 'Tab completes  Enter runs  Esc cancels' : `text or /regex/: ${filtering}  Enter keeps  Esc cancels`;
	const lines: Line[] = [
		{
			key: 'value',
			segments: [{text: command ? ':' : '/', bold: true}, {text: bar.value}, {text: glyphs(theme).cursor, color: 'cyan'}],
			cutStart: true,
		},
	];
	if (bar.error) lines.push(line('error', theme.color ? bar.error : `error: ${bar.error}`, {color: 'red'}));
	else if (bar.kind === 'command' && bar.note) lines.push(line('note', bar.note, {dim: true}));
	return {width, height: barRows(bar), title: titleLine(theme, title, width, true, keys), lines};
}
