// The events pane's renderer: like `kubectl get events -w`, oldest at the top and newest at the bottom, repeats
// folded with their count (model/events.ts), following the newest until a row is selected.
import {rowInterval, type EventRow} from '../model/events.js';
import {ageSince} from '../model/duration.js';
import {cell, fitColumns, measureCells, windowStart, type ColumnSpec} from './layout.js';
import {countOf, glyphs, line, titleLine, type Line, type ListOptions, type Pane, type Segment} from './lines.js';

// What `/` matches an event against: its type, reason, object and message.
export function eventFilterText(row: EventRow): string {
	return `${row.type} ${row.reason} ${row.kind.toLowerCase()}/${row.name} ${row.message}`;
}

// One folded event as the panes show it (the events pane and a pod's detail).
export type EventLine = {
	key: string;
	// LAST SEEN with kubectl's "(x3 over 5m)" for repeats.
	lastSeen: string;
	type: string;
	reason: string;
	// "kind/name" in kubectl's lower-case form, e.g. "replicaset/nginx-6888c79454".
	object: string;
	message: string;
	count: number;
	lastMs?: number;
};

// A folded row as shown at `now`.
export function eventLine(row: EventRow, now: number): EventLine {
	return {
		key: row.key,
		lastSeen: rowInterval(row, now),
		type: row.type,
		reason: row.reason,
		object: `${row.kind.toLowerCase()}/${row.name}`,
		message: row.message,
		count: row.count,
		lastMs: row.lastMs,
	};
}

// Terminals narrower than this get the short forms: "5s x3" for "5s (x3 over 2m)", and the object's tail.
export const WIDE_EVENTS = 120;

function columnsFor(width: number): ColumnSpec[] {
	const wide = width >= WIDE_EVENTS;
	return [
		{key: 'lastSeen', header: wide ? 'LAST SEEN' : 'SEEN', max: 18, priority: 3},
		{key: 'type', header: 'TYPE', priority: 1},
		{key: 'reason', header: 'REASON', max: 20},
		{key: 'object', header: 'OBJECT', max: wide ? 40 : 16, priority: 2},
		{key: 'message', header: 'MESSAGE', flex: true, min: 20, prefer: wide ? 40 : 52},
	];
}

type Cells = {lastSeen: string; type: string; reason: string; object: string; message: string};
const KEYS: (keyof Cells)[] = ['lastSeen', 'type', 'reason', 'object', 'message'];

// A cut that keeps the end ("…674d-v4lwp"): pods and ReplicaSets differ in their suffixes.
function tail(text: string, width: number): string {
	if (text.length <= width) return text.padEnd(width);
	return width <= 1 ? text.slice(-width) : `…${text.slice(text.length - width + 1)}`;
}

function cellsOf(row: EventLine, wide: boolean, now: number): Cells {
	let lastSeen = row.lastSeen;
	if (!wide) {
		const age = row.lastMs !== undefined ? ageSince(row.lastMs, now) : row.lastSeen.split(' ')[0];
		lastSeen = row.count > 1 ? `${age} x${row.count}` : age;
	}
	return {lastSeen, type: row.type, reason: row.reason, object: row.object, message: row.message};
}

// Everything the events pane draws, and the first row in view (kept by the keys, so the window moves only as far as needed).
export type EventsPane = Pane & {start: number};

// The pane for the folded rows, the selected index (-1: follow the newest) and the window's first row; `line` makes
// a row's EventLine, and is called for the rows in view only (their cells also set the columns' widths).
export function eventsPane<R>(o: ListOptions & {rows: readonly R[]; line: (row: R) => EventLine; now: number}): EventsPane {
	const g = glyphs(o.theme);
	const bodyHeight = Math.max(0, o.height - 2);
	const wide = o.width >= WIDE_EVENTS;
	const following = o.selected < 0;
	// While following, the window shows the tail; else it moves only as far as the selection needs.
	const start = following ? Math.max(0, o.rows.length - bodyHeight) : windowStart(o.windowStart, o.selected, bodyHeight, o.rows.length);
	const visible = o.rows.slice(start, start + bodyHeight).map(o.line);
	const cells = visible.map((r) => cellsOf(r, wide, o.now));
	const gap = o.width >= 100 ? 2 : 1;
	const columns = fitColumns(columnsFor(o.width), measureCells(cells, KEYS), o.width - 2, gap);
	const sep = ' '.repeat(gap);
	const lines: Line[] = [];
	if (o.height > 1) lines.push(line('header', `  ${columns.map((c) => cell(c.header, c.width)).join(sep)}`, {bold: true}));
	if (visible.length === 0 && bodyHeight > 0) lines.push(line('empty', ` ${o.empty}`, {dim: true}));
	for (const [i, row] of visible.entries()) {
		const selected = start + i === o.selected;
		const warning = row.type !== 'Normal';
		const values = cells[i];
		// Warnings are marked in the gutter too, so they stand out without colour or a TYPE column.
		const segments: Segment[] = [
			{text: selected ? g.marker : ' '},
			{text: warning ? '!' : ' ', color: warning ? 'red' : undefined, bold: warning},
		];
		for (const [ci, c] of columns.entries()) {
			const value = values[c.key as keyof Cells];
			const last = ci === columns.length - 1;
			const text = (last ? value : c.key === 'object' ? tail(value, c.width) : cell(value, c.width)) + (last ? '' : sep);
			segments.push({
				text,
				color: warning && (c.key === 'type' || c.key === 'reason') ? 'red' : undefined,
				bold: warning && c.key === 'type',
			});
		}
		lines.push({key: row.key, segments, inverse: selected && o.focused});
	}
	const detail = `${countOf(o.rows.length, o.of)}${following ? '' : ` (${o.selected + 1}/${o.rows.length})`}`;
	return {width: o.width, height: o.height, title: titleLine(o.theme, 'Events', o.width, o.focused, detail), lines, start};
}
