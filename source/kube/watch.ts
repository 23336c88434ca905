// A supervised list+watch with client-go's reflector rules, so the cockpit stays live through API server
// restarts, expired resourceVersions and half-dead connections, without ever polling. As client-go's
// reflector.go, it runs in named steps: list (listAll), watch (watchStream), handle one event
// (handleWatchLine), and what to do after a watch ends (afterWatch); reflect() only supervises them, and
// whatever throws inside a step is reported and retried with backoff, never the end of the watch.
import type http from 'node:http';
import type {Connection} from './connect.js';
import {ApiRequestError, isExpired, openRequest, readBody, requestJson, statusError} from './http.js';

// Where one kind's list+watch stands; the header shows it and the store derives the overall state from it.
export type WatchState = {
	phase: 'connecting' | 'listing' | 'watching' | 'backoff' | 'stalled' | 'error';
	since: number;
	error?: string;
	retryInMs?: number;
	// Recoveries so far: relists after 410, rewatches after a stall, retries after errors (not routine watch timeouts).
	restarts: number;
	// In backoff: the number of this retry since the watch last worked (1 = the first).
	attempt?: number;
	// The HTTP status of the error being backed off from (0: the server was not reached); 403 means forbidden.
	status?: number;
	// When the data stopped being live: the end of the last watch that worked. Unset while watching, and before the
	// first watch ever opened (the cockpit is then connecting, not stale).
	lostAt?: number;
};

// The change types a watch delivers to the cache (BOOKMARK and ERROR are handled inside).
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

// A running reflector; stop() aborts the request in flight and clears every timer.
export type Reflector = {stop(): void};

// Timer functions, injectable so tests can observe backoff delays without waiting for them.
export type Timers = {
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
};

// Tunables; defaults follow client-go (0.8 s doubling to 30 s, up to +100% jitter, watches of 5-10 min).
export type ReflectorTiming = {
	/** @default 800 */
	backoffInitialMs?: number;
	/** @default 30000 */
	backoffMaxMs?: number;
	/** Fraction of the base delay added at random. @default 1 */
	jitter?: number;
	/** No data (event or bookmark) for this long on an open watch => abort and rewatch ("stalled"). @default 90000 */
	stallMs?: number;
	/** Watches ask the server for timeoutSeconds in [min, 2*min). @default 300 */
	minWatchTimeoutSeconds?: number;
	/** A watch open this long (or that delivered data) counts as healthy and resets the backoff. @default 60000 */
	healthyWatchMs?: number;
	/** A watch that ends this soon with no data is an error (client-go's "very short watch"). @default 1000 */
	shortWatchMs?: number;
	/** A list page (or a watch's response headers) not complete within this long is abandoned and retried. @default 60000 */
	requestTimeoutMs?: number;
	random?: () => number;
	now?: () => number;
	timers?: Timers;
};

// What to list and watch and where to deliver it.
export type ReflectOptions<T> = {
	conn: Connection;
	/** Collection path, e.g. /api/v1/namespaces/default/pods */
	path: string;
	labelSelector?: string;
	fieldSelector?: string;
	/** Page size for lists (0 = one request). */
	pageSize?: number;
	/** Full replace after every (re)list. */
	onSync(items: T[], resourceVersion: string): void;
	onEvent(type: WatchEventType, obj: T): void;
	onState(state: WatchState): void;
	/** Applied to every object on ingest; defaults to stripNoise. */
	transform?: (raw: unknown) => T;
	timing?: ReflectorTiming;
	/**
	 * The answer to the first list, already asked for with these same options (list-off-thread.ts): taken instead of asking
	 * again. If it failed, the list is asked for again at once, and its failure is handled as any list's.
	 */
	first?: Promise<ListAnswer<T>>;
};

// Every page of a list, as one answer: the items (transformed) and the resourceVersion to watch from.
export type ListAnswer<T> = {items: T[]; resourceVersion: string};

// A first list asked for ahead of its reflector; abort() drops it (when no reflector will take it).
export type EarlyList<T> = {labelSelector?: string; answer: Promise<ListAnswer<T>>; abort(): void};

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

// Drops what the cockpit never shows but would keep in memory for every object (managedFields,
// kubectl's last-applied-configuration copy of the whole object). Mutates and returns the object.
export function stripNoise<T>(raw: unknown): T {
	const obj = raw as {metadata?: {annotations?: Record<string, string> | null}};
	stripManagedFields(raw);
	const annotations = obj?.metadata?.annotations;
	if (annotations && LAST_APPLIED in annotations) delete annotations[LAST_APPLIED];
	return raw as T;
}

// Drops managedFields only: for objects whose annotations an action rewrites (a Deployment's undo replaces
// them all, so the copy it is planned on must keep last-applied-configuration).
export function stripManagedFields<T>(raw: unknown): T {
	const meta = (raw as {metadata?: {managedFields?: unknown}})?.metadata;
	if (meta) delete meta.managedFields;
	return raw as T;
}

// The delay before retry number `attempt` (0-based): base doubles from initial up to max, plus jitter, never above max.
export function backoffDelay(
	attempt: number,
	timing: Pick<ReflectorTiming, 'backoffInitialMs' | 'backoffMaxMs' | 'jitter'>,
	random: () => number,
): number {
	const initial = timing.backoffInitialMs ?? 800;
	const max = timing.backoffMaxMs ?? 30_000;
	const jitter = timing.jitter ?? 1;
	const base = Math.min(max, initial * 2 ** Math.min(attempt, 40));
	return Math.min(max, Math.round(base * (1 + jitter * random())));
}

// How a watch ended.
export type WatchOutcome =
	| {kind: 'closed'; events: number; durationMs: number}
	| {kind: 'stalled'; events: number; durationMs: number}
	| {kind: 'expired'; error: ApiRequestError; events: number; durationMs: number}
	| {kind: 'error'; error: Error; events: number; durationMs: number; beforeOpen: boolean}
	| {kind: 'stopped'};

export type ListBody = {metadata?: {resourceVersion?: string; continue?: string}; items?: unknown[]};

// One collection request as list and watch both send it.
export type CollectionRequest = {
	conn: Connection;
	path: string;
	labelSelector?: string;
	fieldSelector?: string;
};

// A fresh deadline for each page of a list: its signal aborts when the page takes longer than its time, or when the
// list is stopped; done() ends it.
export type PageDeadline = () => {signal: AbortSignal; expired(): boolean; done(): void};

// Node's own timers, unless a test injects others.
const REAL_TIMERS: Timers = {setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout)};

// Page deadlines of `ms` each (on `timers`), all aborted by `stop`.
export function pageDeadlines(stop: AbortSignal, ms: number, timers: Timers = REAL_TIMERS): PageDeadline {
	return () => {
		const ac = new AbortController();
		const onStop = () => ac.abort();
		stop.addEventListener('abort', onStop, {once: true});
		let expired = false;
		const timer = timers.setTimeout(() => {
			expired = true;
			ac.abort();
		}, ms);
		return {
			signal: ac.signal,
			expired: () => expired,
			done: () => {
				timers.clearTimeout(timer);
				stop.removeEventListener('abort', onStop);
			},
		};
	};
}

// The list step: every page of the collection at `resourceVersion` ('' = the latest, '0' = any cached),
// following continue tokens; each page must complete within `pageDeadline` (a fresh signal per page).
export async function listAll<T>(
	request: CollectionRequest & {pageSize?: number; resourceVersion: string; transform: (raw: unknown) => T},
	pageDeadline: PageDeadline,
	timeoutError: () => Error,
): Promise<ListAnswer<T>> {
	const items: T[] = [];
	let resourceVersion = '';
	let cont: string | undefined;
	do {
		const page = pageDeadline();
		let body: ListBody;
		try {
			body = await requestJson<ListBody>(request.conn, request.path, {
				signal: page.signal,
				query: {
					resourceVersion: cont ? undefined : request.resourceVersion,
					limit: request.pageSize && request.pageSize > 0 ? request.pageSize : undefined,
					continue: cont,
					labelSelector: request.labelSelector,
					fieldSelector: request.fieldSelector,
				},
			});
		} catch (error) {
			throw page.expired() ? timeoutError() : error;
		} finally {
			page.done();
		}
		for (const raw of body.items ?? []) items.push(request.transform(raw));
		resourceVersion = body.metadata?.resourceVersion ?? resourceVersion;
		cont = body.metadata?.continue || undefined;
	} while (cont);
	return {items, resourceVersion};
}

// The line-splitting step of a watch stream: the chunk is appended to what was buffered; the complete lines (trimmed,
// blank ones dropped) are events, and a partial last line is kept for the next chunk, wherever the chunks were cut.
export function splitLines(buffered: string, chunk: string): {lines: string[]; rest: string} {
	const text = buffered + chunk;
	const lines: string[] = [];
	let start = 0;
	let newline = text.indexOf('\n');
	while (newline !== -1) {
		const line = text.slice(start, newline).trim();
		if (line !== '') lines.push(line);
		start = newline + 1;
		newline = text.indexOf('\n', start);
	}
	return {lines, rest: text.slice(start)};
}

type WatchLine = {
	type?: string;
	object?: {metadata?: {resourceVersion?: string}; kind?: string; code?: number; reason?: string; message?: string};
};

// What one line of a watch stream amounted to: an object delivered, a bookmark, or the end of the watch.
export type LineResult =
	| {kind: 'delivered'; resourceVersion?: string}
	| {kind: 'bookmark'; resourceVersion?: string}
	| {kind: 'ignored'}
	| {kind: 'expired'; error: ApiRequestError}
	| {kind: 'error'; error: Error};

// The handle-event step (client-go's handleWatch for one event): parses a line, hands ADDED, MODIFIED and
// DELETED to `deliver`, and turns ERROR events, bad JSON and a throwing handler into the watch's end.
export function handleWatchLine<T>(
	line: string,
	path: string,
	transform: (raw: unknown) => T,
	deliver: (type: WatchEventType, obj: T) => void,
): LineResult {
	let event: WatchLine;
	try {
		event = JSON.parse(line) as WatchLine;
	} catch {
		return {kind: 'error', error: new ApiRequestError(`watch ${path}: the server sent a line that is not JSON`, 200)};
	}
	if (event === null || typeof event !== 'object' || Array.isArray(event))
		return {kind: 'error', error: new ApiRequestError(`watch ${path}: the server sent a line that is not a watch event`, 200)};
	const object = event.object;
	if (event.type === 'ERROR') {
		const error = new ApiRequestError(`watch ${path}: ${object?.message ?? 'error event'}`, object?.code ?? 0, object?.reason);
		return isExpired(error) ? {kind: 'expired', error} : {kind: 'error', error};
	}
	const resourceVersion = object?.metadata?.resourceVersion || undefined;
	if (event.type === 'BOOKMARK') return {kind: 'bookmark', resourceVersion};
	if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED') return {kind: 'ignored'};
	try {
		deliver(event.type, transform(object));
	} catch (error) {
		return {kind: 'error', error: new Error(`handling a ${event.type} event failed: ${(error as Error)?.message ?? String(error)}`)};
	}
	return {kind: 'delivered', resourceVersion};
}

// What the loop does after a watch ended: relist or rewatch, and the error to back off on, if any
// (client-go: a routine close rewatches; 410 relists at once; a stall rewatches; errors back off and
// relist, except an unreachable server or 429 before the watch opened, which rewatch).
export function afterWatch(
	outcome: Exclude<WatchOutcome, {kind: 'stopped'}>,
	path: string,
	shortWatchMs: number,
): {relist: boolean; backoff?: Error; restart: boolean} {
	switch (outcome.kind) {
		case 'closed':
			if (outcome.events === 0 && outcome.durationMs < shortWatchMs)
				return {relist: false, restart: true, backoff: new Error(`watch ${path} closed after ${outcome.durationMs} ms without any event`)};
			return {relist: false, restart: false};
		case 'stalled':
			return {relist: false, restart: true};
		case 'expired':
			return {relist: true, restart: true};
		case 'error': {
			const status = outcome.error instanceof ApiRequestError ? outcome.error.status : -1;
			const rewatch = outcome.beforeOpen && (status === 0 || status === 429);
			return {relist: !rewatch, restart: true, backoff: outcome.error};
		}
	}
}

// Starts list+watch for one collection; returns at once, reporting progress through the callbacks.
export function reflect<T>(opts: ReflectOptions<T>): Reflector {
	const timing = opts.timing ?? {};
	const random = timing.random ?? Math.random;
	const now = timing.now ?? Date.now;
	const timers: Timers = timing.timers ?? REAL_TIMERS;
	const stallMs = timing.stallMs ?? 90_000;
	const minWatchS = timing.minWatchTimeoutSeconds ?? 300;
	const healthyMs = timing.healthyWatchMs ?? 60_000;
	const shortMs = timing.shortWatchMs ?? 1000;
	const requestTimeoutMs = timing.requestTimeoutMs ?? 60_000;
	const transform = opts.transform ?? stripNoise<T>;
	const stopper = new AbortController();
	const stopSignal = stopper.signal;

	let lastRv = '';
	let rvUnavailable = false;
	let attempt = 0;
	let restarts = 0;
	let current: WatchState | undefined;
	let everWatched = false;
	let lostAt: number | undefined;

	type Extra = {error?: string; retryInMs?: number; attempt?: number; status?: number};
	const setState = (phase: WatchState['phase'], extra: Extra = {}) => {
		if (stopSignal.aborted) return;
		if (phase === 'watching') {
			everWatched = true;
			lostAt = undefined;
		} else if (everWatched && lostAt === undefined) lostAt = now();
		if (
			current &&
			current.phase === phase &&
			current.error === extra.error &&
			current.retryInMs === extra.retryInMs &&
			current.attempt === extra.attempt &&
			current.restarts === restarts &&
			current.lostAt === lostAt
		)
			return;
		current = {phase, since: now(), restarts, ...extra, lostAt};
		for (const key of ['error', 'retryInMs', 'attempt', 'status', 'lostAt'] as const) if (current[key] === undefined) delete current[key];
		try {
			opts.onState(current);
		} catch {
			// Nowhere left to report to; the watch itself goes on.
		}
	};

	const sleep = (ms: number) =>
		new Promise<void>((resolve) => {
			if (stopSignal.aborted) return resolve();
			const handle = timers.setTimeout(() => {
				stopSignal.removeEventListener('abort', onAbort);
				resolve();
			}, ms);
			const onAbort = () => {
				timers.clearTimeout(handle);
				resolve();
			};
			stopSignal.addEventListener('abort', onAbort, {once: true});
		});

	const backoff = async (error: Error) => {
		const ms = backoffDelay(attempt, timing, random);
		attempt++;
		const status = error instanceof ApiRequestError ? error.status : 0;
		const fatalLooking = status === 401 || status === 403 || status === 404;
		setState(fatalLooking ? 'error' : 'backoff', {error: error.message, retryInMs: ms, attempt, status});
		await sleep(ms);
	};

	const timeoutError = (what: string) =>
		new ApiRequestError(
			`${what} ${opts.path}: no answer from ${opts.conn.clusterServer} within ${Math.round(requestTimeoutMs / 1000)} s`,
			0,
			undefined,
			'ETIMEDOUT',
		);

	// The answer to the first list, when it was asked for ahead (list-off-thread.ts); taken once.
	let early = opts.first;

	// The list step and the full replace it ends with; false when the loop must go round again.
	const listStep = async (): Promise<boolean> => {
		// A forbidden kind retries quietly: it stays 'error' (403) until a list succeeds, so the header does not flicker.
		if (!(current?.phase === 'error' && current.status === 403)) setState('listing');
		let result: ListAnswer<T> | undefined;
		if (early) {
			const answer = early;
			early = undefined;
			result = await answer.catch(() => undefined);
			if (stopSignal.aborted) return false;
		}
		try {
			result ??= await listAll<T>(
				{...opts, resourceVersion: rvUnavailable ? '' : lastRv === '' ? '0' : lastRv, transform},
				pageDeadlines(stopSignal, requestTimeoutMs, timers),
				() => timeoutError('list'),
			);
		} catch (error) {
			if (stopSignal.aborted) return false;
			if (isExpired(error) && !rvUnavailable) {
				// The resourceVersion we listed at is gone: list the latest state at once.
				rvUnavailable = true;
				return false;
			}
			restarts++;
			await backoff(error as Error);
			return false;
		}
		if (stopSignal.aborted) return false;
		rvUnavailable = false;
		lastRv = result.resourceVersion;
		opts.onSync(result.items, result.resourceVersion);
		return true;
	};

	// The watch step: opens a watch from lastRv and reads it until it ends; each line goes through handleWatchLine.
	const watchStream = async (): Promise<WatchOutcome> => {
		const started = now();
		const timeoutSeconds = Math.floor(minWatchS * (1 + random()));
		const abort = new AbortController();
		const onStop = () => abort.abort();
		stopSignal.addEventListener('abort', onStop, {once: true});
		// Until the response headers arrive, a deadline; after that, the stall timer.
		let headersLate = false;
		const headersTimer = timers.setTimeout(() => {
			headersLate = true;
			abort.abort();
		}, requestTimeoutMs);
		let res: http.IncomingMessage;
		try {
			res = await openRequest(opts.conn, opts.path, {
				signal: abort.signal,
				query: {
					watch: 1,
					resourceVersion: lastRv,
					allowWatchBookmarks: true,
					timeoutSeconds,
					labelSelector: opts.labelSelector,
					fieldSelector: opts.fieldSelector,
				},
			});
		} catch (error) {
			timers.clearTimeout(headersTimer);
			stopSignal.removeEventListener('abort', onStop);
			if (stopSignal.aborted) return {kind: 'stopped'};
			return {
				kind: 'error',
				error: headersLate ? timeoutError('watch') : (error as Error),
				events: 0,
				durationMs: now() - started,
				beforeOpen: true,
			};
		}
		timers.clearTimeout(headersTimer);
		const status = res.statusCode ?? 0;
		if (status !== 200) {
			let text = '';
			try {
				text = await readBody(opts.conn.clusterServer, res);
			} catch {
				// The status code alone is enough.
			}
			stopSignal.removeEventListener('abort', onStop);
			if (stopSignal.aborted) return {kind: 'stopped'};
			const error = statusError(`watch ${opts.path}`, status, text);
			if (isExpired(error)) return {kind: 'expired', error, events: 0, durationMs: now() - started};
			return {kind: 'error', error, events: 0, durationMs: now() - started, beforeOpen: true};
		}
		setState('watching');
		return new Promise<WatchOutcome>((resolve) => {
			let events = 0;
			let buffered = '';
			let settled = false;
			let stallHandle: unknown;
			const healthyHandle = timers.setTimeout(() => {
				attempt = 0;
			}, healthyMs);
			const finish = (outcome: WatchOutcome) => {
				if (settled) return;
				settled = true;
				timers.clearTimeout(stallHandle);
				timers.clearTimeout(healthyHandle);
				stopSignal.removeEventListener('abort', onStop);
				res.destroy();
				resolve(stopSignal.aborted ? {kind: 'stopped'} : outcome);
			};
			const armStall = () => {
				timers.clearTimeout(stallHandle);
				stallHandle = timers.setTimeout(() => finish({kind: 'stalled', events, durationMs: now() - started}), stallMs);
			};
			armStall();
			// One line through the handle-event step; false when it ended the watch.
			const onLine = (line: string): boolean => {
				const result = handleWatchLine(line, opts.path, transform, opts.onEvent);
				if (result.kind === 'expired' || result.kind === 'error') {
					const end = {events, durationMs: now() - started};
					finish(
						result.kind === 'expired'
							? {kind: 'expired', error: result.error, ...end}
							: {kind: 'error', error: result.error, ...end, beforeOpen: false},
					);
					return false;
				}
				events++;
				attempt = 0;
				if (result.kind !== 'ignored' && result.resourceVersion) lastRv = result.resourceVersion;
				return true;
			};
			// A throw in a stream callback would escape the loop's catch: it ends this watch as an error instead.
			const guarded = (fn: () => void) => () => {
				try {
					fn();
				} catch (error) {
					finish({kind: 'error', error: error as Error, events, durationMs: now() - started, beforeOpen: false});
				}
			};
			res.setEncoding('utf8');
			res.on('data', (chunk: string) =>
				guarded(() => {
					if (settled || stopSignal.aborted) return;
					armStall();
					const split = splitLines(buffered, chunk);
					buffered = split.rest;
					for (const line of split.lines) if (!onLine(line)) return;
				})(),
			);
			res.on(
				'end',
				guarded(() => {
					// A last line without a newline is still an event.
					const rest = buffered.trim();
					buffered = '';
					if (rest !== '' && !settled && !onLine(rest)) return;
					finish({kind: 'closed', events, durationMs: now() - started});
				}),
			);
			// A dropped connection ends the watch like a close: rewatch from the last resourceVersion.
			res.on('error', () => finish({kind: 'closed', events, durationMs: now() - started}));
			res.on('close', () => finish({kind: 'closed', events, durationMs: now() - started}));
		});
	};

	// The supervisor: list when needed, watch, decide; an unexpected throw anywhere is reported and retried.
	const run = async () => {
		setState('connecting');
		let needList = true;
		while (!stopSignal.aborted) {
			try {
				if (needList) {
					if (!(await listStep())) continue;
					needList = false;
				}
				const outcome = await watchStream();
				if (outcome.kind === 'stopped') return;
				const next = afterWatch(outcome, opts.path, shortMs);
				if (next.restart) restarts++;
				if (outcome.kind === 'stalled') setState('stalled', {error: `no data from the watch for ${Math.round(stallMs / 1000)} s`});
				if (next.backoff) await backoff(next.backoff);
				if (next.relist) needList = true;
			} catch (error) {
				if (stopSignal.aborted) return;
				// A bug or a throwing callback: say so, back off, and start again from a fresh list.
				restarts++;
				await backoff(new Error(`the reflector for ${opts.path} failed (${(error as Error)?.message ?? String(error)}); retrying`));
				needList = true;
			}
		}
	};

	run().catch((error: unknown) => {
		// run() catches inside its loop; this is the last line of defence against an unhandled rejection.
		setState('error', {error: `the reflector for ${opts.path} stopped: ${(error as Error)?.message ?? String(error)}`});
	});

	return {
		stop() {
			stopper.abort();
		},
	};
}
