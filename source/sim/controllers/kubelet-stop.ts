// Pod termination in the simulated kubelet: Killing, preStop hooks, SIGTERM, SIGKILL at the end of the grace
// period, a shortened grace on a second delete, and removing the pod once stopped; separate from start and run.
import type {KubeObject} from '../store.js';
import {preStopMs} from './kubelet-process.js';
import type {KubeletRuntime} from './kubelet-runtime.js';
import {type Ctr, minimumGracePeriodMs, type PodRt} from './kubelet-types.js';

/** A second delete with a shorter grace period (kubectl delete --grace-period=N) brings the kill forward. */
export function shortenGrace(k: KubeletRuntime, rt: PodRt, pod: KubeObject): void {
	const grace = pod.metadata.deletionGracePeriodSeconds;
	if (typeof grace !== 'number' || rt.graceSeconds === undefined || grace >= rt.graceSeconds) return;
	rt.graceSeconds = grace;
	// The kubelet re-issues the kill with the new grace period, counted from now.
	const left = grace * 1000;
	for (const c of [...rt.init, ...rt.app]) {
		if (c.phase !== 'running') continue;
		k.cancelTimers(c, rt);
		if (!c.sigterm) {
			c.sigterm = true;
			k.serving.stop(rt.namespace, rt.name, rt.uid, c.name);
			k.hooks.stopping(rt.uid, c.name);
		}
		k.later(rt, c, left, () => k.life.exitContainer(rt, c, 137, 'Error'));
	}
}

/** Starts stopping a pod being deleted: Killing, preStop, SIGTERM; SIGKILL when the grace period runs out. */
export function terminate(k: KubeletRuntime, rt: PodRt, pod: KubeObject): void {
	rt.terminating = true;
	const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
	rt.graceSeconds = grace;
	const graceMs = Math.max(0, grace * 1000);
	const running: Ctr[] = [];
	for (const c of [...rt.init, ...rt.app]) {
		if (c.phase === 'running') {
			running.push(c);
			continue;
		}
		k.cancelTimers(c, rt);
	}
	for (const t of rt.timers) t.cancel();
	rt.timers.clear();
	if (running.length === 0) {
		k.later(rt, undefined, k.timings.stopMs, () => finishIfStopped(k, rt));
		return;
	}
	for (const c of running) {
		k.cancelTimers(c, rt);
		k.record(rt, 'Normal', 'Killing', `Stopping container ${c.name}`, c);
		const hook = preStopMs(c.spec.lifecycle?.preStop);
		let sigtermAt = 0;
		let remaining = graceMs;
		if (hook !== undefined) {
			sigtermAt = Math.min(hook, graceMs);
			remaining = Math.max(graceMs - sigtermAt, minimumGracePeriodMs);
		}
		// Without a hook, SIGTERM goes at once: the process stops listening while the endpoints may still list it.
		if (hook === undefined) sigterm(k, rt, c, remaining);
		else k.later(rt, c, sigtermAt, () => sigterm(k, rt, c, remaining));
	}
}

function sigterm(k: KubeletRuntime, rt: PodRt, c: Ctr, remainingMs: number): void {
	if (c.phase !== 'running') return;
	c.sigterm = true;
	k.serving.stop(rt.namespace, rt.name, rt.uid, c.name);
	k.hooks.stopping(rt.uid, c.name);
	if (c.info?.ignoresSigterm) {
		k.later(rt, c, remainingMs, () => k.life.exitContainer(rt, c, 137, 'Error'));
	} else {
		k.later(rt, c, Math.min(k.timings.stopMs, remainingMs), () => k.life.exitContainer(rt, c, 0, 'Completed'));
	}
}

/** Once no container runs, writes the final status, deletes the pod and forgets it. */
export function finishIfStopped(k: KubeletRuntime, rt: PodRt): void {
	if (rt.finished || rt.gone) return;
	if ([...rt.init, ...rt.app].some((c) => c.phase === 'running')) return;
	rt.finished = true;
	k.writeStatus(rt);
	if (k.pod(rt)) k.store.delete('pods', rt.namespace, rt.name);
	k.forget(rt);
}
