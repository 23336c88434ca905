// The deployment controller alone, on ReplicaSets written by the test: an old ReplicaSet whose status still counts
// the pods its last scale-down removed (more available than wanted, until the ReplicaSet controller syncs again)
// must not be scaled up by the clean-up of unhealthy replicas. Go's controller refuses that step with an error
// and retries; seen in a 20,000-pod rollout with churn as "Scaled up replica set <old> to 15500 from 15000".
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ManualClock} from '../../../source/sim/clock.js';
import {DeploymentController} from '../../../source/sim/controllers/deployment.js';
import {EventRecorder} from '../../../source/sim/controllers/events.js';
import {ControllerManager} from '../../../source/sim/controllers/manager.js';
import {Store, type KubeObject} from '../../../source/sim/store.js';
import {deploymentObject} from './harness.js';

function replicaSet(d: KubeObject, name: string, image: string, revision: string, replicas: number, available: number): KubeObject {
	const template = structuredClone(d.spec.template);
	template.metadata.labels['pod-template-hash'] = name;
	template.spec.containers[0].image = image;
	return {
		apiVersion: 'apps/v1',
		kind: 'ReplicaSet',
		metadata: {
			name: `web-${name}`,
			namespace: 'default',
			labels: {...template.metadata.labels},
			annotations: {
				'deployment.kubernetes.io/revision': revision,
				'deployment.kubernetes.io/desired-replicas': '4',
				'deployment.kubernetes.io/max-replicas': '5',
			},
			ownerReferences: [
				{apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true},
			],
		},
		spec: {replicas, selector: {matchLabels: {app: 'web', 'pod-template-hash': name}}, template},
		status: {replicas: Math.max(replicas, available), readyReplicas: available, availableReplicas: available, observedGeneration: 1},
	};
}

test('an old ReplicaSet whose status counts more available pods than it wants is never scaled up; the rollout goes on once the status is right', () => {
	const clock = new ManualClock(Date.UTC(2024, 0, 1, 12, 0, 0));
	const store = new Store({now: () => clock.now()});
	const errors: unknown[] = [];
	const manager = new ControllerManager({store, clock, onError: (_c, _k, e) => errors.push(e)});
	new DeploymentController(manager, new EventRecorder(store, clock));
	try {
		// 4 replicas, maxSurge 1, maxUnavailable 1, mid-rollout: the new set has 2 (available), the old set was just
		// scaled down from 4 to 3 and its status still says 4 available.
		manager.hold();
		const d = store.create('deployments', deploymentObject('web', {replicas: 4, image: 'nginx:1.20.1'}));
		store.create('replicasets', replicaSet(d, 'old', 'nginx:1.18', '1', 3, 4));
		store.create('replicasets', replicaSet(d, 'new', 'nginx:1.20.1', '2', 2, 2));
		manager.start();
		manager.release();
		clock.advance(2000);

		const scaling = () =>
			store
				.list('events')
				.items.filter((e) => e.reason === 'ScalingReplicaSet')
				.map((e) => e.message);
		assert.deepEqual(scaling(), [], 'nothing scaled while the old set’s status is stale');
		assert.equal(store.mustGet('replicasets', 'default', 'web-old').spec.replicas, 3);
		assert.equal(store.mustGet('replicasets', 'default', 'web-new').spec.replicas, 2);
		assert.deepEqual(errors, [], 'waiting for the caches is no fault to report');

		// The ReplicaSet controller catches up (3 available): the old set goes down by what availability allows (5 available, 3 needed).
		const old = structuredClone(store.mustGet('replicasets', 'default', 'web-old'));
		old.status = {...old.status, replicas: 3, readyReplicas: 3, availableReplicas: 3};
		delete old.metadata.resourceVersion;
		store.update('replicasets', old, {subresource: 'status'});
		clock.advance(2000);
		// Then the new one takes the room (old 1 + new 4 = 4 + maxSurge).
		assert.deepEqual(scaling(), ['Scaled down replica set web-old to 1 from 3', 'Scaled up replica set web-new to 4 from 2']);
		assert.equal(store.mustGet('replicasets', 'default', 'web-old').spec.replicas, 1);
		assert.deepEqual(errors, []);
	} finally {
		manager.stop();
		clock.stop();
	}
});
