// Screen layout as pure arithmetic, so every terminal size can be tested without a terminal:
// header on top, the rollout panel under it, pods and events (stacked like k9s on an 80x24 screen,
// side by side from 140 columns), and a status line at the bottom. Column fitting and the scrolled
// window build on model/columns.ts (fitColumns, windowStart).
import {fitColumns, windowStart, type ColumnSpec, type FittedColumn} from './columns.js';

// A region of the screen in character cells.
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

// The pods table columns, most important first; when narrow, IP goes first, then NODE, then RESTARTS.
export const POD_COLUMNS: readonly ColumnSpec[] = [
	{key: 'name', header: 'NAME', flex: true, min: 12, prefer: 30},
	{key: 'ready', header: 'READY'},
	{key: 'status', header: 'STATUS', max: 18},
	{key: 'restarts', header: 'RESTARTS', priority: 3, max: 14},
	{key: 'age', header: 'AGE', priority: 5},
	{key: 'node', header: 'NODE', priority: 2, max: 16},
	{key: 'ip', header: 'IP', priority: 1},
	{key: 'revision', header: 'REV', priority: 4},
];

// Column widths for the pods table in `width` cells; `cellWidths` holds the widest cell per key
// (measureCells in columns.ts). NAME takes what is left and is cut with "…" by the renderer.
export function podColumns(width: number, cellWidths: Readonly<Record<string, number>>): FittedColumn[] {
	return fitColumns(POD_COLUMNS, cellWidths, width, width >= 100 ? 2 : 1);
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
