// Small pure helpers the action plans share: API paths, kubectl's timestamp format, change-cause text.
import type {Deployment} from '../../model/types.js';
import {revisionOf} from '../../model/rollout-progress.js';
import type {PlanRefusal} from './types.js';

export {CHANGE_CAUSE_ANNOTATION} from '../../model/history.js';
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

// ", new revision N" when the next revision number can be told from the Deployment; '' otherwise.
export function nextRevisionNote(deployment: Deployment): string {
	const current = revisionOf(deployment);
	return current === 0 ? '' : ` (revision ${current + 1})`;
}
