// The controller base: informer caches with indexers, deduplicating work queues, retries, and a worker that
// yields to the event loop between bounded slices of work (so the API server answers while controllers work).
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {ManualClock, ScaledClock} from '../../../source/sim/clock.js';
import {controllerUid} from '../../../source/sim/indexer.js';
import {type Controller, ControllerManager} from '../../../source/sim/controllers/manager.js';
import {Store, type KubeObject} from '../../../source/sim/store.js';

const pod = (name: string, owner?: string): KubeObject => ({
	apiVersion: 'v1',
	kind: 'Pod',
	metadata: {
		name,
		namespace: 'default',
		...(owner ? {ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: owner, controller: true}]} : {}),
	},
	spec: {containers: [{name: 'c', image: 'nginx'}]},
});

/** A controller that records the keys it syncs and runs `work` in each sync. */
function recorder(m: ControllerManager, work: (key: string) => void = () => {}) {
	const synced: string[] = [];
	const c: Controller = {
		name: 'recorder',
		sync(key) {
			synced.push(key);
			work(key);
		},
	};
	return {queue: m.queue(c), synced};
}

describe('work queue', () => {
	it('runs a key once however often it is added while it waits, and again when added during its own sync', () => {
		const m = new ControllerManager({store: new Store(), clock: new ManualClock()});
		let again = true;
		const {queue, synced} = recorder(m, (key) => {
			if (key === 'a' && again) {
				again = false;
				queue.add('a');
			}
		});
		// Nothing runs before start: controllers are wired first, as informers fill.
		queue.add('a');
		queue.add('b');
		queue.add('a');
		assert.deepEqual(synced, []);
		m.start();
		assert.deepEqual(synced, ['a', 'b', 'a']);
		m.stop();
	});

	it('retries a sync that throws after a growing back-off, and reports each failure', () => {
		const clock = new ManualClock();
		const errors: string[] = [];
		const m = new ControllerManager({
			store: new Store(),
			clock,
			onError: (c, key, e) => errors.push(`${c} ${key} ${(e as Error).message}`),
		});
		let failures = 2;
		const {queue, synced} = recorder(m, () => {
			if (failures-- > 0) throw new Error('boom');
		});
		m.start();
		queue.add('k');
		assert.deepEqual(synced, ['k']);
		clock.advance(10); // first retry after 10 ms (5 ms doubled)
		assert.deepEqual(synced, ['k', 'k']);
		clock.advance(10); // the second waits 20 ms
		assert.deepEqual(synced, ['k', 'k']);
		clock.advance(10);
		assert.deepEqual(synced, ['k', 'k', 'k']);
		clock.advance(1000);
		assert.equal(synced.length, 3, 'a sync that succeeded is not retried');
		assert.deepEqual(errors, ['recorder k boom', 'recorder k boom']);
		m.stop();
	});

	it('addAfter keeps the earlier of two delays for one key', () => {
		const clock = new ManualClock();
		const m = new ControllerManager({store: new Store(), clock});
		const {queue, synced} = recorder(m);
		m.start();
		queue.addAfter('k', 500);
		queue.addAfter('k', 100);
		queue.addAfter('k', 300);
		clock.advance(99);
		assert.deepEqual(synced, []);
		clock.advance(1);
		assert.deepEqual(synced, ['k']);
		clock.advance(1000);
		assert.deepEqual(synced, ['k']);
		m.stop();
	});
});

describe('timers', () => {
	it('a cancelled timer does not run, also when its time has come and it waits in the queue behind other work', () => {
		const clock = new ManualClock();
		const m = new ControllerManager({store: new Store(), clock});
		m.start();
		const ran: string[] = [];
		m.hold(); // other work in the way: nothing queued runs yet
		const late = m.after(100, () => ran.push('late'));
		m.after(100, () => ran.push('kept'));
		clock.advance(200); // both are due and queued
		late.cancel(); // as churn's pause on SIGUSR2 does
		m.release();
		clock.advance(0);
		assert.deepEqual(ran, ['kept']);
		m.stop();
	});
});

describe('worker', () => {
	it('on a real clock, runs work in slices and lets pending I/O callbacks in between', async () => {
		const clock = new ScaledClock(1);
		const m = new ControllerManager({store: new Store(), clock, sliceMs: 5});
		const busy = (ms: number) => {
			const end = performance.now() + ms;
			while (performance.now() < end) {}
		};
		const {queue, synced} = recorder(m, () => busy(1));
		m.start();
		for (let i = 0; i < 60; i++) queue.add(`k${i}`);
		assert.equal(synced.length, 0, 'nothing runs inside add(): the work waits for the event loop');
		// Scheduled after the work was queued: it must run before the work is all done.
		const seenByIo = await new Promise<number>((resolve) => setImmediate(() => setImmediate(() => resolve(synced.length))));
		assert.ok(seenByIo > 0 && seenByIo < 60, `an I/O turn came after ${seenByIo} of 60 syncs`);
		const deadline = Date.now() + 10_000;
		while (synced.length < 60 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
		assert.equal(synced.length, 60);
		m.stop();
		clock.stop();
	});

	it('on a ManualClock, drains at once: a write is fully reconciled when it returns', () => {
		const store = new Store();
		const m = new ControllerManager({store, clock: new ManualClock()});
		const pods = m.informers.informer('pods');
		const seen: string[] = [];
		const c: Controller = {
			name: 'labeller',
			sync(key) {
				const [namespace, name] = key.split('/');
				const p = pods.get(namespace, name!)!;
				seen.push(`${name} rv ${p.metadata.resourceVersion}`);
				if (!p.metadata.labels?.seen) store.update('pods', {...p, metadata: {...p.metadata, labels: {seen: 'yes'}}});
			},
		};
		const queue = m.queue(c);
		pods.addEventHandler(
			{add: (p) => queue.add(`default/${p.metadata.name}`), update: (_o, p) => queue.add(`default/${p.metadata.name}`)},
			c.name,
		);
		m.start();
		const created = store.create('pods', pod('a'));
		// The sync read the cache as the store had it (never a stale version), wrote, and saw its own write.
		assert.equal(store.get('pods', 'default', 'a')!.metadata.labels?.seen, 'yes');
		assert.deepEqual(seen, [`a rv ${created.metadata.resourceVersion}`, `a rv ${Number(created.metadata.resourceVersion) + 1}`]);
		m.stop();
	});
});

describe('informer', () => {
	it('serves objects by index without copies, keeps indexes in step, and counts what it hands out per reader', () => {
		const store = new Store();
		const m = new ControllerManager({store, clock: new ManualClock()});
		const pods = m.informers.informer('pods');
		pods.addIndexer('byOwner', controllerUid);
		store.create('pods', pod('a', 'uid-1'));
		store.create('pods', pod('b', 'uid-1'));
		store.create('pods', pod('c', 'uid-2'));
		const reads = m.informers.reads;
		reads.reset();
		const owned = reads.as('reader', () => pods.byIndex('byOwner', 'uid-1'));
		assert.deepEqual(owned.map((p) => p.metadata.name).sort(), ['a', 'b']);
		assert.equal(owned[0], store.get('pods', 'default', owned[0]!.metadata.name!), 'the cached object is the stored one');
		assert.equal(pods.countByIndex('byOwner', 'uid-2'), 1);
		assert.deepEqual(Object.fromEntries(reads.counts), {reader: 2});
		// An owner change moves the object between index values; a delete removes it.
		const b = store.get('pods', 'default', 'b')!;
		store.update('pods', {...b, metadata: {...b.metadata, ownerReferences: pod('b', 'uid-2').metadata.ownerReferences}});
		store.delete('pods', 'default', 'a');
		assert.equal(pods.countByIndex('byOwner', 'uid-1'), 0);
		assert.deepEqual(
			pods
				.byIndex('byOwner', 'uid-2')
				.map((p) => p.metadata.name)
				.sort(),
			['b', 'c'],
		);
		// An indexer added later indexes what is cached already; handlers see the cache already updated.
		pods.addIndexer('byName', (p) => [p.metadata.name!]);
		assert.equal(pods.countByIndex('byName', 'c'), 1);
		let cachedInHandler: KubeObject | undefined;
		pods.addEventHandler({add: (p) => (cachedInHandler = pods.get('default', p.metadata.name!))});
		store.create('pods', pod('d'));
		assert.equal(cachedInHandler?.metadata.name, 'd');
		m.stop();
	});
});
