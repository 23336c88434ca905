// core/v1 Events as the controllers and the kubelet record them, with the client-go correlator's
// de-duplication: the same (source, object, type, reason, message) again bumps count and lastTimestamp on
// the existing Event instead of creating a new one, so `kubectl get events` shows "(x3 over 2m)".
import type {Clock} from '../clock.js';
import {apiVersionOf, resourceForKind} from '../resources.js';
import type {KubeObject, Store} from '../store.js';
import {isoSeconds} from './util.js';

export type EventType = 'Normal' | 'Warning';

/** Who records: deployment-controller, replicaset-controller, default-scheduler, kubelet (with its node). */
export type EventSource = {component: string; host?: string};

type CacheEntry = {namespace: string; name: string; lastSeen: number};

// The correlator forgets a repeat after this long and starts a new Event.
const dedupeWindowMs = 10 * 60 * 1000;
const cacheLimit = 4096;

/** Writes Events into the store on behalf of a component. */
export class EventRecorder {
	private readonly cache = new Map<string, CacheEntry>();
	private seq = 0;

	constructor(
		private readonly store: Store,
		private readonly clock: Clock,
	) {}

	/**
	 * Records an event about `object`. `fieldPath` points into the object, e.g. `spec.containers{nginx}` for a
	 * container's events, as kubectl describe shows them.
	 */
	record(source: EventSource, object: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
		const kind = object.kind ?? '';
		const info = resourceForKind(kind);
		const apiVersion = object.apiVersion ?? (info ? apiVersionOf(info) : 'v1');
		const namespace = object.metadata.namespace ?? 'default';
		const involvedObject: Record<string, unknown> = {
			kind,
			namespace: object.metadata.namespace,
			name: object.metadata.name,
			uid: object.metadata.uid,
			apiVersion,
			resourceVersion: object.metadata.resourceVersion,
		};
		if (fieldPath) involvedObject.fieldPath = fieldPath;
		if (!object.metadata.namespace) delete involvedObject.namespace;
		const now = this.clock.now();
		const stamp = isoSeconds(now);
		const key = JSON.stringify([
			source.component,
			source.host ?? '',
			kind,
			object.metadata.namespace ?? '',
			object.metadata.name,
			fieldPath ?? '',
			object.metadata.uid,
			apiVersion,
			type,
			reason,
			message,
		]);

		const seen = this.cache.get(key);
		if (seen && now - seen.lastSeen <= dedupeWindowMs) {
			const existing = this.store.get('events', seen.namespace, seen.name);
			if (existing) {
				existing.count = (existing.count ?? 1) + 1;
				existing.lastTimestamp = stamp;
				delete existing.metadata.resourceVersion;
				this.store.update('events', existing);
				seen.lastSeen = now;
				this.touch(key, seen);
				return;
			}
		}

		// Real names are `<object>.<unix nanoseconds in hex>`; a sequence keeps two events in one ms apart.
		const nanos = BigInt(now) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
		const name = `${object.metadata.name}.${nanos.toString(16)}`;
		const event: KubeObject = {
			apiVersion: 'v1',
			kind: 'Event',
			metadata: {name, namespace},
			involvedObject,
			reason,
			message,
			source: source.host ? {component: source.component, host: source.host} : {component: source.component},
			firstTimestamp: stamp,
			lastTimestamp: stamp,
			count: 1,
			type,
			eventTime: null,
			reportingComponent: source.component,
			reportingInstance: source.host ?? '',
		};
		try {
			this.store.create('events', event);
		} catch {
			// An event is best effort, as in client-go: never fail the caller because of one.
			return;
		}
		this.touch(key, {namespace, name, lastSeen: now});
	}

	private touch(key: string, entry: CacheEntry): void {
		this.cache.delete(key);
		this.cache.set(key, entry);
		if (this.cache.size > cacheLimit) this.cache.delete(this.cache.keys().next().value!);
	}
}
