import assert from 'node:assert/strict';
import {test} from 'node:test';
import {podOwnerIndex} from '../../source/model/rollout-progress.js';
import type {Pod} from '../../source/model/types.js';
import {mayBeStuck, rolloutDiagnosis} from '../../source/model/stuck-pods.js';
import {selectDiagnosis, selectEventRows, selectPods, selectReplicaSets} from '../../source/state/selectors.js';
import {FilteredView} from '../../source/state/sorted-view.js';
import {CockpitStore} from '../../source/state/store.js';
import {NOW, deployment, event, pod, replicaSet, type PodPhase} from '../helpers/objects.js';

const oldRS = replicaSet({hash: 'aaaaaaaaaa', revision: 1, image: 'nginx:1.18', replicas: 50});
const newRS = replicaSet({hash: 'bbbbbbbbbb', revision: 2, image: 'nginx:1.19', replicas: 50});
const otherRS = replicaSet({deployment: 'other', hash: 'cccccccccc', revision: 1, image: 'nginx:1.19', replicas: 5});

// The pods' order computed from scratch: owned pods, newest revision first, then by name.
function reference(pods: Iterable<Pod>): string[] {
	const owner = podOwnerIndex([oldRS, newRS]);
	return [...pods]
		.map((p) => ({p, o: owner(p)}))
		.filter((x) => x.o)
		.sort((a, b) => b.o!.revision - a.o!.revision || (a.p.metadata!.name! < b.p.metadata!.name! ? -1 : 1))
		.map((x) => x.p.metadata!.name!);
}

test('the pods kept in order from the store’s deltas equal a full sort after every flush of random changes', () => {
	const store = new CockpitStore(
		{context: 'c', server: 's', namespace: 'default', deploymentName: 'nginx'},
		{flushIntervalMs: false, tickMs: false, now: () => NOW},
	);
	store.sync('deployments', [deployment({image: 'nginx:1.19', replicas: 100})], '1');
	store.sync('replicaSets', [oldRS, newRS, otherRS], '1');
	store.sync('pods', [], '1');
	store.sync('events', [], '1');
	store.flush();
	let seed = 11;
	const rand = () => {
		seed = (seed * 1103515245 + 12345) & 0x7fffffff;
		return seed / 0x7fffffff;
	};
	const live = new Map<string, Pod>();
	const rsList = [oldRS, newRS, otherRS];
	for (let flush = 0; flush < 300; flush++) {
		for (let n = Math.floor(rand() * 12); n > 0; n--) {
			const suffix = `p${String(Math.floor(rand() * 60)).padStart(3, '0')}`;
			const rs = rsList[Math.floor(rand() * 3)];
			const p = pod({rs, suffix, restarts: Math.floor(rand() * 3)});
			const name = p.metadata!.name!;
			if (live.has(name) && rand() < 0.3) {
				store.event('pods', 'DELETED', live.get(name)!);
				live.delete(name);
			} else {
				store.event('pods', live.has(name) ? 'MODIFIED' : 'ADDED', p);
				live.set(name, p);
			}
		}
		// Now and then a ReplicaSet's status changes (as at every readiness flap): the order must not be lost.
		if (rand() < 0.2) store.event('replicaSets', 'MODIFIED', {...newRS, status: {...newRS.status, readyReplicas: flush}});
		// And now and then a relist replaces everything.
		if (rand() < 0.03) store.sync('pods', [...live.values()], String(flush));
		store.flush();
		const state = store.getState();
		assert.deepEqual(
			selectPods(state).map((p) => p.metadata?.name),
			reference(state.pods.values()),
			`after flush ${flush}`,
		);
		assert.equal(selectReplicaSets(state).length, 2);
	}
});

test('a pod’s status changing does not refold the events; a pod coming does', () => {
	const store = new CockpitStore(
		{context: 'c', server: 's', namespace: 'default', deploymentName: 'nginx'},
		{flushIntervalMs: false, tickMs: false, now: () => NOW},
	);
	const a = pod({rs: newRS, suffix: 'aaaaa'});
	store.sync('deployments', [deployment({image: 'nginx:1.19', replicas: 2})], '1');
	store.sync('replicaSets', [newRS], '1');
	store.sync('pods', [a], '1');
	store.sync('events', [event({kind: 'Pod', name: a.metadata!.name!, reason: 'Started', message: 'Started container nginx'})], '1');
	store.flush();
	const rows = selectEventRows(store.getState());
	assert.equal(rows.length, 1);
	store.event('pods', 'MODIFIED', pod({rs: newRS, suffix: 'aaaaa', restarts: 1}));
	store.flush();
	assert.equal(selectEventRows(store.getState()), rows, 'the same rows: nothing they depend on changed');
	store.event('pods', 'ADDED', pod({rs: newRS, suffix: 'bbbbb'}));
	store.flush();
	assert.notEqual(selectEventRows(store.getState()), rows, 'a new pod may own events: the rows are made again');
});

test('the pods that may be stuck, kept from the deltas, equal a full filter; the diagnosis equals one over every pod', () => {
	const store = new CockpitStore(
		{context: 'c', server: 's', namespace: 'default', deploymentName: 'nginx'},
		{flushIntervalMs: false, tickMs: false, now: () => NOW},
	);
	// Half-way, so that a stuck new pod is a diagnosis.
	const d = deployment({image: 'nginx:1.19', replicas: 100, updated: 50});
	store.sync('deployments', [d], '1');
	store.sync('replicaSets', [oldRS, newRS], '1');
	store.sync('pods', [], '1');
	store.sync('events', [], '1');
	store.flush();
	let seed = 7;
	const rand = () => {
		seed = (seed * 1103515245 + 12345) & 0x7fffffff;
		return seed / 0x7fffffff;
	};
	const phases: PodPhase[] = ['Running', 'Running', 'Running', 'Pending-creating', 'Pending-pull', 'Crash', 'Terminating'];
	const view = new FilteredView<Pod>();
	const live = new Map<string, Pod>();
	let stuckSeen = 0;
	for (let flush = 0; flush < 300; flush++) {
		for (let n = Math.floor(rand() * 10); n > 0; n--) {
			const suffix = `p${String(Math.floor(rand() * 40)).padStart(3, '0')}`;
			const p = pod({rs: rand() < 0.7 ? newRS : oldRS, suffix, phase: phases[Math.floor(rand() * phases.length)], createdAgo: 600});
			const name = p.metadata!.name!;
			if (live.has(name) && rand() < 0.25) {
				store.event('pods', 'DELETED', live.get(name)!);
				live.delete(name);
			} else {
				store.event('pods', live.has(name) ? 'MODIFIED' : 'ADDED', p);
				live.set(name, p);
			}
		}
		if (rand() < 0.03) store.sync('pods', [...live.values()], String(flush));
		store.flush();
		const state = store.getState();
		const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata!.name!).sort();
		assert.deepEqual(names(view.list(state.pods, mayBeStuck)), names([...state.pods.values()].filter(mayBeStuck)), `after flush ${flush}`);
		const full = rolloutDiagnosis(d, [oldRS, newRS], state.pods.values(), state.rawEvents, state.now, 0);
		assert.deepEqual(selectDiagnosis(state, 0), full, `the diagnosis after flush ${flush}`);
		if (full) stuckSeen++;
	}
	assert.ok(stuckSeen > 100, 'stuck pods came and went');
});
