// The worker thread of list-off-thread.ts: lists one collection with the credentials it is handed, and posts the
// objects, transformed, in batches as the answer arrives (list-batches.ts parses them while the rest is still on
// the way). Reading and parsing thousands of objects here leaves the cockpit's thread free to compile and draw
// meanwhile; only the lean objects cross over.
import http from 'node:http';
import https from 'node:https';
import {parentPort} from 'node:worker_threads';
import {ApiRequestError, apiUrlOn, readJson, sendRequest, streamBody} from './http.js';
import {LIST_TRANSFORMS} from './lean-pod.js';
import {ItemBatcher} from './list-batches.js';
import type {ListJob, WorkerReply} from './list-off-thread.js';
import {type ListBody, pageDeadlines} from './watch.js';

const port = parentPort;
if (!port) throw new Error('list-worker.ts runs as a worker thread (list-off-thread.ts starts it)');
port.once('message', (job: ListJob) => {
	void run(job).then((reply) => port.postMessage(reply satisfies WorkerReply));
});

async function run(job: ListJob): Promise<WorkerReply> {
	const plain = job.auth.server.startsWith('http:');
	const agent = plain ? new http.Agent({keepAlive: true}) : new https.Agent({...job.auth.tls, keepAlive: true});
	const stop = new AbortController();
	const deadline = pageDeadlines(stop.signal, job.requestTimeoutMs);
	const transform = LIST_TRANSFORMS[job.transform];
	const post = (items: unknown[], resourceVersion?: string) =>
		port?.postMessage({type: 'page', items: items.map(transform), resourceVersion} satisfies WorkerReply);
	try {
		// Pages only if the server pages unasked (the job names no limit): each is streamed as the first is.
		let cont: string | undefined;
		do {
			const page = deadline();
			let body: ListBody;
			try {
				body = await streamPage(job, agent, cont, page.signal, post);
			} catch (error) {
				throw page.expired()
					? new ApiRequestError(
							`list ${job.path}: no answer within ${Math.round(job.requestTimeoutMs / 1000)} s`,
							0,
							undefined,
							'ETIMEDOUT',
						)
					: error;
			} finally {
				page.done();
			}
			post(body.items ?? [], body.metadata?.resourceVersion);
			cont = body.metadata?.continue || undefined;
		} while (cont);
		return {type: 'done'};
	} catch (error) {
		const e = error as Partial<ApiRequestError>;
		return {type: 'error', message: String(e.message ?? error), status: e.status ?? 0, reason: e.reason, code: e.code};
	} finally {
		stop.abort();
		agent.destroy();
	}
}

// One page of the list: its items go to `post` in batches as they arrive; resolves with the rest of the list (its
// metadata, and the last items).
async function streamPage(
	job: ListJob,
	agent: http.Agent,
	cont: string | undefined,
	signal: AbortSignal,
	post: (items: unknown[]) => void,
): Promise<ListBody> {
	const query = {
		resourceVersion: cont ? undefined : job.resourceVersion,
		continue: cont,
		labelSelector: job.labelSelector,
		fieldSelector: job.fieldSelector,
	};
	const url = apiUrlOn(job.auth.server, job.path, query);
	const opts: https.RequestOptions = {method: 'GET', headers: {...job.auth.headers, Accept: 'application/json'}, ...job.auth.tls, agent};
	const res = await sendRequest(job.auth.server, url, opts, {signal});
	const status = res.statusCode ?? 0;
	if (status < 200 || status > 299) return readJson<ListBody>(job.auth.server, `GET ${job.path}`, res);
	const batcher = new ItemBatcher(post);
	await streamBody(job.auth.server, res, (chunk) => batcher.push(chunk));
	try {
		return batcher.end();
	} catch {
		throw new ApiRequestError(`${job.auth.server}${job.path} answered ${status} with a body that is not JSON`, status);
	}
}
