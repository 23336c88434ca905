// The taint eviction controller of kube-controller-manager (pkg/controller/tainteviction, the NoExecute taint
// manager): a pod on a node with NoExecute taints it does not tolerate is deleted at once; one whose matching
// tolerations carry tolerationSeconds is deleted after the shortest of them (300 s for the tolerations the
// DefaultTolerationSeconds admission adds for not-ready and unreachable), counted from when the controller saw the
// taint; a toleration without seconds keeps it forever. Before the delete, the pod gets the DisruptionTarget
// condition (DeletionByTaintManager) and a TaintManagerEviction event; a scheduled eviction that is no longer
// needed (the taint went, the pod went) is cancelled with a "Cancelling deletion" event. The deleted pod stays
// Terminating while its node's kubelet is down; its ReplicaSet replaces it meanwhile.
import type {Timer} from '../clock.js';
import type {KubeObject} from '../store.js';
import type {EventRecorder} from './events.js';
import type {Informer} from './informer.js';
import type {Controller, ControllerManager, WorkQueue} from './manager.js';
import {podsByNode, type Taint} from './node-lifecycle.js';
import {podNodeName} from '../indexer.js';
import {deletePodGracefully, isoSeconds, jsonEqual, keyOf, simNow, splitKey} from './util.js';

const source = {component: 'taint-eviction-controller'};

type Toleration = {key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number};

/** v1.Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
	if (t.effect && t.effect !== taint.effect) return false;
	if (t.key && t.key !== taint.key) return false;
	if ((t.operator ?? 'Equal') === 'Exists') return true;
	return !!t.key && (t.value ?? '') === (taint.value ?? '');
}

/** The tolerations used to tolerate every taint, or undefined when one taint is not tolerated (GetMatchingTolerations). */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[]): Toleration[] | undefined {
	const used: Toleration[] = [];
	for (const taint of taints) {
		const t = tolerations.find((x) => toleratesTaint(x, taint));
		if (!t) return undefined;
		used.push(t);
	}
	return used;
}

/** The shortest tolerationSeconds in ms (0 when one is 0 or less), or -1 when none is bounded (getMinTolerationTime). */
export function minTolerationMs(used: readonly Toleration[]): number {
	if (used.length === 0) return 0;
	let min = Number.POSITIVE_INFINITY;
	for (const t of used) {
		if (typeof t.tolerationSeconds !== 'number') continue;
		if (t.tolerationSeconds <= 0) return 0;
		min = Math.min(min, t.tolerationSeconds);
	}
	return Number.isFinite(min) ? min * 1000 : -1;
}

function noExecuteTaints(node: KubeObject | undefined): Taint[] {
	return ((node?.spec?.taints ?? []) as Taint[])
		.filter((t) => t.effect === 'NoExecute')
		.map(({key, value, effect}) => ({key, value, effect}));
}

/** Evicts pods from nodes with NoExecute taints they do not tolerate (or tolerate only for a while). */
export class TaintEvictionController implements Controller {
	readonly name = 'taint-eviction-controller';
	private readonly queue: WorkQueue;
	private readonly nodes: Informer;
	private readonly pods: Informer;
	// The NoExecute taints of each tainted node, as last seen.
	private readonly tainted = new Map<string, Taint[]>();
	// Pods waiting for their eviction: when it was scheduled (simulated ms) and its timer.
	private readonly scheduled = new Map<string, {createdAt: number; timer: Timer}>();

	constructor(
		private readonly m: ControllerManager,
		private readonly events: EventRecorder,
	) {
		this.queue = m.queue(this);
		this.nodes = m.informers.informer('nodes');
		this.pods = m.informers.informer('pods');
		this.pods.addIndexer(podsByNode, podNodeName);
		this.nodes.addEventHandler(
			{
				add: (node) => {
					if (noExecuteTaints(node).length > 0) this.queue.add(`node:${node.metadata.name}`);
				},
				update: (old, node) => {
					if (!jsonEqual(noExecuteTaints(old), noExecuteTaints(node))) this.queue.add(`node:${node.metadata.name}`);
				},
				delete: (node) => this.queue.add(`node:${node.metadata.name}`),
			},
			this.name,
		);
		this.pods.addEventHandler(
			{
				add: (pod) => this.queue.add(`pod:${keyOf(pod)}`),
				update: (old, pod) => {
					if (old.spec?.nodeName !== pod.spec?.nodeName || !jsonEqual(old.spec?.tolerations, pod.spec?.tolerations))
						this.queue.add(`pod:${keyOf(pod)}`);
				},
				delete: (pod) => this.queue.add(`pod:${keyOf(pod)}`),
			},
			this.name,
		);
	}

	sync(key: string): void {
		if (key.startsWith('node:')) this.syncNode(key.slice('node:'.length));
		else this.syncPod(key.slice('pod:'.length));
	}

	// handleNodeUpdate: remember the node's NoExecute taints, then judge each of its pods.
	private syncNode(name: string): void {
		const node = this.nodes.get(undefined, name);
		const taints = noExecuteTaints(node);
		if (taints.length === 0) this.tainted.delete(name);
		else this.tainted.set(name, taints);
		if (!node) return;
		const now = simNow(this.m.clock);
		for (const pod of this.pods.byIndex(podsByNode, name)) {
			if (taints.length === 0) this.cancel(keyOf(pod));
			else this.judge(pod, taints, now);
		}
	}

	// handlePodUpdate: a pod that went is no longer to be evicted; a pod on a tainted node is judged.
	private syncPod(key: string): void {
		const {namespace, name} = splitKey(key);
		const pod = this.pods.get(namespace, name);
		if (!pod) {
			this.cancel(key);
			return;
		}
		const taints = pod.spec?.nodeName ? this.tainted.get(pod.spec.nodeName) : undefined;
		if (taints) this.judge(pod, taints, simNow(this.m.clock));
	}

	// processPodOnNode: evict now, after the shortest toleration, or never.
	private judge(pod: KubeObject, taints: Taint[], now: number): void {
		const key = keyOf(pod);
		const used = matchingTolerations(taints, pod.spec?.tolerations ?? []);
		if (!used) {
			this.cancel(key);
			this.schedule(key, now, 0);
			return;
		}
		const wait = minTolerationMs(used);
		if (wait < 0) {
			this.cancel(key);
			return;
		}
		// An eviction already scheduled keeps its start.
		if (this.scheduled.has(key)) return;
		this.schedule(key, now, wait);
	}

	private schedule(key: string, now: number, waitMs: number): void {
		const timer = this.m.after(waitMs, () => this.evict(key), this.name);
		this.scheduled.set(key, {createdAt: now, timer});
	}

	private cancel(key: string): void {
		const entry = this.scheduled.get(key);
		if (!entry) return;
		entry.timer.cancel();
		this.scheduled.delete(key);
		const {namespace, name} = splitKey(key);
		this.events.record(source, podRef(namespace ?? '', name), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
	}

	// addConditionAndDeletePod: DisruptionTarget first, then the delete (graceful: the pod waits for its kubelet).
	private evict(key: string): void {
		this.scheduled.delete(key);
		const {namespace, name} = splitKey(key);
		const pod = this.m.store.get('pods', namespace, name);
		if (!pod) return;
		this.events.record(source, podRef(namespace ?? '', name), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
		const conditions: any[] = pod.status?.conditions ?? [];
		if (!conditions.some((c) => c.type === 'DisruptionTarget' && c.status === 'True')) {
			const condition = {
				type: 'DisruptionTarget',
				status: 'True',
				lastProbeTime: null,
				lastTransitionTime: isoSeconds(this.m.clock.now()),
				reason: 'DeletionByTaintManager',
				message: 'Taint manager: deleting due to NoExecute taint',
			};
			const {resourceVersion: _rv, ...metadata} = pod.metadata;
			this.m.store.update(
				'pods',
				{...pod, metadata, status: {...pod.status, conditions: [...conditions.filter((c) => c.type !== 'DisruptionTarget'), condition]}},
				{subresource: 'status'},
			);
		}
		deletePodGracefully(this.m.store, this.m.clock, namespace ?? '', name);
	}
}

// The event's object as the controller names it: a reference by namespace and name only.
function podRef(namespace: string, name: string): KubeObject {
	return {apiVersion: 'v1', kind: 'Pod', metadata: {namespace, name}};
}
