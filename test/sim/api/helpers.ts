// Shared set-up for the API tests: a store seeded like a fresh cluster (namespaces, nodes), a server on a random
// port, and a small HTTPS client that trusts the server's CA.
import {request as httpsRequest} from 'node:https';
import {generateServingCerts, type ServingCerts} from '../../../source/sim/api/certs.js';
import {ManualClock, ScaledClock, type Clock} from '../../../source/sim/clock.js';
import {startApiServer, type ApiServer, type ApiServerOptions} from '../../../source/sim/server.js';
import {Store, type KubeObject} from '../../../source/sim/store.js';
import {within} from '../../helpers/wait.js';

let certs: Promise<ServingCerts> | undefined;

/** One CA and serving certificate for every server a test process starts (key generation is the slow part). */
export function testCerts(): Promise<ServingCerts> {
	certs ??= generateServingCerts();
	return certs;
}

export const namespaceNames = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** A store with the four namespaces and nodes node1..node4, as a new cluster has. */
export function seededStore(options: ConstructorParameters<typeof Store>[0] = {}): Store {
	const store = new Store(options);
	for (const name of namespaceNames) {
		store.create('namespaces', {
			apiVersion: 'v1',
			kind: 'Namespace',
			metadata: {name, labels: {'kubernetes.io/metadata.name': name}},
			spec: {finalizers: ['kubernetes']},
			status: {phase: 'Active'},
		});
	}
	for (let i = 1; i <= 4; i++) {
		store.create('nodes', {
			apiVersion: 'v1',
			kind: 'Node',
			metadata: {name: `node${i}`, labels: {'kubernetes.io/hostname': `node${i}`}},
			spec: {},
			status: {conditions: [{type: 'Ready', status: 'True'}], addresses: [{type: 'InternalIP', address: '127.0.0.1'}]},
		});
	}
	return store;
}

export type TestServer = {
	server: ApiServer;
	store: Store;
	clock: Clock;
	/** A request with the server's token (unless `token` is given: '' sends none). */
	call(
		method: string,
		path: string,
		options?: {body?: unknown; contentType?: string; accept?: string; token?: string; timeoutMs?: number},
	): Promise<Response>;
	close(): Promise<void>;
};

export type Response = {status: number; headers: Record<string, string | string[] | undefined>; text: string; json: any};

/** Starts a server over a seeded store (or the given one). Close it in `after`. */
export async function startTestServer(options: Partial<ApiServerOptions> & {manualClock?: boolean} = {}): Promise<TestServer> {
	const store = options.store ?? seededStore();
	const clock = options.clock ?? (options.manualClock ? new ManualClock(Date.now()) : new ScaledClock(1));
	const certs = options.certs ?? (await within(testCerts(), 60_000, 'the test serving certificates'));
	const server = await within(startApiServer({...options, store, clock, certs}), 10_000, 'the test API server to listen');
	const call: TestServer['call'] = (method, path, o = {}) => {
		const token = o.token ?? server.token;
		let body: Buffer | undefined;
		if (o.body !== undefined)
			body = Buffer.isBuffer(o.body) ? o.body : Buffer.from(typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
		return new Promise((resolve, reject) => {
			const req = httpsRequest(
				`${server.url}${path}`,
				{
					method,
					ca: server.caPem,
					headers: {
						...(token ? {Authorization: `Bearer ${token}`} : {}),
						Accept: o.accept ?? 'application/json',
						...(body ? {'Content-Type': o.contentType ?? 'application/json', 'Content-Length': body.length} : {}),
					},
					timeout: o.timeoutMs ?? 10_000,
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c) => chunks.push(c));
					res.on('end', () => {
						const text = Buffer.concat(chunks).toString('utf8');
						let json: any;
						try {
							json = JSON.parse(text);
						} catch {
							json = undefined;
						}
						resolve({status: res.statusCode ?? 0, headers: res.headers, text, json});
					});
				},
			);
			req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
			req.on('error', reject);
			req.end(body);
		});
	};
	return {
		server,
		store,
		clock,
		call,
		close: () => within(server.close(), 10_000, 'the test API server to close').finally(() => clock.stop()),
	};
}

/** A minimal valid Deployment. */
export function deployment(name: string, overrides: Partial<KubeObject> = {}): KubeObject {
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name, labels: {app: name}},
		spec: {
			selector: {matchLabels: {app: name}},
			template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'nginx', image: 'nginx:1.18'}]}},
		},
		...overrides,
	};
}

/** A snapshot of everything in the store, to prove a rejected request changed nothing. */
export function storeSnapshot(store: Store): string {
	const all: Record<string, unknown> = {rv: store.resourceVersion};
	for (const r of ['namespaces', 'nodes', 'pods', 'services', 'endpoints', 'events', 'deployments', 'replicasets'])
		all[r] = store.list(r).items;
	return JSON.stringify(all);
}

// Waiting with a deadline has one home.
export {waitFor} from '../../helpers/wait.js';
