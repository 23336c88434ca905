// Watch streams: one JSON line per change ({"type","object"}), bookmarks when asked, the real server's
// in-stream ERROR (410 Expired) for a resourceVersion too old to resume from, and timeoutSeconds.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {ApiError} from '../errors.js';
import {apiVersionOf, type ResourceInfo} from '../resources.js';
import type {KubeObject, Store, StoreEvent} from '../store.js';
import {toTable, type IncludeObject} from '../codec/table.js';
import {objectJson, withType} from './encode.js';
import type {OpenWatch, WatchTap} from '../faults/faults.js';

export type {IncludeObject};

export type WatchRequest = {
	info: ResourceInfo;
	namespace?: string;
	filter?: (o: KubeObject) => boolean;
	resourceVersion?: string;
	/** Ends the stream cleanly after this many seconds. */
	timeoutSeconds?: number;
	allowBookmarks: boolean;
	/** Watch-list: ADDED for every current object, then a BOOKMARK marked `k8s.io/initial-events-end`. */
	sendInitialEvents: boolean;
	/** Each event's object as a one-row meta.k8s.io Table (kubectl get -w). */
	table?: {includeObject: IncludeObject};
};

export type WatchContext = {
	store: Store;
	now: () => number;
	/** Real milliseconds between bookmarks when the client allows them. */
	bookmarkIntervalMs: number;
	/** A watch without timeoutSeconds still ends after this long, as the real server's min-request-timeout does. */
	maxWatchMs: number;
	/** The fault injector, which can reset or silence this stream; absent when no faults are configured. */
	faults?: {openWatch(watch: OpenWatch): WatchTap};
};

// A client that stops reading is cut off rather than buffered without bound (the real server drops it too).
const maxBufferedBytes = 32 * 1024 * 1024;

/** Streams a watch on `res` until the client goes, the timeout passes, or the server closes. */
export function serveWatch(ctx: WatchContext, req: IncomingMessage, res: ServerResponse, w: WatchRequest): void {
	res.writeHead(200, {'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked'});
	// Send headers now: clients (client-go, client-node) wait for them before they count the watch as started.
	res.flushHeaders();

	let closed = false;
	let stop: (() => void) | undefined;
	const timers: NodeJS.Timeout[] = [];
	// The faults may reset this stream's connection (drop-watches) or silence it (stall-watches).
	const tap = ctx.faults?.openWatch({resource: w.info.resource, destroy: () => res.destroy()});
	const finish = () => {
		if (closed) return;
		closed = true;
		tap?.closed();
		stop?.();
		for (const t of timers) {
			clearTimeout(t);
			clearInterval(t);
		}
		if (!res.writableEnded) res.end();
	};
	req.on('close', finish);
	res.on('close', finish);

	const write = (line: string) => {
		if (closed || tap?.stalled) return;
		res.write(line);
		if (res.writableLength > maxBufferedBytes) {
			finish();
			res.destroy();
		}
	};

	let headersSent = false;
	const encode = (type: string, object: KubeObject): string => {
		if (!w.table) return `{"type":"${type}","object":${objectJson(w.info, object, true)}}\n`;
		// As the real server does: column definitions on the first event only (kubectl prints the header once).
		const table = toTable(w.info.resource, [withType(w.info, object)], {
			includeObject: w.table.includeObject,
			listMeta: {resourceVersion: object.metadata.resourceVersion ?? ''},
			now: ctx.now(),
			noHeaders: headersSent,
		});
		headersSent = true;
		return `{"type":"${type}","object":${JSON.stringify(table)}}\n`;
	};

	const bookmark = (annotations?: Record<string, string>) => {
		const object = {
			kind: w.info.kind,
			apiVersion: apiVersionOf(w.info),
			metadata: {resourceVersion: ctx.store.resourceVersion, ...(annotations ? {annotations} : {})},
		};
		write(`{"type":"BOOKMARK","object":${JSON.stringify(object)}}\n`);
	};

	try {
		stop = ctx.store.watch(
			w.info.resource,
			{
				namespace: w.namespace,
				filter: w.filter,
				resourceVersion: w.sendInitialEvents ? '0' : w.resourceVersion,
			},
			(e: StoreEvent) => write(encode(e.type, e.object)),
		);
	} catch (error) {
		if (error instanceof ApiError) {
			// The real server answers 200 and reports the failure as the stream's only event.
			write(`{"type":"ERROR","object":${JSON.stringify(error.toStatus())}}\n`);
			finish();
			return;
		}
		throw error;
	}
	if (w.sendInitialEvents && w.allowBookmarks) bookmark({'k8s.io/initial-events-end': 'true'});

	if (w.allowBookmarks && ctx.bookmarkIntervalMs > 0) timers.push(setInterval(() => bookmark(), ctx.bookmarkIntervalMs));
	const limitMs = w.timeoutSeconds !== undefined ? w.timeoutSeconds * 1000 : ctx.maxWatchMs;
	timers.push(setTimeout(finish, Math.min(limitMs, 2 ** 31 - 1)));
}
