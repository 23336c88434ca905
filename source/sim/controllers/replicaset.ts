// The ReplicaSet controller, after pkg/controller/replicaset: it keeps spec.replicas pods (named
// <rs>-<5 chars>) alive, deletes the least valuable first when there are too many, and reports replicas,
// fullyLabeledReplicas, readyReplicas and availableReplicas (minReadySeconds) in its status.
import {controllerUid} from '../indexer.js';
import type {KubeObject} from '../store.js';
import type {EventRecorder} from './events.js';
import type {Informer} from './informer.js';
import type {Controller, ControllerManager, WorkQueue} from './manager.js';
import {defaultPodForCreate} from './pod-defaults.js';
import {PodTally} from './pod-tally.js';
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

/** Pods (and ReplicaSets) by the uid of their controlling owner. */
export const byOwner = 'byOwner';
/** Pods without a controlling owner, by namespace: the ones a ReplicaSet may adopt. */
const orphansByNamespace = 'orphansByNamespace';

// At most this many pods are created or deleted by one sync (the real controller's burstReplicas); the rest
// follow in the next syncs, which the created pods' events queue.
export const burstReplicas = 500;

/** Reconciles ReplicaSets into pods. */
export class ReplicaSetController implements Controller {
	readonly name = 'replicaset';
	private readonly queue: WorkQueue;
	private readonly pods: Informer;
	private readonly replicaSets: Informer;
	private seq = 0;
	private readonly created = new Map<string, number>();
	// When each pod became Ready, in simulated time (the condition's timestamp has only second precision).
	private readonly readySince = new Map<string, number>();
	// Each ReplicaSet's pod counts, by its uid, kept up to date by the pod events.
	private readonly tallies = new Map<string, PodTally>();

	constructor(
		private readonly m: ControllerManager,
		private readonly events: EventRecorder,
	) {
		this.queue = m.queue(this);
		this.pods = m.informers.informer('pods');
		this.pods.addIndexer(byOwner, controllerUid);
		this.pods.addIndexer(orphansByNamespace, (p) => (controllerOf(p) ? [] : [p.metadata.namespace ?? '']));
		this.replicaSets = m.informers.informer('replicasets');
		this.replicaSets.addIndexer(byOwner, controllerUid);
		this.replicaSets.addEventHandler(
			{
				add: (rs) => this.queue.add(keyOf(rs)),
				update: (_old, rs) => this.queue.add(keyOf(rs)),
				delete: (rs) => this.tallies.delete(rs.metadata.uid!),
			},
			this.name,
		);
		this.pods.addEventHandler(
			{
				add: (pod) => this.podChanged(undefined, pod),
				update: (old, pod) => this.podChanged(old, pod),
				delete: (pod) => this.podDeleted(pod),
			},
			this.name,
		);
	}

	private get store() {
		return this.m.store;
	}

	// A pod changed: its controller (and a previous one) syncs; an orphan may be adopted by a matching ReplicaSet.
	private podChanged(old: KubeObject | undefined, pod: KubeObject): void {
		const uid = pod.metadata.uid!;
		if (!old) this.created.set(uid, ++this.seq);
		if (!isPodReady(pod)) {
			this.readySince.delete(uid);
		} else if (!this.readySince.has(uid)) {
			// Seen ready just now, or (at start-up) ready since the condition's time.
			const age = simSince(this.m.clock, podCondition(pod, 'Ready')?.lastTransitionTime);
			this.readySince.set(uid, simNow(this.m.clock) - (age > clockSpeed(this.m.clock) * 1000 ? age : 0));
		}
		const before = old && controllerOf(old);
		const ref = controllerOf(pod);
		if (before?.kind === 'ReplicaSet' && before.uid !== ref?.uid) {
			this.tallies.get(before.uid)?.apply(uid, undefined);
			this.queue.add(`${old!.metadata.namespace}/${before.name}`);
		}
		if (ref) {
			if (ref.kind !== 'ReplicaSet') return;
			const tally = this.tallies.get(ref.uid);
			if (tally) {
				tally.apply(uid, pod);
				tally.dirty.add(keyOf(pod));
			}
			this.queue.add(`${pod.metadata.namespace}/${ref.name}`);
			return;
		}
		if (pod.metadata.deletionTimestamp) return;
		for (const rs of this.replicaSets.list(pod.metadata.namespace)) {
			if (selectorMatches(rs.spec?.selector, pod.metadata.labels)) this.queue.add(keyOf(rs));
		}
	}

	private podDeleted(pod: KubeObject): void {
		this.created.delete(pod.metadata.uid!);
		this.readySince.delete(pod.metadata.uid!);
		const ref = controllerOf(pod);
		if (ref?.kind !== 'ReplicaSet') return;
		this.tallies.get(ref.uid)?.apply(pod.metadata.uid!, undefined);
		this.queue.add(`${pod.metadata.namespace}/${ref.name}`);
	}

	sync(key: string): void {
		const {namespace, name} = splitKey(key);
		const stored = this.replicaSets.get(namespace, name);
		if (!stored) return;
		const rs = stored.kind ? stored : {...stored, kind: 'ReplicaSet', apiVersion: 'apps/v1'};
		const tally = this.tallyOf(rs);
		this.claimPods(rs, tally);
		if (!rs.metadata.deletionTimestamp) this.manageReplicas(tally.replicas, rs);
		this.updateStatus(rs, tally);
	}

	// The ReplicaSet's tally, counted afresh from its pods (read by owner) when it has none yet or its selector or
	// template labels changed; every pod then counts as changed, so the claim looks at each once.
	private tallyOf(rs: KubeObject): PodTally {
		const uid = rs.metadata.uid!;
		let tally = this.tallies.get(uid);
		if (tally?.fits(rs)) return tally;
		tally = new PodTally(rs.spec?.selector, {...rs.spec?.template?.metadata?.labels});
		for (const pod of this.pods.byIndex(byOwner, uid)) {
			tally.apply(pod.metadata.uid!, pod);
			tally.dirty.add(keyOf(pod));
		}
		this.tallies.set(uid, tally);
		return tally;
	}

	// ClaimPods, for the pods changed since the last sync: an owned pod that no longer matches is released, a
	// matching orphan (from the orphan index, never the whole namespace) adopted. The tally follows the writes.
	private claimPods(rs: KubeObject, tally: PodTally): void {
		const deleting = !!rs.metadata.deletionTimestamp;
		const dirty = [...tally.dirty];
		tally.dirty.clear();
		for (const key of dirty) {
			const {namespace, name} = splitKey(key);
			const pod = this.pods.get(namespace, name);
			if (!pod || deleting || !isPodActive(pod) || controllerOf(pod)?.uid !== rs.metadata.uid) continue;
			if (selectorMatches(rs.spec?.selector, pod.metadata.labels)) continue;
			const ownerReferences = pod.metadata.ownerReferences!.filter((r) => r.uid !== rs.metadata.uid);
			const {resourceVersion: _rv, ...metadata} = pod.metadata;
			this.store.update('pods', {...pod, metadata: {...metadata, ownerReferences}});
		}
		if (deleting) return;
		for (const pod of this.pods.byIndex(orphansByNamespace, rs.metadata.namespace ?? '')) {
			if (!isPodActive(pod) || !selectorMatches(rs.spec?.selector, pod.metadata.labels)) continue;
			const ownerReferences = [...(pod.metadata.ownerReferences ?? []), controllerRef(rs, 'apps/v1', 'ReplicaSet')];
			const {resourceVersion: _rv, ...metadata} = pod.metadata;
			this.store.update('pods', {...pod, metadata: {...metadata, ownerReferences}});
		}
		tally.dirty.clear();
	}

	// The active pods the ReplicaSet controls, read by owner: only when some must go and they are ranked.
	private activePods(rs: KubeObject): KubeObject[] {
		return this.pods
			.byIndex(byOwner, rs.metadata.uid!)
			.filter((p) => isPodActive(p) && selectorMatches(rs.spec?.selector, p.metadata.labels));
	}

	private manageReplicas(replicas: number, rs: KubeObject): void {
		const want = typeof rs.spec?.replicas === 'number' ? rs.spec.replicas : 1;
		const diff = replicas - want;
		if (diff < 0) {
			for (let i = 0; i < Math.min(-diff, burstReplicas); i++) {
				const pod = this.store.create('pods', podFromTemplate(rs));
				this.events.record(source, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
			}
		} else if (diff > 0) {
			for (const pod of this.podsToDelete(this.activePods(rs), this.relatedPods(rs), Math.min(diff, burstReplicas))) {
				deletePodGracefully(this.store, this.m.clock, pod.metadata.namespace!, pod.metadata.name!);
				this.events.record(source, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
			}
		}
	}

	// Active pods of every ReplicaSet with the same owner: a node crowded with them ranks higher for deletion.
	private relatedPods(rs: KubeObject): KubeObject[] {
		const owner = controllerOf(rs);
		const siblings = owner ? this.replicaSets.byIndex(byOwner, owner.uid) : [rs];
		return siblings.flatMap((x) => this.pods.byIndex(byOwner, x.metadata.uid!)).filter(isPodActive);
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

	private updateStatus(rs: KubeObject, tally: PodTally): void {
		const now = simNow(this.m.clock);
		const minReady = (rs.spec?.minReadySeconds ?? 0) * 1000;
		let available = tally.ready.size;
		let nextAvailable = Number.POSITIVE_INFINITY;
		if (minReady > 0) {
			// IsPodAvailable: ready for longer than minReadySeconds (only then are the ready pods looked at one by one).
			available = 0;
			for (const uid of tally.ready) {
				const since = this.readySince.get(uid) ?? now;
				if (now - since > minReady) available++;
				else nextAvailable = Math.min(nextAvailable, since + minReady + 1);
			}
		}
		const status: any = {replicas: tally.replicas};
		if (tally.fullyLabeled) status.fullyLabeledReplicas = tally.fullyLabeled;
		if (tally.ready.size) status.readyReplicas = tally.ready.size;
		if (available) status.availableReplicas = available;
		if (rs.metadata.generation) status.observedGeneration = rs.metadata.generation;
		if (rs.status?.conditions?.length) status.conditions = rs.status.conditions;
		if (!jsonEqual(rs.status ?? {}, status)) {
			this.store.update('replicasets', {...rs, status}, {subresource: 'status'});
		}
		// minReadySeconds: look again when the next ready pod becomes available.
		if (Number.isFinite(nextAvailable)) this.queue.addAfter(keyOf(rs), Math.max(1, nextAvailable - now));
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
