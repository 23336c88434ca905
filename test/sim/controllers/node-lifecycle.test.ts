// A node dies and comes back, on a ManualClock: the node lifecycle controller marks it Unknown after the 50 s grace
// period (conditions, NodeNotReady events, its pods Ready=False), taints it unreachable (NoSchedule and NoExecute);
// the taint eviction controller evicts its pods after their 300 s toleration (DisruptionTarget, TaintManagerEviction);
// the ReplicaSet replaces them on the other nodes; the evicted pods stay Terminating until the node's kubelet starts
// again, which turns the node Ready, removes the taints and finishes them.
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {matchingTolerations, minTolerationMs, toleratesTaint} from '../../../source/sim/controllers/taint-eviction.js';
import type {KubeObject} from '../../../source/sim/store.js';
import {condition, deploymentObject, harness, type Harness} from './harness.js';

let h: Harness | undefined;
afterEach(() => h?.stop());

const ready = (p: KubeObject) => condition(p, 'Ready')?.status === 'True';
const onNode = (node: string) => (p: KubeObject) => p.spec?.nodeName === node;

test('kill a node: Unknown after 50 s, tainted, pods NotReady, evicted after 300 s and replaced; revive finishes them', async () => {
	h = await harness();
	const hh = h;
	hh.store.create('deployments', deploymentObject('web', {replicas: 4}));
	hh.advanceUntil(() => hh.pods((p) => ready(p)).length === 4, {what: '4 ready pods'});
	// One pod per node: the scheduler spreads them.
	assert.deepEqual(
		hh
			.pods()
			.map((p) => p.spec.nodeName)
			.sort(),
		['node1', 'node2', 'node3', 'node4'],
	);
	const victim = hh.pods(onNode('node4'))[0]!;
	const victimName = victim.metadata.name!;

	hh.controllers.kubelet.stopNode('node4');
	// Within the grace period nothing is said about the node.
	hh.clock.advance(49_000);
	assert.equal(condition(hh.store.mustGet('nodes', undefined, 'node4'), 'Ready').status, 'True');
	assert.equal(ready(hh.store.mustGet('pods', 'default', victimName)), true);

	hh.advanceUntil(() => condition(hh.store.mustGet('nodes', undefined, 'node4'), 'Ready').status === 'Unknown', {
		maxMs: 10_000,
		what: 'node4 Unknown',
	});
	const node = hh.store.mustGet('nodes', undefined, 'node4');
	for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
		const c = condition(node, type);
		assert.equal(c.status, 'Unknown', type);
		assert.equal(c.reason, 'NodeStatusUnknown');
		assert.equal(c.message, 'Kubelet stopped posting node status.');
	}
	hh.advanceUntil(() => (hh.store.mustGet('nodes', undefined, 'node4').spec.taints ?? []).length === 2, {maxMs: 1000, what: 'taints'});
	assert.deepEqual(
		hh.store.mustGet('nodes', undefined, 'node4').spec.taints.map((t: any) => [t.key, t.effect, typeof t.timeAdded]),
		[
			['node.kubernetes.io/unreachable', 'NoSchedule', 'string'],
			['node.kubernetes.io/unreachable', 'NoExecute', 'string'],
		],
	);
	const pod = hh.store.mustGet('pods', 'default', victimName);
	assert.equal(condition(pod, 'Ready').status, 'False', 'the pod on the dead node is marked not ready');
	const reasons = hh.events().map((e) => `${e.involvedObject.kind}/${e.involvedObject.name} ${e.type} ${e.reason}: ${e.message}`);
	assert.ok(reasons.includes('Node/node4 Normal NodeNotReady: Node node4 status is now: NodeNotReady'), reasons.join('\n'));
	assert.ok(reasons.includes(`Pod/${victimName} Warning NodeNotReady: Node is not ready`), reasons.join('\n'));

	// The DefaultTolerationSeconds tolerations keep the pod for 300 s after the taint, then it is evicted.
	hh.clock.advance(299_000);
	assert.equal(hh.store.mustGet('pods', 'default', victimName).metadata.deletionTimestamp, undefined);
	hh.advanceUntil(() => !!hh.store.get('pods', 'default', victimName)?.metadata.deletionTimestamp, {maxMs: 2000, what: 'eviction'});
	const evicted = hh.store.mustGet('pods', 'default', victimName);
	assert.deepEqual(
		[condition(evicted, 'DisruptionTarget')?.status, condition(evicted, 'DisruptionTarget')?.reason],
		['True', 'DeletionByTaintManager'],
	);
	assert.ok(hh.events().some((e) => e.reason === 'TaintManagerEviction' && e.message === `Marking for deletion Pod default/${victimName}`));
	// Its ReplicaSet replaces it on a node that is Ready; the evicted pod stays (Terminating) while node4 is down.
	hh.advanceUntil(() => hh.pods((p) => ready(p) && !p.metadata.deletionTimestamp).length === 4, {what: '4 ready pods again'});
	assert.equal(hh.pods(onNode('node4')).length, 1, 'only the evicted pod is on node4');
	assert.ok(hh.pods((p) => !p.metadata.deletionTimestamp).every((p) => p.spec.nodeName !== 'node4'));
	hh.clock.advance(120_000);
	assert.ok(hh.store.get('pods', 'default', victimName), 'the dead kubelet never finishes the deletion');

	// The node comes back: Ready, untainted, and its kubelet finishes the evicted pod.
	hh.controllers.kubelet.startNode('node4');
	hh.advanceUntil(() => !hh.store.get('pods', 'default', victimName), {maxMs: 60_000, what: 'the evicted pod gone'});
	const back = hh.store.mustGet('nodes', undefined, 'node4');
	assert.equal(condition(back, 'Ready').status, 'True');
	assert.equal(condition(back, 'Ready').reason, 'KubeletReady');
	assert.equal(back.spec.taints, undefined);
	assert.equal(hh.pods((p) => ready(p)).length, 4);
	assert.deepEqual(hh.errors, []);
});

test('a node back within the toleration: the eviction is cancelled and its pods run on', async () => {
	h = await harness();
	const hh = h;
	hh.store.create('deployments', deploymentObject('web', {replicas: 4}));
	hh.advanceUntil(() => hh.pods((p) => ready(p)).length === 4, {what: '4 ready pods'});
	const victimName = hh.pods(onNode('node2'))[0]!.metadata.name!;
	hh.controllers.kubelet.stopNode('node2');
	hh.advanceUntil(() => (hh.store.mustGet('nodes', undefined, 'node2').spec.taints ?? []).length === 2, {what: 'tainted'});
	hh.clock.advance(60_000);
	hh.controllers.kubelet.startNode('node2');
	hh.advanceUntil(() => ready(hh.store.mustGet('pods', 'default', victimName)), {maxMs: 30_000, what: 'the pod ready again'});
	assert.equal(hh.store.mustGet('nodes', undefined, 'node2').spec.taints, undefined);
	assert.ok(
		hh.events().some((e) => e.reason === 'TaintManagerEviction' && e.message === `Cancelling deletion of Pod default/${victimName}`),
	);
	hh.clock.advance(400_000);
	assert.equal(hh.store.mustGet('pods', 'default', victimName).metadata.deletionTimestamp, undefined, 'never evicted');
	assert.deepEqual(hh.errors, []);
});

test('every node down: full disruption keeps NoExecute taints off, so nothing is evicted', async () => {
	h = await harness();
	const hh = h;
	hh.store.create('deployments', deploymentObject('web', {replicas: 2}));
	hh.advanceUntil(() => hh.pods((p) => ready(p)).length === 2, {what: '2 ready pods'});
	for (const n of ['node1', 'node2', 'node3', 'node4']) hh.controllers.kubelet.stopNode(n);
	hh.clock.advance(60_000);
	for (const n of ['node1', 'node2', 'node3', 'node4']) {
		const node = hh.store.mustGet('nodes', undefined, n);
		assert.equal(condition(node, 'Ready').status, 'Unknown');
		assert.ok(
			(node.spec.taints ?? []).every((t: any) => t.effect === 'NoSchedule'),
			`${n}: ${JSON.stringify(node.spec.taints)}`,
		);
	}
	hh.clock.advance(400_000);
	assert.ok(hh.pods().every((p) => !p.metadata.deletionTimestamp));
});

test('tolerations: matching and the shortest tolerationSeconds, as the taint manager reads them', () => {
	const taint = {key: 'node.kubernetes.io/unreachable', effect: 'NoExecute'};
	assert.equal(toleratesTaint({key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute'}, taint), true);
	assert.equal(toleratesTaint({operator: 'Exists'}, taint), true, 'an empty key with Exists tolerates everything');
	assert.equal(toleratesTaint({key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule'}, taint), false);
	assert.equal(toleratesTaint({key: 'other', operator: 'Exists'}, taint), false);
	assert.equal(matchingTolerations([taint], []), undefined);
	assert.equal(minTolerationMs(matchingTolerations([taint], [{operator: 'Exists', tolerationSeconds: 30}, {operator: 'Exists'}])!), 30_000);
	assert.equal(minTolerationMs([{operator: 'Exists'}]), -1, 'no seconds: tolerated forever');
	assert.equal(minTolerationMs([{operator: 'Exists', tolerationSeconds: -5}]), 0);
});
