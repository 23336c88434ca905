// The events pane: which events belong to the watched Deployment, how repeats collapse into one row,
// and a bounded log so a long session or an event storm cannot grow memory without limit.
// Ordering and the LAST SEEN text follow kubectl pkg/cmd/events (events.go SortableEvents/eventTime,
// event_printer.go getInterval).
import type {Deployment, KubeEvent} from './types.js';
import {ageSince} from './duration.js';
import {toMillis} from './util.js';

export {humanDuration, translateTimestampSince} from './duration.js';

// The instant kubectl sorts an event by: series.lastObservedTime, else lastTimestamp, else eventTime.
export function eventTime(ev: KubeEvent): number | undefined {
	if (ev.series) return toMillis(ev.series.lastObservedTime);
	return toMillis(ev.lastTimestamp) ?? toMillis(ev.eventTime);
}

// When an event was first seen: eventTime for events.k8s.io-style events, else firstTimestamp.
export function eventFirstTime(ev: KubeEvent): number | undefined {
	return toMillis(ev.eventTime) ?? toMillis(ev.firstTimestamp);
}

// How many occurrences one Event object stands for (series.count, else count, at least 1).
export function eventCount(ev: KubeEvent): number {
	const n = ev.series ? ev.series.count : ev.count;
	return typeof n === 'number' && n > 1 ? n : 1;
}

function asSet(names: Iterable<string>): ReadonlySet<string> {
	return names instanceof Set ? names : new Set(names);
}

const POD_SUFFIX = /^[a-z0-9]{5}$/;

// True when an event is about the Deployment, one of its ReplicaSets, or one of its pods.
// Pods are matched by name, and also by the "<replicaset>-xxxxx" name pattern so that events
// of pods that are already gone still show up.
export function relatedToDeployment(
	event: KubeEvent,
	deployment: Deployment,
	replicaSetNames: Iterable<string>,
	podNames: Iterable<string>,
): boolean {
	const obj = event.involvedObject;
	if (!obj?.name) return false;
	const ns = deployment.metadata?.namespace;
	const evNs = obj.namespace || event.metadata?.namespace;
	if (ns && evNs && ns !== evNs) return false;
	switch (obj.kind) {
		case 'Deployment': {
			if (obj.name !== deployment.metadata?.name) return false;
			const uid = deployment.metadata?.uid;
			return !uid || !obj.uid || uid === obj.uid;
		}
		case 'ReplicaSet':
			return asSet(replicaSetNames).has(obj.name);
		case 'Pod': {
			if (asSet(podNames).has(obj.name)) return true;
			const dash = obj.name.lastIndexOf('-');
			return dash > 0 && POD_SUFFIX.test(obj.name.slice(dash + 1)) && asSet(replicaSetNames).has(obj.name.slice(0, dash));
		}
		default:
			return false;
	}
}

// One line of the events pane: every event with the same object, reason and message folded together.
export interface EventRow {
	key: string;
	type: string;
	reason: string;
	message: string;
	kind: string;
	name: string;
	namespace: string;
	// Total occurrences across the folded events (each counted by series.count / count).
	count: number;
	firstMs?: number;
	lastMs?: number;
	// Who reported it, e.g. "deployment-controller" or "kubelet".
	source: string;
}

function objectKey(ev: KubeEvent): string {
	const o = ev.involvedObject ?? {};
	return `${o.kind ?? ''}/${o.namespace ?? ev.metadata?.namespace ?? ''}/${o.name ?? ''}`;
}

// Rows are folded by involved object + reason + message.
export function collapseKey(ev: KubeEvent): string {
	return `${objectKey(ev)}\u0000${ev.reason ?? ''}\u0000${(ev.message ?? '').trim()}`;
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
	if (a === undefined) return b;
	if (b === undefined) return a;
	return Math.min(a, b);
}

// Folds repeats into rows and sorts them oldest first by last occurrence, as `kubectl events` lists them.
export function collapseEvents(events: Iterable<KubeEvent>): EventRow[] {
	const rows = new Map<string, EventRow>();
	for (const ev of events) {
		const key = collapseKey(ev);
		const last = eventTime(ev);
		const first = eventFirstTime(ev) ?? last;
		const existing = rows.get(key);
		const source = ev.source?.component || ev.reportingComponent || '';
		if (!existing) {
			rows.set(key, {
				key,
				type: ev.type ?? '',
				reason: ev.reason ?? '',
				message: (ev.message ?? '').trim(),
				kind: ev.involvedObject?.kind ?? '',
				name: ev.involvedObject?.name ?? '',
				namespace: ev.involvedObject?.namespace ?? ev.metadata?.namespace ?? '',
				count: eventCount(ev),
				firstMs: first,
				lastMs: last,
				source,
			});
			continue;
		}
		existing.count += eventCount(ev);
		existing.firstMs = minDefined(existing.firstMs, first);
		if (last !== undefined && (existing.lastMs === undefined || last >= existing.lastMs)) {
			existing.lastMs = last;
			existing.type = ev.type ?? existing.type;
			existing.source = source || existing.source;
		}
	}
	// Array.prototype.sort is stable, so equal times keep arrival order.
	return [...rows.values()].sort((a, b) => (a.lastMs ?? -Infinity) - (b.lastMs ?? -Infinity));
}

// The LAST SEEN cell of a folded row, as kubectl's event printer writes it (getInterval): "7s", or
// "7s (x4 over 3m)" for repeats.
export function rowInterval(row: EventRow, now: number): string {
	if (row.count > 1) return `${ageSince(row.lastMs, now)} (x${row.count} over ${ageSince(row.firstMs, now)})`;
	return ageSince(row.firstMs ?? row.lastMs, now);
}

function identity(ev: KubeEvent): string {
	const m = ev.metadata;
	if (m?.uid) return m.uid;
	return `${m?.namespace ?? ''}/${m?.name ?? ''}/${collapseKey(ev)}`;
}

// A bounded store of raw events keyed by event uid: a watch MODIFIED replaces the stored copy
// (the API bumps count on the same object), and past `max` entries the least recent event is dropped.
export class EventLog {
	readonly max: number;
	// Each event with its sort time, computed once (eviction compares times without re-parsing dates).
	private readonly byId = new Map<string, {ev: KubeEvent; t: number}>();
	private cache: EventRow[] | undefined;
	private version = 0;

	// max: how many raw events to keep (default 500).
	constructor(max = 500) {
		if (!Number.isInteger(max) || max < 1) throw new RangeError(`EventLog max must be a positive integer, got ${max}`);
		this.max = max;
	}

	// Number of raw events held.
	get size(): number {
		return this.byId.size;
	}

	// Bumped on every change so that views can memoise on it.
	get revision(): number {
		return this.version;
	}

	// Adds or replaces an event (watch ADDED/MODIFIED, or a list item).
	upsert(ev: KubeEvent): void {
		const id = identity(ev);
		this.byId.delete(id);
		this.byId.set(id, {ev, t: eventTime(ev) ?? -Infinity});
		while (this.byId.size > this.max) this.evictOldest();
		this.changed();
	}

	// Replaces everything with a list's events, keeping the newest `max` when there are more: what clearing and
	// upserting them oldest first gives, at the cost of one sort. That way cost a time parse per comparison and a scan
	// of the log per event past `max` (thousands of events at 5,000 pods, before the first frame).
	replaceAll(events: readonly KubeEvent[]): void {
		const timed = events.map((ev, i) => ({ev, t: eventTime(ev), i}));
		// Oldest first (an event without a time counts as the oldest), in list order among equal times.
		timed.sort((a, b) => (a.t ?? 0) - (b.t ?? 0) || a.i - b.i);
		this.byId.clear();
		for (const {ev, t} of timed) {
			const id = identity(ev);
			this.byId.delete(id);
			this.byId.set(id, {ev, t: t ?? -Infinity});
		}
		// The map is in that order: the oldest are at its front.
		for (const id of this.byId.keys()) {
			if (this.byId.size <= this.max) break;
			this.byId.delete(id);
		}
		this.changed();
	}

	// Forgets an event (watch DELETED); returns whether it was held.
	remove(ev: KubeEvent): boolean {
		const had = this.byId.delete(identity(ev));
		if (had) this.changed();
		return had;
	}

	// Drops everything, e.g. when switching to another Deployment.
	clear(): void {
		this.byId.clear();
		this.changed();
	}

	// The raw events currently held, in arrival order.
	events(): KubeEvent[] {
		return [...this.byId.values()].map((e) => e.ev);
	}

	// Folded rows, oldest first; filter narrows to e.g. one Deployment's events. Unfiltered results are cached.
	rows(filter?: (ev: KubeEvent) => boolean): EventRow[] {
		if (!filter) {
			this.cache ??= collapseEvents(this.events());
			return this.cache;
		}
		return collapseEvents(this.events().filter(filter));
	}

	private changed(): void {
		this.version++;
		this.cache = undefined;
	}

	private evictOldest(): void {
		let oldestId: string | undefined;
		let oldestMs = Infinity;
		for (const [id, {t}] of this.byId) {
			if (t < oldestMs) {
				oldestMs = t;
				oldestId = id;
			}
		}
		// With no times at all, fall back to arrival order (the first key).
		this.byId.delete(oldestId ?? this.byId.keys().next().value!);
	}
}

// Convenience for the events pane: a predicate for one Deployment given its ReplicaSet and pod names.
export function deploymentEventFilter(
	deployment: Deployment,
	replicaSetNames: Iterable<string>,
	podNames: Iterable<string>,
): (ev: KubeEvent) => boolean {
	const rs = new Set(replicaSetNames);
	const pods = new Set(podNames);
	return (ev) => relatedToDeployment(ev, deployment, rs, pods);
}
