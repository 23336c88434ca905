// Endpoints follow readiness and lag behind termination; the NodePort router answers real HTTP on
// 127.0.0.1 from the pod the endpoints point at, and fails the way a cluster does when no pod can answer.
import {describe, it, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import {request} from 'node:http';
import {createServer, type Server} from 'node:net';
import {harness, deploymentObject, rolledOut, type Harness} from './harness.js';
import {deletePodGracefully} from '../../../source/sim/controllers/util.js';
import {NodePortRouter} from '../../../source/sim/nodeport-router.js';
import type {KubeObject} from '../../../source/sim/store.js';
import {closeServer, listenOnLoopback} from '../../helpers/ports.js';
import {within} from '../../helpers/wait.js';

let h: Harness;
let router: NodePortRouter | undefined;
afterEach(async () => {
	if (router) await within(router.close(), 10_000, 'the NodePort router to close');
	router = undefined;
	assert.deepEqual(h.errors, []);
	h.stop();
});

function service(name: string, spec: Record<string, unknown>): KubeObject {
	return h.store.create('services', {
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {name, namespace: 'default', labels: {app: name}},
		spec: {
			selector: {app: name},
			ports: [{port: 80, protocol: 'TCP', targetPort: 80}],
			type: 'ClusterIP',
			sessionAffinity: 'None',
			...spec,
		},
	});
}

const endpoints = (name: string) => h.store.get('endpoints', 'default', name);
const readyNames = (name: string): string[] =>
	(endpoints(name)?.subsets ?? []).flatMap((s: any) => (s.addresses ?? []).map((a: any) => a.targetRef.name)).sort();
const notReadyNames = (name: string): string[] =>
	(endpoints(name)?.subsets ?? []).flatMap((s: any) => (s.notReadyAddresses ?? []).map((a: any) => a.targetRef.name)).sort();

describe('endpoints', () => {
	it('lists ready pods under addresses and others under notReadyAddresses, with resolved ports and targetRefs', async () => {
		h = await harness();
		h.store.create(
			'deployments',
			deploymentObject('web', {
				container: {
					ports: [{name: 'http', containerPort: 80}],
					readinessProbe: {httpGet: {path: '/', port: 80}, initialDelaySeconds: 5, periodSeconds: 1},
				},
			}),
		);
		service('web', {ports: [{name: 'web', port: 8080, protocol: 'TCP', targetPort: 'http'}]});
		h.advanceUntil(() => h.pods().every((p) => p.status.podIP) && h.pods().length === 3, {stepMs: 10});
		h.clock.advance(10);
		assert.deepEqual(readyNames('web'), []);
		assert.deepEqual(
			notReadyNames('web'),
			h
				.pods()
				.map((p) => p.metadata.name)
				.sort(),
		);
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		assert.deepEqual(
			readyNames('web'),
			h
				.pods()
				.map((p) => p.metadata.name)
				.sort(),
		);
		const subset = endpoints('web')!.subsets[0];
		assert.deepEqual(subset.ports, [{name: 'web', port: 80, protocol: 'TCP'}]);
		const first = subset.addresses[0];
		const p = h.store.mustGet('pods', 'default', first.targetRef.name);
		assert.deepEqual(first, {
			ip: p.status.podIP,
			nodeName: p.spec.nodeName,
			targetRef: {kind: 'Pod', namespace: 'default', name: p.metadata.name, uid: p.metadata.uid},
		});
		// Deleting the Service deletes its Endpoints.
		h.store.delete('services', 'default', 'web');
		assert.equal(endpoints('web'), undefined);
	});

	it('removes a terminating pod at once with no lag', async () => {
		h = await harness();
		h.store.create('deployments', deploymentObject('web'));
		service('web', {});
		h.advanceUntil(() => rolledOut(h.deployment('web')) && readyNames('web').length === 3);
		const victim = h.pods()[0]!.metadata.name!;
		deletePodGracefully(h.store, h.clock, 'default', victim);
		assert.ok(!readyNames('web').includes(victim));
		assert.ok(!notReadyNames('web').includes(victim));
	});

	it('keeps a terminating pod listed for endpointLagMs, even after the pod object is gone', async () => {
		h = await harness({endpointLagMs: 2000});
		h.store.create('deployments', deploymentObject('web'));
		service('web', {});
		h.advanceUntil(() => rolledOut(h.deployment('web')) && readyNames('web').length === 3);
		const victim = h.pods()[0]!.metadata.name!;
		deletePodGracefully(h.store, h.clock, 'default', victim);
		h.clock.advance(500);
		assert.equal(h.store.get('pods', 'default', victim), undefined, 'the pod (no preStop) is gone after 500 ms');
		assert.ok(readyNames('web').includes(victim));
		h.clock.advance(1490);
		assert.ok(readyNames('web').includes(victim));
		h.clock.advance(20);
		assert.ok(!readyNames('web').includes(victim));
	});

	it('keeps a pod that is still terminating out of the endpoints once the lag has passed, whatever syncs later', async () => {
		// preStop sleep 5 s outlasts the 1 s lag: the pod stays in the store, Terminating, after it left the endpoints.
		h = await harness({endpointLagMs: 1000});
		h.store.create('deployments', deploymentObject('web', {container: {lifecycle: {preStop: {exec: {command: ['sleep', '5']}}}}}));
		service('web', {});
		h.advanceUntil(() => rolledOut(h.deployment('web')) && readyNames('web').length === 3);
		const victim = h.pods()[0]!.metadata.name!;
		deletePodGracefully(h.store, h.clock, 'default', victim);
		h.clock.advance(1500);
		assert.ok(h.store.get('pods', 'default', victim)?.metadata.deletionTimestamp, 'still terminating in its preStop');
		assert.ok(!readyNames('web').includes(victim));
		// Any later sync of the Service (here: the replacement pod coming up) must not bring it back.
		h.advanceUntil(() => readyNames('web').length === 3 && h.store.get('pods', 'default', victim) !== undefined, {stepMs: 10});
		assert.ok(!readyNames('web').includes(victim), 'a terminating pod never comes back into the endpoints');
		h.clock.advance(2000);
		assert.ok(!readyNames('web').includes(victim));
	});
});

type Reply = {status: number; headers: Record<string, string | string[] | undefined>; body: string} | {error: string};

function get(port: number, method = 'GET', path = '/'): Promise<Reply> {
	return new Promise((resolve) => {
		const req = request({host: '127.0.0.1', port, method, path, agent: false, timeout: 2000}, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => (body += chunk));
			res.on('end', () => resolve({status: res.statusCode!, headers: res.headers, body}));
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', (error: NodeJS.ErrnoException) => resolve({error: error.code ?? error.message}));
		req.end();
	});
}

async function freeNodePort(r: NodePortRouter): Promise<number> {
	for (let i = 0; i < 50; i++) {
		const port = 30000 + Math.floor(Math.random() * 2768);
		if (await r.reserveNodePort(port)) return port;
	}
	throw new Error('no free nodePort');
}

async function nginxBehindNodePort(options: {lag?: number; replicas?: number} = {}): Promise<number> {
	h = await harness({endpointLagMs: options.lag ?? 0});
	router = new NodePortRouter({store: h.store, servingPods: h.controllers.servingPods});
	router.start();
	const port = await freeNodePort(router);
	h.store.create('deployments', deploymentObject('nginx', {replicas: options.replicas ?? 3}));
	service('nginx', {
		type: 'NodePort',
		externalTrafficPolicy: 'Cluster',
		ports: [{port: 80, protocol: 'TCP', targetPort: 80, nodePort: port}],
	});
	h.advanceUntil(() => rolledOut(h.deployment('nginx')) && readyNames('nginx').length === (options.replicas ?? 3));
	return port;
}

describe('NodePort router', () => {
	it("answers on 127.0.0.1:<nodePort> with the serving container's Server header, round-robin over ready pods", async () => {
		const port = await nginxBehindNodePort();
		const replies = [await get(port), await get(port), await get(port)];
		const pods = h
			.pods()
			.map((p) => p.metadata.name)
			.sort();
		const served: string[] = [];
		for (const r of replies) {
			assert.ok('status' in r, JSON.stringify(r));
			assert.equal(r.status, 200);
			assert.equal(r.headers.server, 'nginx/1.18.0');
			const name = r.headers['x-pod-name'] as string;
			served.push(name);
			assert.match(r.body, new RegExp(`Served by pod ${name} \\(image nginx:1\\.18\\)`));
		}
		assert.deepEqual(served.sort(), pods);
		const head = await get(port, 'HEAD');
		assert.ok('status' in head && head.status === 200 && head.body === '' && head.headers.server === 'nginx/1.18.0');
		const missing = await get(port, 'GET', '/nope');
		assert.ok('status' in missing && missing.status === 404);
	});

	it('follows a rolling update to the new Server header', async () => {
		const port = await nginxBehindNodePort();
		h.updateDeployment('nginx', (d) => {
			d.spec.template.spec.containers[0].image = 'nginx:1.20.1';
		});
		h.advanceUntil(() => rolledOut(h.deployment('nginx')) && h.pods().length === 3);
		h.clock.advance(100);
		const r = await get(port);
		assert.ok('status' in r && r.headers.server === 'nginx/1.20.1');
	});

	it('resets connections when no endpoint is ready, and for a listed pod that no longer serves', async () => {
		const port = await nginxBehindNodePort({lag: 5000, replicas: 1});
		const ok = await get(port);
		assert.ok('status' in ok && ok.status === 200);
		const victim = h.pods()[0]!.metadata.name!;
		deletePodGracefully(h.store, h.clock, 'default', victim);
		h.clock.advance(100);
		// Still listed (lag) but not serving: reset.
		assert.deepEqual(
			readyNames('nginx').filter((n) => n === victim),
			[victim],
		);
		assert.deepEqual(await get(port), {error: 'ECONNRESET'});
		h.store.delete('deployments', 'default', 'nginx');
		h.clock.advance(6000);
		assert.deepEqual(readyNames('nginx'), []);
		assert.deepEqual(await get(port), {error: 'ECONNRESET'});
	});

	it('reserveNodePort is false for a port another process holds; release and close free the ports', async () => {
		h = await harness();
		router = new NodePortRouter({store: h.store, servingPods: h.controllers.servingPods});
		router.start();
		const other: Server = createServer();
		const taken = await listenOnLoopback(other);
		try {
			assert.equal(await router.reserveNodePort(taken), false);
		} finally {
			await closeServer(other);
		}
		const port = await freeNodePort(router);
		assert.deepEqual(router.ports(), [port]);
		assert.equal(await router.reserveNodePort(port), true, 'reserving twice is fine');
		router.releaseNodePort(port);
		assert.deepEqual(await get(port), {error: 'ECONNREFUSED'});
		const again = await freeNodePort(router);
		await within(router.close(), 10_000, 'the NodePort router to close');
		assert.deepEqual(await get(again), {error: 'ECONNREFUSED'});
		assert.equal(await router.reserveNodePort(again), false, 'a closed router binds nothing');
	});
});
