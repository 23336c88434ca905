import {test} from 'node:test';
import assert from 'node:assert/strict';

import {podsPane, type PodRow} from '../../source/screen/pods.js';
import {DEFAULT_THEME, type Theme} from '../../source/state/ui.js';
import {lineWith} from '../app/harness.js';
import {paneStyled, paneText} from '../helpers/paint.js';

type PodsPaneRow = PodRow;

// The pods pane of the screen model, drawn: rows given as they are shown.
function podsPaneOf(
	o: {rows: readonly PodRow[]; selected: number; focused: boolean; width: number; height: number},
	theme: Theme = DEFAULT_THEME,
) {
	return podsPane({theme, pods: o.rows, row: (r) => r, windowStart: 0, empty: 'No pods.', ...o});
}

function drawPodsPane(o: Parameters<typeof podsPaneOf>[0], theme: Theme = DEFAULT_THEME): string {
	return paneText(podsPaneOf(o, theme), theme);
}

function row(name: string, status: string, over: Partial<PodsPaneRow> = {}): PodsPaneRow {
	return {
		name,
		ready: status === 'Running' ? '1/1' : '0/1',
		status,
		restarts: '0',
		age: '5s',
		node: 'node4',
		ip: '10.244.41.18',
		revision: '2',
		current: true,
		...over,
	};
}

const ROWS: PodsPaneRow[] = [
	row('nginx-648458674d-gldmc', 'Running'),
	row('nginx-648458674d-kfgb4', 'ContainerCreating', {ip: '<none>'}),
	row('nginx-648458674d-v4lwp', 'CrashLoopBackOff', {restarts: '4 (20s ago)'}),
	row('nginx-6888c79454-g24tx', 'Terminating', {revision: '1', current: false}),
	row('nginx-6888c79454-dhhts', 'ErrImagePull', {revision: '1', current: false}),
];

test('the pods pane shows every column at 100 columns, with each pod status and revision', () => {
	const frame = drawPodsPane({rows: ROWS, selected: 0, focused: true, width: 100, height: 8});
	const header = lineWith(frame, 'NAME');
	assert.ok(header, frame);
	for (const col of ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'NODE', 'IP', 'REV']) assert.match(header, new RegExp(`\\b${col}\\b`));
	assert.match(lineWith(frame, 'kfgb4') ?? '', /0\/1\s+ContainerCreating\s+0\s+5s\s+node4\s+<none>\s+2/);
	assert.match(lineWith(frame, 'v4lwp') ?? '', /CrashLoopBackOff\s+4 \(20s ago\)/);
	assert.match(lineWith(frame, 'g24tx') ?? '', /Terminating.*\s1\s*$/);
	assert.match(lineWith(frame, 'dhhts') ?? '', /ErrImagePull/);
	assert.match(frame, /Pods 5/);
});

test('at 80 columns the pods pane drops IP before it cuts pod names', () => {
	const frame = drawPodsPane({rows: ROWS, selected: 0, focused: true, width: 80, height: 8});
	for (const line of frame.split('\n')) assert.ok(line.length <= 80, `line too long: ${JSON.stringify(line)}`);
	assert.doesNotMatch(lineWith(frame, 'NAME') ?? '', /\bIP\b/);
	assert.match(frame, /nginx-648458674d-gldmc/);
	assert.match(lineWith(frame, 'NAME') ?? '', /STATUS/);
});

test('the pods pane renders only the rows that fit and keeps the selection in view', () => {
	const many = Array.from({length: 500}, (_, i) => row(`web-${String(i).padStart(3, '0')}`, 'Running'));
	let frame = drawPodsPane({rows: many, selected: 0, focused: true, width: 100, height: 7});
	assert.equal(frame.split('\n').filter((l) => /web-\d{3}/.test(l)).length, 5);
	assert.match(frame, /web-000/);
	assert.doesNotMatch(frame, /web-005/);
	assert.match(frame, /Pods 500 \(1-5\)/);
	frame = drawPodsPane({rows: many, selected: 321, focused: true, width: 100, height: 7});
	assert.match(frame, /web-321/);
	assert.doesNotMatch(frame, /web-000/);
	// The selected row carries the marker, so the selection is visible without colour.
	assert.match(lineWith(frame, 'web-321') ?? '', /^›/);
	assert.doesNotMatch(lineWith(frame, 'web-320') ?? '', /^›/);
});

test('without colour the selection and focus are still marked, with no ANSI colour codes', () => {
	const plainTheme = {color: false, unicode: false};
	const raw = drawPodsPane({rows: ROWS, selected: 1, focused: true, width: 100, height: 8}, plainTheme);
	assert.equal(paneStyled(podsPaneOf({rows: ROWS, selected: 1, focused: true, width: 100, height: 8}, plainTheme), plainTheme), false);
	// With colour the same pane is styled (the check above can fail).
	assert.equal(paneStyled(podsPaneOf({rows: ROWS, selected: 1, focused: true, width: 100, height: 8})), true);
	assert.match(lineWith(raw, 'kfgb4') ?? '', /^>/);
	assert.match(raw, /^> Pods 5 -+$/m);
});
