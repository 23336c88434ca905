// The pods of the deployment, one row each, like `kubectl get pods -o wide` plus the revision the
// pod belongs to. Only the rows that fit are rendered, so 20,000 pods cost no more than 20.
import React, {useMemo, useRef} from 'react';
import {Box, Text} from 'ink';
import {fitColumns, measureCells, windowStart, type ColumnSpec} from '../model/columns.js';
import {cell, revisionColor, statusTone, TONE_COLOR} from './cells.js';
import {PaneTitle} from './PaneTitle.js';
import {glyphs, useTheme} from './theme.js';

// One pod as the pane shows it (display strings).
export type PodsPaneRow = {
	name: string;
	ready: string;
	status: string;
	restarts: string;
	age: string;
	node: string;
	ip: string;
	// The revision of the pod's ReplicaSet ("" when unknown).
	revision: string;
	// True when the pod belongs to the deployment's new (current) ReplicaSet.
	current: boolean;
};

export type PodsPaneProps = {
	rows: readonly PodsPaneRow[];
	// Index of the selected row, -1 for none.
	selected: number;
	focused: boolean;
	width: number;
	// Lines for the whole pane: title, column header and rows.
	height: number;
	// Shown instead of rows when there are none (e.g. still listing).
	empty?: string;
};

// Columns from most to least important; at 80 columns IP and NODE give way first.
const COLUMNS: ColumnSpec[] = [
	{key: 'name', header: 'NAME', flex: true, min: 12, prefer: 30},
	{key: 'ready', header: 'READY'},
	{key: 'status', header: 'STATUS', max: 18},
	{key: 'restarts', header: 'RESTARTS', priority: 3, max: 14},
	{key: 'age', header: 'AGE', priority: 5},
	{key: 'node', header: 'NODE', priority: 2, max: 16},
	{key: 'ip', header: 'IP', priority: 1},
	{key: 'revision', header: 'REV', priority: 4},
];
const KEYS = COLUMNS.map((c) => c.key) as (keyof PodsPaneRow & string)[];

// The pods pane: title, header, and the visible window of rows around the selection.
export function PodsPane({rows, selected, focused, width, height, empty = 'No pods.'}: PodsPaneProps) {
	const theme = useTheme();
	const g = glyphs(theme);
	const bodyHeight = Math.max(0, height - 2);
	const startRef = useRef(0);
	const start = windowStart(startRef.current, selected, bodyHeight, rows.length);
	startRef.current = start;
	const measured = useMemo(() => measureCells(rows, KEYS), [rows]);
	const gap = width >= 100 ? 2 : 1;
	// One character of gutter for the selection marker.
	const columns = useMemo(() => fitColumns(COLUMNS, measured, width - 2, gap), [measured, width, gap]);
	const visible = rows.slice(start, start + bodyHeight);
	const sep = ' '.repeat(gap);
	const header = '  ' + columns.map((c) => cell(c.header, c.width)).join(sep);
	const detail = rows.length > bodyHeight && bodyHeight > 0 ? `${rows.length} (${start + 1}-${start + visible.length})` : `${rows.length}`;
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<PaneTitle title="Pods" detail={detail} width={width} focused={focused} />
			{height > 1 ? <Text bold={theme.color} wrap="truncate-end">{header}</Text> : null}
			{visible.length === 0 && bodyHeight > 0 ? <Text dimColor={theme.color}>  {empty}</Text> : null}
			{visible.map((row, i) => {
				const isSelected = start + i === selected;
				const highlight = isSelected && focused && theme.color;
				return (
					<Text key={row.name} wrap="truncate-end" inverse={highlight}>
						{isSelected ? g.marker : ' '}{' '}
						{columns.map((c, ci) => {
							const text = cell(row[c.key as keyof PodsPaneRow] as string, c.width);
							const last = ci === columns.length - 1;
							let color: string | undefined;
							if (theme.color && !highlight) {
								if (c.key === 'status') color = TONE_COLOR[statusTone(row.status, row.ready)];
								else if (c.key === 'revision' || c.key === 'name') color = revisionColor(row.revision, row.current);
							}
							return (
								<Text key={c.key} color={color}>
									{text}
									{last ? '' : sep}
								</Text>
							);
						})}
					</Text>
				);
			})}
		</Box>
	);
}
