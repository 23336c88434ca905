// Records the selected deployment's rollout as time passes, for the timeline (model/timeline.ts): each of its
// ReplicaSets' ready count when it changes, the deployment's pause, resume, completion and deadline, each
// ScalingReplicaSet event, the rollouts seen, and every probe result. The store calls observe() once per flush; it
// compares identities first, so a flush that changed none of these costs nothing. Everything is bounded.
import {eventTime} from '../model/events.js';
import {deploymentRevision, rolloutStatus} from '../model/rollout-status.js';
import type {Episode, Marker, ProbeSample, ReadySeries, TimelineInput} from '../model/timeline.js';
import type {KubeEvent} from '../model/types.js';
import {formatBlame} from '../probe/blame.js';
import {formatOutage, type Outage} from '../probe/stats.js';
import type {ProbeSnapshot} from '../probe/session.js';
import {selectDeployment, selectReplicaSets} from './selectors.js';
import type {CockpitState} from './store.js';

// Bounds: points per ReplicaSet, markers, probe samples (an hour at 5 a second), rollouts.
export const MAX_POINTS = 5000;
export const MAX_MARKERS = 500;
export const MAX_PROBES = 18_000;
export const MAX_ROLLOUTS = 20;

// What the state carries: the recording as of one revision (valid until the next flush changes it).
export type TimelineView = {revision: number; input(now: number): TimelineInput};

type Seen = {deployments: unknown; replicaSets: unknown; probe: unknown; rawEvents: unknown; name?: string};

const TIMED_OUT = 'ProgressDeadlineExceeded';

function push<T>(list: T[], item: T, max: number): void {
	list.push(item);
	if (list.length > max) list.splice(0, list.length - max);
}

// The episode of an outage as the timeline shows it.
function episodeOf(o: Outage): Episode {
	const blame = formatBlame(o.blame);
	return {
		from: o.from,
		to: o.to,
		kind: o.failed === o.probes ? 'outage' : 'drops',
		failed: o.failed,
		probes: o.probes,
		text: formatOutage(o),
		...(blame ? {blame} : {}),
	};
}

// The recorder; the store owns one.
export class TimelineRecorder {
	private series = new Map<string, ReadySeries & {points: {at: number; ready: number}[]}>();
	private markers: Marker[] = [];
	private probes: ProbeSample[] = [];
	private rollouts: {revision?: number; from: number; to?: number}[] = [];
	private eventsSeen = new Set<string>();
	private probeSeq = 0;
	// When the recording began: the first flush with the ReplicaSets listed (undefined before it). Not the store's
	// start: until the list arrives the ready counts are unknown, and the picture must not draw them as 0.
	private since?: number;
	private deployment?: string;
	private last?: {revision: number; paused: boolean; done: boolean; deadline: boolean};
	private seen?: Seen;
	private episodes: Episode[] = [];
	revision = 0;

	// Records what changed in the state since the last call, at the clock's time (read only when something did).
	observe(state: CockpitState, clock: () => number): void {
		const seen = this.seen;
		if (
			seen &&
			seen.deployments === state.deployments &&
			seen.replicaSets === state.replicaSets &&
			seen.probe === state.probe &&
			seen.rawEvents === state.rawEvents &&
			seen.name === state.deploymentName
		)
			return;
		this.seen = {
			deployments: state.deployments,
			replicaSets: state.replicaSets,
			probe: state.probe,
			rawEvents: state.rawEvents,
			name: state.deploymentName,
		};
		let time: number | undefined;
		const at = () => (time ??= clock());
		if (state.deploymentName !== this.deployment) this.reset(state.deploymentName);
		if (this.since === undefined && state.synced.replicaSets) {
			this.since = at();
			this.revision++;
		}
		this.observeDeployment(state, at);
		this.observeReplicaSets(state, at);
		this.observeEvents(state.rawEvents);
		this.observeProbe(state.probe);
	}

	private reset(name: string | undefined): void {
		this.deployment = name;
		this.series = new Map();
		this.markers = [];
		this.probes = [];
		this.rollouts = [];
		this.eventsSeen = new Set();
		this.episodes = [];
		this.last = undefined;
		this.since = undefined;
		this.revision++;
	}

	private mark(marker: Marker): void {
		push(this.markers, marker, MAX_MARKERS);
		this.markers.sort((a, b) => a.at - b.at);
		this.revision++;
	}

	private observeDeployment(state: CockpitState, at: () => number): void {
		const d = selectDeployment(state);
		if (!d) return;
		const rev = deploymentRevision(d);
		const revision = rev.ok ? rev.value : 0;
		const paused = d.spec?.paused === true;
		const status = rolloutStatus(d);
		const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
		const deadline = progressing?.reason === TIMED_OUT;
		const last = this.last;
		this.last = {revision, paused, done: status.done, deadline};
		if (!last) {
			// A rollout under way when the cockpit started: it is on the timeline from here.
			if (!status.done && revision > 0) push(this.rollouts, {revision, from: at()}, MAX_ROLLOUTS);
			this.revision++;
			return;
		}
		if (revision !== last.revision && revision > 0) {
			push(this.rollouts, {revision, from: at()}, MAX_ROLLOUTS);
			this.mark({at: at(), kind: 'started', text: `revision ${revision} rollout started`});
		}
		if (paused !== last.paused)
			this.mark({at: at(), kind: paused ? 'paused' : 'resumed', text: paused ? 'rollout paused' : 'rollout resumed'});
		if (status.done && !last.done) {
			const open = this.rollouts.at(-1);
			if (open && open.to === undefined) open.to = at();
			this.mark({at: at(), kind: 'complete', text: `revision ${revision} rolled out`});
		}
		if (deadline && !last.deadline) {
			const when = Date.parse(progressing?.lastUpdateTime ?? '') || at();
			this.mark({at: when, kind: 'deadline', text: progressing?.message ?? 'progress deadline exceeded'});
		}
	}

	private observeReplicaSets(state: CockpitState, at: () => number): void {
		for (const rs of selectReplicaSets(state)) {
			const name = rs.metadata?.name ?? '';
			const revision = Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0) || 0;
			const ready = rs.status?.readyReplicas ?? 0;
			let s = this.series.get(name);
			if (!s) {
				s = {replicaSet: name, revision, image: rs.spec?.template?.spec?.containers?.[0]?.image, points: []};
				this.series.set(name, s);
			}
			// A rollback gives an old ReplicaSet a new revision number.
			if (s.revision !== revision) {
				s.revision = revision;
				this.revision++;
			}
			const lastPoint = s.points.at(-1);
			if (!lastPoint || lastPoint.ready !== ready) {
				push(s.points, {at: at(), ready}, MAX_POINTS);
				this.revision++;
			}
		}
	}

	private observeEvents(events: readonly KubeEvent[]): void {
		for (const ev of events) {
			if (ev.reason !== 'ScalingReplicaSet' || ev.involvedObject?.kind !== 'Deployment' || ev.involvedObject.name !== this.deployment)
				continue;
			const at = eventTime(ev);
			const key = `${ev.metadata?.uid ?? ev.metadata?.name}/${at}/${ev.message}`;
			if (at === undefined || this.eventsSeen.has(key)) continue;
			this.eventsSeen.add(key);
			if (this.eventsSeen.size > MAX_MARKERS * 4) this.eventsSeen = new Set([...this.eventsSeen].slice(-MAX_MARKERS));
			this.mark({at, kind: 'scaled', text: (ev.message ?? '').replace(/^\(combined from similar events\): /, '')});
		}
	}

	private observeProbe(probe: ProbeSnapshot | undefined): void {
		if (!probe) return;
		for (const r of probe.recent) {
			if (r.seq <= this.probeSeq) continue;
			this.probeSeq = r.seq;
			push(this.probes, {at: r.at, ok: r.ok, latencyMs: r.latencyMs, ...(r.error ? {error: r.error} : {})}, MAX_PROBES);
			this.revision++;
		}
		const outages = [...probe.verdicts.flatMap((v) => v.outages), ...(probe.open?.outages ?? [])];
		if (outages.length !== this.episodes.length || outages.some((o, i) => this.episodes[i]?.text !== formatOutage(o))) {
			this.episodes = outages.map(episodeOf);
			this.revision++;
		}
	}

	// The recording as the timeline reads it.
	view(): TimelineView {
		const series = [...this.series.values()];
		const markers = this.markers;
		const probes = this.probes;
		const episodes = this.episodes;
		const rollouts = this.rollouts.map((r) => ({...r}));
		const deployment = this.deployment ?? '';
		const since = this.since;
		return {
			revision: this.revision,
			input: (now) => ({deployment, series, markers, probes, episodes, rollouts, since: since ?? now, now}),
		};
	}
}
