// The checks every write runs before the store sees a body: decoding, kind/apiVersion, namespace, the namespace
// lifecycle, fieldValidation and object validation; separate so create, update, patch and apply share one copy.
import {ApiError, badRequest, invalid, notFound} from '../errors.js';
import {apiVersionOf, type ResourceInfo} from '../resources.js';
import type {KubeObject} from '../store.js';
import {decodeObject, readBody} from './content.js';
import {parseMicroTime} from './go-time.js';
import {unknownFields} from './fields.js';
import {validateObject} from './validation.js';
import {viewOf} from './views.js';
import type {Request} from './handlers-request.js';

/** The request body as an object (JSON or YAML by content type). */
export async function readObject(r: Request): Promise<KubeObject> {
	const body = await readBody(r.req);
	return decodeObject(r.req.headers['content-type'], body);
}

/** Checks kind/apiVersion of a body against the resource it was sent to (400 when they disagree). */
export function checkType(
	r: Request,
	o: KubeObject,
	expected: {kind: string; apiVersion: string} = {kind: r.info.kind, apiVersion: apiVersionOf(r.info)},
): void {
	if (o.apiVersion !== undefined && o.apiVersion !== '' && o.apiVersion !== expected.apiVersion) {
		throw badRequest(`the API version in the data (${o.apiVersion}) does not match the expected API version (${expected.apiVersion})`);
	}
	if (o.kind !== undefined && o.kind !== '' && o.kind !== expected.kind) {
		throw badRequest(
			`${o.kind} in version "${expected.apiVersion.split('/').at(-1)}" cannot be handled as a ${expected.kind}: no kind "${o.kind}" is registered for version "${expected.apiVersion}"`,
		);
	}
	o.apiVersion = expected.apiVersion;
	o.kind = expected.kind;
}

/** A body in the resource's version as the store keeps it (events.k8s.io/v1 to core/v1); others as they are. */
export function toStored(r: Request, o: KubeObject): KubeObject {
	const view = viewOf(r.info);
	return view ? view.toStored(o) : o;
}

/** The body's namespace must match the URL's (it is filled in when absent, dropped for cluster-scoped kinds). */
export function checkNamespace(r: Request, o: KubeObject): void {
	if (!r.info.namespaced) {
		delete o.metadata.namespace;
		return;
	}
	const ns = r.route.namespace!;
	if (o.metadata.namespace && o.metadata.namespace !== ns) {
		throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
	}
	o.metadata.namespace = ns;
}

/** Namespaced writes need the namespace to exist and not be terminating, as the lifecycle admission plugin checks. */
export function checkNamespaceOpen(r: Request, name: string): void {
	if (!r.info.namespaced) return;
	const ns = r.ctx.store.get('namespaces', undefined, r.route.namespace!);
	if (!ns) throw notFound('namespaces', '', r.route.namespace!);
	if (ns.status?.phase === 'Terminating' || ns.metadata.deletionTimestamp) {
		throw new ApiError(
			403,
			'Forbidden',
			`${r.info.resource}${r.info.group ? `.${r.info.group}` : ''} "${name}" is forbidden: unable to create new content in namespace ${r.route.namespace} because it is being terminated`,
			{
				name,
				group: r.info.group || undefined,
				kind: r.info.resource,
				causes: [
					{reason: 'NamespaceTerminating', message: `namespace ${r.route.namespace} is being terminated`, field: 'metadata.namespace'},
				],
			},
		);
	}
}

/**
 * fieldValidation: unknown fields are dropped (Ignore), dropped with a Warning header (Warn, the default), or
 * make the request fail with 400 (Strict, what kubectl sends), in the real server's words.
 */
export function checkFields(r: Request, o: KubeObject): void {
	const mode = r.query.get('fieldValidation') || 'Warn';
	if (!['Ignore', 'Warn', 'Strict'].includes(mode)) {
		throw badRequest(`fieldValidation: Unsupported value: ${JSON.stringify(mode)}: supported values: "Ignore", "Strict", "Warn"`);
	}
	const unknown = unknownFields(r.info, o, mode !== 'Strict');
	if (unknown.length === 0) return;
	const messages = unknown.map((f) => `unknown field ${JSON.stringify(f)}`);
	if (mode === 'Strict') {
		throw badRequest(
			`${r.info.kind} in version ${JSON.stringify(r.info.version)} cannot be handled as a ${r.info.kind}: strict decoding error: ${messages.join(', ')}`,
		);
	}
	if (mode === 'Warn')
		r.res.setHeader(
			'Warning',
			messages.map((m) => `299 - ${JSON.stringify(m)}`),
		);
}

/**
 * An Event's MicroTime fields (eventTime, series.lastObservedTime) as metav1.MicroTime decodes JSON: exactly six
 * fractional digits, else the decoder's 400 in its words (kubernetes-client/python's isoformat() without
 * microseconds meets it); a valid one is kept as the server writes it back, in UTC.
 */
function decodeMicroTimes(info: ResourceInfo, o: KubeObject): void {
	if (info.kind !== 'Event') return;
	const decode = (holder: Record<string, unknown> | undefined, field: string) => {
		const value = holder?.[field];
		if (typeof value !== 'string') return;
		try {
			holder![field] = parseMicroTime(value);
		} catch (error) {
			throw badRequest(`Event in version ${JSON.stringify(info.version)} cannot be handled as a Event: ${(error as Error).message}`);
		}
	};
	decode(o, 'eventTime');
	decode(o.series, 'lastObservedTime');
}

/** 422 Invalid with the validation causes, when there are any (after the decoding checks the types make). */
export function throwIfInvalid(info: ResourceInfo, o: KubeObject, old?: KubeObject): void {
	decodeMicroTimes(info, o);
	const causes = [...validateObject(info.kind, o, old), ...(viewOf(info)?.validate(o, old) ?? [])];
	if (causes.length > 0) throw invalid(info.kind, info.group, o.metadata.name ?? o.metadata.generateName ?? '', causes);
}
