import assert from 'node:assert/strict';
import http from 'node:http';
import {describe, test, type TestContext} from 'node:test';
import {
	afterWatch,
	backoffDelay,
	handleWatchLine,
	reflect,
	stripManagedFields,
	stripNoise,
	type ReflectorTiming,
	type ReflectOptions,
	type WatchEventType,
	type WatchState,
} from '../../source/kube/watch.js';
import {ApiRequestError} from '../../source/kube/http.js';
import {listOffThread} from '../../source/kube/list-off-thread.js';
import {startFakeApi, type FakeRequest} from '../helpers/fake-api.js';
import {waitFor, within} from '../helpers/wait.js';

type Obj = {
	metadata: {
		name: string;
		resourceVersion: string;
		annotations?: Record<string, string>;
		managedFields?: unknown[];
		labels?: Record<string, string>;
	};
};

const PODS = '/api/v1/namespaces/default/pods';

function pod(name: string, rv: string, extra: Partial<Obj['metadata']> = {}): Obj {
	return {metadata: {name, resourceVersion: rv, ...extra}};
}

function listBody(items: Obj[], rv: string, cont?: string) {
	return {kind: 'PodList', apiVersion: 'v1', metadata: {resourceVersion: rv, ...(cont ? {continue: cont} : {})}, items};
}

function line(type: string, object: unknown): string {
	return `${JSON.stringify({type, object})}\n`;
}

const isList = (r: FakeRequest) => r.query.get('watch') === null;
const isWatch = (r: FakeRequest) => r.query.get('watch') === '1';

// Starts a reflector against a fresh fake API and records everything it reports.
async function setup(
	t: TestContext,
	timing: ReflectorTiming = {},
	extra: {labelSelector?: string; fieldSelector?: string; pageSize?: number} & Partial<
		Pick<ReflectOptions<Obj>, 'onSync' | 'onEvent' | 'first'>
	> = {},
	given?: Awaited<ReturnType<typeof startFakeApi>>,
) {
	const api = given ?? (await startFakeApi());
	const states: WatchState[] = [];
	const syncs: {items: Obj[]; rv: string}[] = [];
	const events: {type: WatchEventType; obj: Obj}[] = [];
	const reflector = reflect<Obj>({
		conn: api.connection(),
		path: PODS,
		...extra,
		onSync: (items, rv) => {
			extra.onSync?.(items, rv);
			syncs.push({items, rv});
		},
		onEvent: (type, obj) => {
			extra.onEvent?.(type, obj);
			events.push({type, obj});
		},
		onState: (s) => states.push(s),
		timing: {random: () => 0.5, ...timing},
	});
	t.after(async () => {
		reflector.stop();
		await api.close();
	});
	return {api, states, syncs, events, reflector};
}

// Timers that record backoff-sized delays (up to 30 s) and fire them after a thousandth of the time, so backoff
// is observable without waiting; longer timers (stall, request deadlines) run in real time.
function fastTimers() {
	const delays: number[] = [];
	return {
		delays,
		timers: {
			setTimeout: (fn: () => void, ms: number) => {
				if (ms > 30_000) return setTimeout(fn, ms);
				delays.push(ms);
				return setTimeout(fn, Math.ceil(ms / 1000));
			},
			clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
		},
	};
}

describe('backoffDelay', () => {
	test('doubles from 0.8 s, adds up to +100% jitter, and never exceeds 30 s', () => {
		const table: [number, number, number][] = [
			// attempt, random, expected ms
			[0, 0, 800],
			[0, 0.5, 1200],
			[0, 0.999, 1599],
			[1, 0, 1600],
			[2, 0, 3200],
			[3, 0.25, 8000],
			[5, 0, 25600],
			[5, 0.5, 30000],
			[6, 0, 30000],
			[30, 0.999, 30000],
			[100, 0, 30000],
		];
		for (const [attempt, r, expected] of table) {
			assert.equal(
				backoffDelay(attempt, {}, () => r),
				expected,
				`attempt ${attempt}, random ${r}`,
			);
		}
		assert.equal(
			backoffDelay(0, {backoffInitialMs: 10, backoffMaxMs: 100, jitter: 0}, () => 0.9),
			10,
		);
	});
});

describe('stripNoise', () => {
	test('drops managedFields and the last-applied annotation, keeps other annotations', () => {
		const obj = pod('a', '1', {
			managedFields: [{manager: 'kubectl'}],
			annotations: {'kubectl.kubernetes.io/last-applied-configuration': '{"huge":true}', 'deployment.kubernetes.io/revision': '2'},
		});
		const out = stripNoise<Obj>(obj);
		assert.equal(out.metadata.managedFields, undefined);
		assert.deepEqual(out.metadata.annotations, {'deployment.kubernetes.io/revision': '2'});
	});

	test('stripManagedFields keeps every annotation (an undo rewrites them all from this copy)', () => {
		const annotations = {'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}', team: 'web'};
		const out = stripManagedFields<Obj>(pod('a', '1', {managedFields: [{manager: 'kubectl'}], annotations: {...annotations}}));
		assert.equal(out.metadata.managedFields, undefined);
		assert.deepEqual(out.metadata.annotations, annotations);
	});
});

describe('handleWatchLine (the handle-event step)', () => {
	const PATH = '/api/v1/namespaces/default/pods';
	const run = (text: string, deliver: (type: WatchEventType, obj: Obj) => void = () => {}) =>
		handleWatchLine<Obj>(text, PATH, (raw) => stripNoise<Obj>(raw), deliver);
	const json = (type: string, object: unknown) => JSON.stringify({type, object});

	test('each kind of line, and what it means for the watch', () => {
		const table: [string, string, string, string | undefined][] = [
			// line, result kind, error text (matched), resourceVersion
			[json('ADDED', pod('a', '11')), 'delivered', '', '11'],
			[json('MODIFIED', pod('a', '12')), 'delivered', '', '12'],
			[json('DELETED', pod('a', '13')), 'delivered', '', '13'],
			[json('BOOKMARK', {metadata: {resourceVersion: '42'}}), 'bookmark', '', '42'],
			[json('SOMETHING', pod('a', '14')), 'ignored', '', undefined],
			[
				json('ERROR', {kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 1 (5)'}),
				'expired',
				'too old',
				undefined,
			],
			[json('ERROR', {kind: 'Status', code: 500, reason: 'InternalError', message: 'etcd'}), 'error', `watch ${PATH}: etcd`, undefined],
			['{"type":"ADDED","obj', 'error', 'not JSON', undefined],
		];
		for (const [text, kind, error, rv] of table) {
			const result = run(text);
			assert.equal(result.kind, kind, text);
			if ('error' in result) assert.match(result.error.message, new RegExp(error), text);
			if (result.kind === 'delivered' || result.kind === 'bookmark') assert.equal(result.resourceVersion, rv, text);
		}
		const expired = run(json('ERROR', {code: 410, reason: 'Expired', message: 'gone'}));
		assert.ok(expired.kind === 'expired' && expired.error instanceof ApiRequestError && expired.error.status === 410);
	});

	test('the object is transformed and delivered; a handler that throws ends the watch with what failed', () => {
		const got: [WatchEventType, Obj][] = [];
		const ok = run(json('ADDED', pod('a', '11', {managedFields: [{}]})), (type, obj) => got.push([type, obj]));
		assert.equal(ok.kind, 'delivered');
		assert.equal(got.length, 1);
		assert.equal(got[0]![1].metadata.managedFields, undefined);
		const failed = run(json('MODIFIED', pod('a', '12')), () => {
			throw new Error('cache is full');
		});
		assert.equal(failed.kind, 'error');
		assert.match((failed as {error: Error}).error.message, /handling a MODIFIED event failed: cache is full/);
	});
});

describe('afterWatch (what the loop does next)', () => {
	const PATH = '/p';
	test('routine close rewatches; short close, stall, 410 and errors are restarts; only some relist', () => {
		const http = (status: number) => new ApiRequestError('x', status);
		const table: [string, Parameters<typeof afterWatch>[0], {relist: boolean; restart: boolean; backoff: boolean}][] = [
			['routine close', {kind: 'closed', events: 3, durationMs: 300_000}, {relist: false, restart: false, backoff: false}],
			['closed at once, no data', {kind: 'closed', events: 0, durationMs: 10}, {relist: false, restart: true, backoff: true}],
			['stalled', {kind: 'stalled', events: 1, durationMs: 90_000}, {relist: false, restart: true, backoff: false}],
			['410', {kind: 'expired', error: http(410), events: 0, durationMs: 5}, {relist: true, restart: true, backoff: false}],
			[
				'500 before open',
				{kind: 'error', error: http(500), events: 0, durationMs: 5, beforeOpen: true},
				{relist: true, restart: true, backoff: true},
			],
			[
				'429 before open',
				{kind: 'error', error: http(429), events: 0, durationMs: 5, beforeOpen: true},
				{relist: false, restart: true, backoff: true},
			],
			[
				'unreachable',
				{kind: 'error', error: http(0), events: 0, durationMs: 5, beforeOpen: true},
				{relist: false, restart: true, backoff: true},
			],
			[
				'error in the stream',
				{kind: 'error', error: http(0), events: 2, durationMs: 5, beforeOpen: false},
				{relist: true, restart: true, backoff: true},
			],
		];
		for (const [name, outcome, expected] of table) {
			const next = afterWatch(outcome, PATH, 1000);
			assert.deepEqual({relist: next.relist, restart: next.restart, backoff: next.backoff !== undefined}, expected, name);
		}
	});
});

describe('listOffThread() and reflect({first}): a first list asked for before its reflector, read on a worker thread', () => {
	test('the early answer is the first list: one list request (at 0, with the selector), its items synced, then the watch from its version', async (t) => {
		const api = await startFakeApi();
		const early = listOffThread<Obj>({conn: api.connection(), path: PODS, labelSelector: 'app=web', transform: 'noise'});
		const list = await api.next(undefined, 20_000);
		assert.ok(isList(list));
		assert.equal(list.query.get('resourceVersion'), '0');
		assert.equal(list.query.get('labelSelector'), 'app=web');
		assert.equal(list.headers.authorization, `Bearer ${api.token}`, "the worker sends the connection's credentials");
		list.json(200, listBody([pod('a', '5', {managedFields: [{manager: 'x'}]}), pod('b', '7')], '10'));
		const {syncs, states} = await setup(t, {}, {labelSelector: 'app=web', first: early.answer}, api);
		const watch = await api.next();
		assert.ok(isWatch(watch), 'no second list: the reflector watches from the early list');
		assert.equal(watch.query.get('resourceVersion'), '10');
		assert.equal(watch.query.get('labelSelector'), 'app=web');
		assert.equal(syncs.length, 1);
		assert.deepEqual(
			syncs[0]!.items.map((p) => p.metadata.name),
			['a', 'b'],
		);
		assert.equal(syncs[0]!.items[0]!.metadata.managedFields, undefined, 'managedFields stripped as on any list');
		assert.deepEqual(
			states.map((s) => s.phase),
			['connecting', 'listing'],
		);
	});

	test('a list of megabytes, arriving in pieces cut anywhere, comes whole and in order, each object transformed', async (t) => {
		const api = await startFakeApi();
		t.after(() => api.close());
		const early = listOffThread<Obj>({conn: api.connection(), path: PODS, transform: 'noise'});
		const list = await api.next(undefined, 20_000);
		assert.equal(list.query.get('limit'), null, 'one answer, as a server serves resourceVersion 0 from its cache');
		// 1,200 pods of ~4 KB each (managedFields, a note with quotes and brackets in it): about 5 MB.
		const pods = Array.from({length: 1200}, (_, i) =>
			pod(`p${i}`, String(i + 1), {
				managedFields: [{manager: 'kubelet', fieldsV1: {'f:status': {'k:{"type":"Ready"}': {}}}}],
				annotations: {note: `"},{"metadata": ${'x'.repeat(3800)} ]}`},
			}),
		);
		const body = Buffer.from(JSON.stringify(listBody(pods, '4242')));
		list.stream();
		for (let at = 0; at < body.length; ) {
			const size = 1 + ((at * 7919) % 65_536);
			list.res.write(body.subarray(at, at + size));
			at += size;
		}
		list.end();
		const answer = await within(early.answer, 20_000, 'the streamed answer');
		assert.equal(answer.resourceVersion, '4242');
		assert.equal(answer.items.length, 1200);
		assert.deepEqual(
			answer.items.map((p) => p.metadata.name),
			pods.map((p) => p.metadata.name),
		);
		assert.ok(answer.items.every((p) => p.metadata.managedFields === undefined));
		assert.deepEqual(
			answer.items.map((p) => p.metadata.annotations),
			pods.map((p) => p.metadata.annotations),
		);
	});

	test('an early list that failed is asked for again at once, and the reflector goes on as after any list', async (t) => {
		const api = await startFakeApi();
		const early = listOffThread<Obj>({conn: api.connection(), path: PODS, transform: 'noise'});
		(await api.next(undefined, 20_000)).json(500, {kind: 'Status', status: 'Failure', message: 'etcd is tired', code: 500});
		await assert.rejects(early.answer, (e: unknown) => e instanceof ApiRequestError && e.status === 500 && /etcd is tired/.test(e.message));
		const {syncs, states} = await setup(t, {}, {first: early.answer}, api);
		const again = await api.next();
		assert.ok(isList(again), 'listed again');
		assert.equal(again.query.get('resourceVersion'), '0');
		again.json(200, listBody([pod('a', '5')], '10'));
		assert.ok(isWatch(await api.next()));
		assert.equal(syncs.length, 1);
		assert.ok(!states.some((s) => s.phase === 'backoff'), 'no backoff for the early list: its failure was nobody else’s');
	});

	test('a page not answered within the request timeout fails the list with a timeout', async (t) => {
		const api = await startFakeApi();
		t.after(() => api.close());
		const early = listOffThread<Obj>({conn: api.connection(), path: PODS, transform: 'noise', requestTimeoutMs: 300});
		await api.next(undefined, 20_000);
		await assert.rejects(
			within(early.answer, 10_000, 'the timed-out list'),
			(e: unknown) => e instanceof ApiRequestError && e.code === 'ETIMEDOUT' && /no answer within/.test(e.message),
		);
	});

	test('abort() drops an early list nobody takes: its request is closed', async (t) => {
		const api = await startFakeApi();
		t.after(() => api.close());
		const early = listOffThread<Obj>({conn: api.connection(), path: PODS, transform: 'noise'});
		const list = await api.next(undefined, 20_000);
		early.abort();
		await within(list.closed, 5000, 'the early list to be closed');
		await assert.rejects(early.answer);
	});

	test('a connection whose requests need their own agent (a proxy) is listed on this thread, with that agent', async (t) => {
		const api = await startFakeApi();
		t.after(() => api.close());
		const conn = api.connection();
		class ProxyAgent extends http.Agent {}
		const agent = new ProxyAgent();
		t.after(() => agent.destroy());
		const apply = conn.kubeConfig.applyToHTTPSOptions.bind(conn.kubeConfig);
		let applied = 0;
		conn.kubeConfig.applyToHTTPSOptions = async (opts) => {
			await apply(opts);
			opts.agent = agent;
			applied++;
		};
		const early = listOffThread<Obj>({conn, path: PODS, transform: 'noise'});
		const list = await api.next(undefined, 20_000);
		list.json(200, listBody([pod('a', '5', {managedFields: [{manager: 'x'}]})], '10'));
		const answer = await within(early.answer, 10_000, 'the list');
		assert.deepEqual(answer, {items: [pod('a', '5')], resourceVersion: '10'});
		assert.ok(applied >= 2, 'the request itself was made ready on this thread, with the agent');
	});
});

describe('reflect()', () => {
	test('lists at resourceVersion 0, then watches from the list version with bookmarks and a 5-10 min timeout', async (t) => {
		const {api, states, syncs, events} = await setup(t, {random: () => 0.5});
		const list = await api.next();
		assert.ok(isList(list));
		assert.equal(list.path, PODS);
		assert.equal(list.query.get('resourceVersion'), '0');
		list.json(200, listBody([pod('a', '5', {managedFields: [{manager: 'x'}]}), pod('b', '7')], '10'));
		const watch = await api.next();
		assert.ok(isWatch(watch));
		assert.equal(watch.query.get('resourceVersion'), '10');
		assert.equal(watch.query.get('allowWatchBookmarks'), 'true');
		assert.equal(watch.query.get('timeoutSeconds'), '450');
		assert.equal(syncs.length, 1);
		assert.deepEqual(
			syncs[0]!.items.map((p) => p.metadata.name),
			['a', 'b'],
		);
		assert.equal(syncs[0]!.rv, '10');
		assert.equal(syncs[0]!.items[0]!.metadata.managedFields, undefined, 'managedFields stripped on list');
		watch.stream();
		await waitFor(() => states.at(-1)?.phase === 'watching', 2000, 'watching');
		assert.deepEqual(
			states.map((s) => s.phase),
			['connecting', 'listing', 'watching'],
		);
		assert.equal(events.length, 0);
	});

	test('timeoutSeconds stays within [300, 600) for any random value', async (t) => {
		for (const r of [0, 0.999999]) {
			const {api} = await setup(t, {random: () => r});
			(await api.next()).json(200, listBody([], '1'));
			const seconds = Number((await api.next()).query.get('timeoutSeconds'));
			assert.ok(seconds >= 300 && seconds < 600, `timeoutSeconds ${seconds}`);
		}
	});

	test('parses watch lines split anywhere across chunks, including inside a UTF-8 character', async (t) => {
		const {api, events} = await setup(t);
		(await api.next()).json(200, listBody([], '10'));
		const watch = await api.next();
		watch.stream();
		const text =
			line('ADDED', pod('α-pod', '11', {labels: {team: 'crème-brûlée 🚀'}, managedFields: [{}]})) +
			line('MODIFIED', pod('α-pod', '12')) +
			line('DELETED', pod('α-pod', '13'));
		const bytes = Buffer.from(text, 'utf8');
		// Cut inside the multi-byte characters and in the middle of lines.
		const rocket = bytes.indexOf(Buffer.from('🚀'));
		const cuts = [3, rocket + 1, rocket + 3, bytes.indexOf(Buffer.from('MODIFIED')) + 2, bytes.length - 5];
		let last = 0;
		for (const cut of cuts) {
			watch.res.write(bytes.subarray(last, cut));
			last = cut;
			await new Promise((r) => setImmediate(r));
		}
		watch.res.write(bytes.subarray(last));
		await waitFor(() => events.length === 3, 2000, 'three events');
		assert.deepEqual(
			events.map((e) => e.type),
			['ADDED', 'MODIFIED', 'DELETED'],
		);
		assert.equal(events[0]!.obj.metadata.labels?.team, 'crème-brûlée 🚀');
		assert.equal(events[0]!.obj.metadata.name, 'α-pod');
		assert.equal(events[0]!.obj.metadata.managedFields, undefined, 'managedFields stripped on watch');
	});

	test('a bookmark moves the resourceVersion: after a routine close it rewatches from there without relisting', async (t) => {
		const {api, syncs, events, states} = await setup(t);
		(await api.next()).json(200, listBody([pod('a', '5')], '10'));
		const watch = await api.next();
		watch.stream();
		watch.write(line('ADDED', pod('b', '11')));
		watch.write(line('BOOKMARK', {kind: 'Pod', apiVersion: 'v1', metadata: {resourceVersion: '42'}}));
		watch.end();
		const next = await api.next();
		assert.ok(isWatch(next), 'rewatch, not relist');
		assert.equal(next.query.get('resourceVersion'), '42');
		assert.equal(syncs.length, 1);
		assert.deepEqual(
			events.map((e) => e.obj.metadata.name),
			['b'],
			'bookmarks are not delivered as events',
		);
		assert.equal(states.at(-1)!.restarts, 0, 'a routine close is not a restart');
		assert.ok(!states.some((s) => s.phase === 'backoff'));
	});

	test('an in-stream ERROR 410 (Expired) relists and replaces the cache', async (t) => {
		const {api, syncs, states} = await setup(t);
		(await api.next()).json(200, listBody([pod('a', '5'), pod('b', '6')], '10'));
		const watch = await api.next();
		watch.stream();
		watch.write(line('MODIFIED', pod('a', '15')));
		watch.write(
			line('ERROR', {
				kind: 'Status',
				apiVersion: 'v1',
				status: 'Failure',
				message: 'too old resource version: 10 (20)',
				reason: 'Expired',
				code: 410,
			}),
		);
		const relist = await api.next();
		assert.ok(isList(relist), 'the next request is a list');
		assert.equal(relist.query.get('resourceVersion'), '15', 'relists no older than what it has seen');
		relist.json(200, listBody([pod('c', '25')], '30'));
		const rewatch = await api.next();
		assert.ok(isWatch(rewatch));
		assert.equal(rewatch.query.get('resourceVersion'), '30');
		assert.equal(syncs.length, 2);
		assert.deepEqual(
			syncs[1]!.items.map((p) => p.metadata.name),
			['c'],
		);
		assert.equal(states.at(-1)!.restarts, 1);
		await within(watch.closed, 5000, 'the watch to be closed');
	});

	test('an HTTP 410 on opening the watch relists too', async (t) => {
		const {api, syncs} = await setup(t);
		(await api.next()).json(200, listBody([], '10'));
		(await api.next()).json(410, {
			kind: 'Status',
			apiVersion: 'v1',
			status: 'Failure',
			message: 'too old resource version',
			reason: 'Expired',
			code: 410,
		});
		const relist = await api.next();
		assert.ok(isList(relist));
		relist.json(200, listBody([pod('z', '99')], '100'));
		assert.equal((await api.next()).query.get('resourceVersion'), '100');
		assert.equal(syncs.length, 2);
	});

	test('a 410 on the list itself retries at once with resourceVersion "" (the latest)', async (t) => {
		const {api, syncs, states} = await setup(t);
		(await api.next()).json(200, listBody([], '10'));
		const watch = await api.next();
		watch.stream();
		watch.write(line('ERROR', {kind: 'Status', code: 410, reason: 'Expired', message: 'gone'}));
		const relist = await api.next();
		assert.equal(relist.query.get('resourceVersion'), '10');
		relist.json(410, {kind: 'Status', code: 410, reason: 'Expired', message: 'gone'});
		const fresh = await api.next();
		assert.ok(isList(fresh));
		assert.equal(fresh.query.get('resourceVersion'), null, 'no resourceVersion: a consistent read of the latest');
		fresh.json(200, listBody([pod('n', '50')], '50'));
		await api.next(isWatch);
		assert.equal(syncs.length, 2);
		assert.ok(!states.some((s) => s.phase === 'backoff'), 'no backoff for an expired version');
	});

	test('HTTP 500s back off exponentially with jitter (0.8 s doubling, capped at 30 s), then reset after a healthy watch', async (t) => {
		const {delays, timers} = fastTimers();
		const {api, states} = await setup(t, {random: () => 0.5, timers, stallMs: 3_600_000, healthyWatchMs: 3_600_000});
		const status500 = {kind: 'Status', code: 500, reason: 'InternalError', message: 'etcdserver: leader changed'};
		for (let i = 0; i < 7; i++) {
			const list = await api.next();
			assert.ok(isList(list));
			list.json(500, status500);
		}
		await waitFor(() => states.filter((s) => s.phase === 'backoff').length === 7, 2000, 'seven backoffs');
		const backoffs = states.filter((s) => s.phase === 'backoff');
		assert.deepEqual(
			backoffs.map((s) => s.retryInMs),
			[1200, 2400, 4800, 9600, 19200, 30000, 30000],
		);
		assert.match(backoffs[0]!.error!, /etcdserver: leader changed/);
		assert.deepEqual(delays, [1200, 2400, 4800, 9600, 19200, 30000, 30000]);
		// Recovery: list works, the watch delivers an event (healthy) and then the server fails again.
		(await api.next()).json(200, listBody([], '10'));
		const watch = await api.next();
		watch.stream();
		watch.write(line('ADDED', pod('a', '11')));
		watch.end();
		(await api.next(isWatch)).json(500, status500);
		await waitFor(() => states.filter((s) => s.phase === 'backoff').length === 8, 2000, 'eighth backoff');
		assert.equal(states.filter((s) => s.phase === 'backoff').at(-1)!.retryInMs, 1200, 'backoff starts over after a healthy watch');
		assert.ok(states.at(-1)!.restarts >= 8);
	});

	test('jitter bounds: the first retry waits between 0.8 s and 1.6 s', async (t) => {
		for (const r of [0, 0.999]) {
			const {delays, timers} = fastTimers();
			const {api, states} = await setup(t, {random: () => r, timers});
			(await api.next()).json(503, {kind: 'Status', code: 503, message: 'unavailable'});
			await waitFor(() => states.some((s) => s.phase === 'backoff'), 2000, 'backoff');
			const wait = states.find((s) => s.phase === 'backoff')!.retryInMs!;
			assert.ok(wait >= 800 && wait < 1600, `first wait ${wait}`);
			assert.ok(delays.includes(wait), 'the timer was set for the reported delay');
			await api.next(isList);
		}
	});

	test('401 is reported as phase "error" with a hint, and still retried', async (t) => {
		const {timers} = fastTimers();
		const {api, states} = await setup(t, {timers});
		(await api.next()).json(401, {kind: 'Status', code: 401, reason: 'Unauthorized', message: 'Unauthorized'});
		await waitFor(() => states.some((s) => s.phase === 'error'), 2000, 'error state');
		assert.match(states.find((s) => s.phase === 'error')!.error!, /Unauthorized.*credentials in the kubeconfig were refused/);
		assert.ok(isList(await api.next()), 'retried');
	});

	test('429 on opening a watch backs off and rewatches from the same resourceVersion (no relist)', async (t) => {
		const {timers} = fastTimers();
		const {api, syncs} = await setup(t, {timers});
		(await api.next()).json(200, listBody([], '10'));
		(await api.next()).json(429, {kind: 'Status', code: 429, reason: 'TooManyRequests', message: 'slow down'});
		const next = await api.next();
		assert.ok(isWatch(next));
		assert.equal(next.query.get('resourceVersion'), '10');
		assert.equal(syncs.length, 1);
	});

	test('a 500 on opening a watch backs off and relists', async (t) => {
		const {timers} = fastTimers();
		const {api, states} = await setup(t, {timers});
		(await api.next()).json(200, listBody([], '10'));
		(await api.next()).json(500, {kind: 'Status', code: 500, message: 'boom'});
		assert.ok(isList(await api.next()));
		assert.ok(states.some((s) => s.phase === 'backoff'));
	});

	test('a watch that ends at once with no data backs off before rewatching', async (t) => {
		const {timers, delays} = fastTimers();
		const {api, states} = await setup(t, {timers, stallMs: 3_600_000, healthyWatchMs: 3_600_000});
		(await api.next()).json(200, listBody([], '10'));
		const watch = await api.next();
		watch.stream();
		watch.end();
		const again = await api.next();
		assert.ok(isWatch(again));
		const backoff = states.find((s) => s.phase === 'backoff');
		assert.ok(backoff, 'backed off');
		assert.match(backoff.error!, /closed after \d+ ms without any event/);
		assert.ok(delays.includes(backoff.retryInMs!));
	});

	test('a stalled watch (no data within stallMs) is aborted and reopened from the same resourceVersion', async (t) => {
		const {api, states} = await setup(t, {stallMs: 150});
		(await api.next()).json(200, listBody([], '10'));
		const watch = await api.next();
		watch.stream();
		watch.write(line('ADDED', pod('a', '11')));
		const started = Date.now();
		await within(watch.closed, 5000, 'the watch to be closed');
		assert.ok(Date.now() - started >= 100, 'not aborted before the stall time');
		const again = await api.next();
		assert.ok(isWatch(again));
		assert.equal(again.query.get('resourceVersion'), '11');
		const stalled = states.find((s) => s.phase === 'stalled');
		assert.ok(stalled, 'reported stalled');
		assert.equal(stalled.restarts, 1);
		again.stream();
		await waitFor(() => states.at(-1)?.phase === 'watching', 2000, 'watching again');
	});

	test('bookmarks keep a quiet watch alive past the stall time', async (t) => {
		// A bookmark every 100 ms against a stall time of 1 s, for 1.5 s: at load 25 on 2 cores a 50 ms sleep against
		// 150 ms once overslept the stall time, and the watch was (rightly) aborted.
		const {api, states} = await setup(t, {stallMs: 1000});
		(await api.next()).json(200, listBody([], '10'));
		const watch = await api.next();
		watch.stream();
		let aborted = false;
		void watch.closed.then(() => (aborted = true));
		const started = Date.now();
		for (let i = 0; i < 15; i++) {
			watch.write(line('BOOKMARK', {metadata: {resourceVersion: String(20 + i)}}));
			await new Promise((r) => setTimeout(r, 100));
		}
		assert.ok(Date.now() - started > 1000, 'the bookmarks flowed for longer than the stall time');
		assert.equal(aborted, false, 'not aborted while bookmarks flow');
		assert.ok(!states.some((s) => s.phase === 'stalled'));
		watch.end();
		assert.equal((await api.next()).query.get('resourceVersion'), '34');
	});

	test('a list that never completes is abandoned after requestTimeoutMs and retried after a backoff', async (t) => {
		const {api, states} = await setup(t, {requestTimeoutMs: 100, backoffInitialMs: 10, jitter: 0});
		const hung = await api.next();
		assert.ok(isList(hung));
		await within(hung.closed, 5000, 'the hung request to be closed');
		const retry = await api.next();
		assert.ok(isList(retry));
		const backoff = states.find((s) => s.phase === 'backoff');
		assert.match(backoff?.error ?? '', /list \/api\/v1\/namespaces\/default\/pods: no answer from http:\/\/127\.0\.0\.1:\d+ within 0 s/);
		assert.equal(backoff?.retryInMs, 10);
	});

	test('a watch whose headers never come is abandoned and reopened from the same resourceVersion', async (t) => {
		const {api, states, syncs} = await setup(t, {requestTimeoutMs: 100, backoffInitialMs: 10, jitter: 0});
		(await api.next()).json(200, listBody([], '10'));
		const hung = await api.next();
		assert.ok(isWatch(hung));
		await within(hung.closed, 5000, 'the hung request to be closed');
		const again = await api.next();
		assert.ok(isWatch(again), 'rewatch, no relist');
		assert.equal(again.query.get('resourceVersion'), '10');
		assert.equal(syncs.length, 1);
		assert.ok(states.some((s) => s.phase === 'backoff' && /no answer/.test(s.error ?? '')));
	});

	test('label and field selectors go on both list and watch; paging follows continue tokens', async (t) => {
		const {api, syncs} = await setup(t, {}, {labelSelector: 'app=nginx,tier in (web)', fieldSelector: 'spec.nodeName=node1', pageSize: 2});
		const first = await api.next();
		assert.equal(first.query.get('labelSelector'), 'app=nginx,tier in (web)');
		assert.equal(first.query.get('fieldSelector'), 'spec.nodeName=node1');
		assert.equal(first.query.get('limit'), '2');
		first.json(200, listBody([pod('a', '1'), pod('b', '2')], '10', 'tok1'));
		const second = await api.next();
		assert.equal(second.query.get('continue'), 'tok1');
		assert.equal(second.query.get('resourceVersion'), null, 'no resourceVersion with continue');
		second.json(200, listBody([pod('c', '3')], '10'));
		const watch = await api.next();
		assert.ok(isWatch(watch));
		assert.equal(watch.query.get('labelSelector'), 'app=nginx,tier in (web)');
		assert.equal(watch.query.get('fieldSelector'), 'spec.nodeName=node1');
		assert.deepEqual(
			syncs[0]!.items.map((p) => p.metadata.name),
			['a', 'b', 'c'],
		);
	});

	test('an event handler that throws once: the watch reports it, backs off, relists and goes on', async (t) => {
		const {timers} = fastTimers();
		let throws = 1;
		const {api, states, syncs, events} = await setup(
			t,
			{timers},
			{
				onEvent: () => {
					if (throws-- > 0) throw new Error('the cache refused the object');
				},
			},
		);
		(await api.next()).json(200, listBody([pod('a', '5')], '10'));
		const watch = await api.next(isWatch);
		watch.stream();
		watch.write(line('ADDED', pod('b', '11')));
		const relist = await api.next(isList);
		const failure = states.find((s) => s.phase === 'backoff');
		assert.match(failure?.error ?? '', /handling a ADDED event failed: the cache refused the object/);
		relist.json(200, listBody([pod('a', '5'), pod('b', '11')], '11'));
		const rewatch = await api.next(isWatch);
		assert.equal(rewatch.query.get('resourceVersion'), '11');
		rewatch.stream();
		rewatch.write(line('ADDED', pod('c', '12')));
		await waitFor(() => events.some((e) => e.obj.metadata.name === 'c'), 3000, 'the next event after the recovery');
		assert.deepEqual(
			syncs.map((x) => x.items.map((p) => p.metadata.name)),
			[['a'], ['a', 'b']],
		);
		await waitFor(() => states.at(-1)?.phase === 'watching', 3000, 'watching again');
	});

	test('a sync handler that throws once does not end the reflector: it is reported and the list is retried', async (t) => {
		const {timers} = fastTimers();
		let throws = 1;
		const {api, states, syncs} = await setup(
			t,
			{timers},
			{
				onSync: () => {
					if (throws-- > 0) throw new TypeError("Cannot read properties of undefined (reading 'metadata')");
				},
			},
		);
		(await api.next()).json(200, listBody([pod('a', '5')], '10'));
		const again = await api.next(isList);
		assert.match(
			states.find((s) => s.phase === 'backoff')?.error ?? '',
			/the reflector for \/api\/v1\/namespaces\/default\/pods failed \(Cannot read/,
		);
		again.json(200, listBody([pod('a', '5')], '10'));
		(await api.next(isWatch)).stream();
		await waitFor(() => states.at(-1)?.phase === 'watching', 3000, 'watching after the failed sync');
		assert.equal(syncs.length, 1);
	});

	test('stop() ends the watch, closes the socket, clears timers and reports nothing more', async (t) => {
		const timersBefore = countTimers();
		const api = await startFakeApi();
		t.after(() => api.close());
		const states: WatchState[] = [];
		const reflector = reflect<Obj>({
			conn: api.connection(),
			path: PODS,
			onSync: () => {},
			onEvent: () => {},
			onState: (s) => states.push(s),
			timing: {stallMs: 60_000},
		});
		(await api.next()).json(200, listBody([], '10'));
		const watch = await api.next();
		watch.stream();
		await waitFor(() => states.at(-1)?.phase === 'watching', 2000, 'watching');
		assert.ok(countTimers() > timersBefore, 'the stall timer is armed while watching');
		const reported = states.length;
		reflector.stop();
		await within(watch.closed, 5000, 'the watch to be closed');
		await waitFor(() => api.openSockets() === 0, 2000, 'sockets closed');
		await waitFor(() => countTimers() <= timersBefore, 2000, 'timers cleared');
		assert.equal(states.length, reported, 'no state after stop');
		assert.equal(api.pending().length, 0, 'no further requests');
	});

	test('stop() during a backoff wait cancels the timer and sends no more requests', async (t) => {
		const timersBefore = countTimers();
		const api = await startFakeApi();
		t.after(() => api.close());
		const states: WatchState[] = [];
		const reflector = reflect<Obj>({
			conn: api.connection(),
			path: PODS,
			onSync: () => {},
			onEvent: () => {},
			onState: (s) => states.push(s),
		});
		(await api.next()).json(500, {kind: 'Status', code: 500, message: 'down'});
		await waitFor(() => states.at(-1)?.phase === 'backoff', 2000, 'backoff');
		assert.ok(countTimers() > timersBefore, 'a backoff timer is pending');
		reflector.stop();
		await waitFor(() => countTimers() <= timersBefore, 2000, 'timers cleared');
		await waitFor(() => api.openSockets() === 0, 2000, 'sockets closed');
		assert.equal(api.pending().length, 0);
	});
});

function countTimers(): number {
	return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}
