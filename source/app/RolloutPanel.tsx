// The rollout at a glance: a bar for the new ReplicaSet (updated, ready, available against desired),
// one line per old ReplicaSet still draining, and the sentence `kubectl rollout status` would print.

import {Box, Text} from 'ink';
import type {ReplicaSetSummary, RolloutProgress} from '../model/rollout-progress.js';
import {PaneTitle} from './PaneTitle.js';
import {glyphs, useTheme, type Theme} from './theme.js';

// What the sentence means, for its colour.
export type RolloutTone = 'progress' | 'done' | 'error';

export type RolloutPanelProps = {
	width: number;
	// Lines available; old ReplicaSets beyond it are summarised in one line.
	height: number;
	deploymentName: string;
	progress: RolloutProgress;
	// kubectl rollout status' sentence (without the trailing newline).
	sentence: string;
	tone: RolloutTone;
	paused?: boolean;
};

// Old ReplicaSets worth a line: those with pods or asked for pods, and always the latest old revision
// (what an undo would go back to), so the drain to 0 stays visible.
export function drainingReplicaSets(progress: RolloutProgress): ReplicaSetSummary[] {
	return progress.oldReplicaSets.filter((rs, i) => i === 0 || rs.current > 0 || rs.desired > 0);
}

// Lines the panel needs at this width: title, new ReplicaSet, old ones, and the sentence (wrapped).
export function rolloutPanelHeight(progress: RolloutProgress, sentence: string, width: number, maxOld = Infinity): number {
	const old = Math.min(drainingReplicaSets(progress).length, maxOld);
	return 2 + old + sentenceLines(sentence, width);
}

function sentenceLines(sentence: string, width: number): number {
	const room = Math.max(10, width - 2);
	return Math.min(2, Math.max(1, Math.ceil(sentence.length / room)));
}

// A bar of `width` cells out of `of`: solid for available pods, then ready, then created, then empty.
export function stackedBar(
	theme: Theme,
	width: number,
	of: number,
	a: number,
	b: number,
	c: number,
): {full: string; part: string; light: string; empty: string} {
	const bar = glyphs(theme).bar;
	const cells = (n: number) => (of <= 0 ? 0 : Math.round((Math.max(0, Math.min(n, of)) / of) * width));
	const na = cells(a);
	const nb = Math.max(na, cells(b));
	const nc = Math.max(nb, cells(c));
	return {
		full: bar.available.repeat(na),
		part: bar.ready.repeat(nb - na),
		light: bar.created.repeat(nc - nb),
		empty: bar.empty.repeat(Math.max(0, width - nc)),
	};
}

function images(rs: ReplicaSetSummary | undefined): string {
	return rs ? rs.images.join(',') : '';
}

const TONE_COLOR: Record<RolloutTone, string> = {progress: 'yellow', done: 'green', error: 'red'};

// The panel.
export function RolloutPanel({width, height, deploymentName, progress, sentence, tone, paused}: RolloutPanelProps) {
	const theme = useTheme();
	const g = glyphs(theme);
	const c = (color: string) => (theme.color ? color : undefined);
	const nrs = progress.newReplicaSet;
	const desired = progress.desired;
	const lines = sentenceLines(sentence, width);
	const room = Math.max(0, height - 2 - lines);
	const draining = drainingReplicaSets(progress);
	const shown = draining.length > room ? draining.slice(0, Math.max(0, room - 1)) : draining;
	const hidden = draining.length - shown.length;
	const counts = `${progress.updated}/${desired} updated  ${progress.ready}/${desired} ready  ${progress.available}/${desired} available`;
	// "  new rev 12 ": the widest revision number sets where the bars start.
	const labelWidth = 11 + String(Math.max(nrs?.revision ?? 0, ...draining.map((r) => r.revision))).length;
	const barWidth = Math.max(8, Math.min(40, width - labelWidth - counts.length - 4));
	// The new bar: available, then ready, then created (updated), out of desired.
	const bar = stackedBar(theme, barWidth, desired, progress.available, progress.ready, progress.updated);
	const title = `${deploymentName}${nrs ? ` rev ${nrs.revision} ${images(nrs)}` : ''}${paused ? ' (paused)' : ''}`;
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<PaneTitle title="Rollout" detail={title} width={width} />
			<Text wrap="truncate-end">
				<Text color={c('green')} bold={theme.color}>
					{`  new rev ${nrs?.revision ?? '?'}`.padEnd(labelWidth)}
				</Text>
				<Text color={c('green')}>{bar.full}</Text>
				<Text color={c('green')}>{bar.part}</Text>
				<Text color={c('yellow')}>{bar.light}</Text>
				<Text dimColor={theme.color}>{bar.empty}</Text>
				<Text>{`  ${counts}`}</Text>
			</Text>
			{shown.map((rs) => {
				const old = stackedBar(theme, barWidth, desired, rs.current, rs.current, rs.current);
				const left = rs.desired < rs.current ? `${rs.current} ${g.arrow} ${rs.desired}` : `${rs.current}`;
				return (
					<Text key={rs.name} wrap="truncate-end">
						<Text color={c('yellow')}>{`  old rev ${rs.revision}`.padEnd(labelWidth)}</Text>
						<Text color={c('yellow')}>{old.full}</Text>
						<Text dimColor={theme.color}>{old.empty}</Text>
						<Text>{`  ${left} old  ${images(rs)}  ${rs.name}`}</Text>
					</Text>
				);
			})}
			{hidden > 0 ? <Text dimColor={theme.color} wrap="truncate-end">{`  +${hidden} more old ReplicaSets with pods`}</Text> : null}
			<Box width={width} height={lines} paddingLeft={2}>
				<Text color={c(TONE_COLOR[tone])} wrap="wrap">
					{sentence}
				</Text>
			</Box>
		</Box>
	);
}
