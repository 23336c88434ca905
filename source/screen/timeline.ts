// The timeline view's renderer (`t`): the rollout over time in one picture. Ready pods per revision as stacked
// block columns (one glyph per revision, so the picture reads without colour too), then one row per revision with
// its ready count in each column as a digit (where the lines cross is where the rollout handed over), the markers
// (ScalingReplicaSet, pause, resume, complete, deadline), the probe's failures and its p99 per column on the same
// axis, the time axis, and as many of the episodes and markers in words as fit.
import type {Marker, MarkerKind, Timeline} from '../model/timeline.js';
import {readyAt} from '../model/timeline.js';
import {ASCII_SPARK, formatClock, formatLatency} from '../probe/stats.js';
import type {Theme} from '../state/ui.js';
import {line, titleLine, type Line, type Pane, type Segment} from './lines.js';
import {revisionColor} from './pods.js';
import {hardWrap} from './logs.js';

// Left of the plot: the row labels.
export const LABEL_WIDTH = 9;

// One glyph per revision, newest first, so revisions differ without colour.
export function revisionGlyphs(theme: Theme): readonly string[] {
	return theme.unicode ? ['█', '▓', '▒', '░'] : ['#', '=', '+', ':'];
}

// The letter of a marker in the marks row; the legend below says what each is.
export const MARKER_GLYPH: Record<MarkerKind, string> = {
	scaled: 'S',
	started: '>',
	paused: 'P',
	resumed: 'R',
	complete: 'C',
	deadline: '!',
};

// When two markers fall in one column, the one shown.
const MARKER_RANK: Record<MarkerKind, number> = {deadline: 6, complete: 5, paused: 4, resumed: 4, started: 3, scaled: 1};

// How many columns of time the plot has at this width.
export function timelineColumns(width: number): number {
	return Math.max(10, width - LABEL_WIDTH);
}

// The middle of column i (of n) between from and to.
function columnTime(t: Timeline, i: number, n: number): number {
	return t.from + ((i + 0.5) * (t.to - t.from)) / n;
}

// A revision's ready count per column, at the column's middle (a digit each; "+" above 9).
export function readyDigits(t: Timeline, revision: number, n: number): string {
	const s = t.series.find((x) => x.revision === revision);
	let out = '';
	for (let i = 0; i < n; i++) {
		const v = s ? readyAt(s.points, columnTime(t, i, n)) : 0;
		out += v > 9 ? '+' : String(v);
	}
	return out;
}

// The marks row: the letter of the weightiest marker in each column.
export function markRow(t: Timeline, n: number): string {
	const cells: (Marker | undefined)[] = Array.from({length: n}, () => undefined);
	for (const m of t.markers) {
		const i = Math.min(n - 1, Math.max(0, Math.floor(((m.at - t.from) / (t.to - t.from)) * n)));
		const here = cells[i];
		if (!here || MARKER_RANK[m.kind] >= MARKER_RANK[here.kind]) cells[i] = m;
	}
	return cells.map((m) => (m ? markerGlyph(m) : ' ')).join('');
}

// A marker's letter: U or D for a scale up or down, else its kind's.
export function markerGlyph(m: Marker): string {
	return m.kind === 'scaled' ? (/Scaled down/.test(m.text) ? 'D' : 'U') : MARKER_GLYPH[m.kind];
}

// The probe row: a failure mark where any probe failed, a dot where probes all answered.
export function probeRow(t: Timeline, theme: Theme): string {
	const fail = theme.unicode ? '×' : 'x';
	const ok = theme.unicode ? '·' : '.';
	return t.intervals.map((i) => (i.failed > 0 ? fail : i.probes > 0 ? ok : ' ')).join('');
}

// The p99 row: one level per column, scaled to the largest p99 in the window.
export function p99Row(t: Timeline, theme: Theme): {row: string; max?: number} {
	const levels = [...(theme.unicode ? '▁▂▃▄▅▆▇█' : ASCII_SPARK.bars)];
	const max = Math.max(0, ...t.intervals.map((i) => i.p99 ?? 0));
	if (max <= 0) return {row: t.intervals.map(() => ' ').join('')};
	const row = t.intervals
		.map((i) => (i.p99 === undefined ? ' ' : levels[Math.min(levels.length - 1, Math.round((i.p99 / max) * (levels.length - 1)))]))
		.join('');
	return {row, max};
}

// The stacked chart: `rows` rows, oldest revision at the bottom, each pod a band of one revision's glyph.
export function chartRows(t: Timeline, n: number, rows: number, theme: Theme): {text: string; revision?: number}[][] {
	const glyphs = revisionGlyphs(theme);
	const order = [...t.revisions].sort((a, b) => a.revision - b.revision);
	const scale = rows / Math.max(1, t.maxReady);
	const grid: {text: string; revision?: number}[][] = Array.from({length: rows}, () => []);
	for (let i = 0; i < n; i++) {
		const at = columnTime(t, i, n);
		let total = 0;
		const bands: {revision: number; top: number}[] = [];
		for (const r of order) {
			const s = t.series.find((x) => x.revision === r.revision);
			total += s ? readyAt(s.points, at) : 0;
			bands.push({revision: r.revision, top: Math.round(total * scale)});
		}
		for (let row = 0; row < rows; row++) {
			const band = bands.find((b) => row < b.top);
			const index = band ? t.revisions.findIndex((r) => r.revision === band.revision) : -1;
			const cell = band ? {text: glyphs[Math.min(glyphs.length - 1, Math.max(0, index))] as string, revision: band.revision} : {text: ' '};
			(grid[rows - 1 - row] as {text: string; revision?: number}[]).push(cell);
		}
	}
	return grid;
}

// Consecutive cells of one revision joined into one segment.
function segmentsOf(cells: {text: string; revision?: number}[], color: (revision: number) => string): Segment[] {
	const out: Segment[] = [];
	for (const c of cells) {
		const last = out.at(-1) as (Segment & {revision?: number}) | undefined;
		if (last && last.revision === c.revision) last.text += c.text;
		else out.push({text: c.text, color: c.revision === undefined ? undefined : color(c.revision), revision: c.revision} as Segment);
	}
	return out.map(({text, color: col}) => ({text, color: col}));
}

// "1m09s", "42s".
function span(ms: number): string {
	const s = Math.round(ms / 1000);
	return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

// The time axis: the start at the left, the middle, the end at the right.
export function timeAxis(t: Timeline, n: number): string {
	const left = formatClock(t.from);
	const mid = formatClock((t.from + t.to) / 2);
	const right = formatClock(t.to);
	const row = Array.from({length: n}, () => ' ');
	const put = (at: number, text: string) => {
		for (let k = 0; k < text.length && at + k < n; k++) row[at + k] = text[k] as string;
	};
	put(0, left);
	if (n >= 3 * 9) put(Math.floor(n / 2 - mid.length / 2), mid);
	if (n >= 2 * 9) put(n - right.length, right);
	return row.join('');
}

// The pane.
export function timelinePane(o: {theme: Theme; width: number; height: number; timeline: Timeline}): Pane {
	const {theme, width, height, timeline: t} = o;
	const n = timelineColumns(width);
	const newest = t.revisions[0]?.revision;
	const color = (revision: number) => revisionColor(String(revision), revision === newest);
	const revisions = t.revisions.slice(0, 4);
	const fixed = 1 + revisions.length + 4;
	const chartHeight = Math.max(3, Math.min(10, Math.floor((height - fixed) * 0.55)));
	const lines: Line[] = [];
	const label = (text: string) => ({text: text.padEnd(LABEL_WIDTH).slice(0, LABEL_WIDTH), dim: true});
	const grid = chartRows(t, n, chartHeight, theme);
	for (const [r, cells] of grid.entries()) {
		const top = r === 0 ? `${t.maxReady} ready` : r === grid.length - 1 ? '0' : '';
		lines.push({key: `chart${r}`, segments: [label(top), ...segmentsOf(cells, color)]});
	}
	const glyphs = revisionGlyphs(theme);
	for (const [i, r] of revisions.entries()) {
		lines.push({
			key: `rev${r.revision}`,
			segments: [
				{text: `r${r.revision} ${glyphs[i] ?? ' '}`.padEnd(LABEL_WIDTH), color: color(r.revision), bold: true},
				{text: readyDigits(t, r.revision, n), color: color(r.revision)},
			],
		});
	}
	lines.push({key: 'marks', segments: [label('marks'), {text: markRow(t, n), color: 'cyan', bold: true}]});
	lines.push({key: 'probe', segments: [label('probe'), {text: probeRow(t, theme), color: t.failures.length > 0 ? 'red' : 'green'}]});
	const p99 = p99Row(t, theme);
	lines.push({key: 'p99', segments: [label('p99'), {text: p99.row, color: 'cyan'}]});
	lines.push({key: 'axis', segments: [label(''), {text: timeAxis(t, n), dim: true}]});
	// The story in words: the episodes first (the answer), then the markers, newest last, as many as fit.
	const words: Line[] = [];
	const cross = theme.unicode ? '✗' : 'x';
	for (const e of t.episodes)
		for (const [k, row] of hardWrap(`${cross} ${e.text}`, width - 2).entries())
			words.push(line(`e${e.from}/${k}`, k === 0 ? row : `  ${row}`, {color: 'red'}));
	const keys = `U/D scale up/down  P/R pause/resume  C complete  ! deadline  ${theme.unicode ? '×' : 'x'} failed`;
	const top = p99.max === undefined ? '' : `  p99 max ${formatLatency(p99.max)}`;
	const legend = keys.length + top.length <= width ? keys + top : keys.slice(0, width);
	words.push(line('legend', legend, {dim: true}));
	const markerLines = t.markers.map((m, i) => line(`m${i}`, `${formatClock(m.at)} ${markerGlyph(m)} ${m.text}`));
	const room = Math.max(0, height - 1 - lines.length);
	const shownWords = words.slice(0, room);
	const left = room - shownWords.length;
	const shownMarkers = left > 0 ? markerLines.slice(-left) : [];
	const title = titleLine(
		theme,
		'Timeline',
		width,
		true,
		`deployment ${t.deployment}  ${formatClock(t.from)}-${formatClock(t.to)} (${span(t.to - t.from)})`,
	);
	return {width, height, title, lines: [...lines.slice(0, Math.max(0, height - 1)), ...shownWords, ...shownMarkers]};
}
