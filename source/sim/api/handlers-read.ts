// The read verbs: get (incl. the scale subresource), list with limit/continue paging, and watch, each answering
// JSON or kubectl's Table; separate from the writes because reads never decode a body or touch the store.
import type {KubeObject} from '../store.js';
import {badRequest, continueExpired} from '../errors.js';
import {toTable} from '../codec/table.js';
import {negotiate, sendJson, sendJsonText} from './content.js';
import {listJson, objectJson, withType} from './encode.js';
import {selectorFilter} from './selectors.js';
import {serveWatch} from './watch.js';
import {includeObjectOf, mustGet, sendObject, type Request} from './handlers-request.js';
import {toScale} from './handlers-scale.js';
import type {ListOptions} from './query.js';
import {viewOf} from './views.js';

/** GET on a named object (or its Scale). */
export function get(r: Request): void {
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

const encodeContinue = (c: Continue) => Buffer.from(JSON.stringify(c)).toString('base64url');

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** GET on a collection: selectors, limit/continue pages in key order, JSON list or Table. */
export function list(r: Request, opts: ListOptions): void {
	const filter = selectorFilter(r.info.resource, opts.labelSelector, opts.fieldSelector, viewOf(r.info)?.fieldLabel);
	const namespace = r.info.namespaced ? r.route.namespace : undefined;
	const {items, resourceVersion} = r.ctx.store.listShared(r.info.resource, namespace, filter);
	const accept = negotiate(r.req.headers.accept, true);

	// limit/continue: pages in key order; the continue token says where the next page starts.
	let page = items as KubeObject[];
	let continueToken: string | undefined;
	let remaining: number | undefined;
	let listRv = resourceVersion;
	if (opts.continue) {
		const c = decodeContinue(opts.continue);
		// A token from before the last compaction: 410, with a token that goes on at the latest resourceVersion ("-1").
		if (c.rv !== '-1' && Number(c.rv) < r.ctx.store.compactedRevision) throw continueExpired(encodeContinue({rv: '-1', start: c.start}));
		listRv = c.rv === '-1' ? resourceVersion : c.rv;
		page = page.filter((o) => keyOf(o) > c.start);
	}
	const limit = opts.limit;
	if (limit > 0 && page.length > limit) {
		remaining = page.length - limit;
		page = page.slice(0, limit);
		continueToken = encodeContinue({rv: listRv, start: keyOf(page.at(-1)!)});
	}
	const listMeta = {resourceVersion: listRv, ...(continueToken ? {continue: continueToken, remainingItemCount: remaining} : {})};
	if (accept.table) {
		sendJson(
			r.res,
			200,
			toTable(
				r.info.resource,
				page.map((o) => withType(r.info, o)),
				{includeObject: includeObjectOf(r.query), listMeta, now: r.ctx.clock.now()},
			),
		);
		return;
	}
	sendJsonText(
		r.res,
		200,
		listJson(
			r.info,
			page.map((o) => objectJson(r.info, o, true)),
			listMeta,
		),
	);
}

/** A watch on a collection, or on one object when `name` is given (the list watch with that name selected). */
export function watch(r: Request, opts: ListOptions, name?: string): void {
	let filter = selectorFilter(r.info.resource, opts.labelSelector, opts.fieldSelector, viewOf(r.info)?.fieldLabel);
	if (name !== undefined) {
		const inner = filter;
		filter = (o) => o.metadata.name === name && (!inner || inner(o));
	}
	const accept = negotiate(r.req.headers.accept, true);
	const timeout = opts.timeoutSeconds ?? 0;
	serveWatch(
		{
			store: r.ctx.store,
			now: () => r.ctx.clock.now(),
			bookmarkIntervalMs: r.ctx.bookmarkIntervalMs,
			maxWatchMs: r.ctx.maxWatchMs,
			faults: r.ctx.faults,
		},
		r.req,
		r.res,
		{
			info: r.info,
			namespace: r.info.namespaced ? r.route.namespace : undefined,
			filter,
			resourceVersion: opts.resourceVersion || undefined,
			// 0 (or none) leaves it to the server's limit; a negative timeout ends the watch at once, as its context does.
			timeoutSeconds: timeout !== 0 ? Math.max(0, timeout) : undefined,
			allowBookmarks: opts.allowWatchBookmarks,
			sendInitialEvents: opts.sendInitialEvents === true,
			table: accept.table ? {includeObject: includeObjectOf(r.query)} : undefined,
		},
	);
}
