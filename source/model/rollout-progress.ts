// The rollout panel: which ReplicaSet is "new", which are "old", and how far the new one has come,
// using the same identification kubectl uses (kubectl pkg/util/deployment/deployment.go:
// listReplicaSets/IsControlledBy, findNewReplicaSet, findOldReplicaSets, equalIgnoreHash).
import type {Deployment, Pod, ReplicaSet} from './types.js';
import {controllerOf, equalIgnoreHash, parseGoInt, REVISION_ANNOTATION, toMillis} from './util.js';

export {equalIgnoreHash} from './util.js';

// The revision number a ReplicaSet carries; 0 when the annotation is missing or malformed.
export function revisionOf(rs: ReplicaSet | Deployment): number {
	const v = rs.metadata?.annotations?.[REVISION_ANNOTATION];
	if (v === undefined) return 0;
	const parsed = parseGoInt(v);
	return parsed.ok ? parsed.value : 0;
}

// ReplicaSets whose controller ownerReference points at this Deployment's uid (metav1.IsControlledBy).
export function ownedReplicaSets(deployment: Deployment, replicaSets: Iterable<ReplicaSet>): ReplicaSet[] {
	const uid = deployment.metadata?.uid;
	const out: ReplicaSet[] = [];
	if (!uid) return out;
	for (const rs of replicaSets) {
		if (controllerOf(rs.metadata)?.uid === uid) out.push(rs);
	}
	return out;
}

// Oldest first by creationTimestamp, name as tie breaker (kubectl's replicaSetsByCreationTimestamp).
export function sortByCreation(replicaSets: ReplicaSet[]): ReplicaSet[] {
	return [...replicaSets].sort((a, b) => {
		const ta = toMillis(a.metadata?.creationTimestamp) ?? 0;
		const tb = toMillis(b.metadata?.creationTimestamp) ?? 0;
		if (ta !== tb) return ta - tb;
		const na = a.metadata?.name ?? '';
		const nb = b.metadata?.name ?? '';
		return na < nb ? -1 : na > nb ? 1 : 0;
	});
}

// The ReplicaSet running the Deployment's current template. When several match (rare, after upgrades),
// kubectl deterministically picks the oldest one; so do we. Pass owned ReplicaSets (see ownedReplicaSets).
export function findNewReplicaSet(deployment: Deployment, replicaSets: ReplicaSet[]): ReplicaSet | undefined {
	for (const rs of sortByCreation(replicaSets)) {
		if (equalIgnoreHash(rs.spec?.template, deployment.spec?.template)) return rs;
	}
	return undefined;
}

// Every owned ReplicaSet that is not the new one (kubectl's allOldRSs), oldest first.
export function findOldReplicaSets(_deployment: Deployment, replicaSets: ReplicaSet[], newRS?: ReplicaSet): ReplicaSet[] {
	const sorted = sortByCreation(replicaSets);
	if (!newRS) return sorted;
	return sorted.filter((rs) => rs !== newRS && (rs.metadata?.uid === undefined || rs.metadata.uid !== newRS.metadata?.uid));
}

// The container images of a pod template (or ReplicaSet), in container order.
export function templateImages(rs: ReplicaSet | Deployment): string[] {
	return (rs.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '');
}

// One ReplicaSet as the rollout panel shows it.
export interface ReplicaSetSummary {
	name: string;
	uid: string;
	revision: number;
	images: string[];
	desired: number;
	current: number;
	ready: number;
	available: number;
	createdMs?: number;
	isNew: boolean;
}

function summarize(rs: ReplicaSet, isNew: boolean): ReplicaSetSummary {
	return {
		name: rs.metadata?.name ?? '',
		uid: rs.metadata?.uid ?? '',
		revision: revisionOf(rs),
		images: templateImages(rs),
		desired: rs.spec?.replicas ?? 0,
		current: rs.status?.replicas ?? 0,
		ready: rs.status?.readyReplicas ?? 0,
		available: rs.status?.availableReplicas ?? 0,
		createdMs: toMillis(rs.metadata?.creationTimestamp),
		isNew,
	};
}

// Fractions in [0, 1] for the progress bars.
export interface ProgressFractions {
	// New-ReplicaSet pods that exist, out of desired.
	updated: number;
	ready: number;
	available: number;
	// How much of the old pods are gone: 1 - oldRemaining / desired (1 when nothing old remains).
	oldDrained: number;
}

// Everything the rollout panel needs about one Deployment.
export interface RolloutProgress {
	desired: number;
	newReplicaSet?: ReplicaSetSummary;
	// Old ReplicaSets, newest revision first.
	oldReplicaSets: ReplicaSetSummary[];
	// Pods of the new ReplicaSet: existing, ready, available.
	updated: number;
	ready: number;
	available: number;
	// Pods still running from old ReplicaSets.
	oldRemaining: number;
	fractions: ProgressFractions;
}

function fraction(n: number, of: number): number {
	if (of <= 0) return 1;
	return Math.max(0, Math.min(1, n / of));
}

// Computes the rollout panel from a Deployment and any ReplicaSets (ownership is checked here).
export function rolloutProgress(deployment: Deployment, replicaSets: Iterable<ReplicaSet>): RolloutProgress {
	const owned = ownedReplicaSets(deployment, replicaSets);
	const newRS = findNewReplicaSet(deployment, owned);
	const olds = findOldReplicaSets(deployment, owned, newRS).map((rs) => summarize(rs, false));
	olds.sort((a, b) => b.revision - a.revision || (b.createdMs ?? 0) - (a.createdMs ?? 0));
	const desired = deployment.spec?.replicas ?? 1;
	const newSummary = newRS ? summarize(newRS, true) : undefined;
	const updated = newSummary?.current ?? 0;
	const ready = newSummary?.ready ?? 0;
	const available = newSummary?.available ?? 0;
	const oldRemaining = olds.reduce((sum, rs) => sum + rs.current, 0);
	return {
		desired,
		newReplicaSet: newSummary,
		oldReplicaSets: olds,
		updated,
		ready,
		available,
		oldRemaining,
		fractions: {
			updated: fraction(updated, desired),
			ready: fraction(ready, desired),
			available: fraction(available, desired),
			oldDrained: oldRemaining === 0 ? 1 : 1 - fraction(oldRemaining, desired),
		},
	};
}

// A pod's ReplicaSet and revision, by the pod's controller reference (metav1.IsControlledBy), as the
// deployment controller ties pods to revisions. One lookup for many pods (20,000 without a scan per pod);
// undefined for a pod none of these ReplicaSets controls.
export function podOwnerIndex(replicaSets: Iterable<ReplicaSet>): (pod: Pod) => {replicaSet: ReplicaSet; revision: number} | undefined {
	const byUid = new Map<string, {replicaSet: ReplicaSet; revision: number}>();
	for (const rs of replicaSets) if (rs.metadata?.uid) byUid.set(rs.metadata.uid, {replicaSet: rs, revision: revisionOf(rs)});
	return (pod) => {
		const uid = controllerOf(pod.metadata)?.uid;
		return uid ? byUid.get(uid) : undefined;
	};
}
