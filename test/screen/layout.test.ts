import {test} from 'node:test';
import assert from 'node:assert/strict';
import {screenLayout, visibleWindow, type Rect, type ScreenLayout} from '../../source/screen/layout.js';
import {podColumns} from '../../source/screen/pods.js';

test('80x24: panes stacked, pods over events, every row used', () => {
	assert.deepEqual(screenLayout(80, 24), {
		columns: 80,
		rows: 24,
		header: {x: 0, y: 0, width: 80, height: 2},
		rollout: {x: 0, y: 2, width: 80, height: 5},
		pods: {x: 0, y: 7, width: 80, height: 10},
		events: {x: 0, y: 17, width: 80, height: 6},
		status: {x: 0, y: 23, width: 80, height: 1},
		arrangement: 'stacked',
		tooSmall: false,
	});
});

test('140 columns and more: pods and events side by side; 139 still stacked', () => {
	const wide = screenLayout(160, 40);
	assert.equal(wide.arrangement, 'side-by-side');
	assert.deepEqual(wide.pods, {x: 0, y: 7, width: 87, height: 32});
	assert.deepEqual(wide.events, {x: 88, y: 7, width: 72, height: 32});
	assert.equal(screenLayout(140, 40).arrangement, 'side-by-side');
	assert.equal(screenLayout(139, 40).arrangement, 'stacked');
});

test('short terminals: the rollout panel shrinks to 2 lines before the lists lose their minimum', () => {
	const l = screenLayout(80, 12);
	assert.deepEqual([l.header.height, l.rollout.height, l.pods.height, l.events.height, l.status.height], [2, 3, 3, 3, 1]);
	const tiny = screenLayout(80, 10);
	assert.deepEqual([tiny.rollout.height, tiny.pods.height, tiny.events.height], [2, 5, 0]);
	assert.equal(tiny.tooSmall, false);
	assert.equal(screenLayout(39, 24).tooSmall, true);
	assert.equal(screenLayout(80, 9).tooSmall, true);
});

function overlaps(a: Rect, b: Rect): boolean {
	if (a.width === 0 || a.height === 0 || b.width === 0 || b.height === 0) return false;
	return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function check(l: ScreenLayout): void {
	const rects = [l.header, l.rollout, l.pods, l.events, l.status];
	for (const r of rects) {
		for (const v of [r.x, r.y, r.width, r.height]) assert.ok(Number.isInteger(v) && v >= 0, `non-negative integer in ${JSON.stringify(r)}`);
		assert.ok(r.x + r.width <= l.columns && r.y + r.height <= l.rows, `inside the screen: ${JSON.stringify(r)} in ${l.columns}x${l.rows}`);
	}
	for (let i = 0; i < rects.length; i++)
		for (let j = i + 1; j < rects.length; j++) assert.ok(!overlaps(rects[i], rects[j]), `panes ${i} and ${j} overlap`);
	// Every row belongs to some pane (no gaps between header, rollout, lists and status).
	const listHeight = l.arrangement === 'side-by-side' ? l.pods.height : l.pods.height + l.events.height;
	assert.equal(l.header.height + l.rollout.height + listHeight + l.status.height, l.rows);
}

test('no overlaps, no gaps, nothing outside the screen, for many sizes', () => {
	for (const cols of [0, 1, 20, 39, 40, 80, 100, 139, 140, 141, 200, 320]) {
		for (const rows of [0, 1, 2, 3, 5, 8, 10, 12, 24, 30, 50, 100]) check(screenLayout(cols, rows));
	}
});

test('options: taller rollout panel and header', () => {
	const l = screenLayout(100, 40, {rolloutHeight: 8, headerHeight: 1});
	assert.deepEqual([l.header.height, l.rollout.height, l.rollout.y], [1, 8, 1]);
	check(l);
});

const cells = {name: 22, ready: 3, status: 16, restarts: 13, age: 3, node: 6, ip: 11, revision: 1};
const keysAt = (width: number) => podColumns(width, cells).map((c) => c.key);

test('pods table: all columns when wide, IP then NODE then RESTARTS dropped when narrow', () => {
	assert.deepEqual(keysAt(120), ['name', 'ready', 'status', 'restarts', 'age', 'node', 'ip', 'revision']);
	assert.deepEqual(keysAt(100), ['name', 'ready', 'status', 'restarts', 'age', 'node', 'ip', 'revision']);
	assert.deepEqual(keysAt(80), ['name', 'ready', 'status', 'restarts', 'age', 'node', 'revision']);
	assert.deepEqual(keysAt(70), ['name', 'ready', 'status', 'restarts', 'age', 'revision']);
	assert.deepEqual(keysAt(60), ['name', 'ready', 'status', 'age', 'revision']);
});

test('pods table widths fit the width exactly, NAME taking the rest', () => {
	for (const width of [50, 60, 80, 100, 120, 160]) {
		const cols = podColumns(width, cells);
		const gap = width >= 100 ? 2 : 1;
		const used = cols.reduce((s, c) => s + c.width, 0) + gap * (cols.length - 1);
		assert.equal(used, width, `width ${width}`);
	}
	assert.equal(podColumns(80, cells)[0].width, 28);
	// A 60-character pod name: NODE gives way so NAME gets at least 30, then NAME is cut, not the others.
	const long = podColumns(80, {...cells, name: 60});
	assert.deepEqual(
		long.map((c) => c.key),
		['name', 'ready', 'status', 'restarts', 'age', 'revision'],
	);
	assert.equal(long[0].width, 35);
});

test('visibleWindow keeps the selection in view and scrolls minimally', () => {
	assert.deepEqual(visibleWindow(100, 0, 10, 0), {start: 0, end: 10, selected: 0});
	assert.deepEqual(visibleWindow(100, 9, 10, 0), {start: 0, end: 10, selected: 9});
	assert.deepEqual(visibleWindow(100, 10, 10, 0), {start: 1, end: 11, selected: 10});
	assert.deepEqual(visibleWindow(100, 5, 10, 20), {start: 5, end: 15, selected: 5});
	assert.deepEqual(visibleWindow(100, 25, 10, 20), {start: 20, end: 30, selected: 25});
	assert.deepEqual(visibleWindow(100, 99, 10, 0), {start: 90, end: 100, selected: 99});
	// The list shrank under the previous offset: clamp.
	assert.deepEqual(visibleWindow(12, 11, 10, 50), {start: 2, end: 12, selected: 11});
	assert.deepEqual(visibleWindow(5, 3, 10, 4), {start: 0, end: 5, selected: 3});
	assert.deepEqual(visibleWindow(0, 0, 10, 3), {start: 0, end: 0, selected: -1});
	assert.deepEqual(visibleWindow(100, 500, 10, 0), {start: 90, end: 100, selected: 99});
	assert.deepEqual(visibleWindow(100, 3, 0, 0), {start: 0, end: 0, selected: 3});
});

test('visibleWindow over 20,000 pods renders one screenful and is constant time', () => {
	const start = performance.now();
	let offset = 0;
	let rendered = 0;
	for (let sel = 0; sel < 20000; sel++) {
		const w = visibleWindow(20000, sel, 15, offset);
		offset = w.start;
		rendered = Math.max(rendered, w.end - w.start);
	}
	assert.equal(rendered, 15);
	assert.equal(offset, 20000 - 15);
	assert.ok(performance.now() - start < 1000);
});
