// The verbs on resource paths: get, list, watch, create, update, patch, delete, deletecollection, and the
// status and scale subresources. Every write runs defaulting, validation and allocation before the store sees
// it, so a rejected request changes nothing. This file dispatches; each verb family lives in a handlers-*.ts file.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {methodNotAllowed, noSuchResource} from '../errors.js';
import type {ResourceRoute} from './router.js';
import type {HandlerContext, Request} from './handlers-request.js';
import {get, list, watch} from './handlers-read.js';
import {create, update} from './handlers-write.js';
import {patch} from './handlers-patch.js';
import {review} from './handlers-review.js';
import type {UserInfo} from '../auth/users.js';
import {deleteCollection, remove} from './handlers-delete.js';
import {listOptions} from './query.js';

export type {HandlerContext} from './handlers-request.js';
export {deleteObject, namespaceCleanupMs} from './handlers-delete.js';
export {toScale} from './handlers-scale.js';

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
export async function handleResource(
	ctx: HandlerContext,
	req: IncomingMessage,
	res: ServerResponse,
	route: ResourceRoute,
	query: URLSearchParams,
	user?: UserInfo,
): Promise<void> {
	const r: Request = {ctx, req, res, route, query, info: route.info, user};
	const method = req.method ?? 'GET';
	if (route.subresource && !route.info.subresources.includes(route.subresource)) {
		throw noSuchResource();
	}
	if (route.info.review) return review(r);
	// pods/log is read-only.
	if (route.subresource === 'log' && method !== 'GET')
		throw methodNotAllowed('the server does not allow this method on the requested resource');
	// Only a GET on a collection (or on the deprecated /watch/ paths) reads ListOptions: a GET of one object with
	// ?watch=true is a plain get, as the real server routes it.
	const listGet = method === 'GET' && !route.subresource && (route.name === undefined || route.watchPath);
	const opts = listGet ? listOptions(query) : undefined;
	const isWatch = route.watchPath || opts?.watch === true;
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
				return isWatch ? watch(r, opts!) : list(r, opts!);
			case 'POST':
				return create(r);
			case 'DELETE':
				return deleteCollection(r);
			default:
				throw methodNotAllowed(`the server does not allow this method on the requested resource`);
		}
	}
	if (isWatch && method === 'GET') {
		// /watch/namespaces/{ns}/{resource}/{name}: the list watch with metadata.name selected.
		return watch(r, opts!, route.name);
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
