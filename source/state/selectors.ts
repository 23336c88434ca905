// The cluster facts the screen and the commands derive from the store, memoised on the store's pieces, so that
// a tick of the clock or an event about another object does not re-derive 20,000 pods from scratch: the pods'
// order is kept up to date from the store's deltas (sorted-view.ts), and what depends on which pods exist, not on
// their status (the events' filter), is recomputed only when pods come or go.
import {collapseEvents, deploymentEventFilter, type EventRow} from '../model/events.js';
import {revisionHistory, type RevisionRow} from '../model/history.js';
import {ownedReplicaSets, podOwnerIndex, revisionOf, rolloutProgress, type RolloutProgress} from '../model/rollout-progress.js';
import {rolloutStatus, rolloutStatusLine, type RolloutStatus} from '../model/rollout-status.js';
import {
	DEFAULT_STUCK_AFTER_MS,
	diagnoseRollout,
	mayBeStuck,
	stuckNewPods,
	type RolloutDiagnosis,
	type StuckPod,
} from '../model/stuck-pods.js';
import {timelineData, type Timeline} from '../model/timeline.js';
import type {Deployment, KubeEvent, Pod, ReplicaSet} from '../model/types.js';
import type {CockpitState} from './store.js';
import {FilteredView, SortedView, type SortSpec} from './sorted-view.js';

// Remembers the last inputs and result: recomputes only when an input changes (Object.is).
export function memoizeLast<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
	let lastArgs: A | undefined;
	let lastResult: R;
	return (...args: A) => {
		if (lastArgs && lastArgs.length === args.length && lastArgs.every((a, i) => Object.is(a, args[i]))) return lastResult;
		lastResult = fn(...args);
		lastArgs = args;
		return lastResult;
	};
}

// The chosen deployment, if it exists.
export function selectDeployment(state: CockpitState): Deployment | undefined {
	return state.deploymentName === undefined ? undefined : state.deployments.get(state.deploymentName);
}

const ownedFor = memoizeLast((replicaSets: ReadonlyMap<string, ReplicaSet>, deploymentUid: string | undefined): ReplicaSet[] => {
	if (!deploymentUid) return [];
	return ownedReplicaSets({metadata: {uid: deploymentUid}}, replicaSets.values());
});

// The deployment's ReplicaSets: controller ownerReference uid equals the deployment's uid.
export function selectReplicaSets(state: CockpitState): ReplicaSet[] {
	return ownedFor(state.replicaSets, selectDeployment(state)?.metadata?.uid ?? undefined);
}

// The rollout: progress from ReplicaSet counts, kubectl's status and its sentence.
export type Rollout = {progress: RolloutProgress; status: RolloutStatus; sentence: string; newReplicaSetUid?: string};

const rolloutFor = memoizeLast((deployment: Deployment | undefined, owned: ReplicaSet[]): Rollout | undefined => {
	if (!deployment) return undefined;
	const progress = rolloutProgress(deployment, owned);
	const status = rolloutStatus(deployment);
	return {progress, status, sentence: rolloutStatusLine(status), newReplicaSetUid: progress.newReplicaSet?.uid || undefined};
});

// The rollout panel: progress from ReplicaSet counts, and the line `kubectl rollout status` would print.
export function selectRollout(state: CockpitState): Rollout | undefined {
	return rolloutFor(selectDeployment(state), selectReplicaSets(state));
}

// Which ReplicaSet (and revision) controls a pod, among the deployment's.
export const selectPodOwners = memoizeLast(podOwnerIndex);

// What the pods' owners depend on: each ReplicaSet's uid and revision (not its status, which churns).
const ownersKey = (owned: readonly ReplicaSet[]) => owned.map((rs) => `${rs.metadata?.uid ?? ''}=${revisionOf(rs)}`).join(',');

type PodEntry = {pod: Pod; rev: number; name: string};

// Newest revision first, then by name as `kubectl get pods` sorts (names are unique: a total order).
const byRevisionThenName = (a: PodEntry, b: PodEntry) => b.rev - a.rev || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

// The sort of the deployment's pods, one per set of owners (their uids and revisions): a ReplicaSet's status
// changing (at every readiness flap) keeps the spec, so the pods' order is updated, not recomputed.
let podSpec: {key: string; spec: SortSpec<Pod, PodEntry> | undefined} = {key: '', spec: undefined};

function podSpecFor(owned: readonly ReplicaSet[]): SortSpec<Pod, PodEntry> | undefined {
	const key = ownersKey(owned);
	if (key !== podSpec.key) {
		const owner = podOwnerIndex(owned);
		const spec: SortSpec<Pod, PodEntry> | undefined =
			owned.length === 0
				? undefined
				: {
						entry: (pod) => {
							const o = owner(pod);
							return o ? {pod, rev: o.revision, name: pod.metadata?.name ?? ''} : undefined;
						},
						compare: byRevisionThenName,
					};
		podSpec = {key, spec};
	}
	return podSpec.spec;
}

const sortedPods = new SortedView<Pod, PodEntry>();

const podsOf = memoizeLast((entries: readonly PodEntry[]): Pod[] => entries.map((e) => e.pod));

// The deployment's pods (controlled by its ReplicaSets), newest revision first, then by name.
export function selectPods(state: CockpitState): Pod[] {
	const spec = podSpecFor(selectReplicaSets(state));
	return spec ? podsOf(sortedPods.entries(state.pods, spec)) : [];
}

const NO_NAMES: readonly string[] = [];

// The names of the deployment's pods; a new array only when pods come or go, not when one changes.
function selectPodNameSet(state: CockpitState): readonly string[] {
	const spec = podSpecFor(selectReplicaSets(state));
	return spec ? sortedPods.keys(state.pods, spec) : NO_NAMES;
}

const deploymentEventsFor = memoizeLast(
	(raw: readonly KubeEvent[], deployment: Deployment | undefined, rsNames: string, podNames: readonly string[]): EventRow[] => {
		if (!deployment) return [];
		const filter = deploymentEventFilter(deployment, rsNames === '' ? [] : rsNames.split(','), podNames);
		return collapseEvents(raw.filter(filter));
	},
);

// The deployment as the events' filter sees it: its identity, not its status.
const deploymentIdentity = memoizeLast(
	(namespace: string | undefined, name: string | undefined, uid: string | undefined): Deployment | undefined =>
		name === undefined ? undefined : {metadata: {namespace, name, uid}},
);

// The deployment's events (itself, its ReplicaSets, its pods, including pods already gone), folded, oldest first.
export function selectEventRows(state: CockpitState): EventRow[] {
	const d = selectDeployment(state);
	const identity = d
		? deploymentIdentity(d.metadata?.namespace ?? undefined, d.metadata?.name ?? undefined, d.metadata?.uid ?? undefined)
		: undefined;
	const rsNames = selectReplicaSets(state)
		.map((rs) => rs.metadata?.name ?? '')
		.join(',');
	return deploymentEventsFor(state.rawEvents, identity, rsNames, selectPodNameSet(state));
}

const podEventsFor = memoizeLast((raw: readonly KubeEvent[], podName: string): EventRow[] =>
	collapseEvents(raw.filter((ev) => ev.involvedObject?.kind === 'Pod' && ev.involvedObject.name === podName)),
);

// One pod's own events for its detail, folded, oldest first.
export function selectPodEventRows(state: CockpitState, podName: string): EventRow[] {
	return podEventsFor(state.rawEvents, podName);
}

const deploymentListFor = memoizeLast((deployments: ReadonlyMap<string, Deployment>): Deployment[] =>
	[...deployments.values()].sort((a, b) => {
		const x = a.metadata?.name ?? '';
		const y = b.metadata?.name ?? '';
		return x < y ? -1 : x > y ? 1 : 0;
	}),
);

// The namespace's deployments for the picker, sorted by name.
export function selectDeploymentList(state: CockpitState): Deployment[] {
	return deploymentListFor(state.deployments);
}

const historyFor = memoizeLast((deployment: Deployment | undefined, owned: ReplicaSet[]): RevisionRow[] =>
	deployment ? revisionHistory(deployment, owned) : [],
);

// The deployment's revisions, oldest first as `kubectl rollout history` lists them.
export function selectHistory(state: CockpitState): RevisionRow[] {
	return historyFor(selectDeployment(state), selectReplicaSets(state));
}

const stuckFor = memoizeLast(
	(deployment: Deployment | undefined, owned: ReplicaSet[], candidates: readonly Pod[], raw: readonly KubeEvent[]): StuckPod[] =>
		deployment ? stuckNewPods(deployment, owned, candidates, raw) : [],
);

// The pods that may be stuck (not Running, or a container waiting), kept from the store's deltas: at 20,000 pods and
// 100 changes a second, a pass over every pod per frame was the largest cost in the cockpit's profile.
const mayBeStuckPods = new FilteredView<Pod>();

// The fail-fast diagnosis (model/stuck-pods.ts): a new pod stuck for `afterMs`, or undefined. The pass over the
// pods is memoised on the objects; the clock only moves the threshold.
export function selectDiagnosis(state: CockpitState, afterMs = DEFAULT_STUCK_AFTER_MS): RolloutDiagnosis | undefined {
	const deployment = selectDeployment(state);
	if (!deployment) return undefined;
	const candidates = mayBeStuckPods.list(state.pods, mayBeStuck);
	return diagnoseRollout(deployment, stuckFor(deployment, selectReplicaSets(state), candidates, state.rawEvents), state.now, afterMs);
}

// The probe columns of the timeline written to a file (T, `status --json` and `--timeline-svg`): one per 10 px of the
// SVG's plot.
export const TIMELINE_FILE_INTERVALS = 90;

// The timeline of the recording as of `now`, as T saves it and `status` reports it (the `t` view asks for its width).
export function selectTimeline(state: CockpitState, now = state.now, intervals = TIMELINE_FILE_INTERVALS): Timeline {
	return timelineData(state.timeline.input(now), intervals);
}
