// Derived view data for the panes, memoised on the store's immutable pieces, so that a tick of the
// clock or an event about another object does not re-derive 20,000 pods from scratch.
import {collapseEvents, deploymentEventFilter, rowInterval, type EventRow} from '../model/events.js';
import {podInfo, podIP, podNode, type PodInfo} from '../model/pod-status.js';
import {ownedReplicaSets, revisionOf, rolloutProgress, templateImages, type RolloutProgress} from '../model/rollout-progress.js';
import {rolloutStatus, rolloutStatusLine, type RolloutStatus} from '../model/rollout-status.js';
import {humanDuration, translateTimestampSince} from '../model/duration.js';
import type {Deployment, KubeEvent, Pod, ReplicaSet} from '../model/types.js';
import {controllerOf, toMillis} from '../model/util.js';
import type {CockpitState} from './store.js';

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

type Rollout = {progress: RolloutProgress; status: RolloutStatus; sentence: string; newReplicaSetUid?: string};

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

const podsFor = memoizeLast((pods: ReadonlyMap<string, Pod>, owned: ReplicaSet[]): Pod[] => {
	const revByUid = new Map<string, number>();
	for (const rs of owned) if (rs.metadata?.uid) revByUid.set(rs.metadata.uid, revisionOf(rs));
	if (revByUid.size === 0) return [];
	const out: {pod: Pod; rev: number; name: string}[] = [];
	for (const pod of pods.values()) {
		const rev = revByUid.get(podStatic(pod).ownerUid);
		if (rev !== undefined) out.push({pod, rev, name: pod.metadata?.name ?? ''});
	}
	// Newest revision first, then by name as `kubectl get pods` sorts.
	out.sort((a, b) => b.rev - a.rev || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	return out.map((x) => x.pod);
});

// The deployment's pods (owned by its ReplicaSets), newest revision first, then by name.
export function selectPods(state: CockpitState): Pod[] {
	return podsFor(state.pods, selectReplicaSets(state));
}

// One row of the pods pane (structurally the app's PodsPaneRow, plus keys for actions and sorting).
export type PodRowView = {
	name: string;
	uid: string;
	ready: string;
	status: string;
	// RESTARTS as kubectl shows it, e.g. "3 (2m ago)".
	restarts: string;
	restartCount: number;
	age: string;
	node: string;
	ip: string;
	// The revision of the pod's ReplicaSet as text, "" when unknown.
	revision: string;
	replicaSet: string;
	// True when the pod belongs to the deployment's new ReplicaSet.
	current: boolean;
	deleting: boolean;
};

type PodStatic = {info: PodInfo; node: string; ip: string; createdMs: number | undefined; ownerUid: string; deleting: boolean};

// podInfo per pod object: pods are immutable snapshots, so a changed pod is a new object.
const staticCache = new WeakMap<Pod, PodStatic>();

function podStatic(pod: Pod): PodStatic {
	let s = staticCache.get(pod);
	if (!s) {
		s = {
			info: podInfo(pod),
			node: podNode(pod),
			ip: podIP(pod),
			createdMs: toMillis(pod.metadata?.creationTimestamp),
			ownerUid: controllerOf(pod.metadata)?.uid ?? '',
			deleting: pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null,
		};
		staticCache.set(pod, s);
	}
	return s;
}

// translateTimestampSince for a time already in milliseconds (no re-parsing of 20,000 timestamps a second).
function since(ms: number | undefined, now: number): string {
	return ms === undefined ? translateTimestampSince(undefined, now) : humanDuration(now - ms);
}

// The last row built per pod object, reused while the pod, the clock and its ReplicaSet facts are unchanged.
const rowCache = new WeakMap<Pod, {now: number; rs: ReplicaSet | undefined; current: boolean; row: PodRowView}>();

const podRowsFor = memoizeLast((pods: Pod[], owned: ReplicaSet[], newUid: string | undefined, now: number): PodRowView[] => {
	const byUid = new Map<string, ReplicaSet>();
	for (const rs of owned) if (rs.metadata?.uid) byUid.set(rs.metadata.uid, rs);
	return pods.map((pod) => {
		const s = podStatic(pod);
		const rs = byUid.get(s.ownerUid);
		const current = newUid !== undefined && s.ownerUid === newUid;
		const cached = rowCache.get(pod);
		if (cached && cached.now === now && cached.rs === rs && cached.current === current) return cached.row;
		const rev = rs ? revisionOf(rs) : 0;
		const row: PodRowView = {
			name: pod.metadata?.name ?? '',
			uid: pod.metadata?.uid ?? '',
			ready: `${s.info.readyContainers}/${s.info.totalContainers}`,
			status: s.info.status,
			restarts:
				s.info.restarts !== 0 && s.info.lastRestartMs !== undefined
					? `${s.info.restarts} (${since(s.info.lastRestartMs, now)} ago)`
					: String(s.info.restarts),
			restartCount: s.info.restarts,
			age: since(s.createdMs, now),
			node: s.node,
			ip: s.ip,
			revision: rev > 0 ? String(rev) : '',
			replicaSet: rs?.metadata?.name ?? '',
			current,
			deleting: s.deleting,
		};
		rowCache.set(pod, {now, rs, current, row});
		return row;
	});
});

// The pods pane's rows; ages follow state.now.
export function selectPodRows(state: CockpitState): PodRowView[] {
	return podRowsFor(selectPods(state), selectReplicaSets(state), selectRollout(state)?.newReplicaSetUid, state.now);
}

// One row of the events pane (structurally the app's EventsPaneRow).
export type EventRowView = {
	key: string;
	// LAST SEEN with kubectl's "(x3 over 5m)" for repeats.
	lastSeen: string;
	type: string;
	reason: string;
	// "kind/name" in kubectl's lower-case form, e.g. "replicaset/nginx-6888c79454".
	object: string;
	message: string;
	count: number;
	source: string;
	lastMs?: number;
};

function toView(row: EventRow, now: number): EventRowView {
	return {
		key: row.key,
		lastSeen: rowInterval(row, now),
		type: row.type,
		reason: row.reason,
		object: `${row.kind.toLowerCase()}/${row.name}`,
		message: row.message,
		count: row.count,
		source: row.source,
		lastMs: row.lastMs,
	};
}

const deploymentEventsFor = memoizeLast(
	(raw: readonly KubeEvent[], deployment: Deployment | undefined, owned: ReplicaSet[], pods: Pod[]): EventRow[] => {
		if (!deployment) return [];
		const filter = deploymentEventFilter(
			deployment,
			owned.map((rs) => rs.metadata?.name ?? ''),
			pods.map((p) => p.metadata?.name ?? ''),
		);
		return collapseEvents(raw.filter(filter));
	},
);

const eventViewsFor = memoizeLast((rows: EventRow[], now: number): EventRowView[] => rows.map((r) => toView(r, now)));

// The deployment's events (itself, its ReplicaSets, its pods, including pods already gone), folded, oldest first.
export function selectEventRows(state: CockpitState): EventRowView[] {
	const rows = deploymentEventsFor(state.rawEvents, selectDeployment(state), selectReplicaSets(state), selectPods(state));
	return eventViewsFor(rows, state.now);
}

// One pod by name (for the detail view), if it is in the cache.
export function selectPod(state: CockpitState, name: string): Pod | undefined {
	return state.pods.get(name);
}

const podEventsFor = memoizeLast((raw: readonly KubeEvent[], podName: string, now: number): EventRowView[] =>
	collapseEvents(raw.filter((ev) => ev.involvedObject?.kind === 'Pod' && ev.involvedObject.name === podName)).map((r) => toView(r, now)),
);

// One pod's own events for the detail view, folded, oldest first.
export function selectPodEventRows(state: CockpitState, podName: string): EventRowView[] {
	return podEventsFor(state.rawEvents, podName, state.now);
}

// One deployment in the picker, like `kubectl get deployments` (READY, UP-TO-DATE, AVAILABLE, AGE) plus images.
export type DeploymentRowView = {
	name: string;
	ready: string;
	upToDate: number;
	available: number;
	age: string;
	images: string;
	revision: string;
};

const deploymentRowsFor = memoizeLast((deployments: ReadonlyMap<string, Deployment>, now: number): DeploymentRowView[] =>
	[...deployments.values()]
		.map((d) => {
			const rev = revisionOf(d);
			return {
				name: d.metadata?.name ?? '',
				ready: `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
				upToDate: d.status?.updatedReplicas ?? 0,
				available: d.status?.availableReplicas ?? 0,
				age: translateTimestampSince(d.metadata?.creationTimestamp, now),
				images: templateImages(d).join(','),
				revision: rev > 0 ? String(rev) : '',
			};
		})
		.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
);

// The namespace's deployments for the picker, sorted by name.
export function selectDeploymentRows(state: CockpitState): DeploymentRowView[] {
	return deploymentRowsFor(state.deployments, state.now);
}

// The new ReplicaSet as kubectl finds it (template equal ignoring pod-template-hash), if any.
export function selectNewReplicaSet(state: CockpitState): ReplicaSet | undefined {
	const uid = selectRollout(state)?.newReplicaSetUid;
	return uid === undefined ? undefined : selectReplicaSets(state).find((rs) => rs.metadata?.uid === uid);
}
