// The embedded cluster's API server: HTTPS on 127.0.0.1 with a CA made at start, a bearer token, a kubeconfig
// that real kubectl and @kubernetes/client-node accept, and the Kubernetes REST API over the Store.
import {randomBytes, timingSafeEqual} from 'node:crypto';
import {createServer, type Server} from 'node:https';
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {ApiError, unauthorized} from './errors.js';
import type {Clock} from './clock.js';
import type {Store} from './store.js';
import {openapiV2, openapiV3Document, openapiV3Index} from './codec/openapi.js';
import {ServiceAllocator} from './api/allocators.js';
import {generateServingCerts, type ServingCerts} from './api/certs.js';
import {negotiate, sendError, sendJson, sendJsonText} from './api/content.js';
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
import {route} from './api/router.js';
import {parseQuery} from './api/query.js';

export type ApiServerOptions = {
	store: Store;
	clock: Clock;
	/** 0 (random) by default; the host is always 127.0.0.1. */
	port?: number;
	/** Random by default. */
	token?: string;
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
	/** Called after each request (method, path without query, status code): for debugging; never sees headers. */
	onRequest?: (method: string, path: string, code: number) => void;
};

export type ApiServer = {
	url: string;
	token: string;
	caPem: string;
	port: number;
	kubeconfig(options?: {contextName?: string; namespace?: string}): string;
	close(): Promise<void>;
};

function tokenMatches(header: string | undefined, expected: Buffer): boolean {
	if (!header?.startsWith('Bearer ')) return false;
	const given = Buffer.from(header.slice('Bearer '.length).trim());
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A kubeconfig for the server: the CA inline, and a token user. JSON strings are valid YAML scalars. */
export function kubeconfigYaml(options: {url: string; caPem: string; token: string; contextName?: string; namespace?: string}): string {
	const name = options.contextName ?? 'rollout-cockpit-sim';
	const q = JSON.stringify;
	return [
		'apiVersion: v1',
		'kind: Config',
		'clusters:',
		`- name: ${q(name)}`,
		'  cluster:',
		`    server: ${q(options.url)}`,
		`    certificate-authority-data: ${Buffer.from(options.caPem).toString('base64')}`,
		'contexts:',
		`- name: ${q(name)}`,
		'  context:',
		`    cluster: ${q(name)}`,
		`    user: ${q(name)}`,
		`    namespace: ${q(options.namespace ?? 'default')}`,
		`current-context: ${q(name)}`,
		'users:',
		`- name: ${q(name)}`,
		'  user:',
		`    token: ${q(options.token)}`,
		'preferences: {}',
		'',
	].join('\n');
}

/** Starts the API server; resolves once it listens. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
	const certs = options.certs ?? (await generateServingCerts(options.clock.now()));
	const token = options.token ?? randomBytes(24).toString('base64url');
	const tokenBytes = Buffer.from(token);
	const version = options.version ?? defaultVersion;
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
	};

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		if (!tokenMatches(req.headers.authorization, tokenBytes)) throw unauthorized();
		const url = new URL(req.url ?? '/', 'https://127.0.0.1');
		const rawUrl = req.url ?? '/';
		const query = parseQuery(rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1).split('#')[0]! : '');
		const r = route(url.pathname);
		const method = req.method ?? 'GET';
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
				return handleResource(ctx, req, res, r, query);
			case 'notFound':
				throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
		}
	};

	const server: Server = createServer({key: certs.keyPem, cert: certs.certPem}, (req, res) => {
		res.on('finish', () => options.onRequest?.(req.method ?? 'GET', (req.url ?? '/').split('?')[0]!, res.statusCode));
		handle(req, res).catch((error) => {
			if (!(error instanceof ApiError)) console.error('sim api: internal error:', error);
			// The body may be half read (an error before reading it): drain it so the connection stays usable.
			req.resume();
			sendError(res, error);
		});
	});
	// Watches stay open for many minutes; the default request timeouts would cut them.
	server.requestTimeout = 0;
	server.headersTimeout = 60_000;
	server.keepAliveTimeout = 60_000;

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const url = `https://127.0.0.1:${port}`;
	let closing: Promise<void> | undefined;

	return {
		url,
		token,
		caPem: certs.caPem,
		port,
		kubeconfig: (o = {}) => kubeconfigYaml({url, caPem: certs.caPem, token, ...o}),
		close() {
			closing ??= new Promise<void>((resolve) => {
				server.close(() => resolve());
				// Open watches and idle keep-alive connections would hold close() forever.
				server.closeAllConnections();
			});
			return closing;
		},
	};
}
