// client-go's EventCorrelator (tools/record/events_cache.go), which every component that records core/v1 Events
// runs before it writes: similar events (same source, object, type and reason) with more than 10 different messages
// within 10 minutes are combined into one Event whose message is prefixed "(combined from similar events): ";
// an exact repeat raises count and lastTimestamp on the Event already written; and a spam filter lets a source
// burst 25 events of one type about one object, then 1 more every 5 minutes. Its caches are LRUs of 4096.
import type {KubeObject} from '../store.js';

/** client-go's defaults (events_cache.go). */
export const correlatorDefaults = {
	lruCacheEntries: 4096,
	aggregateMaxEvents: 10,
	aggregateIntervalMs: 600_000,
	spamBurst: 25,
	spamQps: 1 / 300,
} as const;

/** The message prefix of an aggregated event (EventAggregatorByReasonMessageFunc). */
export const combinedPrefix = '(combined from similar events): ';

/** A Map that forgets its least recently used entry beyond `limit` (k8s.io/utils/lru). */
class Lru<V> {
	private readonly map = new Map<string, V>();
	constructor(private readonly limit: number) {}
	get(key: string): V | undefined {
		const v = this.map.get(key);
		if (v !== undefined) {
			this.map.delete(key);
			this.map.set(key, v);
		}
		return v;
	}
	add(key: string, value: V): void {
		this.map.delete(key);
		this.map.set(key, value);
		if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value!);
	}
	get size(): number {
		return this.map.size;
	}
}

type AggregateRecord = {localKeys: Set<string>; lastTimestamp: number};
type EventLog = {count: number; firstTimestamp: string; name: string; resourceVersion?: string};
type Bucket = {tokens: number; last: number};

const ref = (e: KubeObject) => e.involvedObject ?? {};

// getEventKey: the exact event, message included.
function eventKey(e: KubeObject): string {
	const o = ref(e);
	return [e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.fieldPath, o.uid, o.apiVersion, e.type, e.reason, e.message]
		.map((s) => s ?? '')
		.join('');
}

// getSpamKey: the source, the object and the event type.
function spamKey(e: KubeObject): string {
	const o = ref(e);
	return [e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, e.type].map((s) => s ?? '').join('');
}

// EventAggregatorByReasonFunc: everything but the message (and the field path) groups similar events.
function aggregateKey(e: KubeObject): string {
	const o = ref(e);
	return [
		e.source?.component,
		e.source?.host,
		o.kind,
		o.namespace,
		o.name,
		o.uid,
		o.apiVersion,
		e.type,
		e.reason,
		e.reportingComponent,
		e.reportingInstance,
	]
		.map((s) => s ?? '')
		.join('');
}

/** What to do with an event after correlation: drop it, create it, or patch the Event named in it. */
export type Correlated = {skip: true} | {skip: false; event: KubeObject; update: boolean};

/** One component's correlator (client-go keeps one per event broadcaster). */
export class EventCorrelator {
	private readonly aggregates: Lru<AggregateRecord>;
	private readonly logs: Lru<EventLog>;
	private readonly spam: Lru<Bucket>;

	/**
	 * @param now wall-clock milliseconds, the same clock the Events' timestamps come from.
	 * @param rfc3339 how a timestamp is written (seconds, as metav1.Time).
	 * @param nameFor the name a new (aggregate) Event gets: `<object>.<unix nanoseconds in hex>`.
	 */
	constructor(
		private readonly now: () => number,
		private readonly rfc3339: (ms: number) => string,
		private readonly nameFor: (objectName: string, ms: number) => string,
		private readonly options = correlatorDefaults,
	) {
		this.aggregates = new Lru(options.lruCacheEntries);
		this.logs = new Lru(options.lruCacheEntries);
		this.spam = new Lru(options.lruCacheEntries);
	}

	/** EventCorrelate: aggregate, then count repeats, then filter spam. `event` is a new Event as makeEvent builds it. */
	correlate(event: KubeObject): Correlated {
		const {event: aggregated, key} = this.aggregate(event);
		const observed = this.observe(aggregated, key);
		if (this.filtered(observed)) return {skip: true};
		return {skip: false, event: observed, update: (observed.count ?? 1) > 1};
	}

	/** UpdateState: remember the name and resourceVersion the server gave the Event just written. */
	updateState(written: KubeObject): void {
		this.logs.add(eventKey(written), {
			count: written.count ?? 1,
			firstTimestamp: written.firstTimestamp,
			name: written.metadata.name!,
			resourceVersion: written.metadata.resourceVersion,
		});
	}

	// EventAggregate: below 10 different messages the event passes as it is (keyed by its full key); from the
	// 10th on, a new aggregate Event stands for the group (keyed by the group), its message prefixed.
	private aggregate(e: KubeObject): {event: KubeObject; key: string} {
		const now = this.now();
		const group = aggregateKey(e);
		let record = this.aggregates.get(group);
		if (!record || now - record.lastTimestamp > this.options.aggregateIntervalMs) record = {localKeys: new Set(), lastTimestamp: 0};
		record.localKeys.add(e.message ?? '');
		record.lastTimestamp = now;
		this.aggregates.add(group, record);
		if (record.localKeys.size < this.options.aggregateMaxEvents) return {event: e, key: eventKey(e)};
		// Keep the set from growing past the maximum (client-go pops an arbitrary key; here the oldest).
		record.localKeys.delete(record.localKeys.values().next().value!);
		const stamp = this.rfc3339(now);
		const aggregate: KubeObject = {
			apiVersion: 'v1',
			kind: 'Event',
			metadata: {name: this.nameFor(ref(e).name ?? '', now), namespace: e.metadata.namespace},
			involvedObject: e.involvedObject,
			reason: e.reason,
			message: `${combinedPrefix}${e.message ?? ''}`,
			source: e.source,
			firstTimestamp: stamp,
			lastTimestamp: stamp,
			count: 1,
			type: e.type,
			eventTime: null,
			reportingComponent: '',
			reportingInstance: '',
		};
		return {event: aggregate, key: group};
	}

	// eventObserve: a key seen before turns the event into an update of the Event written then (count + 1).
	private observe(e: KubeObject, key: string): KubeObject {
		const last = this.logs.get(key);
		let event = e;
		if (last && last.count > 0) {
			event = {
				...e,
				metadata: {...e.metadata, name: last.name, resourceVersion: last.resourceVersion},
				firstTimestamp: last.firstTimestamp,
				count: last.count + 1,
			};
		}
		this.logs.add(key, {
			count: event.count ?? 1,
			firstTimestamp: event.firstTimestamp,
			name: event.metadata.name!,
			resourceVersion: event.metadata.resourceVersion,
		});
		return event;
	}

	// EventSourceObjectSpamFilter: a token bucket per source, object and type (burst 25, refilled at 1/300 s).
	private filtered(e: KubeObject): boolean {
		const now = this.now();
		const key = spamKey(e);
		const {spamBurst: burst, spamQps: qps} = this.options;
		const bucket = this.spam.get(key) ?? {tokens: burst, last: now};
		bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.last) / 1000) * qps);
		bucket.last = now;
		const allowed = bucket.tokens >= 1;
		if (allowed) bucket.tokens -= 1;
		this.spam.add(key, bucket);
		return !allowed;
	}
}
