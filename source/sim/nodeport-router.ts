// The embedded cluster's kube-proxy for NodePort Services: it listens on 127.0.0.1:<nodePort> (and only
// there), sends each new connection to the next ready endpoint of the Service, round-robin, and answers as
// the container there would (Server: nginx/1.18.0, X-Pod-Name). Like a real data plane it does not know
// whether the pod still serves: an endpoint whose pod has stopped (SIGTERM, no preStop) resets the
// connection, and a Service without ready endpoints resets every connection.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {Socket} from 'node:net';
import type {ServingPods} from './controllers/serving.js';
import type {AccessEntry} from './controllers/container-output.js';
import type {Store, StoreEvent} from './store.js';

export type NodePortRouterOptions = {
	store: Store;
	servingPods: ServingPods;
	/** Reports a nodePort that could not be bound for a Service. @default console.error */
	onError?: (message: string) => void;
	/** Where each answered request is logged, as the container's server logs it (nginx's access log). */
	accessLog?: (podUid: string, container: string, entry: AccessEntry) => void;
};

type Route = {namespace: string; name: string; port: number; portName?: string; protocol: string};

type Listener = {server: Server; sockets: Set<Socket>};

/** Where one connection goes. */
type Target = {namespace: string; pod: string; port: number};

const host = '127.0.0.1';

function bodyFor(server: string, pod: string, image: string, node: string, podIP: string): {body: string; type: string} {
	const served = `Served by pod ${pod} (image ${image}) on ${node}, pod IP ${podIP}.`;
	if (server.startsWith('Apache')) {
		return {type: 'text/html', body: `<html><body><h1>It works!</h1>\n<p>${served}</p>\n</body></html>\n`};
	}
	return {
		type: 'text/html',
		body: `<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>${served}</p>\n</body>\n</html>\n`,
	};
}

/** Serves NodePort Services on loopback. */
export class NodePortRouter {
	private readonly store: Store;
	private readonly serving: ServingPods;
	private readonly onError: (message: string) => void;
	private readonly accessLog?: (podUid: string, container: string, entry: AccessEntry) => void;
	private readonly listeners = new Map<number, Listener>();
	private readonly binding = new Map<number, Promise<boolean>>();
	private readonly routes = new Map<number, Route>();
	private readonly turn = new Map<string, number>();
	private readonly targets = new WeakMap<Socket, Target>();
	private unsubscribe: (() => void) | undefined;
	private closed = false;

	constructor(options: NodePortRouterOptions) {
		this.store = options.store;
		this.serving = options.servingPods;
		this.onError = options.onError ?? ((message) => console.error(message));
		this.accessLog = options.accessLog;
	}

	/** Follows the store's Services: binds their nodePorts and routes them. */
	start(): void {
		if (this.unsubscribe) return;
		this.unsubscribe = this.store.subscribe((e) => this.onEvent(e));
		for (const svc of this.store.list('services').items) this.onEvent({type: 'ADDED', resource: 'services', object: svc, rv: 0});
	}

	/** The nodePorts bound now. */
	ports(): number[] {
		return [...this.listeners.keys()].sort((a, b) => a - b);
	}

	/**
	 * Binds 127.0.0.1:port for a nodePort about to be allocated: true when it is ours now (or was already),
	 * false when another process holds it (EADDRINUSE) or it cannot be bound.
	 */
	reserveNodePort(port: number): Promise<boolean> {
		if (this.closed) return Promise.resolve(false);
		if (this.listeners.has(port)) return Promise.resolve(true);
		const pending = this.binding.get(port);
		if (pending) return pending;
		const attempt = new Promise<boolean>((resolve) => {
			const sockets = new Set<Socket>();
			const server = createServer((req, res) => this.onRequest(port, req, res));
			server.keepAliveTimeout = 5000;
			server.on('connection', (socket) => {
				sockets.add(socket);
				socket.on('close', () => sockets.delete(socket));
				socket.on('error', () => {});
				this.onConnection(port, socket);
			});
			server.once('error', () => resolve(false));
			server.listen({port, host, exclusive: true}, () => {
				server.removeAllListeners('error');
				server.on('error', () => {});
				if (this.closed) {
					server.close();
					resolve(false);
					return;
				}
				this.listeners.set(port, {server, sockets});
				resolve(true);
			});
		}).finally(() => this.binding.delete(port));
		this.binding.set(port, attempt);
		return attempt;
	}

	/** Stops serving a nodePort (the Service is gone or the allocation was given back). */
	releaseNodePort(port: number): void {
		this.routes.delete(port);
		const l = this.listeners.get(port);
		if (!l) return;
		this.listeners.delete(port);
		for (const s of l.sockets) s.destroy();
		l.server.close();
	}

	/** Closes every port and stops following the store. */
	async close(): Promise<void> {
		this.closed = true;
		this.unsubscribe?.();
		this.unsubscribe = undefined;
		await Promise.allSettled([...this.binding.values()]);
		const closing: Promise<void>[] = [];
		for (const [port, l] of this.listeners) {
			this.listeners.delete(port);
			for (const s of l.sockets) s.destroy();
			closing.push(new Promise((resolve) => l.server.close(() => resolve())));
		}
		this.routes.clear();
		await Promise.all(closing);
	}

	private onEvent(e: StoreEvent): void {
		if (e.resource !== 'services' || this.closed) return;
		const svc = e.object;
		const namespace = svc.metadata.namespace!;
		const name = svc.metadata.name!;
		const wanted = new Map<number, Route>();
		if (e.type !== 'DELETED' && (svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer')) {
			for (const p of svc.spec?.ports ?? []) {
				if (typeof p.nodePort === 'number' && (p.protocol ?? 'TCP') === 'TCP') {
					wanted.set(p.nodePort, {namespace, name, port: p.port, portName: p.name, protocol: 'TCP'});
				}
			}
		}
		for (const [port, route] of this.routes) {
			if (route.namespace === namespace && route.name === name && !wanted.has(port)) this.releaseNodePort(port);
		}
		for (const [port, route] of wanted) {
			this.routes.set(port, route);
			if (!this.listeners.has(port)) {
				void this.reserveNodePort(port).then((ok) => {
					if (!ok && !this.closed && this.routes.get(port) === route)
						this.onError(`nodePort ${port} of service ${namespace}/${name}: 127.0.0.1:${port} is in use`);
				});
			}
		}
	}

	// kube-proxy picks an endpoint per connection; a Service with no ready endpoint gets a reset.
	private onConnection(nodePort: number, socket: Socket): void {
		const route = this.routes.get(nodePort);
		const target = route && this.pick(route);
		if (!target) {
			socket.resetAndDestroy();
			return;
		}
		this.targets.set(socket, target);
	}

	private pick(route: Route): Target | undefined {
		const ep = this.store.get('endpoints', route.namespace, route.name);
		const choices: Target[] = [];
		for (const subset of ep?.subsets ?? []) {
			const port = (subset.ports ?? []).find(
				(p: any) => (p.name ?? '') === (route.portName ?? '') && (p.protocol ?? 'TCP') === route.protocol,
			);
			if (!port) continue;
			for (const a of subset.addresses ?? []) {
				if (a.targetRef?.kind === 'Pod')
					choices.push({namespace: a.targetRef.namespace ?? route.namespace, pod: a.targetRef.name, port: port.port});
			}
		}
		if (choices.length === 0) return undefined;
		const key = `${route.namespace}/${route.name}/${route.port}`;
		const n = this.turn.get(key) ?? 0;
		this.turn.set(key, n + 1);
		return choices[n % choices.length];
	}

	// The server logs a request once its response is sent. This router is node1's kube-proxy: a pod on node1 sees
	// the connection from its bridge (10.244.1.1), a pod elsewhere from node1's tunnel address (10.244.1.0).
	private logRequest(
		req: IncomingMessage,
		res: ServerResponse,
		pod: {uid: string; nodeName: string},
		container: string,
		bodyBytes: number,
	): void {
		const log = this.accessLog;
		if (!log) return;
		const header = (name: string) => {
			const v = req.headers[name];
			return Array.isArray(v) ? v.join(', ') : v;
		};
		res.once('finish', () =>
			log(pod.uid, container, {
				at: Date.now(),
				remoteAddr: pod.nodeName === 'node1' ? '10.244.1.1' : '10.244.1.0',
				method: req.method ?? 'GET',
				url: req.url ?? '/',
				httpVersion: req.httpVersion,
				status: res.statusCode,
				bodyBytes,
				referer: header('referer'),
				userAgent: header('user-agent'),
				forwardedFor: header('x-forwarded-for'),
			}),
		);
	}

	private onRequest(nodePort: number, req: IncomingMessage, res: ServerResponse): void {
		const target = this.targets.get(req.socket);
		const found = target && this.serving.containerFor(target.namespace, target.pod, target.port);
		if (!found || !this.routes.has(nodePort)) {
			// The pod behind this connection does not listen (any more): the client sees a reset.
			req.socket.resetAndDestroy();
			return;
		}
		const {pod, container} = found;
		const headers: Record<string, string> = {
			Server: container.server,
			'X-Pod-Name': pod.name,
			'X-Pod-Namespace': pod.namespace,
			'X-Pod-IP': pod.podIP,
			'X-Node-Name': pod.nodeName,
			'X-Container-Image': container.image,
		};
		const send = (status: number, extra: Record<string, string>, body: string) => {
			res.writeHead(status, {...headers, ...extra});
			const sent = req.method === 'HEAD' ? '' : body;
			this.logRequest(req, res, pod, container.name, Buffer.byteLength(sent));
			res.end(sent === '' ? undefined : sent);
		};
		const path = (req.url ?? '/').split('?')[0];
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			send(
				405,
				{'Content-Type': 'text/html'},
				'<html>\n<head><title>405 Not Allowed</title></head>\n<body>\n<center><h1>405 Not Allowed</h1></center>\n</body>\n</html>\n',
			);
			return;
		}
		if (path !== '/' && path !== '/index.html') {
			send(
				404,
				{'Content-Type': 'text/html'},
				'<html>\n<head><title>404 Not Found</title></head>\n<body>\n<center><h1>404 Not Found</h1></center>\n</body>\n</html>\n',
			);
			return;
		}
		const {body, type} = bodyFor(container.server, pod.name, container.image, pod.nodeName, pod.podIP);
		send(200, {'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), 'Accept-Ranges': 'bytes'}, body);
	}
}
