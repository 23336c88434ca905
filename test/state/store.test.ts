import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {CockpitStore, overallConnection, type CockpitStoreOptions} from '../../source/state/store.js';
import type {WatchState} from '../../source/kube/watch.js';
import {waitFor} from '../helpers/wait.js';
import {NOW, deployment, event, pod, replicaSet} from '../helpers/objects.js';

function makeStore(options: CockpitStoreOptions = {}) {
	const store = new CockpitStore(
		{context: 'kind-demo', server: 'https://127.0.0.1:6443', namespace: 'default', deploymentName: 'nginx'},
		{flushIntervalMs: false, tickMs: false, now: () => NOW, ...options},
	);
	let notifications = 0;
	store.subscribe(() => notifications++);
	return {store, count: () => notifications};
}

const rs1 = replicaSet({hash: 'aaaaaaaaaa', revision: 1, image: 'nginx:1.18', replicas: 3});

function watching(restarts = 0): WatchState {
	return {phase: 'watching', since: NOW, restarts};
}

describe('CockpitStore batching', () => {
	test('5,000 watch events queue up and become one notification per flush', () => {
		const {store, count} = makeStore();
		const before = store.getState();
		for (let i = 0; i < 5000; i++) store.event('pods', 'ADDED', pod({rs: rs1, suffix: `p${i}`}));
		assert.equal(count(), 0, 'nothing applied before the flush');
		assert.equal(store.getState(), before, 'the snapshot does not change before the flush');
		assert.equal(store.getState().pods.size, 0);
		store.flush();
		assert.equal(count(), 1);
		assert.equal(store.getState().pods.size, 5000);
		store.flush();
		assert.equal(count(), 1, 'an empty flush does not notify');
	});

	test("a kind's first list is applied as soon as it is handed over, not a frame later; a relist and events wait for the frame", async () => {
		// A frame of 10 s: whatever shows before it comes from the first-list rule alone.
		const {store} = makeStore({flushIntervalMs: 10_000});
		store.event('replicaSets', 'ADDED', rs1);
		const pods = Array.from({length: 3}, (_, i) => pod({rs: rs1, suffix: `s${i}`}));
		store.sync('pods', pods, '10');
		assert.equal(store.getState().pods.size, 0, 'applied after the reflector callback returns, not inside it');
		await waitFor(() => store.getState().synced.pods, 2000, 'the first pod list');
		assert.equal(store.getState().pods.size, 3);
		assert.equal(store.getState().replicaSets.size, 1, 'what was queued before it comes along');
		store.event('pods', 'DELETED', pods[0]);
		store.sync('pods', pods.slice(1), '11');
		await new Promise((r) => setTimeout(r, 50));
		assert.equal(store.getState().pods.size, 3, 'a relist of a synced kind waits for the frame like any change');
		store.dispose();
	});

	test('with the timer on, a burst of events is applied in one batch within the frame interval', async () => {
		const {store, count} = makeStore({flushIntervalMs: 20});
		for (let i = 0; i < 300; i++) store.event('pods', 'ADDED', pod({rs: rs1, suffix: `q${i}`}));
		await waitFor(() => count() > 0, 2000, 'a flush');
		assert.equal(count(), 1);
		assert.equal(store.getState().pods.size, 300);
		store.dispose();
	});

	test('a lone event shows at the next frame; a flood is folded at most once per events interval', async () => {
		const {store} = makeStore({flushIntervalMs: 5, eventsIntervalMs: 300});
		const ev = (i: number) => event({kind: 'Pod', name: `nginx-aaaaaaaaaa-p${i}`, reason: 'Unhealthy', message: `probe ${i}`});
		const t0 = performance.now();
		store.event('events', 'ADDED', ev(0));
		await waitFor(() => store.getState().events.length === 1, 2000, 'the first event');
		assert.ok(performance.now() - t0 < 250, 'a lone event waits for no interval');
		// A flood right after: frames go on, but the rows are folded again only once the interval has passed.
		for (let i = 1; i <= 20; i++) store.event('events', 'ADDED', ev(i));
		store.event('pods', 'ADDED', pod({rs: rs1, suffix: 'f1'}));
		await waitFor(() => store.getState().pods.size === 1, 2000, 'the pod of the same frame');
		assert.equal(store.getState().events.length, 1, 'the flood waits for the interval');
		await waitFor(() => store.getState().events.length === 21, 2000, 'the flood, folded');
		assert.ok(performance.now() - t0 >= 290, 'not before the interval');
		store.dispose();
	});

	test('unchanged kinds keep their map identity, so memoised views of them survive', () => {
		const {store} = makeStore();
		store.sync('deployments', [deployment()], '1');
		store.sync('replicaSets', [rs1], '1');
		store.flush();
		const s1 = store.getState();
		store.event('pods', 'ADDED', pod({rs: rs1, suffix: 'x1'}));
		store.flush();
		const s2 = store.getState();
		assert.notEqual(s2, s1);
		assert.equal(s2.deployments, s1.deployments);
		assert.equal(s2.replicaSets, s1.replicaSets);
		assert.notEqual(s2.pods, s1.pods);
		assert.equal(s2.rawEvents, s1.rawEvents);
	});

	test('sync replaces the whole kind; MODIFIED replaces and DELETED removes by name', () => {
		const {store} = makeStore();
		const a = pod({rs: rs1, suffix: 'a'});
		const b = pod({rs: rs1, suffix: 'b'});
		store.event('pods', 'ADDED', pod({rs: rs1, suffix: 'stale'}));
		store.sync('pods', [a, b], '10');
		const b2 = pod({rs: rs1, suffix: 'b', phase: 'Terminating'});
		store.event('pods', 'MODIFIED', b2);
		store.event('pods', 'DELETED', a);
		store.flush();
		const pods = store.getState().pods;
		assert.deepEqual([...pods.keys()], ['nginx-aaaaaaaaaa-b']);
		assert.equal(pods.get('nginx-aaaaaaaaaa-b'), b2);
		assert.equal(store.getState().synced.pods, true);
		assert.equal(store.getState().synced.replicaSets, false);
	});

	test('events are folded by object, reason and message, and the log keeps only the newest N', () => {
		const {store} = makeStore({eventLimit: 50});
		const many = [];
		for (let i = 0; i < 200; i++)
			many.push(event({kind: 'Pod', name: `nginx-aaaaaaaaaa-p${i}`, reason: 'Pulled', message: `m${i}`, agoS: 1000 - i}));
		store.sync('events', many, '5');
		store.flush();
		const s = store.getState();
		assert.equal(s.rawEvents.length, 50);
		assert.ok(
			s.rawEvents.every((e) => Number(e.message!.slice(1)) >= 150),
			'the 50 newest are kept',
		);
		// Two events with the same object/reason/message fold into one row with the summed count.
		store.event(
			'events',
			'ADDED',
			event({
				kind: 'Deployment',
				name: 'nginx',
				reason: 'ScalingReplicaSet',
				message: 'Scaled up replica set nginx-b to 1',
				agoS: 5,
				count: 1,
			}),
		);
		store.event(
			'events',
			'ADDED',
			event({
				kind: 'Deployment',
				name: 'nginx',
				reason: 'ScalingReplicaSet',
				message: 'Scaled up replica set nginx-b to 1',
				agoS: 2,
				count: 2,
			}),
		);
		store.flush();
		const row = store.getState().events.find((r) => r.reason === 'ScalingReplicaSet');
		assert.equal(row?.count, 3);
		assert.equal(store.getState().rawEvents.length, 50, 'still bounded');
	});

	test('an event DELETED by the API (TTL) leaves the pane', () => {
		const {store} = makeStore();
		const ev = event({kind: 'Pod', name: 'nginx-aaaaaaaaaa-zz', reason: 'Killing', message: 'Stopping container nginx'});
		store.event('events', 'ADDED', ev);
		store.flush();
		assert.equal(store.getState().events.length, 1);
		store.event('events', 'DELETED', ev);
		store.flush();
		assert.equal(store.getState().events.length, 0);
	});

	test("selectDeployment drops the old deployment's ReplicaSets, pods, events and queued events", () => {
		const {store, count} = makeStore();
		store.sync('replicaSets', [rs1], '1');
		store.sync('pods', [pod({rs: rs1, suffix: 'a'})], '1');
		store.sync('events', [event({kind: 'Deployment', name: 'nginx', reason: 'ScalingReplicaSet', message: 'x'})], '1');
		store.sync('deployments', [deployment(), deployment({name: 'web'})], '1');
		store.flush();
		store.event('pods', 'ADDED', pod({rs: rs1, suffix: 'late'}));
		store.event('deployments', 'MODIFIED', deployment({name: 'web', replicas: 5}));
		const before = count();
		store.selectDeployment('web');
		assert.equal(count(), before + 1, 'the switch is visible at once');
		let s = store.getState();
		assert.equal(s.deploymentName, 'web');
		assert.equal(s.pods.size, 0);
		assert.equal(s.replicaSets.size, 0);
		assert.equal(s.events.length, 0);
		assert.deepEqual(s.synced, {deployments: true, replicaSets: false, pods: false, events: false});
		store.flush();
		s = store.getState();
		assert.equal(s.pods.size, 0, 'a queued pod of the old deployment is dropped');
		assert.equal(s.deployments.get('web')?.spec?.replicas, 5, 'queued deployment changes still apply');
		store.selectDeployment(undefined);
		assert.equal(store.getState().deploymentName, undefined);
	});

	test("a 403 outranks a later review in its namespace only; a switch forgets the old scope's rights", () => {
		const {store} = makeStore();
		const patch = 'patch deployments.apps';
		const scale = 'patch deployments.apps/scale';
		store.setAccess({namespace: 'default', verdicts: {[patch]: {allowed: true}, [scale]: {allowed: true}}});
		store.flush();
		store.denyAccess(patch, 'default');
		store.flush();
		assert.equal(store.getState().access?.verdicts[patch]?.allowed, false);
		assert.equal(store.getState().access?.verdicts[scale]?.allowed, true, 'the other need keeps its verdict');
		// A review that answers after the 403 (say, a retried one) does not un-mark the key.
		store.setAccess({namespace: 'default', verdicts: {[patch]: {allowed: true}, [scale]: {allowed: true}}});
		store.flush();
		assert.equal(store.getState().access?.verdicts[patch]?.fromServer, true);

		store.switchScope({context: 'kind-demo', server: 'https://127.0.0.1:6443', namespace: 'team-b'}, 'switched');
		assert.equal(store.getState().access, undefined, 'no key is marked from the old namespace while the new review runs');
		// A late answer about the old namespace (a review or a PATCH sent before the switch) marks nothing.
		store.setAccess({namespace: 'default', verdicts: {[patch]: {allowed: false, reason: 'old'}}});
		store.denyAccess(scale, 'default');
		store.flush();
		assert.equal(store.getState().access, undefined);
		store.setAccess({namespace: 'team-b', verdicts: {[patch]: {allowed: true}, [scale]: {allowed: true}}});
		store.flush();
		assert.deepEqual(store.getState().access, {
			namespace: 'team-b',
			verdicts: {[patch]: {allowed: true}, [scale]: {allowed: true}},
		});
		store.denyAccess(scale, 'team-b');
		store.flush();
		assert.equal(store.getState().access?.verdicts[scale]?.fromServer, true);
		assert.equal(store.getState().access?.verdicts[patch]?.allowed, true, "the old namespace's 403 on patch is not carried over");
	});

	test('reset empties one kind in order with the queue', () => {
		const {store} = makeStore();
		store.sync('pods', [pod({rs: rs1, suffix: 'a'})], '1');
		store.reset('pods');
		store.event('pods', 'ADDED', pod({rs: rs1, suffix: 'b'}));
		store.flush();
		assert.deepEqual([...store.getState().pods.keys()], ['nginx-aaaaaaaaaa-b']);
		assert.equal(store.getState().synced.pods, false);
	});

	test('connection states are batched and summarised', () => {
		const {store, count} = makeStore();
		store.setConnection('deployments', {phase: 'listing', since: NOW, restarts: 0});
		assert.equal(store.getState().connection.overall, 'connecting');
		store.flush();
		assert.equal(store.getState().connection.byKind.deployments?.phase, 'listing');
		assert.equal(store.getState().connection.overall, 'connecting');
		store.sync('deployments', [], '1');
		store.setConnection('deployments', watching());
		store.flush();
		assert.equal(store.getState().connection.overall, 'live');
		store.setConnection('pods', {phase: 'backoff', since: NOW, restarts: 1, error: 'connection refused', retryInMs: 800});
		store.flush();
		assert.equal(store.getState().connection.overall, 'degraded');
		store.setConnection('pods', undefined);
		store.flush();
		assert.deepEqual(Object.keys(store.getState().connection.byKind), ['deployments']);
		assert.equal(count(), 4);
	});

	test('the 1 s tick moves the clock on the frame clock, in the same notification as the watch events of that frame', async () => {
		let t = NOW;
		const {store, count} = makeStore({tickMs: 10, flushIntervalMs: 5, now: () => (t += 1000)});
		const start = store.getState().now;
		await waitFor(() => count() >= 2, 2000, 'two ticks');
		assert.ok(store.getState().now >= start + 2000);
		store.dispose();
		const after = count();
		const off = makeStore({tickMs: false});
		assert.equal(off.count(), 0);
		assert.equal(count(), after, 'no tick after dispose');
		// A tick and a burst of watch events queued in one frame: one notification for both.
		const one = makeStore({now: () => (t += 1000)});
		for (let i = 0; i < 50; i++) one.store.event('pods', 'ADDED', pod({rs: rs1, suffix: `t${i}`}));
		one.store.tick();
		one.store.flush();
		assert.equal(one.count(), 1);
		assert.equal(one.store.getState().pods.size, 50);
		assert.equal(one.store.getState().now, t);
	});

	test('probe snapshots are applied on the frame clock too: a burst is one notification, the last snapshot wins', () => {
		const {store, count} = makeStore();
		const snapshot = (probes: number) => ({
			phase: 'probing' as const,
			recent: [],
			probes,
			failed: 0,
			failures: [],
			verdicts: [],
			skipped: 0,
		});
		for (let i = 1; i <= 20; i++) store.setProbe(snapshot(i));
		assert.equal(count(), 0);
		store.flush();
		assert.equal(count(), 1);
		assert.equal(store.getState().probe?.probes, 20);
	});

	test('messages, server version, and dispose', () => {
		const {store, count} = makeStore();
		store.setServerVersion('v1.32.4');
		store.flush();
		store.setStatus('image updated', 'success');
		assert.equal(store.getState().serverVersion, 'v1.32.4');
		assert.deepEqual(store.getState().ui.message, {text: 'image updated', tone: 'success'});
		assert.equal(count(), 2);
		store.dispose();
		store.event('pods', 'ADDED', pod({rs: rs1, suffix: 'a'}));
		store.flush();
		store.setStatus('ignored');
		assert.equal(count(), 2);
		assert.equal(store.getState().pods.size, 0);
	});
});

describe('overallConnection', () => {
	const s = (phase: WatchState['phase']): WatchState => ({phase, since: NOW, restarts: 0});
	const table: [string, Record<string, WatchState>, Record<string, boolean>, string][] = [
		['nothing started', {}, {}, 'connecting'],
		['first list in flight', {deployments: s('listing')}, {}, 'connecting'],
		['all watching', {deployments: s('watching'), pods: s('watching')}, {deployments: true, pods: true}, 'live'],
		['one relisting after 410', {deployments: s('watching'), pods: s('listing')}, {deployments: true, pods: true}, 'degraded'],
		['one stalled', {deployments: s('watching'), pods: s('stalled')}, {deployments: true, pods: true}, 'degraded'],
		['first list while another backs off', {deployments: s('backoff'), pods: s('listing')}, {}, 'degraded'],
		['every watch backing off', {deployments: s('backoff'), pods: s('error')}, {deployments: true, pods: true}, 'offline'],
		['new scope listing while the rest is live', {deployments: s('watching'), pods: s('listing')}, {deployments: true}, 'connecting'],
	];
	for (const [name, byKind, synced, expected] of table) {
		test(name, () => assert.equal(overallConnection(byKind, synced), expected));
	}
});
