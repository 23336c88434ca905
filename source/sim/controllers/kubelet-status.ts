// The pod status the simulated kubelet writes: phase, conditions and per-container states built from its
// runtime view; separate because it is pure (no timers, no store) and the largest single piece of the kubelet.
import {isoSeconds} from './util.js';
import type {Ctr, PodRt} from './kubelet-types.js';

/** Whether an exited container will be restarted under the pod's restartPolicy (never while terminating). */
export function willRestart(rt: PodRt, c: Ctr): boolean {
	if (rt.terminating) return false;
	const code = c.exited?.exitCode ?? 0;
	return rt.restartPolicy === 'Always' || (rt.restartPolicy === 'OnFailure' && code !== 0);
}

function phaseOf(rt: PodRt): string {
	const initPending = rt.init.some((c) => c.phase !== 'done');
	if (initPending) {
		const failed = rt.init.some((c) => c.phase === 'exited' && !willRestart(rt, c));
		if (failed && !rt.terminating) return 'Failed';
		if (rt.finished) return 'Failed';
		return 'Pending';
	}
	const everStarted = rt.app.some((c) => c.everStarted);
	const succeeded = rt.app.every((c) => c.phase === 'exited' && c.exited?.exitCode === 0);
	// A pod the kubelet has stopped for good ends in a terminal phase, whatever its restartPolicy.
	if (rt.finished) return succeeded ? 'Succeeded' : 'Failed';
	const allStopped = rt.app.length > 0 && rt.app.every((c) => c.phase === 'exited' && !willRestart(rt, c));
	if (allStopped) return succeeded ? 'Succeeded' : 'Failed';
	return everStarted ? 'Running' : 'Pending';
}

function ctrStatus(c: Ctr, initPending: boolean): any {
	const image: string = c.spec.image ?? '';
	const s: any = {
		name: c.name,
		image: c.everStarted && c.info ? c.info.fullName : image,
		imageID: c.everStarted && c.info ? c.info.imageID : '',
		lastState: c.last ? {terminated: {...c.last}} : {},
		ready: c.init ? c.phase === 'done' : c.ready,
		restartCount: c.restartCount,
		started: c.phase === 'running' && c.started,
	};
	if (c.containerID) s.containerID = c.containerID;
	switch (c.phase) {
		case 'running':
			s.state = {running: {startedAt: isoSeconds(c.startedAt!)}};
			break;
		case 'exited':
		case 'done':
			s.state = {terminated: {...c.exited!}};
			break;
		case 'backoff':
			s.state = {waiting: {reason: 'CrashLoopBackOff', message: c.message}};
			break;
		case 'pullError':
			s.state = {waiting: {reason: 'ErrImagePull', message: c.message}};
			break;
		case 'pullBackoff':
			s.state = {waiting: {reason: 'ImagePullBackOff', message: c.message}};
			break;
		case 'neverPull':
			s.state = {waiting: {reason: 'ErrImageNeverPull', message: c.message}};
			break;
		default:
			s.state = {waiting: {reason: !c.init && initPending ? 'PodInitializing' : 'ContainerCreating'}};
	}
	return s;
}

/** The pod status for the runtime state, keeping condition transition times that did not change. */
export function buildStatus(rt: PodRt, previous: any, now: number): any {
	const prev: any[] = previous.conditions ?? [];
	const condition = (type: string, ok: boolean, reason?: string, message?: string) => {
		const status = ok ? 'True' : 'False';
		const old = prev.find((c) => c.type === type);
		const c: any = {
			type,
			status,
			lastProbeTime: null,
			lastTransitionTime: old && old.status === status ? old.lastTransitionTime : isoSeconds(now),
		};
		if (!ok && reason) c.reason = reason;
		if (!ok && message) c.message = message;
		return c;
	};
	const initPending = rt.init.some((c) => c.phase !== 'done');
	const phase = phaseOf(rt);
	const incompleteInit = rt.init.filter((c) => c.phase !== 'done').map((c) => c.name);
	const unready = rt.app.filter((c) => !c.ready).map((c) => c.name);
	const completed = phase === 'Succeeded' || phase === 'Failed';
	const readyReason = completed ? 'PodCompleted' : 'ContainersNotReady';
	const readyMessage = completed ? undefined : `containers with unready status: [${unready.join(' ')}]`;
	const conditions = [
		condition('PodReadyToStartContainers', rt.sandboxReady && !rt.finished),
		condition(
			'Initialized',
			!initPending || phase === 'Succeeded',
			'ContainersNotInitialized',
			`containers with incomplete status: [${incompleteInit.join(' ')}]`,
		),
		condition('Ready', unready.length === 0 && !completed, readyReason, readyMessage),
		condition('ContainersReady', unready.length === 0 && !completed, readyReason, readyMessage),
	];
	const scheduled = prev.find((c) => c.type === 'PodScheduled');
	if (scheduled) conditions.push(scheduled);
	const status: any = {
		phase,
		conditions,
		hostIP: '127.0.0.1',
		hostIPs: [{ip: '127.0.0.1'}],
	};
	if (rt.podIP) {
		status.podIP = rt.podIP;
		status.podIPs = [{ip: rt.podIP}];
	}
	status.startTime = isoSeconds(rt.startTime);
	if (rt.init.length) status.initContainerStatuses = rt.init.map((c) => ctrStatus(c, false));
	status.containerStatuses = rt.app.map((c) => ctrStatus(c, initPending));
	status.qosClass = previous.qosClass ?? 'BestEffort';
	return status;
}
