// Rollout history as `kubectl rollout history [--revision=N]` shows it (kubectl 1.32 polymorphichelpers/history.go): revision rows and one revision's template.
import type {Deployment, PodTemplateSpec, ReplicaSet} from './types.js';
import {describeTemplate} from './describe-template.js';
import {findNewReplicaSet, ownedReplicaSets, sortByCreation} from './rollout-progress.js';
import {parseGoInt, POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, toMillis} from './util.js';

// The annotation `kubectl rollout history` shows as CHANGE-CAUSE.
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

// One row of `kubectl rollout history`, with what the cockpit adds (images, size, age).
export interface RevisionRow {
	revision: number;
	// kubernetes.io/change-cause of the ReplicaSet, or "<none>".
	changeCause: string;
	images: string[];
	replicaSetName: string;
	// Pods the ReplicaSet currently has (status.replicas).
	replicas: number;
	createdAt?: number;
	// True for the ReplicaSet that runs the Deployment's current template.
	current: boolean;
	// The ReplicaSet's pod template as stored (pod-template-hash label included).
	template: PodTemplateSpec;
}

// ReplicaSets in the order kubectl walks them: old ones oldest first, then the new one (undo.ts walks them too).
export function historyOrder(deployment: Deployment, replicaSets: Iterable<ReplicaSet>): {all: ReplicaSet[]; newRS?: ReplicaSet} {
	const owned = ownedReplicaSets(deployment, replicaSets);
	const newRS = findNewReplicaSet(deployment, owned);
	const olds = sortByCreation(owned).filter((rs) => rs !== newRS);
	return {all: newRS ? [...olds, newRS] : olds, newRS};
}

// The Deployment's revisions, oldest first, one per revision number (a later ReplicaSet wins a tie, as in kubectl's map).
export function revisionHistory(deployment: Deployment, replicaSets: Iterable<ReplicaSet>): RevisionRow[] {
	const {all, newRS} = historyOrder(deployment, replicaSets);
	const byRevision = new Map<number, RevisionRow>();
	for (const rs of all) {
		const raw = rs.metadata?.annotations?.[REVISION_ANNOTATION];
		let revision = 0;
		if (raw !== undefined) {
			const parsed = parseGoInt(raw);
			if (!parsed.ok) continue; // kubectl skips ReplicaSets with a malformed revision.
			revision = parsed.value;
		}
		const cause = rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '';
		byRevision.set(revision, {
			revision,
			changeCause: cause.length > 0 ? cause : '<none>',
			images: (rs.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
			replicaSetName: rs.metadata?.name ?? '',
			replicas: rs.status?.replicas ?? 0,
			createdAt: toMillis(rs.metadata?.creationTimestamp),
			current: rs === newRS,
			template: rs.spec?.template ?? {},
		});
	}
	return [...byRevision.values()].sort((a, b) => a.revision - b.revision);
}

// `kubectl rollout history --revision=N`: the revision's pod template as kubectl describes it, or kubectl's error.
export function revisionDetails(
	deployment: Deployment,
	replicaSets: Iterable<ReplicaSet>,
	revision: number,
): {ok: true; text: string} | {ok: false; error: string} {
	const row = revisionHistory(deployment, replicaSets).find((r) => r.revision === revision);
	if (!row) return {ok: false, error: 'unable to find the specified revision'};
	// kubectl puts the ReplicaSet's change-cause into the template annotations before printing.
	const template = structuredClone(row.template);
	if (row.changeCause !== '<none>') {
		template.metadata ??= {};
		template.metadata.annotations = {...(template.metadata.annotations ?? {}), [CHANGE_CAUSE_ANNOTATION]: row.changeCause};
	}
	return {ok: true, text: describeTemplate(template)};
}

// The label that ties ReplicaSets and pods to a template, re-exported for callers building diffs.
export {POD_TEMPLATE_HASH_LABEL};
