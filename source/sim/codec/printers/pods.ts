// The pod printer and its status rules (READY, STATUS, RESTARTS), the longest and most-read printer; separate so those rules can be read alone.
import type {KubeObject} from '../../store.js';
import {since} from './age.js';
import {ageColumn, column, nameColumn, wide, type Printer} from './printer.js';

type ContainerState = {
	waiting?: {reason?: string};
	running?: {startedAt?: string};
	terminated?: {exitCode?: number; signal?: number; reason?: string; finishedAt?: string};
};
type ContainerStatus = {
	name: string;
	ready?: boolean;
	started?: boolean;
	restartCount?: number;
	state?: ContainerState;
	lastState?: ContainerState;
};

function laterOf(a: string | undefined, b: string | undefined): string | undefined {
	if (!b) return a;
	if (!a) return b;
	return Date.parse(b) > Date.parse(a) ? b : a;
}

/** The pod printer's READY, STATUS and RESTARTS. */
export function podRowSummary(pod: KubeObject, now: number): {ready: string; status: string; restarts: string} {
	const spec = pod.spec ?? {};
	const status = pod.status ?? {};
	const initSpecs: Array<{name: string; restartPolicy?: string}> = spec.initContainers ?? [];
	const isSidecar = (name: string) => initSpecs.find((c) => c.name === name)?.restartPolicy === 'Always';
	const total = (spec.containers ?? []).length + initSpecs.filter((c) => c.restartPolicy === 'Always').length;
	let ready = 0;
	let restarts = 0;
	let sidecarRestarts = 0;
	let lastRestart: string | undefined;
	let lastSidecarRestart: string | undefined;
	const phase: string = status.phase ?? '';
	let reason: string = status.reason || phase;
	for (const c of status.conditions ?? []) {
		if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
	}

	let initializing = false;
	const initStatuses: ContainerStatus[] = status.initContainerStatuses ?? [];
	for (let i = 0; i < initStatuses.length; i++) {
		const c = initStatuses[i]!;
		restarts += c.restartCount ?? 0;
		lastRestart = laterOf(lastRestart, c.lastState?.terminated?.finishedAt);
		if (isSidecar(c.name)) {
			sidecarRestarts += c.restartCount ?? 0;
			lastSidecarRestart = laterOf(lastSidecarRestart, c.lastState?.terminated?.finishedAt);
		}
		const terminated = c.state?.terminated;
		const waiting = c.state?.waiting;
		if (terminated && (terminated.exitCode ?? 0) === 0) continue;
		if (isSidecar(c.name) && c.started) {
			if (c.ready) ready++;
			continue;
		}
		if (terminated) {
			reason = terminated.reason
				? `Init:${terminated.reason}`
				: terminated.signal
					? `Init:Signal:${terminated.signal}`
					: `Init:ExitCode:${terminated.exitCode ?? 0}`;
		} else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
			reason = `Init:${waiting.reason}`;
		} else {
			reason = `Init:${i}/${initSpecs.length}`;
		}
		initializing = true;
		break;
	}

	const initialized = (status.conditions ?? []).some(
		(c: {type: string; status: string}) => c.type === 'Initialized' && c.status === 'True',
	);
	if (!initializing || initialized) {
		restarts = sidecarRestarts;
		lastRestart = lastSidecarRestart;
		let hasRunning = false;
		const statuses: ContainerStatus[] = status.containerStatuses ?? [];
		for (let i = statuses.length - 1; i >= 0; i--) {
			const c = statuses[i]!;
			restarts += c.restartCount ?? 0;
			lastRestart = laterOf(lastRestart, c.lastState?.terminated?.finishedAt);
			const waiting = c.state?.waiting;
			const terminated = c.state?.terminated;
			if (waiting?.reason) reason = waiting.reason;
			else if (terminated?.reason) reason = terminated.reason;
			else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
			else if (c.ready && c.state?.running) {
				hasRunning = true;
				ready++;
			}
		}
		if (reason === 'Completed' && hasRunning) {
			const podReady = (status.conditions ?? []).some((c: {type: string; status: string}) => c.type === 'Ready' && c.status === 'True');
			reason = podReady ? 'Running' : 'NotReady';
		}
	}

	if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
	else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

	const restartsText = restarts !== 0 && lastRestart ? `${restarts} (${since(lastRestart, now)} ago)` : String(restarts);
	return {ready: `${ready}/${total}`, status: reason, restarts: restartsText};
}

/** `kubectl get pods`: READY, STATUS, RESTARTS, AGE; IP, NODE, NOMINATED NODE, READINESS GATES with -o wide. */
export const podPrinter: Printer = {
	columns: [
		nameColumn,
		column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
		column('Status', 'The aggregate status of the containers in this pod.'),
		column('Restarts', 'How many times the containers in this pod restarted, and when the last one did.'),
		ageColumn,
		column('IP', 'The IP address allocated to the pod.', wide),
		column('Node', 'The node the pod is scheduled onto.', wide),
		column('Nominated Node', 'The node where the pod may run after preemption.', wide),
		column('Readiness Gates', 'Extra conditions the pod waits for before it is ready.', wide),
	],
	row(pod, now) {
		const {ready, status, restarts} = podRowSummary(pod, now);
		const gates: Array<{conditionType: string}> = pod.spec?.readinessGates ?? [];
		const conditions: Array<{type: string; status: string}> = pod.status?.conditions ?? [];
		const readinessGates =
			gates.length === 0
				? '<none>'
				: `${gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length}/${gates.length}`;
		const phase = pod.status?.phase;
		return {
			cells: [
				pod.metadata.name ?? '',
				ready,
				status,
				restarts,
				since(pod.metadata.creationTimestamp, now),
				pod.status?.podIPs?.[0]?.ip || '<none>',
				pod.spec?.nodeName || '<none>',
				pod.status?.nominatedNodeName || '<none>',
				readinessGates,
			],
			...(phase === 'Succeeded'
				? {conditions: [{type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.'}]}
				: phase === 'Failed'
					? {conditions: [{type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.'}]}
					: {}),
		};
	},
};
