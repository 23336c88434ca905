// startCockpitData against the sim's API server with a bare store: 5,000 pods of one deployment from
// start to synced store and rendered rows (figure printed), then live changes through the watches.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {KubeConfig} from '@kubernetes/client-node';
import {connectionFrom, type Connection} from '../../source/kube/connect.js';
import {CockpitStore, startCockpitData} from '../../source/state/store.js';
import {selectEventRows, selectPods, selectRollout} from '../../source/state/selectors.js';
import {screen} from '../../source/screen/screen.js';
import {podsShown} from '../helpers/shown.js';
import {Store, type KubeObject} from '../../source/sim/store.js';
import {ScaledClock} from '../../source/sim/clock.js';
import {startApiServer, type ApiServer} from '../../source/sim/server.js';
import {waitFor, within} from '../helpers/wait.js';

let sim: Store;
let clock: ScaledClock;
let server: ApiServer;
let conn: Connection;

before(async () => {
	sim = new Store();
	clock = new ScaledClock(1);
	server = await within(startApiServer({store: sim, clock, bookmarkIntervalMs: 1000}), 10_000, 'the API server to listen');
	const kc = new KubeConfig();
	kc.loadFromString(server.kubeconfig());
	conn = connectionFrom(kc, 'default');
});
after(async () => {
	await within(server.close(), 10_000, 'the API server to close');
	clock.stop();
});

const template = {metadata: {labels: {app: 'big'}}, spec: {containers: [{name: 'web', image: 'nginx:1.19'}]}};

test('5,000 pods: from start to a synced store and pod rows, then live updates', async (t) => {
	const dep = sim.create('deployments', {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name: 'big', namespace: 'default', labels: {app: 'big'}, annotations: {'deployment.kubernetes.io/revision': '1'}},
		spec: {replicas: 5000, selector: {matchLabels: {app: 'big'}}, template},
	} as KubeObject);
	const ref = {apiVersion: 'apps/v1', kind: 'Deployment', name: 'big', uid: dep.metadata.uid!, controller: true, blockOwnerDeletion: true};
	const hashed = {...template, metadata: {labels: {app: 'big', 'pod-template-hash': '5f7b9c8d6'}}};
	const rs = sim.create('replicasets', {
		apiVersion: 'apps/v1',
		kind: 'ReplicaSet',
		metadata: {
			name: 'big-5f7b9c8d6',
			namespace: 'default',
			labels: hashed.metadata.labels,
			annotations: {'deployment.kubernetes.io/revision': '1'},
			ownerReferences: [ref],
		},
		spec: {replicas: 5000, selector: {matchLabels: hashed.metadata.labels}, template: hashed},
	} as KubeObject);
	const rsRef = {
		apiVersion: 'apps/v1',
		kind: 'ReplicaSet',
		name: rs.metadata.name!,
		uid: rs.metadata.uid!,
		controller: true,
		blockOwnerDeletion: true,
	};
	for (let i = 0; i < 5000; i++) {
		sim.create('pods', {
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {
				name: `big-5f7b9c8d6-${String(i).padStart(5, '0')}`,
				namespace: 'default',
				labels: hashed.metadata.labels,
				ownerReferences: [rsRef],
			},
			spec: {nodeName: `node${(i % 4) + 1}`, containers: [{name: 'web', image: 'nginx:1.19'}]},
			status: {
				phase: 'Running',
				podIP: `10.244.${i >> 8}.${i & 255}`,
				conditions: [{type: 'Ready', status: 'True'}],
				containerStatuses: [
					{name: 'web', ready: true, restartCount: 0, image: 'nginx:1.19', state: {running: {startedAt: new Date().toISOString()}}},
				],
			},
		} as KubeObject);
	}
	// Noise the cockpit must not keep: another app's pods.
	for (let i = 0; i < 50; i++)
		sim.create('pods', {
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {name: `other-${i}`, namespace: 'default', labels: {app: 'other'}},
			spec: {containers: [{name: 'x', image: 'busybox'}]},
		} as KubeObject);

	const started = performance.now();
	const store = new CockpitStore({context: conn.contextName, server: conn.clusterServer, namespace: 'default', deploymentName: 'big'});
	const data = startCockpitData(conn, store);
	t.after(() => {
		data.stop();
		store.dispose();
	});
	await waitFor(() => store.getState().synced.pods && store.getState().pods.size === 5000, 20_000, '5,000 pods in the store');
	const synced = performance.now() - started;
	const shown = screen(store.getState(), {columns: 139, rows: 50});
	const rows = podsShown(store.getState());
	const withRows = performance.now() - started;
	console.log(
		`# sim: startCockpitData -> 5,000 pods synced in ${synced.toFixed(0)} ms, first screen at ${withRows.toFixed(0)} ms (rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB, sim included)`,
	);
	assert.equal(selectPods(store.getState()).length, 5000);
	// One screenful is built, and it says how many there are.
	assert.ok(shown.body.kind === 'deployment' && /^› Pods 5000 \(1-\d+\) /.test(shown.body.pods.title?.segments[0].text ?? ''));
	assert.ok(rows.length > 100 && rows.length < 300, `${rows.length} rows in view`);
	assert.ok(rows.every((r) => r.STATUS === 'Running' && r.READY === '1/1' && r.REV === '1'));
	assert.equal(store.getState().pods.has('other-0'), false);
	await waitFor(() => store.getState().connection.overall === 'live', 10_000, 'live');
	assert.match(store.getState().serverVersion ?? '', /^v1\./);

	// A pod crashes, another is deleted, an event is recorded: the store follows through the watches.
	const p0 = sim.get('pods', 'default', 'big-5f7b9c8d6-00000')!;
	sim.update(
		'pods',
		{
			...p0,
			status: {
				...(p0.status as object),
				containerStatuses: [
					{name: 'web', ready: false, restartCount: 3, image: 'nginx:1.19', state: {waiting: {reason: 'CrashLoopBackOff'}}},
				],
			},
		} as KubeObject,
		{subresource: 'status'},
	);
	sim.delete('pods', 'default', 'big-5f7b9c8d6-00001');
	sim.create('events', {
		apiVersion: 'v1',
		kind: 'Event',
		metadata: {name: 'big.1', namespace: 'default'},
		involvedObject: {kind: 'Pod', name: 'big-5f7b9c8d6-00000', namespace: 'default'},
		reason: 'BackOff',
		message: 'Back-off restarting failed container web',
		type: 'Warning',
		count: 1,
		firstTimestamp: new Date().toISOString(),
		lastTimestamp: new Date().toISOString(),
		source: {component: 'kubelet'},
	} as KubeObject);
	await waitFor(
		() => {
			const s = store.getState();
			return (
				s.pods.size === 4999 &&
				podsShown(s).find((r) => r.NAME === 'big-5f7b9c8d6-00000')?.STATUS === 'CrashLoopBackOff' &&
				selectEventRows(s).length === 1
			);
		},
		10_000,
		'the crash, the deletion and the event',
	);
	assert.equal(selectEventRows(store.getState())[0]!.reason, 'BackOff');
	assert.ok(selectRollout(store.getState()));
});
