// The deployment controller's rolling update and Recreate, checked by the ScalingReplicaSet events a user
// reads in `kubectl get events`, and by what the pods do meanwhile.
import {describe, it, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import {harness, deploymentObject, rolledOut, type Harness} from './harness.js';
import type {KubeObject} from '../../../source/sim/store.js';

let h: Harness;
afterEach(() => {
	assert.deepEqual(h.errors, []);
	h.stop();
});

const scaling = (h: Harness, from = 0) =>
	h
		.events()
		.slice(from)
		.filter((e) => e.reason === 'ScalingReplicaSet')
		.map((e) => e.message);

function newAndOld(h: Harness, name: string): {newRS: KubeObject; oldRS: KubeObject} {
	const rsList = h.replicaSets().filter((rs) => rs.metadata.name!.startsWith(`${name}-`));
	const d = h.deployment(name);
	const image = d.spec.template.spec.containers[0].image;
	const newRS = rsList.find((rs) => rs.spec.template.spec.containers[0].image === image)!;
	const oldRS = rsList.find((rs) => rs !== newRS)!;
	return {newRS, oldRS};
}

describe('rolling update', () => {
	it('3 replicas, default strategy: new up to 1, old down to 2, new up to 2, old down to 1, new up to 3, old down to 0', async () => {
		h = await harness();
		h.store.create('deployments', deploymentObject('nginx'));
		h.advanceUntil(() => rolledOut(h.deployment('nginx')), {what: 'first rollout'});
		assert.deepEqual(
			scaling(h).map((m) => m.replace(/nginx-\w+/, 'RS')),
			['Scaled up replica set RS to 3'],
		);

		const mark = h.events().length;
		h.updateDeployment('nginx', (d) => {
			d.spec.template.spec.containers[0].image = 'nginx:1.20.1';
		});
		h.advanceUntil(() => rolledOut(h.deployment('nginx')), {what: 'rollout to 1.20.1'});
		const {newRS, oldRS} = newAndOld(h, 'nginx');
		const n = newRS.metadata.name;
		const o = oldRS.metadata.name;
		assert.deepEqual(scaling(h, mark), [
			`Scaled up replica set ${n} to 1`,
			`Scaled down replica set ${o} to 2 from 3`,
			`Scaled up replica set ${n} to 2 from 1`,
			`Scaled down replica set ${o} to 1 from 2`,
			`Scaled up replica set ${n} to 3 from 2`,
			`Scaled down replica set ${o} to 0 from 1`,
		]);
		// The events are the deployment controller's, on the Deployment.
		const ev = h
			.events()
			.slice(mark)
			.find((e) => e.reason === 'ScalingReplicaSet')!;
		assert.equal(ev.involvedObject.kind, 'Deployment');
		assert.equal(ev.involvedObject.name, 'nginx');
		assert.equal(ev.source.component, 'deployment-controller');
		assert.equal(ev.type, 'Normal');
		// Names: <deployment>-<hash>, hash in the safe alphabet, pods <rs>-<5 chars>.
		assert.match(n!, /^nginx-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
		const pods = h.pods((p) => !p.metadata.deletionTimestamp);
		assert.equal(pods.length, 3);
		for (const p of pods) assert.match(p.metadata.name!, new RegExp(`^${n}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
		assert.equal(oldRS.spec.replicas, 0);
		assert.equal(newRS.spec.replicas, 3);
	});

	it('keeps 3 available throughout (maxUnavailable 0) and never exceeds 4 pods (maxSurge 1)', async () => {
		h = await harness();
		h.store.create('deployments', deploymentObject('web'));
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		h.updateDeployment('web', (d) => {
			d.spec.template.spec.containers[0].image = 'nginx:1.20.1';
		});
		let maxPods = 0;
		let minAvailable = Infinity;
		h.advanceUntil(
			() => {
				const live = h.pods((p) => !p.metadata.deletionTimestamp);
				maxPods = Math.max(maxPods, live.length);
				minAvailable = Math.min(minAvailable, h.deployment('web').status.availableReplicas ?? 0);
				return rolledOut(h.deployment('web'));
			},
			{stepMs: 50},
		);
		assert.equal(maxPods, 4);
		assert.equal(minAvailable, 3);
	});

	it('4 replicas, maxSurge 0 and maxUnavailable 25%: old down first, never more than 4 pods, never fewer than 3 available', async () => {
		h = await harness();
		h.store.create(
			'deployments',
			deploymentObject('api', {replicas: 4, strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 0, maxUnavailable: '25%'}}}),
		);
		h.advanceUntil(() => rolledOut(h.deployment('api')));
		const mark = h.events().length;
		h.updateDeployment('api', (d) => {
			d.spec.template.spec.containers[0].image = 'nginx:1.20.1';
		});
		let maxPods = 0;
		let minAvailable = Infinity;
		h.advanceUntil(
			() => {
				maxPods = Math.max(maxPods, h.pods((p) => !p.metadata.deletionTimestamp).length);
				minAvailable = Math.min(minAvailable, h.deployment('api').status.availableReplicas ?? 0);
				return rolledOut(h.deployment('api'));
			},
			{stepMs: 50},
		);
		const {newRS, oldRS} = newAndOld(h, 'api');
		const n = newRS.metadata.name;
		const o = oldRS.metadata.name;
		// The new ReplicaSet is created at 0 (no room to surge), so its creation records no scaling event.
		assert.deepEqual(scaling(h, mark), [
			`Scaled down replica set ${o} to 3 from 4`,
			`Scaled up replica set ${n} to 1 from 0`,
			`Scaled down replica set ${o} to 2 from 3`,
			`Scaled up replica set ${n} to 2 from 1`,
			`Scaled down replica set ${o} to 1 from 2`,
			`Scaled up replica set ${n} to 3 from 2`,
			`Scaled down replica set ${o} to 0 from 1`,
			`Scaled up replica set ${n} to 4 from 3`,
		]);
		assert.equal(maxPods, 4);
		assert.equal(minAvailable, 3);
	});

	it('Recreate: scales the old ReplicaSet to 0, waits until its pods are gone, then creates the new one at full size', async () => {
		h = await harness();
		h.store.create('deployments', deploymentObject('db', {strategy: {type: 'Recreate'}}));
		h.advanceUntil(() => rolledOut(h.deployment('db')));
		const oldName = h.replicaSets()[0]!.metadata.name!;
		const mark = h.events().length;
		let oldPodsWhenNewCreated = -1;
		const stop = h.store.subscribe((e) => {
			if (e.resource === 'replicasets' && e.type === 'ADDED') {
				oldPodsWhenNewCreated = h.pods((p) => p.metadata.name!.startsWith(`${oldName}-`)).length;
			}
		});
		h.updateDeployment('db', (d) => {
			d.spec.template.spec.containers[0].image = 'nginx:1.20.1';
		});
		h.advanceUntil(() => rolledOut(h.deployment('db')));
		stop();
		const newName = h.replicaSets().find((rs) => rs.metadata.name !== oldName)!.metadata.name;
		assert.deepEqual(scaling(h, mark), [`Scaled down replica set ${oldName} to 0 from 3`, `Scaled up replica set ${newName} to 3`]);
		assert.equal(oldPodsWhenNewCreated, 0);
	});
});
