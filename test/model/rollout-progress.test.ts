import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	equalIgnoreHash,
	findNewReplicaSet,
	ownedReplicaSets,
	podOwnerIndex,
	revisionOf,
	rolloutProgress,
} from '../../source/model/rollout-progress.js';
import type {Pod} from '../../source/model/types.js';
import {deployment, replicaSet, template} from '../helpers/objects.js';

// A pod with just the owner reference and labels podOwnerIndex may look at.
function pod(name: string, owner: {name?: string; uid?: string} | undefined, hash?: string): Pod {
	return {
		metadata: {
			name,
			namespace: 'default',
			labels: hash ? {app: 'nginx', 'pod-template-hash': hash} : {app: 'nginx'},
			ownerReferences: owner ? [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner.name, uid: owner.uid, controller: true}] : [],
		},
	};
}

test('mid-rollout: new ReplicaSet by template, old ones by revision, counts and fractions', () => {
	const dep = deployment({image: 'nginx:1.28', replicas: 3});
	const oldRS = replicaSet({hash: '7c974c65c6', revision: 1, image: 'nginx:1.27', replicas: 2, createdAgo: 3600});
	const newRS = replicaSet({
		hash: '5488545dcf',
		revision: 2,
		image: 'nginx:1.28',
		replicas: 2,
		current: 2,
		ready: 1,
		available: 1,
		createdAgo: 20,
	});
	// Same template but owned by another Deployment, and a non-controller reference: both ignored.
	const foreign = replicaSet({
		hash: '6f86b7df6b',
		revision: 9,
		image: 'nginx:1.28',
		replicas: 5,
		ownerUid: 'someone-else',
		createdAgo: 9000,
	});
	const notController = replicaSet({
		hash: '779cb4fbb8',
		revision: 7,
		image: 'nginx:1.28',
		replicas: 5,
		controller: false,
		createdAgo: 9000,
	});
	const p = rolloutProgress(dep, [foreign, oldRS, notController, newRS]);
	assert.equal(p.newReplicaSet?.name, 'nginx-5488545dcf');
	assert.equal(p.newReplicaSet?.revision, 2);
	assert.deepEqual(p.newReplicaSet?.images, ['nginx:1.28']);
	assert.deepEqual(
		p.oldReplicaSets.map((r) => [r.name, r.revision, r.current, r.images[0]]),
		[['nginx-7c974c65c6', 1, 2, 'nginx:1.27']],
	);
	assert.deepEqual([p.desired, p.updated, p.ready, p.available, p.oldRemaining], [3, 2, 1, 1, 2]);
	assert.deepEqual(p.fractions, {updated: 2 / 3, ready: 1 / 3, available: 1 / 3, oldDrained: 1 - 2 / 3});
});

test('finished rollout: everything new, nothing old left', () => {
	const dep = deployment({image: 'nginx:1.28'});
	const p = rolloutProgress(dep, [
		replicaSet({hash: '7c974c65c6', revision: 1, image: 'nginx:1.27', replicas: 0}),
		replicaSet({hash: '5488545dcf', revision: 2, image: 'nginx:1.28', replicas: 3}),
	]);
	assert.deepEqual(p.fractions, {updated: 1, ready: 1, available: 1, oldDrained: 1});
	assert.equal(p.oldRemaining, 0);
});

test('template just changed, new ReplicaSet not created yet: no new RS, all pods old', () => {
	const dep = deployment({image: 'nginx:1.29'});
	const p = rolloutProgress(dep, [replicaSet({hash: '7c974c65c6', revision: 1, image: 'nginx:1.27', replicas: 3})]);
	assert.equal(p.newReplicaSet, undefined);
	assert.deepEqual([p.updated, p.oldRemaining], [0, 3]);
	assert.deepEqual(p.fractions, {updated: 0, ready: 0, available: 0, oldDrained: 0});
});

test('scaled to zero reads as complete, not as a division by zero', () => {
	const dep = deployment({replicas: 0});
	const p = rolloutProgress(dep, [replicaSet({hash: '7c974c65c6', revision: 2, replicas: 0})]);
	assert.deepEqual(p.fractions, {updated: 1, ready: 1, available: 1, oldDrained: 1});
});

test('old ReplicaSets are listed newest revision first', () => {
	const dep = deployment({image: 'nginx:1.30'});
	const rss = [
		replicaSet({hash: 'aaaaaaaaa3', revision: 3, image: 'nginx:1.29', createdAgo: 100}),
		replicaSet({hash: 'aaaaaaaaa1', revision: 1, image: 'nginx:1.27', createdAgo: 300}),
		replicaSet({hash: 'aaaaaaaaa2', revision: 2, image: 'nginx:1.28', createdAgo: 200}),
	];
	assert.deepEqual(
		rolloutProgress(dep, rss).oldReplicaSets.map((r) => r.revision),
		[3, 2, 1],
	);
});

test('two ReplicaSets with the current template: kubectl picks the oldest', () => {
	const dep = deployment({image: 'nginx:1.28'});
	const younger = replicaSet({hash: 'bbbbbbbbbb', revision: 5, image: 'nginx:1.28', createdAgo: 10});
	const older = replicaSet({hash: 'aaaaaaaaaa', revision: 4, image: 'nginx:1.28', createdAgo: 50});
	assert.equal(findNewReplicaSet(dep, [younger, older])?.metadata?.name, 'nginx-aaaaaaaaaa');
	// Same creation time: the name breaks the tie.
	const sameTimeB = replicaSet({hash: 'cccccccccc', image: 'nginx:1.28', createdAgo: 10});
	assert.equal(findNewReplicaSet(dep, [sameTimeB, younger])?.metadata?.name, 'nginx-bbbbbbbbbb');
});

test('ownedReplicaSets needs a controller reference to the Deployment uid', () => {
	const dep = deployment();
	const mine = replicaSet({hash: 'a1'});
	const other = replicaSet({hash: 'a2', ownerUid: 'x'});
	const weak = replicaSet({hash: 'a3', controller: false});
	assert.deepEqual(ownedReplicaSets(dep, [mine, other, weak]), [mine]);
	assert.deepEqual(ownedReplicaSets({metadata: {name: 'no-uid'}}, [mine]), []);
});

const equalCases: [string, Parameters<typeof equalIgnoreHash>[0], Parameters<typeof equalIgnoreHash>[1], boolean][] = [
	['only pod-template-hash differs', template({}, 'abc'), template({}), true],
	['different image', template({image: 'nginx:1.28'}, 'abc'), template({image: 'nginx:1.27'}), false],
	[
		'rollout restart annotation',
		template({templateAnnotations: {'kubectl.kubernetes.io/restartedAt': '2025-06-01T11:00:00Z'}}),
		template({}),
		false,
	],
	['empty env list vs absent env', template({env: []}), template({}), true],
	[
		'env order matters',
		template({
			env: [
				{name: 'A', value: '1'},
				{name: 'B', value: '2'},
			],
		}),
		template({
			env: [
				{name: 'B', value: '2'},
				{name: 'A', value: '1'},
			],
		}),
		false,
	],
	[
		'another label differs',
		{...template({}), metadata: {labels: {app: 'nginx', tier: 'web'}}},
		{...template({}), metadata: {labels: {app: 'nginx'}}},
		false,
	],
	['null vs missing metadata field', {metadata: {creationTimestamp: null, labels: {app: 'x'}}}, {metadata: {labels: {app: 'x'}}}, true],
];

for (const [name, a, b, want] of equalCases) {
	test(`equalIgnoreHash: ${name} -> ${want}`, () => {
		assert.equal(equalIgnoreHash(a, b), want);
		assert.equal(equalIgnoreHash(b, a), want);
	});
}

test('equalIgnoreHash compares resource quantities by value, like Semantic.DeepEqual', () => {
	const withCpu = (cpu: string) => ({spec: {containers: [{name: 'c', resources: {requests: {cpu, memory: '128Mi'}}}]}});
	assert.equal(equalIgnoreHash(withCpu('1'), withCpu('1000m')), true);
	assert.equal(equalIgnoreHash(withCpu('0.5'), withCpu('500m')), true);
	assert.equal(equalIgnoreHash(withCpu('500m'), withCpu('1')), false);
	const mem = (m: string) => ({spec: {containers: [{name: 'c', resources: {limits: {memory: m}}}]}});
	assert.equal(equalIgnoreHash(mem('1Gi'), mem('1024Mi')), true);
	assert.equal(equalIgnoreHash(mem('1G'), mem('1Gi')), false);
});

test('revisionOf reads the revision annotation, 0 when missing or malformed', () => {
	assert.equal(revisionOf(replicaSet({hash: 'a', revision: 5})), 5);
	assert.equal(revisionOf(replicaSet({hash: 'a'})), 0);
	assert.equal(revisionOf(replicaSet({hash: 'a', revision: 'five'})), 0);
});

test("podOwnerIndex: a pod's ReplicaSet and revision by its controller reference uid, as the deployment controller ties them", () => {
	const rs1 = replicaSet({hash: '7c974c65c6', revision: 1});
	const rs2 = replicaSet({hash: '5488545dcf', revision: 2});
	const owner = podOwnerIndex([rs1, rs2]);
	const cases: [string, Pod, string | undefined, number | undefined][] = [
		['owner uid', pod('nginx-5488545dcf-aaaaa', {uid: 'rs-5488545dcf', name: 'nginx-5488545dcf'}, '5488545dcf'), 'nginx-5488545dcf', 2],
		// Not controlled by one of these ReplicaSets: not the deployment's pod, whatever its name or labels say.
		['owner name only', pod('nginx-7c974c65c6-bbbbb', {name: 'nginx-7c974c65c6'}), undefined, undefined],
		[
			'owner gone, hash label',
			pod('nginx-7c974c65c6-ccccc', {uid: 'rs-deleted', name: 'nginx-deleted'}, '7c974c65c6'),
			undefined,
			undefined,
		],
		['no owner, hash label', pod('nginx-5488545dcf-ddddd', undefined, '5488545dcf'), undefined, undefined],
	];
	for (const [name, p, rs, revision] of cases) {
		const found = owner(p);
		assert.deepEqual([found?.replicaSet.metadata?.name, found?.revision], [rs, revision], name);
	}
});
