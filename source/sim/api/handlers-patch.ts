// PATCH: decoding the four patch types, computing the patched object (or Scale), and simplified server-side
// apply; separate from update because only the new body's computation differs, then both go through `write`.
import {ApiError, badRequest} from '../errors.js';
import {apiVersionOf} from '../resources.js';
import type {KubeObject} from '../store.js';
import {dropNulls, parseJson, parseYaml, readBody} from './content.js';
import {applyDefaults, initialStatus} from './defaults.js';
import {withType} from './encode.js';
import {applyPatch, patchTypeOf, strategicMergePatch, patchSchemas} from './patch.js';
import {isDryRun, mustGet, sendObject, statusResources, type Request} from './handlers-request.js';
import {checkFields, checkNamespace, checkNamespaceOpen, checkType, throwIfInvalid, toStored} from './handlers-checks.js';
import {toScale, writeScale} from './handlers-scale.js';
import {write} from './handlers-write.js';

async function decodePatch(r: Request): Promise<{type: ReturnType<typeof patchTypeOf>; body: any}> {
	const contentType = r.req.headers['content-type'] ?? '';
	const type = patchTypeOf(contentType);
	if (!type) {
		throw new ApiError(
			415,
			'UnsupportedMediaType',
			`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
		);
	}
	const raw = await readBody(r.req);
	const body = type === 'apply' && !contentType.includes('json') ? await parseYaml(raw) : parseJson(raw, 'the patch');
	return {type, body};
}

/** PATCH on a named object, its status, or its Scale (JSON, merge, strategic merge, or apply). */
export async function patch(r: Request): Promise<void> {
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
	if (typeof next !== 'object' || next === null || Array.isArray(next))
		throw badRequest('the patch produced something that is not an object');
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
	if (r.route.subresource)
		throw new ApiError(415, 'UnsupportedMediaType', 'server-side apply of subresources is not supported by the simulator');
	const applied = body as KubeObject;
	applied.metadata ??= {};
	checkType(r, applied);
	checkFields(r, applied);
	const o = toStored(r, applied);
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
	const next = strategicMergePatch(withType(r.info, structuredClone(old)), applied, patchSchemas[r.info.kind]) as KubeObject;
	sendObject(r, 200, await write(r, old, next, dryRun));
}
