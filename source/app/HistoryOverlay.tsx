// The `h` overlay: `kubectl rollout history` with what it leaves out (each revision's images, age,
// ReplicaSet and its pod count), a selection to show a revision's template (Enter), diff it (d) or
// undo to it (u).
import {useMemo} from 'react';
import {Box, Text} from 'ink';
import type {RevisionRow} from '../model/history.js';
import {humanDuration} from '../model/duration.js';
import {fitColumns, measureCells, type ColumnSpec} from '../model/columns.js';
import {cell} from './cells.js';
import {useScrollWindow} from './use-scroll-window.js';
import {PaneTitle} from './PaneTitle.js';
import {glyphs, useTheme} from './theme.js';

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

export type HistoryOverlayProps = {
	width: number;
	height: number;
	deploymentName: string;
	rows: readonly RevisionRow[];
	// Index of the selected row.
	selected: number;
	now: number;
	// In read-only mode the hint leaves out `u`.
	readonly?: boolean;
};

// The history list.
export function HistoryOverlay({width, height, deploymentName, rows, selected, now, readonly}: HistoryOverlayProps) {
	const theme = useTheme();
	const g = glyphs(theme);
	const body = Math.max(0, height - 3);
	const start = useScrollWindow(selected, body, rows.length);
	const cells = useMemo(() => rows.map((r) => historyCells(r, now)), [rows, now]);
	const measured = useMemo(() => measureCells(cells, KEYS), [cells]);
	const gap = width >= 100 ? 2 : 1;
	const columns = useMemo(() => fitColumns(COLUMNS, measured, width - 2, gap), [measured, width, gap]);
	const sep = ' '.repeat(gap);
	const hint = `Enter template  d diff against current${readonly ? '' : '  u undo to it'}  Esc close`;
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<PaneTitle
				title="History"
				detail={`deployment/${deploymentName} (${rows.length} revision${rows.length === 1 ? '' : 's'})`}
				width={width}
				focused
			/>
			<Text dimColor={theme.color} wrap="truncate-end">{`  ${hint}`}</Text>
			<Text bold={theme.color} wrap="truncate-end">
				{`  ${columns.map((c) => cell(c.header, c.width)).join(sep)}`}
			</Text>
			{rows.length === 0 ? <Text>{'  No rollout history found.'}</Text> : null}
			{cells.slice(start, start + body).map((row, i) => {
				const isSelected = start + i === selected;
				return (
					<Text key={row.revision} wrap="truncate-end" inverse={isSelected && theme.color} bold={theme.color && rows[start + i].current}>
						{isSelected ? g.marker : ' '} {columns.map((c) => cell(row[c.key as keyof Cells], c.width)).join(sep)}
					</Text>
				);
			})}
		</Box>
	);
}
