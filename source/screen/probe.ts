// The probe panel's renderer, "was it graceful?" while it happens: the last answer of the Service, a latency
// sparkline with p50/p99, which version answered, the recent failures with their reasons, and one verdict line
// per finished rollout; what fits in the rows the layout gives it, the answer (verdicts) first.
import type {ProbeResult} from '../probe/prober.js';
import type {ProbeSnapshot} from '../probe/session.js';
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
import type {Theme} from '../state/ui.js';
import {probePanelHeight, wrappedRows} from './layout.js';
import {line, titleLine, type Line, type Pane} from './lines.js';

// "200 2.1 ms nginx/1.20.1" or "refused 0.3 ms": the last probe in a few words.
function lastAnswer(r: ProbeResult): string {
	const what = r.ok ? String(r.status) : r.status !== undefined ? `${r.status} ${r.error}` : (r.error ?? 'failed');
	return `${what}  ${formatLatency(r.latencyMs)}${r.servedBy ? `  ${r.servedBy}` : ''}`;
}

function failureLine(r: ProbeResult): string {
	const status = r.status !== undefined ? ` ${r.status}` : '';
	return `${formatProbeTime(r.at)}  ${r.error ?? 'other'}${status}  ${r.detail ?? ''}`.trimEnd();
}

// Rows a line takes at this inner width.
function rowsOf(l: Line, inner: number): number {
	return l.wrap ? wrappedRows(l.segments[0].text, inner) : 1;
}

// The lines, in order, that fit in `room` rows.
function fit(lines: Line[], room: number, inner: number): Line[] {
	const out: Line[] = [];
	let used = 0;
	for (const l of lines) {
		const n = rowsOf(l, inner);
		if (used + n > room) break;
		out.push(l);
		used += n;
	}
	return out;
}

// Rows the panel wants for this snapshot at this width (the layout may give it fewer).
export function probeWanted(probe: ProbeSnapshot, width: number): number {
	return probePanelHeight(
		{
			probing: probe.phase === 'probing',
			open: probe.open !== undefined,
			failures: probe.failures.length,
			verdicts: probe.verdicts.map((v) => ({text: formatVerdict(v), outages: v.outages.length})),
		},
		width,
	);
}

// The panel in `height` rows, title included.
export function probePane(o: {theme: Theme; probe: ProbeSnapshot; width: number; height: number}): Pane {
	const {theme, probe, width, height} = o;
	const inner = Math.max(10, width - 2);
	const pad = {indent: 1};
	const lines: Line[] = [];
	let spark: Line | undefined;
	if (probe.phase === 'off') {
		lines.push(line('off', 'not probing: pass --probe URL, or select a deployment with a NodePort Service', {dim: true}, pad));
	} else if (probe.phase === 'unreachable') {
		lines.push(line('unreachable', probe.message ?? 'nothing to probe', {color: 'yellow'}, pad));
	} else {
		const last = probe.last;
		const head = last ? lastAnswer(last) : 'waiting for the first answer';
		const pct = `p50 ${probe.p50 === undefined ? '-' : formatLatency(probe.p50)}  p99 ${probe.p99 === undefined ? '-' : formatLatency(probe.p99)}`;
		const counts = `${probe.probes} probes, ${probe.failed} failed`;
		lines.push(line('last', `last ${head}    ${pct}    ${counts}`, {color: last ? (last.ok ? 'green' : 'red') : undefined}, pad));
		const bars = sparkline(
			probe.recent.map((r) => (r.ok ? r.latencyMs : undefined)),
			inner,
			theme.unicode ? undefined : ASCII_SPARK,
		);
		spark = line('spark', bars, {color: probe.recent.some((r) => !r.ok) ? 'yellow' : 'cyan'}, pad);
		if (probe.open) {
			const w = probe.open;
			const name = w.revision === undefined ? 'rollout' : `revision ${w.revision} rollout`;
			const failed = w.failed > 0 ? ` (${formatReasons(w.byReason)})` : '';
			const text = `${name} ${w.settlingSince === undefined ? 'in progress' : 'done, settling'}: ${w.failed} failed of ${w.probes} probe${w.probes === 1 ? '' : 's'}${failed}, ${formatServedBy(w.servedBy)}`;
			lines.push(line('open', text, {color: w.failed > 0 ? 'red' : 'yellow', bold: true}, pad));
		}
	}
	const verdictLines: Line[] = [];
	for (const v of [...probe.verdicts].reverse()) {
		verdictLines.push(line(`v${v.openedAt}`, formatVerdict(v), {color: v.failed > 0 ? 'red' : 'green', bold: true}, {...pad, wrap: true}));
		for (const [i, w] of v.outages.entries()) verdictLines.push(line(`v${v.openedAt}o${i}`, `  ${formatOutage(w)}`, {color: 'red'}, pad));
	}
	const failureLines = probe.failures.map((r) =>
		line(`f${r.seq}`, `${theme.unicode ? '✗' : 'x'} ${failureLine(r)}`, {color: 'red', dim: true}, pad),
	);
	// A short panel (80x24) gives the sparkline's row to the newest verdict when that lets it show:
	// the verdict is the answer, the sparkline only the texture.
	if (spark) {
		const left = Math.max(0, height - 1) - lines.length;
		const newestRows = verdictLines.length > 0 ? rowsOf(verdictLines[0], inner) : 0;
		if (left >= 1 && !(newestRows > left - 1 && newestRows <= left)) lines.splice(1, 0, spark);
	}
	const room = Math.max(0, height - 1 - lines.length);
	// Verdicts first (they are the answer); the recent failures get what is left, but at least a third.
	const verdictRows = verdictLines.reduce((n, l) => n + rowsOf(l, inner), 0);
	const newestRows = verdictLines.length > 0 ? rowsOf(verdictLines[0], inner) : 0;
	const failureRoom = Math.max(
		0,
		Math.min(failureLines.length, Math.max(room - verdictRows, Math.min(Math.ceil(room / 3), room - newestRows))),
	);
	const shownVerdicts = fit(verdictLines, room - failureRoom, inner).map((l) => ({...l, rows: rowsOf(l, inner)}));
	const shownFailures = failureLines.slice(0, Math.max(0, room - shownVerdicts.reduce((n, l) => n + rowsOf(l, inner), 0)));
	const detail = probe.url ? `${probe.url}${probe.message ? `  (${probe.message})` : ''}` : undefined;
	return {
		width,
		height,
		title: titleLine(theme, 'Probe', width, false, detail),
		lines: [...lines.slice(0, Math.max(0, height - 1)), ...shownVerdicts, ...shownFailures],
	};
}
