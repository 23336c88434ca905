// Watch streams: one JSON line per change ({"type","object"}), bookmarks when asked, the real server's
// in-stream ERROR (410 Expired) for a resourceVersion too old to resume from, and timeoutSeconds.
// Each change is encoded once per encoding (JSON, or a Table row), however many watchers receive it; the initial
// events of a watch from "0" (or sendInitialEvents) are written in chunks that wait for the socket, while the
// changes that happen meanwhile wait in order behind them.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {ApiError} from '../errors.js';
import {apiVersionOf, type ResourceInfo} from '../resources.js';
import type {KubeObject, Store, StoreEvent} from '../store.js';
import {toTable, type IncludeObject} from '../codec/table.js';
import {objectJson, withType} from './encode.js';
import type {OpenWatch, WatchTap} from '../faults/faults.js';
import {chunkItems, drained} from './list-stream.js';

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

// The lines a change was encoded to, per encoding, shared by every watcher that receives the same event.
const encoded = new WeakMap<StoreEvent, Map<string, string>>();

/** The line of one event in one encoding, encoded on first use and then shared. */
function encodedLine(e: StoreEvent, encoding: string, encode: () => string): string {
	let lines = encoded.get(e);
	if (!lines) {
		lines = new Map();
		encoded.set(e, lines);
	}
	let line = lines.get(encoding);
	if (line === undefined) {
		line = encode();
		lines.set(encoding, line);
	}
	return line;
}

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
		// What this turn already wrote (an ERROR event, the last changes before a timeout) goes out before the end.
		if (!res.destroyed && !res.writableEnded) flush();
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

	// Lines written in one turn of the event loop (a controller slice can make hundreds of changes) leave in one
	// socket write, one TLS record run and one chunk, at the end of that turn: no later than one write per line would.
	let queued: string[] = [];
	let flushQueued = false;
	const flush = () => {
		flushQueued = false;
		if (queued.length === 0) return;
		const text = queued.length === 1 ? queued[0]! : queued.join('');
		queued = [];
		if (closed || tap?.stalled) return;
		res.write(text);
		if (res.writableLength > maxBufferedBytes) {
			finish();
			res.destroy();
		}
	};
	const write = (line: string) => {
		if (closed || tap?.stalled) return;
		queued.push(line);
		if (flushQueued) return;
		flushQueued = true;
		queueMicrotask(flush);
	};

	let headersSent = false;
	const encodeObject = (type: string, object: KubeObject, headers: boolean): string => {
		if (!w.table) return `{"type":"${type}","object":${objectJson(w.info, object)}}\n`;
		// As the real server does: column definitions on the first event only (kubectl prints the header once).
		const table = toTable(w.info.resource, [withType(w.info, object)], {
			includeObject: w.table.includeObject,
			listMeta: {resourceVersion: object.metadata.resourceVersion ?? ''},
			now: ctx.now(),
			noHeaders: !headers,
		});
		return `{"type":"${type}","object":${JSON.stringify(table)}}\n`;
	};
	const encode = (e: StoreEvent): string => {
		const headers = !!w.table && !headersSent;
		headersSent = true;
		const encoding = `${w.info.group}/${w.info.resource}:${w.table ? `table:${w.table.includeObject}:${headers}` : 'json'}`;
		return encodedLine(e, encoding, () => encodeObject(e.type, e.object, headers));
	};

	// While the initial events are written, changes wait here, in order.
	let replaying = false;
	const backlog: StoreEvent[] = [];
	const onEvent = (e: StoreEvent) => {
		if (replaying) backlog.push(e);
		else write(encode(e));
	};

	const bookmark = (annotations?: Record<string, string>) => {
		// A bookmark names the current resourceVersion: never before the initial events up to it are all written.
		if (replaying) return;
		const object = {
			kind: w.info.kind,
			apiVersion: apiVersionOf(w.info),
			metadata: {resourceVersion: ctx.store.resourceVersion, ...(annotations ? {annotations} : {})},
		};
		write(`{"type":"BOOKMARK","object":${JSON.stringify(object)}}\n`);
	};

	const from = w.sendInitialEvents ? '0' : w.resourceVersion;
	const initial = from === undefined || from === '' || from === '0';
	let initialItems: KubeObject[] = [];
	try {
		if (initial) {
			// The objects now, then every change after now: taken in one turn, so nothing falls between them.
			initialItems = ctx.store.list(w.info.resource, w.namespace, w.filter).items;
			replaying = true;
		}
		stop = ctx.store.watch(
			w.info.resource,
			{namespace: w.namespace, filter: w.filter, resourceVersion: initial ? ctx.store.resourceVersion : from},
			onEvent,
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
	const initialDone = () => {
		replaying = false;
		if (w.sendInitialEvents && w.allowBookmarks) bookmark({'k8s.io/initial-events-end': 'true'});
		for (const e of backlog.splice(0)) write(encode(e));
	};
	if (!initial) initialDone();
	else
		void writeInitial(initialItems).then(initialDone, () => {
			finish();
			res.destroy();
		});

	if (w.allowBookmarks && ctx.bookmarkIntervalMs > 0) timers.push(setInterval(() => bookmark(), ctx.bookmarkIntervalMs));
	const limitMs = w.timeoutSeconds !== undefined ? w.timeoutSeconds * 1000 : ctx.maxWatchMs;
	timers.push(setTimeout(finish, Math.min(limitMs, 2 ** 31 - 1)));

	// ADDED for each initial object, a chunk at a time; the socket drains (or the event loop turns) in between.
	async function writeInitial(items: KubeObject[]): Promise<void> {
		for (let i = 0; i < items.length && !closed; i += chunkItems) {
			for (const object of items.slice(i, i + chunkItems)) {
				write(encodeObject('ADDED', object, !!w.table && !headersSent));
				headersSent = true;
			}
			flush();
			if (closed || i + chunkItems >= items.length) continue;
			if (res.writableNeedDrain) await drained(res);
			else await new Promise<void>((resolve) => setImmediate(resolve));
		}
	}
}
