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
	return apiUrlOn(conn.clusterServer, apiPath, query);
}

// The URL for an API path on `server`, with the query parameters that are set.
export function apiUrlOn(server: string, apiPath: string, query: RequestOptions['query'] = {}): URL {
	const url = new URL(server.replace(/\/+$/, '') + apiPath);
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
	const res = await sendRequest(conn.clusterServer, url, opts, options);
	if (res.statusCode === 401) conn.kubeConfig.credentialsRefused?.(opts);
	return res;
}

// Sends a request made ready (TLS, auth, agent) to `server` and resolves with the response once headers arrive (any
// status); rejects on network errors. The signal aborts the request, then destroys the response the caller owns.
export function sendRequest(
	server: string,
	url: URL,
	opts: https.RequestOptions,
	options: Pick<RequestOptions, 'signal' | 'body'> = {},
): Promise<http.IncomingMessage> {
	options.signal?.throwIfAborted();
	const transport = url.protocol === 'http:' ? http : https;
	return new Promise((resolve, reject) => {
		const req = transport.request(url, opts, (res) => {
			options.signal?.removeEventListener('abort', onAbort);
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
			reject(new ApiRequestError(`request to ${server} aborted`, 0, undefined, 'ABORT_ERR'));
		};
		options.signal?.addEventListener('abort', onAbort, {once: true});
		req.on('error', (error: NodeJS.ErrnoException) => {
			options.signal?.removeEventListener('abort', onAbort);
			reject(networkError(server, error));
		});
		req.end(options.body);
	});
}

// GET (or another verb) and parse the JSON answer; non-2xx answers become ApiRequestError from their Status.
export async function requestJson<T>(conn: Connection, apiPath: string, options: RequestOptions = {}): Promise<T> {
	const res = await openRequest(conn, apiPath, options);
	return readJson<T>(conn.clusterServer, `${options.method ?? 'GET'} ${apiPath}`, res);
}

// The JSON answer of a response from `server` to `request` ("GET /path"); a non-2xx answer is an ApiRequestError
// from its Status.
export async function readJson<T>(server: string, request: string, res: http.IncomingMessage): Promise<T> {
	const text = await readBody(server, res);
	const status = res.statusCode ?? 0;
	if (status < 200 || status > 299) throw statusError(request, status, text);
	try {
		return JSON.parse(text) as T;
	} catch {
		throw new ApiRequestError(
			`${server}${request.slice(request.indexOf(' ') + 1)} answered ${status} with a body that is not JSON`,
			status,
		);
	}
}

// The whole body as a string (UTF-8 safe across chunk borders).
export async function readBody(server: string, res: http.IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	await streamBody(server, res, (chunk) => chunks.push(chunk));
	return Buffer.concat(chunks).toString('utf8');
}

// Hands each chunk of the body to `onChunk` as it arrives; resolves at its end, rejects when the connection fails or
// closes before the body is complete.
export function streamBody(server: string, res: http.IncomingMessage, onChunk: (chunk: Buffer) => void): Promise<void> {
	return new Promise((resolve, reject) => {
		res.on('data', (chunk: Buffer) => {
			try {
				onChunk(chunk);
			} catch (error) {
				res.destroy();
				reject(error);
			}
		});
		res.on('end', () => resolve());
		res.on('error', (error: NodeJS.ErrnoException) => reject(networkError(server, error)));
		res.on('close', () => {
			if (!res.complete)
				reject(new ApiRequestError(`connection to ${server} closed before the answer was complete`, 0, undefined, 'ECONNRESET'));
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

function networkError(server: string, error: NodeJS.ErrnoException): ApiRequestError {
	const what =
		error.code === 'ECONNREFUSED'
			? 'connection refused'
			: error.code === 'ENOTFOUND'
				? 'host not found'
				: error.code === 'ETIMEDOUT'
					? 'timed out'
					: error.message;
	return new ApiRequestError(`cannot reach ${server}: ${what}`, 0, undefined, error.code);
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

// A connection's TLS and auth as plain data, to send requests from another thread (list-worker.ts).
export type PortableAuth = {
	server: string;
	headers: http.OutgoingHttpHeaders;
	tls: Pick<https.RequestOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername'>;
};

// The connection's credentials made ready (an exec plugin run if it must be), as plain data; `opts` are the options
// they came from (a 401 to them is reported with conn.kubeConfig.credentialsRefused). Undefined when the requests
// need an agent of their own (a proxy, or client-node's auth-providers): another thread could not send them.
export async function portableAuth(conn: Connection): Promise<{auth: PortableAuth; opts: https.RequestOptions} | undefined> {
	const opts: https.RequestOptions = {headers: {}};
	try {
		await conn.kubeConfig.applyToHTTPSOptions(opts);
	} catch (error) {
		throw credentialError(conn, error);
	}
	const agent = opts.agent;
	if (agent !== undefined && agent !== false && agent.constructor !== https.Agent && agent.constructor !== http.Agent) return undefined;
	const tls: PortableAuth['tls'] = {};
	if (opts.ca !== undefined) tls.ca = opts.ca;
	if (opts.cert !== undefined) tls.cert = opts.cert;
	if (opts.key !== undefined) tls.key = opts.key;
	if (opts.rejectUnauthorized !== undefined) tls.rejectUnauthorized = opts.rejectUnauthorized;
	if (opts.servername !== undefined) tls.servername = opts.servername;
	return {auth: {server: conn.clusterServer, headers: {...(opts.headers as http.OutgoingHttpHeaders)}, tls}, opts};
}
