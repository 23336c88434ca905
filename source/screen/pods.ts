// The pods pane's renderer, one per kind as k9s keeps them (internal/render/pod.go): its columns, its header,
// the row of one pod (`kubectl get pods -o wide` columns plus REV, each cell from model/pod-status.ts), and
// the pane's props for the rows in view. Only the visible rows are built, each once per pod object and clock.
import {podAge, podInfo, podIP, podNode, podRestartsText, type PodInfo} from '../model/pod-status.js';
import type {Pod, ReplicaSet} from '../model/types.js';
import {toMillis} from '../model/util.js';
import type {PodSort} from '../state/ui.js';
import {filterList, type ParsedFilter} from './filter.js';
import {cell, fitColumns, measureCells, visibleWindow, type ColumnSpec, type FittedColumn} from './layout.js';
import {countOf, glyphs, line, titleLine, type Line, type ListOptions, type Pane, type Segment} from './lines.js';

// One pod as the pane shows it: display strings, and what colours them.
export type PodRow = {
	name: string;
	ready: string;
	status: string;
	// RESTARTS as kubectl shows it, e.g. "3 (2m ago)".
	restarts: string;
	age: string;
	node: string;
	ip: string;
	// The revision of the pod's ReplicaSet as text, "" when unknown.
	revision: string;
	// True when the pod belongs to the deployment's new (current) ReplicaSet.
	current: boolean;
};

// The columns, most important first; when narrow, IP goes first, then NODE, then RESTARTS.
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

const KEYS = POD_COLUMNS.map((c) => c.key) as (keyof PodRow & string)[];

// Column widths for `width` cells; `cellWidths` holds the widest cell per key. NAME takes what is left.
export function podColumns(width: number, cellWidths: Readonly<Record<string, number>>): FittedColumn[] {
	return fitColumns(POD_COLUMNS, cellWidths, width, width >= 100 ? 2 : 1);
}

// podInfo per pod object: pods are immutable snapshots, so a changed pod is a new object.
const infoCache = new WeakMap<Pod, PodInfo>();

function infoOf(pod: Pod): PodInfo {
	let info = infoCache.get(pod);
	if (!info) {
		info = podInfo(pod);
		infoCache.set(pod, info);
	}
	return info;
}

// The row of one pod: its ReplicaSet's revision, whether that is the new ReplicaSet, ages at `now`.
export function podRow(
	pod: Pod,
	owner: {replicaSet: ReplicaSet; revision: number} | undefined,
	newReplicaSetUid: string | undefined,
	now: number,
): PodRow {
	const info = infoOf(pod);
	return {
		name: pod.metadata?.name ?? '',
		ready: `${info.readyContainers}/${info.totalContainers}`,
		status: info.status,
		restarts: podRestartsText(info, now),
		age: podAge(pod, now),
		node: podNode(pod),
		ip: podIP(pod),
		revision: owner && owner.revision > 0 ? String(owner.revision) : '',
		current: newReplicaSetUid !== undefined && owner?.replicaSet.metadata?.uid === newReplicaSetUid,
	};
}

// What `/` matches a pod against: its name, STATUS, NODE and IP, as its row shows them.
export function podFilterText(pod: Pod): string {
	return `${pod.metadata?.name ?? ''} ${infoOf(pod).status} ${podNode(pod)} ${podIP(pod)}`;
}

const byName = (a: Pod, b: Pod) => {
	const x = a.metadata?.name ?? '';
	const y = b.metadata?.name ?? '';
	return x < y ? -1 : x > y ? 1 : 0;
};

// A sort in words, for the header and the keys' message.
export function sortLabel(sort: PodSort | undefined): string {
	const words: Record<PodSort['column'], [string, string]> = {
		name: ['name, A to Z', 'name, Z to A'],
		age: ['age, newest first', 'age, oldest first'],
		status: ['status, A to Z', 'status, Z to A'],
		restarts: ['restarts, most first', 'restarts, fewest first'],
		revision: ['revision, newest first', 'revision, oldest first'],
	};
	const s = sort ?? {column: 'revision', reverse: false};
	return words[s.column][s.reverse ? 1 : 0];
}

// Each sort's order when first chosen (ties by name); a second press reverses it, ties still by name.
const SORTS: Record<PodSort['column'], ((a: Pod, b: Pod) => number) | undefined> = {
	name: () => 0,
	age: (a, b) => (toMillis(b.metadata?.creationTimestamp) ?? 0) - (toMillis(a.metadata?.creationTimestamp) ?? 0),
	status: (a, b) => {
		const x = infoOf(a).status;
		const y = infoOf(b).status;
		return x < y ? -1 : x > y ? 1 : 0;
	},
	restarts: (a, b) => infoOf(b).restarts - infoOf(a).restarts,
	// The pods arrive in this order already (newest revision first, then by name).
	revision: undefined,
};

// The pods as the pane lists them: those the filter passes, in the chosen order. `pods` comes newest revision
// first, then by name (selectPods); `revisionOf` is needed only to reverse that order. Pure, so the screen
// memoises it on its inputs: a frame that changes neither the pods nor the filter nor the sort costs nothing.
export function podsInView(
	pods: readonly Pod[],
	filter: ParsedFilter,
	sort: PodSort | undefined,
	revisionOf: (pod: Pod) => number,
): readonly Pod[] {
	const shown = filterList(pods, filter, podFilterText);
	if (!sort) return shown;
	const primary = SORTS[sort.column] ?? ((a: Pod, b: Pod) => revisionOf(b) - revisionOf(a));
	const sign = sort.reverse ? -1 : 1;
	const compare =
		sort.column === 'name' ? (a: Pod, b: Pod) => sign * byName(a, b) : (a: Pod, b: Pod) => sign * primary(a, b) || byName(a, b);
	return [...shown].sort(compare);
}

// How worrying a pod STATUS is: drives its colour (and nothing else, so NO_COLOR loses no meaning).
export type StatusTone = 'ok' | 'progress' | 'ending' | 'bad' | 'done';

const BAD =
	/^(Err|ImagePull|CrashLoop|OOMKilled|Error|Unknown|Evicted|Failed|CreateContainer|InvalidImageName|RunContainerError|Init:(?!\d)|Signal:|ExitCode:|NodeLost|ContainerStatusUnknown|DeadlineExceeded)/;

// The tone of a pod STATUS as kubectl prints it.
export function statusTone(status: string, ready?: string): StatusTone {
	if (status === 'Terminating') return 'ending';
	if (status === 'Completed' || status === 'Succeeded') return 'done';
	if (BAD.test(status)) return 'bad';
	if (status === 'Running') {
		// Running but not all containers ready is still on its way (or failing a probe).
		if (ready !== undefined) {
			const [a, b] = ready.split('/');
			if (a !== b) return 'progress';
		}
		return 'ok';
	}
	return 'progress';
}

// Colours of the tones.
export const TONE_COLOR: Record<StatusTone, string> = {ok: 'green', progress: 'yellow', ending: 'magenta', bad: 'red', done: 'gray'};

// Colours for revisions: the new ReplicaSet's pods are green, old ones cycle through the rest.
const OLD_REVISION_COLORS = ['yellow', 'magenta', 'blue', 'cyan'];

// The colour of a revision's pods; old revisions get stable colours by number.
export function revisionColor(revision: string, current: boolean): string {
	if (current) return 'green';
	const n = Number.parseInt(revision, 10);
	return OLD_REVISION_COLORS[(Number.isFinite(n) ? n : 0) % OLD_REVISION_COLORS.length];
}

// Everything the pods pane draws, and the first row in view (kept by the keys, so the window moves only as far as needed).
export type PodsPane = Pane & {start: number};

// The pane for `pods` (all of the deployment's, in order), the selected index, and the window's first row;
// `row` builds a row, and is called for the rows in view only.
export function podsPane<P>(o: ListOptions & {pods: readonly P[]; row: (pod: P) => PodRow}): PodsPane {
	const g = glyphs(o.theme);
	const bodyHeight = Math.max(0, o.height - 2);
	const {start, end} = visibleWindow(o.pods.length, o.selected, bodyHeight, o.windowStart);
	const rows = o.pods.slice(start, end).map(o.row);
	// Two characters of gutter for the selection marker; widths follow the rows in view.
	const columns = podColumns(o.width - 2, measureCells(rows, KEYS));
	// The gap podColumns chose: NAME flexes, so the columns fill the width exactly.
	const used = columns.reduce((sum, c) => sum + c.width, 0);
	const gap = columns.length > 1 ? Math.max(1, Math.round((o.width - 2 - used) / (columns.length - 1))) : 1;
	const sep = ' '.repeat(gap);
	const total = o.pods.length;
	const lines: Line[] = [];
	if (o.height > 1) lines.push(line('header', `  ${columns.map((c) => cell(c.header, c.width)).join(sep)}`, {bold: true}));
	if (rows.length === 0 && bodyHeight > 0) lines.push(line('empty', ` ${o.empty}`, {dim: true}));
	for (const [i, row] of rows.entries()) {
		const selected = start + i === o.selected;
		const segments: Segment[] = [{text: `${selected ? g.marker : ' '} `}];
		for (const [ci, c] of columns.entries()) {
			const text = cell(row[c.key as keyof PodRow] as string, c.width) + (ci === columns.length - 1 ? '' : sep);
			let color: string | undefined;
			if (c.key === 'status') color = TONE_COLOR[statusTone(row.status, row.ready)];
			else if (c.key === 'revision' || c.key === 'name') color = revisionColor(row.revision, row.current);
			segments.push({text, color});
		}
		lines.push({key: row.name, segments, inverse: selected && o.focused});
	}
	const count = countOf(total, o.of);
	const detail = total > bodyHeight && bodyHeight > 0 ? `${count} (${start + 1}-${start + rows.length})` : count;
	return {width: o.width, height: o.height, title: titleLine(o.theme, 'Pods', o.width, o.focused, detail), lines, start};
}
