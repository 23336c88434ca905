// The rollout's timeline as data: ready pods per revision over time (step functions), the moments that explain
// them (ScalingReplicaSet events, pause and resume, the rollout completing or exceeding its deadline), and the
// probe's story on the same axis (failures, episodes with the pods they are blamed on, latency p99 per interval).
// Pure functions: the `t` view, the SVG (`T`) and `status --json` all draw from timelineData(); only the recording
// (state/timeline-recorder.ts) watches time pass.

// One ReplicaSet's ready count over time: a step function, each point holding until the next.
export type ReadySeries = {
	replicaSet: string;
	revision: number;
	image?: string;
	points: readonly {at: number; ready: number}[];
};

export type MarkerKind = 'scaled' | 'paused' | 'resumed' | 'complete' | 'deadline' | 'started';

// A moment on the axis.
export type Marker = {at: number; kind: MarkerKind; text: string};

// One probe as the timeline keeps it.
export type ProbeSample = {at: number; ok: boolean; latencyMs: number; error?: string};

// A failure episode as the verdict tells it (probe/stats.ts formatOutage), with the pods it is blamed on.
export type Episode = {from: number; to: number; kind: 'outage' | 'drops'; failed: number; probes: number; text: string; blame?: string};

// What was recorded, as the timeline is drawn from it.
export type TimelineInput = {
	deployment: string;
	series: readonly ReadySeries[];
	markers: readonly Marker[];
	probes: readonly ProbeSample[];
	episodes: readonly Episode[];
	// The rollouts seen (the newest last): where the window starts.
	rollouts: readonly {revision?: number; from: number; to?: number}[];
	// When recording began, and now.
	since: number;
	now: number;
};

// One column of the probe lane: the probes in an interval, how many failed, their p99 latency.
export type ProbeInterval = {from: number; to: number; probes: number; failed: number; p99?: number};

// The timeline of a window.
export type Timeline = {
	deployment: string;
	from: number;
	to: number;
	// Newest revision first, as the pods pane lists them; `current` is the deployment's newest.
	revisions: readonly {revision: number; replicaSet: string; image?: string; current: boolean}[];
	series: readonly ReadySeries[];
	markers: readonly Marker[];
	failures: readonly ProbeSample[];
	episodes: readonly Episode[];
	intervals: readonly ProbeInterval[];
	// The largest number of ready pods at once (all revisions), for the scale.
	maxReady: number;
};

// How many of the last rollouts the window covers.
export const ROLLOUTS_SHOWN = 3;
// Room kept before the first rollout and after the end.
export const PAD_MS = 2000;

// The ready count of a step function at a time (0 before its first point).
export function readyAt(points: readonly {at: number; ready: number}[], at: number): number {
	let lo = 0;
	let hi = points.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if ((points[mid] as {at: number}).at <= at) lo = mid + 1;
		else hi = mid;
	}
	return lo === 0 ? 0 : (points[lo - 1] as {ready: number}).ready;
}

// The highest count in [from, to) of a step function.
export function readyMax(points: readonly {at: number; ready: number}[], from: number, to: number): number {
	let max = readyAt(points, from);
	for (const p of points) if (p.at >= from && p.at < to) max = Math.max(max, p.ready);
	return max;
}

// The nearest-rank p99 of the values.
function p99(values: number[]): number | undefined {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)];
}

// The probe's intervals: `count` equal slices of [from, to).
export function probeIntervals(probes: readonly ProbeSample[], from: number, to: number, count: number): ProbeInterval[] {
	const n = Math.max(1, count);
	const width = (to - from) / n;
	const buckets = Array.from({length: n}, (_, i) => ({
		from: from + i * width,
		to: from + (i + 1) * width,
		probes: 0,
		failed: 0,
		latencies: [] as number[],
	}));
	for (const p of probes) {
		if (p.at < from || p.at >= to) continue;
		const b = buckets[Math.min(n - 1, Math.floor((p.at - from) / width))] as (typeof buckets)[number];
		b.probes++;
		if (p.ok) b.latencies.push(p.latencyMs);
		else b.failed++;
	}
	return buckets.map((b) => ({from: b.from, to: b.to, probes: b.probes, failed: b.failed, p99: p99(b.latencies)}));
}

// The window: from shortly before the oldest of the last few rollouts (or the recording's start) to now.
export function timelineWindow(input: TimelineInput, rollouts = ROLLOUTS_SHOWN): {from: number; to: number} {
	const shown = input.rollouts.slice(-rollouts);
	const first = shown[0]?.from ?? input.since;
	const from = Math.max(input.since, first - PAD_MS);
	const to = Math.max(from + 1000, input.now);
	return {from, to};
}

// The timeline of the recording, over its window; `intervals` probe columns (the screen asks for its width).
export function timelineData(input: TimelineInput, intervals = 60): Timeline {
	const {from, to} = timelineWindow(input);
	const series = input.series
		.filter((s) => s.points.some((p) => p.at < to) && (readyMax(s.points, from, to) > 0 || s.points.some((p) => p.at >= from && p.at < to)))
		.sort((a, b) => b.revision - a.revision);
	const newest = series.reduce((m, s) => Math.max(m, s.revision), 0);
	let maxReady = 0;
	// The stacked total's peak: checked at every step of every series in the window.
	const steps = new Set<number>([from]);
	for (const s of series) for (const p of s.points) if (p.at >= from && p.at < to) steps.add(p.at);
	for (const at of steps)
		maxReady = Math.max(
			maxReady,
			series.reduce((sum, s) => sum + readyAt(s.points, at), 0),
		);
	return {
		deployment: input.deployment,
		from,
		to,
		revisions: series.map((s) => ({revision: s.revision, replicaSet: s.replicaSet, image: s.image, current: s.revision === newest})),
		series,
		markers: input.markers.filter((m) => m.at >= from && m.at <= to),
		failures: input.probes.filter((p) => !p.ok && p.at >= from && p.at <= to),
		episodes: input.episodes.filter((e) => e.to >= from && e.from <= to),
		intervals: probeIntervals(input.probes, from, to, intervals),
		maxReady,
	};
}

const iso = (ms: number) => new Date(ms).toISOString();

// A step function within [from, to]: its value at `from`, then each change inside.
export function readyPointsIn(points: readonly {at: number; ready: number}[], from: number, to: number): {at: number; ready: number}[] {
	const out = [{at: from, ready: readyAt(points, from)}];
	for (const p of points) if (p.at > from && p.at <= to) out.push(p);
	return out;
}

// The timeline as JSON (`status --json`): times in RFC 3339 with milliseconds, counts as numbers.
export function timelineJson(t: Timeline): unknown {
	return {
		deployment: t.deployment,
		from: iso(t.from),
		to: iso(t.to),
		revisions: t.revisions.map((r) => ({
			revision: r.revision,
			replicaSet: r.replicaSet,
			image: r.image,
			current: r.current,
			ready: readyPointsIn(t.series.find((s) => s.revision === r.revision)?.points ?? [], t.from, t.to).map((p) => ({
				at: iso(p.at),
				ready: p.ready,
			})),
		})),
		markers: t.markers.map((m) => ({at: iso(m.at), kind: m.kind, text: m.text})),
		probe: {
			failures: t.failures.map((f) => ({at: iso(f.at), reason: f.error ?? 'failed'})),
			episodes: t.episodes.map((e) => ({
				from: iso(e.from),
				to: iso(e.to),
				kind: e.kind,
				failed: e.failed,
				probes: e.probes,
				text: e.text,
				...(e.blame ? {blame: e.blame} : {}),
			})),
			intervals: t.intervals.map((i) => ({
				from: iso(i.from),
				to: iso(i.to),
				probes: i.probes,
				failed: i.failed,
				...(i.p99 === undefined ? {} : {p99Ms: Math.round(i.p99 * 10) / 10}),
			})),
		},
	};
}
