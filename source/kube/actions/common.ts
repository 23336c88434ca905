// Small pure helpers the action plans share: API paths, kubectl's timestamp format, change-cause text.
import type {Deployment, LabelSelector} from '../../model/types.js';
import {REVISION_ANNOTATION} from '../../model/util.js';
import type {PlanRefusal} from './types.js';

// The annotation `kubectl rollout history` reads its CHANGE-CAUSE column from.
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
// The pod-template annotation `kubectl rollout restart` bumps.
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
// The program name change-cause records, so history says who made the change.
export const DEFAULT_PROGRAM = 'rollout-cockpit';

// The Deployment's URL path, as client-go builds it.
export function deploymentPath(namespace: string, name: string): string {
	return `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}`;
}

// The namespace's ReplicaSets collection path.
export function replicaSetsPath(namespace: string): string {
	return `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets`;
}

// Go's time.Now().Format(time.RFC3339) as kubectl stamps restartedAt: local time, whole seconds,
// "Z" in UTC, else the offset as +hh:mm.
export function formatRFC3339(date: Date): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	const offsetMin = -date.getTimezoneOffset();
	const zone =
		offsetMin === 0 ? 'Z' : `${offsetMin > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`;
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`;
}

// The Deployment's name and namespace, or a refusal when the object cannot be acted on at all.
export function identify(deployment: Deployment | undefined | null): {namespace: string; name: string} | PlanRefusal {
	const name = deployment?.metadata?.name;
	if (!deployment || !name) return {ok: false, reason: 'invalid', message: 'no deployment is selected'};
	return {namespace: deployment.metadata?.namespace || 'default', name};
}

// The revision the Deployment is on now (its deployment.kubernetes.io/revision), if it has one yet.
export function currentRevision(deployment: Deployment): number | undefined {
	const raw = deployment.metadata?.annotations?.[REVISION_ANNOTATION];
	if (raw === undefined || !/^[0-9]+$/.test(raw)) return undefined;
	return Number(raw);
}

// ", new revision N" when the next revision number can be told from the Deployment; '' otherwise.
export function nextRevisionNote(deployment: Deployment): string {
	const current = currentRevision(deployment);
	return current === undefined ? '' : ` (revision ${current + 1})`;
}

// A LabelSelector as the labelSelector query string (metav1.LabelSelectorAsSelector's text form).
export function selectorString(selector: LabelSelector | null | undefined): string {
	const parts: string[] = [];
	for (const [k, v] of Object.entries(selector?.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
		parts.push(`${k}=${v}`);
	for (const e of selector?.matchExpressions ?? []) {
		const values = [...(e.values ?? [])].sort().join(',');
		if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
		else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
		else if (e.operator === 'Exists') parts.push(`${e.key}`);
		else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
	}
	return parts.join(',');
}
