// The log view's renderer (`l`, `L`): the lines of the ring (state/log-ring.ts) that fit, newest at the bottom
// while following, or ending at the anchor when scrolled back; each tagged with its pod's short name and revision,
// coloured as the pods pane colours revisions (the "r4" in the tag says it without colour); probe failures at
// their time; a header line with the streams, the filter, the pause, and the caps when they are hit. Only the
// lines in view are laid out, so a frame costs the screen's rows, not the ring's 10,000 lines.
import {formatProbeTime} from '../probe/stats.js';
import type {LogEntry, LogList, LogView} from '../state/log-ring.js';
import type {LogStreamInfo} from '../state/log-state.js';
import type {LogAnchor, LogTarget, Theme} from '../state/ui.js';
import type {ParsedFilter} from './filter.js';
import {glyphs, line, titleLine, type Line, type Pane, type Segment} from './lines.js';
import {revisionColor} from './pods.js';

// What the keys need to scroll: how many lines (after the filter), which one is at the bottom, a page of lines,
// and the anchor of a line.
export type LogsNav = {length: number; bottom: number; page: number; entry(i: number): LogAnchor | undefined};

export type LogsPaneInput = {
	theme: Theme;
	width: number;
	height: number;
	target: LogTarget;
	lines: LogView;
	filter?: ParsedFilter;
	anchor?: LogAnchor;
	streams: ReadonlyMap<string, LogStreamInfo>;
	waiting: number;
	cap: number;
	// The new ReplicaSet's revision: its pods' lines are green, as in the pods pane.
	currentRevision?: number;
};

// "84b4-xq5tc" for "nginx-84b4b9f45b-xq5tc": the tag of a deployment's pod in its log lines.
export function podTag(name: string): string {
	const m = /-([a-z0-9]{6,10})-([a-z0-9]{5})$/.exec(name);
	return m ? `${m[1].slice(0, 4)}-${m[2]}` : name;
}

// Tabs expanded and control characters (colour escapes included) removed: a log line must not move the cursor.
export function printable(text: string): string {
	// CSI sequences (colours, cursor moves) go whole, not just their escape byte.
	const plain = text.replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '');
	let out = '';
	for (const ch of plain) {
		if (ch === '\t') out += ' '.repeat(8 - (out.length % 8));
		else if (ch >= ' ' && ch !== '\u007f' && !(ch >= '\u0080' && ch < '\u00a0')) out += ch;
	}
	return out;
}

// The rows a text takes at `width` columns, cut hard (no word wrap, so the count is exact).
export function hardWrap(text: string, width: number): string[] {
	const w = Math.max(1, width);
	if (text.length <= w) return [text];
	const rows: string[] = [];
	for (let i = 0; i < text.length; i += w) rows.push(text.slice(i, i + w));
	return rows;
}

// The tag of an entry: pod and revision for a deployment's lines, "probe" for a probe failure.
function tagOf(e: LogEntry, target: LogTarget, theme: Theme): string {
	if (e.kind === 'probe') return `${glyphs(theme).cross} probe`;
	if (target.kind === 'pod') return '';
	const rev = e.revision === undefined ? '' : ` r${e.revision}`;
	return `${podTag(e.pod)}${rev}`;
}

function colorOf(e: LogEntry, currentRevision: number | undefined): string | undefined {
	if (e.kind === 'probe') return 'red';
	if (e.revision === undefined) return undefined;
	return revisionColor(String(e.revision), e.revision === currentRevision);
}

// The entry's text as shown: a probe failure with its time (to the millisecond, to line up with the lines).
function textOf(e: LogEntry): string {
	if (e.kind === 'probe') return `${formatProbeTime(e.at)} ${e.text}`;
	return printable(e.text);
}

// A sentence about the streams: "4 streams", "3 streams, 1 reconnecting, 2 closed".
export function streamsSummary(streams: ReadonlyMap<string, LogStreamInfo>): string {
	let open = 0;
	let reconnecting = 0;
	let closed = 0;
	for (const s of streams.values()) {
		if (s.phase === 'ended') closed++;
		else if (s.phase === 'backoff') reconnecting++;
		else open++;
	}
	const parts = [`${open} stream${open === 1 ? '' : 's'}`];
	if (reconnecting > 0) parts.push(`${reconnecting} reconnecting`);
	if (closed > 0) parts.push(`${closed} closed`);
	return parts.join(', ');
}

// Where the bottom line is: the newest while following, else the anchor's line (the nearest one still kept).
export function bottomIndex(list: LogList, anchor: LogAnchor | undefined): number {
	if (list.length === 0) return -1;
	if (!anchor) return list.length - 1;
	return Math.max(0, list.indexAtOrBefore(anchor.at, anchor.seq));
}

// The pane and what the keys need.
export function logsPane(o: LogsPaneInput): {pane: Pane; nav: LogsNav} {
	const {theme, width, height, target, lines: view} = o;
	// No filter, or one that matches everything (an empty text), or a bad one still being typed: every line.
	const filter = o.filter?.ok && o.filter.text !== '' ? o.filter : undefined;
	const list: LogList = filter ? view.matching(filter.text, (e) => e.kind !== 'log' || filter.test(e.text)) : view;
	const bottom = bottomIndex(list, o.anchor);
	const what =
		target.kind === 'deployment'
			? `deployment ${target.name}`
			: `pod ${target.pod}${target.container ? ` container ${target.container}` : ''}${target.previous ? ' (previous)' : ''}`;
	const info: Line[] = [];
	const headParts: Segment[] = [
		{
			text: o.anchor ? `paused, ${list.length - 1 - bottom} newer (G follows)` : 'following',
			color: o.anchor ? 'yellow' : 'green',
			bold: true,
		},
		{text: `  ${streamsSummary(o.streams)}`},
	];
	if (filter) headParts.push({text: `  filter ${filter.text}: ${list.length} of ${view.length} lines`, color: 'cyan'});
	info.push({key: 'head', segments: headParts});
	if (o.waiting > 0)
		info.push(
			line(
				'cap',
				`stream cap ${o.cap} reached: ${o.waiting} more pod${o.waiting === 1 ? ' is' : 's are'} not followed (newest revisions first)`,
				{
					color: 'yellow',
				},
			),
		);
	if (view.dropped > 0)
		info.push(line('ring', `ring full: the last ${view.capacity} lines are kept, ${view.dropped} older dropped`, {color: 'yellow'}));
	const bodyRows = Math.max(0, height - 1 - info.length);
	// The lines that fit, from the bottom line up; the top one may show only its last rows.
	const shown: {e: LogEntry; tag: string; rows: string[]}[] = [];
	let used = 0;
	let tagWidth = 0;
	for (let i = bottom; i >= 0 && used < bodyRows; i--) {
		const e = list.at(i);
		if (!e) break;
		const tag = tagOf(e, target, theme);
		tagWidth = Math.max(tagWidth, tag.length);
		shown.push({e, tag, rows: []});
		used += 1;
	}
	const lead = tagWidth > 0 ? tagWidth + 1 : 0;
	const textWidth = Math.max(10, width - lead);
	used = 0;
	for (const s of shown) {
		s.rows = hardWrap(textOf(s.e), textWidth);
		if (used + s.rows.length > bodyRows) s.rows = s.rows.slice(s.rows.length - (bodyRows - used));
		used += s.rows.length;
		if (used >= bodyRows) {
			shown.length = shown.indexOf(s) + 1;
			break;
		}
	}
	const body: Line[] = [];
	for (const s of shown.reverse()) {
		const color = colorOf(s.e, o.currentRevision);
		for (const [r, text] of s.rows.entries()) {
			const first = r === 0 && s.rows.length > 0;
			body.push({
				key: `${s.e.seq}:${r}`,
				segments: [
					{text: lead > 0 ? (first ? s.tag : '').padEnd(lead) : '', color, bold: s.e.kind === 'probe'},
					{text, color: s.e.kind === 'probe' ? 'red' : undefined, dim: s.e.kind === 'note'},
				],
			});
		}
	}
	if (body.length === 0 && bodyRows > 0)
		body.push(line('empty', filter && view.length > 0 ? `no line matches ${filter.text}` : 'waiting for log lines…', {dim: true}));
	const pane: Pane = {
		width,
		height,
		title: titleLine(theme, 'Logs', width, true, what),
		lines: [...info.slice(0, Math.max(0, height - 1)), ...body],
	};
	const nav: LogsNav = {
		length: list.length,
		bottom,
		page: Math.max(1, shown.length - 1),
		entry: (i) => {
			const e = list.at(i);
			return e ? {at: e.at, seq: e.seq} : undefined;
		},
	};
	return {pane, nav};
}
