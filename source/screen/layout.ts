// All of the screen's layout math in one place, pure arithmetic tested without a terminal: where the panes go
// for a terminal size (header, rollout, probe, pods and events, status), how many rows each pane wants, which
// rows of a long list are in view, and how wide each table column is.

// Lines kept free below the screen: Ink writes a newline after a frame shorter than the terminal, and redraws a
// frame as tall as the terminal from scratch every time; one spare line avoids both.
export const SPARE_ROWS = 1;

export interface Rect {
	x: number;
	y: number;
	width: number;
	height: number;
}

// Where each pane goes.
export interface ScreenLayout {
	columns: number;
	rows: number;
	header: Rect;
	rollout: Rect;
	pods: Rect;
	events: Rect;
	status: Rect;
	arrangement: 'stacked' | 'side-by-side';
	// Below MIN_COLUMNS x MIN_ROWS the panes still get sizes, but the app should say the terminal is too small.
	tooSmall: boolean;
}

// From this width pods and events sit side by side.
export const SIDE_BY_SIDE_MIN_COLUMNS = 140;
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;

// Options for screenLayout.
export interface LayoutOptions {
	/** Lines the header takes. @default 2 */
	headerHeight?: number;
	/** Lines the rollout panel wants (it gives them up first when rows are short, down to 2). @default 5 */
	rolloutHeight?: number;
	/** Share of the width the pods pane gets when side by side. @default 0.55 */
	podsShare?: number;
}

// The smallest useful list pane: title, column header and one row.
const LIST_MIN = 3;

// Pane rectangles for a terminal of `columns` x `rows`; they never overlap and fill every row.
export function screenLayout(columns: number, rows: number, options: LayoutOptions = {}): ScreenLayout {
	const cols = Math.max(0, Math.floor(columns));
	const lines = Math.max(0, Math.floor(rows));
	const header = Math.min(lines, Math.max(0, options.headerHeight ?? 2));
	const status = lines - header >= 1 ? 1 : 0;
	let available = lines - header - status;
	const sideBySide = cols >= SIDE_BY_SIDE_MIN_COLUMNS;
	const listsMin = sideBySide ? LIST_MIN : 2 * LIST_MIN;
	// The rollout panel is the point of the cockpit: it keeps 2 lines before the lists get any.
	const wanted = Math.max(2, options.rolloutHeight ?? 5);
	let rollout = Math.min(available, 2);
	available -= rollout;
	const grow = Math.min(wanted - rollout, Math.max(0, available - listsMin));
	rollout += grow;
	available -= grow;
	const listsY = header + rollout;

	let pods: Rect;
	let events: Rect;
	if (sideBySide) {
		const share = Math.min(0.8, Math.max(0.2, options.podsShare ?? 0.55));
		const podsWidth = Math.floor((cols - 1) * share);
		pods = {x: 0, y: listsY, width: podsWidth, height: available};
		events = {x: podsWidth + 1, y: listsY, width: cols - podsWidth - 1, height: available};
	} else if (available < 2 * LIST_MIN) {
		// Too short for two lists: the pods keep the room, events wait.
		pods = {x: 0, y: listsY, width: cols, height: available};
		events = {x: 0, y: listsY + available, width: cols, height: 0};
	} else {
		const eventsHeight = Math.max(LIST_MIN, Math.floor(available * 0.4));
		pods = {x: 0, y: listsY, width: cols, height: available - eventsHeight};
		events = {x: 0, y: listsY + pods.height, width: cols, height: eventsHeight};
	}
	return {
		columns: cols,
		rows: lines,
		header: {x: 0, y: 0, width: cols, height: header},
		rollout: {x: 0, y: header, width: cols, height: rollout},
		pods,
		events,
		status: {x: 0, y: lines - status, width: cols, height: status},
		arrangement: sideBySide ? 'side-by-side' : 'stacked',
		tooSmall: cols < MIN_COLUMNS || lines < MIN_ROWS,
	};
}

// The slice of a long list to render: rows [start, end) of `total`, keeping `selected` in view and
// scrolling as little as possible from `previousOffset`. O(1), so 20,000 pods cost no more than 20.
export function visibleWindow(
	total: number,
	selected: number,
	height: number,
	previousOffset = 0,
): {start: number; end: number; selected: number} {
	const count = Math.max(0, Math.floor(total));
	const h = Math.max(0, Math.floor(height));
	const sel = count === 0 ? -1 : Math.min(count - 1, Math.max(-1, Math.floor(selected)));
	const start = windowStart(Math.max(0, previousOffset), sel, h, count);
	return {start, end: Math.min(count, start + h), selected: sel};
}

// One column of a table: its width follows its widest cell, as kubectl's tabwriter does, then the table fits
// the terminal by shrinking the flexible column and dropping the least important ones.
export type ColumnSpec = {
	key: string;
	header: string;
	// Never narrower than this (a flexible column shrinks down to it before anything is dropped).
	min?: number;
	// Never wider than this, however long its cells.
	max?: number;
	// Lower is dropped first when the table does not fit; columns without a priority are never dropped.
	priority?: number;
	// Takes the width left over (at most one column should flex, e.g. NAME or MESSAGE).
	flex?: boolean;
	// For the flexible column: columns are dropped to give it up to this width; past it, it shrinks
	// (down to min) instead, so a very long name does not push every other column off.
	prefer?: number;
};

// A column placed on screen.
export type FittedColumn = {key: string; header: string; width: number};

// Widths for a table `width` cells wide with `gap` spaces between columns. `cellWidths[key]` is the
// widest cell of each column (the caller measures, so it can cache over thousands of rows).
export function fitColumns(
	specs: readonly ColumnSpec[],
	cellWidths: Readonly<Record<string, number>>,
	width: number,
	gap = 1,
): FittedColumn[] {
	const natural = (s: ColumnSpec) => {
		const w = Math.max(s.header.length, cellWidths[s.key] ?? 0, s.min ?? 0);
		return s.max === undefined ? w : Math.min(w, Math.max(s.max, s.header.length));
	};
	const smallest = (s: ColumnSpec) => (s.flex ? Math.max(s.min ?? s.header.length, 1) : natural(s));
	const wanted = (s: ColumnSpec) => (s.flex ? Math.max(smallest(s), Math.min(natural(s), s.prefer ?? 0)) : natural(s));
	let kept = [...specs];
	const total = (cols: ColumnSpec[], size: (s: ColumnSpec) => number) =>
		cols.reduce((sum, s) => sum + size(s), 0) + gap * Math.max(0, cols.length - 1);
	// Drop the lowest-priority columns until the table fits with the flexible column at its preferred width.
	while (total(kept, wanted) > width) {
		let drop = -1;
		for (let i = 0; i < kept.length; i++) {
			const p = kept[i].priority;
			if (p === undefined) continue;
			if (drop < 0 || p < (kept[drop].priority as number)) drop = i;
		}
		if (drop < 0) break;
		kept = kept.filter((_, i) => i !== drop);
	}
	const widths = kept.map(natural);
	const flexAt = kept.findIndex((s) => s.flex);
	const used = widths.reduce((a, b) => a + b, 0) + gap * Math.max(0, kept.length - 1);
	if (flexAt >= 0) {
		// The flexible column gives up space when too wide, and takes what is left when there is room.
		const others = used - widths[flexAt];
		widths[flexAt] = Math.max(smallest(kept[flexAt]), width - others);
	} else if (used > width) {
		// Nothing flexes and nothing more can be dropped: cut the last column.
		const last = widths.length - 1;
		if (last >= 0) widths[last] = Math.max(1, widths[last] - (used - width));
	}
	return kept.map((s, i) => ({key: s.key, header: s.header, width: widths[i]}));
}

// The widest value of each key over some rows (string length; cells are ASCII in practice).
export function measureCells<R extends object>(rows: readonly R[], keys: readonly (keyof R & string)[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const k of keys) out[k] = 0;
	for (const row of rows) {
		for (const k of keys) {
			const v = row[k];
			const n = v === undefined || v === null ? 0 : String(v).length;
			if (n > out[k]) out[k] = n;
		}
	}
	return out;
}

// Where a window of `height` rows starts so that `selected` stays visible, moving as little as possible
// from `previousStart` (the view scrolls only when the selection leaves it, as in k9s and less).
export function windowStart(previousStart: number, selected: number, height: number, total: number): number {
	if (height <= 0 || total <= height) return 0;
	const maxStart = total - height;
	let start = Math.max(0, Math.min(previousStart, maxStart));
	if (selected < 0) return start;
	if (selected < start) start = selected;
	else if (selected >= start + height) start = selected - height + 1;
	return Math.max(0, Math.min(start, maxStart));
}

// `text` cut or padded to exactly `width` characters; a cut ends with `ellipsis`. Rows are drawn as one line of
// text (cheaper than a Box per cell when a pane shows dozens of rows, and exact: a cell never pushes the next one).
export function cell(text: string, width: number, ellipsis = '…'): string {
	if (width <= 0) return '';
	if (text.length <= width) return text.padEnd(width);
	if (width <= ellipsis.length) return text.slice(0, width);
	return text.slice(0, width - ellipsis.length) + ellipsis;
}

// A list pane's title and column header.
const PANE_CHROME = 2;

// Rows a list pane of `count` rows fills: title, column header and its rows (one for "no pods" when empty).
export function listRows(count: number): number {
	return PANE_CHROME + Math.max(1, count);
}

// The two list rectangles for `podCount` pods and `eventCount` event rows (side by side: unchanged).
export function balanceLists(layout: ScreenLayout, podCount: number, eventCount: number): {pods: Rect; events: Rect} {
	const {pods, events} = layout;
	if (layout.arrangement !== 'stacked' || events.height === 0) return {pods, events};
	const total = pods.height + events.height;
	if (total < 2 * LIST_MIN) return {pods, events};
	const podsNeed = PANE_CHROME + Math.max(1, podCount);
	const eventsNeed = PANE_CHROME + Math.max(1, eventCount);
	let podsHeight = Math.min(podsNeed, Math.ceil(total / 2));
	// Events that cannot fill their share give the rest back to the pods.
	if (total - podsHeight > eventsNeed) podsHeight = Math.min(podsNeed, total - eventsNeed);
	podsHeight = Math.max(LIST_MIN, Math.min(total - LIST_MIN, podsHeight));
	return {
		pods: {...pods, height: podsHeight},
		events: {...events, y: pods.y + podsHeight, height: total - podsHeight},
	};
}

// The probe panel's share of the rows the lists would have had: a compact panel (3-4 rows) at
// 80x24, more on taller terminals, never what it does not want.
const PROBE_SHARE = 0.25;
const PROBE_COMPACT = 3;
const PROBE_MIN = 2;

// Carves the probe panel (wanting `wanted` rows; 0: no panel) out of the top of the lists, under the rollout
// panel, leaving the lists at least a title, header and row each; rows the lists cannot fill (`listsNeed`:
// what their rows take, chrome included) go to the panel too. Returns the panel and the layout below it.
export function placeProbe(layout: ScreenLayout, wanted: number, listsNeed = Infinity): {probe: Rect; layout: ScreenLayout} {
	const stacked = layout.arrangement === 'stacked';
	const top = layout.rollout.y + layout.rollout.height;
	const lists = stacked ? layout.pods.height + layout.events.height : layout.pods.height;
	const listsMin = stacked ? 2 * LIST_MIN : LIST_MIN;
	let height = Math.min(wanted, Math.max(Math.min(wanted, PROBE_COMPACT), Math.floor(lists * PROBE_SHARE), lists - listsNeed));
	height = Math.min(height, lists - listsMin);
	if (height < PROBE_MIN || wanted <= 0) height = 0;
	const probe = {x: 0, y: top, width: layout.columns, height};
	if (height === 0) return {probe, layout};
	let pods: Rect;
	let events: Rect;
	if (stacked) {
		const total = lists - height;
		const eventsHeight = layout.events.height === 0 ? 0 : Math.max(LIST_MIN, Math.floor(total * 0.4));
		pods = {...layout.pods, y: top + height, height: total - eventsHeight};
		events = {...layout.events, y: top + height + pods.height, height: eventsHeight};
	} else {
		pods = {...layout.pods, y: top + height, height: lists - height};
		events = {...layout.events, y: top + height, height: lists - height};
	}
	return {probe, layout: {...layout, pods, events}};
}

// Rows the rollout sentence takes: one, or two when it does not fit the width.
export function sentenceLines(sentence: string, width: number): number {
	const room = Math.max(10, width - 2);
	return Math.min(2, Math.max(1, Math.ceil(sentence.length / room)));
}

// Rows the rollout panel wants: title, the new ReplicaSet, one per old one worth a line, the sentence, and one for
// the fail-fast diagnosis when there is one (cut at the end: the pod, its reason and how long come first).
export function rolloutPanelHeight(oldLines: number, sentence: string, width: number, diagnosis?: string): number {
	return 2 + oldLines + sentenceLines(sentence, width) + (diagnosis ? 1 : 0);
}

// Rows a text of `text.length` characters takes when wrapped at `width` (a budget: Ink wraps at words).
export function wrappedRows(text: string, width: number): number {
	return Math.max(1, Math.ceil(text.length / Math.max(1, width)));
}

// Rows the probe panel wants at this width (title, last answer, sparkline, the open window, every verdict with
// its outages, a few failures), at most maxRows; the layout may give it fewer. Not probing: title and one line.
export function probePanelHeight(
	probe: {probing: boolean; open: boolean; failures: number; verdicts: readonly {text: string; outages: number}[]},
	width: number,
	maxRows = 10,
): number {
	if (!probe.probing) return 2;
	const inner = Math.max(10, width - 2);
	let n = 3 + (probe.open ? 1 : 0) + Math.min(3, probe.failures);
	for (const v of probe.verdicts) n += wrappedRows(v.text, inner) + v.outages;
	return Math.min(maxRows, n);
}

// Change lines a confirmation shows at most; more are summed up in one line (a template diff can be long).
export const CONFIRM_MAX_CHANGES = 6;

// Rows the bar under the panes takes: a prompt (title, the line, its error, the hint) or a confirmation
// (title, the changes, the change-cause, the question); 0 without a bar.
export function barHeight(
	bar:
		| {kind: 'prompt'; error?: string}
		| {kind: 'line'; note: boolean}
		| {kind: 'confirm'; changes: number; changeCause: boolean}
		| undefined,
): number {
	if (!bar) return 0;
	// The `:` and `/` bars: a title with their keys, the line, and a note (an error, Tab's candidates) if any.
	if (bar.kind === 'line') return bar.note ? 3 : 2;
	if (bar.kind === 'prompt') return bar.error ? 4 : 3;
	const changes = bar.changes > CONFIRM_MAX_CHANGES ? CONFIRM_MAX_CHANGES + 1 : bar.changes;
	return 2 + changes + (bar.changeCause ? 1 : 0);
}
