// The embedded cluster's API server: HTTPS on 127.0.0.1 with a CA made at start, a bearer token, a kubeconfig
// that real kubectl and @kubernetes/client-node accept, and the Kubernetes REST API over the Store.
import {createServer, type Server} from 'node:https';
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {ApiError, expired, internalError, noSuchResource, unauthorized} from './errors.js';
import {impersonate} from './auth/impersonation.js';
import type {Faults, RequestDecision} from './faults/faults.js';
import {forbidden, RbacAuthorizer} from './auth/rbac.js';
import {RequestLog, type RequestRecord} from './request-log.js';
import {requestInfoOf, type RequestInfo} from './api/request-info.js';
import {Authenticator, generateCredentials, type SimCredentials} from './auth/users.js';
import {kubeconfigYaml} from './auth/kubeconfig.js';
import {credentialPluginCommand} from './auth/exec-credential.js';
import type {Clock} from './clock.js';
import type {Store} from './store.js';
import {openapiV2, openapiV3Document, openapiV3Index} from './codec/openapi.js';
import {ServiceAllocator} from './api/allocators.js';
import {generateServingCerts, type ServingCerts} from './api/certs.js';
import {negotiate, sendError, sendGoNotFound, sendJson, sendJsonText} from './api/content.js';
import {
	aggregatedContentType,
	aggregatedDiscovery,
	apiGroupDocument,
	apiGroupList,
	apiVersions,
	defaultVersion,
	resourceList,
	versionInfo,
	wantsAggregated,
	type ServerVersion,
} from './api/discovery.js';
import {handleResource, type HandlerContext} from './api/handlers.js';
import {route, type Route} from './api/router.js';
import {parseQuery} from './api/query.js';
import type {ContainerLogSource} from './api/pod-logs.js';

export type ApiServerOptions = {
	store: Store;
	clock: Clock;
	/** 0 (random) by default; the host is always 127.0.0.1. */
	port?: number;
	/** The admin's bearer token; random by default. */
	token?: string;
	/** Every user's secrets (the admin token included); random by default. */
	credentials?: SimCredentials;
	/** Asked before a nodePort is handed out: true if 127.0.0.1:port can be served (the router binds it). */
	reserveNodePort?: (port: number) => Promise<boolean>;
	releaseNodePort?: (port: number) => void;
	/** What /version reports; v1.32.x by default. */
	version?: ServerVersion;
	/** Reuse certificates (tests that start many servers); made fresh by default. */
	certs?: ServingCerts;
	/** Real milliseconds between watch bookmarks for clients that allow them. @default 10000 */
	bookmarkIntervalMs?: number;
	/** The longest a watch without timeoutSeconds stays open, in seconds. @default 1800 */
	maxWatchSeconds?: number;
	/** The kubelets' container logs, which pods/log reads; without it every pod's log is empty. */
	containerLogs?: ContainerLogSource;
	/** Called after each request (method, path without query, status code): for debugging; never sees headers. */
	onRequest?: (method: string, path: string, code: number) => void;
	/** The fault injector the server consults for each request and each watch; none by default. */
	faults?: Faults;
	/** Where requests are recorded; a fresh log by default. */
	requests?: RequestLog;
};

export type ApiServer = {
	url: string;
	token: string;
	caPem: string;
	port: number;
	/** Every request received (method, path, query, user, status, times). */
	requests: RequestLog;
	kubeconfig(options?: {contextName?: string; namespace?: string}): string;
	/**
	 * Restarts the server as a process restart would: the port closes, every connection is reset, and after `down`
	 * (milliseconds, or until a promise settles: a test keeps it down until it has seen what it waits for) it listens
	 * again on the same port with the same certificates, tokens and store.
	 */
	restart(down?: number | Promise<unknown>): Promise<void>;
	close(): Promise<void>;
};

/** The kubeconfig YAML (one context per user); re-exported where it always was. */
export {kubeconfigYaml};

/** The answer to a request that a fault turned away before it reached the routes. */
function sendTooManyRequests(res: ServerResponse, retryAfter: number): void {
	// The apiserver's max-in-flight and priority-and-fairness filters answer with Go's http.Error: plain text, not a Status.
	res.writeHead(429, {
		'Content-Type': 'text/plain; charset=utf-8',
		'X-Content-Type-Options': 'nosniff',
		'Retry-After': String(retryAfter),
	});
	res.end('Too many requests, please try again later.\n');
}

/** The resourceVersion a watch resumes from, when it is one the store has compacted away. */
function expiredResume(info: RequestInfo, query: URLSearchParams, store: Store): number | undefined {
	if (info.verb !== 'watch' || query.get('sendInitialEvents') === 'true') return undefined;
	const rv = query.get('resourceVersion');
	if (!rv || !/^\d+$/.test(rv) || rv === '0') return undefined;
	return Number(rv) < store.oldestResumable ? Number(rv) : undefined;
}

/** Starts the API server; resolves once it listens. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
	const certs = options.certs ?? (await generateServingCerts(options.clock.now()));
	const credentials = options.credentials ?? generateCredentials(options.token);
	const token = credentials.adminToken;
	const authenticator = new Authenticator(credentials);
	const authorizer = new RbacAuthorizer(options.store);
	const version = options.version ?? defaultVersion;
	const faults = options.faults;
	const requests = options.requests ?? new RequestLog();
	const ctx: HandlerContext = {
		store: options.store,
		clock: options.clock,
		allocator: new ServiceAllocator({
			store: options.store,
			reserveNodePort: options.reserveNodePort,
			releaseNodePort: options.releaseNodePort,
		}),
		bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
		maxWatchMs: (options.maxWatchSeconds ?? 1800) * 1000,
		faults,
		authorizer,
		containerLogs: options.containerLogs,
	};

	/** The faults decided for this request (its record names them), after the latency they add. */
	const faultsFor = async (info: RequestInfo, record: RequestRecord): Promise<RequestDecision | undefined> => {
		if (!faults) return undefined;
		const decision = faults.decide({
			verb: info.verb,
			resource: info.resource,
			isResourceRequest: info.isResourceRequest,
			isWatch: info.verb === 'watch',
		});
		if (decision.faults.length > 0) record.fault = decision.faults.join('+');
		if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
		return decision;
	};

	/** The faults that hit an authorized request before the routes: a stalled watch, a 500, an HTTP 410 on a resume. True when answered. */
	const faultAfterAuthorization = (
		res: ServerResponse,
		decision: RequestDecision | undefined,
		info: RequestInfo,
		query: URLSearchParams,
		record: RequestRecord,
	): boolean => {
		if (!faults || !decision) return false;
		if (decision.stall) {
			// The connection stays open and not one byte is sent, headers included, until the client gives up.
			const tap = faults.openWatch({resource: info.resource, destroy: () => res.destroy()});
			res.on('close', () => tap.closed());
			return true;
		}
		if (decision.internalError) throw internalError('injected by rollout-cockpit sim --faults (error:code=500)');
		if (faults.expireAs === 'http') {
			const rv = expiredResume(info, query, options.store);
			if (rv !== undefined) {
				record.fault = [record.fault, 'expire'].filter(Boolean).join('+');
				throw expired(`too old resource version: ${rv} (${options.store.oldestResumable})`);
			}
		}
		return false;
	};

	const handle = async (
		req: IncomingMessage,
		res: ServerResponse,
		query: URLSearchParams,
		r: Route,
		info: RequestInfo,
		record: RequestRecord,
	): Promise<void> => {
		// The apiserver's filter order: authentication, impersonation, then priority and fairness (429), then authorization.
		const authenticated = authenticator.authenticate(req);
		if (!authenticated) throw unauthorized();
		const user = impersonate(req, authenticated, (u, a) => authorizer.authorize(u, a));
		if ('status' in user) {
			if (user.status === 403) throw forbidden(authenticated, user.attributes, user.reason);
			req.resume();
			res.writeHead(500, {'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff'});
			res.end(user.text);
			return;
		}
		record.user = user.name;
		const decision = await faultsFor(info, record);
		if (decision?.tooManyRequests) {
			req.resume();
			sendTooManyRequests(res, decision.tooManyRequests.retryAfter);
			return;
		}
		const verdict = authorizer.authorize(user, info);
		if (!verdict.allowed) throw forbidden(user, info, verdict.reason);
		if (faultAfterAuthorization(res, decision, info, query, record)) return;
		const method = req.method ?? 'GET';
		// Past authorization, a group or version nobody serves falls through every API handler to Go's http.NotFound,
		// whatever the method (apiserver util/notfoundhandler): kubectl 1.27's auth whoami reads that 404 as "not served"
		// and tries its next version, where a 405 would stop it.
		if (r.type === 'unserved') return sendGoNotFound(req, res);
		if (r.type !== 'resource' && method !== 'GET' && method !== 'HEAD') {
			throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
		}
		switch (r.type) {
			case 'version':
				return sendJson(res, 200, versionInfo(version));
			case 'health':
				res.writeHead(200, {'Content-Type': 'text/plain; charset=utf-8'});
				res.end('ok');
				return;
			case 'api':
			case 'apis': {
				const aggregated = wantsAggregated(req.headers.accept);
				if (aggregated)
					return sendJsonText(
						res,
						200,
						JSON.stringify(aggregatedDiscovery(r.type === 'api', aggregated)),
						aggregatedContentType(aggregated),
					);
				negotiate(req.headers.accept, false);
				return sendJson(res, 200, r.type === 'api' ? apiVersions() : apiGroupList());
			}
			case 'group': {
				const doc = apiGroupDocument(r.group);
				if (!doc) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
				return sendJson(res, 200, doc);
			}
			case 'groupVersion': {
				const doc = resourceList(r.group, r.version);
				if (!doc) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
				return sendJson(res, 200, doc);
			}
			case 'openapiV2': {
				const doc = openapiV2(req.headers.accept);
				if (!doc) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
				const body =
					Buffer.isBuffer(doc.body) || doc.body instanceof Uint8Array
						? Buffer.from(doc.body)
						: Buffer.from(typeof doc.body === 'string' ? doc.body : JSON.stringify(doc.body));
				res.writeHead(200, {'Content-Type': doc.contentType, 'Content-Length': body.length});
				res.end(body);
				return;
			}
			case 'openapiV3Index':
				return sendJson(res, 200, openapiV3Index());
			case 'openapiV3': {
				const doc = openapiV3Document(r.groupVersion);
				if (!doc) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
				return sendJson(res, 200, doc);
			}
			case 'resource':
				return handleResource(ctx, req, res, r, query, user);
			case 'notFound':
				throw noSuchResource();
		}
	};

	// Client certificates are asked for, not required: a client without one goes on to the bearer token.
	const tls = {key: certs.keyPem, cert: certs.certPem, ca: certs.caPem, requestCert: true, rejectUnauthorized: false};
	const server: Server = createServer(tls, (req, res) => {
		const method = req.method ?? 'GET';
		const url = new URL(req.url ?? '/', 'https://127.0.0.1');
		const rawUrl = req.url ?? '/';
		const query = parseQuery(rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1).split('#')[0]! : '');
		const r = route(url.pathname);
		const info = requestInfoOf(method, url.pathname, r, query);
		const record = requests.start({
			time: Date.now(),
			method,
			path: url.pathname,
			query: url.search.slice(1),
			user: '',
			verb: info.verb,
			resource: info.resource,
		});
		const ended = () => {
			if (record.end !== undefined) return;
			record.end = Date.now();
			record.status = res.headersSent ? res.statusCode : 0;
		};
		res.on('finish', () => {
			ended();
			options.onRequest?.(method, url.pathname, res.statusCode);
		});
		res.on('close', ended);
		handle(req, res, query, r, info, record)
			.then(() => {
				// A watch streams on: its status is known once its headers went out.
				if (res.headersSent) record.status = res.statusCode;
			})
			.catch((error) => {
				if (!(error instanceof ApiError)) console.error('sim api: internal error:', error);
				// The body may be half read (an error before reading it): drain it so the connection stays usable.
				req.resume();
				sendError(res, error);
			});
	});
	// Every TCP connection, from accept on: closeAllConnections() knows only those past the TLS handshake, and one caught
	// mid-handshake by a close would finish it afterwards, open a watch and hold close() (or a restart) forever.
	const sockets = new Set<Socket>();
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});
	// Watches stay open for many minutes; the default request timeouts would cut them.
	server.requestTimeout = 0;
	server.headersTimeout = 60_000;
	server.keepAliveTimeout = 60_000;
	const listen = (port: number) =>
		new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		});
	await listen(options.port ?? 0);
	const port = (server.address() as AddressInfo).port;
	const url = `https://127.0.0.1:${port}`;
	let closing: Promise<void> | undefined;
	let restarting: Promise<void> | undefined;

	// Stops listening and cuts every connection at once, watches and idle keep-alives alike (they would hold close()
	// forever); a restart and close() differ only in what comes after.
	const stopListening = () =>
		new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
			for (const socket of sockets) socket.destroy();
		});

	return {
		url,
		token,
		caPem: certs.caPem,
		port,
		requests,
		kubeconfig: (o = {}) =>
			kubeconfigYaml({url, caPem: certs.caPem, token, users: {credentials, client: certs.client, plugin: credentialPluginCommand()}, ...o}),
		restart(down = 0) {
			if (closing) return Promise.resolve();
			restarting ??= (async () => {
				await stopListening();
				if (typeof down !== 'number') await down.catch(() => undefined);
				else if (down > 0) await new Promise((resolve) => setTimeout(resolve, down));
				if (!closing) await listen(port);
			})().finally(() => {
				restarting = undefined;
			});
			return restarting;
		},
		close() {
			closing ??= (async () => {
				await restarting?.catch(() => undefined);
				if (server.listening) await stopListening();
			})();
			return closing;
		},
	};
}
