// DELETE and deletecollection: DeleteOptions, preconditions, graceful pod deletion, Orphan propagation and the
// namespace controller's clean-up; separate because `deleteObject` is also used outside a request.
import {ApiError, badRequest, forbidden, invalid} from '../errors.js';
import type {ResourceInfo} from '../resources.js';
import type {KubeObject, Store} from '../store.js';
import {decodeObject, readBody, sendJsonText} from './content.js';
import {listJson, objectJson} from './encode.js';
import {selectorFilter} from './selectors.js';
import {deleteOptionsFromQuery, listOptions} from './query.js';
import {viewOf} from './views.js';
import {mustGet, sendObject, timestamp, type HandlerContext, type Request} from './handlers-request.js';

/** Simulated time between a namespace DELETE and the namespace controller removing its contents and itself. */
export const namespaceCleanupMs = 1000;

type DeleteOptions = {
	gracePeriodSeconds?: number;
	propagationPolicy?: string;
	preconditions?: {uid?: string; resourceVersion?: string};
	dryRun?: string[];
	orphanDependents?: boolean;
};

// handlers/delete.go: the options come from the body when there is one, else from the query (never both).
async function readDeleteOptions(r: Request): Promise<DeleteOptions> {
	const body = await readBody(r.req);
	let options: DeleteOptions;
	if (body.length > 0) {
		const decoded = await decodeObject(r.req.headers['content-type'], body);
		if (decoded.kind && decoded.kind !== 'DeleteOptions') throw badRequest(`expected DeleteOptions, got ${decoded.kind}`);
		options = decoded as unknown as DeleteOptions;
	} else {
		options = deleteOptionsFromQuery(r.query);
	}
	if (options.propagationPolicy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(options.propagationPolicy)) {
		throw invalid('DeleteOptions', '', '', [
			{
				reason: 'FieldValueNotSupported',
				field: 'propagationPolicy',
				message: `Unsupported value: ${JSON.stringify(options.propagationPolicy)}: supported values: "Foreground", "Background", "Orphan", "nil"`,
			},
		]);
	}
	return options;
}

/** Deletes one object by the real server's rules; returns the object as the response shows it. */
export function deleteObject(ctx: HandlerContext, info: ResourceInfo, object: KubeObject, options: DeleteOptions): KubeObject {
	const {store, clock} = ctx;
	const meta = object.metadata;
	const pre = options.preconditions;
	if (pre?.uid && pre.uid !== meta.uid) {
		throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid}`, {
			name: meta.name,
			group: info.group || undefined,
			kind: info.resource,
		});
	}
	if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
		throw new ApiError(
			409,
			'Conflict',
			`Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`,
			{name: meta.name, group: info.group || undefined, kind: info.resource},
		);
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
		for (const stored of store.list(resource, undefined, (o) => (o.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid)).items) {
			const dep = structuredClone(stored);
			dep.metadata.ownerReferences = dep.metadata.ownerReferences!.filter((ref) => ref.uid !== uid);
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
	if (!ns?.metadata.deletionTimestamp) return;
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

/** DELETE on a named object. */
export async function remove(r: Request): Promise<void> {
	const options = await readDeleteOptions(r);
	const object = mustGet(r, r.route.name!);
	const result = deleteObject(r.ctx, r.info, object, options);
	sendObject(r, 200, result);
}

/** DELETE on a collection: every selected object by deleteObject's rules; ones gone meanwhile are skipped. */
export async function deleteCollection(r: Request): Promise<void> {
	const selection = listOptions(r.query);
	const options = await readDeleteOptions(r);
	const filter = selectorFilter(r.info.resource, selection.labelSelector, selection.fieldSelector, viewOf(r.info)?.fieldLabel);
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
