// The simulated kubelet's shared state and plumbing: pods, node images and IP pools, timers, events and status
// writes; the start, run and stop files take it as their first argument and reach each other through `life`.
import type {Timer} from '../clock.js';
import type {KubeObject} from '../store.js';
import type {EventRecorder} from './events.js';
import type {Informer} from './informer.js';
import {buildStatus} from './kubelet-status.js';
import {type Ctr, fieldPath, type KubeletTimings, type PodLifecycle, type PodRt} from './kubelet-types.js';
import type {ControllerManager} from './manager.js';
import type {ServingPods} from './serving.js';
import {noContainerHooks, type ContainerHooks} from './container-logs.js';

/**
 * The pods a kubelet runs, by key, that can also hand out one at random in constant time (the scale scenario's
 * churn picks its victims so; listing 20,000 candidates held the event loop for about 100 ms).
 */
export class PodTable extends Map<string, PodRt> {
	private readonly order: string[] = [];
	private readonly position = new Map<string, number>();

	override set(key: string, rt: PodRt): this {
		if (!this.position.has(key)) {
			this.position.set(key, this.order.length);
			this.order.push(key);
		}
		return super.set(key, rt);
	}

	override delete(key: string): boolean {
		const at = this.position.get(key);
		if (at !== undefined) {
			// Swap-remove: the last key takes the freed place.
			const last = this.order.pop()!;
			if (last !== key) {
				this.order[at] = last;
				this.position.set(last, at);
			}
			this.position.delete(key);
		}
		return super.delete(key);
	}

	override clear(): void {
		this.order.length = 0;
		this.position.clear();
		super.clear();
	}

	/** A key picked uniformly with `random` (in [0, 1)), or undefined when there are none. */
	randomKey(random: () => number): string | undefined {
		return this.order.length === 0 ? undefined : this.order[Math.floor(random() * this.order.length)];
	}
}

/** What one Kubelet holds while it runs pods; the phase functions take it as their first argument. */
export class KubeletRuntime {
	readonly pods = new PodTable();
	readonly images = new Map<string, Set<string>>();
	readonly ips = new Map<string, {next: number; used: Set<string>}>();
	/** Nodes whose kubelet is stopped (the machine died): nothing runs or is written there until it starts again. */
	readonly down = new Set<string>();

	constructor(
		readonly m: ControllerManager,
		private readonly events: EventRecorder,
		readonly timings: KubeletTimings,
		readonly serving: ServingPods,
		/** The pods informer: the kubelet reads its pods from it, never from the store. */
		readonly podCache: Informer,
		/** The lifecycle steps, wired by the Kubelet. */
		readonly life: PodLifecycle,
		/** Told when a container starts, gets its stop signal, exits, and when its pod is gone (container logs). */
		readonly hooks: ContainerHooks = noContainerHooks,
	) {}

	/** Where the kubelet writes (status, deletion), as its API client would. */
	get store() {
		return this.m.store;
	}

	/** The pod as cached, if it is still the one `rt` runs. */
	pod(rt: PodRt): KubeObject | undefined {
		const pod = this.podCache.get(rt.namespace, rt.name);
		return pod && pod.metadata.uid === rt.uid ? pod : undefined;
	}

	/** Drops a pod's runtime: its timers, served ports and IP; later timers for it do nothing. */
	forget(rt: PodRt): void {
		rt.gone = true;
		for (const c of [...rt.init, ...rt.app]) this.cancelTimers(c, rt);
		for (const t of rt.timers) t.cancel();
		rt.timers.clear();
		this.serving.remove(rt.namespace, rt.name, rt.uid);
		this.hooks.removed(rt.uid);
		if (rt.podIP) this.ips.get(rt.node)?.used.delete(rt.podIP);
		if (this.pods.get(rt.key) === rt) this.pods.delete(rt.key);
	}

	/** Runs `fn` after `ms` of simulated time, unless the pod is forgotten or the timer cancelled first. */
	later(rt: PodRt, c: Ctr | undefined, ms: number, fn: () => void): void {
		const set = c ? c.timers : rt.timers;
		const timer: Timer = this.m.after(
			Math.max(0, ms),
			() => {
				set.delete(timer);
				if (rt.gone) return;
				fn();
			},
			'kubelet',
		);
		set.add(timer);
	}

	/** Cancels a container's pending timers. */
	cancelTimers(c: Ctr, _rt: PodRt): void {
		for (const t of c.timers) t.cancel();
		c.timers.clear();
	}

	/** Records a kubelet event on the pod (and the container's field path). */
	record(rt: PodRt, type: 'Normal' | 'Warning', reason: string, message: string, c?: Ctr): void {
		const pod = this.pod(rt);
		const ref: KubeObject = pod
			? {...pod, kind: pod.kind ?? 'Pod', apiVersion: pod.apiVersion ?? 'v1'}
			: {apiVersion: 'v1', kind: 'Pod', metadata: {name: rt.name, namespace: rt.namespace, uid: rt.uid}};
		this.events.record({component: 'kubelet', host: rt.node}, ref, type, reason, message, c ? fieldPath(c) : undefined);
	}

	/** Writes the pod's status subresource when it differs from what is stored. */
	writeStatus(rt: PodRt): void {
		if (rt.gone) return;
		const pod = this.pod(rt);
		if (!pod) return;
		const status = buildStatus(rt, pod.status ?? {}, this.m.clock.now());
		// An unchanged status is a no-op write: the store compares (sharing the parts that are the same object).
		this.store.update('pods', {...pod, status}, {subresource: 'status'});
	}
}
