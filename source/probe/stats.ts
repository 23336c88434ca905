// What the probe results mean to a person watching a rollout: latency percentiles and a sparkline, the outages
// (runs of failed probes) with their reasons and times, and one verdict line per rollout window
// ("revision 5 rollout: 0 failed of 412 probes, max 38 ms, served by nginx/1.18.0 -> nginx/1.20.1").
// Pure functions over ProbeResult; no I/O, no timers.
import type {Expectation} from '../model/graceful.js';
import {episodeKind, formatBlame, type Blame, type EpisodeKind} from './blame.js';
import type {ProbeErrorReason, ProbeResult} from './prober.js';

// The nearest-rank percentile (p in 0..100) of the values, or undefined when there are none.
export function percentile(values: readonly number[], p: number): number | undefined {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
	return sorted[Math.max(0, rank - 1)];
}

const BARS = '▁▂▃▄▅▆▇█';
// The mark a failed probe leaves in the sparkline, so an outage is visible in the same line as latencies.
export const FAILURE_MARK = '×';

// The same eight levels and failure mark for terminals without Unicode block characters.
export const ASCII_SPARK = {bars: '_.,-=+*#', fail: 'x'};

// A one-line latency chart of the last `width` values, scaled from 0 to the largest; undefined marks a failure.
export function sparkline(
	values: ReadonlyArray<number | undefined>,
	width = values.length,
	glyphs = {bars: BARS, fail: FAILURE_MARK},
): string {
	const shown = width <= 0 ? [] : values.slice(-width);
	const max = Math.max(0, ...shown.filter((v): v is number => v !== undefined));
	const levels = [...glyphs.bars];
	return shown
		.map((v) => {
			if (v === undefined) return glyphs.fail;
			if (max <= 0) return levels[0];
			const i = Math.min(levels.length - 1, Math.floor((v / max) * (levels.length - 1) + 0.5));
			return levels[i];
		})
		.join('');
}

// Failure reasons in a fixed order, so tallies read the same way every time.
export const REASONS: readonly ProbeErrorReason[] = ['refused', 'reset', 'timeout', '5xx', 'other'];

// Failures less than this far apart are one episode: when some requests fail and others succeed (a dying
// pod still in the endpoints of a rolling update), that is one trouble spot, not a dozen one-probe outages.
export const EPISODE_GAP_MS = 1000;

// An episode of failed probes: from the first failure's start to the start of the first success after the
// last failure (`open` while none has followed; then `to` is the last failure's end). `probes` counts every
// probe from the first failure to the last; when all of them failed it is an outage, else partial drops.
export type Outage = {
	from: number;
	to: number;
	failed: number;
	probes: number;
	byReason: Partial<Record<ProbeErrorReason, number>>;
	open: boolean;
	/** Start of the last failure, and answers since it (they join `probes` if another failure follows). */
	lastFailureAt: number;
	okSinceFailure: number;
	/** The pods that were stopping or starting meanwhile (probe/blame.ts), when the pods were watched. */
	blame?: Blame;
};

// The running tally of a set of probes (a rollout window, or the whole headless run).
export type Tally = {
	probes: number;
	failed: number;
	byReason: Partial<Record<ProbeErrorReason, number>>;
	maxLatencyMs: number;
	/**
	 * Distinct versions that answered, in order of their last answer: "nginx/1.18.0 -> nginx/1.20.1". During a
	 * rolling update both answer in turn, so whichever happened to answer first says nothing; the one that
	 * answered last is where the rollout went.
	 */
	servedBy: string[];
	outages: Outage[];
};

// An empty tally.
export function emptyTally(): Tally {
	return {probes: 0, failed: 0, byReason: {}, maxLatencyMs: 0, servedBy: [], outages: []};
}

// The tally with one more probe; results are expected in (roughly) start order, as the prober reports them.
export function addToTally(t: Tally, r: ProbeResult): Tally {
	const next: Tally = {
		probes: t.probes + 1,
		failed: t.failed,
		byReason: t.byReason,
		maxLatencyMs: r.ok ? Math.max(t.maxLatencyMs, r.latencyMs) : t.maxLatencyMs,
		servedBy: t.servedBy,
		outages: t.outages,
	};
	if (r.servedBy !== undefined && r.ok && t.servedBy[t.servedBy.length - 1] !== r.servedBy) {
		next.servedBy = [...t.servedBy.filter((v) => v !== r.servedBy), r.servedBy];
	}
	const last = t.outages[t.outages.length - 1];
	if (r.ok) {
		if (last?.open) {
			next.outages = [...t.outages.slice(0, -1), {...last, open: false, to: Math.max(last.to, r.at), okSinceFailure: 1}];
		} else if (last && r.at - last.lastFailureAt <= EPISODE_GAP_MS) {
			next.outages = [...t.outages.slice(0, -1), {...last, okSinceFailure: last.okSinceFailure + 1}];
		}
		return next;
	}
	const reason = r.error ?? 'other';
	next.failed = t.failed + 1;
	next.byReason = {...t.byReason, [reason]: (t.byReason[reason] ?? 0) + 1};
	const end = r.at + r.latencyMs;
	if (last && (last.open || r.at - last.lastFailureAt <= EPISODE_GAP_MS)) {
		next.outages = [
			...t.outages.slice(0, -1),
			{
				from: Math.min(last.from, r.at),
				to: Math.max(last.to, end),
				failed: last.failed + 1,
				probes: last.probes + last.okSinceFailure + 1,
				byReason: {...last.byReason, [reason]: (last.byReason[reason] ?? 0) + 1},
				open: true,
				lastFailureAt: Math.max(last.lastFailureAt, r.at),
				okSinceFailure: 0,
			},
		];
	} else {
		next.outages = [
			...t.outages,
			{from: r.at, to: end, failed: 1, probes: 1, byReason: {[reason]: 1}, open: true, lastFailureAt: r.at, okSinceFailure: 0},
		];
	}
	return next;
}

// The tally of a list of results.
export function tallyOf(results: readonly ProbeResult[]): Tally {
	return results.reduce(addToTally, emptyTally());
}

// "1.2 s" from one second up, "350 ms" below it: the precision a person reads an outage with.
export function formatDuration(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
	return `${Math.round(ms / 1000)} s`;
}

// Latency as shown next to a probe: whole milliseconds, or one decimal under 10 ms.
export function formatLatency(ms: number): string {
	return ms < 10 ? `${Math.round(ms * 10) / 10} ms` : `${Math.round(ms)} ms`;
}

// Local wall-clock time, HH:MM:SS, as the article's `watch` would show it.
export function formatClock(at: number): string {
	const d = new Date(at);
	const p = (n: number) => String(n).padStart(2, '0');
	return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

// HH:MM:SS.mmm, local time: probes are 200 ms apart, so seconds alone would repeat.
export function formatProbeTime(at: number): string {
	const d = new Date(at);
	const p = (n: number, w = 2) => String(n).padStart(w, '0');
	return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

// "refused 2, reset 1": the reasons of a set of failures, most common first.
export function formatReasons(byReason: Partial<Record<ProbeErrorReason, number>>): string {
	return REASONS.filter((r) => (byReason[r] ?? 0) > 0)
		.sort((a, b) => (byReason[b] ?? 0) - (byReason[a] ?? 0) || REASONS.indexOf(a) - REASONS.indexOf(b))
		.map((r) => `${r} ${byReason[r]}`)
		.join(', ');
}

// "outage 1.2 s from 12:00:01: 6 failed (refused 6)" — how long the service did not answer, and why; or
// "drops for 700 ms from 12:00:01: 5 of 19 probes failed (reset 5)" when some answers got through meanwhile.
// With the pods to blame: "... (reset 3) while nginx-84b4-xq5tc was terminating (no preStop)".
export function formatOutage(o: Outage): string {
	const tail = o.open ? ', still failing' : '';
	const reasons = formatReasons(o.byReason);
	const blame = formatBlame(o.blame);
	const why = blame ? ` ${blame}` : '';
	if (o.failed === o.probes)
		return `outage ${formatDuration(o.to - o.from)} from ${formatClock(o.from)}: ${o.failed} failed (${reasons})${why}${tail}`;
	return `drops for ${formatDuration(o.to - o.from)} from ${formatClock(o.from)}: ${o.failed} of ${o.probes} probes failed (${reasons})${why}${tail}`;
}

// "served by nginx/1.18.0 -> nginx/1.20.1", or "no version seen" when no answer named one.
export function formatServedBy(servedBy: readonly string[]): string {
	return servedBy.length === 0 ? 'no version seen' : `served by ${servedBy.join(' -> ')}`;
}

// A closed rollout window and its tally: the verdict on whether the rollout was graceful.
export type Verdict = Tally & {
	revision?: string;
	openedAt: number;
	closedAt: number;
	/** How the window ended when not by `rollout status` saying done. */
	note?: 'superseded' | 'joined late';
};

// "revision 5 rollout: 0 failed of 412 probes, max 38 ms, served by nginx/1.18.0 -> nginx/1.20.1".
export function formatVerdict(v: Verdict): string {
	const name = v.revision === undefined ? 'rollout' : `revision ${v.revision} rollout`;
	const note = v.note === undefined ? '' : ` (${v.note})`;
	const reasons = v.failed > 0 ? ` (${formatReasons(v.byReason)})` : '';
	const max = v.probes - v.failed > 0 ? `, max ${formatLatency(v.maxLatencyMs)}` : '';
	return `${name}${note}: ${v.failed} failed of ${v.probes} probe${v.probes === 1 ? '' : 's'}${reasons}${max}, ${formatServedBy(v.servedBy)}`;
}

// The evidence beside a graceful finding's prediction (model/graceful.ts PREDICTIONS): the failures of the kind it
// predicts in the last rollout the probe watched ("3 failed in revision 4"), or none of them. A restart or a
// drain is no rollout's episode, so for those only the rollout's total is given; less capacity shows as latency.
export function observedFor(expect: Expectation | undefined, v: Verdict | undefined): string {
	if (!v) return 'no rollout probed yet';
	const rollout = v.revision === undefined ? 'the last rollout' : `revision ${v.revision}`;
	if (expect === 'less-capacity') return `max ${formatLatency(v.maxLatencyMs)} in ${rollout}`;
	const kind: EpisodeKind | undefined =
		expect === 'outage' || expect === 'scale-down-drops' || expect === 'scale-up-drops' ? expect : undefined;
	if (kind === undefined) return `${v.failed} failed in ${rollout} (a rollout does not show this)`;
	const failed = v.outages.filter((o) => episodeKind(o) === kind).reduce((sum, o) => sum + o.failed, 0);
	return failed > 0 ? `${failed} failed in ${rollout}` : `none in ${rollout} (${v.failed} failed of ${v.probes} probes)`;
}

// The summary of a whole run, for the headless command and the panel header.
export type Summary = Tally & {p50?: number; p99?: number};

// Tally plus p50/p99 of the answered probes' latencies.
export function summarize(results: readonly ProbeResult[]): Summary {
	const latencies = results.filter((r) => r.ok).map((r) => r.latencyMs);
	return {...tallyOf(results), p50: percentile(latencies, 50), p99: percentile(latencies, 99)};
}

// A rollout window being tallied. revisionKnown: the controller has written this rollout's revision (false
// right after a bare spec change). settlingSince: when rollout status said done; see settleMs.
export type OpenWindow = Tally & {
	revision?: string;
	openedAt: number;
	joinedLate: boolean;
	revisionKnown: boolean;
	settlingSince?: number;
};

// The state of the rollout windows: at most one open, and the verdicts of the finished ones, oldest first.
export type WindowState = {
	/** After rollout status says done, the window stays open this long: kube-proxy and load balancers may
	 * still send traffic to the pods that just stopped, and those drops belong to this rollout. */
	settleMs: number;
	lastRevision?: string;
	lastGeneration?: number;
	open?: OpenWindow;
	verdicts: Verdict[];
};

// What the windows need to know of the deployment: its revision, generation and whether rollout status says done.
export type RolloutObservation = {
	/** The deployment.kubernetes.io/revision annotation. */
	revision?: string;
	generation?: number;
	/** True when `kubectl rollout status` would say "successfully rolled out". */
	done: boolean;
	at: number;
};

// How many verdicts are kept; older ones scroll away.
export const MAX_VERDICTS = 50;

// No windows yet.
export function initialWindows(options: {settleMs?: number} = {}): WindowState {
	return {settleMs: Math.max(0, options.settleMs ?? 0), verdicts: []};
}

// The tally part of a window or verdict.
function tallyPart(t: Tally): Tally {
	return {probes: t.probes, failed: t.failed, byReason: t.byReason, maxLatencyMs: t.maxLatencyMs, servedBy: t.servedBy, outages: t.outages};
}

function closeWindow(s: WindowState, at: number, note?: Verdict['note']): WindowState {
	if (!s.open) return s;
	const o = s.open;
	const verdict: Verdict = {...tallyPart(o), revision: o.revision, openedAt: o.openedAt, closedAt: at};
	const n = note ?? (o.joinedLate ? 'joined late' : undefined);
	if (n !== undefined) verdict.note = n;
	return {...s, open: undefined, verdicts: [...s.verdicts, verdict].slice(-MAX_VERDICTS)};
}

function openWindow(s: WindowState, o: RolloutObservation, joinedLate: boolean, revisionKnown: boolean): WindowState {
	return {...s, open: {...emptyTally(), revision: o.revision, openedAt: o.at, joinedLate, revisionKnown}};
}

// Closes a window whose settling time is over by `now`; its verdict ends when settling ended.
export function settleWindows(s: WindowState, now: number): WindowState {
	const since = s.open?.settlingSince;
	if (since === undefined || now < since + s.settleMs) return s;
	return closeWindow(s, since + s.settleMs);
}

// Feeds one observation of the deployment: a window opens when a rollout starts (a new revision, or a new
// generation that is not yet rolled out) and closes, leaving a verdict, settleMs after rollout status says done.
export function observeRollout(s: WindowState, o: RolloutObservation): WindowState {
	const first = s.lastRevision === undefined && s.lastGeneration === undefined;
	const revisionChanged = !first && o.revision !== undefined && o.revision !== s.lastRevision;
	const generationChanged = !first && o.generation !== undefined && s.lastGeneration !== undefined && o.generation > s.lastGeneration;
	let next: WindowState = settleWindows(
		{...s, lastRevision: o.revision ?? s.lastRevision, lastGeneration: o.generation ?? s.lastGeneration},
		o.at,
	);
	if (next.open) {
		if (revisionChanged && next.open.settlingSince !== undefined) {
			// The last rollout had finished and was settling: it ends here, and the new one begins.
			next = openWindow(closeWindow(next, o.at), o, false, true);
		} else if (revisionChanged && next.open.revisionKnown) {
			// A second rollout started before the first finished: the first never finished on its own.
			next = openWindow(closeWindow(next, o.at, 'superseded'), o, false, true);
		} else if (revisionChanged) {
			// The controller writes the new revision a moment after the spec change that opened the window.
			next = {...next, open: {...next.open, revision: o.revision, revisionKnown: true}};
		}
	} else if (first) {
		// Revision 1 is the deployment being created: nothing served before it, so there is nothing to drop.
		if (!o.done && o.revision !== '1') next = openWindow(next, o, true, true);
	} else if (revisionChanged || (generationChanged && !o.done)) {
		next = openWindow(next, o, false, revisionChanged);
	}
	if (next.open) {
		if (!o.done && next.open.settlingSince !== undefined) {
			// Not done after all (scaled, paused, a pod lost): keep tallying as part of the rollout.
			const {settlingSince: _gone, ...rest} = next.open;
			next = {...next, open: rest};
		} else if (o.done && next.open.settlingSince === undefined) {
			next = next.settleMs === 0 ? closeWindow(next, o.at) : {...next, open: {...next.open, settlingSince: o.at}};
		}
	}
	return next;
}

// Adds a probe to the open window; a late result (one that started inside a window that has since closed,
// such as a probe still waiting for its timeout) updates that window's verdict instead.
export function addProbeToWindows(s: WindowState, r: ProbeResult): WindowState {
	s = settleWindows(s, r.at);
	if (s.open && r.at >= s.open.openedAt) {
		return {...s, open: {...s.open, ...addToTally(tallyPart(s.open), r)}};
	}
	for (let i = s.verdicts.length - 1; i >= 0; i--) {
		const v = s.verdicts[i];
		if (r.at >= v.openedAt && r.at <= v.closedAt) {
			const updated: Verdict = {...v, ...addToTally(tallyPart(v), r)};
			return {...s, verdicts: [...s.verdicts.slice(0, i), updated, ...s.verdicts.slice(i + 1)]};
		}
		if (r.at > v.closedAt) break;
	}
	return s;
}
