import {describe, it, after} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {CockpitStore} from '../../source/state/store.js';
import {ProbeSession} from '../../source/probe/session.js';
import {followCockpit} from '../../source/probe/follow.js';
import {formatVerdict} from '../../source/probe/stats.js';
import type {ProbeTarget} from '../../source/probe/discovery.js';
import type {Connection} from '../../source/kube/connect.js';
import type {Deployment, Pod, ReplicaSet} from '../../source/model/types.js';
import {closeServer, listenOnLoopback} from '../helpers/ports.js';
import {within} from '../helpers/wait.js';

const conn = {contextName: 'test', clusterServer: 'https://127.0.0.1:1', namespace: 'default'} as Connection;

let url = '';
let server: http.Server;
const ready = (async () => {
	server = http.createServer((_req, res) => {
		res.writeHead(200, {server: 'nginx/1.18.0'});
		res.end();
	});
	await listenOnLoopback(server);
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
})();
after(() => closeServer(server));

function dep(name: string, revision: string, generation: number, updated: number): Deployment {
	return {
		metadata: {name, uid: `uid-${name}`, generation, annotations: {'deployment.kubernetes.io/revision': revision}},
		spec: {replicas: 2, selector: {matchLabels: {app: name}}, template: {metadata: {labels: {app: name}}}},
		status: {observedGeneration: generation, replicas: 2, updatedReplicas: updated, availableReplicas: 2},
	};
}
const rs: ReplicaSet = {
	metadata: {
		name: 'web-abc',
		uid: 'uid-rs',
		ownerReferences: [{kind: 'Deployment', name: 'web', uid: 'uid-web', controller: true}],
		annotations: {'deployment.kubernetes.io/revision': '2'},
	},
};
function pod(name: string, terminating: boolean): Pod {
	return {
		metadata: {
			name,
			ownerReferences: [{kind: 'ReplicaSet', name: 'web-abc', uid: 'uid-rs', controller: true}],
			...(terminating ? {deletionTimestamp: new Date().toISOString()} : {}),
		},
	};
}

function until(session: ProbeSession, check: () => boolean, timeoutMs = 3000): Promise<void> {
	if (check()) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			off();
			reject(new Error(`timed out; snapshot: ${JSON.stringify({...session.getSnapshot(), recent: undefined})}`));
		}, timeoutMs);
		const off = session.subscribe(() => {
			if (check()) {
				clearTimeout(timer);
				off();
				resolve();
			}
		});
	});
}

describe('followCockpit', () => {
	it('discovers the URL of the selected deployment and probes it; the watched deployment and pods make the verdict', async (t) => {
		await ready;
		const store = new CockpitStore(
			{context: 'test', server: conn.clusterServer, namespace: 'default'},
			{flushIntervalMs: false, tickMs: false},
		);
		const session = new ProbeSession({settleMs: 0});
		const asked: string[] = [];
		const discover = async (_c: Connection, name: string): Promise<ProbeTarget> => {
			asked.push(name);
			return {kind: 'url', url, service: name, how: `NodePort of service ${name}`};
		};
		const follow = followCockpit(session, store, {conn, discover, prober: {intervalMs: 10, loopbackOnly: true}});
		t.after(() => within(follow.stop(), 10_000, 'the probe follower to stop'));
		assert.equal(session.getSnapshot().phase, 'off');
		store.sync('deployments', [dep('web', '1', 1, 2)]);
		store.selectDeployment('web');
		// The re-scoped watches deliver the deployment's ReplicaSets and pods after the selection.
		store.sync('replicaSets', [rs]);
		store.sync('pods', [pod('web-abc-1', false), pod('web-abc-2', false)]);
		store.flush();
		await until(session, () => session.getSnapshot().probes >= 2);
		assert.deepEqual(asked, ['web']);
		assert.equal(session.getSnapshot().url, url);
		assert.equal(session.getSnapshot().message, 'NodePort of service web');
		// A rollout: new revision, then done but an old pod still terminating, then gone.
		store.event('deployments', 'MODIFIED', dep('web', '2', 2, 1));
		store.flush();
		assert.ok(session.getSnapshot().open, 'window open');
		store.event('deployments', 'MODIFIED', dep('web', '2', 2, 2));
		store.event('pods', 'MODIFIED', pod('web-abc-1', true));
		store.flush();
		assert.ok(session.getSnapshot().open, 'still open while a pod terminates');
		await until(session, () => (session.getSnapshot().open?.probes ?? 0) >= 2);
		store.event('pods', 'DELETED', pod('web-abc-1', true));
		store.flush();
		const [v] = session.getSnapshot().verdicts;
		assert.ok(v, 'a verdict after the old pod is gone');
		assert.match(formatVerdict(v), /^revision 2 rollout: 0 failed of \d+ probes, max [\d.]+ ms, served by nginx\/1\.18\.0$/);
		assert.ok(v.probes >= 2);
		// Another deployment: the verdicts were about the last one; discovery runs again.
		store.sync('deployments', [dep('web', '2', 2, 2), dep('api', '1', 1, 2)]);
		store.selectDeployment('api');
		store.flush();
		assert.deepEqual(session.getSnapshot().verdicts, []);
		await until(session, () => asked.length === 2);
		assert.deepEqual(asked, ['web', 'api']);
		store.dispose();
	});

	it('a ClusterIP-only Service: the panel says so, and discovery tries again until a URL appears', async (t) => {
		await ready;
		const store = new CockpitStore(
			{context: 'test', server: conn.clusterServer, namespace: 'default', deploymentName: 'web'},
			{flushIntervalMs: false, tickMs: false},
		);
		const session = new ProbeSession();
		let calls = 0;
		const discover = async (): Promise<ProbeTarget> => {
			calls++;
			return calls === 1
				? {kind: 'unreachable', service: 'web', message: 'service web is ClusterIP only: not reachable from here'}
				: {kind: 'url', url, service: 'web', how: 'NodePort'};
		};
		const follow = followCockpit(session, store, {conn, discover, rediscoverMs: 20, prober: {intervalMs: 10, loopbackOnly: true}});
		t.after(() => within(follow.stop(), 10_000, 'the probe follower to stop'));
		await until(session, () => session.getSnapshot().phase === 'unreachable');
		assert.match(session.getSnapshot().message ?? '', /ClusterIP only/);
		await until(session, () => session.getSnapshot().phase === 'probing' && session.getSnapshot().probes > 0);
		assert.equal(calls, 2);
		store.dispose();
	});

	it('--probe URL: probes it at once and never discovers', async (t) => {
		await ready;
		const store = new CockpitStore(
			{context: 'test', server: conn.clusterServer, namespace: 'default', deploymentName: 'web'},
			{flushIntervalMs: false, tickMs: false},
		);
		const session = new ProbeSession();
		const follow = followCockpit(session, store, {
			conn,
			url,
			discover: async () => assert.fail('discovery must not run'),
			prober: {intervalMs: 10, loopbackOnly: true},
		});
		t.after(() => within(follow.stop(), 10_000, 'the probe follower to stop'));
		await until(session, () => session.getSnapshot().probes > 0);
		assert.equal(session.getSnapshot().message, 'from --probe');
		store.dispose();
	});

	it('--probe with a URL that may not be probed shows why instead of probing', async (t) => {
		const store = new CockpitStore(
			{context: 'test', server: conn.clusterServer, namespace: 'default'},
			{flushIntervalMs: false, tickMs: false},
		);
		const session = new ProbeSession();
		const follow = followCockpit(session, store, {conn, url: 'http://10.0.0.1/', prober: {loopbackOnly: true}});
		t.after(() => within(follow.stop(), 10_000, 'the probe follower to stop'));
		assert.equal(session.getSnapshot().phase, 'unreachable');
		assert.match(session.getSnapshot().message ?? '', /refusing to probe 10\.0\.0\.1/);
		store.dispose();
	});
});
