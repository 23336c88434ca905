// The body-replacing writes: create (POST), update (PUT, incl. status and scale subresources) and `write`, the
// shared step that lays a new object over a stored one; separate from patch, which only computes the new body.
import {randomUUID} from 'node:crypto';
import {alreadyExists, badRequest, conflict, methodNotAllowed} from '../errors.js';
import {randomSuffix, type KubeObject} from '../store.js';
import {dropNulls} from './content.js';
import {applyDefaults, initialStatus} from './defaults.js';
import {isDryRun, mustGet, sendObject, statusResources, timestamp, type Request} from './handlers-request.js';
import {checkFields, checkNamespace, checkNamespaceOpen, checkType, readObject, throwIfInvalid, toStored} from './handlers-checks.js';
import {writeScale} from './handlers-scale.js';

/** POST on a collection: server-owned fields dropped, generateName, defaults, validation, allocation, then the store. */
export async function create(r: Request): Promise<void> {
	if (r.route.subresource) throw methodNotAllowed('the server does not allow this method on the requested resource');
	const body = await readObject(r);
	checkType(r, body);
	checkNamespace(r, body);
	checkFields(r, body);
	const o = toStored(r, body);
	const meta = o.metadata;
	// Server-owned fields are not the client's to set.
	for (const f of [
		'uid',
		'resourceVersion',
		'creationTimestamp',
		'deletionTimestamp',
		'deletionGracePeriodSeconds',
		'generation',
		'selfLink',
	])
		delete meta[f];
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
		if (r.info.group === 'apps' || r.info.group === 'policy') meta.generation = 1;
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

/**
 * Writes `next` over `old` (same name): defaulting, validation, allocation, then the store. `precondition`
 * is the resourceVersion the client asked to update from ('' = unconditional).
 */
export async function write(r: Request, old: KubeObject, body: KubeObject, dryRun: boolean): Promise<KubeObject> {
	const sub = r.route.subresource;
	const next = toStored(r, body);
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

/** PUT on a named object, its status, or its Scale. */
export async function update(r: Request): Promise<void> {
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
