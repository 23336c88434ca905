// One revision's pod template as `kubectl rollout history --revision=N` prints it (Enter in the
// history), or its diff against the current template (d): what an undo to it would change.

import {Box, Text} from 'ink';
import {expandTabs} from '../model/describe-template.js';
import {revisionDetails, type RevisionRow} from '../model/history.js';
import {templateDiff} from '../model/template-diff.js';
import type {Deployment, ReplicaSet} from '../model/types.js';
import {PaneTitle} from './PaneTitle.js';
import {useTheme} from './theme.js';

// One line of the view; removed and added lines of a diff are coloured (and keep their -/+ without colour).
export type ViewLine = {text: string; tone?: 'add' | 'remove' | 'dim'};

// The title and lines for a revision: 'template' or 'diff' (against the deployment's current template).
export function revisionView(
	view: 'template' | 'diff',
	deployment: Deployment,
	replicaSets: readonly ReplicaSet[],
	rows: readonly RevisionRow[],
	revision: number,
): {title: string; lines: ViewLine[]} {
	const name = deployment.metadata?.name ?? '';
	const row = rows.find((r) => r.revision === revision);
	if (view === 'template') {
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

// The last line a view of `count` lines can scroll to in `height` rows (one is the title).
export function templateViewMaxScroll(count: number, height: number): number {
	return Math.max(0, count - Math.max(1, height - 1));
}

export type TemplateViewProps = {
	width: number;
	height: number;
	title: string;
	lines: readonly ViewLine[];
	// First line shown.
	scroll: number;
};

const TONE_COLOR = {add: 'green', remove: 'red'} as const;

// The view: a title with the shown range, then the lines that fit.
export function TemplateView({width, height, title, lines, scroll}: TemplateViewProps) {
	const theme = useTheme();
	const body = Math.max(1, height - 1);
	const start = Math.min(scroll, templateViewMaxScroll(lines.length, height));
	const visible = lines.slice(start, start + body);
	const range = lines.length > body ? `lines ${start + 1}-${start + visible.length} of ${lines.length}` : undefined;
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<PaneTitle title={title} detail={range} width={width} focused />
			{visible.map((line, i) => (
				<Text
					key={start + i}
					wrap="truncate-end"
					color={theme.color && line.tone && line.tone !== 'dim' ? TONE_COLOR[line.tone] : undefined}
					dimColor={theme.color && line.tone === 'dim'}
				>
					{line.text === '' ? ' ' : line.text}
				</Text>
			))}
		</Box>
	);
}
