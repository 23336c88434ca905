// default-scheduler: binds pending pods to a Ready, schedulable node whose taints they tolerate and whose labels
// match their nodeSelector, spreading pods to the node with the fewest (ties taken in turn). Pending pods wait in
// an active queue and are bound in batches; one that fits nowhere moves to the unschedulable set, retried when a
// node changes. Per-node counts come from an index, so binding a pod never scans the cluster's pods.
import {podNodeName} from '../indexer.js';
import type {KubeObject} from '../store.js';
import type {EventRecorder} from './events.js';
import type {Informer} from './informer.js';
import type {Controller, ControllerManager, WorkQueue} from './manager.js';
import {isPodTerminal, isoSeconds, keyOf, splitKey} from './util.js';

const source = {component: 'default-scheduler'};

/** Pods bound to a node and not finished, by node name: the load the scheduler spreads. */
export const activeByNode = 'activeByNode';

// Pods bound per sync: the rest wait for the next slice of work.
const batchSize = 200;
// The queue key of the pending pods (the scheduler binds them in batches, not one key per pod).
const pendingKey = 'pending';

type Taint = {key: string; value?: string; effect: string};

function tolerates(pod: KubeObject, taint: Taint): boolean {
	return (pod.spec?.tolerations ?? []).some((t: any) => {
		if (t.effect && t.effect !== taint.effect) return false;
		if ((t.operator ?? 'Equal') === 'Exists') return !t.key || t.key === taint.key;
		return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
	});
}

function nodeReady(node: KubeObject): boolean {
	return (node.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** Whether the default scheduler should bind this pod. */
function wantsScheduling(pod: KubeObject): boolean {
	return (
		!pod.spec?.nodeName &&
		!pod.metadata.deletionTimestamp &&
		!isPodTerminal(pod) &&
		(pod.spec?.schedulerName ?? 'default-scheduler') === 'default-scheduler'
	);
}

/** Schedules pods onto nodes. */
export class Scheduler implements Controller {
	readonly name = 'scheduler';
	private readonly queue: WorkQueue;
	private readonly pods: Informer;
	private readonly nodes: Informer;
	/** Pending pods to try, in arrival order. */
	private readonly active = new Set<string>();
	/** Pending pods that fit no node at their last try: retried when a node changes. */
	private readonly unschedulable = new Set<string>();
	private turn = 0;

	constructor(
		private readonly m: ControllerManager,
		private readonly events: EventRecorder,
	) {
		this.queue = m.queue(this);
		this.pods = m.informers.informer('pods');
		this.pods.addIndexer(activeByNode, (p) => (isPodTerminal(p) ? [] : podNodeName(p)));
		this.nodes = m.informers.informer('nodes');
		this.pods.addEventHandler(
			{
				add: (pod) => this.podChanged(undefined, pod),
				update: (old, pod) => this.podChanged(old, pod),
				delete: (pod) => {
					this.active.delete(keyOf(pod));
					this.unschedulable.delete(keyOf(pod));
				},
			},
			this.name,
		);
		const nodeChanged = () => {
			for (const key of this.unschedulable) this.active.add(key);
			this.unschedulable.clear();
			if (this.active.size > 0) this.queue.add(pendingKey);
		};
		this.nodes.addEventHandler({add: nodeChanged, update: nodeChanged, delete: nodeChanged}, this.name);
	}

	private get store() {
		return this.m.store;
	}

	private podChanged(old: KubeObject | undefined, pod: KubeObject): void {
		const key = keyOf(pod);
		if (!wantsScheduling(pod)) {
			this.active.delete(key);
			this.unschedulable.delete(key);
			return;
		}
		// An unschedulable pod waits for a node to change, or for its own spec to (a status write is not enough).
		if (this.unschedulable.has(key) && old?.spec === pod.spec) return;
		this.unschedulable.delete(key);
		this.active.add(key);
		this.queue.add(pendingKey);
	}

	/** Binds up to a batch of pending pods; queues itself again while more wait. */
	sync(_key: string): void {
		let n = 0;
		for (const key of this.active) {
			if (n++ >= batchSize) {
				this.queue.add(pendingKey);
				return;
			}
			this.active.delete(key);
			const {namespace, name} = splitKey(key);
			const pod = this.pods.get(namespace, name);
			if (!pod || !wantsScheduling(pod)) continue;
			// Marked first: the FailedScheduling status write must not put the pod straight back in the queue.
			this.unschedulable.add(key);
			if (this.schedule(pod)) this.unschedulable.delete(key);
		}
	}

	// Binds one pod, or records why it fits nowhere (returns false).
	private schedule(pod: KubeObject): boolean {
		const nodes = this.nodes.list();
		const reasons = new Map<string, number>();
		// Counts why a node does not fit, for the FailedScheduling message; always false.
		const unfit = (r: string): false => {
			reasons.set(r, (reasons.get(r) ?? 0) + 1);
			return false;
		};
		const fits = nodes.filter((node) => {
			if (!nodeReady(node)) return unfit('node(s) had untolerated taint {node.kubernetes.io/not-ready: }');
			if (node.spec?.unschedulable) return unfit('node(s) were unschedulable');
			const taint = (node.spec?.taints ?? []).find(
				(t: Taint) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod, t),
			);
			if (taint) return unfit(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
			const selector: Record<string, string> = pod.spec?.nodeSelector ?? {};
			if (!Object.entries(selector).every(([k, v]) => node.metadata.labels?.[k] === v))
				return unfit("node(s) didn't match Pod's node affinity/selector");
			return true;
		});
		const now = this.m.clock.now();
		if (fits.length === 0) {
			const detail = [...reasons]
				.map(([r, n]) => `${n} ${r}`)
				.sort()
				.join(', ');
			const message = `0/${nodes.length} nodes are available${detail ? `: ${detail}` : ''}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
			const current = (pod.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
			if (current?.message !== message) {
				const conditions = [
					...(pod.status?.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled'),
					{
						type: 'PodScheduled',
						status: 'False',
						lastProbeTime: null,
						lastTransitionTime: isoSeconds(now),
						reason: 'Unschedulable',
						message,
					},
				];
				this.store.update('pods', {...pod, status: {...pod.status, conditions}}, {subresource: 'status'});
				this.events.record(source, pod, 'Warning', 'FailedScheduling', message);
			}
			return false;
		}
		let least = Number.POSITIVE_INFINITY;
		for (const n of fits) least = Math.min(least, this.pods.countByIndex(activeByNode, n.metadata.name!));
		const candidates = fits
			.filter((n) => this.pods.countByIndex(activeByNode, n.metadata.name!) === least)
			.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
		const node = candidates[this.turn++ % candidates.length]!;

		const conditions = [
			...(pod.status?.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled'),
			{type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: isoSeconds(now)},
		];
		const {resourceVersion: _rv, ...metadata} = pod.metadata;
		const bound = this.store.update('pods', {
			...pod,
			metadata,
			spec: {...pod.spec, nodeName: node.metadata.name},
			status: {phase: 'Pending', ...pod.status, conditions},
		});
		this.events.record(
			source,
			bound,
			'Normal',
			'Scheduled',
			`Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node.metadata.name}`,
		);
		return true;
	}
}
