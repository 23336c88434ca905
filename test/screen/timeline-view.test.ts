// The timeline view (`t`) as screen() draws it: ready counts per revision crossing in a rolling update, the
// Recreate gap with the probe's failures inside it, markers and the episode in words; 80x24 and NO_COLOR.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {applyKey} from '../../source/commands/commands.js';
import {timelineData} from '../../source/model/timeline.js';
import type {Pane} from '../../source/screen/lines.js';
import {screen} from '../../source/screen/screen.js';
import {timelineColumns, timelinePane} from '../../source/screen/timeline.js';
import type {Theme} from '../../source/state/ui.js';
import {topView} from '../../source/state/ui.js';
import {rolloutStore} from '../app/fixtures.js';
import {recreate, rollingUpdate} from '../helpers/rollouts.js';

const PLAIN: Theme = {color: false, unicode: true};
const ASCII: Theme = {color: false, unicode: false};

const text = (pane: Pane) => [pane.title, ...pane.lines].map((l) => l?.segments.map((x) => x.text).join('') ?? '');

// A labelled row's cells (after the label column).
function row(lines: string[], label: RegExp): string {
	const l = lines.find((x) => label.test(x));
	assert.ok(l, `no row ${label}:\n${lines.join('\n')}`);
	return l.slice(9);
}

test('a rolling update at 80x24: the ready counts hand over, one pod at a time, and cross', () => {
	const width = 80;
	const pane = timelinePane({theme: PLAIN, width, height: 20, timeline: timelineData(rollingUpdate(), timelineColumns(width))});
	const lines = text(pane);
	assert.ok(lines.length <= 20);
	for (const l of lines) assert.ok(l.length <= width, `wider than ${width}: ${l}`);
	assert.match(lines[0] ?? '', /^› Timeline deployment nginx {2}12:00:08-12:00:20 \(12s\)/);
	const r2 = [...row(lines, /^r2 █/)].map(Number);
	const r1 = [...row(lines, /^r1 ▓/)].map(Number);
	assert.equal(r1[0], 3);
	assert.equal(r2[0], 0);
	assert.equal(r1.at(-1), 0);
	assert.equal(r2.at(-1), 3);
	for (let i = 1; i < r1.length; i++) {
		assert.ok((r1[i] as number) <= (r1[i - 1] as number), 'revision 1 only goes down');
		assert.ok((r2[i] as number) >= (r2[i - 1] as number), 'revision 2 only goes up');
	}
	const crossing = r1.findIndex((v, i) => v <= (r2[i] as number));
	assert.ok(crossing > 0 && (r1[crossing] as number) > 0, 'they cross while both still serve');
	assert.ok(!r1.some((v, i) => v + (r2[i] as number) === 0), 'never nothing ready');
	// The markers in their columns and in words; no failure.
	assert.match(row(lines, /^marks/), /> *U? *D? *.*C/);
	assert.doesNotMatch(row(lines, /^probe/), /×/);
	assert.ok(lines.some((l) => /12:00:17 C revision 2 rolled out/.test(l)));
	// The stacked chart: revision 1's glyph all the way up at the start, revision 2's at the end, both in between.
	const chart = lines
		.slice(
			1,
			lines.findIndex((l) => /^r2 /.test(l)),
		)
		.map((l) => l.slice(9));
	const column = (i: number) => chart.map((l) => l.at(i)).join('');
	assert.match(column(0), /^ *▓+$/);
	assert.match(column(-1), /^ *█+$/);
	assert.match(column(crossing), /^ *█+▓+$/, 'the old revision stacked under the new one');
});

test('a Recreate rollout: a gap where nothing is ready, and the probe failures inside it, blamed', () => {
	const width = 100;
	const t = timelineData(recreate(), timelineColumns(width));
	const lines = text(timelinePane({theme: PLAIN, width, height: 26, timeline: t}));
	const r3 = [...row(lines, /^r3 █/)].map(Number);
	const r2 = [...row(lines, /^r2 ▓/)].map(Number);
	const probe = row(lines, /^probe/);
	const gap = r2.map((v, i) => v + (r3[i] as number) === 0);
	const first = gap.indexOf(true);
	const last = gap.lastIndexOf(true);
	assert.ok(first > 0 && last > first, 'a gap');
	assert.ok(gap.slice(first, last + 1).every(Boolean), 'one gap, no break in it');
	assert.ok((r2[first - 1] as number) > 0 && (r3[last + 1] as number) > 0, 'old before, new after');
	const failedColumns = [...probe].flatMap((c, i) => (c === '×' ? [i] : []));
	assert.ok(failedColumns.length > 0);
	// Every failure is in the gap (the probe columns and the ready columns share the axis); the gap is 1 s longer
	// than the failures (the old pods stopped at 11 s, the probe failed from 12 s to 15 s).
	for (const i of failedColumns) assert.ok(gap[i], `failure at column ${i} outside the gap ${first}-${last}`);
	assert.ok(lines.some((l) => /^✗ outage 3\.0 s from 12:00:12: 15 failed \(refused 15\) while nginx-2222-aaaaa/.test(l)));
});

test('ASCII and NO_COLOR: other glyphs, the same digits; no colour is needed to tell the revisions apart', () => {
	const width = 80;
	const t = timelineData(recreate(), timelineColumns(width));
	const unicode = text(timelinePane({theme: PLAIN, width, height: 20, timeline: t}));
	const ascii = text(timelinePane({theme: ASCII, width, height: 20, timeline: t}));
	assert.equal(row(ascii, /^r3 #/), row(unicode, /^r3 █/));
	assert.equal(row(ascii, /^r2 =/), row(unicode, /^r2 ▓/));
	assert.match(row(ascii, /^probe/), /x/);
	for (const l of ascii) assert.match(l, /^[\x20-\x7e]*$/, `not ASCII: ${l}`);
});

test('t opens the timeline of the deployment; t or Esc closes it; the recording is what the store saw', () => {
	const store = rolloutStore('nginx', {terminal: {columns: 80, rows: 24}});
	let state = applyKey(store.getState(), 't').state;
	assert.equal(topView(state.ui).kind, 'timeline');
	const shown = screen(state, {columns: 80, rows: 24});
	assert.equal(shown.body.kind, 'pane');
	const lines = shown.body.kind === 'pane' ? text(shown.body.pane) : [];
	assert.match(lines[0] ?? '', /Timeline deployment nginx/);
	// The fixture's half-way rollout: revision 2 with 1 ready and revision 1 with 2, recorded at the store's time.
	assert.match(row(lines, /^r2 /), /^1+$/);
	assert.match(row(lines, /^r1 /), /^2+$/);
	state = applyKey(state, 't').state;
	assert.equal(topView(state.ui).kind, 'deployment');
});
