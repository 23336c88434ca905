// The kubelet of every simulated node: it runs the pods bound to its node through the phases and container
// states a real kubelet reports (ContainerCreating, pulls, Created, Started, Running, readiness, ErrImagePull
// and ImagePullBackOff, CrashLoopBackOff with growing back-off, init containers), and stops them gracefully
// (Killing, preStop, SIGTERM, SIGKILL at the end of the grace period) before removing the pod.
// Time passes only through the manager's clock, so a ManualClock makes every step deterministic.
// This file is the controller and wires the lifecycle; the steps live in kubelet-start, kubelet-run and
// kubelet-stop (which reach each other only through the PodLifecycle built here), the pure status in
// kubelet-status, the shared state in kubelet-runtime.
import type {KubeObject} from '../store.js';
import type {EventRecorder} from './events.js';
import {lookupImage} from './images.js';
import type {Informer} from './informer.js';
import {exitContainer, flapReadiness, onRunning} from './kubelet-run.js';
import type {ContainerHooks} from './container-logs.js';
import {KubeletRuntime} from './kubelet-runtime.js';
import {admit, adopt, advance, startContainer} from './kubelet-start.js';
import {finishIfStopped, shortenGrace, terminate} from './kubelet-stop.js';
import {defaultKubeletTimings, type KubeletTimings, type PodLifecycle} from './kubelet-types.js';
import type {Controller, ControllerManager, WorkQueue} from './manager.js';
import type {ServingPods} from './serving.js';
import {keyOf, simNow, splitKey} from './util.js';
import {postedNodeStatus} from './kubelet-node.js';
import type {NodeLeases} from './node-leases.js';
import {podNodeName} from '../indexer.js';

export {defaultKubeletTimings, type KubeletTimings} from './kubelet-types.js';
export {commandRunMs, preStopMs} from './kubelet-process.js';

export type KubeletOptions = {
	servingPods: ServingPods;
	/** Told about container starts, stop signals and exits (the container log store). */
	containerHooks?: ContainerHooks;
	timings?: Partial<KubeletTimings>;
	/** The nodes' leases: a stopped kubelet renews its node's lease no more. */
	leases?: NodeLeases;
};

/** Pods by node, for the kubelet of one node (informers are shared: the first definition of a name serves all). */
const kubeletPodsByNode = 'podsByNode';

/** Runs the pods bound to any node in the store. */
export class Kubelet implements Controller {
	readonly name = 'kubelet';
	private readonly k: KubeletRuntime;
	private readonly queue: WorkQueue;
	private readonly pods: Informer;
	private readonly nodes: Informer;
	private readonly events: EventRecorder;
	private readonly leases: NodeLeases | undefined;
	// Pods whose containers died with their node: started again from scratch when the node comes back.
	private readonly rebooted = new Set<string>();

	constructor(
		private readonly m: ControllerManager,
		events: EventRecorder,
		options: KubeletOptions,
	) {
		this.queue = m.queue(this);
		this.pods = m.informers.informer('pods');
		this.pods.addIndexer(kubeletPodsByNode, podNodeName);
		this.nodes = m.informers.informer('nodes');
		this.events = events;
		this.leases = options.leases;
		const life: PodLifecycle = {
			advance: (rt) => advance(this.k, rt),
			startContainer: (rt, c) => startContainer(this.k, rt, c),
			onRunning: (rt, c, o) => onRunning(this.k, rt, c, o),
			exitContainer: (rt, c, exitCode, reason) => exitContainer(this.k, rt, c, exitCode, reason),
			finishIfStopped: (rt) => finishIfStopped(this.k, rt),
		};
		this.k = new KubeletRuntime(
			m,
			events,
			{...defaultKubeletTimings, ...options.timings},
			options.servingPods,
			this.pods,
			life,
			options.containerHooks,
		);
		const podChanged = (pod: KubeObject, deleted: boolean) => {
			const key = keyOf(pod);
			if (deleted || pod.spec?.nodeName || this.k.pods.has(key)) this.queue.add(key);
		};
		this.pods.addEventHandler(
			{add: (pod) => podChanged(pod, false), update: (_old, pod) => podChanged(pod, false), delete: (pod) => podChanged(pod, true)},
			this.name,
		);
	}

	private get store() {
		return this.m.store;
	}

	/** True when the node already holds the image (for tests and scenarios that pre-pull). */
	hasImage(node: string, image: string): boolean {
		const info = lookupImage(image);
		return !!info && !!this.k.images.get(node)?.has(info.reference);
	}

	/** Puts an image on a node without a pull event, like an image baked into the node. */
	prePull(node: string, image: string): void {
		const info = lookupImage(image);
		if (!info) return;
		let set = this.k.images.get(node);
		if (!set) {
			set = new Set();
			this.k.images.set(node, set);
		}
		set.add(info.reference);
	}

	/** The key of a pod this kubelet runs, picked at random (what churn tries to disturb), or undefined. */
	randomPod(random: () => number): string | undefined {
		return this.k.pods.randomKey(random);
	}

	/**
	 * Disturbs a running pod as a busy cluster does (the scale scenario's churn): a readiness flap (not ready for
	 * `downMs`, with its Unhealthy event) or a container restart (OOMKilled, then restarted by the usual path).
	 * Returns false when the pod is not running and ready.
	 */
	disturb(key: string, incident: 'readiness-flap' | 'restart', downMs = 3000): boolean {
		const rt = this.k.pods.get(key);
		const c = rt?.app[0];
		if (!rt || !c || c.phase !== 'running' || !c.ready || rt.terminating) return false;
		if (incident === 'readiness-flap') return flapReadiness(this.k, rt, c, downMs);
		exitContainer(this.k, rt, c, 137, 'OOMKilled');
		return true;
	}

	/** The nodes whose kubelet is stopped. */
	stoppedNodes(): string[] {
		return [...this.k.down];
	}

	/**
	 * Stops a node's kubelet as when its machine dies: its containers are gone (nothing serves), nothing more is
	 * written for its pods, and its lease is renewed no more, so the node lifecycle controller takes over.
	 */
	stopNode(node: string): void {
		if (this.k.down.has(node)) return;
		this.k.down.add(node);
		for (const rt of [...this.k.pods.values()]) {
			if (rt.node !== node) continue;
			this.k.forget(rt);
			this.rebooted.add(rt.key);
		}
		this.leases?.stop(node, simNow(this.m.clock));
	}

	/** Starts a stopped node's kubelet: it posts a Ready status, renews its lease, and runs (or finishes) its pods. */
	startNode(node: string): void {
		if (!this.k.down.delete(node)) return;
		this.leases?.start(node);
		const current = this.store.get('nodes', undefined, node);
		if (current) {
			const {resourceVersion: _rv, ...metadata} = current.metadata;
			const posted = this.store.update(
				'nodes',
				{...current, metadata, status: postedNodeStatus(current, this.m.clock.now())},
				{
					subresource: 'status',
				},
			);
			const kubelet = {component: 'kubelet', host: node};
			this.events.record(kubelet, posted, 'Normal', 'Starting', 'Starting kubelet.');
			this.events.record(kubelet, posted, 'Normal', 'NodeReady', `Node ${node} status is now: NodeReady`);
		}
		for (const pod of this.pods.byIndex(kubeletPodsByNode, node)) this.queue.add(keyOf(pod));
	}

	sync(key: string): void {
		const {namespace, name} = splitKey(key);
		const pod = this.pods.get(namespace, name);
		let rt = this.k.pods.get(key);
		if (rt && (!pod || pod.metadata.uid !== rt.uid)) {
			this.k.forget(rt);
			rt = undefined;
		}
		if (!pod) this.rebooted.delete(key);
		if (!pod?.spec?.nodeName) return;
		if (!this.nodes.has(undefined, pod.spec.nodeName)) return;
		// A stopped kubelet does nothing; it catches up when it starts again.
		if (this.k.down.has(pod.spec.nodeName)) return;
		if (!rt) {
			if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
				if (pod.metadata.deletionTimestamp) this.store.delete('pods', namespace, name);
				return;
			}
			// A pod whose node died lost its containers: it starts afresh, where a running pod found at start-up is adopted.
			const lost = this.rebooted.delete(key);
			rt = pod.status?.phase === 'Running' && !lost ? adopt(this.k, pod) : admit(this.k, pod);
		}
		if (pod.metadata.deletionTimestamp && !rt.terminating) terminate(this.k, rt, pod);
		else if (pod.metadata.deletionTimestamp && rt.terminating) shortenGrace(this.k, rt, pod);
	}
}
