// Resources served in a second version over another one's storage, as events.k8s.io/v1 Events are core/v1
// Events underneath: the handlers convert bodies in and objects out at the edges, map field selector labels,
// and add the version's own validation. Everything in between (store, watch, paging, printing) is shared.
import {badRequest, type StatusCause} from '../errors.js';
import type {ResourceInfo} from '../resources.js';
import type {KubeObject} from '../store.js';
import {eventFromV1, eventToV1, eventV1FieldLabels} from '../codec/events-v1.js';
import {FieldErrors} from './validation.js';
import {goTimeString} from './go-time.js';

/** How a version maps onto the stored form of the resource it shares storage with. */
export type ResourceView = {
	/** The stored object as this version shows it. */
	fromStored(object: KubeObject): KubeObject;
	/** A body in this version to the stored form (before defaulting and validation). */
	toStored(object: KubeObject): KubeObject;
	/** This version's field selector label to the stored form's; 400 for a label it does not support. */
	fieldLabel(label: string): string;
	/** Validation this version adds on top of the stored kind's (`old` on update). */
	validate(stored: KubeObject, old?: KubeObject): StatusCause[];
};

// events.go ValidateEventCreate / ValidateEventUpdate: the strict rules for writes through events.k8s.io/v1,
// reported with the stored (core) field names, as the server reports them.
function validateEventsV1(o: KubeObject, old?: KubeObject): StatusCause[] {
	const errors = new FieldErrors();
	const series = o.series;
	const seriesErrors = () => {
		if (!series) return;
		if (!(typeof series.count === 'number' && series.count >= 2)) errors.invalid('series.count', '', 'should be at least 2');
		if (!series.lastObservedTime) errors.required('series.lastObservedTime');
	};
	if (old) {
		if (JSON.stringify(series) !== JSON.stringify(old.series)) seriesErrors();
		immutableEventFields(errors, o, old);
		return errors.causes;
	}
	// (The object's metadata is checked once, by the stored kind's validation.)
	seriesErrors();
	if (!o.eventTime) errors.required('eventTime');
	if (o.type !== 'Normal' && o.type !== 'Warning') errors.invalid('type', '', `has invalid value: ${o.type ?? ''}`);
	if (o.firstTimestamp) errors.invalid('firstTimestamp', '', 'needs to be unset');
	if (o.lastTimestamp) errors.invalid('lastTimestamp', '', 'needs to be unset');
	if (o.count) errors.invalid('count', '', 'needs to be unset');
	if (o.source?.component || o.source?.host) errors.invalid('source', '', 'needs to be unset');
	return errors.causes;
}

// Go's %#v of the internal types the update check compares, as its field errors print them.
const goString = (v: unknown) => JSON.stringify(typeof v === 'string' ? v : '');
const goReference = (r: Record<string, unknown> | undefined) =>
	`core.ObjectReference{${['Kind', 'Namespace', 'Name', 'UID', 'APIVersion', 'ResourceVersion', 'FieldPath']
		.map((f) => `${f}:${goString(r?.[f === 'UID' ? 'uid' : f === 'APIVersion' ? 'apiVersion' : f[0]!.toLowerCase() + f.slice(1)])}`)
		.join(', ')}}`;
const goSource = (s: Record<string, unknown> | undefined) =>
	`core.EventSource{Component:${goString(s?.component)}, Host:${goString(s?.host)}}`;
const microsecondsOf = (t: unknown) => (typeof t === 'string' && t !== '' ? t : '');

// ValidateEventUpdate's immutable fields, in its order (reason is checked twice; the message lists it once). They
// compare the stored (core) forms semantically: an absent field equals its zero value. eventTime is compared to the
// microsecond only: a client's sub-microsecond digits never make it differ (the server keeps microseconds).
function immutableEventFields(errors: FieldErrors, o: KubeObject, old: KubeObject): void {
	const immutable = (field: string, changed: boolean, formatted: string) => {
		if (changed) errors.invalid(field, undefined, 'field is immutable', formatted);
	};
	const reference = (r: Record<string, unknown> | undefined) => goReference(r);
	// The field's name in the error is the internal type's (reportingController); the stored JSON's may differ.
	const text = (field: string, key = field) => immutable(field, (o[key] ?? '') !== (old[key] ?? ''), goString(o[key]));
	const time = (field: string) => immutable(field, goTimeString(o[field]) !== goTimeString(old[field]), goTimeString(o[field]));
	immutable('involvedObject', reference(o.involvedObject) !== reference(old.involvedObject), reference(o.involvedObject));
	text('reason');
	text('message');
	immutable('source', goSource(o.source) !== goSource(old.source), goSource(o.source));
	time('firstTimestamp');
	time('lastTimestamp');
	immutable('count', (o.count ?? 0) !== (old.count ?? 0), String(o.count ?? 0));
	text('reason');
	text('type');
	immutable(
		'eventTime',
		goTimeString(microsecondsOf(o.eventTime)) !== goTimeString(microsecondsOf(old.eventTime)),
		goTimeString(microsecondsOf(o.eventTime)),
	);
	text('action');
	immutable(
		'related',
		(o.related ? reference(o.related) : 'null') !== (old.related ? reference(old.related) : 'null'),
		o.related ? reference(o.related) : 'null',
	);
	text('reportingController', 'reportingComponent');
	text('reportingInstance');
}

const eventsV1: ResourceView = {
	fromStored: eventToV1,
	toStored: eventFromV1,
	fieldLabel(label) {
		const mapped = eventV1FieldLabels[label];
		if (mapped === undefined) throw badRequest(`field label not supported: ${label}`);
		return mapped;
	},
	validate: validateEventsV1,
};

/** The view a resource is served through, or undefined when it is its own stored form. */
export function viewOf(info: ResourceInfo): ResourceView | undefined {
	return info.group === 'events.k8s.io' && info.resource === 'events' ? eventsV1 : undefined;
}
