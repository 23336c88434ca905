// client-node's model classes (Date timestamps, class instances) must be accepted wherever plain JSON is,
// since the store keeps V1Deployment/V1ReplicaSet/V1Pod/CoreV1Event. This file also fails to compile if not.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {loadYaml, type CoreV1Event, type V1Deployment, type V1ReplicaSet} from '@kubernetes/client-node';
// loadYaml does not map kind Event to CoreV1Event; the generated serializer does.
import {ObjectSerializer} from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import {gracefulCheck} from '../../source/model/graceful.js';
import {revisionHistory} from '../../source/model/history.js';
import {undoPlan} from '../../source/model/undo.js';
import {collapseEvents, relatedToDeployment} from '../../source/model/events.js';
import {rolloutProgress} from '../../source/model/rollout-progress.js';
import {rolloutStatus} from '../../source/model/rollout-status.js';
import {deployment, NOW, replicaSet} from './fixtures/rollout.js';

function typed<T>(kind: string, apiVersion: string, obj: object): T {
	return loadYaml<T>(JSON.stringify({apiVersion, kind, ...obj}));
}

test('V1Deployment and V1ReplicaSet instances give the same answers as their JSON', () => {
	const depJson = deployment({image: 'nginx:1.28'});
	const rsJson = [
		replicaSet({hash: '7c974c65c6', revision: 1, image: 'nginx:1.27', changeCause: 'v1'}),
		replicaSet({hash: '5488545dcf', revision: 2, image: 'nginx:1.28', replicas: 3}),
	];
	const dep = typed<V1Deployment>('Deployment', 'apps/v1', depJson);
	const rss = rsJson.map((r) => typed<V1ReplicaSet>('ReplicaSet', 'apps/v1', r));
	assert.ok(rss[0].metadata?.creationTimestamp instanceof Date);
	assert.deepEqual(rolloutStatus(dep), rolloutStatus(depJson));
	assert.deepEqual(rolloutProgress(dep, rss), rolloutProgress(depJson, rsJson));
	assert.deepEqual(
		revisionHistory(dep, rss).map((r) => [r.revision, r.changeCause, r.createdAt]),
		revisionHistory(depJson, rsJson).map((r) => [r.revision, r.changeCause, r.createdAt]),
	);
	const plan = undoPlan(dep, rss);
	assert.equal(plan.kind, 'patch');
	assert.deepEqual(gracefulCheck(dep), gracefulCheck(depJson));
});

test('CoreV1Event instances fold and filter like their JSON', () => {
	const evJson = {
		metadata: {name: 'nginx.1', namespace: 'default', uid: 'e1'},
		involvedObject: {kind: 'Deployment', name: 'nginx', namespace: 'default'},
		reason: 'ScalingReplicaSet',
		message: 'Scaled up replica set nginx-5488545dcf to 3 from 0',
		type: 'Normal',
		count: 2,
		firstTimestamp: new Date(NOW - 60_000).toISOString(),
		lastTimestamp: new Date(NOW - 5_000).toISOString(),
	};
	const ev = ObjectSerializer.deserialize(evJson, 'CoreV1Event', '') as CoreV1Event;
	assert.ok(ev.lastTimestamp instanceof Date);
	assert.deepEqual(collapseEvents([ev]), collapseEvents([evJson]));
	assert.equal(relatedToDeployment(ev, deployment(), [], []), true);
});
