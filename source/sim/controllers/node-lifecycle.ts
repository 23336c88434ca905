// The node lifecycle controller of kube-controller-manager (pkg/controller/nodelifecycle): a node whose kubelet
// stopped renewing its lease for longer than the grace period (node-monitor-grace-period, 50 s since 1.32) gets
// its Ready, MemoryPressure, DiskPressure and PIDPressure conditions set to Unknown ("Kubelet stopped posting node
// status."), a NodeNotReady event, and its pods' Ready condition set to False (a NodeNotReady event each, as
// MarkPodsNotReady records). Its taints follow the Ready condition: Unknown gives node.kubernetes.io/unreachable,
// False node.kubernetes.io/not-ready, each as NoSchedule and NoExecute, with timeAdded; True removes them. When
// every node is not ready (full disruption) no NoExecute taint is kept, so that nothing is evicted. The taint
// eviction controller (taint-eviction.ts) acts on the NoExecute taints.
import {podNodeName} from '../indexer.js';
import type {KubeObject} from '../store.js';
import type {EventRecorder} from './events.js';
import type {Informer} from './informer.js';
import type {Controller, ControllerManager, WorkQueue} from './manager.js';
import type {NodeLeases} from './node-leases.js';
import {isoSeconds, simNow} from './util.js';

const source = {component: 'node-controller'};

/** kube-controller-manager's --node-monitor-grace-period default (1.32 and later), in simulated ms. */
export const defaultNodeMonitorGracePeriodMs = 50_000;

export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
export const notReadyTaintKey = 'node.kubernetes.io/not-ready';

/** Pods by the node they are bound to (informers are shared: other controllers read the same index). */
export const podsByNode = 'podsByNode';

// The conditions the controller sets to Unknown; NetworkUnavailable is the cloud's, left alone.
const monitoredConditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export type Taint = {key: string; value?: string; effect: string; timeAdded?: string};

export type NodeLifecycleOptions = {
	/** How long a lease may go unrenewed before the node is Unknown (simulated ms). @default 50000 */
	gracePeriodMs?: number;
};

function readyStatus(node: KubeObject): string | undefined {
	return (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready')?.status;
}

/** The taint key the node's Ready condition calls for, if any. */
function taintKeyFor(status: string | undefined): string | undefined {
	if (status === 'Unknown' || status === undefined) return unreachableTaintKey;
	if (status === 'False') return notReadyTaintKey;
	return undefined;
}

function isControllerTaint(t: Taint): boolean {
	return (t.key === unreachableTaintKey || t.key === notReadyTaintKey) && (t.effect === 'NoSchedule' || t.effect === 'NoExecute');
}

/** Marks nodes whose kubelet went silent, and taints them after their Ready condition. */
export class NodeLifecycleController implements Controller {
	readonly name = 'node-lifecycle-controller';
	private readonly queue: WorkQueue;
	private readonly nodes: Informer;
	private readonly pods: Informer;
	private readonly gracePeriodMs: number;
	// Whether every node was not ready at the last look (no evictions then).
	private fullDisruption = false;

	constructor(
		private readonly m: ControllerManager,
		private readonly events: EventRecorder,
		private readonly leases: NodeLeases,
		options: NodeLifecycleOptions = {},
	) {
		this.gracePeriodMs = options.gracePeriodMs ?? defaultNodeMonitorGracePeriodMs;
		this.queue = m.queue(this);
		this.nodes = m.informers.informer('nodes');
		this.pods = m.informers.informer('pods');
		this.pods.addIndexer(podsByNode, podNodeName);
		const nodeChanged = (node: KubeObject) => this.queue.add(node.metadata.name!);
		this.nodes.addEventHandler({add: nodeChanged, update: (_old, node) => nodeChanged(node)}, this.name);
		// A pod bound to a node that is not ready is marked not ready too (the controller's processPod).
		const podChanged = (pod: KubeObject) => {
			const node = pod.spec?.nodeName;
			if (node && this.nodes.has(undefined, node) && readyStatus(this.nodes.get(undefined, node)!) !== 'True') this.queue.add(node);
		};
		this.pods.addEventHandler({add: podChanged, update: (_old, pod) => podChanged(pod)}, this.name);
		// A kubelet that stops or starts: judge its node now (and again when the grace period has run out).
		leases.onChange((node) => this.queue.add(node));
	}

	private get store() {
		return this.m.store;
	}

	sync(name: string): void {
		const node = this.nodes.get(undefined, name);
		if (!node) return;
		if (!this.leases.renewing(name)) {
			const silentFor = simNow(this.m.clock) - this.leases.renewTime(name, simNow(this.m.clock));
			if (silentFor < this.gracePeriodMs) {
				this.queue.addAfter(name, this.gracePeriodMs - silentFor);
			} else if (readyStatus(node) !== 'Unknown') {
				// The status write comes back as a node update, which reconciles the taints.
				this.markUnknown(node);
				return;
			}
		}
		if (readyStatus(node) !== 'True') this.markPodsNotReady(name);
		this.reconcileTaints(node);
	}

	// tryUpdateNodeHealth past the grace period: the monitored conditions become Unknown.
	private markUnknown(node: KubeObject): void {
		const now = isoSeconds(this.m.clock.now());
		const conditions = (node.status?.conditions ?? []).map((c: any) =>
			monitoredConditions.includes(c.type) && c.status !== 'Unknown'
				? {...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now}
				: c,
		);
		const {resourceVersion: _rv, ...metadata} = node.metadata;
		const updated = this.store.update('nodes', {...node, metadata, status: {...node.status, conditions}}, {subresource: 'status'});
		this.events.record(source, updated, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`);
		this.markPodsNotReady(node.metadata.name!);
	}

	// MarkPodsNotReady: each pod on the node that is still Ready gets Ready=False and a NodeNotReady event.
	private markPodsNotReady(nodeName: string): void {
		const now = isoSeconds(this.m.clock.now());
		for (const pod of this.pods.byIndex(podsByNode, nodeName)) {
			const conditions: any[] = pod.status?.conditions ?? [];
			const ready = conditions.find((c) => c.type === 'Ready');
			if (!ready || ready.status === 'False') continue;
			const next = conditions.map((c) => (c.type === 'Ready' ? {...c, status: 'False', lastTransitionTime: now} : c));
			const {resourceVersion: _rv, ...metadata} = pod.metadata;
			const updated = this.store.update('pods', {...pod, metadata, status: {...pod.status, conditions: next}}, {subresource: 'status'});
			this.events.record(source, updated, 'Warning', 'NodeNotReady', 'Node is not ready');
		}
	}

	// The unreachable or not-ready taints the Ready condition calls for, NoSchedule and NoExecute; the node's other
	// taints are kept as they are.
	private reconcileTaints(node: KubeObject): void {
		const taints: Taint[] = node.spec?.taints ?? [];
		const key = taintKeyFor(readyStatus(node));
		const fullDisruption = this.nodes.list().every((n) => readyStatus(n) !== 'True');
		// Entering or leaving full disruption changes what every node should carry (handleDisruption).
		if (fullDisruption !== this.fullDisruption) {
			this.fullDisruption = fullDisruption;
			for (const n of this.nodes.list()) if (n.metadata.name !== node.metadata.name) this.queue.add(n.metadata.name!);
		}
		const wanted: Taint[] = key ? [{key, effect: 'NoSchedule'}] : [];
		if (key && !fullDisruption) wanted.push({key, effect: 'NoExecute'});
		const has = (t: Taint) => taints.some((x) => x.key === t.key && x.effect === t.effect);
		const kept = taints.filter((t) => !isControllerTaint(t) || wanted.some((w) => w.key === t.key && w.effect === t.effect));
		const added = wanted.filter((w) => !has(w)).map((w) => ({...w, timeAdded: isoSeconds(this.m.clock.now())}));
		if (added.length === 0 && kept.length === taints.length) return;
		const next = [...kept, ...added];
		const {resourceVersion: _rv, ...metadata} = node.metadata;
		const spec = {...node.spec};
		if (next.length > 0) spec.taints = next;
		else delete spec.taints;
		this.store.update('nodes', {...node, metadata, spec});
	}
}
