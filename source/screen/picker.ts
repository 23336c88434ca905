// The deployment picker's renderer (no DEPLOYMENT on the command line): the namespace's deployments as
// `kubectl get deployments -o wide` lists them, to pick one with Enter.
import {translateTimestampSince} from '../model/duration.js';
import {templateImages} from '../model/rollout-progress.js';
import type {Deployment} from '../model/types.js';
import type {Theme} from '../state/ui.js';
import {cell, fitColumns, measureCells, windowStart, type ColumnSpec} from './layout.js';
import {countOf, glyphs, line, titleLine, type Line, type Pane} from './lines.js';

// One deployment, as kubectl prints it: READY is ready/desired, UP-TO-DATE updated, AVAILABLE available.
export type PickerRow = {name: string; ready: string; upToDate: string; available: string; age: string; images: string};

// A deployment's row at `now`.
export function pickerRow(d: Deployment, now: number): PickerRow {
	const s = d.status ?? {};
	return {
		name: d.metadata?.name ?? '',
		ready: `${s.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
		upToDate: String(s.updatedReplicas ?? 0),
		available: String(s.availableReplicas ?? 0),
		age: translateTimestampSince(d.metadata?.creationTimestamp, now),
		images: templateImages(d).join(','),
	};
}

const COLUMNS: ColumnSpec[] = [
	{key: 'name', header: 'NAME', flex: true, min: 10, prefer: 40},
	{key: 'ready', header: 'READY'},
	{key: 'upToDate', header: 'UP-TO-DATE', priority: 2},
	{key: 'available', header: 'AVAILABLE', priority: 3},
	{key: 'age', header: 'AGE', priority: 4},
	{key: 'images', header: 'IMAGES', priority: 1, max: 40},
];
const KEYS = COLUMNS.map((c) => c.key) as (keyof PickerRow & string)[];

// Rows of the picker above its list: title, hint, column header.
export const PICKER_CHROME = 3;

// The picker for the deployments (sorted by name), the selected index and the window's first row.
export function pickerPane(o: {
	theme: Theme;
	width: number;
	height: number;
	namespace: string;
	deployments: readonly Deployment[];
	now: number;
	selected: number;
	windowStart: number;
	loading: boolean;
	/** The namespace's deployments before the `/` filter. */
	of?: number;
	filter?: string;
}): Pane & {start: number} {
	const {theme, width, height} = o;
	const g = glyphs(theme);
	const body = Math.max(0, height - PICKER_CHROME);
	const rows = o.deployments.map((d) => pickerRow(d, o.now));
	const start = windowStart(o.windowStart, o.selected, body, rows.length);
	const gap = width >= 100 ? 2 : 1;
	const columns = fitColumns(COLUMNS, measureCells(rows, KEYS), width - 2, gap);
	const sep = ' '.repeat(gap);
	const lines: Line[] = [
		line('hint', `  Pick the deployment to watch: ${theme.unicode ? '↑/↓' : 'arrows'} or j/k, then Enter.`, {dim: true}),
		line('header', `  ${columns.map((c) => cell(c.header, c.width)).join(sep)}`, {bold: true}),
	];
	if (o.loading && rows.length === 0)
		lines.push({key: 'loading', segments: [{text: '  '}, {text: '', spinner: true}, {text: ' listing deployments…'}]});
	if (!o.loading && rows.length === 0)
		lines.push(
			line(
				'none',
				o.filter
					? `  No deployment matches the filter ${JSON.stringify(o.filter)} (Esc clears it).`
					: `  No deployments in namespace ${o.namespace}.`,
				{dim: true},
			),
		);
	for (const [i, row] of rows.slice(start, start + body).entries()) {
		const selected = start + i === o.selected;
		const text = `${selected ? g.marker : ' '} ${columns.map((c) => cell(row[c.key as keyof PickerRow], c.width)).join(sep)}`;
		lines.push({key: row.name, segments: [{text}], inverse: selected});
	}
	return {
		width,
		height,
		title: titleLine(theme, 'Deployments', width, true, `in ${o.namespace} (${countOf(rows.length, o.of)})`),
		lines,
		start,
	};
}
