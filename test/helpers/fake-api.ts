// The one scripted fake API server, for what the embedded cluster cannot be made to do on cue: a watch stream
// written line by line and split anywhere, a hung list, a 409 on the first PATCH, a write held open or dropped.
// Two ways to answer: startFakeApi queues every request until the test answers it (the reflector's tests);
// startScriptedApi answers each request with a handler and records it (the actions' tests).
import http from 'node:http';
import https from 'node:https';
import type {AddressInfo, Socket} from 'node:net';
import {KubeConfig} from '@kubernetes/client-node';
import {connectionFrom, type Connection} from '../../source/kube/connect.js';
import {closeServer, listenOnLoopback} from './ports.js';

// One request the server received, with ways to answer it.
export type FakeRequest = {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: http.IncomingHttpHeaders;
	body: string;
	res: http.ServerResponse;
	json(status: number, body: unknown): void;
	// Sends 200 + headers of a watch stream; then write() raw text and end().
	stream(): void;
	write(text: string): void;
	end(): void;
	// Resolves when the client has gone away (aborted or finished).
	closed: Promise<void>;
};

export type FakeApi = {
	url: string;
	token: string;
	requests: FakeRequest[];
	// The next request not yet taken (optionally the next matching one), waiting up to timeoutMs.
	next(match?: (r: FakeRequest) => boolean, timeoutMs?: number): Promise<FakeRequest>;
	// Requests received but not yet taken by next().
	pending(): FakeRequest[];
	openSockets(): number;
	kubeconfigYaml(options?: {namespace?: string; contextName?: string}): string;
	connection(namespace?: string): Connection;
	close(): Promise<void>;
};

export type FakeApiOptions = {tls?: {certPem: string; keyPem: string; caPem: string}; token?: string};

// Starts the fake on 127.0.0.1 with a random port.
export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
	const token = options.token ?? 'fake-token-0123456789abcdef';
	const requests: FakeRequest[] = [];
	const queue: FakeRequest[] = [];
	const waiters: {match: (r: FakeRequest) => boolean; resolve: (r: FakeRequest) => void}[] = [];
	const sockets = new Set<Socket>();

	const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			let resolveClosed!: () => void;
			// wait-ok: tests wait on it with within(); watch.test also follows it with .then().
			const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
			res.on('close', () => resolveClosed());
			const fake: FakeRequest = {
				method: req.method ?? 'GET',
				path: url.pathname,
				query: url.searchParams,
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
				res,
				json(status, body) {
					res.writeHead(status, {'Content-Type': 'application/json'});
					res.end(JSON.stringify(body));
				},
				stream() {
					res.writeHead(200, {'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked'});
					res.flushHeaders();
				},
				write(text) {
					res.write(text);
				},
				end() {
					res.end();
				},
				closed,
			};
			requests.push(fake);
			const i = waiters.findIndex((w) => w.match(fake));
			if (i >= 0) {
				const [w] = waiters.splice(i, 1);
				w!.resolve(fake);
			} else {
				queue.push(fake);
			}
		});
	};

	const server = options.tls
		? https.createServer({cert: options.tls.certPem, key: options.tls.keyPem}, handler)
		: http.createServer(handler);
	server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await listenOnLoopback(server);
	const port = (server.address() as AddressInfo).port;
	const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;

	const kubeconfigYaml: FakeApi['kubeconfigYaml'] = ({namespace, contextName = 'fake'} = {}) => {
		const cluster = options.tls
			? `    certificate-authority-data: ${Buffer.from(options.tls.caPem).toString('base64')}\n`
			: '    insecure-skip-tls-verify: true\n';
		return [
			'apiVersion: v1',
			'kind: Config',
			`current-context: ${contextName}`,
			'clusters:',
			'- name: fake-cluster',
			'  cluster:',
			`    server: ${url}`,
			cluster.trimEnd(),
			'users:',
			'- name: fake-user',
			'  user:',
			`    token: ${token}`,
			'contexts:',
			`- name: ${contextName}`,
			'  context:',
			'    cluster: fake-cluster',
			'    user: fake-user',
			namespace ? `    namespace: ${namespace}` : '',
			'',
		]
			.filter((l, i, a) => l !== '' || i === a.length - 1)
			.join('\n');
	};

	return {
		url,
		token,
		requests,
		next(match = () => true, timeoutMs = 5000) {
			const i = queue.findIndex(match);
			if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0]!);
			return new Promise((resolve, reject) => {
				const waiter = {
					match,
					resolve: (r: FakeRequest) => {
						clearTimeout(timer);
						resolve(r);
					},
				};
				const timer = setTimeout(() => {
					waiters.splice(waiters.indexOf(waiter), 1);
					reject(
						new Error(
							`fake API: no matching request within ${timeoutMs} ms (received: ${requests.map((r) => `${r.method} ${r.path}?${r.query}`).join(', ')})`,
						),
					);
				}, timeoutMs);
				waiters.push(waiter);
			});
		},
		pending: () => [...queue],
		openSockets: () => sockets.size,
		kubeconfigYaml,
		connection(namespace) {
			const kc = new KubeConfig();
			kc.loadFromString(kubeconfigYaml({namespace}));
			return connectionFrom(kc, namespace);
		},
		async close() {
			for (const s of sockets) s.destroy();
			await closeServer(server);
		},
	};
}

// One request the scripted server received: verb, path, query, Content-Type and the parsed body.
export type Recorded = {method: string; path: string; query: URLSearchParams; contentType?: string; body?: unknown};
// What the handler answers: a status and body; {hold} answers when its promise settles; 'drop' destroys the socket.
export type Answer = {status: number; body?: unknown} | 'drop' | {hold: Promise<{status: number; body?: unknown}>};
export type ScriptedApi = {conn: Connection; url: string; requests: Recorded[]; close(): Promise<void>};

// Starts a server that answers with `handler` and records every request; its Connection carries a token, as a kubeconfig user would.
export async function startScriptedApi(handler: (req: Recorded, index: number) => Answer | Promise<Answer>): Promise<ScriptedApi> {
	const requests: Recorded[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', async () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const text = Buffer.concat(chunks).toString('utf8');
			const recorded: Recorded = {
				method: req.method ?? '',
				path: url.pathname,
				query: url.searchParams,
				contentType: req.headers['content-type'],
				body: text === '' ? undefined : JSON.parse(text),
			};
			requests.push(recorded);
			let answer = await handler(recorded, requests.length - 1);
			if (answer === 'drop') {
				req.socket.destroy();
				return;
			}
			if ('hold' in answer) answer = await answer.hold;
			res.writeHead(answer.status, {'Content-Type': 'application/json'});
			res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
		});
	});
	await listenOnLoopback(server);
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const kc = new KubeConfig();
	kc.loadFromOptions({
		clusters: [{name: 'fake', server: url, skipTLSVerify: true}],
		users: [{name: 'me', token: 'secret-token'}],
		contexts: [{name: 'fake', cluster: 'fake', user: 'me', namespace: 'default'}],
		currentContext: 'fake',
	});
	return {
		conn: connectionFrom(kc),
		url,
		requests,
		close: () => closeServer(server),
	};
}

// A metav1.Status body as the API server sends with errors.
export function status(code: number, reason: string, message: string, causes?: {field: string; message: string; reason?: string}[]) {
	return {
		kind: 'Status',
		apiVersion: 'v1',
		metadata: {},
		status: 'Failure',
		message,
		reason,
		code,
		details: causes ? {name: 'nginx', group: 'apps', kind: 'deployments', causes} : undefined,
	};
}
