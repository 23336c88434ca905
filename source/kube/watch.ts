// A supervised list+watch with client-go's reflector rules, so the cockpit stays live through API server
// restarts, expired resourceVersions and half-dead connections, without ever polling.
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
};

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

// Drops what the cockpit never shows but would keep in memory for every object (managedFields,
// kubectl's last-applied-configuration copy of the whole object). Mutates and returns the object.
export function stripNoise<T>(raw: unknown): T {
	const obj = raw as {metadata?: {managedFields?: unknown; annotations?: Record<string, string> | null}};
	const meta = obj?.metadata;
	if (meta) {
		delete meta.managedFields;
		if (meta.annotations && LAST_APPLIED in meta.annotations) {
			delete meta.annotations[LAST_APPLIED];
		}
	}
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

type WatchOutcome =
	| {kind: 'closed'; events: number; durationMs: number}
	| {kind: 'stalled'; events: number; durationMs: number}
	| {kind: 'expired'; error: ApiRequestError; events: number; durationMs: number}
	| {kind: 'error'; error: Error; events: number; durationMs: number; beforeOpen: boolean}
	| {kind: 'stopped'};

type ListResult<T> = {items: T[]; resourceVersion: string};

type ListBody = {metadata?: {resourceVersion?: string; continue?: string}; items?: unknown[]};

type WatchLine = {
	type?: string;
	object?: {metadata?: {resourceVersion?: string}; kind?: string; code?: number; reason?: string; message?: string};
};

// Starts list+watch for one collection; returns at once, reporting progress through the callbacks.
export function reflect<T>(opts: ReflectOptions<T>): Reflector {
	const timing = opts.timing ?? {};
	const random = timing.random ?? Math.random;
	const now = timing.now ?? Date.now;
	const timers: Timers = timing.timers ?? {
		setTimeout: (fn, ms) => setTimeout(fn, ms),
		clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
	};
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

	const setState = (phase: WatchState['phase'], extra: {error?: string; retryInMs?: number} = {}) => {
		if (stopSignal.aborted) return;
		if (
			current &&
			current.phase === phase &&
			current.error === extra.error &&
			current.retryInMs === extra.retryInMs &&
			current.restarts === restarts
		)
			return;
		current = {phase, since: now(), restarts, ...extra};
		if (extra.error === undefined) delete current.error;
		if (extra.retryInMs === undefined) delete current.retryInMs;
		opts.onState(current);
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
		setState(fatalLooking ? 'error' : 'backoff', {error: error.message, retryInMs: ms});
		await sleep(ms);
	};

	// An abort signal that fires on stop() or after ms; done() releases the timer and the listener.
	const deadline = (ms: number) => {
		const ac = new AbortController();
		const onStop = () => ac.abort();
		stopSignal.addEventListener('abort', onStop, {once: true});
		let expired = false;
		const handle = timers.setTimeout(() => {
			expired = true;
			ac.abort();
		}, ms);
		return {
			signal: ac.signal,
			expired: () => expired,
			done: () => {
				timers.clearTimeout(handle);
				stopSignal.removeEventListener('abort', onStop);
			},
		};
	};

	const timeoutError = (what: string) =>
		new ApiRequestError(
			`${what} ${opts.path}: no answer from ${opts.conn.clusterServer} within ${Math.round(requestTimeoutMs / 1000)} s`,
			0,
			undefined,
			'ETIMEDOUT',
		);

	const relistRv = () => (rvUnavailable ? '' : lastRv === '' ? '0' : lastRv);

	const list = async (): Promise<ListResult<T>> => {
		const items: T[] = [];
		let resourceVersion = '';
		let cont: string | undefined;
		const rv = relistRv();
		do {
			const page = deadline(requestTimeoutMs);
			let body: ListBody;
			try {
				body = await requestJson<ListBody>(opts.conn, opts.path, {
					signal: page.signal,
					query: {
						resourceVersion: cont ? undefined : rv,
						limit: opts.pageSize && opts.pageSize > 0 ? opts.pageSize : undefined,
						continue: cont,
						labelSelector: opts.labelSelector,
						fieldSelector: opts.fieldSelector,
					},
				});
			} catch (error) {
				throw page.expired() ? timeoutError('list') : error;
			} finally {
				page.done();
			}
			for (const raw of body.items ?? []) items.push(transform(raw));
			resourceVersion = body.metadata?.resourceVersion ?? resourceVersion;
			cont = body.metadata?.continue || undefined;
		} while (cont);
		return {items, resourceVersion};
	};

	const watchOnce = async (): Promise<WatchOutcome> => {
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
				text = await readBody(opts.conn, res);
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
			const handleLine = (line: string): boolean => {
				let event: WatchLine;
				try {
					event = JSON.parse(line) as WatchLine;
				} catch {
					finish({
						kind: 'error',
						error: new ApiRequestError(`watch ${opts.path}: the server sent a line that is not JSON`, 200),
						events,
						durationMs: now() - started,
						beforeOpen: false,
					});
					return false;
				}
				const object = event.object;
				if (event.type === 'ERROR') {
					const code = object?.code ?? 0;
					const error = new ApiRequestError(`watch ${opts.path}: ${object?.message ?? 'error event'}`, code, object?.reason);
					finish(
						isExpired(error)
							? {kind: 'expired', error, events, durationMs: now() - started}
							: {kind: 'error', error, events, durationMs: now() - started, beforeOpen: false},
					);
					return false;
				}
				events++;
				attempt = 0;
				const rv = object?.metadata?.resourceVersion;
				if (event.type === 'BOOKMARK') {
					if (rv) lastRv = rv;
					return true;
				}
				if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') {
					try {
						opts.onEvent(event.type, transform(object));
					} catch (error) {
						finish({
							kind: 'error',
							error: new Error(`handling a ${event.type} event failed: ${(error as Error).message}`),
							events,
							durationMs: now() - started,
							beforeOpen: false,
						});
						return false;
					}
					if (rv) lastRv = rv;
				}
				return true;
			};
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				if (settled || stopSignal.aborted) return;
				armStall();
				buffered += chunk;
				// Complete lines are events; a partial last line waits for the next chunk.
				let start = 0;
				let newline = buffered.indexOf('\n');
				while (newline !== -1) {
					const line = buffered.slice(start, newline).trim();
					start = newline + 1;
					if (line !== '' && !handleLine(line)) return;
					newline = buffered.indexOf('\n', start);
				}
				buffered = buffered.slice(start);
			});
			res.on('end', () => {
				// A last line without a newline is still an event.
				const rest = buffered.trim();
				buffered = '';
				if (rest !== '' && !settled && !handleLine(rest)) return;
				finish({kind: 'closed', events, durationMs: now() - started});
			});
			// A dropped connection ends the watch like a close: rewatch from the last resourceVersion.
			res.on('error', () => finish({kind: 'closed', events, durationMs: now() - started}));
			res.on('close', () => finish({kind: 'closed', events, durationMs: now() - started}));
		});
	};

	const run = async () => {
		setState('connecting');
		let needList = true;
		while (!stopSignal.aborted) {
			if (needList) {
				setState('listing');
				let result: ListResult<T>;
				try {
					result = await list();
				} catch (error) {
					if (stopSignal.aborted) break;
					if (isExpired(error) && !rvUnavailable) {
						// The resourceVersion we listed at is gone: list the latest state at once.
						rvUnavailable = true;
						continue;
					}
					restarts++;
					await backoff(error as Error);
					continue;
				}
				if (stopSignal.aborted) break;
				rvUnavailable = false;
				lastRv = result.resourceVersion;
				opts.onSync(result.items, result.resourceVersion);
				needList = false;
			}
			const outcome = await watchOnce();
			switch (outcome.kind) {
				case 'stopped':
					return;
				case 'closed':
					if (outcome.events === 0 && outcome.durationMs < shortMs) {
						restarts++;
						await backoff(new Error(`watch ${opts.path} closed after ${outcome.durationMs} ms without any event`));
					}
					// A routine end (the server's timeoutSeconds): rewatch from the last resourceVersion.
					break;
				case 'stalled':
					restarts++;
					setState('stalled', {error: `no data from the watch for ${Math.round(stallMs / 1000)} s`});
					break;
				case 'expired':
					// 410 Gone: the resourceVersion left the server's window; only a relist recovers.
					restarts++;
					needList = true;
					break;
				case 'error': {
					restarts++;
					const error = outcome.error;
					const status = error instanceof ApiRequestError ? error.status : -1;
					// Unreachable server or 429: back off and rewatch from where we were (client-go).
					const rewatch = outcome.beforeOpen && (status === 0 || status === 429);
					await backoff(error);
					if (!rewatch) needList = true;
					break;
				}
			}
		}
	};

	void run().catch((error: unknown) => {
		if (!stopSignal.aborted) setState('error', {error: `reflector for ${opts.path} failed: ${(error as Error).message}`});
	});

	return {
		stop() {
			stopper.abort();
		},
	};
}
