// Lean HTTP to the API server with the kubeconfig's TLS and auth (client-node applies them): plain
// JSON.parse instead of client-node's deserialiser, which costs time and memory on 5,000+ pods.
import http from 'node:http';
import https from 'node:https';
import type {Connection} from './connect.js';

// A failed API request: the HTTP status (0 when the server was not reached) and the metav1.Status reason.
export class ApiRequestError extends Error {
	override name = 'ApiRequestError';
	constructor(
		message: string,
		readonly status: number,
		readonly reason?: string,
		readonly code?: string,
	) {
		super(message);
	}
}

// True for 410 Gone / reason Expired: the resourceVersion is too old, only a fresh list can recover.
export function isExpired(error: unknown): boolean {
	return error instanceof ApiRequestError && (error.status === 410 || error.reason === 'Expired' || error.reason === 'Gone');
}

type RequestOptions = {
	signal?: AbortSignal;
	method?: string;
	body?: string;
	contentType?: string;
	query?: Record<string, string | number | boolean | undefined>;
};

// The URL for an API path on the connection's server, with the query parameters that are set.
export function apiUrl(conn: Connection, apiPath: string, query: RequestOptions['query'] = {}): URL {
	const url = new URL(conn.clusterServer.replace(/\/+$/, '') + apiPath);
	for (const [key, value] of Object.entries(query)) {
		if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
	}
	return url;
}

// Opens a request and resolves with the response once headers arrive (any status); rejects on network errors.
export async function openRequest(conn: Connection, apiPath: string, options: RequestOptions = {}): Promise<http.IncomingMessage> {
	const url = apiUrl(conn, apiPath, options.query);
	const opts: https.RequestOptions = {method: options.method ?? 'GET', headers: {Accept: 'application/json'}};
	try {
		await conn.kubeConfig.applyToHTTPSOptions(opts);
	} catch (error) {
		throw credentialError(conn, error);
	}
	if (options.body !== undefined) {
		(opts.headers as Record<string, string>)['Content-Type'] = options.contentType ?? 'application/json';
	}
	options.signal?.throwIfAborted();
	const transport = url.protocol === 'http:' ? http : https;
	return new Promise((resolve, reject) => {
		const req = transport.request(url, opts, (res) => {
			options.signal?.removeEventListener('abort', onAbort);
			if (res.statusCode === 401) conn.kubeConfig.credentialsRefused?.(opts);
			// From here the caller owns the response; aborting destroys it.
			if (options.signal) {
				const destroy = () => res.destroy();
				options.signal.addEventListener('abort', destroy, {once: true});
				res.once('close', () => options.signal?.removeEventListener('abort', destroy));
			}
			resolve(res);
		});
		const onAbort = () => {
			req.destroy();
			reject(new ApiRequestError(`request to ${conn.clusterServer} aborted`, 0, undefined, 'ABORT_ERR'));
		};
		options.signal?.addEventListener('abort', onAbort, {once: true});
		req.on('error', (error: NodeJS.ErrnoException) => {
			options.signal?.removeEventListener('abort', onAbort);
			reject(networkError(conn, error));
		});
		req.end(options.body);
	});
}

// GET (or another verb) and parse the JSON answer; non-2xx answers become ApiRequestError from their Status.
export async function requestJson<T>(conn: Connection, apiPath: string, options: RequestOptions = {}): Promise<T> {
	const res = await openRequest(conn, apiPath, options);
	const text = await readBody(conn, res);
	const status = res.statusCode ?? 0;
	if (status < 200 || status > 299) throw statusError(`${options.method ?? 'GET'} ${apiPath}`, status, text);
	try {
		return JSON.parse(text) as T;
	} catch {
		throw new ApiRequestError(`${conn.clusterServer}${apiPath} answered ${status} with a body that is not JSON`, status);
	}
}

// The whole body as a string (UTF-8 safe across chunk borders).
export function readBody(conn: Connection, res: http.IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		res.on('data', (chunk: Buffer) => chunks.push(chunk));
		res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		res.on('error', (error: NodeJS.ErrnoException) => reject(networkError(conn, error)));
		res.on('close', () => {
			if (!res.complete)
				reject(
					new ApiRequestError(`connection to ${conn.clusterServer} closed before the answer was complete`, 0, undefined, 'ECONNRESET'),
				);
		});
	});
}

// An ApiRequestError from a non-2xx answer, using the metav1.Status message when there is one.
export function statusError(request: string, status: number, text: string): ApiRequestError {
	let reason: string | undefined;
	let message: string | undefined;
	try {
		const body = JSON.parse(text) as {kind?: string; reason?: string; message?: string};
		if (body && body.kind === 'Status') {
			reason = body.reason;
			message = body.message;
		}
	} catch {
		// Not a Status: fall through to the generic text.
	}
	const hint = status === 401 ? ' (the credentials in the kubeconfig were refused)' : status === 403 ? ' (the user lacks permission)' : '';
	return new ApiRequestError(`${message ?? `HTTP ${status}`} (${request})${hint}`, status, reason);
}

function networkError(conn: Connection, error: NodeJS.ErrnoException): ApiRequestError {
	const what =
		error.code === 'ECONNREFUSED'
			? 'connection refused'
			: error.code === 'ENOTFOUND'
				? 'host not found'
				: error.code === 'ETIMEDOUT'
					? 'timed out'
					: error.message;
	return new ApiRequestError(`cannot reach ${conn.clusterServer}: ${what}`, 0, undefined, error.code);
}

// The kubeconfig's credentials could not be made ready (an exec plugin failed, a key file is missing): the request
// never left. A plugin that could not be started keeps its spawn error (errors.ts names the command).
function credentialError(conn: Connection, error: unknown): Error {
	const e = error as NodeJS.ErrnoException;
	if (typeof e?.syscall === 'string' && e.syscall.startsWith('spawn')) return e;
	const first = String(e?.message ?? error)
		.split('\n')[0]!
		.trim();
	const what = first === '' ? 'it failed without a message' : first;
	return new ApiRequestError(
		`the credentials of context ${JSON.stringify(conn.contextName)} could not be loaded: ${what}`,
		0,
		undefined,
		'ECREDENTIALS',
	);
}
