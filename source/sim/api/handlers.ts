// The verbs on resource paths: get, list, watch, create, update, patch, delete, deletecollection, and the
// status and scale subresources. Every write runs defaulting, validation and allocation before the store sees
// it, so a rejected request changes nothing.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {randomUUID} from 'node:crypto';
import {alreadyExists, ApiError, badRequest, conflict, forbidden, invalid, methodNotAllowed, notFound} from '../errors.js';
import {apiVersionOf, type ResourceInfo} from '../resources.js';
import {randomSuffix, type KubeObject, type Store} from '../store.js';
import type {Clock} from '../clock.js';
import {toTable} from '../codec/table.js';
import type {ServiceAllocator} from './allocators.js';
import {decodeObject, dropNulls, negotiate, parseJson, parseYaml, readBody, sendJson, sendJsonText} from './content.js';
import {applyDefaults, initialStatus} from './defaults.js';
import {unknownFields} from './fields.js';
import {listJson, objectJson, withType} from './encode.js';
import {applyPatch, patchTypeOf, strategicMergePatch, patchSchemas} from './patch.js';
import type {ResourceRoute} from './router.js';
import {formatLabelSelector, labelSelectorRequirements, selectorFilter} from './selectors.js';
import {validateObject, validateScale} from './validation.js';
import {serveWatch, type IncludeObject} from './watch.js';

export type HandlerContext = {
	store: Store;
	clock: Clock;
	allocator: ServiceAllocator;
	bookmarkIntervalMs: number;
	maxWatchMs: number;
};

type Request = {
	ctx: HandlerContext;
	req: IncomingMessage;
	res: ServerResponse;
	route: ResourceRoute;
	query: URLSearchParams;
	info: ResourceInfo;
};

/** Simulated time between a namespace DELETE and the namespace controller removing its contents and itself. */
export const namespaceCleanupMs = 1000;

const statusResources = new Set(['pods', 'services', 'nodes', 'namespaces', 'deployments', 'replicasets']);

function isDryRun(query: URLSearchParams): boolean {
	return query.getAll('dryRun').includes('All');
}

function timestamp(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sendObject(r: Request, code: number, object: KubeObject): void {
	const accept = negotiate(r.req.headers.accept, !r.route.subresource);
	if (accept.table) {
		const table = toTable(r.info.resource, [withType(r.info, object)], {
			includeObject: includeObjectOf(r.query),
			listMeta: {resourceVersion: object.metadata.resourceVersion ?? ''},
			now: r.ctx.clock.now(),
		});
		sendJson(r.res, code, table);
		return;
	}
	sendJsonText(r.res, code, objectJson(r.info, object));
}

function includeObjectOf(query: URLSearchParams): IncludeObject {
	const v = query.get('includeObject');
	if (v === null || v === '') return 'Metadata';
	if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
	throw badRequest(`includeObject: Unsupported value: ${JSON.stringify(v)}: supported values: "Metadata", "None", "Object"`);
}

/** The API verb of a request, as discovery lists verbs per resource. */
function verbOf(method: string, named: boolean, watch: boolean): string | undefined {
	switch (method) {
		case 'GET':
			return watch ? 'watch' : named ? 'get' : 'list';
		case 'POST':
			return 'create';
		case 'PUT':
			return 'update';
		case 'PATCH':
			return 'patch';
		case 'DELETE':
			return named ? 'delete' : 'deletecollection';
		default:
			return undefined;
	}
}

/** Dispatches a request on a resource path by method and shape. */
export async function handleResource(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, query: URLSearchParams): Promise<void> {
	const r: Request = {ctx, req, res, route, query, info: route.info};
	const method = req.method ?? 'GET';
	if (route.subresource && !route.info.subresources.includes(route.subresource)) {
		throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
	}
	const isWatch = route.watchPath || query.get('watch') === 'true' || query.get('watch') === '1';
	const verb = verbOf(method, route.name !== undefined, isWatch);
	if (!route.subresource && verb && !route.info.verbs.includes(verb)) {
		throw methodNotAllowed(`the server does not allow this method on the requested resource`);
	}
	if (route.name === undefined) {
		// The all-namespaces path of a namespaced resource only lists and watches.
		if (route.info.namespaced && route.namespace === undefined && method !== 'GET') {
			throw methodNotAllowed('the server does not allow this method on the requested resource');
		}
		switch (method) {
			case 'GET':
				return isWatch ? watch(r) : list(r);
			case 'POST':
				return create(r);
			case 'DELETE':
				return deleteCollection(r);
			default:
				throw methodNotAllowed(`the server does not allow this method on the requested resource`);
		}
	}
	if (isWatch && method === 'GET') {
		// A watch on one object: the list watch with metadata.name selected.
		return watch(r, route.name);
	}
	switch (method) {
		case 'GET':
			return get(r);
		case 'PUT':
			return update(r);
		case 'PATCH':
			return patch(r);
		case 'DELETE':
			if (route.subresource) throw methodNotAllowed('the server does not allow this method on the requested resource');
			return remove(r);
		default:
			throw methodNotAllowed('the server does not allow this method on the requested resource');
	}
}

function mustGet(r: Request, name: string): KubeObject {
	const o = r.ctx.store.get(r.info.resource, r.info.namespaced ? r.route.namespace : undefined, name);
	if (!o) throw notFound(r.info.resource, r.info.group, name);
	return o;
}

// ---- reads ----

function get(r: Request): void {
	const object = mustGet(r, r.route.name!);
	if (r.route.subresource === 'scale') {
		sendJson(r.res, 200, toScale(r.info, object));
		return;
	}
	sendObject(r, 200, object);
}

type Continue = {rv: string; start: string};

function decodeContinue(token: string): Continue {
	try {
		const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Continue;
		if (typeof c.rv === 'string' && typeof c.start === 'string') return c;
	} catch {
		// fall through
	}
	throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

function list(r: Request): void {
	const filter = selectorFilter(r.info.resource, r.query.get('labelSelector'), r.query.get('fieldSelector'));
	const namespace = r.info.namespaced ? r.route.namespace : undefined;
	const {items, resourceVersion} = r.ctx.store.listShared(r.info.resource, namespace, filter);
	const accept = negotiate(r.req.headers.accept, true);

	// limit/continue: pages in key order; the continue token says where the next page starts.
	let page = items as KubeObject[];
	let continueToken: string | undefined;
	let remaining: number | undefined;
	const cont = r.query.get('continue');
	let listRv = resourceVersion;
	if (cont) {
		const c = decodeContinue(cont);
		listRv = c.rv;
		page = page.filter(o => keyOf(o) > c.start);
	}
	const limit = Number(r.query.get('limit') ?? '0');
	if (Number.isInteger(limit) && limit > 0 && page.length > limit) {
		remaining = page.length - limit;
		page = page.slice(0, limit);
		continueToken = Buffer.from(JSON.stringify({rv: listRv, start: keyOf(page.at(-1)!)})).toString('base64url');
	}
	const listMeta = {resourceVersion: listRv, ...(continueToken ? {continue: continueToken, remainingItemCount: remaining} : {})};
	if (accept.table) {
		sendJson(r.res, 200, toTable(r.info.resource, page.map(o => withType(r.info, o)), {includeObject: includeObjectOf(r.query), listMeta, now: r.ctx.clock.now()}));
		return;
	}
	sendJsonText(r.res, 200, listJson(r.info, page.map(o => objectJson(r.info, o, true)), listMeta));
}

function watch(r: Request, name?: string): void {
	let filter = selectorFilter(r.info.resource, r.query.get('labelSelector'), r.query.get('fieldSelector'));
	if (name !== undefined) {
		const inner = filter;
		filter = o => o.metadata.name === name && (!inner || inner(o));
	}
	const accept = negotiate(r.req.headers.accept, true);
	const timeout = Number(r.query.get('timeoutSeconds') ?? '');
	serveWatch(
		{store: r.ctx.store, now: () => r.ctx.clock.now(), bookmarkIntervalMs: r.ctx.bookmarkIntervalMs, maxWatchMs: r.ctx.maxWatchMs},
		r.req,
		r.res,
		{
			info: r.info,
			namespace: r.info.namespaced ? r.route.namespace : undefined,
			filter,
			resourceVersion: r.query.get('resourceVersion') ?? undefined,
			timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
			allowBookmarks: r.query.get('allowWatchBookmarks') === 'true',
			sendInitialEvents: r.query.get('sendInitialEvents') === 'true',
			table: accept.table ? {includeObject: includeObjectOf(r.query)} : undefined,
		},
	);
}

// ---- shared write steps ----

async function readObject(r: Request): Promise<KubeObject> {
	const body = await readBody(r.req);
	return decodeObject(r.req.headers['content-type'], body);
}

/** Checks kind/apiVersion of a body against the resource it was sent to (400 when they disagree). */
function checkType(r: Request, o: KubeObject, expected: {kind: string; apiVersion: string} = {kind: r.info.kind, apiVersion: apiVersionOf(r.info)}): void {
	if (o.apiVersion !== undefined && o.apiVersion !== '' && o.apiVersion !== expected.apiVersion) {
		throw badRequest(`the API version in the data (${o.apiVersion}) does not match the expected API version (${expected.apiVersion})`);
	}
	if (o.kind !== undefined && o.kind !== '' && o.kind !== expected.kind) {
		throw badRequest(`${o.kind} in version "${expected.apiVersion.split('/').at(-1)}" cannot be handled as a ${expected.kind}: no kind "${o.kind}" is registered for version "${expected.apiVersion}"`);
	}
	o.apiVersion = expected.apiVersion;
	o.kind = expected.kind;
}

function checkNamespace(r: Request, o: KubeObject): void {
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
function checkNamespaceOpen(r: Request, name: string): void {
	if (!r.info.namespaced) return;
	const ns = r.ctx.store.get('namespaces', undefined, r.route.namespace!);
	if (!ns) throw notFound('namespaces', '', r.route.namespace!);
	if (ns.status?.phase === 'Terminating' || ns.metadata.deletionTimestamp) {
		throw new ApiError(403, 'Forbidden', `${r.info.resource}${r.info.group ? `.${r.info.group}` : ''} "${name}" is forbidden: unable to create new content in namespace ${r.route.namespace} because it is being terminated`, {
			name,
			group: r.info.group || undefined,
			kind: r.info.resource,
			causes: [{reason: 'NamespaceTerminating', message: `namespace ${r.route.namespace} is being terminated`, field: 'metadata.namespace'}],
		});
	}
}

/**
 * fieldValidation: unknown fields are dropped (Ignore), dropped with a Warning header (Warn, the default), or
 * make the request fail with 400 (Strict, what kubectl sends), in the real server's words.
 */
function checkFields(r: Request, o: KubeObject): void {
	const mode = r.query.get('fieldValidation') || 'Warn';
	if (!['Ignore', 'Warn', 'Strict'].includes(mode)) {
		throw badRequest(`fieldValidation: Unsupported value: ${JSON.stringify(mode)}: supported values: "Ignore", "Strict", "Warn"`);
	}
	const unknown = unknownFields(r.info, o, mode !== 'Strict');
	if (unknown.length === 0) return;
	const messages = unknown.map(f => `unknown field ${JSON.stringify(f)}`);
	if (mode === 'Strict') {
		throw badRequest(`${r.info.kind} in version ${JSON.stringify(r.info.version)} cannot be handled as a ${r.info.kind}: strict decoding error: ${messages.join(', ')}`);
	}
	if (mode === 'Warn') r.res.setHeader('Warning', messages.map(m => `299 - ${JSON.stringify(m)}`));
}

function throwIfInvalid(info: ResourceInfo, o: KubeObject, old?: KubeObject): void {
	const causes = validateObject(info.kind, o, old);
	if (causes.length > 0) throw invalid(info.kind, info.group, o.metadata.name ?? o.metadata.generateName ?? '', causes);
}

// ---- create ----

async function create(r: Request): Promise<void> {
	if (r.route.subresource) throw methodNotAllowed('the server does not allow this method on the requested resource');
	const o = await readObject(r);
	checkType(r, o);
	checkNamespace(r, o);
	checkFields(r, o);
	const meta = o.metadata;
	// Server-owned fields are not the client's to set.
	for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'selfLink']) delete meta[f];
	if (!meta.name && meta.generateName) {
		const table = r.ctx.store;
		do meta.name = meta.generateName + randomSuffix();
		while (table.get(r.info.resource, meta.namespace, meta.name));
	}
	dropNulls(o);
	applyDefaults(r.info.kind, o);
	if (statusResources.has(r.info.resource)) initialStatus(r.info.kind, o);
	throwIfInvalid(r.info, o);
	checkNamespaceOpen(r, meta.name!);
	if (r.ctx.store.get(r.info.resource, meta.namespace, meta.name!)) throw alreadyExists(r.info.resource, r.info.group, meta.name!);
	const dryRun = isDryRun(r.query);
	let allocated: number[] = [];
	if (r.info.resource === 'services') {
		allocated = (await r.ctx.allocator.allocate(o, undefined, dryRun)).nodePorts;
	}
	if (dryRun) {
		meta.uid = randomUUID();
		meta.creationTimestamp = timestamp(r.ctx.clock.now());
		if (r.info.group === 'apps') meta.generation = 1;
		sendObject(r, 201, o);
		return;
	}
	let created: KubeObject;
	try {
		created = r.ctx.store.create(r.info.resource, o);
	} catch (error) {
		for (const port of allocated) r.ctx.allocator.release(port);
		throw error;
	}
	sendObject(r, 201, created);
}

// ---- update / patch ----

/**
 * Writes `next` over `old` (same name): defaulting, validation, allocation, then the store. `precondition`
 * is the resourceVersion the client asked to update from ('' = unconditional).
 */
async function write(r: Request, old: KubeObject, next: KubeObject, dryRun: boolean): Promise<KubeObject> {
	const sub = r.route.subresource;
	dropNulls(next);
	const meta = next.metadata;
	meta.name = old.metadata.name;
	meta.namespace = old.metadata.namespace;
	meta.uid = old.metadata.uid;
	meta.creationTimestamp = old.metadata.creationTimestamp;
	if (old.metadata.deletionTimestamp) {
		meta.deletionTimestamp = old.metadata.deletionTimestamp;
		meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
	} else {
		delete meta.deletionTimestamp;
		delete meta.deletionGracePeriodSeconds;
	}
	if (old.metadata.generation !== undefined) meta.generation = old.metadata.generation;
	else delete meta.generation;
	if (meta.resourceVersion && meta.resourceVersion !== old.metadata.resourceVersion) {
		throw conflict(r.info.resource, r.info.group, old.metadata.name!);
	}
	if (sub === 'status') {
		const merged = structuredClone(old);
		merged.status = next.status;
		if (meta.resourceVersion) merged.metadata.resourceVersion = meta.resourceVersion;
		if (dryRun) return merged;
		return r.ctx.store.update(r.info.resource, merged, {subresource: 'status'});
	}
	applyDefaults(r.info.kind, next);
	// The main resource cannot change status where status is a subresource.
	if (statusResources.has(r.info.resource)) next.status = structuredClone(old.status);
	throwIfInvalid(r.info, next, old);
	let allocated: number[] = [];
	if (r.info.resource === 'services') allocated = (await r.ctx.allocator.allocate(next, old, dryRun)).nodePorts;
	if (dryRun) return next;
	// Allocation may have awaited: re-check the precondition against what is stored now.
	const current = r.ctx.store.get(r.info.resource, old.metadata.namespace, old.metadata.name!);
	if (!current || current.metadata.resourceVersion !== old.metadata.resourceVersion) {
		for (const port of allocated) r.ctx.allocator.release(port);
		throw conflict(r.info.resource, r.info.group, old.metadata.name!);
	}
	meta.resourceVersion = old.metadata.resourceVersion;
	let updated: KubeObject;
	try {
		updated = r.ctx.store.update(r.info.resource, next);
	} catch (error) {
		for (const port of allocated) r.ctx.allocator.release(port);
		throw error;
	}
	if (r.info.resource === 'services') r.ctx.allocator.releaseDropped(old, updated);
	return updated;
}

async function update(r: Request): Promise<void> {
	const name = r.route.name!;
	const o = await readObject(r);
	if (r.route.subresource === 'scale') {
		checkType(r, o, {kind: 'Scale', apiVersion: 'autoscaling/v1'});
		return writeScale(r, mustGet(r, name), o);
	}
	checkType(r, o);
	if (o.metadata.name && o.metadata.name !== name) {
		throw badRequest(`the name of the object (${o.metadata.name}) does not match the name on the URL (${name})`);
	}
	checkNamespace(r, o);
	checkFields(r, o);
	const old = mustGet(r, name);
	const updated = await write(r, old, o, isDryRun(r.query));
	sendObject(r, 200, updated);
}

async function decodePatch(r: Request): Promise<{type: ReturnType<typeof patchTypeOf>; body: any}> {
	const contentType = r.req.headers['content-type'] ?? '';
	const type = patchTypeOf(contentType);
	if (!type) {
		throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
	}
	const raw = await readBody(r.req);
	const body = type === 'apply' && !contentType.includes('json') ? await parseYaml(raw) : parseJson(raw, 'the patch');
	return {type, body};
}

async function patch(r: Request): Promise<void> {
	const name = r.route.name!;
	const {type, body} = await decodePatch(r);
	const dryRun = isDryRun(r.query);
	if (type === 'apply') return apply(r, body, dryRun);
	if (r.route.subresource === 'scale') {
		const target = mustGet(r, name);
		const scale = toScale(r.info, target);
		const patched = applyPatch(type!, scale, body, 'Scale');
		return writeScale(r, target, patched);
	}
	const old = mustGet(r, name);
	const current = withType(r.info, structuredClone(old));
	let next = applyPatch(type!, current, body, r.info.kind) as KubeObject;
	if (typeof next !== 'object' || next === null || Array.isArray(next)) throw badRequest('the patch produced something that is not an object');
	next.metadata ??= {};
	if (next.metadata.name !== undefined && next.metadata.name !== name) {
		throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
	}
	next = {...next, apiVersion: apiVersionOf(r.info), kind: r.info.kind};
	checkFields(r, next);
	const updated = await write(r, old, next, dryRun);
	sendObject(r, 200, updated);
}

/** Server-side apply, simplified: create if missing, else a strategic merge of the applied configuration. */
async function apply(r: Request, body: any, dryRun: boolean): Promise<void> {
	if (!r.query.get('fieldManager')) throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the applied configuration must be an object');
	if (r.route.subresource) throw new ApiError(415, 'UnsupportedMediaType', 'server-side apply of subresources is not supported by the simulator');
	const o = body as KubeObject;
	o.metadata ??= {};
	checkType(r, o);
	checkFields(r, o);
	const old = r.ctx.store.get(r.info.resource, r.info.namespaced ? r.route.namespace : undefined, r.route.name!);
	if (!old) {
		if (o.metadata.name && o.metadata.name !== r.route.name) {
			throw badRequest(`the name of the object (${o.metadata.name}) does not match the name on the URL (${r.route.name})`);
		}
		o.metadata.name = r.route.name;
		checkNamespace(r, o);
		for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'generation']) delete o.metadata[f];
		dropNulls(o);
		applyDefaults(r.info.kind, o);
		if (statusResources.has(r.info.resource)) initialStatus(r.info.kind, o);
		throwIfInvalid(r.info, o);
		checkNamespaceOpen(r, o.metadata.name!);
		let allocated: number[] = [];
		if (r.info.resource === 'services') allocated = (await r.ctx.allocator.allocate(o, undefined, dryRun)).nodePorts;
		if (dryRun) {
			sendObject(r, 201, o);
			return;
		}
		try {
			sendObject(r, 201, r.ctx.store.create(r.info.resource, o));
		} catch (error) {
			for (const port of allocated) r.ctx.allocator.release(port);
			throw error;
		}
		return;
	}
	const next = strategicMergePatch(withType(r.info, structuredClone(old)), o, patchSchemas[r.info.kind]) as KubeObject;
	sendObject(r, 200, await write(r, old, next, dryRun));
}

// ---- scale ----

/** The autoscaling/v1 Scale view of a Deployment or ReplicaSet. */
export function toScale(info: ResourceInfo, o: KubeObject): KubeObject {
	return {
		kind: 'Scale',
		apiVersion: 'autoscaling/v1',
		metadata: {
			name: o.metadata.name,
			namespace: o.metadata.namespace,
			uid: o.metadata.uid,
			resourceVersion: o.metadata.resourceVersion,
			creationTimestamp: o.metadata.creationTimestamp,
		},
		spec: {replicas: o.spec?.replicas ?? 0},
		status: {replicas: o.status?.replicas ?? 0, selector: formatLabelSelector(labelSelectorRequirements(o.spec?.selector))},
	};
}

async function writeScale(r: Request, target: KubeObject, scale: KubeObject): Promise<void> {
	const name = target.metadata.name!;
	if (scale.metadata?.name && scale.metadata.name !== name) {
		throw badRequest(`the name of the object (${scale.metadata.name}) does not match the name on the URL (${name})`);
	}
	const replicas = scale.spec?.replicas ?? 0;
	const causes = validateScale(replicas);
	if (causes.length > 0) throw invalid('Scale', 'autoscaling', name, causes);
	const rv = scale.metadata?.resourceVersion;
	if (rv && rv !== target.metadata.resourceVersion) throw conflict(r.info.resource, r.info.group, name);
	const next = structuredClone(target);
	next.spec.replicas = replicas;
	const updated = isDryRun(r.query) ? next : r.ctx.store.update(r.info.resource, next);
	sendJson(r.res, 200, toScale(r.info, updated));
}

// ---- delete ----

type DeleteOptions = {
	gracePeriodSeconds?: number;
	propagationPolicy?: string;
	preconditions?: {uid?: string; resourceVersion?: string};
	dryRun?: string[];
	orphanDependents?: boolean;
};

async function readDeleteOptions(r: Request): Promise<DeleteOptions> {
	const body = await readBody(r.req);
	let options: DeleteOptions = {};
	if (body.length > 0) {
		const decoded = await decodeObject(r.req.headers['content-type'], body);
		if (decoded.kind && decoded.kind !== 'DeleteOptions') throw badRequest(`expected DeleteOptions, got ${decoded.kind}`);
		options = decoded as unknown as DeleteOptions;
	}
	const grace = r.query.get('gracePeriodSeconds');
	if (grace !== null) {
		const n = Number(grace);
		if (!Number.isInteger(n)) throw badRequest(`gracePeriodSeconds: invalid value ${JSON.stringify(grace)}`);
		options.gracePeriodSeconds = n;
	}
	const policy = r.query.get('propagationPolicy');
	if (policy) options.propagationPolicy = policy;
	if (r.query.getAll('dryRun').length > 0) options.dryRun = r.query.getAll('dryRun');
	if (options.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(options.propagationPolicy)) {
		throw invalid('DeleteOptions', '', '', [{reason: 'FieldValueNotSupported', field: 'propagationPolicy', message: `Unsupported value: ${JSON.stringify(options.propagationPolicy)}: supported values: "Foreground", "Background", "Orphan", "nil"`}]);
	}
	return options;
}

/** Deletes one object by the real server's rules; returns the object as the response shows it. */
export function deleteObject(ctx: HandlerContext, info: ResourceInfo, object: KubeObject, options: DeleteOptions): KubeObject {
	const {store, clock} = ctx;
	const meta = object.metadata;
	const pre = options.preconditions;
	if (pre?.uid && pre.uid !== meta.uid) {
		throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid}`, {name: meta.name, group: info.group || undefined, kind: info.resource});
	}
	if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
		throw new ApiError(409, 'Conflict', `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`, {name: meta.name, group: info.group || undefined, kind: info.resource});
	}
	const dryRun = (options.dryRun ?? []).includes('All');

	if (info.resource === 'pods') {
		const terminal = object.status?.phase === 'Succeeded' || object.status?.phase === 'Failed';
		let grace = options.gracePeriodSeconds ?? object.spec?.terminationGracePeriodSeconds ?? 30;
		if (grace < 0) grace = 1;
		if (!object.spec?.nodeName || terminal) grace = 0;
		const pending = meta.deletionTimestamp !== undefined;
		const shorter = pending && grace < (meta.deletionGracePeriodSeconds ?? Infinity);
		if (grace > 0 && (!pending || shorter)) {
			// Graceful: mark it; the kubelet stops the containers and removes the pod when they are gone.
			const next = structuredClone(object);
			next.metadata.deletionTimestamp = timestamp(clock.now() + grace * 1000);
			next.metadata.deletionGracePeriodSeconds = grace;
			if (dryRun) return next;
			return store.update(info.resource, next);
		}
		if (grace > 0 && pending) return object;
	}

	if (info.resource === 'namespaces') {
		if (['default', 'kube-system', 'kube-public'].includes(meta.name!)) {
			throw forbidden(`namespaces "${meta.name}" is forbidden: this namespace may not be deleted`);
		}
		if (meta.deletionTimestamp) return object;
		const next = structuredClone(object);
		next.metadata.deletionTimestamp = timestamp(clock.now());
		next.metadata.deletionGracePeriodSeconds = 0;
		next.status = {...next.status, phase: 'Terminating'};
		if (dryRun) return next;
		const marked = store.update('namespaces', next);
		// The namespace controller's job, a simulated second later (clients see Terminating meanwhile):
		// empty the namespace, then remove it.
		clock.after(namespaceCleanupMs, () => finishNamespace(ctx, meta.name!));
		return marked;
	}

	if (dryRun) return object;
	if (options.propagationPolicy === 'Orphan' || options.orphanDependents === true) orphanDependents(store, meta.uid!);
	const deleted = store.delete(info.resource, meta.namespace, meta.name!);
	if (info.resource === 'services') ctx.allocator.releaseDropped(object, undefined);
	return deleted;
}

function orphanDependents(store: Store, uid: string): void {
	for (const resource of ['replicasets', 'pods', 'endpoints', 'services', 'deployments']) {
		for (const dep of store.list(resource, undefined, o => (o.metadata.ownerReferences ?? []).some(ref => ref.uid === uid)).items) {
			dep.metadata.ownerReferences = dep.metadata.ownerReferences!.filter(ref => ref.uid !== uid);
			if (dep.metadata.ownerReferences.length === 0) delete dep.metadata.ownerReferences;
			delete dep.metadata.resourceVersion;
			try {
				store.update(resource, dep);
			} catch {
				// Gone meanwhile: nothing to orphan.
			}
		}
	}
}

function finishNamespace(ctx: HandlerContext, name: string): void {
	const ns = ctx.store.get('namespaces', undefined, name);
	if (!ns || !ns.metadata.deletionTimestamp) return;
	for (const r of ['pods', 'replicasets', 'deployments', 'services', 'endpoints', 'events']) {
		for (const o of ctx.store.list(r, name).items) {
			try {
				ctx.store.delete(r, name, o.metadata.name!);
				if (r === 'services') ctx.allocator.releaseDropped(o, undefined);
			} catch {
				// Already gone.
			}
		}
	}
	try {
		ctx.store.delete('namespaces', undefined, name);
	} catch {
		// Already gone.
	}
}

async function remove(r: Request): Promise<void> {
	const options = await readDeleteOptions(r);
	const object = mustGet(r, r.route.name!);
	const result = deleteObject(r.ctx, r.info, object, options);
	sendObject(r, 200, result);
}

async function deleteCollection(r: Request): Promise<void> {
	const options = await readDeleteOptions(r);
	const filter = selectorFilter(r.info.resource, r.query.get('labelSelector'), r.query.get('fieldSelector'));
	const namespace = r.info.namespaced ? r.route.namespace : undefined;
	const {items} = r.ctx.store.list(r.info.resource, namespace, filter);
	const results: string[] = [];
	for (const o of items) {
		try {
			results.push(objectJson(r.info, deleteObject(r.ctx, r.info, o, options)));
		} catch (error) {
			if (!(error instanceof ApiError && error.code === 404)) throw error;
		}
	}
	sendJsonText(r.res, 200, listJson(r.info, results, {resourceVersion: r.ctx.store.resourceVersion}));
}
