// The simulated kubelet's shared state and plumbing: pods, node images and IP pools, timers, events and status
// writes, plus the entry points the start/run/stop files call on each other; separate so they share one object.
import type {Timer} from '../clock.js';
import type {EventRecorder} from './events.js';
import type {ControllerManager} from './manager.js';
import type {ServingPods} from './serving.js';
import type {KubeObject} from '../store.js';
import {jsonEqual} from './util.js';
import {fieldPath, type Ctr, type KubeletTimings, type PodRt} from './kubelet-types.js';
import {buildStatus} from './kubelet-status.js';
import {advance as advancePod, startContainer as startPodContainer} from './kubelet-start.js';
import {finishIfStopped as finishPodIfStopped} from './kubelet-stop.js';

/** What one Kubelet holds while it runs pods; the phase functions take it as their first argument. */
export class KubeletRuntime {
	readonly pods = new Map<string, PodRt>();
	readonly images = new Map<string, Set<string>>();
	readonly ips = new Map<string, {next: number; used: Set<string>}>();

	constructor(
		readonly m: ControllerManager,
		private readonly events: EventRecorder,
		readonly timings: KubeletTimings,
		readonly serving: ServingPods,
	) {}

	/** The manager's store (read on each use, as the controllers do). */
	get store() {
		return this.m.store;
	}

	/** Starts whatever container of the pod is next (see kubelet-start). */
	advance(rt: PodRt): void {
		advancePod(this, rt);
	}

	/** Starts (or restarts) one container, from its image pull on (see kubelet-start). */
	startContainer(rt: PodRt, c: Ctr): void {
		startPodContainer(this, rt, c);
	}

	/** Removes a terminating pod once none of its containers runs (see kubelet-stop). */
	finishIfStopped(rt: PodRt): void {
		finishPodIfStopped(this, rt);
	}

	/** Drops a pod's runtime: its timers, served ports and IP; later timers for it do nothing. */
	forget(rt: PodRt): void {
		rt.gone = true;
		for (const c of [...rt.init, ...rt.app]) this.cancelTimers(c, rt);
		for (const t of rt.timers) t.cancel();
		rt.timers.clear();
		this.serving.remove(rt.namespace, rt.name, rt.uid);
		if (rt.podIP) this.ips.get(rt.node)?.used.delete(rt.podIP);
		if (this.pods.get(rt.key) === rt) this.pods.delete(rt.key);
	}

	/** Runs `fn` after `ms` of simulated time, unless the pod is forgotten or the timer cancelled first. */
	later(rt: PodRt, c: Ctr | undefined, ms: number, fn: () => void): void {
		const set = c ? c.timers : rt.timers;
		const timer: Timer = this.m.after(Math.max(0, ms), () => {
			set.delete(timer);
			if (rt.gone) return;
			fn();
		});
		set.add(timer);
	}

	/** Cancels a container's pending timers. */
	cancelTimers(c: Ctr, _rt: PodRt): void {
		for (const t of c.timers) t.cancel();
		c.timers.clear();
	}

	/** Records a kubelet event on the pod (and the container's field path). */
	record(rt: PodRt, type: 'Normal' | 'Warning', reason: string, message: string, c?: Ctr): void {
		const pod = this.store.get('pods', rt.namespace, rt.name);
		const ref: KubeObject =
			pod && pod.metadata.uid === rt.uid
				? {...pod}
				: {apiVersion: 'v1', kind: 'Pod', metadata: {name: rt.name, namespace: rt.namespace, uid: rt.uid}};
		ref.kind ??= 'Pod';
		ref.apiVersion ??= 'v1';
		this.events.record({component: 'kubelet', host: rt.node}, ref, type, reason, message, c ? fieldPath(c) : undefined);
	}

	/** Writes the pod's status subresource when it differs from what is stored. */
	writeStatus(rt: PodRt): void {
		if (rt.gone) return;
		const pod = this.store.get('pods', rt.namespace, rt.name);
		if (!pod || pod.metadata.uid !== rt.uid) return;
		const status = buildStatus(rt, pod.status ?? {}, this.m.clock.now());
		if (jsonEqual(pod.status ?? {}, status)) return;
		this.store.update('pods', {...pod, status}, {subresource: 'status'});
	}
}
