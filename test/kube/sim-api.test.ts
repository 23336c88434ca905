// The reflector against the embedded API server (real HTTPS, token auth, the sim's watch and bookmarks),
// not a script: 5,000 pods list+sync time, watch events, 410 after the history window, and a server restart.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {KubeConfig} from '@kubernetes/client-node';
import {connectionFrom, serverVersion, type Connection} from '../../source/kube/connect.js';
import {reflect, type WatchState} from '../../source/kube/watch.js';
import {Store} from '../../source/sim/store.js';
import {ScaledClock} from '../../source/sim/clock.js';
import {startApiServer, type ApiServer} from '../../source/sim/server.js';
import {generateServingCerts, type ServingCerts} from '../../source/sim/api/certs.js';
import {waitFor, within} from '../helpers/wait.js';

type PodJson = {
	metadata: {name: string; namespace: string; labels?: Record<string, string>; resourceVersion?: string; managedFields?: unknown};
	spec: unknown;
	status?: unknown;
};

function podJson(name: string, labels: Record<string, string> = {app: 'bulk'}): PodJson {
	return {
		metadata: {name, namespace: 'default', labels, managedFields: [{manager: 'bulk-loader', operation: 'Update'}]},
		spec: {nodeName: 'node1', containers: [{name: 'nginx', image: 'nginx:1.19', ports: [{containerPort: 80}]}]},
		status: {
			phase: 'Running',
			podIP: '10.244.0.9',
			conditions: [{type: 'Ready', status: 'True'}],
			containerStatuses: [
				{name: 'nginx', ready: true, restartCount: 0, image: 'nginx:1.19', state: {running: {startedAt: '2025-01-01T00:00:00Z'}}},
			],
		},
	};
}

describe('reflect() against the sim API server', () => {
	let store: Store;
	let clock: ScaledClock;
	let certs: ServingCerts;
	let server: ApiServer;
	let conn: Connection;

	before(async () => {
		store = new Store({historyLimit: 200});
		clock = new ScaledClock(1);
		certs = await generateServingCerts();
		server = await within(startApiServer({store, clock, certs, bookmarkIntervalMs: 50}), 10_000, 'the API server to listen');
		const kc = new KubeConfig();
		kc.loadFromString(server.kubeconfig());
		conn = connectionFrom(kc, 'default');
	});
	after(async () => {
		await within(server.close(), 10_000, 'the API server to close');
		clock.stop();
	});

	test("serverVersion over the sim's TLS with its token", async () => {
		assert.match(await serverVersion(conn), /^v1\.\d+\.\d+/);
	});

	test('lists 5,000 pods (figure printed), then follows ADDED/MODIFIED/DELETED by label selector', async (t) => {
		for (let i = 0; i < 5000; i++) store.create('pods', podJson(`bulk-${String(i).padStart(4, '0')}`));
		store.create('pods', podJson('other', {app: 'other'}));
		const items = new Map<string, PodJson>();
		let synced = 0;
		let started = performance.now();
		const states: WatchState[] = [];
		const r = reflect<PodJson>({
			conn,
			path: '/api/v1/namespaces/default/pods',
			labelSelector: 'app=bulk',
			onSync: (list) => {
				synced = performance.now() - started;
				items.clear();
				for (const p of list) items.set(p.metadata.name, p);
			},
			onEvent: (type, p) => {
				if (type === 'DELETED') items.delete(p.metadata.name);
				else items.set(p.metadata.name, p);
			},
			onState: (s) => states.push(s),
			timing: {stallMs: 5000},
		});
		t.after(() => r.stop());
		await waitFor(() => states.at(-1)?.phase === 'watching', 10_000, 'watching');
		console.log(
			`# sim: list+sync of 5,000 pods over HTTPS ${synced.toFixed(0)} ms (rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB)`,
		);
		assert.equal(items.size, 5000);
		assert.equal(items.has('other'), false, 'the label selector is applied by the server');
		assert.equal(items.get('bulk-0000')!.metadata.managedFields, undefined, 'managedFields stripped');
		started = performance.now();
		store.create('pods', podJson('bulk-new'));
		const old = store.get('pods', 'default', 'bulk-0001')!;
		store.update('pods', {...old, metadata: {...old.metadata, labels: {app: 'bulk', touched: 'yes'}}});
		store.delete('pods', 'default', 'bulk-0002');
		// Leaving the selection is a DELETED for this watch.
		const leaving = store.get('pods', 'default', 'bulk-0003')!;
		store.update('pods', {...leaving, metadata: {...leaving.metadata, labels: {app: 'moved'}}});
		await waitFor(
			() =>
				items.has('bulk-new') &&
				!items.has('bulk-0002') &&
				!items.has('bulk-0003') &&
				items.get('bulk-0001')?.metadata.labels?.touched === 'yes',
			5000,
			'watch events',
		);
		assert.equal(items.size, 4999);
		for (let i = 0; i < 5000; i++) {
			const name = `bulk-${String(i).padStart(4, '0')}`;
			if (store.get('pods', 'default', name)) store.delete('pods', 'default', name);
		}
		await waitFor(() => items.size === 1, 10_000, 'bulk deletes');
	});

	test('bookmarks keep a quiet watch from stalling; a watch behind the history window relists (410)', async (t) => {
		const states: WatchState[] = [];
		let syncs = 0;
		const names = new Set<string>();
		const r = reflect<PodJson>({
			conn,
			path: '/api/v1/namespaces/default/pods',
			labelSelector: 'app=quiet',
			onSync: (list) => {
				syncs++;
				names.clear();
				for (const p of list) names.add(p.metadata.name);
			},
			onEvent: (type, p) => (type === 'DELETED' ? names.delete(p.metadata.name) : names.add(p.metadata.name)),
			onState: (s) => states.push(s),
			timing: {stallMs: 400},
		});
		t.after(() => r.stop());
		await waitFor(() => states.at(-1)?.phase === 'watching', 5000, 'watching');
		// Quiet for well over the stall time: the sim's 50 ms bookmarks are the only traffic.
		const start = Date.now();
		await waitFor(() => Date.now() - start > 1000, 3000, 'a quiet second');
		assert.ok(!states.some((s) => s.phase === 'stalled'), 'no stall while bookmarks flow');
		assert.equal(syncs, 1);
		assert.equal(states.at(-1)!.restarts, 0);
		t.diagnostic(`phases: ${states.map((s) => s.phase).join(' ')}`);
	});

	test('survives an API server restart: backoff while it is down, then resumes and sees new pods', async (t) => {
		const states: WatchState[] = [];
		const names = new Set<string>();
		const r = reflect<PodJson>({
			conn,
			path: '/api/v1/namespaces/default/pods',
			labelSelector: 'app=restart',
			onSync: (list) => {
				names.clear();
				for (const p of list) names.add(p.metadata.name);
			},
			onEvent: (type, p) => (type === 'DELETED' ? names.delete(p.metadata.name) : names.add(p.metadata.name)),
			onState: (s) => states.push(s),
			timing: {backoffInitialMs: 50, backoffMaxMs: 200, stallMs: 5000},
		});
		t.after(() => r.stop());
		await waitFor(() => states.at(-1)?.phase === 'watching', 5000, 'watching');
		store.create('pods', podJson('before-restart', {app: 'restart'}));
		await waitFor(() => names.has('before-restart'), 5000, 'first pod');
		const port = server.port;
		await within(server.close(), 10_000, 'the API server to close');
		await waitFor(() => states.some((s) => s.phase === 'backoff'), 5000, 'backoff while down');
		const down = states.find((s) => s.phase === 'backoff')!;
		assert.match(down.error!, /connection refused/);
		// Changes made while the server is down are seen when it is back.
		store.create('pods', podJson('during-outage', {app: 'restart'}));
		server = await within(
			startApiServer({store, clock, certs, port, token: server.token, bookmarkIntervalMs: 50}),
			10_000,
			'the API server to listen',
		);
		store.create('pods', podJson('after-restart', {app: 'restart'}));
		await waitFor(() => names.has('during-outage') && names.has('after-restart'), 10_000, 'pods after the restart');
		await waitFor(() => states.at(-1)?.phase === 'watching', 5000, 'watching again');
		assert.ok(states.at(-1)!.restarts >= 1);
	});

	test('a resourceVersion that left the history window gets 410 Expired and the reflector relists', async (t) => {
		const states: WatchState[] = [];
		let syncs = 0;
		const names = new Set<string>();
		const r = reflect<PodJson>({
			conn,
			path: '/api/v1/namespaces/default/pods',
			labelSelector: 'app=window',
			onSync: (list) => {
				syncs++;
				names.clear();
				for (const p of list) names.add(p.metadata.name);
			},
			onEvent: (type, p) => (type === 'DELETED' ? names.delete(p.metadata.name) : names.add(p.metadata.name)),
			onState: (s) => states.push(s),
			timing: {backoffInitialMs: 20, backoffMaxMs: 100, stallMs: 300},
		});
		t.after(() => r.stop());
		store.create('pods', podJson('w-0', {app: 'window'}));
		await waitFor(() => states.at(-1)?.phase === 'watching' && names.has('w-0'), 5000, 'watching');
		// Take the server away, churn more than the 200-change history, bring it back: the old version is gone.
		const port = server.port;
		await within(server.close(), 10_000, 'the API server to close');
		for (let i = 0; i < 300; i++) store.create('pods', podJson(`churn-${i}`, {app: 'churn'}));
		store.create('pods', podJson('w-1', {app: 'window'}));
		server = await within(
			startApiServer({store, clock, certs, port, token: server.token, bookmarkIntervalMs: 50}),
			10_000,
			'the API server to listen',
		);
		await waitFor(() => syncs >= 2 && names.has('w-1'), 10_000, 'relist after 410');
		assert.ok(states.filter((s) => s.phase === 'listing').length >= 2, 'listed again');
	});
});
