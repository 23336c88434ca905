// Small Kubernetes rules the controllers share: label selectors, owner references, int-or-percent values,
// pod readiness and availability, timestamps and Go-style durations, graceful pod deletion.
import type {Clock} from '../clock.js';
import {ApiError} from '../errors.js';
import {sameJson} from '../frozen.js';
import type {KubeObject, OwnerReference, Store} from '../store.js';

/** metav1.LabelSelector as JSON. */
export type LabelSelector = {
	matchLabels?: Record<string, string>;
	matchExpressions?: {key: string; operator: string; values?: string[]}[];
};

/** True when the labels satisfy a metav1.LabelSelector; an empty selector selects everything, as the API defines. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
	if (!selector) return false;
	const have = labels ?? {};
	for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
		if (have[k] !== v) return false;
	}
	for (const e of selector.matchExpressions ?? []) {
		const present = Object.hasOwn(have, e.key);
		const values = e.values ?? [];
		switch (e.operator) {
			case 'In':
				if (!present || !values.includes(have[e.key]!)) return false;
				break;
			case 'NotIn':
				if (present && values.includes(have[e.key]!)) return false;
				break;
			case 'Exists':
				if (!present) return false;
				break;
			case 'DoesNotExist':
				if (present) return false;
				break;
			default:
				return false;
		}
	}
	return true;
}

/** True for `{}`: a Deployment or ReplicaSet with it would select every pod, which the controllers refuse. */
export function selectorIsEmpty(selector: LabelSelector | undefined): boolean {
	return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}

/** True when a Service's plain selector map selects the labels (an empty map selects nothing for endpoints). */
export function mapSelectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
	if (!selector || Object.keys(selector).length === 0) return false;
	return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The owner reference with controller: true, as metav1.GetControllerOf finds it. */
export function controllerOf(o: KubeObject): OwnerReference | undefined {
	return o.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** A controller owner reference to `owner`, as metav1.NewControllerRef builds it. */
export function controllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
	return {apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true};
}

/** `namespace/name`, the work-queue key the real controllers use. */
export function keyOf(o: {metadata: {namespace?: string; name?: string}}): string {
	return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

/** Splits a `namespace/name` key. */
export function splitKey(key: string): {namespace: string | undefined; name: string} {
	const i = key.indexOf('/');
	const namespace = key.slice(0, i);
	return {namespace: namespace === '' ? undefined : namespace, name: key.slice(i + 1)};
}

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is, a percent of total rounded up (maxSurge) or down
 * (maxUnavailable).
 */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
	if (value === undefined || value === null) return 0;
	if (typeof value === 'number') return value;
	const m = /^(-?\d+)%$/.exec(value.trim());
	if (!m) {
		const n = Number.parseInt(value, 10);
		return Number.isFinite(n) ? n : 0;
	}
	const scaled = (Number(m[1]) * total) / 100;
	return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** How many simulated ms pass per wall-clock ms: a ScaledClock's speed, 1 for a ManualClock. */
export function clockSpeed(clock: Clock): number {
	const speed = (clock as {speed?: unknown}).speed;
	return typeof speed === 'number' && speed > 0 ? speed : 1;
}

/**
 * A monotonic simulated time in ms. Object timestamps stay wall-clock (kubectl's ages stay sane), so the
 * controllers measure durations (back-offs, minReadySeconds, deadlines, lags) on this scale instead.
 */
export function simNow(clock: Clock): number {
	return clock.now() * clockSpeed(clock);
}

/** Simulated ms since a wall-clock timestamp written into an object. */
export function simSince(clock: Clock, wallTimestamp: string | undefined): number {
	const t = parseTime(wallTimestamp);
	return Number.isFinite(t) ? (clock.now() - t) * clockSpeed(clock) : Number.POSITIVE_INFINITY;
}

/** RFC 3339 with seconds, as metav1.Time marshals. */
let lastSecond = Number.NaN;
let lastIso = '';

export function isoSeconds(ms: number): string {
	// Thousands of status writes and events a second fall in the same second: format it once.
	const second = Math.floor(ms / 1000);
	if (second === lastSecond) return lastIso;
	lastSecond = second;
	lastIso = formatIsoSeconds(ms);
	return lastIso;
}

function formatIsoSeconds(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses a metav1.Time back into epoch milliseconds (NaN when absent). */
export function parseTime(value: string | undefined | null): number {
	return value ? Date.parse(value) : Number.NaN;
}

/** Go's time.Duration String() for milliseconds: 313ms, 1.2s, 1m2.5s, 1h0m0s. */
export function goDuration(ms: number): string {
	if (ms === 0) return '0s';
	if (ms < 0) return `-${goDuration(-ms)}`;
	if (ms < 1000) return `${trimNumber(ms)}ms`;
	const totalSeconds = ms / 1000;
	if (totalSeconds < 60) return `${trimNumber(totalSeconds)}s`;
	const hours = Math.floor(totalSeconds / 3600);
	const minutes = Math.floor((totalSeconds - hours * 3600) / 60);
	const seconds = totalSeconds - hours * 3600 - minutes * 60;
	return `${hours > 0 ? `${hours}h` : ''}${minutes}m${trimNumber(seconds)}s`;
}

function trimNumber(n: number): string {
	return String(Number(n.toFixed(9)));
}

/** A pod condition of one type, or undefined. */
export function podCondition(pod: KubeObject, type: string): any {
	return (pod.status?.conditions ?? []).find((c: any) => c.type === type);
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
	return podCondition(pod, 'Ready')?.status === 'True';
}

/** controller.IsPodActive: not finished and not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
	const phase = pod.status?.phase;
	return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** Failed or Succeeded: the pod will not run again. */
export function isPodTerminal(pod: KubeObject): boolean {
	const phase = pod.status?.phase;
	return phase === 'Succeeded' || phase === 'Failed';
}

/**
 * Deletes a pod the way the API server does for a controller's DELETE: a pod bound to a node gets a
 * deletionTimestamp and a grace period (the kubelet finishes the deletion); an unbound one goes at once.
 * Returns the pod as stored afterwards, or undefined when it is gone.
 */
export function deletePodGracefully(
	store: Store,
	clock: Clock,
	namespace: string,
	name: string,
	gracePeriodSeconds?: number,
): KubeObject | undefined {
	const pod = store.get('pods', namespace, name);
	if (!pod) return undefined;
	if (pod.metadata.deletionTimestamp) return pod;
	const grace = gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
	if (!pod.spec?.nodeName || grace <= 0 || isPodTerminal(pod)) {
		store.delete('pods', namespace, name);
		return undefined;
	}
	const {resourceVersion: _rv, ...metadata} = pod.metadata;
	const deletionTimestamp = isoSeconds(clock.now() + grace * 1000);
	return store.update('pods', {...pod, metadata: {...metadata, deletionTimestamp, deletionGracePeriodSeconds: grace}});
}

/** A stable JSON text with sorted keys, for hashing and deep comparison. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const k of Object.keys(value).sort()) {
			const v = (value as Record<string, unknown>)[k];
			if (v !== undefined) out[k] = sortKeys(v);
		}
		return out;
	}
	return value;
}

/** Deep equality of JSON values, ignoring key order (compared in place: no canonical texts built per status check). */
export const jsonEqual = sameJson;

/** True for the API's 409 AlreadyExists. */
export function isAlreadyExists(error: unknown): boolean {
	return error instanceof ApiError && error.reason === 'AlreadyExists';
}

/** True for the API's 404 NotFound. */
export function isNotFound(error: unknown): boolean {
	return error instanceof ApiError && error.code === 404;
}
