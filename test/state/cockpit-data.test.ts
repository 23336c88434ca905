import assert from 'node:assert/strict';
import {describe, test, type TestContext} from 'node:test';
import {CockpitStore, startCockpitData} from '../../source/state/store.js';
import {listPodsEarly, mayConcernDeployment} from '../../source/state/cockpit-data.js';
import {screen} from '../../source/screen/screen.js';
import {startFakeApi, type FakeApi, type FakeRequest} from '../helpers/fake-api.js';
import {waitFor, within} from '../helpers/wait.js';
import {deployment, event, pod, replicaSet} from '../helpers/objects.js';

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const REPLICASETS = '/apis/apps/v1/namespaces/default/replicasets';
const PODS = '/api/v1/namespaces/default/pods';
const EVENTS = '/api/v1/namespaces/default/events';

const list = (p: string) => (r: FakeRequest) => r.path === p && r.query.get('watch') === null;
const watch = (p: string) => (r: FakeRequest) => r.path === p && r.query.get('watch') === '1';

function listBody(items: unknown[], rv = '100') {
	return {metadata: {resourceVersion: rv}, items};
}

async function setup(t: TestContext, deploymentName: string | undefined, options: Parameters<typeof startCockpitData>[2] = {}) {
	const api = await startFakeApi();
	const conn = api.connection('default');
	const store = new CockpitStore(
		{context: conn.contextName, server: conn.clusterServer, namespace: conn.namespace, deploymentName},
		{flushIntervalMs: 5, tickMs: false},
	);
	const data = startCockpitData(conn, store, options);
	t.after(async () => {
		data.stop();
		store.dispose();
		await api.close();
	});
	return {api, store, data};
}

// Answers a list and opens its watch stream; returns the watch request.
async function serve(api: FakeApi, path: string, items: unknown[]): Promise<FakeRequest> {
	(await api.next(list(path))).json(200, listBody(items));
	const w = await api.next(watch(path));
	w.stream();
	return w;
}

const rsWeb = replicaSet({deployment: 'web', hash: 'wwwwwwwwww', revision: 1, image: 'httpd:2.4', replicas: 1});
const rsNginx = replicaSet({hash: 'aaaaaaaaaa', revision: 1, image: 'nginx:1.19', replicas: 1});

describe('mayConcernDeployment', () => {
	const table: [string, string, string, boolean][] = [
		['Deployment', 'nginx', 'the deployment', true],
		['ReplicaSet', 'nginx-6888c79454', 'its ReplicaSet', true],
		['Pod', 'nginx-6888c79454-x7k2p', 'its pod', true],
		['Pod', 'nginxfoo-1', 'a name that only starts the same', false],
		['Service', 'nginx', 'another kind', false],
		['Deployment', 'redis', 'another deployment', false],
	];
	for (const [kind, name, what, expected] of table) {
		test(what, () => assert.equal(mayConcernDeployment(event({kind, name, reason: 'R', message: 'm'}), 'nginx'), expected));
	}
});

describe('startCockpitData', () => {
	test("lists and watches deployments, then the chosen deployment's ReplicaSets and pods by its selector, and its events", async (t) => {
		const {api, store} = await setup(t, 'nginx');
		(await api.next((r) => r.path === '/version')).json(200, {gitVersion: 'v1.32.4'});
		await serve(api, DEPLOYMENTS, [deployment(), deployment({name: 'web'})]);
		const rsList = await api.next(list(REPLICASETS));
		assert.equal(rsList.query.get('labelSelector'), 'app=nginx');
		rsList.json(200, listBody([rsNginx, rsWeb]));
		const podList = await api.next(list(PODS));
		assert.equal(podList.query.get('labelSelector'), 'app=nginx');
		podList.json(200, listBody([pod({rs: rsNginx, suffix: 'abcde'})]));
		const evList = await api.next(list(EVENTS));
		assert.equal(evList.query.get('labelSelector'), null, 'events are namespace-wide');
		evList.json(
			200,
			listBody([
				event({kind: 'Deployment', name: 'nginx', reason: 'ScalingReplicaSet', message: 'Scaled up'}),
				event({kind: 'Pod', name: 'nginx-aaaaaaaaaa-abcde', reason: 'Started', message: 'Started container nginx'}),
				event({kind: 'Pod', name: 'web-wwwwwwwwww-zzzzz', reason: 'Started', message: 'Started container httpd'}),
			]),
		);
		for (const p of [REPLICASETS, PODS, EVENTS]) (await api.next(watch(p))).stream();
		await waitFor(() => store.getState().connection.overall === 'live' && store.getState().serverVersion, 3000, 'live');
		const s = store.getState();
		assert.equal(s.serverVersion, 'v1.32.4');
		assert.deepEqual(s.synced, {deployments: true, replicaSets: true, pods: true, events: true});
		assert.deepEqual([...s.pods.keys()], ['nginx-aaaaaaaaaa-abcde']);
		assert.deepEqual(
			s.rawEvents.map((e) => e.involvedObject?.name),
			['nginx', 'nginx-aaaaaaaaaa-abcde'],
			"the other deployment's events are not kept",
		);
		assert.deepEqual(Object.keys(s.connection.byKind).sort(), ['deployments', 'events', 'pods', 'replicaSets']);
	});

	test("with the start-up checks' copy of the deployment, its pods are listed before the deployments' list arrives, and stay watched after it", async (t) => {
		const {api, store} = await setup(t, 'nginx', {seed: deployment()});
		const deployments = await api.next(list(DEPLOYMENTS));
		// The deployments' list is not answered yet: the pods and ReplicaSets go out by the seed's selector.
		const podList = await api.next(list(PODS));
		assert.equal(podList.query.get('labelSelector'), 'app=nginx');
		podList.json(200, listBody([pod({rs: rsNginx, suffix: 'abcde'})]));
		const pw = await api.next(watch(PODS));
		pw.stream();
		await serve(api, REPLICASETS, [rsNginx]);
		await waitFor(() => store.getState().pods.size === 1, 3000, 'the pods, listed before the deployments');
		assert.equal(store.getState().synced.deployments, false);
		deployments.json(200, listBody([deployment()]));
		(await api.next(watch(DEPLOYMENTS))).stream();
		await waitFor(() => store.getState().synced.deployments, 3000, 'the deployments');
		// The same scope: the pods' watch is the one opened before, and its events still reach the store.
		pw.write(`${JSON.stringify({type: 'ADDED', object: pod({rs: rsNginx, suffix: 'fghij'})})}\n`);
		await waitFor(() => store.getState().pods.size === 2, 3000, 'an event of the first pod watch');
	});

	test('watch events flow into the store in batches', async (t) => {
		const {api, store} = await setup(t, 'nginx');
		await serve(api, DEPLOYMENTS, [deployment()]);
		await serve(api, REPLICASETS, [rsNginx]);
		const pw = await serve(api, PODS, []);
		await serve(api, EVENTS, []);
		let notes = 0;
		store.subscribe(() => notes++);
		let text = '';
		for (let i = 0; i < 200; i++)
			text += `${JSON.stringify({type: 'ADDED', object: pod({rs: rsNginx, suffix: `p${String(i).padStart(4, '0')}`})})}\n`;
		pw.write(text);
		await waitFor(() => store.getState().pods.size === 200, 3000, '200 pods');
		assert.ok(notes <= 3, `200 events caused ${notes} notifications`);
	});

	test('choosing another deployment closes the old scoped watches and opens new ones', async (t) => {
		const {api, store} = await setup(t, 'nginx');
		await serve(api, DEPLOYMENTS, [deployment(), deployment({name: 'web'})]);
		const oldRs = await serve(api, REPLICASETS, [rsNginx]);
		const oldPods = await serve(api, PODS, [pod({rs: rsNginx, suffix: 'abcde'})]);
		const oldEvents = await serve(api, EVENTS, []);
		await waitFor(() => store.getState().pods.size === 1, 3000, 'nginx pod');
		store.selectDeployment('web');
		await within(Promise.all([oldRs.closed, oldPods.closed, oldEvents.closed]), 5000, 'the old scoped watches to close');
		const rs = await api.next(list(REPLICASETS));
		assert.equal(rs.query.get('labelSelector'), 'app=web');
		rs.json(200, listBody([rsWeb]));
		const p = await api.next(list(PODS));
		assert.equal(p.query.get('labelSelector'), 'app=web');
		p.json(200, listBody([pod({rs: rsWeb, suffix: 'qwert'})]));
		await waitFor(() => store.getState().pods.has('web-wwwwwwwwww-qwert'), 3000, 'web pod');
		assert.equal(store.getState().pods.has('nginx-aaaaaaaaaa-abcde'), false);
		// Back to the picker: only deployments stay watched.
		const newWatches = await Promise.all([api.next(watch(REPLICASETS)), api.next(watch(PODS))]);
		for (const w of newWatches) w.stream();
		store.selectDeployment(undefined);
		await within(Promise.all(newWatches.map((w) => w.closed)), 5000, 'the scoped watches to close');
		await waitFor(() => Object.keys(store.getState().connection.byKind).join() === 'deployments', 3000, 'only deployments');
	});

	test('a deployment that does not exist says so, and is picked up when it appears', async (t) => {
		const {api, store} = await setup(t, 'ghost');
		const status = () => screen(store.getState(), {columns: 200, rows: 30}).status;
		const dw = await serve(api, DEPLOYMENTS, [deployment()]);
		await waitFor(() => status().text !== 'listing deployments…', 3000, 'the deployments listed');
		assert.deepEqual(
			[status().text, status().color],
			['deployment "ghost" not found in namespace "default" (waiting for it to appear; Esc lists the deployments)', 'red'],
		);
		assert.equal(api.pending().filter((r) => r.path === PODS).length, 0, 'no pod watch without a selector');
		dw.write(`${JSON.stringify({type: 'ADDED', object: deployment({name: 'ghost'})})}\n`);
		const p = await api.next(list(PODS));
		assert.equal(p.query.get('labelSelector'), 'app=ghost');
		await waitFor(() => !status().text.includes('not found'), 3000, 'the message gone');
	});

	test("the deployment's copy keeps its annotations (an undo rewrites them all from it); pods lose the last-applied copy", async (t) => {
		const {api, store} = await setup(t, 'nginx');
		const lastApplied = {'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}'};
		const d = deployment();
		d.metadata = {
			...d.metadata,
			annotations: {...d.metadata?.annotations, ...lastApplied},
			managedFields: [{manager: 'kubectl'}],
		} as typeof d.metadata;
		await serve(api, DEPLOYMENTS, [d]);
		await serve(api, REPLICASETS, [rsNginx]);
		const p = pod({rs: rsNginx, suffix: 'abcde'});
		p.metadata = {...p.metadata, annotations: {...lastApplied}};
		await serve(api, PODS, [p]);
		await waitFor(() => store.getState().pods.size === 1, 3000, 'the pod');
		const copy = store.getState().deployments.get('nginx');
		assert.equal(copy?.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], '{"kind":"Deployment"}');
		assert.ok(copy && !('managedFields' in (copy.metadata ?? {})));
		assert.deepEqual(store.getState().pods.get('nginx-aaaaaaaaaa-abcde')?.metadata?.annotations, {});
	});

	test("pods asked for at start-up (listPodsEarly, by the checks' copy of the deployment) are the pods watch's first list: no second list", async (t) => {
		const api = await startFakeApi();
		const conn = api.connection('default');
		const early = listPodsEarly(conn, deployment());
		const earlyList = await api.next(list(PODS));
		assert.equal(earlyList.query.get('labelSelector'), 'app=nginx');
		assert.equal(earlyList.query.get('resourceVersion'), '0');
		earlyList.json(200, listBody([pod({rs: rsNginx, suffix: 'abcde'}), pod({rs: rsNginx, suffix: 'fghij'})], '42'));
		const store = new CockpitStore(
			{context: conn.contextName, server: conn.clusterServer, namespace: 'default', deploymentName: 'nginx'},
			{flushIntervalMs: 5, tickMs: false},
		);
		const data = startCockpitData(conn, store, {seed: deployment(), earlyPods: early});
		t.after(async () => {
			data.stop();
			store.dispose();
			await api.close();
		});
		const podWatch = await api.next(watch(PODS));
		assert.equal(podWatch.query.get('resourceVersion'), '42', 'watched from the early list');
		assert.equal(podWatch.query.get('labelSelector'), 'app=nginx');
		podWatch.stream();
		await waitFor(() => store.getState().pods.size === 2, 3000, 'the early list in the store');
		assert.ok(store.getState().synced.pods);
		assert.equal(api.requests.filter(list(PODS)).length, 1, 'the pods were listed once');
	});

	test('an early pod list of another selector than the one to watch is dropped, and the pods are listed by the right one', async (t) => {
		const api = await startFakeApi();
		const conn = api.connection('default');
		const early = listPodsEarly(conn, deployment({name: 'web'}));
		const earlyList = await api.next(list(PODS));
		assert.equal(earlyList.query.get('labelSelector'), 'app=web');
		const store = new CockpitStore(
			{context: conn.contextName, server: conn.clusterServer, namespace: 'default', deploymentName: 'nginx'},
			{flushIntervalMs: 5, tickMs: false},
		);
		const data = startCockpitData(conn, store, {seed: deployment(), earlyPods: early});
		t.after(async () => {
			data.stop();
			store.dispose();
			await api.close();
		});
		await within(earlyList.closed, 5000, 'the early list to be dropped');
		const podList = await api.next(list(PODS));
		assert.equal(podList.query.get('labelSelector'), 'app=nginx');
	});

	test('stop() closes every watch', async (t) => {
		const {api, data} = await setup(t, 'nginx');
		const watches = [
			await serve(api, DEPLOYMENTS, [deployment()]),
			await serve(api, REPLICASETS, []),
			await serve(api, PODS, []),
			await serve(api, EVENTS, []),
		];
		data.stop();
		await within(Promise.all(watches.map((w) => w.closed)), 5000, 'every watch to close');
		await waitFor(() => api.openSockets() === 0, 3000, 'sockets closed');
	});
});
