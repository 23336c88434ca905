import {test} from 'node:test';
import assert from 'node:assert/strict';
import {fitColumns, measureCells, windowStart, type ColumnSpec} from '../../source/screen/layout.js';

const PODS: ColumnSpec[] = [
	{key: 'name', header: 'NAME', flex: true, min: 12, prefer: 30},
	{key: 'status', header: 'STATUS'},
	{key: 'node', header: 'NODE', priority: 2},
	{key: 'ip', header: 'IP', priority: 1},
];

test('fitColumns: widths, dropping and the flexible column', async (t) => {
	const cases: Array<{name: string; cells: Record<string, number>; width: number; gap?: number; want: string}> = [
		{
			name: 'room to spare: the flexible column takes the rest',
			cells: {name: 22, status: 7, node: 5, ip: 12},
			width: 60,
			want: 'name:33 status:7 node:5 ip:12',
		},
		{name: 'exact fit keeps everything', cells: {name: 22, status: 7, node: 5, ip: 12}, width: 49, want: 'name:22 status:7 node:5 ip:12'},
		{
			name: 'one short: IP (lowest priority) goes before the name is cut',
			cells: {name: 22, status: 7, node: 5, ip: 12},
			width: 48,
			want: 'name:34 status:7 node:5',
		},
		{name: 'then NODE', cells: {name: 22, status: 7, node: 5, ip: 12}, width: 35, want: 'name:27 status:7'},
		{
			name: 'a very long name shrinks instead of dropping everything',
			cells: {name: 63, status: 7, node: 5, ip: 12},
			width: 60,
			want: 'name:33 status:7 node:5 ip:12',
		},
		{
			name: 'headers are never cut by narrow cells',
			cells: {name: 1, status: 2, node: 0, ip: 0},
			width: 80,
			gap: 2,
			want: 'name:62 status:6 node:4 ip:2',
		},
		{
			name: 'nothing left to drop: the flexible column stays at its minimum',
			cells: {name: 22, status: 30},
			width: 20,
			want: 'name:12 status:30',
		},
	];
	for (const c of cases) {
		await t.test(c.name, () => {
			const got = fitColumns(PODS, c.cells, c.width, c.gap ?? 1)
				.map((f) => `${f.key}:${f.width}`)
				.join(' ');
			assert.equal(got, c.want);
		});
	}
});

test('fitColumns: max caps a column, and without a flexible column the last one is cut', () => {
	const specs: ColumnSpec[] = [
		{key: 'a', header: 'A', max: 5},
		{key: 'b', header: 'B'},
	];
	assert.deepEqual(
		fitColumns(specs, {a: 20, b: 10}, 100).map((c) => c.width),
		[5, 10],
	);
	assert.deepEqual(
		fitColumns(specs, {a: 20, b: 10}, 12).map((c) => c.width),
		[5, 6],
	);
});

test('measureCells: the widest cell per key', () => {
	assert.deepEqual(
		measureCells(
			[
				{a: 'xx', b: 'y'},
				{a: 'x', b: 'yyyy'},
			],
			['a', 'b'],
		),
		{a: 2, b: 4},
	);
	assert.deepEqual(measureCells([], ['a']), {a: 0});
});

test('windowStart: scrolls only when the selection leaves the window', async (t) => {
	const cases: Array<[string, number, number, number, number, number]> = [
		// name, previous start, selected, height, total, want
		['everything fits', 7, 3, 10, 5, 0],
		['selection inside: no scroll', 10, 15, 10, 100, 10],
		['selection below: scroll just enough', 10, 20, 10, 100, 11],
		['selection above: scroll to it', 10, 4, 10, 100, 4],
		['list shrank: clamp to the end', 90, 40, 10, 45, 35],
		['no selection: keep the start', 20, -1, 10, 100, 20],
		['zero height', 5, 5, 0, 100, 0],
	];
	for (const [name, prev, sel, height, total, want] of cases) {
		await t.test(name, () => assert.equal(windowStart(prev, sel, height, total), want));
	}
});
