// `kubectl rollout undo [--to-revision=N]` planned as kubectl 1.32 does it (rollback.go: deploymentRevision, annotationsToSkip, getDeploymentPatch).
import type {Deployment, ReplicaSet} from './types.js';
import {historyOrder} from './history.js';
import {equalIgnoreHash, goQuote, parseGoInt, REVISION_ANNOTATION, templateWithoutHash} from './util.js';

// Deployment annotations kubectl keeps on undo instead of copying them from the ReplicaSet.
export const ROLLBACK_SKIPPED_ANNOTATIONS: readonly string[] = [
	'kubectl.kubernetes.io/last-applied-configuration',
	REVISION_ANNOTATION,
	'deployment.kubernetes.io/revision-history',
	'deployment.kubernetes.io/desired-replicas',
	'deployment.kubernetes.io/max-replicas',
	'deprecated.deployment.rollback.to',
];

// One RFC 6902 operation of the patch `kubectl rollout undo` sends.
export interface JsonPatchOp {
	op: 'replace';
	path: string;
	value: unknown;
}

// What `kubectl rollout undo` would do: fail with its message, skip, or send this JSON patch.
export type UndoPlan =
	| {kind: 'error'; message: string}
	| {kind: 'skip'; message: string; revision: number; replicaSetName: string}
	| {
			kind: 'patch';
			// The revision being restored (the resolved one when toRevision was 0).
			revision: number;
			replicaSetName: string;
			// application/json-patch+json body, as kubectl sends it.
			patch: JsonPatchOp[];
			// kubectl's success word: "rolled back".
			message: string;
	  };

// Plans `kubectl rollout undo [--to-revision=N]`; toRevision 0 means the previous revision.
// Checks run in kubectl's order: revision lookup, then paused, then "already matches".
export function undoPlan(deployment: Deployment, replicaSets: Iterable<ReplicaSet>, toRevision = 0): UndoPlan {
	if (toRevision < 0) return {kind: 'error', message: `unable to find specified revision ${toRevision} in history`};
	const {all} = historyOrder(deployment, replicaSets);
	let target: ReplicaSet | undefined;
	let latest = -1;
	let previous = -1;
	let latestRS: ReplicaSet | undefined;
	for (const rs of all) {
		const raw = rs.metadata?.annotations?.[REVISION_ANNOTATION];
		const parsed = raw === undefined ? ({ok: true, value: 0} as const) : parseGoInt(raw);
		if (!parsed.ok) continue;
		const v = parsed.value;
		if (toRevision === 0) {
			if (latest < v) {
				previous = latest;
				target = latestRS;
				latest = v;
				latestRS = rs;
			} else if (previous < v) {
				previous = v;
				target = rs;
			}
		} else if (toRevision === v) {
			target = rs;
			break;
		}
	}
	const name = deployment.metadata?.name ?? '';
	if (toRevision > 0 && !target) return {kind: 'error', message: `unable to find specified revision ${toRevision} in history`};
	if (!target) return {kind: 'error', message: `no rollout history found for deployment ${goQuote(name)}`};
	if (deployment.spec?.paused) {
		return {kind: 'error', message: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"};
	}
	const replicaSetName = target.metadata?.name ?? '';
	const revision = toRevision === 0 ? previous : toRevision;
	if (equalIgnoreHash(target.spec?.template, deployment.spec?.template)) {
		// kubectl reports the revision as asked, so a plain undo says "revision 0".
		return {kind: 'skip', message: `skipped rollback (current template already matches revision ${toRevision})`, revision, replicaSetName};
	}
	const annotations: Record<string, string> = {};
	const depAnnotations = deployment.metadata?.annotations ?? {};
	for (const k of ROLLBACK_SKIPPED_ANNOTATIONS) {
		if (k in depAnnotations) annotations[k] = depAnnotations[k];
	}
	for (const [k, v] of Object.entries(target.metadata?.annotations ?? {})) {
		if (!ROLLBACK_SKIPPED_ANNOTATIONS.includes(k)) annotations[k] = v;
	}
	// Go's encoding/json writes map keys sorted.
	const sorted = Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
	return {
		kind: 'patch',
		revision,
		replicaSetName,
		message: 'rolled back',
		patch: [
			{op: 'replace', path: '/spec/template', value: templateWithoutHash(target.spec?.template)},
			{op: 'replace', path: '/metadata/annotations', value: sorted},
		],
	};
}
