// "This rollout will not progress": a pod of the new ReplicaSet that cannot pull its image, crash-loops, cannot
// have its container created from its configuration, or cannot be scheduled, and has been so for a while.
// `kubectl rollout status` keeps waiting in that case until the progress deadline (10 minutes by default;
// kubernetes#18568, kubectl#738); the headless `status --fail-fast` and the rollout panel say it at once, with the
// pod, its reason and the kubelet's or scheduler's event message. One function serves both.
// Reasons are the kubelet's container waiting reasons (pkg/kubelet/images: ErrImagePull, ImagePullBackOff;
// kuberuntime: CrashLoopBackOff, CreateContainerConfigError) and the scheduler's PodScheduled=False reason.
import {humanDuration} from './duration.js';
import {eventFirstTime, eventTime} from './events.js';
import {findNewReplicaSet, ownedReplicaSets} from './rollout-progress.js';
import {rolloutStatus} from './rollout-status.js';
import type {ContainerStatus, Deployment, KubeEvent, Pod, ReplicaSet} from './types.js';
import {controllerOf, goQuote, toMillis} from './util.js';

// The reasons that mean a new pod will not become available without a change to the Deployment (or the cluster).
export const STUCK_REASONS = [
	'ImagePullBackOff',
	'ErrImagePull',
	'CrashLoopBackOff',
	'CreateContainerConfigError',
	'Unschedulable',
] as const;
export type StuckReason = (typeof STUCK_REASONS)[number];

// How long a pod must have been stuck before it counts: long enough for the kubelet's first image-pull retry
// (its back-off starts at 10 s) to have failed too, far shorter than a 10-minute progress deadline.
export const DEFAULT_STUCK_AFTER_MS = 15_000;

// One stuck pod: which, why (the reason and the most telling event message), and since when.
export type StuckPod = {
	pod: string;
	// The container at fault (none for Unschedulable).
	container?: string;
	reason: StuckReason;
	message: string;
	// When the trouble started: the first event of it, else the condition's transition, else the pod's creation.
	sinceMs: number;
};

// The verdict on a rollout: the stuck pod that has been stuck longest, once it has been so for `afterMs`.
export type RolloutDiagnosis = StuckPod & {forMs: number};

// Image pull failures alternate between ErrImagePull and ImagePullBackOff; both are one trouble.
type Family = 'pull' | 'crash' | 'config' | 'schedule';

function familyOf(reason: StuckReason): Family {
	switch (reason) {
		case 'ErrImagePull':
		case 'ImagePullBackOff':
			return 'pull';
		case 'CrashLoopBackOff':
			return 'crash';
		case 'CreateContainerConfigError':
			return 'config';
		case 'Unschedulable':
			return 'schedule';
	}
}

const isStuckReason = (r: string | undefined): r is StuckReason => r !== undefined && (STUCK_REASONS as readonly string[]).includes(r);

// The events of one family about one pod (and container, when the event names it), as the kubelet and the
// scheduler record them: Failed/BackOff with pull wording, BackOff restarting a container, Failed with the
// configuration error, FailedScheduling.
function familyEvents(family: Family, events: readonly KubeEvent[], pod: string, container: string | undefined): KubeEvent[] {
	return events.filter((ev) => {
		const obj = ev.involvedObject;
		if (obj?.kind !== 'Pod' || obj.name !== pod) return false;
		const field = obj.fieldPath ?? '';
		if (container !== undefined && field !== '' && !field.endsWith(`{${container}}`)) return false;
		const message = ev.message ?? '';
		switch (family) {
			case 'pull':
				return (ev.reason === 'Failed' || ev.reason === 'BackOff') && /pull|ErrImagePull|ImagePullBackOff/i.test(message);
			case 'crash':
				return ev.reason === 'BackOff' && /restarting failed container/i.test(message);
			case 'config':
				return ev.reason === 'Failed' && !/pull/i.test(message);
			case 'schedule':
				return ev.reason === 'FailedScheduling';
			default:
				return false;
		}
	});
}

// The message that says most: the newest event that is not the bare "Error: <Reason>" echo, else the status's own.
function bestMessage(family: Family, matching: readonly KubeEvent[], fallback: string | undefined, reason: StuckReason): string {
	const telling = matching.filter(
		(ev) => ev.message && ev.message !== `Error: ${reason}` && !/^Error: (ErrImagePull|ImagePullBackOff)$/.test(ev.message),
	);
	// For a pull, "Failed to pull image ...: <the registry's answer>" says more than "Back-off pulling image".
	const preferred = family === 'pull' ? telling.filter((ev) => ev.reason === 'Failed') : [];
	const pool = preferred.length > 0 ? preferred : telling;
	const newest = pool.reduce<KubeEvent | undefined>(
		(best, ev) => (!best || (eventTime(ev) ?? 0) >= (eventTime(best) ?? 0) ? ev : best),
		undefined,
	);
	return newest?.message || fallback || reason;
}

function earliest(events: readonly KubeEvent[]): number | undefined {
	let first: number | undefined;
	for (const ev of events) {
		const t = eventFirstTime(ev) ?? eventTime(ev);
		if (t !== undefined && (first === undefined || t < first)) first = t;
	}
	return first;
}

// The waiting container with a stuck reason, init containers first (a pod waits on those before the others).
function stuckContainer(pod: Pod): {status: ContainerStatus; reason: StuckReason} | undefined {
	for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
		const reason = status.state?.waiting?.reason ?? undefined;
		if (isStuckReason(reason)) return {status, reason};
	}
	return undefined;
}

// Why one pod is stuck, if it is: a container waiting for a stuck reason, or PodScheduled=False Unschedulable.
export function podStuck(pod: Pod, events: readonly KubeEvent[]): StuckPod | undefined {
	const name = pod.metadata?.name ?? '';
	if (pod.metadata?.deletionTimestamp) return undefined;
	const created = toMillis(pod.metadata?.creationTimestamp) ?? 0;
	const waiting = stuckContainer(pod);
	if (waiting) {
		const container = waiting.status.name ?? undefined;
		const family = familyOf(waiting.reason);
		const matching = familyEvents(family, events, name, container);
		let message = bestMessage(family, matching, waiting.status.state?.waiting?.message ?? undefined, waiting.reason);
		const last = waiting.status.lastState?.terminated;
		if (family === 'crash' && last) message += ` (last exit: ${last.reason ?? 'Error'}, code ${last.exitCode ?? '?'})`;
		return {pod: name, container, reason: waiting.reason, message, sinceMs: earliest(matching) ?? created};
	}
	const scheduled = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
	if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
		const matching = familyEvents('schedule', events, name, undefined);
		return {
			pod: name,
			reason: 'Unschedulable',
			message: bestMessage('schedule', matching, scheduled.message ?? undefined, 'Unschedulable'),
			sinceMs: earliest(matching) ?? toMillis(scheduled.lastTransitionTime) ?? created,
		};
	}
	return undefined;
}

// The pods of the Deployment's new ReplicaSet that are stuck, stuck longest first. Events are looked up through
// one index by pod name, so many stuck pods cost one pass over the events.
export function stuckNewPods(
	deployment: Deployment,
	replicaSets: Iterable<ReplicaSet>,
	pods: Iterable<Pod>,
	events: readonly KubeEvent[],
): StuckPod[] {
	const newRS = findNewReplicaSet(deployment, ownedReplicaSets(deployment, replicaSets));
	const uid = newRS?.metadata?.uid;
	if (!uid) return [];
	let byPod: Map<string, KubeEvent[]> | undefined;
	const eventsOf = (name: string): KubeEvent[] => {
		if (!byPod) {
			byPod = new Map();
			for (const ev of events) {
				if (ev.involvedObject?.kind !== 'Pod' || !ev.involvedObject.name) continue;
				const list = byPod.get(ev.involvedObject.name);
				if (list) list.push(ev);
				else byPod.set(ev.involvedObject.name, [ev]);
			}
		}
		return byPod.get(name) ?? [];
	};
	const out: StuckPod[] = [];
	for (const pod of pods) {
		if (controllerOf(pod.metadata)?.uid !== uid) continue;
		if (!mayBeStuck(pod)) continue;
		const stuck = podStuck(pod, eventsOf(pod.metadata?.name ?? ''));
		if (stuck) out.push(stuck);
	}
	return out.sort((a, b) => a.sinceMs - b.sinceMs || (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
}

// A cheap first look, so that a pass over thousands of healthy pods reads little more than their status: a pod
// for which this is false is never stuck (the store keeps the pods that pass it, state/selectors.ts).
export function mayBeStuck(pod: Pod): boolean {
	return pod.status?.phase !== 'Running' || stuckContainer(pod) !== undefined;
}

// The verdict from the stuck pods (stuckNewPods): the one stuck longest, once it has been so for `afterMs`,
// while the rollout is neither done nor already failed on its progress deadline (which kubectl reports itself).
export function diagnoseRollout(
	deployment: Deployment,
	stuck: readonly StuckPod[],
	now: number,
	afterMs = DEFAULT_STUCK_AFTER_MS,
): RolloutDiagnosis | undefined {
	const first = stuck[0];
	if (!first) return undefined;
	const status = rolloutStatus(deployment);
	if (status.done || status.error !== undefined) return undefined;
	const forMs = Math.max(0, now - first.sinceMs);
	return forMs >= afterMs ? {...first, forMs} : undefined;
}

// The rollout will not progress: a new pod stuck for at least `afterMs` at `now` (stuckNewPods, then diagnoseRollout).
export function rolloutDiagnosis(
	deployment: Deployment,
	replicaSets: Iterable<ReplicaSet>,
	pods: Iterable<Pod>,
	events: readonly KubeEvent[],
	now: number,
	afterMs = DEFAULT_STUCK_AFTER_MS,
): RolloutDiagnosis | undefined {
	return diagnoseRollout(deployment, stuckNewPods(deployment, replicaSets, pods, events), now, afterMs);
}

// The diagnosis in one sentence, as `status` prints it (after "error: "): which pod, its reason, for how long,
// and the event's message.
export function describeDiagnosis(deploymentName: string, d: RolloutDiagnosis): string {
	return `deployment ${goQuote(deploymentName)} will not progress: ${diagnosisSummary(d)}`;
}

// The diagnosis without the deployment's name, as the rollout panel (which is about that deployment) shows it.
export function diagnosisSummary(d: RolloutDiagnosis): string {
	const container = d.container ? ` (container ${d.container})` : '';
	return `pod ${d.pod} is ${d.reason}${container} for ${humanDuration(d.forMs)}: ${d.message}`;
}
