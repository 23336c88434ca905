// core/v1 Events as the controllers and the kubelet record them through client-go's event broadcaster: makeEvent
// builds the Event, the component's EventCorrelator (event-correlator.ts) combines, counts or drops it, and the
// result is created, or patched onto the Event written before (count, lastTimestamp, message), as recordToSink does.
import type {Clock} from '../clock.js';
import {apiVersionOf, resourceForKind} from '../resources.js';
import type {KubeObject, Store} from '../store.js';
import {EventCorrelator} from './event-correlator.js';
import {isoSeconds} from './util.js';

export type EventType = 'Normal' | 'Warning';

/** Who records: deployment-controller, replicaset-controller, default-scheduler, kubelet (with its node). */
export type EventSource = {component: string; host?: string};

/** Writes Events into the store on behalf of a component. */
export class EventRecorder {
	// One correlator per component instance, as each process runs its own broadcaster.
	private readonly correlators = new Map<string, EventCorrelator>();
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
		const result = this.correlator(source).correlate(this.makeEvent(source, object, type, reason, message, fieldPath));
		if (result.skip) return;
		const written = result.update ? this.patch(result.event) : this.create(result.event);
		if (written) this.correlator(source).updateState(written);
	}

	private correlator(source: EventSource): EventCorrelator {
		const key = `${source.component}\u0000${source.host ?? ''}`;
		let c = this.correlators.get(key);
		if (!c) {
			c = new EventCorrelator(
				() => this.clock.now(),
				isoSeconds,
				(name, ms) => this.nameFor(name, ms),
			);
			this.correlators.set(key, c);
		}
		return c;
	}

	// Real names are `<object>.<unix nanoseconds in hex>`; a sequence keeps two events in one ms apart.
	private nameFor(objectName: string, ms: number): string {
		const nanos = BigInt(ms) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
		return `${objectName}.${nanos.toString(16)}`;
	}

	// recorder.makeEvent, with the source and reporting fields generateEvent adds.
	private makeEvent(
		source: EventSource,
		object: KubeObject,
		type: EventType,
		reason: string,
		message: string,
		fieldPath?: string,
	): KubeObject {
		const kind = object.kind ?? '';
		const info = resourceForKind(kind);
		const apiVersion = object.apiVersion ?? (info ? apiVersionOf(info) : 'v1');
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
		return {
			apiVersion: 'v1',
			kind: 'Event',
			metadata: {name: this.nameFor(object.metadata.name ?? '', now), namespace: object.metadata.namespace ?? 'default'},
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
	}

	private create(event: KubeObject): KubeObject | undefined {
		const {resourceVersion: _rv, ...metadata} = event.metadata;
		try {
			return this.store.create('events', {...event, metadata});
		} catch {
			// An event is best effort, as in client-go: never fail the caller because of one.
			return undefined;
		}
	}

	// The strategic merge patch recordToSink sends carries count, lastTimestamp and message; an Event deleted
	// meanwhile is created again.
	private patch(event: KubeObject): KubeObject | undefined {
		const existing = this.store.get('events', event.metadata.namespace, event.metadata.name!);
		if (!existing) return this.create(event);
		// Stored objects are frozen: the patched Event is a new object around the stored one.
		const {resourceVersion: _rv, ...metadata} = existing.metadata;
		const patched = {...existing, metadata, count: event.count, lastTimestamp: event.lastTimestamp, message: event.message};
		try {
			return this.store.update('events', patched);
		} catch {
			return undefined;
		}
	}
}
