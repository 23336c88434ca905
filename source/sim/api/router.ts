// URL paths to routes: discovery, OpenAPI, and resource paths in the real server's shapes
// (/api/v1/namespaces/{ns}/{resource}/{name}/{subresource}, /apis/{group}/{version}/..., /api/v1/watch/...).
import {findResource, resources, type ResourceInfo} from '../resources.js';

export type ResourceRoute = {
	type: 'resource';
	info: ResourceInfo;
	/** The namespace in the path (namespaced resources), undefined for all namespaces or cluster scope. */
	namespace?: string;
	name?: string;
	subresource?: string;
	/** The deprecated /watch/ path prefix: a watch whatever the query says. */
	watchPath: boolean;
};

export type Route =
	| {type: 'version'}
	| {type: 'health'}
	| {type: 'api'}
	| {type: 'apis'}
	| {type: 'group'; group: string}
	| {type: 'groupVersion'; group: string; version: string}
	| {type: 'openapiV2'}
	| {type: 'openapiV3Index'}
	| {type: 'openapiV3'; groupVersion: string}
	| ResourceRoute
	| {type: 'notFound'}
	| {type: 'unserved'};

const notFound: Route = {type: 'notFound'};
/** A group or group/version this server does not serve: kube-apiserver's handler chain ends in Go's http.NotFound. */
const unserved: Route = {type: 'unserved'};

/** Whether any resource is served at group/version (core is group ''). */
function servesGroupVersion(group: string, version: string): boolean {
	return resources.some((r) => r.group === group && r.version === version);
}

function decodeSegment(s: string): string | undefined {
	try {
		return decodeURIComponent(s);
	} catch {
		return undefined;
	}
}

/** Parses a request path (no query). Unknown shapes are `notFound` and unserved groups/versions `unserved`; both are 404s. */
export function route(pathname: string): Route {
	const raw = pathname.replace(/\/+$/, '') || '/';
	switch (raw) {
		case '/version':
			return {type: 'version'};
		case '/healthz':
		case '/livez':
		case '/readyz':
			return {type: 'health'};
		case '/api':
			return {type: 'api'};
		case '/apis':
			return {type: 'apis'};
		case '/openapi/v2':
			return {type: 'openapiV2'};
		case '/openapi/v3':
			return {type: 'openapiV3Index'};
	}
	if (raw.startsWith('/openapi/v3/')) return {type: 'openapiV3', groupVersion: raw.slice('/openapi/v3/'.length)};

	const segments = raw.split('/').slice(1).map(decodeSegment);
	if (segments.some((s) => s === undefined || s === '')) return notFound;
	const parts = segments as string[];
	let group: string;
	let version: string;
	let rest: string[];
	if (parts[0] === 'api') {
		if (parts.length < 2) return notFound;
		group = '';
		version = parts[1]!;
		rest = parts.slice(2);
	} else if (parts[0] === 'apis') {
		if (parts.length === 2) return resources.some((r) => r.group === parts[1]) ? {type: 'group', group: parts[1]!} : unserved;
		if (parts.length < 3) return notFound;
		group = parts[1]!;
		version = parts[2]!;
		rest = parts.slice(3);
	} else {
		return notFound;
	}
	if (!servesGroupVersion(group, version)) return unserved;
	if (rest.length === 0) return {type: 'groupVersion', group, version};

	let watchPath = false;
	if (rest[0] === 'watch') {
		watchPath = true;
		rest = rest.slice(1);
		if (rest.length === 0) return notFound;
	}

	const resourceIn = (name: string) => {
		const info = findResource(group, name);
		return info && info.version === version ? info : undefined;
	};

	// /namespaces/{ns}/{resource}/... for namespaced resources; /namespaces[/{name}[/{sub}]] for the namespaces themselves.
	if (rest[0] === 'namespaces' && rest.length >= 3) {
		const info = resourceIn(rest[2]!);
		if (!info?.namespaced || rest.length > 5) {
			// /api/v1/namespaces/{name}/status: the namespace's own subresource.
			const namespaces = resourceIn('namespaces');
			if (namespaces && rest.length === 3 && rest[2] === 'status' && !info) {
				return {type: 'resource', info: namespaces, name: rest[1], subresource: rest[2], watchPath};
			}
			return notFound;
		}
		return {type: 'resource', info, namespace: rest[1], name: rest[3], subresource: rest[4], watchPath};
	}
	const info = resourceIn(rest[0]!);
	if (!info || rest.length > 3) return notFound;
	if (info.namespaced && rest.length > 1) return notFound;
	return {type: 'resource', info, name: rest[1], subresource: rest[2], watchPath};
}
