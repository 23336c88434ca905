// The deployment controller's rules, after pkg/controller/deployment/util: revisions and their annotations,
// maxSurge/maxUnavailable fenceposts, how many replicas a new ReplicaSet may have, proportional scaling,
// and the Progressing/Available condition helpers.
import type {KubeObject} from '../store.js';
import {computePodTemplateHash} from './hash.js';
import {canonicalJson, controllerRef, isoSeconds, parseTime, scaledValue} from './util.js';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
export const rollbackToAnnotation = 'deprecated.deployment.rollback.to';
export const podTemplateHashLabel = 'pod-template-hash';

/**
 * The ReplicaSet the deployment controller makes for `d`'s current template (getNewReplicaSet): named and
 * labelled by the template's hash, owned by `d`, with `replicas` and no annotations yet.
 */
export function newReplicaSetFor(d: KubeObject, replicas: number): KubeObject {
	const template = structuredClone(d.spec.template ?? {});
	const hash = computePodTemplateHash(template, d.status?.collisionCount);
	template.metadata ??= {};
	template.metadata.labels = {...template.metadata.labels, [podTemplateHashLabel]: hash};
	const selector = structuredClone(d.spec.selector);
	selector.matchLabels = {...selector.matchLabels, [podTemplateHashLabel]: hash};
	return {
		apiVersion: 'apps/v1',
		kind: 'ReplicaSet',
		metadata: {
			name: `${d.metadata.name}-${hash}`,
			namespace: d.metadata.namespace,
			labels: {...template.metadata.labels},
			ownerReferences: [controllerRef(d, 'apps/v1', 'Deployment')],
		},
		spec: {replicas, minReadySeconds: d.spec.minReadySeconds, selector, template},
	};
}

// Condition reasons, word for word.
export const reasons = {
	newRSCreated: 'NewReplicaSetCreated',
	foundNewRS: 'FoundNewReplicaSet',
	rsUpdated: 'ReplicaSetUpdated',
	newRSAvailable: 'NewReplicaSetAvailable',
	timedOut: 'ProgressDeadlineExceeded',
	paused: 'DeploymentPaused',
	resumed: 'DeploymentResumed',
	minAvailable: 'MinimumReplicasAvailable',
	minUnavailable: 'MinimumReplicasUnavailable',
	failedRSCreate: 'ReplicaSetCreateError',
} as const;

// ScalingReplicaSet messages in kube-controller-manager 1.32's words (deployment/sync.go): a scale says
// "to 2 from 1", the new size first; the creation of a new ReplicaSet states only its size.
export const scaledUpMessage = (rs: string, from: number, to: number) => `Scaled up replica set ${rs} to ${to} from ${from}`;
export const scaledDownMessage = (rs: string, from: number, to: number) => `Scaled down replica set ${rs} to ${to} from ${from}`;
export const scaledUpOnCreateMessage = (rs: string, to: number) => `Scaled up replica set ${rs} to ${to}`;

// Revision history is capped in characters, as the real controller caps it.
export const maxRevHistoryLengthInChars = 2000;

/** Annotations that belong to the ReplicaSet itself and are never copied from the Deployment. */
export function skipCopyAnnotation(key: string): boolean {
	return (
		key === lastAppliedAnnotation ||
		key === revisionAnnotation ||
		key === revisionHistoryAnnotation ||
		key === desiredReplicasAnnotation ||
		key === maxReplicasAnnotation ||
		key === rollbackToAnnotation
	);
}

/** Spec replicas of a Deployment or ReplicaSet (the API defaults it to 1). */
export function specReplicas(o: KubeObject | undefined): number {
	if (!o) return 0;
	const r = o.spec?.replicas;
	return typeof r === 'number' ? r : 1;
}

/** Fills the fields the API server defaults, on a copy the controller works with. */
export function withDeploymentDefaults(d: KubeObject): KubeObject {
	d.spec ??= {};
	if (typeof d.spec.replicas !== 'number') d.spec.replicas = 1;
	d.spec.strategy ??= {};
	d.spec.strategy.type ??= 'RollingUpdate';
	if (d.spec.strategy.type === 'RollingUpdate') {
		d.spec.strategy.rollingUpdate ??= {};
		d.spec.strategy.rollingUpdate.maxSurge ??= '25%';
		d.spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
	}
	if (typeof d.spec.revisionHistoryLimit !== 'number') d.spec.revisionHistoryLimit = 10;
	if (typeof d.spec.progressDeadlineSeconds !== 'number') d.spec.progressDeadlineSeconds = 600;
	if (typeof d.spec.minReadySeconds !== 'number') d.spec.minReadySeconds = 0;
	d.status ??= {};
	d.metadata.annotations ??= {};
	return d;
}

export function isRollingUpdate(d: KubeObject): boolean {
	return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** ResolveFenceposts: surge rounds up, unavailable rounds down, and both 0 means 1 unavailable. */
export function resolveFenceposts(
	maxSurge: number | string | undefined,
	maxUnavailable: number | string | undefined,
	desired: number,
): {surge: number; unavailable: number} {
	const surge = scaledValue(maxSurge ?? 0, desired, true);
	let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
	if (surge === 0 && unavailable === 0) unavailable = 1;
	return {surge, unavailable};
}

export function maxSurge(d: KubeObject): number {
	if (!isRollingUpdate(d)) return 0;
	const ru = d.spec.strategy.rollingUpdate ?? {};
	return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, specReplicas(d)).surge;
}

export function maxUnavailable(d: KubeObject): number {
	const replicas = specReplicas(d);
	if (!isRollingUpdate(d) || replicas === 0) return 0;
	const ru = d.spec.strategy.rollingUpdate ?? {};
	const {unavailable} = resolveFenceposts(ru.maxSurge, ru.maxUnavailable, replicas);
	return Math.min(unavailable, replicas);
}

/** The revision annotation as a number (0 when absent or unparsable). */
export function revisionOf(o: KubeObject | undefined): number {
	const v = o?.metadata.annotations?.[revisionAnnotation];
	if (v === undefined) return 0;
	const n = Number.parseInt(v, 10);
	return Number.isFinite(n) ? n : 0;
}

export function maxRevision(rsList: KubeObject[]): number {
	return rsList.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** The template without the pod-template-hash label, for EqualIgnoreHash. */
function templateWithoutHash(template: any): unknown {
	const t = structuredClone(template ?? {});
	t.metadata ??= {};
	if (t.metadata.labels) {
		delete t.metadata.labels[podTemplateHashLabel];
		if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
	}
	if (t.metadata.creationTimestamp === null) delete t.metadata.creationTimestamp;
	if (Object.keys(t.metadata).length === 0) delete t.metadata;
	return t;
}

// The canonical text of a frozen (stored, unchanging) template without its hash, computed once.
const canonicalTemplates = new WeakMap<object, string>();

function canonicalTemplate(template: unknown): string {
	const frozen = template !== null && typeof template === 'object' && Object.isFrozen(template);
	if (frozen) {
		const hit = canonicalTemplates.get(template as object);
		if (hit !== undefined) return hit;
	}
	const text = canonicalJson(templateWithoutHash(template));
	if (frozen) canonicalTemplates.set(template as object, text);
	return text;
}

/** EqualIgnoreHash: two pod templates are the same apart from the pod-template-hash label. */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
	return canonicalTemplate(a) === canonicalTemplate(b);
}

/** Orders ReplicaSets oldest first; `seq` breaks ties within one second (creation order seen by the sim). */
export type CreationOrder = (o: KubeObject) => number;

export function byCreation(order: CreationOrder): (a: KubeObject, b: KubeObject) => number {
	return (a, b) => {
		const ta = parseTime(a.metadata.creationTimestamp);
		const tb = parseTime(b.metadata.creationTimestamp);
		if (ta !== tb) return ta - tb;
		const sa = order(a);
		const sb = order(b);
		if (sa !== sb) return sa - sb;
		return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
	};
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the deployment's (ignoring the hash). */
export function findNewReplicaSet(d: KubeObject, rsList: KubeObject[], order: CreationOrder): KubeObject | undefined {
	const sorted = [...rsList].sort(byCreation(order));
	return sorted.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec.template));
}

/** FindOldReplicaSets: every other ReplicaSet the deployment owns. */
export function findOldReplicaSets(d: KubeObject, rsList: KubeObject[], order: CreationOrder): KubeObject[] {
	const newRS = findNewReplicaSet(d, rsList, order);
	return rsList.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
}

export const replicaCount = (list: (KubeObject | undefined)[]) => list.reduce((n, rs) => n + (rs ? specReplicas(rs) : 0), 0);
export const actualReplicaCount = (list: (KubeObject | undefined)[]) => list.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
export const readyReplicaCount = (list: (KubeObject | undefined)[]) => list.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
export const availableReplicaCount = (list: (KubeObject | undefined)[]) =>
	list.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);

/** FilterActiveReplicaSets: those with replicas > 0. */
export function filterActive(list: (KubeObject | undefined)[]): KubeObject[] {
	return list.filter((rs): rs is KubeObject => !!rs && specReplicas(rs) > 0);
}

/** SetReplicasAnnotations: desired-replicas and max-replicas on a ReplicaSet; true when changed. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
	rs.metadata.annotations ??= {};
	let updated = false;
	if (rs.metadata.annotations[desiredReplicasAnnotation] !== String(desired)) {
		rs.metadata.annotations[desiredReplicasAnnotation] = String(desired);
		updated = true;
	}
	if (rs.metadata.annotations[maxReplicasAnnotation] !== String(max)) {
		rs.metadata.annotations[maxReplicasAnnotation] = String(max);
		updated = true;
	}
	return updated;
}

export function replicasAnnotationsNeedUpdate(rs: KubeObject, desired: number, max: number): boolean {
	const a = rs.metadata.annotations ?? {};
	return a[desiredReplicasAnnotation] !== String(desired) || a[maxReplicasAnnotation] !== String(max);
}

function copyDeploymentAnnotationsToReplicaSet(d: KubeObject, rs: KubeObject): boolean {
	rs.metadata.annotations ??= {};
	let changed = false;
	for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
		if (skipCopyAnnotation(k) || rs.metadata.annotations[k] === v) continue;
		rs.metadata.annotations[k] = v as string;
		changed = true;
	}
	return changed;
}

/**
 * SetNewReplicaSetAnnotations: copies the deployment's annotations, raises the revision to newRevision when it
 * is lower (a rollback to an old ReplicaSet appends its old number to revision-history), and on creation sets
 * the replicas annotations. True when anything changed.
 */
export function setNewReplicaSetAnnotations(d: KubeObject, rs: KubeObject, newRevision: number, exists: boolean): boolean {
	let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
	rs.metadata.annotations ??= {};
	const annotations = rs.metadata.annotations;
	const had = Object.hasOwn(annotations, revisionAnnotation);
	const oldRevisionText = annotations[revisionAnnotation] ?? '';
	const oldRevision = oldRevisionText === '' ? 0 : Number.parseInt(oldRevisionText, 10);
	if (!Number.isFinite(oldRevision)) return false;
	if (oldRevision < newRevision) {
		annotations[revisionAnnotation] = String(newRevision);
		changed = true;
	}
	if (had && oldRevision < newRevision) {
		const history = annotations[revisionHistoryAnnotation] ?? '';
		if (history === '') {
			annotations[revisionHistoryAnnotation] = oldRevisionText;
		} else {
			let parts = history.split(',');
			let total = history.length + oldRevisionText.length + 1;
			while (total > maxRevHistoryLengthInChars && parts.length > 0) {
				total -= parts[0]!.length + 1;
				parts = parts.slice(1);
			}
			if (total <= maxRevHistoryLengthInChars) annotations[revisionHistoryAnnotation] = [...parts, oldRevisionText].join(',');
		}
	}
	if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true;
	return changed;
}

/** NewRSNewReplicas: how far the new ReplicaSet may grow now (within maxSurge for RollingUpdate). */
export function newRSNewReplicas(d: KubeObject, allRSs: (KubeObject | undefined)[], newRS: KubeObject): number {
	if (!isRollingUpdate(d)) return specReplicas(d);
	const desired = specReplicas(d);
	const surge = scaledValue(d.spec.strategy.rollingUpdate?.maxSurge ?? 0, desired, true);
	const current = replicaCount(allRSs);
	const maxTotal = desired + surge;
	if (current >= maxTotal) return specReplicas(newRS);
	const scaleUp = Math.min(maxTotal - current, desired - specReplicas(newRS));
	return specReplicas(newRS) + scaleUp;
}

/** IsSaturated: the new ReplicaSet has all the replicas, and all are available. */
export function isSaturated(d: KubeObject, rs: KubeObject | undefined): boolean {
	if (!rs) return false;
	const desired = Number.parseInt(rs.metadata.annotations?.[desiredReplicasAnnotation] ?? '', 10);
	if (!Number.isFinite(desired)) return false;
	return specReplicas(rs) === specReplicas(d) && desired === specReplicas(d) && (rs.status?.availableReplicas ?? 0) === specReplicas(d);
}

/** FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active; undefined when several are. */
export function findActiveOrLatest(newRS: KubeObject | undefined, oldRSs: KubeObject[], order: CreationOrder): KubeObject | undefined {
	if (!newRS && oldRSs.length === 0) return undefined;
	const newestFirst = [...oldRSs].sort(byCreation(order)).reverse();
	const active = filterActive([...newestFirst, newRS]);
	if (active.length === 0) return newRS ?? newestFirst[0];
	if (active.length === 1) return active[0];
	return undefined;
}

function annotationInt(rs: KubeObject, key: string): number | undefined {
	const n = Number.parseInt(rs.metadata.annotations?.[key] ?? '', 10);
	return Number.isFinite(n) ? n : undefined;
}

/** GetReplicaSetProportion: this ReplicaSet's share of a scaling event, bounded by what is left to add. */
export function replicaSetProportion(rs: KubeObject, d: KubeObject, toAdd: number, added: number): number {
	if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
	const fraction = replicaSetFraction(rs, d);
	const allowed = toAdd - added;
	return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: KubeObject, d: KubeObject): number {
	if (specReplicas(d) === 0) return -specReplicas(rs);
	const deploymentReplicas = specReplicas(d) + maxSurge(d);
	const annotated = annotationInt(rs, maxReplicasAnnotation) ?? d.status?.replicas ?? 0;
	if (annotated === 0) return 0;
	const size = (specReplicas(rs) * deploymentReplicas) / annotated;
	return roundHalfAwayFromZero(size) - specReplicas(rs);
}

function roundHalfAwayFromZero(x: number): number {
	return x < 0 ? -Math.round(-x) : Math.round(x);
}

// Conditions

export type DeploymentCondition = {
	type: string;
	status: 'True' | 'False' | 'Unknown';
	lastUpdateTime: string;
	lastTransitionTime: string;
	reason: string;
	message: string;
};

export function getCondition(status: any, type: string): DeploymentCondition | undefined {
	return (status?.conditions ?? []).find((c: DeploymentCondition) => c.type === type);
}

export function newCondition(
	type: string,
	status: DeploymentCondition['status'],
	reason: string,
	message: string,
	now: number,
): DeploymentCondition {
	const t = isoSeconds(now);
	return {type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message};
}

/**
 * SetDeploymentCondition: same status and reason keeps the old condition; same status keeps lastTransitionTime.
 * True when the condition was replaced (its lastUpdateTime is now).
 */
export function setCondition(status: any, condition: DeploymentCondition): boolean {
	const current = getCondition(status, condition.type);
	if (current && current.status === condition.status && current.reason === condition.reason) return false;
	if (current && current.status === condition.status) condition.lastTransitionTime = current.lastTransitionTime;
	status.conditions = [...(status.conditions ?? []).filter((c: DeploymentCondition) => c.type !== condition.type), condition];
	return true;
}

export function removeCondition(status: any, type: string): void {
	if (!status.conditions) return;
	status.conditions = status.conditions.filter((c: DeploymentCondition) => c.type !== type);
	if (status.conditions.length === 0) delete status.conditions;
}

export function hasProgressDeadline(d: KubeObject): boolean {
	const p = d.spec?.progressDeadlineSeconds;
	return typeof p === 'number' && p !== 2147483647;
}

/** DeploymentComplete: every replica updated and available, and the latest generation observed. */
export function deploymentComplete(d: KubeObject, status: any): boolean {
	const r = specReplicas(d);
	return (
		(status.updatedReplicas ?? 0) === r &&
		(status.replicas ?? 0) === r &&
		(status.availableReplicas ?? 0) === r &&
		(status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
	);
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available replicas than before. */
export function deploymentProgressing(d: KubeObject, status: any): boolean {
	const old = d.status ?? {};
	const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
	const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
	return (
		(status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
		newOld < oldOld ||
		(status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
		(status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
	);
}

/**
 * DeploymentTimedOut: no progress for progressDeadlineSeconds since the condition's lastUpdateTime;
 * `sinceUpdateMs` is how long ago (simulated ms) that was.
 */
export function deploymentTimedOut(d: KubeObject, status: any, sinceUpdateMs: (c: DeploymentCondition) => number): boolean {
	if (!hasProgressDeadline(d)) return false;
	const c = getCondition(status, 'Progressing');
	if (!c) return false;
	if (c.reason === reasons.newRSAvailable) return false;
	if (c.reason === reasons.timedOut) return true;
	return sinceUpdateMs(c) > d.spec.progressDeadlineSeconds * 1000;
}
