// default-scheduler: binds each pending pod to a Ready, schedulable node whose taints it tolerates and whose
// labels match its nodeSelector, spreading pods to the node with the fewest (ties taken in turn).
import type {EventRecorder} from './events.js';
import type {Controller, ControllerManager} from './manager.js';
import type {KubeObject, StoreEvent} from '../store.js';
import {isPodTerminal, isoSeconds, keyOf, splitKey} from './util.js';

const source = {component: 'default-scheduler'};

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

/** Schedules pods onto nodes. */
export class Scheduler implements Controller {
	readonly name = 'scheduler';
	private turn = 0;

	constructor(
		private readonly m: ControllerManager,
		private readonly events: EventRecorder,
	) {}

	private get store() {
		return this.m.store;
	}

	private wants(pod: KubeObject): boolean {
		return (
			!pod.spec?.nodeName &&
			!pod.metadata.deletionTimestamp &&
			!isPodTerminal(pod) &&
			(pod.spec?.schedulerName ?? 'default-scheduler') === 'default-scheduler'
		);
	}

	handle(e: StoreEvent): void {
		if (e.resource === 'pods') {
			if (e.type !== 'DELETED' && this.wants(e.object)) this.m.enqueue(this.name, keyOf(e.object));
		} else if (e.resource === 'nodes') {
			for (const pod of this.store.list('pods').items) if (this.wants(pod)) this.m.enqueue(this.name, keyOf(pod));
		}
	}

	sync(key: string): void {
		const {namespace, name} = splitKey(key);
		const pod = structuredClone(this.store.get('pods', namespace, name));
		if (!pod || !this.wants(pod)) return;
		const nodes = this.store.list('nodes').items;
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
				pod.status ??= {};
				pod.status.conditions = [
					...(pod.status.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled'),
					{
						type: 'PodScheduled',
						status: 'False',
						lastProbeTime: null,
						lastTransitionTime: isoSeconds(now),
						reason: 'Unschedulable',
						message,
					},
				];
				this.store.update('pods', pod, {subresource: 'status'});
				this.events.record(source, pod, 'Warning', 'FailedScheduling', message);
			}
			return;
		}
		const load = new Map<string, number>();
		for (const p of this.store.list('pods').items) {
			const node = p.spec?.nodeName;
			if (node && !isPodTerminal(p)) load.set(node, (load.get(node) ?? 0) + 1);
		}
		const least = Math.min(...fits.map((n) => load.get(n.metadata.name!) ?? 0));
		const candidates = fits
			.filter((n) => (load.get(n.metadata.name!) ?? 0) === least)
			.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
		const node = candidates[this.turn++ % candidates.length]!;

		pod.spec.nodeName = node.metadata.name;
		pod.status ??= {phase: 'Pending'};
		pod.status.conditions = [
			...(pod.status.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled'),
			{type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: isoSeconds(now)},
		];
		delete pod.metadata.resourceVersion;
		const bound = this.store.update('pods', pod);
		this.events.record(source, bound, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node.metadata.name}`);
	}
}
