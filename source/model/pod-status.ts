// The pods table: STATUS, READY, RESTARTS and AGE computed the way `kubectl get pods` shows them,
// so the cockpit never disagrees with kubectl about a pod.
// Rules from kubernetes pkg/printers/internalversion/printers.go (printPod); k9s internal/render/pod.go agrees on
// the status column except where noted in the tests.
import type {Container, Pod} from './types.js';
import {ageSince, translateTimestampSince} from './duration.js';
import {toMillis} from './util.js';

// What printPod derives from one pod.
export interface PodInfo {
	// The STATUS column, e.g. "Running", "CrashLoopBackOff", "Init:0/2", "Terminating".
	status: string;
	readyContainers: number;
	// Regular containers plus restartable init containers (sidecars).
	totalContainers: number;
	restarts: number;
	// When a container last terminated before restarting (ms since epoch), if known.
	lastRestartMs?: number;
}

const NODE_UNREACHABLE_REASON = 'NodeLost';
const SCHEDULING_GATED = 'SchedulingGated';

function isRestartableInit(c: Container | undefined): boolean {
	return c?.restartPolicy === 'Always';
}

function conditionTrue(pod: Pod, type: string): boolean {
	for (const c of pod.status?.conditions ?? []) {
		if (c.type === type) return c.status === 'True';
	}
	return false;
}

// Ready condition "True" anywhere in the list, as printers.go hasPodReadyCondition checks.
function hasPodReadyCondition(pod: Pod): boolean {
	return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function laterOf(current: number | undefined, t: unknown): number | undefined {
	const ms = toMillis(t as string | null | undefined);
	if (ms === undefined) return current;
	return current === undefined || ms > current ? ms : current;
}

// Everything the pods table shows about one pod, computed in one pass as printPod does.
export function podInfo(pod: Pod): PodInfo {
	const spec = pod.spec ?? {};
	const status = pod.status ?? {};
	let restarts = 0;
	let sidecarRestarts = 0;
	let readyContainers = 0;
	let totalContainers = (spec.containers ?? []).length;
	let lastRestartMs: number | undefined;
	let lastSidecarRestartMs: number | undefined;

	const phase = status.phase ?? '';
	let reason = status.reason ? status.reason : phase;
	for (const c of status.conditions ?? []) {
		if (c.type === 'PodScheduled' && c.reason === SCHEDULING_GATED) reason = SCHEDULING_GATED;
	}

	const initSpecs = new Map<string, Container>();
	for (const c of spec.initContainers ?? []) {
		initSpecs.set(c.name ?? '', c);
		if (isRestartableInit(c)) totalContainers++;
	}
	const initCount = (spec.initContainers ?? []).length;

	let initializing = false;
	const initStatuses = status.initContainerStatuses ?? [];
	for (let i = 0; i < initStatuses.length; i++) {
		const cs = initStatuses[i];
		const restartable = isRestartableInit(initSpecs.get(cs.name ?? ''));
		restarts += cs.restartCount ?? 0;
		lastRestartMs = laterOf(lastRestartMs, cs.lastState?.terminated?.finishedAt);
		if (restartable) {
			sidecarRestarts += cs.restartCount ?? 0;
			lastSidecarRestartMs = laterOf(lastSidecarRestartMs, cs.lastState?.terminated?.finishedAt);
		}
		const terminated = cs.state?.terminated;
		const waiting = cs.state?.waiting;
		if (terminated && (terminated.exitCode ?? 0) === 0) continue;
		if (restartable && cs.started === true) {
			if (cs.ready) readyContainers++;
			continue;
		}
		if (terminated) {
			// Initialization failed.
			if (!terminated.reason) {
				reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode ?? 0}`;
			} else {
				reason = `Init:${terminated.reason}`;
			}
		} else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
			reason = `Init:${waiting.reason}`;
		} else {
			reason = `Init:${i}/${initCount}`;
		}
		initializing = true;
		break;
	}

	if (!initializing || conditionTrue(pod, 'Initialized')) {
		restarts = sidecarRestarts;
		lastRestartMs = lastSidecarRestartMs;
		let hasRunning = false;
		const statuses = status.containerStatuses ?? [];
		// Walk backwards so the first container's reason wins, as kubectl does.
		for (let i = statuses.length - 1; i >= 0; i--) {
			const cs = statuses[i];
			restarts += cs.restartCount ?? 0;
			lastRestartMs = laterOf(lastRestartMs, cs.lastState?.terminated?.finishedAt);
			const waiting = cs.state?.waiting;
			const terminated = cs.state?.terminated;
			if (waiting?.reason) {
				reason = waiting.reason;
			} else if (terminated?.reason) {
				reason = terminated.reason;
			} else if (terminated) {
				reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
			} else if (cs.ready && cs.state?.running) {
				hasRunning = true;
				readyContainers++;
			}
		}
		// A pod whose only finished containers completed but one still runs is Running (or NotReady).
		if (reason === 'Completed' && hasRunning) {
			reason = hasPodReadyCondition(pod) ? 'Running' : 'NotReady';
		}
	}

	const deleting = isSetNonZero(pod.metadata?.deletionTimestamp);
	if (deleting && status.reason === NODE_UNREACHABLE_REASON) {
		reason = 'Unknown';
	} else if (deleting && phase !== 'Failed' && phase !== 'Succeeded') {
		reason = 'Terminating';
	}

	return {status: reason, readyContainers, totalContainers, restarts, lastRestartMs};
}

// Any deletionTimestamp (kubectl checks only that the pointer is set) means the pod is being deleted.
function isSetNonZero(t: unknown): boolean {
	return t !== undefined && t !== null && t !== '';
}

// The RESTARTS column with kubectl's suffix, e.g. "3 (2m ago)"; plain "0" when never restarted.
export function podRestartsText(info: PodInfo, now: number): string {
	if (info.restarts !== 0 && info.lastRestartMs !== undefined) return `${info.restarts} (${ageSince(info.lastRestartMs, now)} ago)`;
	return String(info.restarts);
}

// The AGE column: time since creation in kubectl's HumanDuration form.
export function podAge(pod: Pod, now: number): string {
	return translateTimestampSince(pod.metadata?.creationTimestamp, now);
}

// The first pod IP, "<none>" before one is assigned (the -o wide IP column).
export function podIP(pod: Pod): string {
	return pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>';
}

// The node a pod is bound to, "<none>" while unscheduled (the -o wide NODE column).
export function podNode(pod: Pod): string {
	return pod.spec?.nodeName || '<none>';
}

// Whether `kubectl logs --previous` has something to read for the container (the pod's first container when not
// named): the kubelet keeps the instance before a restart, which status.lastState.terminated names.
export function hasPreviousContainer(
	pod: Pod | undefined,
	container?: string,
): {ok: true; container: string} | {ok: false; reason: string} {
	if (!pod) return {ok: false, reason: 'the pod is gone: its previous container went with it'};
	const name = container ?? pod.spec?.containers?.[0]?.name ?? '';
	const podName = pod.metadata?.name ?? '';
	const status = pod.status?.containerStatuses?.find((s) => s.name === name);
	if (status?.lastState?.terminated?.containerID) return {ok: true, container: name};
	return {ok: false, reason: `container ${name} of pod ${podName} has not restarted: there is no previous container to show`};
}

// Whether a container of the pod has started (its log can be read): it has a containerID, running or stopped.
export function containerStarted(pod: Pod, container: string): boolean {
	const s = pod.status?.containerStatuses?.find((c) => c.name === container);
	return Boolean(s?.containerID || s?.state?.running || s?.state?.terminated?.containerID || s?.lastState?.terminated?.containerID);
}

// The ID of the container instance now running (or last run), to tell a restart from the same instance.
export function containerInstance(pod: Pod, container: string): string | undefined {
	const s = pod.status?.containerStatuses?.find((c) => c.name === container);
	return s?.containerID || s?.state?.terminated?.containerID || undefined;
}

// Whether the container is running now (a log stream that ended cleanly while it runs was cut, not finished).
export function containerRunning(pod: Pod | undefined, container: string, instance?: string): boolean {
	const s = pod?.status?.containerStatuses?.find((c) => c.name === container);
	if (!s?.state?.running) return false;
	return instance === undefined || s.containerID === instance;
}
