// The disruption controller on a ManualClock, rule by rule as pkg/controller/disruption keeps a budget's status: an
// integer minAvailable counts the selected pods, maxUnavailable and a percentage count the controllers' scale (a
// Deployment's replicas, its ReplicaSets' pods together), a pod being deleted or not ready is not healthy, a budget
// over no pods allows nothing, unmanaged pods are reported, and a pod whose controller cannot be found sends the
// budget to its fail-safe (no disruption, SyncFailed).
import {afterEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {deletePodGracefully} from '../../../source/sim/controllers/index.js';
import type {KubeObject, OwnerReference} from '../../../source/sim/store.js';
import {deploymentObject, harness, rolledOut, type Harness} from './harness.js';

let h: Harness;
afterEach(() => {
	assert.deepEqual(h.errors, []);
	h.stop();
});

function budget(name: string, spec: Record<string, unknown>): KubeObject {
	return {
		apiVersion: 'policy/v1',
		kind: 'PodDisruptionBudget',
		metadata: {name, namespace: 'default'},
		spec: {selector: {matchLabels: {app: 'web'}}, ...spec},
	};
}

const pdb = (name: string) => h.store.mustGet('poddisruptionbudgets', 'default', name);
const counts = (o: KubeObject) => {
	const s = o.status ?? {};
	return {expected: s.expectedPods, healthy: s.currentHealthy, desired: s.desiredHealthy, allowed: s.disruptionsAllowed};
};
const condition = (o: KubeObject) => {
	const c = (o.status?.conditions ?? []).find((x: {type: string}) => x.type === 'DisruptionAllowed');
	return c && [c.status, c.reason, c.message];
};

async function webRolledOut(replicas = 3): Promise<void> {
	h = await harness();
	h.store.create('deployments', deploymentObject('web', {replicas}));
	h.advanceUntil(() => rolledOut(h.deployment('web')));
}

describe('the disruption controller', () => {
	it('minAvailable 2 over 3 ready pods: 1 disruption allowed; a pod being deleted is not healthy, and then none is', async () => {
		await webRolledOut();
		h.store.create('poddisruptionbudgets', budget('min', {minAvailable: 2}));
		h.advanceUntil(() => pdb('min').status?.expectedPods === 3, {what: 'the first sync'});
		assert.deepEqual(counts(pdb('min')), {expected: 3, healthy: 3, desired: 2, allowed: 1});
		assert.deepEqual(condition(pdb('min')), ['True', 'SufficientPods', '']);
		assert.equal(pdb('min').status.observedGeneration, pdb('min').metadata.generation);
		const since = pdb('min').status.conditions[0].lastTransitionTime;

		h.clock.advance(2000);
		const victim = h.pods((p) => p.metadata.labels?.app === 'web')[0]!;
		deletePodGracefully(h.store, h.clock, 'default', victim.metadata.name!);
		h.advanceUntil(() => pdb('min').status?.currentHealthy === 2, {what: 'the deleted pod no longer healthy', maxMs: 5000});
		// An integer minAvailable expects every selected pod: the terminating one and its replacement too.
		const selected = h.pods((p) => p.metadata.labels?.app === 'web').length;
		assert.ok(selected >= 3);
		assert.deepEqual(counts(pdb('min')), {expected: selected, healthy: 2, desired: 2, allowed: 0});
		assert.deepEqual(condition(pdb('min')), ['False', 'InsufficientPods', '']);
		assert.notEqual(pdb('min').status.conditions[0].lastTransitionTime, since, 'the condition changed status: a new transition time');
		// The ReplicaSet replaces the pod; once the new one is ready, the budget allows one again.
		h.advanceUntil(() => pdb('min').status?.disruptionsAllowed === 1, {what: 'the replacement ready'});
	});

	it("maxUnavailable and a percentage minAvailable count the Deployment's replicas once, rounding up", async () => {
		await webRolledOut(3);
		h.store.create('poddisruptionbudgets', budget('max', {maxUnavailable: '34%'}));
		h.store.create('poddisruptionbudgets', budget('pct', {minAvailable: '50%'}));
		h.advanceUntil(() => pdb('max').status?.expectedPods === 3 && pdb('pct').status?.expectedPods === 3);
		// 34% of 3 rounds up to 2 unavailable: 1 must stay healthy. 50% of 3 rounds up to 2.
		assert.deepEqual(counts(pdb('max')), {expected: 3, healthy: 3, desired: 1, allowed: 2});
		assert.deepEqual(counts(pdb('pct')), {expected: 3, healthy: 3, desired: 2, allowed: 1});
		// In the middle of a rollout the pods of two ReplicaSets still count one Deployment of 3.
		h.updateDeployment('web', (d) => {
			d.spec.template.spec.containers[0].image = 'nginx:1.20.1';
		});
		h.advanceUntil(
			() => new Set(h.pods((p) => p.metadata.labels?.app === 'web').map((p) => p.metadata.labels?.['pod-template-hash'])).size === 2,
		);
		h.advanceUntil(() => pdb('max').status?.expectedPods === 3, {maxMs: 1000});
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		h.advanceUntil(() => pdb('max').status?.currentHealthy === 3 && pdb('max').status?.expectedPods === 3);
	});

	it('a budget over no pods allows nothing, and says No matching pods found', async () => {
		await webRolledOut();
		h.store.create('poddisruptionbudgets', {
			...budget('none', {minAvailable: 1}),
			spec: {minAvailable: 1, selector: {matchLabels: {app: 'none'}}},
		});
		h.advanceUntil(() => (pdb('none').status?.conditions ?? []).length > 0);
		assert.deepEqual(counts(pdb('none')), {expected: 0, healthy: 0, desired: 1, allowed: 0});
		assert.deepEqual(condition(pdb('none')), ['False', 'InsufficientPods', '']);
		assert.ok(
			h
				.events()
				.some(
					(e) => e.involvedObject.name === 'none' && e.reason === 'NoPods' && e.message === 'No matching pods found' && e.type === 'Normal',
				),
		);
	});

	it('a pod without a controller is reported as unmanaged; a pod whose controller is gone sends the budget to its fail-safe', async () => {
		await webRolledOut();
		const pod = (name: string, ownerReferences?: OwnerReference[]): KubeObject => ({
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {name, namespace: 'default', labels: {app: 'web'}, ...(ownerReferences ? {ownerReferences} : {})},
			spec: {containers: [{name: 'c', image: 'nginx:1.18'}]},
		});
		h.store.create('pods', pod('loose'));
		h.store.create('poddisruptionbudgets', budget('max', {maxUnavailable: 1}));
		h.advanceUntil(() => h.events().some((e) => e.involvedObject.name === 'max' && e.reason === 'UnmanagedPods'));
		const unmanaged = h.events().find((e) => e.reason === 'UnmanagedPods')!;
		assert.equal(unmanaged.type, 'Warning');
		assert.equal(
			unmanaged.message,
			'Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
		);
		assert.equal(pdb('max').status.expectedPods, 3, 'the unmanaged pod is not in the expected count');

		h.store.create(
			'pods',
			pod('orphan', [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: 'no-such-uid', controller: true}]),
		);
		h.advanceUntil(() => condition(pdb('max'))?.[1] === 'SyncFailed', {what: 'the fail-safe'});
		assert.deepEqual(condition(pdb('max')), ['False', 'SyncFailed', 'found no controllers for pod "orphan"']);
		assert.equal(pdb('max').status.disruptionsAllowed, 0);
		assert.ok(
			h
				.events()
				.some(
					(e) =>
						e.reason === 'CalculateExpectedPodCountFailed' &&
						e.message === 'Failed to calculate the number of expected pods: found no controllers for pod "orphan"',
				),
		);
	});
});
