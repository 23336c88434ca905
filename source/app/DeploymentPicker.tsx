// With no DEPLOYMENT on the command line: the namespace's deployments as `kubectl get deploy -o wide`
// lists them, to pick one with Enter.
import {useMemo} from 'react';
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import type {Deployment} from '../model/types.js';
import {translateTimestampSince} from '../model/duration.js';
import {fitColumns, measureCells, type ColumnSpec} from '../model/columns.js';
import {cell} from './cells.js';
import {useScrollWindow} from './use-scroll-window.js';
import {PaneTitle} from './PaneTitle.js';
import {glyphs, useTheme} from './theme.js';

// One deployment row, as kubectl prints it.
export type PickerRow = {name: string; ready: string; upToDate: string; available: string; age: string; images: string};

// kubectl's columns for a Deployment: READY is ready/desired, UP-TO-DATE updated, AVAILABLE available.
export function pickerRow(d: Deployment, now: number): PickerRow {
	const desired = d.spec?.replicas ?? 0;
	const s = d.status ?? {};
	return {
		name: d.metadata?.name ?? '',
		ready: `${s.readyReplicas ?? 0}/${desired}`,
		upToDate: String(s.updatedReplicas ?? 0),
		available: String(s.availableReplicas ?? 0),
		age: translateTimestampSince(d.metadata?.creationTimestamp, now),
		images: (d.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '').join(','),
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

export type DeploymentPickerProps = {
	width: number;
	height: number;
	namespace: string;
	rows: readonly PickerRow[];
	selected: number;
	// True until the first list of deployments has arrived.
	loading: boolean;
};

// The picker.
export function DeploymentPicker({width, height, namespace, rows, selected, loading}: DeploymentPickerProps) {
	const theme = useTheme();
	const g = glyphs(theme);
	const body = Math.max(0, height - 3);
	const start = useScrollWindow(selected, body, rows.length);
	const measured = useMemo(() => measureCells(rows, KEYS), [rows]);
	const gap = width >= 100 ? 2 : 1;
	const columns = useMemo(() => fitColumns(COLUMNS, measured, width - 2, gap), [measured, width, gap]);
	const sep = ' '.repeat(gap);
	const visible = rows.slice(start, start + body);
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<PaneTitle title="Deployments" detail={`in ${namespace} (${rows.length})`} width={width} focused />
			<Text dimColor={theme.color} wrap="truncate-end">
				{'  Pick the deployment to watch: ↑/↓ or j/k, then Enter.'.replace('↑/↓', theme.unicode ? '↑/↓' : 'arrows')}
			</Text>
			<Text bold={theme.color} wrap="truncate-end">
				{`  ${columns.map((c) => cell(c.header, c.width)).join(sep)}`}
			</Text>
			{loading && rows.length === 0 ? (
				<Text>
					{'  '}
					<Spinner type={g.spinner} /> listing deployments…
				</Text>
			) : null}
			{!loading && rows.length === 0 ? <Text dimColor={theme.color}>{`  No deployments in namespace ${namespace}.`}</Text> : null}
			{visible.map((row, i) => {
				const isSelected = start + i === selected;
				return (
					<Text key={row.name} wrap="truncate-end" inverse={isSelected && theme.color}>
						{isSelected ? g.marker : ' '} {columns.map((c) => cell(row[c.key as keyof PickerRow], c.width)).join(sep)}
					</Text>
				);
			})}
		</Box>
	);
}
