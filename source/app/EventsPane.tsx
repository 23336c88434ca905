// The deployment's events, like `kubectl get events -w`: oldest at the top, newest at the bottom,
// repeats collapsed with their count. It follows the newest events until a row is selected.
import {useMemo} from 'react';
import {Box, Text} from 'ink';
import {fitColumns, measureCells, type ColumnSpec} from '../model/columns.js';
import {cell} from './cells.js';
import {translateTimestampSince} from '../model/duration.js';
import {useScrollWindow} from './use-scroll-window.js';
import {PaneTitle} from './PaneTitle.js';
import type {EventRowView} from '../state/selectors.js';
import {glyphs, useTheme} from './theme.js';

// One (collapsed) event as the pane shows it: the store's row without where it came from.
export type EventsPaneRow = Omit<EventRowView, 'source'> & {source?: string};

export type EventsPaneProps = {
	rows: readonly EventsPaneRow[];
	// Index of the selected row; -1 follows the newest.
	selected: number;
	focused: boolean;
	width: number;
	height: number;
	title?: string;
	empty?: string;
	// The clock for short ages on narrow terminals.
	now?: number;
};

// Terminals narrower than this get the short forms: "5s x3" for "5s (x3 over 2m)", and the object's tail.
export const WIDE_EVENTS = 120;

function columnsFor(width: number): ColumnSpec[] {
	const wide = width >= WIDE_EVENTS;
	return [
		{key: 'lastSeen', header: wide ? 'LAST SEEN' : 'SEEN', max: 18, priority: 3},
		{key: 'type', header: 'TYPE', priority: 1},
		{key: 'reason', header: 'REASON', max: 20},
		{key: 'object', header: 'OBJECT', max: wide ? 40 : 16, priority: 2},
		{key: 'message', header: 'MESSAGE', flex: true, min: 20, prefer: wide ? 40 : 52},
	];
}

type Cells = {lastSeen: string; type: string; reason: string; object: string; message: string};
const KEYS: (keyof Cells)[] = ['lastSeen', 'type', 'reason', 'object', 'message'];

// A cut that keeps the end ("…674d-v4lwp"): pods and ReplicaSets differ in their suffixes.
function tail(text: string, width: number): string {
	if (text.length <= width) return text.padEnd(width);
	return width <= 1 ? text.slice(-width) : `…${text.slice(text.length - width + 1)}`;
}

function cellsOf(row: EventsPaneRow, wide: boolean, now: number | undefined): Cells {
	let lastSeen = row.lastSeen;
	if (!wide) {
		const age =
			row.lastMs !== undefined && now !== undefined ? translateTimestampSince(new Date(row.lastMs), now) : row.lastSeen.split(' ')[0];
		lastSeen = row.count > 1 ? `${age} x${row.count}` : age;
	}
	return {lastSeen, type: row.type, reason: row.reason, object: row.object, message: row.message};
}

// The events pane: a window over the rows that shows the tail unless a row is selected.
export function EventsPane({rows, selected, focused, width, height, title = 'Events', empty = 'No events.', now}: EventsPaneProps) {
	const theme = useTheme();
	const g = glyphs(theme);
	const bodyHeight = Math.max(0, height - 2);
	const following = selected < 0;
	const start = useScrollWindow(selected, bodyHeight, rows.length, following);
	const wide = width >= WIDE_EVENTS;
	const cells = useMemo(() => rows.map((r) => cellsOf(r, wide, now)), [rows, wide, now]);
	const measured = useMemo(() => measureCells(cells, KEYS), [cells]);
	const gap = width >= 100 ? 2 : 1;
	const columns = useMemo(() => fitColumns(columnsFor(width), measured, width - 2, gap), [measured, width, gap]);
	const visible = rows.slice(start, start + bodyHeight);
	const sep = ' '.repeat(gap);
	const header = `  ${columns.map((c) => cell(c.header, c.width)).join(sep)}`;
	const detail = `${rows.length}${following ? '' : ` (${selected + 1}/${rows.length})`}`;
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<PaneTitle title={title} detail={detail} width={width} focused={focused} />
			{height > 1 ? (
				<Text bold={theme.color} wrap="truncate-end">
					{header}
				</Text>
			) : null}
			{visible.length === 0 && bodyHeight > 0 ? <Text dimColor={theme.color}> {empty}</Text> : null}
			{visible.map((row, i) => {
				const isSelected = start + i === selected;
				const highlight = isSelected && focused && theme.color;
				const warning = row.type !== 'Normal';
				const values = cells[start + i];
				return (
					<Text key={row.key} wrap="truncate-end" inverse={highlight}>
						{isSelected ? g.marker : ' '}
						{/* Warnings are marked in the gutter too, so they stand out without colour or a TYPE column. */}
						<Text color={theme.color && warning && !highlight ? 'red' : undefined} bold={theme.color && warning}>
							{warning ? '!' : ' '}
						</Text>
						{columns.map((c, ci) => {
							const value = values[c.key as keyof Cells];
							const last = ci === columns.length - 1;
							const text = last ? value : c.key === 'object' ? tail(value, c.width) : cell(value, c.width);
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
