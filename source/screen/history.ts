// The history's renderer (`h`): `kubectl rollout history` with what it leaves out (each revision's images, age,
// ReplicaSet and its pod count), a selected revision; and one revision's pod template as
// `kubectl rollout history --revision=N` prints it (Enter), or its diff against the current template (d).
import {expandTabs} from '../model/describe-template.js';
import {humanDuration} from '../model/duration.js';
import {revisionDetails, type RevisionRow} from '../model/history.js';
import {templateDiff} from '../model/template-diff.js';
import type {Deployment, ReplicaSet} from '../model/types.js';
import type {Theme} from '../state/ui.js';
import {cell, fitColumns, measureCells, windowStart, type ColumnSpec} from './layout.js';
import {glyphs, line, titleLine, type Line, type Pane} from './lines.js';

// One history row as text cells.
type Cells = {revision: string; cause: string; images: string; age: string; replicaSet: string; pods: string};

const COLUMNS: ColumnSpec[] = [
	{key: 'revision', header: 'REVISION'},
	// A long change-cause is cut before any other column is dropped.
	{key: 'cause', header: 'CHANGE-CAUSE', flex: true, min: 12, prefer: 20},
	{key: 'images', header: 'IMAGES', priority: 4, max: 40},
	{key: 'age', header: 'AGE', priority: 1},
	{key: 'replicaSet', header: 'REPLICASET', priority: 2},
	{key: 'pods', header: 'PODS', priority: 3},
];
const KEYS = COLUMNS.map((c) => c.key) as (keyof Cells & string)[];

// A revision's cells; the current revision is marked, as the one an undo cannot go to.
export function historyCells(row: RevisionRow, now: number): Cells {
	return {
		revision: row.current ? `${row.revision} (current)` : String(row.revision),
		cause: row.changeCause,
		images: row.images.join(','),
		age: row.createdAt === undefined ? '<unknown>' : humanDuration(now - row.createdAt),
		replicaSet: row.replicaSetName,
		pods: String(row.replicas),
	};
}

// Where the selected revision is in the list (the last, i.e. current, when none was chosen yet or it is gone).
export function historyIndex(revision: number | undefined, revisions: readonly number[]): number {
	if (revisions.length === 0) return -1;
	const at = revision === undefined ? -1 : revisions.indexOf(revision);
	return at >= 0 ? at : revisions.length - 1;
}

// Rows of the history above its list: title, hint, column header.
export const HISTORY_CHROME = 3;

// The history list.
export function historyPane(o: {
	theme: Theme;
	width: number;
	height: number;
	deploymentName: string;
	rows: readonly RevisionRow[];
	selected: number;
	windowStart: number;
	now: number;
	readonly: boolean;
}): Pane & {start: number} {
	const {theme, width, height, rows} = o;
	const g = glyphs(theme);
	const body = Math.max(0, height - HISTORY_CHROME);
	const start = windowStart(o.windowStart, o.selected, body, rows.length);
	const cells = rows.map((r) => historyCells(r, o.now));
	const gap = width >= 100 ? 2 : 1;
	const columns = fitColumns(COLUMNS, measureCells(cells, KEYS), width - 2, gap);
	const sep = ' '.repeat(gap);
	const hint = `Enter template  d diff against current${o.readonly ? '' : '  u undo to it'}  Esc close`;
	const lines: Line[] = [
		line('hint', `  ${hint}`, {dim: true}),
		line('header', `  ${columns.map((c) => cell(c.header, c.width)).join(sep)}`, {bold: true}),
	];
	if (rows.length === 0) lines.push(line('none', '  No rollout history found.'));
	for (const [i, row] of cells.slice(start, start + body).entries()) {
		const selected = start + i === o.selected;
		const text = `${selected ? g.marker : ' '} ${columns.map((c) => cell(row[c.key as keyof Cells], c.width)).join(sep)}`;
		lines.push({key: row.revision, segments: [{text, bold: rows[start + i].current}], inverse: selected});
	}
	const detail = `deployment/${o.deploymentName} (${rows.length} revision${rows.length === 1 ? '' : 's'})`;
	return {width, height, title: titleLine(theme, 'History', width, true, detail), lines, start};
}

// One line of a revision's text; removed and added lines of a diff are coloured (and keep their -/+ without colour).
export type ViewLine = {text: string; tone?: 'add' | 'remove' | 'dim'};

// The title and lines for a revision: its 'template', or its 'diff' against the deployment's current template.
export function revisionView(
	show: 'template' | 'diff',
	deployment: Deployment,
	replicaSets: readonly ReplicaSet[],
	rows: readonly RevisionRow[],
	revision: number,
): {title: string; lines: ViewLine[]} {
	const name = deployment.metadata?.name ?? '';
	const row = rows.find((r) => r.revision === revision);
	if (show === 'template') {
		const details = revisionDetails(deployment, replicaSets, revision);
		const title = `deployment.apps/${name} with revision #${revision}`;
		if (!details.ok) return {title, lines: [{text: `error: ${details.error}`}]};
		return {
			title,
			lines: expandTabs(details.text)
				.replace(/\n$/, '')
				.split('\n')
				.map((text) => ({text})),
		};
	}
	const current = rows.find((r) => r.current);
	const title = `revision ${revision} against the current template${current ? ` (revision ${current.revision})` : ''}`;
	if (!row) return {title, lines: [{text: `error: unable to find the specified revision ${revision}`}]};
	const diff = templateDiff(deployment.spec?.template, row.template);
	if (!diff.some((l) => l.op === '-' || l.op === '+')) {
		return {title, lines: [{text: `No differences: revision ${revision} has the pod template the deployment runs now.`}]};
	}
	const lines: ViewLine[] = [
		{text: `--- current template${current ? ` (revision ${current.revision})` : ''}`, tone: 'remove'},
		{text: `+++ revision ${revision}`, tone: 'add'},
	];
	for (const l of diff)
		lines.push({text: `${l.op} ${l.text}`, tone: l.op === '-' ? 'remove' : l.op === '+' ? 'add' : l.op === '…' ? 'dim' : undefined});
	return {title, lines};
}

const TONE_COLOR = {add: 'green', remove: 'red'} as const;

// The last line a text of `count` lines can scroll to in `height` rows (one is the title).
export function textMaxScroll(count: number, height: number): number {
	return Math.max(0, count - Math.max(1, height - 1));
}

// A scrolled text under a title with the shown range (a revision's template or diff).
export function textPane(theme: Theme, width: number, height: number, title: string, text: readonly ViewLine[], scroll: number): Pane {
	const body = Math.max(1, height - 1);
	const start = Math.min(scroll, textMaxScroll(text.length, height));
	const visible = text.slice(start, start + body);
	const range = text.length > body ? `lines ${start + 1}-${start + visible.length} of ${text.length}` : undefined;
	return {
		width,
		height,
		title: titleLine(theme, title, width, true, range),
		lines: visible.map((l, i) =>
			line(String(start + i), l.text === '' ? ' ' : l.text, {
				color: l.tone && l.tone !== 'dim' ? TONE_COLOR[l.tone] : undefined,
				dim: l.tone === 'dim',
			}),
		),
	};
}
