// The painter: the screen model drawn into a Canvas of cells, the whole frame in about a millisecond. It replaces
// Ink's components, whose frame building (yoga layout, then every character tokenised for its ANSI styles) took
// 45% of the cockpit's CPU at 5,000 pods (profile in issue 10). Layout is the screen model's (every pane has its
// size); the painter only places panes, cuts or wraps lines and styles cells. Colour, bold, dim and inverse only
// when the theme has colour, so NO_COLOR paints the same text without styles.
import type {HeaderProps} from '../screen/header.js';
import type {Line, Pane} from '../screen/lines.js';
import type {Body, Screen, StatusProps} from '../screen/screen.js';
import type {Theme} from '../state/ui.js';
import {Canvas, styleOf} from './canvas.js';
import {cellsOf, truncateCells, widthOf, wrapCells, type Cell} from './text.js';

// Spinners as ink-spinner drew them (cli-spinners' dots, or line without Unicode), one frame per interval.
const SPINNERS = {
	dots: {interval: 80, frames: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']},
	line: {interval: 130, frames: ['-', '\\', '|', '/']},
};

// The spinner of a theme.
export function spinnerOf(theme: Theme): {interval: number; frames: string[]} {
	return theme.unicode ? SPINNERS.dots : SPINNERS.line;
}

// What a paint needs besides the model: the spinners' frame (a counter the caller advances).
type Ctx = {theme: Theme; spin: number; animated: boolean};

// A painted frame, and whether it shows a spinner (then it must be painted again at the spinner's interval).
export type Painted = {canvas: Canvas; animated: boolean};

// The frame for the screen model; `spin` counts the spinner's steps.
export function paintScreen(screen: Screen, spin = 0): Painted {
	const canvas = new Canvas(screen.width, screen.height);
	const ctx: Ctx = {theme: screen.theme, spin, animated: false};
	paintHeader(canvas, ctx, screen.header);
	const top = 2;
	paintBody(canvas, ctx, screen.body, top, screen.bodyHeight);
	let y = top + screen.bodyHeight;
	if (screen.bar) {
		paintPane(canvas, ctx, screen.bar, 0, y, screen.bar.height);
		y += screen.bar.height;
	}
	paintStatus(canvas, ctx, screen.status, y);
	return {canvas, animated: ctx.animated};
}

// A pane alone in a canvas of its size (tests draw one pane as the screen would).
export function paintPaneAlone(pane: Pane, theme: Theme, spin = 0): Canvas {
	const canvas = new Canvas(pane.width, pane.height);
	paintPane(canvas, {theme, spin, animated: false}, pane, 0, 0, pane.height);
	return canvas;
}

function segmentStyle(ctx: Ctx, s: {color?: string; bold?: boolean; dim?: boolean}, inverse = false): number {
	if (!ctx.theme.color) return 0;
	return styleOf(inverse ? undefined : s.color, s.bold, s.dim, inverse);
}

function spinnerGlyph(ctx: Ctx): string {
	ctx.animated = true;
	const {frames} = spinnerOf(ctx.theme);
	return frames[ctx.spin % frames.length];
}

// The cells of a line's segments (a spinner segment is its current glyph).
function lineCells(ctx: Ctx, line: Line): Cell[] {
	const inverse = ctx.theme.color && line.inverse === true;
	const out: Cell[] = [];
	for (const s of line.segments) {
		const style = segmentStyle(ctx, s, inverse);
		cellsOf(s.spinner ? spinnerGlyph(ctx) : s.text, style, out);
	}
	return out;
}

// Paints a line at (x, y) in `width` columns and at most `maxRows` rows; returns the rows it takes.
function paintLine(canvas: Canvas, ctx: Ctx, line: Line, x: number, y: number, width: number, maxRows: number): number {
	if (maxRows <= 0) return 0;
	const indent = line.indent ?? 0;
	const leadWidth = line.lead ? line.lead.width : 0;
	const textX = x + indent + leadWidth;
	const textWidth = Math.max(0, width - indent - leadWidth);
	const cells = lineCells(ctx, line);
	const rows = line.wrap ? wrapCells(cells, textWidth) : [truncateCells(cells, textWidth, line.cutStart ? 'start' : 'end')];
	const height = Math.min(maxRows, line.rows ?? Math.max(1, rows.length));
	if (line.lead) {
		const lead = wrapCells(cellsOf(line.lead.text, segmentStyle(ctx, {dim: line.lead.dim})), line.lead.width);
		for (let i = 0; i < Math.min(height, lead.length); i++) canvas.put(x + indent, y + i, lead[i], x + indent + leadWidth);
	}
	for (let i = 0; i < Math.min(height, rows.length); i++) canvas.put(textX, y + i, rows[i], textX + textWidth);
	return height;
}

// Paints a pane at (x, y), cut at `maxHeight` rows: a title rule and its lines, or its lines in a box.
function paintPane(canvas: Canvas, ctx: Ctx, pane: Pane, x: number, y: number, maxHeight: number): void {
	const height = Math.min(pane.height, maxHeight);
	if (height <= 0 || pane.width <= 0) return;
	if (pane.border) {
		paintBorder(canvas, ctx, x, y, pane.width, height);
		let row = y + 1;
		const bottom = y + height - 1;
		for (const line of pane.lines) {
			if (row >= bottom) break;
			row += paintLine(canvas, ctx, line, x + 2, row, Math.max(0, pane.width - 4), bottom - row);
		}
		return;
	}
	let row = y;
	const bottom = y + height;
	if (pane.title) row += paintLine(canvas, ctx, pane.title, x, row, pane.width, bottom - row);
	for (const line of pane.lines) {
		if (row >= bottom) break;
		row += paintLine(canvas, ctx, line, x, row, pane.width, bottom - row);
	}
}

// A single-line box (or +-| without Unicode), as Ink's borderStyle single and classic draw it.
function paintBorder(canvas: Canvas, ctx: Ctx, x: number, y: number, width: number, height: number): void {
	const b = ctx.theme.unicode
		? {tl: '┌', t: '─', tr: '┐', l: '│', r: '│', bl: '└', br: '┘'}
		: {tl: '+', t: '-', tr: '+', l: '|', r: '|', bl: '+', br: '+'};
	const inner = Math.max(0, width - 2);
	canvas.put(x, y, cellsOf(b.tl + b.t.repeat(inner) + b.tr, 0), x + width);
	for (let i = 1; i < height - 1; i++) {
		canvas.put(x, y + i, cellsOf(b.l, 0));
		canvas.put(x + width - 1, y + i, cellsOf(b.r, 0));
	}
	if (height > 1) canvas.put(x, y + height - 1, cellsOf(b.bl + b.t.repeat(inner) + b.br, 0), x + width);
}

// The body between the header and the bar.
function paintBody(canvas: Canvas, ctx: Ctx, body: Body, top: number, height: number): void {
	const bottom = top + height;
	if (body.kind === 'message') {
		const rows = wrapCells(cellsOf(body.text, 0), canvas.width);
		for (let i = 0; i < Math.min(rows.length, height); i++) canvas.put(0, top + i, rows[i]);
		return;
	}
	if (body.kind === 'pane') {
		paintPane(canvas, ctx, body.pane, 0, top, height);
		return;
	}
	let y = top;
	const place = (pane: Pane, x = 0) => paintPane(canvas, ctx, pane, x, y, bottom - y);
	place(body.rollout);
	y += body.rollout.height;
	if (body.probe) {
		place(body.probe);
		y += body.probe.height;
	}
	if (body.arrangement === 'side-by-side' && body.events) {
		place(body.pods);
		place(body.events, body.pods.width + 1);
		return;
	}
	place(body.pods);
	y += body.pods.height;
	if (body.events) place(body.events);
}

const TONE_COLOR = {ok: 'green', busy: 'yellow', bad: 'red'} as const;

// The header's two rows: where (context, server version, namespace, deployment) and how (strategy, the sort and
// filter in force, connection).
function paintHeader(canvas: Canvas, ctx: Ctx, h: HeaderProps): void {
	const {theme} = ctx;
	const first: Cell[] = [];
	const field = (label: string, value: string) => {
		cellsOf(`${label} `, theme.color ? styleOf(undefined, false, true) : 0, first);
		cellsOf(value, theme.color ? styleOf('cyan', true) : 0, first);
		cellsOf('  ', 0, first);
	};
	field('ctx', h.context);
	field('server', h.serverVersion ?? '…');
	field('ns', h.namespace);
	field('deploy', h.deployment ?? '(pick one)');
	if (h.readonly) cellsOf('[read-only]', theme.color ? styleOf('magenta') : 0, first);
	canvas.put(0, 0, truncateCells(first, h.width));

	// Live, the connection keeps at most half the row, right-aligned, and the strategy gets what is left before it;
	// otherwise it may take the whole row (what is stale, since when, and why matter more than the strategy then).
	const spinning = h.connection.tone !== 'ok';
	const room = h.connection.tone === 'ok' ? Math.max(8, Math.floor(h.width / 2)) : Math.max(8, h.width - 1);
	const box = Math.min(h.connection.text.length + (spinning ? 2 : 0), room);
	const color = theme.color ? TONE_COLOR[h.connection.tone] : undefined;
	const connection: Cell[] = [];
	if (spinning) cellsOf(`${spinnerGlyph(ctx)} `, styleOf(color), connection);
	const text = cellsOf(h.connection.text, theme.color ? styleOf(color, true) : 0);
	connection.push(...truncateCells(text, Math.max(0, box - connection.length)));
	const start = h.width - widthOf(connection);
	canvas.put(start, 1, connection);
	// The sort and filter in force sit whole just before the connection (cut only when nothing else fits).
	const viewRoom = Math.max(0, h.width - box - 1);
	const view = h.view ? truncateCells(cellsOf(h.view, theme.color ? styleOf('cyan') : 0), viewRoom) : [];
	const viewWidth = widthOf(view);
	if (viewWidth > 0) canvas.put(h.width - box - 1 - viewWidth, 1, view);
	const strategyRoom = Math.max(0, viewRoom - (viewWidth > 0 ? viewWidth + 1 : 0));
	canvas.put(0, 1, truncateCells(cellsOf(h.strategy, theme.color ? styleOf(undefined, false, true) : 0), strategyRoom));
}

// The bottom row: the message on the left (cut to its room), the key hint on the right.
function paintStatus(canvas: Canvas, ctx: Ctx, s: StatusProps, y: number): void {
	const {theme} = ctx;
	canvas.put(0, y, truncateCells(cellsOf(s.text, theme.color ? styleOf(s.color) : 0), s.room));
	const hintRoom = Math.max(0, s.width - s.room);
	const hint = truncateCells(cellsOf(s.hint, theme.color ? styleOf(undefined, false, true) : 0), hintRoom);
	canvas.put(s.width - widthOf(hint), y, hint);
}
