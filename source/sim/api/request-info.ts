// What a request asks, in the apiserver's RequestInfo terms (verb, API group, resource, subresource, namespace,
// name): authorization, the request log and the faults all judge a request by these, so they are worked out once.
import type {Route} from './router.js';
import {queryBool} from './query.js';

/** A request as the authorizer sees it; non-resource requests (discovery, /version) carry the path and the method's verb. */
export type RequestInfo = {
	isResourceRequest: boolean;
	/** get, list, watch, create, update, patch, delete, deletecollection; for non-resource requests the lower-cased method. */
	verb: string;
	path: string;
	apiGroup: string;
	apiVersion: string;
	resource: string;
	subresource: string;
	/** '' for cluster-scoped requests and the all-namespaces collections. */
	namespace: string;
	name: string;
};

/** The name a list or watch selects with fieldSelector=metadata.name=X, which the apiserver authorizes as a named request. */
function exactName(fieldSelector: string | null): string | undefined {
	if (!fieldSelector) return undefined;
	for (const term of fieldSelector.split(',')) {
		const m = /^\s*metadata\.name\s*==?\s*([^!=\s][^,]*?)\s*$/.exec(term);
		if (m && /^[^/%]+$/.test(m[1]!) && m[1] !== '.' && m[1] !== '..') return m[1];
	}
	return undefined;
}

/** Works out the RequestInfo of a request from its method, parsed route and query, as the apiserver's RequestInfoFactory does. */
export function requestInfoOf(method: string, path: string, route: Route, query: URLSearchParams): RequestInfo {
	if (route.type !== 'resource') {
		return {
			isResourceRequest: false,
			verb: method.toLowerCase(),
			path,
			apiGroup: '',
			apiVersion: '',
			resource: '',
			subresource: '',
			namespace: '',
			name: '',
		};
	}
	const info = route.info;
	let name = route.name ?? '';
	let verb: string;
	switch (method) {
		case 'GET':
		case 'HEAD':
			// Only a collection reads ListOptions: a GET of one object with ?watch is a get (the /watch/ paths excepted).
			verb = route.watchPath ? 'watch' : name ? 'get' : queryBool(query, 'watch') ? 'watch' : 'list';
			break;
		case 'POST':
			verb = 'create';
			break;
		case 'PUT':
			verb = 'update';
			break;
		case 'PATCH':
			verb = 'patch';
			break;
		case 'DELETE':
			verb = name ? 'delete' : 'deletecollection';
			break;
		default:
			verb = method.toLowerCase();
	}
	if (!name && (verb === 'list' || verb === 'watch')) name = exactName(query.get('fieldSelector')) ?? '';
	// A namespace object's own namespace is itself: /api/v1/namespaces/default is "in the namespace default".
	const namespace = info.resource === 'namespaces' ? (route.name ?? '') : (route.namespace ?? '');
	return {
		isResourceRequest: true,
		verb,
		path,
		apiGroup: info.group,
		apiVersion: info.version,
		resource: info.resource,
		subresource: route.subresource ?? '',
		namespace,
		name,
	};
}
