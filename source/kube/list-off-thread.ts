// A list read and parsed on a worker thread (list-worker.ts). At start-up the cockpit's one thread compiles Ink,
// React and its screens while the first list of thousands of pods arrives; parsing 20 MB of JSON there as well held
// the first frame back by the parse and its garbage collection. The worker reads the answer, parses it in batches as
// it arrives and keeps the lean copy of each object (lean-pod.ts); the cockpit's thread only receives those, batch
// by batch.
import {Worker} from 'node:worker_threads';
import type {Connection} from './connect.js';
import {ApiRequestError, type PortableAuth, portableAuth} from './http.js';
import {LIST_TRANSFORMS, type ListTransform} from './lean-pod.js';
import {type EarlyList, type ListAnswer, listAll, pageDeadlines} from './watch.js';

// What the worker is asked to list (its transform by name).
export type ListJob = {
	auth: PortableAuth;
	path: string;
	labelSelector?: string;
	fieldSelector?: string;
	resourceVersion: string;
	requestTimeoutMs: number;
	transform: ListTransform;
};

// What the worker posts back: each batch's objects (the last one with the list's resourceVersion), then done or the
// error the list ended with.
export type WorkerReply =
	| {type: 'page'; items: unknown[]; resourceVersion?: string}
	| {type: 'done'}
	| {type: 'error'; message: string; status: number; reason?: string; code?: string};

// The list a reflector asks for first (resourceVersion 0: any cached version, in one answer, as an API server serves
// it from its cache), listed on a worker thread, before the reflector exists: the cockpit lists its pods as soon as
// the start-up checks have read the deployment, and hands the answer to the reflector (ReflectOptions.first). When
// the connection's requests cannot be sent from another thread (a proxy, client-node's auth-providers), it is
// listed on this one.
export function listOffThread<T>(opts: {
	conn: Connection;
	path: string;
	labelSelector?: string;
	fieldSelector?: string;
	transform: ListJob['transform'];
	requestTimeoutMs?: number;
}): EarlyList<T> {
	const requestTimeoutMs = opts.requestTimeoutMs ?? 60_000;
	// Started ahead (startListWorker), or now: the thread boots while the credentials are made ready.
	const worker = ahead ?? startWorker();
	ahead = undefined;
	const stopper = new AbortController();
	const answer = (async (): Promise<ListAnswer<T>> => {
		const ready = await portableAuth(opts.conn).catch((error: unknown) => {
			void worker.terminate();
			throw error;
		});
		stopper.signal.throwIfAborted();
		if (!ready) {
			void worker.terminate();
			return listAll<T>(
				{...opts, resourceVersion: '0', transform: LIST_TRANSFORMS[opts.transform] as (raw: unknown) => T},
				pageDeadlines(stopper.signal, requestTimeoutMs),
				() =>
					new ApiRequestError(`list ${opts.path}: no answer within ${Math.round(requestTimeoutMs / 1000)} s`, 0, undefined, 'ETIMEDOUT'),
			);
		}
		const job: ListJob = {
			auth: ready.auth,
			path: opts.path,
			labelSelector: opts.labelSelector,
			fieldSelector: opts.fieldSelector,
			resourceVersion: '0',
			requestTimeoutMs,
			transform: opts.transform,
		};
		try {
			return await received<T>(worker, job, stopper.signal, opts.path);
		} catch (error) {
			if (error instanceof ApiRequestError && error.status === 401) opts.conn.kubeConfig.credentialsRefused?.(ready.opts);
			throw error;
		} finally {
			void worker.terminate();
		}
	})();
	// Whoever takes the answer handles its failure; one nobody takes must not go unhandled.
	answer.catch(() => {});
	return {
		labelSelector: opts.labelSelector,
		answer,
		abort: () => {
			stopper.abort();
			void worker.terminate();
		},
	};
}

// A worker started before it is needed (startListWorker), for the next listOffThread.
let ahead: Worker | undefined;

// Starts the next list's worker thread now: it boots (some 50 ms) while the caller waits for what it needs to ask for
// the list. A worker nobody takes holds nothing up: it is unreferenced, and ends with the process.
export function startListWorker(): void {
	ahead ??= startWorker();
}

// Hands the job to the worker and gathers its pages until it is done, fails, dies or `stop` aborts.
function received<T>(worker: Worker, job: ListJob, stop: AbortSignal, path: string): Promise<ListAnswer<T>> {
	return new Promise((resolve, reject) => {
		const items: T[] = [];
		let resourceVersion = '';
		const onAbort = () => reject(new ApiRequestError(`list ${path} aborted`, 0, undefined, 'ABORT_ERR'));
		stop.addEventListener('abort', onAbort, {once: true});
		const settle = () => stop.removeEventListener('abort', onAbort);
		worker.on('message', (reply: WorkerReply) => {
			if (reply.type === 'page') {
				for (const item of reply.items) items.push(item as T);
				resourceVersion = reply.resourceVersion ?? resourceVersion;
				return;
			}
			settle();
			if (reply.type === 'done') resolve({items, resourceVersion});
			else reject(new ApiRequestError(reply.message, reply.status, reply.reason, reply.code));
		});
		worker.once('error', (error) => {
			settle();
			reject(new ApiRequestError(`list ${path}: its worker thread failed: ${error.message}`, 0));
		});
		worker.once('exit', (code) => {
			settle();
			reject(new ApiRequestError(`list ${path}: its worker thread ended (exit code ${code})`, 0));
		});
		worker.postMessage(job);
	});
}

// The worker thread. Built, it is chunks/list-worker.js beside this module's chunk (scripts/build.mjs checks that);
// run from the sources (tests and development, through tsx), it is TypeScript, and Node 20 does not hand tsx's loader
// to worker threads: the worker registers it first.
function startWorker(): Worker {
	const here = import.meta.url;
	const entry = JSON.stringify(new URL('./list-worker.ts', here).href);
	const worker = here.endsWith('.ts')
		? new Worker(`import('tsx/esm/api').then(({register}) => { register(); return import(${entry}); });`, {
				eval: true,
				resourceLimits: WORKER_LIMITS,
			})
		: new Worker(new URL('./list-worker.js', here), {resourceLimits: WORKER_LIMITS});
	worker.unref();
	// A worker that fails to start is told to whoever takes it (received); one started ahead and never taken must not
	// crash the process with an unhandled 'error'.
	worker.on('error', () => {});
	return worker;
}

// A young generation that holds a batch's parsed objects until they are sent: with V8's default, each batch's
// objects were copied about twice and promoted to the old generation, only to die once posted.
const WORKER_LIMITS = {maxYoungGenerationSizeMb: 64};
