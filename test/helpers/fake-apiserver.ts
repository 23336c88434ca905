// A static API server for checking model/ against the real kubectl: it serves legacy discovery and a fixed
// set of apps/v1 objects (get, list with label/field selectors, an idle watch), applies JSON-patch "replace"
// operations and records every PATCH body. Listens on 127.0.0.1 only; close() stops it.
import http from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

type Obj = {metadata?: {name?: string; namespace?: string; labels?: Record<string, string> | null} | null};

export type FakeApiServer = {
	url: string;
	// A kubeconfig file pointing at the server (and a private discovery cache dir for kubectl).
	kubeconfig: string;
	cacheDir: string;
	patches: {path: string; contentType: string; body: unknown}[];
	// Replaces the objects of a resource ("deployments", "replicasets", "pods", "events").
	set(resource: string, objects: readonly object[]): void;
	close(): Promise<void>;
};

const RESOURCES: Record<string, {kind: string; listKind: string; group: string; version: string}> = {
	deployments: {kind: 'Deployment', listKind: 'DeploymentList', group: 'apps', version: 'v1'},
	replicasets: {kind: 'ReplicaSet', listKind: 'ReplicaSetList', group: 'apps', version: 'v1'},
	pods: {kind: 'Pod', listKind: 'PodList', group: '', version: 'v1'},
	events: {kind: 'Event', listKind: 'EventList', group: '', version: 'v1'},
};

function apiResourceList(groupVersion: string, group: string) {
	return {
		kind: 'APIResourceList',
		apiVersion: 'v1',
		groupVersion,
		resources: Object.entries(RESOURCES)
			.filter(([, r]) => r.group === group)
			.map(([name, r]) => ({
				name,
				singularName: r.kind.toLowerCase(),
				namespaced: true,
				kind: r.kind,
				verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
				shortNames: {deployments: ['deploy'], replicasets: ['rs'], pods: ['po'], events: ['ev']}[name] ?? [],
			})),
	};
}

function matchesLabels(obj: Obj, selector: string | null): boolean {
	if (!selector) return true;
	const labels = obj.metadata?.labels ?? {};
	return selector.split(',').every((term) => {
		const [k, v] = term.split('=');
		return labels[k] === v;
	});
}

function applyReplace(target: Record<string, unknown>, path: string, value: unknown): void {
	const parts = path
		.split('/')
		.slice(1)
		.map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
	let node = target;
	for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
	node[parts[parts.length - 1]] = value;
}

// Starts the server on a random loopback port.
export async function startFakeApiServer(): Promise<FakeApiServer> {
	const store = new Map<string, Obj[]>();
	const patches: FakeApiServer['patches'] = [];
	const sockets = new Set<Socket>();
	const send = (res: http.ServerResponse, status: number, body: unknown) => {
		res.writeHead(status, {'Content-Type': 'application/json'});
		res.end(JSON.stringify(body));
	};
	const notFound = (res: http.ServerResponse, what: string) =>
		send(res, 404, {
			kind: 'Status',
			apiVersion: 'v1',
			metadata: {},
			status: 'Failure',
			message: `${what} not found`,
			reason: 'NotFound',
			code: 404,
		});

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const p = url.pathname;
			if (p === '/api')
				return send(res, 200, {
					kind: 'APIVersions',
					versions: ['v1'],
					serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1'}],
				});
			if (p === '/apis') {
				return send(res, 200, {
					kind: 'APIGroupList',
					apiVersion: 'v1',
					groups: [
						{
							name: 'apps',
							versions: [{groupVersion: 'apps/v1', version: 'v1'}],
							preferredVersion: {groupVersion: 'apps/v1', version: 'v1'},
						},
					],
				});
			}
			if (p === '/api/v1') return send(res, 200, apiResourceList('v1', ''));
			if (p === '/apis/apps/v1') return send(res, 200, apiResourceList('apps/v1', 'apps'));
			const m = /^\/(?:api\/v1|apis\/apps\/v1)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(p);
			const meta = m ? RESOURCES[m[2]] : undefined;
			if (!m || !meta) return notFound(res, p);
			const [, namespace, resource, name] = m;
			const apiVersion = meta.group ? `${meta.group}/${meta.version}` : meta.version;
			const objects = (store.get(resource) ?? []).filter((o) => (o.metadata?.namespace ?? 'default') === namespace);
			if (!name) {
				if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
					// Nothing ever changes here: hold the watch open until the client leaves.
					res.writeHead(200, {'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked'});
					res.flushHeaders();
					return;
				}
				const field = url.searchParams.get('fieldSelector');
				const byName = field?.startsWith('metadata.name=') ? field.slice('metadata.name='.length) : undefined;
				const items = objects.filter(
					(o) => matchesLabels(o, url.searchParams.get('labelSelector')) && (byName === undefined || o.metadata?.name === byName),
				);
				return send(res, 200, {kind: meta.listKind, apiVersion, metadata: {resourceVersion: '100'}, items});
			}
			const obj = objects.find((o) => o.metadata?.name === name);
			if (!obj) return notFound(res, `${resource} "${name}"`);
			if (req.method === 'PATCH') {
				const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
				patches.push({path: p, contentType: String(req.headers['content-type'] ?? ''), body});
				if (Array.isArray(body))
					for (const op of body as {op: string; path: string; value: unknown}[])
						if (op.op === 'replace') applyReplace(obj as Record<string, unknown>, op.path, op.value);
			}
			return send(res, 200, {apiVersion, kind: meta.kind, ...obj});
		});
	});
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const dir = mkdtempSync(join(tmpdir(), 'fake-apiserver-'));
	const kubeconfig = join(dir, 'kubeconfig');
	writeFileSync(
		kubeconfig,
		[
			'apiVersion: v1',
			'kind: Config',
			'current-context: fake',
			'clusters:',
			'- name: fake',
			'  cluster:',
			`    server: ${url}`,
			'contexts:',
			'- name: fake',
			'  context:',
			'    cluster: fake',
			'    user: fake',
			'    namespace: default',
			'users:',
			'- name: fake',
			'  user: {}',
			'',
		].join('\n'),
	);
	return {
		url,
		kubeconfig,
		cacheDir: join(dir, 'cache'),
		patches,
		set(resource, objects) {
			store.set(resource, structuredClone(objects) as Obj[]);
		},
		async close() {
			for (const s of sockets) s.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			rmSync(dir, {recursive: true, force: true});
		},
	};
}
