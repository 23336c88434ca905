// The pods of the deployment, one row each, like `kubectl get pods -o wide` plus the revision the
// pod belongs to. Only the rows that fit are rendered, so 20,000 pods cost no more than 20.
import {useMemo, useRef} from 'react';
import {Box, Text} from 'ink';
import {measureCells} from '../model/columns.js';
import {POD_COLUMNS, podColumns, visibleWindow} from '../model/layout.js';
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

const KEYS = POD_COLUMNS.map((c) => c.key) as (keyof PodsPaneRow & string)[];

// The pods pane: title, header, and the visible window of rows around the selection.
export function PodsPane({rows, selected, focused, width, height, empty = 'No pods.'}: PodsPaneProps) {
	const theme = useTheme();
	const g = glyphs(theme);
	const bodyHeight = Math.max(0, height - 2);
	const startRef = useRef(0);
	const {start, end} = visibleWindow(rows.length, selected, bodyHeight, startRef.current);
	startRef.current = start;
	const measured = useMemo(() => measureCells(rows, KEYS), [rows]);
	// Two characters of gutter for the selection marker.
	const columns = useMemo(() => podColumns(width - 2, measured), [measured, width]);
	// The gap podColumns chose: NAME flexes, so the columns fill the width exactly.
	const used = columns.reduce((sum, c) => sum + c.width, 0);
	const gap = columns.length > 1 ? Math.max(1, Math.round((width - 2 - used) / (columns.length - 1))) : 1;
	const visible = rows.slice(start, end);
	const sep = ' '.repeat(gap);
	const header = `  ${columns.map((c) => cell(c.header, c.width)).join(sep)}`;
	const detail = rows.length > bodyHeight && bodyHeight > 0 ? `${rows.length} (${start + 1}-${start + visible.length})` : `${rows.length}`;
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<PaneTitle title="Pods" detail={detail} width={width} focused={focused} />
			{height > 1 ? (
				<Text bold={theme.color} wrap="truncate-end">
					{header}
				</Text>
			) : null}
			{visible.length === 0 && bodyHeight > 0 ? <Text dimColor={theme.color}> {empty}</Text> : null}
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
