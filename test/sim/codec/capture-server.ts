// A throwaway API server for the codec tests: plain HTTP on 127.0.0.1, just enough discovery, OpenAPI and a
// map of objects for real kubectl to run create/get/scale/expose/delete against it, while every request (with its
// raw body) is recorded. The real routes are the API person's; this one only exists so the codecs meet kubectl.
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type ServerResponse} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {ApiError} from '../../../source/sim/errors.js';
import {apiVersionOf, findResource, resources, type ResourceInfo} from '../../../source/sim/resources.js';
import type {KubeObject} from '../../../source/sim/store.js';
import {decodeKubeProtobuf, isKubeProtobuf} from '../../../source/sim/codec/protobuf.js';
import {openapiV2, openapiV3Document, openapiV3Index} from '../../../source/sim/codec/openapi.js';
import {toTable} from '../../../source/sim/codec/table.js';
import {kubectlOf} from '../../helpers/kubectl.js';
import {closeServer, listenOnLoopback} from '../../helpers/ports.js';

export type CapturedRequest = {
	method: string;
	path: string;
	query: URLSearchParams;
	contentType: string;
	accept: string;
	body: Buffer;
};

export type Reply = {status: number; body: unknown; contentType?: string};

export type CaptureServerOptions = {
	/** Answers a request before the built-in routes; undefined falls through. */
	handle?: (request: CapturedRequest) => Reply | undefined;
	/** Objects present at start, as [resource, object]. */
	objects?: Array<[string, KubeObject]>;
	/** Clock for creationTimestamp and Table ages. @default Date.now */
	now?: () => number;
	/** Serve /openapi/v2 and /openapi/v3 (true), or answer them 404 (false). @default true */
	openapi?: boolean;
};

export type KubectlResult = {code: number; stdout: string; stderr: string};

export type CaptureServer = {
	url: string;
	requests: CapturedRequest[];
	/** Stored objects by resource, then `namespace/name`. */
	objects: Map<string, Map<string, KubeObject>>;
	/** Runs a kubectl binary against this server (no shell), with its own kubeconfig, HOME and cache dir. */
	kubectl(args: string[], options?: {binary?: string; timeoutMs?: number; stdin?: string}): Promise<KubectlResult>;
	/** Writes a file into the server's temp dir and returns its path (e.g. a manifest for kubectl create -f). */
	writeFile(name: string, content: string): string;
	close(): Promise<void>;
};

export const kubectl132 = '/usr/bin/kubectl';
/** A kubectl of a given minor version, as installed on these machines. */
export const kubectlVersion = kubectlOf;

/** Starts the server on a random loopback port. Close it in `after`. */
export async function startCaptureServer(options: CaptureServerOptions = {}): Promise<CaptureServer> {
	const now = options.now ?? Date.now;
	const requests: CapturedRequest[] = [];
	const objects = new Map<string, Map<string, KubeObject>>();
	let rv = 100;
	const table = (resource: string) => {
		let t = objects.get(resource);
		if (!t) {
			t = new Map();
			objects.set(resource, t);
		}
		return t;
	};
	for (const [resource, o] of options.objects ?? [])
		table(resource).set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, structuredClone(o));

	const dir = mkdtempSync(join(tmpdir(), 'codec-capture-'));
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const captured: CapturedRequest = {
				method: req.method ?? 'GET',
				path: url.pathname,
				query: url.searchParams,
				contentType: req.headers['content-type'] ?? '',
				accept: req.headers.accept ?? '',
				body: Buffer.concat(chunks),
			};
			requests.push(captured);
			let reply: Reply;
			try {
				reply = options.handle?.(captured) ?? route(captured);
			} catch (error) {
				const e = error instanceof ApiError ? error : new ApiError(500, 'InternalError', `capture server: ${(error as Error).message}`);
				reply = {status: e.code, body: e.toStatus()};
			}
			send(res, reply);
		});
	});

	function route(r: CapturedRequest): Reply {
		if (r.path === '/version') return {status: 200, body: {major: '1', minor: '32', gitVersion: 'v1.32.4', platform: 'linux/amd64'}};
		if (r.path === '/api')
			return {
				status: 200,
				body: {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1'}]},
			};
		if (r.path === '/apis') return {status: 200, body: apiGroupList()};
		if (r.path === '/api/v1') return {status: 200, body: resourceList('', 'v1')};
		if (r.path === '/apis/apps/v1') return {status: 200, body: resourceList('apps', 'v1')};
		if (r.path.startsWith('/openapi/')) return serveOpenapi(r);
		const parsed = parseResourcePath(r.path);
		if (!parsed) return status(404, 'NotFound', `the server could not find the requested resource (${r.method} ${r.path})`);
		return serveResource(r, parsed);
	}

	function serveOpenapi(r: CapturedRequest): Reply {
		if (options.openapi === false) return status(404, 'NotFound', 'the server could not find the requested resource');
		if (r.path === '/openapi/v2') {
			const v2 = openapiV2(r.accept);
			return v2
				? {status: 200, body: v2.body, contentType: v2.contentType}
				: status(406, 'NotAcceptable', 'only application/json is served');
		}
		if (r.path === '/openapi/v3') return {status: 200, body: openapiV3Index()};
		const doc = openapiV3Document(r.path.slice('/openapi/v3/'.length));
		return doc ? {status: 200, body: doc} : status(404, 'NotFound', 'no such group version');
	}

	function serveResource(r: CapturedRequest, p: ParsedPath): Reply {
		const {info, namespace, name, subresource} = p;
		const key = `${namespace ?? ''}/${name ?? ''}`;
		const store = table(info.resource);
		const wantsTable = /as=Table/.test(r.accept);
		const dryRun = r.query.getAll('dryRun').length > 0;
		if (r.method === 'GET' && !name) {
			const fieldName = /metadata\.name=([^,]+)/.exec(r.query.get('fieldSelector') ?? '')?.[1];
			const items = [...store.values()].filter(
				(o) => (namespace === undefined || o.metadata.namespace === namespace) && (!fieldName || o.metadata.name === fieldName),
			);
			if (r.query.get('watch') === 'true') return {status: 200, body: ''};
			if (wantsTable)
				return {
					status: 200,
					body: toTable(info.resource, items, {includeObject: includeObject(r), listMeta: {resourceVersion: String(rv)}, now: now()}),
				};
			return {
				status: 200,
				body: {kind: `${info.kind}List`, apiVersion: apiVersionOf(info), metadata: {resourceVersion: String(rv)}, items},
			};
		}
		if (r.method === 'POST' && !name) {
			const o = decodeBody(r);
			o.metadata ??= {};
			if (info.namespaced) o.metadata.namespace = namespace;
			o.metadata.uid = `uid-${rv}`;
			o.metadata.resourceVersion = String(++rv);
			o.metadata.creationTimestamp = new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
			if (!dryRun) store.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
			return {status: 201, body: o};
		}
		const o = store.get(key);
		if (!o) return status(404, 'NotFound', `${info.group ? `${info.resource}.${info.group}` : info.resource} "${name}" not found`);
		if (subresource === 'scale') {
			if (r.method === 'PATCH' || r.method === 'PUT') {
				const patch = JSON.parse(r.body.toString('utf8')) as {spec?: {replicas?: number}};
				if (patch.spec?.replicas !== undefined && !dryRun) o.spec.replicas = patch.spec.replicas;
			}
			return {
				status: 200,
				body: {
					kind: 'Scale',
					apiVersion: 'autoscaling/v1',
					metadata: {name, namespace, resourceVersion: String(++rv)},
					spec: {replicas: o.spec.replicas},
					status: {replicas: o.status?.replicas ?? 0},
				},
			};
		}
		if (r.method === 'GET') {
			if (wantsTable)
				return {
					status: 200,
					body: toTable(info.resource, [o], {includeObject: includeObject(r), listMeta: {resourceVersion: String(rv)}, now: now()}),
				};
			return {status: 200, body: o};
		}
		if (r.method === 'DELETE') {
			if (!dryRun) store.delete(key);
			return {status: 200, body: o};
		}
		if (r.method === 'PATCH' || r.method === 'PUT') {
			const patch = JSON.parse(r.body.toString('utf8'));
			const next =
				r.method === 'PUT'
					? decodeBody(r)
					: r.contentType.startsWith('application/json-patch+json')
						? jsonPatch(o, patch)
						: mergePatch(o, patch);
			next.metadata.resourceVersion = String(++rv);
			if (!dryRun) store.set(key, next as KubeObject);
			return {status: 200, body: next};
		}
		return status(405, 'MethodNotAllowed', `${r.method} is not supported here`);
	}

	await listenOnLoopback(server);
	const address = server.address();
	if (!address || typeof address === 'string') throw new Error('capture server has no port');
	const url = `http://127.0.0.1:${address.port}`;
	const kubeconfigPath = join(dir, 'kubeconfig');
	writeFileSync(
		kubeconfigPath,
		[
			'apiVersion: v1',
			'kind: Config',
			'clusters:',
			'- name: capture',
			'  cluster:',
			`    server: ${url}`,
			'contexts:',
			'- name: capture',
			'  context: {cluster: capture, user: capture, namespace: default}',
			'current-context: capture',
			'users:',
			'- name: capture',
			'  user: {token: capture-token}',
			'',
		].join('\n'),
	);

	return {
		url,
		requests,
		objects,
		kubectl(args, {binary = kubectl132, timeoutMs = 20_000, stdin} = {}) {
			return new Promise((resolve) => {
				const child = execFile(
					binary,
					[`--kubeconfig=${kubeconfigPath}`, `--cache-dir=${join(dir, 'cache')}`, ...args],
					{env: {PATH: process.env.PATH ?? '/usr/bin', HOME: dir, KUBECONFIG: kubeconfigPath}, timeout: timeoutMs, maxBuffer: 16 << 20},
					(error, stdout, stderr) => {
						const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
						resolve({code, stdout: String(stdout), stderr: String(stderr)});
					},
				);
				if (stdin !== undefined) child.stdin?.end(stdin);
				else child.stdin?.end();
			});
		},
		writeFile(name, content) {
			const path = join(dir, name);
			writeFileSync(path, content);
			return path;
		},
		async close() {
			await closeServer(server);
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

type ParsedPath = {info: ResourceInfo; namespace?: string; name?: string; subresource?: string};

/** /api/v1/namespaces/default/pods/x/status → pods in default, named x, subresource status. */
function parseResourcePath(path: string): ParsedPath | undefined {
	const parts = path.split('/').filter(Boolean);
	let group = '';
	let rest: string[];
	if (parts[0] === 'api' && parts[1] === 'v1') rest = parts.slice(2);
	else if (parts[0] === 'apis' && parts.length >= 3) {
		group = parts[1]!;
		rest = parts.slice(3);
	} else return undefined;
	let namespace: string | undefined;
	if (rest[0] === 'namespaces' && rest.length >= 3) {
		namespace = rest[1];
		rest = rest.slice(2);
	}
	const info = findResource(group, rest[0] ?? '');
	if (!info) return undefined;
	return {info, namespace, name: rest[1], subresource: rest[2]};
}

function decodeBody(r: CapturedRequest): KubeObject {
	if (isKubeProtobuf(r.contentType)) return decodeKubeProtobuf(r.body);
	return JSON.parse(r.body.toString('utf8')) as KubeObject;
}

function includeObject(r: CapturedRequest): 'None' | 'Metadata' | 'Object' {
	// Metadata is the real server's default; kubectl asks for Object only with --sort-by.
	const v = r.query.get('includeObject');
	return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function mergePatch(target: any, patch: any): any {
	if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
	const out = target && typeof target === 'object' && !Array.isArray(target) ? {...target} : {};
	for (const [k, v] of Object.entries(patch)) {
		if (k.startsWith('$')) continue;
		if (v === null) delete out[k];
		else out[k] = mergePatch(out[k], v);
	}
	return out;
}

/** The add/replace/remove operations of a JSON patch, enough for kubectl's rollout commands. */
function jsonPatch(target: KubeObject, ops: Array<{op: string; path: string; value?: unknown}>): KubeObject {
	const out = structuredClone(target) as any;
	for (const {op, path, value} of ops) {
		const keys = path
			.split('/')
			.slice(1)
			.map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
		const last = keys.pop()!;
		let parent = out;
		for (const k of keys) parent = parent[k] ??= {};
		if (op === 'remove') delete parent[last];
		else if (op === 'add' || op === 'replace') parent[last] = value;
		else throw new ApiError(422, 'Invalid', `json patch op ${op} is not supported by the capture server`);
	}
	return out;
}

function status(code: number, reason: string, message: string): Reply {
	return {status: code, body: new ApiError(code, reason, message).toStatus()};
}

function send(res: ServerResponse, reply: Reply): void {
	const body = Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(JSON.stringify(reply.body));
	res.writeHead(reply.status, {'Content-Type': reply.contentType ?? 'application/json', 'Content-Length': body.length});
	res.end(body);
}

function apiGroupList(): unknown {
	const groups = [...new Set(resources.filter((r) => r.group).map((r) => `${r.group}/${r.version}`))];
	return {
		kind: 'APIGroupList',
		apiVersion: 'v1',
		groups: groups.map((gv) => {
			const [name, version] = gv.split('/');
			return {name, versions: [{groupVersion: gv, version}], preferredVersion: {groupVersion: gv, version}};
		}),
	};
}

function resourceList(group: string, version: string): unknown {
	const list: unknown[] = [];
	for (const r of resources.filter((x) => x.group === group && x.version === version)) {
		list.push({
			name: r.resource,
			singularName: r.singular,
			namespaced: r.namespaced,
			kind: r.kind,
			verbs: r.verbs,
			shortNames: r.shortNames,
			...(r.categories ? {categories: r.categories} : {}),
		});
		for (const sub of r.subresources) {
			if (sub === 'scale')
				list.push({
					name: `${r.resource}/scale`,
					singularName: '',
					namespaced: r.namespaced,
					group: 'autoscaling',
					version: 'v1',
					kind: 'Scale',
					verbs: ['get', 'patch', 'update'],
				});
			else
				list.push({
					name: `${r.resource}/${sub}`,
					singularName: '',
					namespaced: r.namespaced,
					kind: r.kind,
					verbs: ['get', 'patch', 'update'],
				});
		}
	}
	return {kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources: list};
}
