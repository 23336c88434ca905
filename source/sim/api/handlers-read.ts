// The read verbs: get (incl. the scale subresource), list with limit/continue paging, and watch, each answering
// JSON or kubectl's Table; separate from the writes because reads never decode a body or touch the store.
import type {Page} from '../store.js';
import {ApiError, badRequest, continueExpired} from '../errors.js';
import {tableRowTexts, toTable} from '../codec/table.js';
import {negotiate, sendJson} from './content.js';
import {listHead, objectJson, withType} from './encode.js';
import {sendItems} from './list-stream.js';
import {selectorFilter, selectorIndexHints} from './selectors.js';
import {serveWatch} from './watch.js';
import {includeObjectOf, mustGet, sendObject, type Request} from './handlers-request.js';
import {toScale} from './handlers-scale.js';
import type {ListOptions} from './query.js';
import {viewOf} from './views.js';
import {podLog} from './pod-logs.js';

/** GET on a named object (or its Scale). */
export function get(r: Request): void {
	if (r.route.subresource === 'log') {
		podLog(r);
		return;
	}
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

/**
 * GET on a collection: selectors (answered from the store's indexes where they can be), limit/continue pages in
 * key order served as of the first page's resourceVersion, JSON list or Table; long lists are streamed.
 */
export async function list(r: Request, opts: ListOptions): Promise<void> {
	const fieldLabel = viewOf(r.info)?.fieldLabel;
	const filter = selectorFilter(r.info.resource, opts.labelSelector, opts.fieldSelector, fieldLabel);
	const hints = selectorIndexHints(r.info.resource, opts.labelSelector, opts.fieldSelector, fieldLabel);
	const namespace = r.info.namespaced ? r.route.namespace : undefined;
	const accept = negotiate(r.req.headers.accept, true);
	const store = r.ctx.store;

	let continueFrom: {rv: number; after: string} | undefined;
	let start = '';
	if (opts.continue) {
		const c = decodeContinue(opts.continue);
		start = c.start;
		// A token from before the last compaction: 410, with a token that goes on at the latest resourceVersion ("-1").
		if (c.rv !== '-1' && Number(c.rv) < store.compactedRevision) throw continueExpired(encodeContinue({rv: '-1', start: c.start}));
		continueFrom = {rv: c.rv === '-1' ? Number(store.resourceVersion) : Number(c.rv), after: c.start};
	}
	let page: Page;
	try {
		page = store.page(r.info.resource, {
			namespace,
			filter,
			labels: hints.labels,
			nodeName: hints.nodeName,
			limit: opts.limit,
			continueFrom,
		});
	} catch (error) {
		// The first page's resourceVersion has left the history: as after a compaction.
		if (error instanceof ApiError && error.code === 410) throw continueExpired(encodeContinue({rv: '-1', start}));
		throw error;
	}
	const continueToken = page.next !== undefined ? encodeContinue({rv: page.resourceVersion, start: page.next}) : undefined;
	const listMeta = {
		resourceVersion: page.resourceVersion,
		...(continueToken ? {continue: continueToken} : {}),
		...(continueToken && page.remaining !== undefined ? {remainingItemCount: page.remaining} : {}),
	};
	if (accept.table) {
		const options = {includeObject: includeObjectOf(r.query), listMeta, now: r.ctx.clock.now()};
		const empty = JSON.stringify(toTable(r.info.resource, [], options));
		const rowsAt = empty.lastIndexOf('"rows":[]}');
		if (rowsAt < 0 || rowsAt + '"rows":[]}'.length !== empty.length) throw new Error('a Table must end with its rows');
		await sendItems(
			r.res,
			empty.slice(0, rowsAt + '"rows":['.length),
			page.items,
			(chunk) =>
				tableRowTexts(r.info.resource, chunk, options, {typed: (o) => withType(r.info, o), json: (o) => objectJson(r.info, o, true)}),
			']}',
		);
		return;
	}
	await sendItems(r.res, listHead(r.info, listMeta), page.items, (chunk) => chunk.map((o) => objectJson(r.info, o, true)), ']}');
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
