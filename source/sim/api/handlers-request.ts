// The request context every verb handler shares (store, clock, allocator; the parsed route), and the small
// helpers for dry runs, timestamps and sending one object; separate so each verb's file imports only these.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {badRequest, notFound} from '../errors.js';
import type {ResourceInfo} from '../resources.js';
import type {KubeObject, Store} from '../store.js';
import type {Clock} from '../clock.js';
import {toTable} from '../codec/table.js';
import type {ServiceAllocator} from './allocators.js';
import {negotiate, sendJson, sendJsonText} from './content.js';
import {objectJson, withType} from './encode.js';
import type {ResourceRoute} from './router.js';
import type {IncludeObject} from './watch.js';
import type {Faults} from '../faults/faults.js';
import type {RbacAuthorizer} from '../auth/rbac.js';
import type {UserInfo} from '../auth/users.js';
import type {ContainerLogSource} from './pod-logs.js';

/** What the verb handlers need from the server: the store, simulated time, the NodePort allocator, watch limits. */
export type HandlerContext = {
	store: Store;
	clock: Clock;
	allocator: ServiceAllocator;
	bookmarkIntervalMs: number;
	maxWatchMs: number;
	/** The fault injector the watch streams register with, when faults are configured. */
	faults?: Faults;
	/** The authorizer the access reviews ask. */
	authorizer?: RbacAuthorizer;
	/** The kubelets' container logs, for pods/log (none: every log reads empty). */
	containerLogs?: ContainerLogSource;
};

/** One request on a resource path, parsed once by the dispatcher and passed to the verb's handler. */
export type Request = {
	ctx: HandlerContext;
	req: IncomingMessage;
	res: ServerResponse;
	route: ResourceRoute;
	query: URLSearchParams;
	info: ResourceInfo;
	/** Who sent it (the reviews answer about this user). */
	user?: UserInfo;
};

/** Resources whose status is a subresource: the main resource's writes cannot change it. */
export const statusResources = new Set(['pods', 'services', 'nodes', 'namespaces', 'deployments', 'replicasets']);

/** dryRun=All: the request is checked and answered but the store is not written. */
export function isDryRun(query: URLSearchParams): boolean {
	return query.getAll('dryRun').includes('All');
}

/** RFC 3339 to the second, as metadata timestamps are written. */
export function timestamp(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Sends one object as JSON, or as a one-row Table when the client asked for tables (kubectl get). */
export function sendObject(r: Request, code: number, object: KubeObject): void {
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

/** The includeObject query parameter of a Table request (Metadata when absent), 400 for anything else. */
export function includeObjectOf(query: URLSearchParams): IncludeObject {
	const v = query.get('includeObject');
	if (v === null || v === '') return 'Metadata';
	if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
	throw badRequest(`includeObject: Unsupported value: ${JSON.stringify(v)}: supported values: "Metadata", "None", "Object"`);
}

/** The stored object a named request is about, or the real server's 404. */
export function mustGet(r: Request, name: string): KubeObject {
	const o = r.ctx.store.get(r.info.resource, r.info.namespaced ? r.route.namespace : undefined, name);
	if (!o) throw notFound(r.info.resource, r.info.group, name);
	return o;
}
