import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ApiError} from '../../source/sim/errors.js';
import {Store, type KubeObject, type StoreEvent} from '../../source/sim/store.js';

const pod = (name: string, labels: Record<string, string> = {}, namespace = 'default'): KubeObject => ({
	apiVersion: 'v1',
	kind: 'Pod',
	metadata: {name, namespace, labels},
	spec: {containers: [{name: 'c', image: 'nginx'}]},
});

const deploy = (name: string, replicas = 1): KubeObject => ({
	apiVersion: 'apps/v1',
	kind: 'Deployment',
	metadata: {name, namespace: 'default'},
	spec: {replicas, selector: {matchLabels: {app: name}}},
});

function apiError(fn: () => unknown): ApiError {
	try {
		fn();
	} catch (error) {
		assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
		return error;
	}
	assert.fail('expected the call to throw');
}

test('create fills server fields; resourceVersion grows; generation only for deployments and replicasets', () => {
	const store = new Store({now: () => Date.UTC(2024, 0, 2, 3, 4, 5, 678)});
	const p = store.create('pods', pod('a'));
	const d = store.create('deployments', deploy('web'));
	assert.match(p.metadata.uid!, /^[0-9a-f-]{36}$/);
	assert.equal(p.metadata.creationTimestamp, '2024-01-02T03:04:05Z');
	assert.equal(p.metadata.generation, undefined);
	assert.equal(d.metadata.generation, 1);
	assert.ok(Number(d.metadata.resourceVersion) > Number(p.metadata.resourceVersion));
	assert.equal(store.resourceVersion, d.metadata.resourceVersion);
});

test('create of an existing name is 409 AlreadyExists with the real message; generateName picks a free name', () => {
	const store = new Store();
	store.create('deployments', deploy('web'));
	const e = apiError(() => store.create('deployments', deploy('web')));
	assert.equal(e.code, 409);
	assert.equal(e.reason, 'AlreadyExists');
	assert.equal(e.message, 'deployments.apps "web" already exists');
	const g = store.create('pods', {metadata: {generateName: 'web-', namespace: 'default'}});
	assert.match(g.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});

test('get and list share the stored objects, which are frozen: changing one throws and the store keeps its value', () => {
	const store = new Store();
	const input = pod('a', {app: 'x'});
	store.create('pods', input);
	input.metadata.labels!.app = 'input changed after create';
	const got = store.get('pods', 'default', 'a')!;
	assert.equal(store.list('pods').items[0], got, 'a list hands out the stored object, not a copy');
	assert.throws(() => {
		got.metadata.labels!.app = 'changed';
	}, TypeError);
	assert.throws(() => {
		store.list('pods').items[0]!.spec.containers[0].image = 'changed';
	}, TypeError);
	assert.equal(store.get('pods', 'default', 'a')!.metadata.labels!.app, 'x');
	assert.equal(store.get('pods', 'default', 'a')!.spec.containers[0].image, 'nginx');
	assert.equal(store.get('pods', 'default', 'missing'), undefined);
	assert.equal(apiError(() => store.mustGet('pods', 'default', 'missing')).message, 'pods "missing" not found');
});

test('list sorts by namespace then name in byte order, filters by namespace, and carries the list resourceVersion', () => {
	const store = new Store();
	for (const [ns, name] of [
		['b', 'x'],
		['a', 'web.1'],
		['a', 'web-2'],
		['a', 'Web'],
	])
		store.create('pods', pod(name!, {}, ns));
	assert.deepEqual(
		store.list('pods').items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
		['a/Web', 'a/web-2', 'a/web.1', 'b/x'],
	);
	assert.deepEqual(
		store.list('pods', 'b').items.map((o) => o.metadata.name),
		['x'],
	);
	assert.equal(store.list('pods').resourceVersion, store.resourceVersion);
	const shared = store.listShared('pods', 'a');
	assert.equal(shared.items.length, 3);
	// Shared objects are the stored ones; a later write replaces rather than mutates them.
	const before = JSON.stringify(shared.items[0]);
	store.update('pods', {...store.get('pods', 'a', 'Web')!, metadata: {...store.get('pods', 'a', 'Web')!.metadata, labels: {v: '2'}}});
	assert.equal(JSON.stringify(shared.items[0]), before);
});

test('update with a stale resourceVersion is 409 Conflict and changes nothing; without one it is unconditional', () => {
	const store = new Store();
	const created = store.create('deployments', deploy('web'));
	const updated = store.update('deployments', {...created, spec: {...created.spec, replicas: 2}});
	const e = apiError(() => store.update('deployments', {...created, spec: {...created.spec, replicas: 5}}));
	assert.equal(e.code, 409);
	assert.equal(
		e.message,
		'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
	);
	assert.equal(store.get('deployments', 'default', 'web')!.spec.replicas, 2);
	const unconditional = store.update('deployments', {
		...created,
		metadata: {...created.metadata, resourceVersion: undefined},
		spec: {...created.spec, replicas: 4},
	});
	assert.equal(unconditional.spec.replicas, 4);
	assert.ok(Number(unconditional.metadata.resourceVersion) > Number(updated.metadata.resourceVersion));
});

test('a write that changes nothing keeps the resourceVersion and emits nothing, whatever the key order', () => {
	const store = new Store();
	const created = store.create('deployments', deploy('web', 3));
	const events: StoreEvent[] = [];
	store.subscribe((e) => events.push(e));
	// The same object with its keys in another order (as a client or controller may build it).
	const reordered: KubeObject = {
		spec: {selector: {matchLabels: {app: 'web'}}, replicas: 3},
		metadata: {
			resourceVersion: created.metadata.resourceVersion,
			namespace: 'default',
			name: 'web',
			uid: created.metadata.uid,
			creationTimestamp: created.metadata.creationTimestamp,
			generation: 1,
		},
		kind: 'Deployment',
		apiVersion: 'apps/v1',
	};
	const result = store.update('deployments', reordered);
	assert.equal(result.metadata.resourceVersion, created.metadata.resourceVersion);
	assert.equal(result.metadata.generation, 1);
	// Without a resourceVersion in the input, too.
	store.update('deployments', {...reordered, metadata: {...reordered.metadata, resourceVersion: undefined}});
	assert.deepEqual(events, []);
	assert.equal(store.resourceVersion, created.metadata.resourceVersion);
});

test('spec changes bump generation; status writes do not, and a main update keeps the stored status', () => {
	const store = new Store();
	const d = store.create('deployments', deploy('web'));
	const s = store.update('deployments', {...d, status: {replicas: 1, observedGeneration: 1}}, {subresource: 'status'});
	assert.equal(s.metadata.generation, 1);
	assert.deepEqual(s.status, {replicas: 1, observedGeneration: 1});
	const m = store.update('deployments', {...s, spec: {...s.spec, replicas: 2}, status: {replicas: 99}});
	assert.equal(m.metadata.generation, 2);
	assert.deepEqual(m.status, {replicas: 1, observedGeneration: 1});
	// A status write ignores spec changes in its input.
	const s2 = store.update('deployments', {...m, spec: {...m.spec, replicas: 7}, status: {replicas: 2}}, {subresource: 'status'});
	assert.equal(s2.spec.replicas, 2);
	assert.equal(s2.metadata.generation, 2);
});

test('delete removes, emits DELETED at a new resourceVersion, and 404s the second time', () => {
	const store = new Store();
	const p = store.create('pods', pod('a'));
	const events: StoreEvent[] = [];
	store.subscribe((e) => events.push(e));
	const deleted = store.delete('pods', 'default', 'a');
	assert.ok(Number(deleted.metadata.resourceVersion) > Number(p.metadata.resourceVersion));
	assert.deepEqual(
		events.map((e) => [e.type, e.object.metadata.name]),
		[['DELETED', 'a']],
	);
	assert.equal(store.count('pods'), 0);
	assert.equal(apiError(() => store.delete('pods', 'default', 'a')).code, 404);
});

test('watch from "0" lists current objects as ADDED, then streams; from a resourceVersion it replays what came after', () => {
	const store = new Store();
	store.create('pods', pod('a'));
	const mark = store.resourceVersion;
	store.create('pods', pod('b'));
	const seen0: string[] = [];
	const stop0 = store.watch('pods', {resourceVersion: '0'}, (e) => seen0.push(`${e.type} ${e.object.metadata.name}`));
	const seenRv: string[] = [];
	const stopRv = store.watch('pods', {resourceVersion: mark}, (e) => seenRv.push(`${e.type} ${e.object.metadata.name}`));
	store.delete('pods', 'default', 'a');
	stop0();
	stopRv();
	store.create('pods', pod('c'));
	assert.deepEqual(seen0, ['ADDED a', 'ADDED b', 'DELETED a']);
	assert.deepEqual(seenRv, ['ADDED b', 'DELETED a']);
});

test('watch from a resourceVersion older than the retained window throws 410 Expired', () => {
	const store = new Store({historyLimit: 3});
	const first = store.create('pods', pod('a'));
	for (let i = 0; i < 5; i++) store.create('pods', pod(`p${i}`));
	const e = apiError(() => store.watch('pods', {resourceVersion: first.metadata.resourceVersion}, () => {}));
	assert.equal(e.code, 410);
	assert.equal(e.reason, 'Expired');
	assert.match(e.message, /too old resource version/);
	// The newest retained versions still resume.
	const seen: string[] = [];
	store.watch('pods', {resourceVersion: String(Number(store.resourceVersion) - 2)}, (ev) => seen.push(ev.object.metadata.name!));
	assert.deepEqual(seen, ['p3', 'p4']);
});

test('a filtered watch sees a MODIFIED that enters its selection as ADDED and one that leaves it as DELETED', () => {
	const store = new Store({historyLimit: 2});
	store.create('pods', pod('a', {app: 'web'}));
	const seen: string[] = [];
	store.watch('pods', {resourceVersion: store.resourceVersion, filter: (o) => o.metadata.labels?.app === 'web'}, (e) =>
		seen.push(`${e.type} ${e.object.metadata.labels?.app}`),
	);
	const relabel = (app: string) => {
		const cur = store.get('pods', 'default', 'a')!;
		store.update('pods', {...cur, metadata: {...cur.metadata, labels: {app}}});
	};
	// Many unrelated writes in between push the previous version out of the history window.
	const touch = () => {
		for (let i = 0; i < 3; i++) store.create('pods', pod(`noise-${Math.random()}`, {app: 'other'}));
	};
	relabel('db');
	touch();
	relabel('web');
	touch();
	relabel('web2');
	assert.deepEqual(seen, ['DELETED db', 'ADDED web', 'DELETED web2']);
});

test("a watch started from inside another watcher's callback gets each later event once", () => {
	const store = new Store();
	const late: string[] = [];
	let started = false;
	store.subscribe((e) => {
		if (started || e.object.metadata.name !== 'trigger') return;
		started = true;
		// A controller reacting to an event by writing, then starting a watch from the version it knows.
		store.create('pods', pod('written-in-callback'));
		store.watch('pods', {resourceVersion: '0'}, (ev) => late.push(`${ev.type} ${ev.object.metadata.name}`));
	});
	store.create('pods', pod('trigger'));
	store.create('pods', pod('after'));
	assert.deepEqual(late, ['ADDED trigger', 'ADDED written-in-callback', 'ADDED after']);
});

test('subscribe sees every resource; a failing watcher does not stop the others', () => {
	const store = new Store();
	const seen: string[] = [];
	const original = console.error;
	console.error = () => {};
	try {
		store.subscribe(() => {
			throw new Error('broken watcher');
		});
		const stop = store.subscribe((e) => seen.push(`${e.resource}/${e.object.metadata.name}`));
		store.create('pods', pod('a'));
		store.create('deployments', deploy('d'));
		stop();
		store.create('pods', pod('b'));
	} finally {
		console.error = original;
	}
	assert.deepEqual(seen, ['pods/a', 'deployments/d']);
});

test('page: limit/continue walk key order; a continued list shows the objects as they were at its first page', () => {
	const store = new Store();
	for (const name of ['a', 'b', 'c', 'd', 'e']) store.create('pods', pod(name, {app: 'web'}));
	const first = store.page('pods', {limit: 2});
	assert.deepEqual(
		first.items.map((o) => o.metadata.name),
		['a', 'b'],
	);
	assert.equal(first.next, 'default/b');
	assert.equal(first.remaining, 3);
	const rv = Number(first.resourceVersion);
	// Between pages: c changes, d goes, an earlier and a later pod appear.
	const c = store.get('pods', 'default', 'c')!;
	store.update('pods', {...c, metadata: {...c.metadata, labels: {app: 'changed'}}});
	store.delete('pods', 'default', 'd');
	store.create('pods', pod('aa'));
	store.create('pods', pod('f'));
	const second = store.page('pods', {limit: 2, continueFrom: {rv, after: first.next!}});
	assert.equal(second.resourceVersion, String(rv));
	assert.deepEqual(
		second.items.map((o) => `${o.metadata.name} ${o.metadata.labels?.app}`),
		['c web', 'd web'],
	);
	const third = store.page('pods', {limit: 2, continueFrom: {rv, after: second.next!}});
	assert.deepEqual(
		third.items.map((o) => o.metadata.name),
		['e'],
	);
	assert.equal(third.next, undefined, 'the last page has no continue');
	// A fresh list sees the present.
	assert.deepEqual(
		store.page('pods', {}).items.map((o) => o.metadata.name),
		['a', 'aa', 'b', 'c', 'e', 'f'],
	);
});

test('page: a continue whose resourceVersion has left the history window is 410 Expired', () => {
	const store = new Store({historyLimit: 4});
	for (let i = 0; i < 4; i++) store.create('pods', pod(`p${i}`));
	const first = store.page('pods', {limit: 1});
	for (let i = 0; i < 10; i++) store.create('pods', pod(`q${i}`));
	const e = apiError(() => store.page('pods', {limit: 1, continueFrom: {rv: Number(first.resourceVersion), after: first.next!}}));
	assert.equal(e.code, 410);
	assert.match(e.message, /too old to display a consistent list result/);
});

test('a namespace list looks only at that namespace, and a label or node selector only at its index entries', () => {
	const store = new Store();
	for (let i = 0; i < 50; i++) store.create('pods', pod(`x${i}`, {app: 'big'}, 'busy'));
	for (let i = 0; i < 3; i++) store.create('pods', pod(`y${i}`, {app: 'small'}, 'quiet'));
	const small = store.create('pods', pod('z', {app: 'small'}, 'busy'));
	store.update('pods', {...small, spec: {...small.spec, nodeName: 'node7'}});
	let examined = 0;
	const counting = (pass: (o: KubeObject) => boolean) => (o: KubeObject) => {
		examined++;
		return pass(o);
	};
	assert.equal(store.page('pods', {namespace: 'quiet', filter: counting(() => true)}).items.length, 3);
	assert.equal(examined, 3, 'the other namespace was not walked');
	examined = 0;
	const bySelector = store.page('pods', {labels: ['app=small'], filter: counting((o) => o.metadata.labels?.app === 'small')});
	assert.deepEqual(
		bySelector.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
		['busy/z', 'quiet/y0', 'quiet/y1', 'quiet/y2'],
	);
	assert.equal(examined, 4, 'only the pods labelled app=small were looked at');
	examined = 0;
	const onNode = store.page('pods', {nodeName: 'node7', filter: counting((o) => o.spec.nodeName === 'node7')});
	assert.deepEqual(
		onNode.items.map((o) => o.metadata.name),
		['z'],
	);
	assert.equal(examined, 1);
	assert.deepEqual(
		store.dependents('none').map((d) => d.object.metadata.name),
		[],
	);
});
