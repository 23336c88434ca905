// The deployment's events, like `kubectl get events -w`: oldest at the top, newest at the bottom,
// repeats collapsed with their count. It follows the newest events until a row is selected.
import React, {useMemo, useRef} from 'react';
import {Box, Text} from 'ink';
import {fitColumns, measureCells, windowStart, type ColumnSpec} from '../model/columns.js';
import {cell} from './cells.js';
import {PaneTitle} from './PaneTitle.js';
import {glyphs, useTheme} from './theme.js';

// One (collapsed) event as the pane shows it.
export type EventsPaneRow = {
	key: string;
	// LAST SEEN, with kubectl's "(x3 over 5m)" when repeated.
	lastSeen: string;
	type: string;
	reason: string;
	// "kind/name", e.g. "replicaset/nginx-6888c79454".
	object: string;
	message: string;
	count: number;
};

export type EventsPaneProps = {
	rows: readonly EventsPaneRow[];
	// Index of the selected row; -1 follows the newest.
	selected: number;
	focused: boolean;
	width: number;
	height: number;
	title?: string;
	empty?: string;
};

const COLUMNS: ColumnSpec[] = [
	{key: 'lastSeen', header: 'LAST SEEN', max: 18, priority: 3},
	{key: 'type', header: 'TYPE', priority: 1},
	{key: 'reason', header: 'REASON', max: 20},
	{key: 'object', header: 'OBJECT', max: 34, priority: 2},
	{key: 'message', header: 'MESSAGE', flex: true, min: 20, prefer: 40},
];
const KEYS = COLUMNS.map((c) => c.key) as (keyof EventsPaneRow & string)[];

// The events pane: a window over the rows that shows the tail unless a row is selected.
export function EventsPane({rows, selected, focused, width, height, title = 'Events', empty = 'No events.'}: EventsPaneProps) {
	const theme = useTheme();
	const g = glyphs(theme);
	const bodyHeight = Math.max(0, height - 2);
	const startRef = useRef(0);
	const following = selected < 0;
	const start = following ? Math.max(0, rows.length - bodyHeight) : windowStart(startRef.current, selected, bodyHeight, rows.length);
	startRef.current = start;
	const measured = useMemo(() => measureCells(rows, KEYS), [rows]);
	const gap = width >= 100 ? 2 : 1;
	const columns = useMemo(() => fitColumns(COLUMNS, measured, width - 2, gap), [measured, width, gap]);
	const visible = rows.slice(start, start + bodyHeight);
	const sep = ' '.repeat(gap);
	const header = '  ' + columns.map((c) => cell(c.header, c.width)).join(sep);
	const detail = `${rows.length}${following ? '' : ` (${selected + 1}/${rows.length})`}`;
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<PaneTitle title={title} detail={detail} width={width} focused={focused} />
			{height > 1 ? <Text bold={theme.color} wrap="truncate-end">{header}</Text> : null}
			{visible.length === 0 && bodyHeight > 0 ? <Text dimColor={theme.color}>  {empty}</Text> : null}
			{visible.map((row, i) => {
				const isSelected = start + i === selected;
				const highlight = isSelected && focused && theme.color;
				const warning = row.type !== 'Normal';
				return (
					<Text key={row.key} wrap="truncate-end" inverse={highlight}>
						{isSelected ? g.marker : ' '}{' '}
						{columns.map((c, ci) => {
							const value = String(row[c.key as keyof EventsPaneRow] ?? '');
							const last = ci === columns.length - 1;
							const text = last ? value : cell(value, c.width);
							let color: string | undefined;
							if (theme.color && !highlight && warning && (c.key === 'type' || c.key === 'reason')) color = 'red';
							return (
								<Text key={c.key} color={color} bold={theme.color && warning && c.key === 'type'}>
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
