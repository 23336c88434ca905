// "Was it graceful?" while it happens: the last answer of the Service, a latency sparkline with p50/p99,
// which version answered, the recent failures with their reasons, and one verdict line per finished rollout.

import {Box, Text} from 'ink';
import type {ProbeSnapshot} from '../probe/session.js';
import type {ProbeResult} from '../probe/prober.js';
import {
	ASCII_SPARK,
	formatLatency,
	formatOutage,
	formatProbeTime,
	formatReasons,
	formatServedBy,
	formatVerdict,
	sparkline,
} from '../probe/stats.js';
import {PaneTitle} from './PaneTitle.js';
import {useTheme} from './theme.js';

export type ProbePanelProps = {
	width: number;
	/** Lines available, title included; verdicts and failures beyond it are left out (newest kept). */
	height: number;
	probe: ProbeSnapshot;
	focused?: boolean;
};

// "200 2.1 ms nginx/1.20.1" or "refused 0.3 ms": the last probe in a few words.
function lastAnswer(r: ProbeResult): string {
	const what = r.ok ? String(r.status) : r.status !== undefined ? `${r.status} ${r.error}` : (r.error ?? 'failed');
	return `${what}  ${formatLatency(r.latencyMs)}${r.servedBy ? `  ${r.servedBy}` : ''}`;
}

function failureLine(r: ProbeResult): string {
	const status = r.status !== undefined ? ` ${r.status}` : '';
	return `${formatProbeTime(r.at)}  ${r.error ?? 'other'}${status}  ${r.detail ?? ''}`.trimEnd();
}

// wrap: the line may take several rows (verdicts: the versions at the end matter); others are truncated.
type Line = {key: string; text: string; color?: string; dim?: boolean; bold?: boolean; wrap?: boolean};

// Rows a line takes at this inner width.
function rows(l: Line, inner: number): number {
	return l.wrap ? Math.max(1, Math.ceil(l.text.length / Math.max(1, inner))) : 1;
}

// The lines, in order, that fit in `room` rows.
function fit(lines: Line[], room: number, inner: number): Line[] {
	const out: Line[] = [];
	let used = 0;
	for (const l of lines) {
		const n = rows(l, inner);
		if (used + n > room) break;
		out.push(l);
		used += n;
	}
	return out;
}

// Rows the panel would like at this width (title, last answer, sparkline, the open window, every verdict
// with its outages, a few failures), at most maxRows; the layout may give it fewer.
export function probePanelHeight(probe: ProbeSnapshot, width: number, maxRows = 10): number {
	if (probe.phase !== 'probing') return 2;
	const inner = Math.max(10, width - 2);
	let n = 3 + (probe.open ? 1 : 0) + Math.min(3, probe.failures.length);
	for (const v of probe.verdicts) n += Math.max(1, Math.ceil(formatVerdict(v).length / inner)) + v.outages.length;
	return Math.min(maxRows, n);
}

// The panel; all data comes from the probe session's snapshot.
export function ProbePanel({width, height, probe, focused = false}: ProbePanelProps) {
	const theme = useTheme();
	const c = (color: string | undefined) => (theme.color ? color : undefined);
	const inner = Math.max(10, width - 2);
	const lines: Line[] = [];
	let spark: Line | undefined;
	if (probe.phase === 'off') {
		lines.push({key: 'off', text: 'not probing: pass --probe URL, or select a deployment with a NodePort Service', dim: true});
	} else if (probe.phase === 'unreachable') {
		lines.push({key: 'unreachable', text: probe.message ?? 'nothing to probe', color: 'yellow'});
	} else {
		const last = probe.last;
		const head = last ? lastAnswer(last) : 'waiting for the first answer';
		const pct = `p50 ${probe.p50 === undefined ? '-' : formatLatency(probe.p50)}  p99 ${probe.p99 === undefined ? '-' : formatLatency(probe.p99)}`;
		const counts = `${probe.probes} probes, ${probe.failed} failed`;
		lines.push({key: 'last', text: `last ${head}    ${pct}    ${counts}`, color: last ? (last.ok ? 'green' : 'red') : undefined});
		const bars = sparkline(
			probe.recent.map((r) => (r.ok ? r.latencyMs : undefined)),
			inner,
			theme.unicode ? undefined : ASCII_SPARK,
		);
		spark = {key: 'spark', text: bars, color: probe.recent.some((r) => !r.ok) ? 'yellow' : 'cyan'};
		if (probe.open) {
			const o = probe.open;
			const name = o.revision === undefined ? 'rollout' : `revision ${o.revision} rollout`;
			const failed = o.failed > 0 ? ` (${formatReasons(o.byReason)})` : '';
			lines.push({
				key: 'open',
				text: `${name} ${o.settlingSince === undefined ? 'in progress' : 'done, settling'}: ${o.failed} failed of ${o.probes} probe${o.probes === 1 ? '' : 's'}${failed}, ${formatServedBy(o.servedBy)}`,
				color: o.failed > 0 ? 'red' : 'yellow',
				bold: true,
			});
		}
	}
	const verdictLines: Line[] = [];
	for (const v of [...probe.verdicts].reverse()) {
		verdictLines.push({key: `v${v.openedAt}`, text: formatVerdict(v), color: v.failed > 0 ? 'red' : 'green', bold: true, wrap: true});
		for (const [i, o] of v.outages.entries()) verdictLines.push({key: `v${v.openedAt}o${i}`, text: `  ${formatOutage(o)}`, color: 'red'});
	}
	const failureLines: Line[] = probe.failures.map((r) => ({
		key: `f${r.seq}`,
		text: `${theme.unicode ? '✗' : 'x'} ${failureLine(r)}`,
		color: 'red',
		dim: true,
	}));
	// A short panel (80x24) gives the sparkline's row to the newest verdict when that lets it show:
	// the verdict is the answer, the sparkline only the texture.
	if (spark) {
		const left = Math.max(0, height - 1) - lines.length;
		const newestRows = verdictLines.length > 0 ? rows(verdictLines[0], inner) : 0;
		if (left >= 1 && !(newestRows > left - 1 && newestRows <= left)) lines.splice(1, 0, spark);
	}
	const room = Math.max(0, height - 1 - lines.length);
	// Verdicts first (they are the answer); the recent failures get what is left, but at least a third.
	const verdictRows = verdictLines.reduce((n, l) => n + rows(l, inner), 0);
	const newestRows = verdictLines.length > 0 ? rows(verdictLines[0], inner) : 0;
	const failureRoom = Math.max(
		0,
		Math.min(failureLines.length, Math.max(room - verdictRows, Math.min(Math.ceil(room / 3), room - newestRows))),
	);
	const shownVerdicts = fit(verdictLines, room - failureRoom, inner);
	const shownFailures = failureLines.slice(0, Math.max(0, room - shownVerdicts.reduce((n, l) => n + rows(l, inner), 0)));
	const title = probe.url ? `${probe.url}${probe.message ? `  (${probe.message})` : ''}` : undefined;
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0} overflow="hidden">
			<PaneTitle title="Probe" detail={title} width={width} focused={focused} />
			{[...lines.slice(0, Math.max(0, height - 1)), ...shownVerdicts, ...shownFailures].map((l) => (
				<Box key={l.key} paddingLeft={1} width={width} flexShrink={0}>
					<Text color={c(l.color)} dimColor={theme.color && l.dim} bold={theme.color && l.bold} wrap={l.wrap ? 'wrap' : 'truncate-end'}>
						{l.text}
					</Text>
				</Box>
			))}
		</Box>
	);
}
