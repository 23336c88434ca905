// The deployment controller, after pkg/controller/deployment: it owns ReplicaSets named
// <deployment>-<pod-template-hash>, rolls them with RollingUpdate (maxSurge/maxUnavailable) or Recreate,
// scales proportionally, keeps revisions (and reuses an old ReplicaSet on rollback), honours paused,
// minReadySeconds, revisionHistoryLimit and progressDeadlineSeconds, and reports status and conditions.
import {controllerUid} from '../indexer.js';
import type {KubeObject} from '../store.js';
import type {EventRecorder} from './events.js';
import type {Informer} from './informer.js';
import {type Controller, type ControllerManager, RetryLater, type WorkQueue} from './manager.js';
import {byOwner} from './replicaset.js';
import {
	actualReplicaCount,
	availableReplicaCount,
	byCreation,
	deploymentComplete,
	deploymentProgressing,
	deploymentTimedOut,
	type DeploymentCondition,
	desiredReplicasAnnotation,
	equalIgnoreHash,
	filterActive,
	findActiveOrLatest,
	findNewReplicaSet,
	findOldReplicaSets,
	getCondition,
	hasProgressDeadline,
	isRollingUpdate,
	isSaturated,
	maxRevision,
	maxSurge,
	maxUnavailable,
	newCondition,
	newRSNewReplicas,
	newReplicaSetFor,
	readyReplicaCount,
	reasons,
	removeCondition,
	replicaCount,
	replicaSetProportion,
	replicasAnnotationsNeedUpdate,
	revisionAnnotation,
	revisionOf,
	scaledDownMessage,
	scaledUpMessage,
	scaledUpOnCreateMessage,
	setCondition,
	setNewReplicaSetAnnotations,
	setReplicasAnnotations,
	specReplicas,
	withDeploymentDefaults,
} from './deployment-util.js';
import {
	controllerOf,
	controllerRef,
	isAlreadyExists,
	jsonEqual,
	keyOf,
	selectorIsEmpty,
	selectorMatches,
	simNow,
	simSince,
	splitKey,
} from './util.js';

const source = {component: 'deployment-controller'};

/** ReplicaSets without a controlling owner, by namespace: the ones a Deployment may adopt. */
const orphansByNamespace = 'orphansByNamespace';

/** Reconciles Deployments into ReplicaSets. */
export class DeploymentController implements Controller {
	readonly name = 'deployment';
	private readonly queue: WorkQueue;
	private readonly deployments: Informer;
	private readonly replicaSets: Informer;
	private readonly pods: Informer;
	private seq = 0;
	private readonly created = new Map<string, number>();
	// When each deployment's Progressing condition was last updated, in simulated time (its lastUpdateTime
	// has second precision and is wall-clock).
	private readonly progressTouched = new Map<string, number>();

	constructor(
		private readonly m: ControllerManager,
		private readonly events: EventRecorder,
	) {
		this.queue = m.queue(this);
		this.deployments = m.informers.informer('deployments');
		this.replicaSets = m.informers.informer('replicasets');
		this.replicaSets.addIndexer(byOwner, controllerUid);
		this.replicaSets.addIndexer(orphansByNamespace, (rs) => (controllerOf(rs) ? [] : [rs.metadata.namespace ?? '']));
		this.pods = m.informers.informer('pods');
		this.pods.addIndexer(byOwner, controllerUid);
		this.deployments.addEventHandler(
			{
				add: (d) => this.queue.add(keyOf(d)),
				update: (_old, d) => this.queue.add(keyOf(d)),
				delete: (d) => this.progressTouched.delete(d.metadata.uid!),
			},
			this.name,
		);
		this.replicaSets.addEventHandler(
			{
				add: (rs) => this.replicaSetChanged(undefined, rs),
				update: (old, rs) => this.replicaSetChanged(old, rs),
				delete: (rs) => {
					this.created.delete(rs.metadata.uid!);
					const ref = controllerOf(rs);
					if (ref?.kind === 'Deployment') this.queue.add(`${rs.metadata.namespace}/${ref.name}`);
				},
			},
			this.name,
		);
		this.pods.addEventHandler({delete: (pod) => this.podDeleted(pod)}, this.name);
	}

	private get store() {
		return this.m.store;
	}

	// Creation order within one second (timestamps have second precision), for "oldest first" sorting.
	private readonly order = (o: KubeObject) => this.created.get(o.metadata.uid ?? '') ?? 0;

	private replicaSetChanged(old: KubeObject | undefined, rs: KubeObject): void {
		if (!old) this.created.set(rs.metadata.uid!, ++this.seq);
		const before = old && controllerOf(old);
		if (before?.kind === 'Deployment' && before.uid !== controllerOf(rs)?.uid) this.queue.add(`${old!.metadata.namespace}/${before.name}`);
		const ref = controllerOf(rs);
		if (ref) {
			if (ref.kind === 'Deployment') this.queue.add(`${rs.metadata.namespace}/${ref.name}`);
			return;
		}
		// An orphan may be adopted by a deployment whose selector matches it.
		for (const d of this.deployments.list(rs.metadata.namespace)) {
			if (!selectorIsEmpty(d.spec?.selector) && selectorMatches(d.spec?.selector, rs.metadata.labels)) this.queue.add(keyOf(d));
		}
	}

	// Recreate waits for old pods to be gone: their deletion syncs the deployment.
	private podDeleted(pod: KubeObject): void {
		const ref = controllerOf(pod);
		if (ref?.kind !== 'ReplicaSet') return;
		const rs = this.replicaSets.get(pod.metadata.namespace, ref.name);
		const dref = rs && controllerOf(rs);
		if (dref?.kind !== 'Deployment') return;
		const d = this.deployments.get(pod.metadata.namespace, dref.name);
		if (d?.spec?.strategy?.type === 'Recreate') this.queue.add(`${pod.metadata.namespace}/${dref.name}`);
	}

	sync(key: string): void {
		const {namespace, name} = splitKey(key);
		const stored = this.deployments.get(namespace, name);
		if (!stored) return;
		const d = withDeploymentDefaults(workingCopy(stored));
		d.kind ??= 'Deployment';
		d.apiVersion ??= 'apps/v1';

		if (selectorIsEmpty(d.spec.selector)) {
			this.events.record(source, d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
			if ((d.status.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
				d.status.observedGeneration = d.metadata.generation;
				this.writeDeployment(d);
			}
			return;
		}

		const rsList = this.claimReplicaSets(d);
		if (d.metadata.deletionTimestamp) {
			const [newRS, oldRSs] = this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
			this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
			return;
		}

		this.checkPausedConditions(d);
		if (d.spec.paused) {
			this.syncScaleOrPaused(d, rsList);
			return;
		}
		if (this.isScalingEvent(d, rsList)) {
			this.syncScaleOrPaused(d, rsList);
			return;
		}
		if (d.spec.strategy.type === 'Recreate') this.rolloutRecreate(d, rsList);
		else this.rolloutRolling(d, rsList);
	}

	// ReplicaSets the deployment controls: its own, plus orphans its selector matches (adopted), minus owned
	// ones that no longer match (released), as ClaimReplicaSets does; read from the owner and orphan indexes.
	private claimReplicaSets(d: KubeObject): KubeObject[] {
		const owned: KubeObject[] = [];
		const deleting = !!d.metadata.deletionTimestamp;
		for (const rs of this.replicaSets.byIndex(byOwner, d.metadata.uid!)) {
			if (selectorMatches(d.spec.selector, rs.metadata.labels)) {
				owned.push(rs);
			} else if (!deleting) {
				const {resourceVersion: _rv, ...metadata} = rs.metadata;
				const ownerReferences = rs.metadata.ownerReferences!.filter((r) => r.uid !== d.metadata.uid);
				this.store.update('replicasets', {...rs, metadata: {...metadata, ownerReferences}});
			}
		}
		if (deleting) return owned;
		for (const rs of this.replicaSets.byIndex(orphansByNamespace, d.metadata.namespace ?? '')) {
			if (rs.metadata.deletionTimestamp || !selectorMatches(d.spec.selector, rs.metadata.labels)) continue;
			const {resourceVersion: _rv, ...metadata} = rs.metadata;
			const ownerReferences = [...(rs.metadata.ownerReferences ?? []), controllerRef(d, 'apps/v1', 'Deployment')];
			owned.push(this.store.update('replicasets', {...rs, metadata: {...metadata, ownerReferences}}));
		}
		return owned;
	}

	/** Writes the revision annotation (metadata) and the status (status subresource) when they changed. */
	private writeDeployment(d: KubeObject): void {
		let cur = this.deployments.get(d.metadata.namespace, d.metadata.name!);
		if (!cur || cur.metadata.uid !== d.metadata.uid) return;
		const rev = d.metadata.annotations?.[revisionAnnotation];
		if (rev !== undefined && cur.metadata.annotations?.[revisionAnnotation] !== rev) {
			const {resourceVersion: _rv, ...metadata} = cur.metadata;
			cur = this.store.update('deployments', {
				...cur,
				metadata: {...metadata, annotations: {...cur.metadata.annotations, [revisionAnnotation]: rev}},
			});
		}
		const status = normalizeStatus(d.status);
		if (!jsonEqual(normalizeStatus(cur.status ?? {}), status)) {
			this.store.update('deployments', {...cur, status}, {subresource: 'status'});
		}
		d.status = status;
	}

	private checkPausedConditions(d: KubeObject): void {
		if (!hasProgressDeadline(d)) return;
		const cond = getCondition(d.status, 'Progressing');
		if (cond?.reason === reasons.timedOut) return;
		const pausedCondExists = cond?.reason === reasons.paused;
		const now = this.m.clock.now();
		if (d.spec.paused && !pausedCondExists) {
			this.setProgressing(d, d.status, newCondition('Progressing', 'Unknown', reasons.paused, 'Deployment is paused', now));
		} else if (!d.spec.paused && pausedCondExists) {
			this.setProgressing(d, d.status, newCondition('Progressing', 'Unknown', reasons.resumed, 'Deployment is resumed', now));
		} else {
			return;
		}
		this.writeDeployment(d);
	}

	/** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created when asked) and all the old ones. */
	private getAllReplicaSetsAndSyncRevision(d: KubeObject, rsList: KubeObject[], create: boolean): [KubeObject | undefined, KubeObject[]] {
		const oldRSs = findOldReplicaSets(d, rsList, this.order);
		const newRS = this.getNewReplicaSet(d, rsList, oldRSs, create);
		return [newRS, oldRSs];
	}

	private getNewReplicaSet(d: KubeObject, rsList: KubeObject[], oldRSs: KubeObject[], create: boolean): KubeObject | undefined {
		const existing = findNewReplicaSet(d, rsList, this.order);
		const newRevision = maxRevision(oldRSs) + 1;
		const now = this.m.clock.now();
		if (existing) {
			const rsCopy = replicaSetCopy(existing);
			const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
			const minReadyNeedsUpdate = (rsCopy.spec.minReadySeconds ?? 0) !== d.spec.minReadySeconds;
			if (annotationsUpdated || minReadyNeedsUpdate) {
				rsCopy.spec.minReadySeconds = d.spec.minReadySeconds;
				delete rsCopy.metadata.resourceVersion;
				// The deployment's revision follows on the next sync, which this update triggers.
				return this.store.update('replicasets', rsCopy);
			}
			let needsUpdate = setDeploymentRevision(d, rsCopy.metadata.annotations?.[revisionAnnotation]);
			if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
				this.setProgressing(
					d,
					d.status,
					newCondition('Progressing', 'True', reasons.foundNewRS, `Found new replica set "${rsCopy.metadata.name}"`, now),
				);
				needsUpdate = true;
			}
			if (needsUpdate) this.writeDeployment(d);
			return rsCopy;
		}
		if (!create) return undefined;

		const newRS = newReplicaSetFor(d, 0);
		const count = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
		newRS.spec.replicas = count;
		setNewReplicaSetAnnotations(d, newRS, newRevision, false);

		let created: KubeObject;
		let alreadyExisted = false;
		try {
			created = this.store.create('replicasets', newRS);
		} catch (error) {
			if (!isAlreadyExists(error)) throw error;
			const rs = this.replicaSets.get(d.metadata.namespace, newRS.metadata.name!)!;
			if (controllerOf(rs)?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, rs.spec?.template)) {
				created = rs;
				alreadyExisted = true;
			} else {
				// A hash collision: bump collisionCount and try again with a new name.
				d.status.collisionCount = (d.status.collisionCount ?? 0) + 1;
				this.writeDeployment(d);
				this.queue.add(keyOf(d));
				return undefined;
			}
		}
		if (!alreadyExisted && count > 0) {
			this.events.record(source, d, 'Normal', 'ScalingReplicaSet', scaledUpOnCreateMessage(created.metadata.name!, count));
		}
		let needsUpdate = setDeploymentRevision(d, String(newRevision));
		if (!alreadyExisted && hasProgressDeadline(d)) {
			this.setProgressing(
				d,
				d.status,
				newCondition('Progressing', 'True', reasons.newRSCreated, `Created new replica set "${created.metadata.name}"`, now),
			);
			needsUpdate = true;
		}
		if (needsUpdate) this.writeDeployment(d);
		return created;
	}

	// Scaling

	private scaleReplicaSetAndRecordEvent(rs: KubeObject, newScale: number, d: KubeObject): [boolean, KubeObject] {
		if (specReplicas(rs) === newScale) return [false, rs];
		return this.scaleReplicaSet(rs, newScale, d);
	}

	private scaleReplicaSet(rs: KubeObject, newScale: number, d: KubeObject): [boolean, KubeObject] {
		const sizeNeedsUpdate = specReplicas(rs) !== newScale;
		const desired = specReplicas(d);
		const max = desired + maxSurge(d);
		if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return [false, rs];
		const oldScale = specReplicas(rs);
		const copy = replicaSetCopy(rs);
		copy.spec.replicas = newScale;
		setReplicasAnnotations(copy, desired, max);
		delete copy.metadata.resourceVersion;
		const updated = this.store.update('replicasets', copy);
		if (sizeNeedsUpdate) {
			const message =
				oldScale < newScale
					? scaledUpMessage(updated.metadata.name!, oldScale, newScale)
					: scaledDownMessage(updated.metadata.name!, oldScale, newScale);
			this.events.record(source, d, 'Normal', 'ScalingReplicaSet', message);
		}
		return [sizeNeedsUpdate, updated];
	}

	/** isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
	private isScalingEvent(d: KubeObject, rsList: KubeObject[]): boolean {
		const [newRS, oldRSs] = this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
		for (const rs of filterActive([...oldRSs, newRS])) {
			const desired = rs.metadata.annotations?.[desiredReplicasAnnotation];
			if (desired === undefined) continue;
			if (Number.parseInt(desired, 10) !== specReplicas(d)) return true;
		}
		return false;
	}

	/** sync: scaling events and paused deployments get proportional scaling and no rollout. */
	private syncScaleOrPaused(d: KubeObject, rsList: KubeObject[]): void {
		const [newRS, oldRSs] = this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
		this.scale(d, newRS, oldRSs);
		if (d.spec.paused) this.cleanupDeployment(oldRSs, d);
		this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
	}

	// scale: one active ReplicaSet takes the new size; a saturated new one retires the old; otherwise the
	// difference is shared out in proportion to each ReplicaSet's size (biggest first).
	private scale(d: KubeObject, newRS: KubeObject | undefined, oldRSs: KubeObject[]): void {
		const activeOrLatest = findActiveOrLatest(newRS, oldRSs, this.order);
		if (activeOrLatest) {
			if (specReplicas(activeOrLatest) === specReplicas(d)) return;
			this.scaleReplicaSetAndRecordEvent(activeOrLatest, specReplicas(d), d);
			return;
		}
		if (isSaturated(d, newRS)) {
			for (const old of filterActive(oldRSs)) this.scaleReplicaSetAndRecordEvent(old, 0, d);
			return;
		}
		if (!isRollingUpdate(d)) return;
		const allRSs = filterActive([...oldRSs, newRS]);
		const allowed = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0;
		const toAdd = allowed - replicaCount(allRSs);
		const newerFirst = byCreation(this.order);
		if (toAdd > 0) allRSs.sort((a, b) => specReplicas(b) - specReplicas(a) || -newerFirst(a, b));
		else if (toAdd < 0) allRSs.sort((a, b) => specReplicas(b) - specReplicas(a) || newerFirst(a, b));
		let added = 0;
		const sizes = new Map<string, number>();
		for (const rs of allRSs) {
			if (toAdd !== 0) {
				const proportion = replicaSetProportion(rs, d, toAdd, added);
				sizes.set(rs.metadata.name!, specReplicas(rs) + proportion);
				added += proportion;
			} else {
				sizes.set(rs.metadata.name!, specReplicas(rs));
			}
		}
		allRSs.forEach((rs, i) => {
			if (i === 0 && toAdd !== 0) sizes.set(rs.metadata.name!, Math.max(0, sizes.get(rs.metadata.name!)! + toAdd - added));
			this.scaleReplicaSet(rs, sizes.get(rs.metadata.name!)!, d);
		});
	}

	// Rolling update

	private rolloutRolling(d: KubeObject, rsList: KubeObject[]): void {
		const [newRS, oldRSs] = this.getAllReplicaSetsAndSyncRevision(d, rsList, true);
		if (!newRS) return;
		const allRSs = [...oldRSs, newRS];
		if (this.reconcileNewReplicaSet(allRSs, newRS, d)) {
			this.syncRolloutStatus(allRSs, newRS, d);
			return;
		}
		if (this.reconcileOldReplicaSets(allRSs, filterActive(oldRSs), newRS, d)) {
			this.syncRolloutStatus(allRSs, newRS, d);
			return;
		}
		if (deploymentComplete(d, d.status)) this.cleanupDeployment(oldRSs, d);
		this.syncRolloutStatus(allRSs, newRS, d);
	}

	private reconcileNewReplicaSet(allRSs: KubeObject[], newRS: KubeObject, d: KubeObject): boolean {
		if (specReplicas(newRS) === specReplicas(d)) return false;
		if (specReplicas(newRS) > specReplicas(d)) return this.scaleReplicaSetAndRecordEvent(newRS, specReplicas(d), d)[0];
		return this.scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(d, allRSs, newRS), d)[0];
	}

	// Old ReplicaSets shrink while availability allows: unhealthy replicas go first, then the oldest sets.
	private reconcileOldReplicaSets(allRSs: KubeObject[], oldRSs: KubeObject[], newRS: KubeObject, d: KubeObject): boolean {
		if (replicaCount(oldRSs) === 0) return false;
		const allPods = replicaCount(allRSs);
		const minAvailable = specReplicas(d) - maxUnavailable(d);
		const newRSUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
		const maxScaledDown = allPods - minAvailable - newRSUnavailable;
		if (maxScaledDown <= 0) return false;
		const [cleaned, cleanupCount] = this.cleanupUnhealthyReplicas(oldRSs, d, maxScaledDown);
		const scaledDown = this.scaleDownOldReplicaSetsForRollingUpdate([...cleaned, newRS], cleaned, d);
		return cleanupCount + scaledDown > 0;
	}

	private cleanupUnhealthyReplicas(oldRSs: KubeObject[], d: KubeObject, maxCleanup: number): [KubeObject[], number] {
		const sorted = [...oldRSs].sort(byCreation(this.order));
		let total = 0;
		for (let i = 0; i < sorted.length; i++) {
			if (total >= maxCleanup) break;
			const rs = sorted[i]!;
			const available = rs.status?.availableReplicas ?? 0;
			if (specReplicas(rs) === 0 || specReplicas(rs) === available) continue;
			const count = Math.min(maxCleanup - total, specReplicas(rs) - available);
			// A status still counting pods the last scale-down removed (more available than wanted) would make this a
			// scale-up; Go refuses it with an error and the sync is retried once the ReplicaSet controller has caught up.
			if (count < 0)
				throw new RetryLater(
					`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${specReplicas(rs)} -> ${specReplicas(rs) - count}`,
				);
			const [, updated] = this.scaleReplicaSetAndRecordEvent(rs, specReplicas(rs) - count, d);
			total += count;
			sorted[i] = updated;
		}
		return [sorted, total];
	}

	private scaleDownOldReplicaSetsForRollingUpdate(allRSs: KubeObject[], oldRSs: KubeObject[], d: KubeObject): number {
		const minAvailable = specReplicas(d) - maxUnavailable(d);
		const available = availableReplicaCount(allRSs);
		if (available <= minAvailable) return 0;
		const sorted = [...oldRSs].sort(byCreation(this.order));
		const target = available - minAvailable;
		let total = 0;
		for (const rs of sorted) {
			if (total >= target) break;
			if (specReplicas(rs) === 0) continue;
			const count = Math.min(specReplicas(rs), target - total);
			this.scaleReplicaSetAndRecordEvent(rs, specReplicas(rs) - count, d);
			total += count;
		}
		return total;
	}

	// Recreate

	private rolloutRecreate(d: KubeObject, rsList: KubeObject[]): void {
		let [newRS, oldRSs] = this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
		let allRSs = [...oldRSs, newRS].filter((x): x is KubeObject => !!x);
		let scaledDown = false;
		for (const rs of filterActive(oldRSs)) {
			if (this.scaleReplicaSetAndRecordEvent(rs, 0, d)[0]) scaledDown = true;
		}
		if (scaledDown || this.oldPodsRunning(newRS, oldRSs, d)) {
			this.syncRolloutStatus(allRSs, newRS, d);
			return;
		}
		if (!newRS) {
			[newRS, oldRSs] = this.getAllReplicaSetsAndSyncRevision(d, rsList, true);
			if (!newRS) return;
			allRSs = [...oldRSs, newRS];
		}
		this.scaleReplicaSetAndRecordEvent(newRS, specReplicas(d), d);
		if (deploymentComplete(d, d.status)) this.cleanupDeployment(oldRSs, d);
		this.syncRolloutStatus(allRSs, newRS, d);
	}

	// Old pods still exist (even terminating ones) unless they finished: Recreate must wait for them.
	private oldPodsRunning(newRS: KubeObject | undefined, oldRSs: KubeObject[], d: KubeObject): boolean {
		if (actualReplicaCount(oldRSs) > 0) return true;
		for (const rs of oldRSs) {
			if (rs.metadata.uid === newRS?.metadata.uid) continue;
			for (const pod of this.pods.byIndex(byOwner, rs.metadata.uid!)) {
				if (!selectorMatches(d.spec.selector, pod.metadata.labels)) continue;
				const phase = pod.status?.phase;
				if (phase === 'Failed' || phase === 'Succeeded') continue;
				return true;
			}
		}
		return false;
	}

	// revisionHistoryLimit: delete the oldest old ReplicaSets that are fully scaled down.
	private cleanupDeployment(oldRSs: KubeObject[], d: KubeObject): void {
		const limit = d.spec.revisionHistoryLimit;
		if (typeof limit !== 'number' || limit === 2147483647) return;
		const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
		const diff = cleanable.length - limit;
		if (diff <= 0) return;
		const creation = byCreation(this.order);
		cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || creation(a, b));
		for (const rs of cleanable.slice(0, diff)) {
			if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
			if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
			if (this.replicaSets.has(rs.metadata.namespace, rs.metadata.name!))
				this.store.delete('replicasets', rs.metadata.namespace, rs.metadata.name!);
		}
	}

	// Status

	private calculateStatus(allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject): any {
		const available = availableReplicaCount(allRSs);
		const total = replicaCount(allRSs);
		const status: any = {
			observedGeneration: d.metadata.generation,
			replicas: actualReplicaCount(allRSs),
			updatedReplicas: actualReplicaCount([newRS]),
			readyReplicas: readyReplicaCount(allRSs),
			availableReplicas: available,
			unavailableReplicas: Math.max(0, total - available),
			collisionCount: d.status.collisionCount,
			// Conditions are replaced, never changed in place (setCondition), so the stored ones are shared.
			conditions: [...(d.status.conditions ?? [])],
		};
		const now = this.m.clock.now();
		if (available >= specReplicas(d) - maxUnavailable(d)) {
			setCondition(status, newCondition('Available', 'True', reasons.minAvailable, 'Deployment has minimum availability.', now));
		} else {
			setCondition(
				status,
				newCondition('Available', 'False', reasons.minUnavailable, 'Deployment does not have minimum availability.', now),
			);
		}
		return normalizeStatus(status);
	}

	private syncDeploymentStatus(allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject): void {
		const status = this.calculateStatus(allRSs, newRS, d);
		if (jsonEqual(normalizeStatus(d.status), status)) return;
		d.status = status;
		this.writeDeployment(d);
	}

	// syncRolloutStatus: status plus the Progressing condition (progress, completion, or the deadline).
	private syncRolloutStatus(allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject): void {
		const now = this.m.clock.now();
		const status = this.calculateStatus(allRSs, newRS, d);
		if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
		const current = getCondition(d.status, 'Progressing');
		const isComplete = status.replicas === status.updatedReplicas && current?.reason === reasons.newRSAvailable;
		if (hasProgressDeadline(d) && !isComplete) {
			const rsName = newRS?.metadata.name;
			if (deploymentComplete(d, status)) {
				const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : 'Deployment successfully progressed.';
				this.setProgressing(d, status, newCondition('Progressing', 'True', reasons.newRSAvailable, msg, now));
			} else if (deploymentProgressing(d, status)) {
				const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : 'Deployment is progressing.';
				const condition = newCondition('Progressing', 'True', reasons.rsUpdated, msg, now);
				if (current) {
					if (current.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
					removeCondition(status, 'Progressing');
				}
				this.setProgressing(d, status, condition);
			} else if (deploymentTimedOut(d, status, () => this.progressAge(d))) {
				const msg = rsName
					? `ReplicaSet "${rsName}" has timed out progressing.`
					: `Deployment "${d.metadata.name}" has timed out progressing.`;
				this.setProgressing(d, status, newCondition('Progressing', 'False', reasons.timedOut, msg, now));
			}
		}
		const normalized = normalizeStatus(status);
		if (jsonEqual(normalizeStatus(d.status), normalized)) {
			this.requeueStuckDeployment(d, normalized);
			return;
		}
		d.status = normalized;
		this.writeDeployment(d);
	}

	// A rollout without progress is checked again when its deadline passes.
	private requeueStuckDeployment(d: KubeObject, status: any): void {
		const current = getCondition(d.status, 'Progressing');
		if (!hasProgressDeadline(d) || !current) return;
		if (deploymentComplete(d, status) || current.reason === reasons.timedOut) return;
		const after = d.spec.progressDeadlineSeconds * 1000 - this.progressAge(d);
		this.queue.addAfter(keyOf(d), Math.max(after, 0) + 1);
	}

	private setProgressing(d: KubeObject, status: any, condition: DeploymentCondition): void {
		if (setCondition(status, condition)) this.progressTouched.set(d.metadata.uid!, simNow(this.m.clock));
	}

	// Simulated ms since the Progressing condition was last updated.
	private progressAge(d: KubeObject): number {
		const touched = this.progressTouched.get(d.metadata.uid!);
		if (touched !== undefined) return simNow(this.m.clock) - touched;
		return simSince(this.m.clock, getCondition(d.status, 'Progressing')?.lastUpdateTime);
	}
}

/**
 * The deployment as a sync may change it: new objects for what it sets (spec and its strategy, the status, the
 * annotations), the stored frozen parts shared for the rest. The template is only read (and copied before any
 * change), and the stored one lets comparisons of it with the ReplicaSets' templates be remembered. A deep copy
 * per sync (managedFields, template) was most of a sync's cost under churn.
 */
function workingCopy(stored: KubeObject): KubeObject {
	const spec = {...stored.spec};
	if (spec.strategy) {
		spec.strategy = {...spec.strategy};
		if (spec.strategy.rollingUpdate) spec.strategy.rollingUpdate = {...spec.strategy.rollingUpdate};
	}
	return {
		...stored,
		metadata: {...stored.metadata, ...(stored.metadata.annotations ? {annotations: {...stored.metadata.annotations}} : {})},
		spec,
		status: {...stored.status},
	};
}

/** A ReplicaSet to change and write back: its own metadata, annotations and spec, the rest shared. */
function replicaSetCopy(rs: KubeObject): KubeObject {
	return {
		...rs,
		metadata: {...rs.metadata, ...(rs.metadata.annotations ? {annotations: {...rs.metadata.annotations}} : {})},
		spec: {...rs.spec},
	};
}

function setDeploymentRevision(d: KubeObject, revision: string | undefined): boolean {
	if (revision === undefined) return false;
	d.metadata.annotations ??= {};
	if (d.metadata.annotations[revisionAnnotation] === revision) return false;
	d.metadata.annotations[revisionAnnotation] = revision;
	return true;
}

/** Drops zero counts and empty fields, as Go's omitempty marshals DeploymentStatus. */
function normalizeStatus(status: any): any {
	const out: any = {};
	for (const k of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']) {
		if (typeof status?.[k] === 'number' && status[k] !== 0) out[k] = status[k];
	}
	if (status?.conditions?.length) out.conditions = status.conditions;
	if (typeof status?.collisionCount === 'number') out.collisionCount = status.collisionCount;
	return out;
}
