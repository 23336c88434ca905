// events.k8s.io/v1 Event <-> core/v1 Event, the one stored form, as the apiserver converts them
// (pkg/apis/events/v1/conversion.go): regarding/involvedObject, note/message, reportingController/
// reportingComponent, deprecatedSource/source, deprecatedFirst|LastTimestamp and deprecatedCount; eventTime,
// series, action, related and reportingInstance carry over. Output keeps Go's field order and its nulls.
import type {KubeObject} from '../store.js';
import {parseMicroTime} from '../api/go-time.js';

/** The events.k8s.io/v1 form of a stored core/v1 Event, as the server serialises it. */
export function eventToV1(core: KubeObject): KubeObject {
	const out: KubeObject = {kind: 'Event', apiVersion: 'events.k8s.io/v1', metadata: core.metadata};
	// `eventTime` has no omitempty: a zero MicroTime is written as null.
	out.eventTime = core.eventTime ?? null;
	if (core.series) out.series = core.series;
	if (core.reportingComponent) out.reportingController = core.reportingComponent;
	if (core.reportingInstance) out.reportingInstance = core.reportingInstance;
	if (core.action) out.action = core.action;
	if (core.reason) out.reason = core.reason;
	// Struct fields are never omitted by encoding/json: an empty reference or source is {}.
	out.regarding = core.involvedObject ?? {};
	if (core.related) out.related = core.related;
	if (core.message) out.note = core.message;
	if (core.type) out.type = core.type;
	out.deprecatedSource = core.source ?? {};
	out.deprecatedFirstTimestamp = core.firstTimestamp ?? null;
	out.deprecatedLastTimestamp = core.lastTimestamp ?? null;
	if (core.count) out.deprecatedCount = core.count;
	return out;
}

/** The core/v1 (stored) form of an events.k8s.io/v1 Event body; unknown fields were pruned before this. */
export function eventFromV1(v1: KubeObject): KubeObject {
	const out: KubeObject = {apiVersion: 'v1', kind: 'Event', metadata: v1.metadata};
	out.involvedObject = v1.regarding ?? {};
	if (v1.reason !== undefined) out.reason = v1.reason;
	if (v1.note !== undefined) out.message = v1.note;
	if (v1.deprecatedSource && Object.keys(v1.deprecatedSource).length > 0) out.source = v1.deprecatedSource;
	if (v1.deprecatedFirstTimestamp) out.firstTimestamp = secondsTime(v1.deprecatedFirstTimestamp);
	if (v1.deprecatedLastTimestamp) out.lastTimestamp = secondsTime(v1.deprecatedLastTimestamp);
	if (v1.deprecatedCount) out.count = v1.deprecatedCount;
	if (v1.type !== undefined) out.type = v1.type;
	if (v1.eventTime) out.eventTime = microTime(v1.eventTime);
	if (v1.series)
		out.series = {...v1.series, ...(v1.series.lastObservedTime ? {lastObservedTime: microTime(v1.series.lastObservedTime)} : {})};
	if (v1.action !== undefined) out.action = v1.action;
	if (v1.related) out.related = v1.related;
	if (v1.reportingController !== undefined) out.reportingComponent = v1.reportingController;
	if (v1.reportingInstance !== undefined) out.reportingInstance = v1.reportingInstance;
	return out;
}

// metav1.MicroTime decodes RFC 3339 with exactly six fractional digits and is written back in UTC; any other
// value is kept for the write checks to refuse as the server's decoder does.
function microTime(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return parseMicroTime(value);
	} catch {
		return value;
	}
}

// metav1.Time is written to the second.
function secondsTime(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? value : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** events.k8s.io field labels to the stored Event's (AddFieldLabelConversionsForEvent); undefined for others. */
export const eventV1FieldLabels: Record<string, string> = {
	reason: 'reason',
	'regarding.kind': 'involvedObject.kind',
	'regarding.namespace': 'involvedObject.namespace',
	'regarding.name': 'involvedObject.name',
	'regarding.uid': 'involvedObject.uid',
	'regarding.apiVersion': 'involvedObject.apiVersion',
	'regarding.resourceVersion': 'involvedObject.resourceVersion',
	'regarding.fieldPath': 'involvedObject.fieldPath',
	reportingController: 'reportingComponent',
	source: 'source',
	type: 'type',
	'metadata.namespace': 'metadata.namespace',
	'metadata.name': 'metadata.name',
};
