// The ReplicaSet controller, after pkg/controller/replicaset: it keeps spec.replicas pods (named
// <rs>-<5 chars>) alive, deletes the least valuable first when there are too many, and reports replicas,
// fullyLabeledReplicas, readyReplicas and availableReplicas (minReadySeconds) in its status.
import type {EventRecorder} from './events.js';
import type {Controller, ControllerManager} from './manager.js';
import {defaultPodForCreate} from './pod-defaults.js';
import type {KubeObject, StoreEvent} from '../store.js';
import {
	clockSpeed,
	controllerOf,
	controllerRef,
	deletePodGracefully,
	isPodActive,
	isPodReady,
	jsonEqual,
	keyOf,
	parseTime,
	podCondition,
	selectorMatches,
	simNow,
	simSince,
	splitKey,
} from './util.js';

const source = {component: 'replicaset-controller'};

/** Reconciles ReplicaSets into pods. */
export class ReplicaSetController implements Controller {
	readonly name = 'replicaset';
	private seq = 0;
	private readonly created = new Map<string, number>();
	// When each pod became Ready, in simulated time (the condition's timestamp has only second precision).
	private readonly readySince = new Map<string, number>();

	constructor(
		private readonly m: ControllerManager,
		private readonly events: EventRecorder,
	) {}

	private get store() {
		return this.m.store;
	}

	handle(e: StoreEvent): void {
		const o = e.object;
		if (e.resource === 'replicasets') {
			if (e.type !== 'DELETED') this.m.enqueue(this.name, keyOf(o));
			return;
		}
		if (e.resource !== 'pods') return;
		const uid = o.metadata.uid!;
		if (e.type === 'ADDED') this.created.set(uid, ++this.seq);
		if (e.type === 'DELETED') {
			this.created.delete(uid);
			this.readySince.delete(uid);
		} else if (!isPodReady(o)) {
			this.readySince.delete(uid);
		} else if (!this.readySince.has(uid)) {
			// Seen ready just now, or (at start-up) ready since the condition's time.
			const age = simSince(this.m.clock, podCondition(o, 'Ready')?.lastTransitionTime);
			this.readySince.set(uid, simNow(this.m.clock) - (age > clockSpeed(this.m.clock) * 1000 ? age : 0));
		}
		const ref = controllerOf(o);
		if (ref) {
			if (ref.kind === 'ReplicaSet') this.m.enqueue(this.name, `${o.metadata.namespace}/${ref.name}`);
			return;
		}
		if (e.type === 'DELETED' || o.metadata.deletionTimestamp) return;
		for (const rs of this.store.list('replicasets', o.metadata.namespace).items) {
			if (selectorMatches(rs.spec?.selector, o.metadata.labels)) this.m.enqueue(this.name, keyOf(rs));
		}
	}

	sync(key: string): void {
		const {namespace, name} = splitKey(key);
		const rs = structuredClone(this.store.get('replicasets', namespace, name));
		if (!rs) return;
		rs.kind ??= 'ReplicaSet';
		rs.apiVersion ??= 'apps/v1';
		const all = this.store.list('pods', namespace).items.map((p) => structuredClone(p));
		const active = this.claimPods(rs, all.filter(isPodActive));
		if (!rs.metadata.deletionTimestamp) this.manageReplicas(active, all, rs);
		this.updateStatus(rs, active);
	}

	// Pods the ReplicaSet controls: its own that still match, plus matching orphans (adopted).
	private claimPods(rs: KubeObject, pods: KubeObject[]): KubeObject[] {
		const owned: KubeObject[] = [];
		for (const pod of pods) {
			const ref = controllerOf(pod);
			const matches = selectorMatches(rs.spec?.selector, pod.metadata.labels);
			if (ref) {
				if (ref.uid !== rs.metadata.uid) continue;
				if (matches) {
					owned.push(pod);
				} else if (!rs.metadata.deletionTimestamp) {
					pod.metadata.ownerReferences = pod.metadata.ownerReferences!.filter((r) => r.uid !== rs.metadata.uid);
					delete pod.metadata.resourceVersion;
					this.store.update('pods', pod);
				}
				continue;
			}
			if (!matches || rs.metadata.deletionTimestamp) continue;
			pod.metadata.ownerReferences = [...(pod.metadata.ownerReferences ?? []), controllerRef(rs, 'apps/v1', 'ReplicaSet')];
			delete pod.metadata.resourceVersion;
			owned.push(this.store.update('pods', pod));
		}
		return owned;
	}

	private manageReplicas(active: KubeObject[], all: KubeObject[], rs: KubeObject): void {
		const want = typeof rs.spec?.replicas === 'number' ? rs.spec.replicas : 1;
		const diff = active.length - want;
		if (diff < 0) {
			for (let i = 0; i < -diff; i++) {
				const pod = this.store.create('pods', podFromTemplate(rs));
				this.events.record(source, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
			}
		} else if (diff > 0) {
			for (const pod of this.podsToDelete(active, this.relatedPods(rs, all), diff)) {
				deletePodGracefully(this.store, this.m.clock, pod.metadata.namespace!, pod.metadata.name!);
				this.events.record(source, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
			}
		}
	}

	// Active pods of every ReplicaSet with the same owner: a node crowded with them ranks higher for deletion.
	private relatedPods(rs: KubeObject, all: KubeObject[]): KubeObject[] {
		const owner = controllerOf(rs);
		if (!owner) return all.filter((p) => controllerOf(p)?.uid === rs.metadata.uid && isPodActive(p));
		const siblings = new Set(
			this.store
				.list('replicasets', rs.metadata.namespace)
				.items.filter((x) => controllerOf(x)?.uid === owner.uid)
				.map((x) => x.metadata.uid),
		);
		return all.filter((p) => siblings.has(controllerOf(p)?.uid) && isPodActive(p));
	}

	// getPodsToDelete: unscheduled, then pending, then not ready, then doubled up on a node, then the most
	// recently ready, the most restarted, the newest.
	private podsToDelete(active: KubeObject[], related: KubeObject[], diff: number): KubeObject[] {
		const onNode = new Map<string, number>();
		for (const p of related) {
			const node = p.spec?.nodeName;
			if (node) onNode.set(node, (onNode.get(node) ?? 0) + 1);
		}
		const rank = (p: KubeObject) => (p.spec?.nodeName ? (onNode.get(p.spec.nodeName) ?? 0) : 0);
		const phaseOrder = (p: KubeObject) =>
			(({Pending: 0, Unknown: 1, Running: 2}) as Record<string, number>)[p.status?.phase ?? 'Pending'] ?? 0;
		const restarts = (p: KubeObject) => (p.status?.containerStatuses ?? []).reduce((n: number, c: any) => n + (c.restartCount ?? 0), 0);
		const readySince = (p: KubeObject) => this.readySince.get(p.metadata.uid!) ?? parseTime(podCondition(p, 'Ready')?.lastTransitionTime);
		const createdAt = (p: KubeObject) => parseTime(p.metadata.creationTimestamp);
		const sorted = [...active].sort((a, b) => {
			const aAssigned = !!a.spec?.nodeName;
			const bAssigned = !!b.spec?.nodeName;
			if (aAssigned !== bAssigned) return aAssigned ? 1 : -1;
			if (phaseOrder(a) !== phaseOrder(b)) return phaseOrder(a) - phaseOrder(b);
			if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
			if (rank(a) !== rank(b)) return rank(b) - rank(a);
			if (isPodReady(a) && isPodReady(b) && readySince(a) !== readySince(b)) return readySince(b) - readySince(a);
			if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
			if (createdAt(a) !== createdAt(b)) return createdAt(b) - createdAt(a);
			return (this.created.get(b.metadata.uid!) ?? 0) - (this.created.get(a.metadata.uid!) ?? 0);
		});
		return sorted.slice(0, diff);
	}

	private updateStatus(rs: KubeObject, active: KubeObject[]): void {
		const now = simNow(this.m.clock);
		const minReady = (rs.spec?.minReadySeconds ?? 0) * 1000;
		const templateLabels: Record<string, string> = rs.spec?.template?.metadata?.labels ?? {};
		let fullyLabeled = 0;
		let ready = 0;
		let available = 0;
		let nextAvailable = Number.POSITIVE_INFINITY;
		for (const pod of active) {
			if (Object.entries(templateLabels).every(([k, v]) => pod.metadata.labels?.[k] === v)) fullyLabeled++;
			if (!isPodReady(pod)) continue;
			ready++;
			// IsPodAvailable: ready for longer than minReadySeconds.
			const since = this.readySince.get(pod.metadata.uid!) ?? now;
			if (minReady === 0 || now - since > minReady) available++;
			else nextAvailable = Math.min(nextAvailable, since + minReady + 1);
		}
		const status: any = {replicas: active.length};
		if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
		if (ready) status.readyReplicas = ready;
		if (available) status.availableReplicas = available;
		if (rs.metadata.generation) status.observedGeneration = rs.metadata.generation;
		if (rs.status?.conditions?.length) status.conditions = rs.status.conditions;
		if (!jsonEqual(rs.status ?? {}, status)) {
			this.store.update('replicasets', {...rs, status}, {subresource: 'status'});
		}
		// minReadySeconds: look again when the next ready pod becomes available.
		if (Number.isFinite(nextAvailable)) this.m.enqueueAfter(this.name, keyOf(rs), Math.max(1, nextAvailable - now));
	}
}

/** controller.GetPodFromTemplate: labels, annotations and spec from the template, owned by the ReplicaSet. */
export function podFromTemplate(rs: KubeObject): KubeObject {
	const t = rs.spec?.template ?? {};
	const pod: KubeObject = {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {
			generateName: `${rs.metadata.name}-`,
			namespace: rs.metadata.namespace,
			labels: {...t.metadata?.labels},
			ownerReferences: [controllerRef(rs, 'apps/v1', 'ReplicaSet')],
		},
		spec: structuredClone(t.spec ?? {}),
	};
	if (t.metadata?.annotations && Object.keys(t.metadata.annotations).length) pod.metadata.annotations = {...t.metadata.annotations};
	return defaultPodForCreate(pod);
}
