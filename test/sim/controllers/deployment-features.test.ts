// Revisions and rollback, annotations, revisionHistoryLimit, paused, proportional scaling, minReadySeconds,
// the progress deadline and garbage collection: what `kubectl rollout history/undo/pause/status` and
// `kubectl get rs` show a user.
import {describe, it, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import {harness, deploymentObject, rolledOut, condition, type Harness} from './harness.js';
import type {KubeObject} from '../../../source/sim/store.js';

let h: Harness;
afterEach(() => {
	assert.deepEqual(h.errors, []);
	h.stop();
});

const rev = (o: KubeObject) => o.metadata.annotations?.['deployment.kubernetes.io/revision'];
const byImage = (h: Harness, image: string, restarted?: string) =>
	h
		.replicaSets()
		.filter(
			(rs) =>
				rs.spec.template.spec.containers[0].image === image &&
				rs.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] === restarted,
		);

// What `kubectl rollout undo` writes: the ReplicaSet's template without the pod-template-hash label.
function undoTo(h: Harness, name: string, rs: KubeObject): void {
	h.updateDeployment(name, (d) => {
		const t = structuredClone(rs.spec.template);
		delete t.metadata.labels['pod-template-hash'];
		d.spec.template = t;
	});
}

describe('revisions', () => {
	it('numbers revisions, copies annotations, and reuses the old ReplicaSet on rollback with its revision-history', async () => {
		h = await harness();
		const d0 = deploymentObject('web');
		d0.metadata.annotations = {team: 'payments', 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}'};
		h.store.create('deployments', d0);
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		const [rs1] = h.replicaSets();
		assert.equal(rev(rs1!), '1');
		assert.equal(rev(h.deployment('web')), '1');
		assert.equal(rs1!.metadata.annotations!.team, 'payments');
		assert.equal(rs1!.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration'], undefined);
		assert.equal(rs1!.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '3');
		assert.equal(rs1!.metadata.annotations!['deployment.kubernetes.io/max-replicas'], '4');
		const hash = rs1!.metadata.labels!['pod-template-hash'];
		assert.equal(rs1!.metadata.name, `web-${hash}`);
		assert.equal(rs1!.spec.selector.matchLabels['pod-template-hash'], hash);
		assert.equal(rs1!.spec.template.metadata.labels['pod-template-hash'], hash);
		assert.deepEqual(rs1!.metadata.ownerReferences, [
			{
				apiVersion: 'apps/v1',
				kind: 'Deployment',
				name: 'web',
				uid: h.deployment('web').metadata.uid,
				controller: true,
				blockOwnerDeletion: true,
			},
		]);

		h.updateDeployment('web', (d) => {
			d.spec.template.spec.containers[0].image = 'nginx:1.20.1';
		});
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		h.updateDeployment('web', (d) => {
			d.spec.template.metadata.annotations = {'kubectl.kubernetes.io/restartedAt': '2024-01-01T12:05:00Z'};
		});
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		assert.equal(h.replicaSets().length, 3);
		assert.equal(rev(byImage(h, 'nginx:1.20.1')[0]!), '2');
		assert.equal(rev(byImage(h, 'nginx:1.20.1', '2024-01-01T12:05:00Z')[0]!), '3');
		assert.equal(rev(h.deployment('web')), '3');

		// Undo to revision 1: no new ReplicaSet; the old one becomes revision 4 and remembers it was 1.
		undoTo(h, 'web', byImage(h, 'nginx:1.18')[0]!);
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		assert.equal(h.replicaSets().length, 3);
		const back = h.store.mustGet('replicasets', 'default', rs1!.metadata.name!);
		assert.equal(rev(back), '4');
		assert.equal(back.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
		assert.equal(back.spec.replicas, 3);
		assert.equal(rev(h.deployment('web')), '4');
		for (const rs of h.replicaSets()) if (rs.metadata.name !== back.metadata.name) assert.equal(rs.spec.replicas, 0);
		assert.ok(h.pods((p) => !p.metadata.deletionTimestamp).every((p) => p.spec.containers[0].image === 'nginx:1.18'));

		// Undo to 2, then back to 4: the history grows "1,4".
		undoTo(h, 'web', byImage(h, 'nginx:1.20.1')[0]!);
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		assert.equal(rev(byImage(h, 'nginx:1.20.1')[0]!), '5');
		undoTo(h, 'web', back);
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		const again = h.store.mustGet('replicasets', 'default', rs1!.metadata.name!);
		assert.equal(rev(again), '6');
		assert.equal(again.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1,4');
	});

	it('revisionHistoryLimit keeps only the newest old ReplicaSets that are scaled to 0', async () => {
		h = await harness();
		h.store.create('deployments', deploymentObject('web', {revisionHistoryLimit: 2}));
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		for (const image of ['nginx:1.19', 'nginx:1.20.1', 'nginx:1.21', 'nginx:1.25']) {
			h.updateDeployment('web', (d) => {
				d.spec.template.spec.containers[0].image = image;
			});
			h.advanceUntil(() => rolledOut(h.deployment('web')) && h.replicaSets().length <= 3);
		}
		const left = h
			.replicaSets()
			.map((rs) => [rev(rs), rs.spec.template.spec.containers[0].image])
			.sort();
		assert.deepEqual(left, [
			['3', 'nginx:1.20.1'],
			['4', 'nginx:1.21'],
			['5', 'nginx:1.25'],
		]);
	});
});

describe('pause and scale', () => {
	it('paused: no rollout, but scaling applies; resume rolls out', async () => {
		h = await harness();
		h.store.create('deployments', deploymentObject('web'));
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		h.updateDeployment('web', (d) => {
			d.spec.paused = true;
		});
		h.clock.advance(100);
		const paused = condition(h.deployment('web'), 'Progressing');
		assert.deepEqual([paused.status, paused.reason, paused.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);

		h.updateDeployment('web', (d) => {
			d.spec.template.spec.containers[0].image = 'nginx:1.20.1';
		});
		h.clock.advance(30_000);
		assert.equal(h.replicaSets().length, 1);
		assert.ok(h.pods().every((p) => p.spec.containers[0].image === 'nginx:1.18'));

		const mark = h.events().length;
		h.updateDeployment('web', (d) => {
			d.spec.replicas = 5;
		});
		h.advanceUntil(() => h.deployment('web').status.availableReplicas === 5);
		const rs = h.replicaSets()[0]!;
		assert.deepEqual(
			h
				.events()
				.slice(mark)
				.filter((e) => e.reason === 'ScalingReplicaSet')
				.map((e) => e.message),
			[`Scaled up replica set ${rs.metadata.name} to 5 from 3`],
		);
		assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '5');

		const reasons: string[] = [condition(h.deployment('web'), 'Progressing').reason];
		const stop = h.store.subscribe((e) => {
			if (e.resource !== 'deployments') return;
			const r = condition(e.object, 'Progressing')?.reason;
			if (r && reasons.at(-1) !== r) reasons.push(r);
		});
		h.updateDeployment('web', (d) => {
			d.spec.paused = false;
		});
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		stop();
		assert.deepEqual(reasons.slice(0, 2), ['DeploymentPaused', 'DeploymentResumed']);
		assert.equal(reasons.at(-1), 'NewReplicaSetAvailable');
		assert.ok(reasons.includes('NewReplicaSetCreated'));
		assert.equal(h.pods((p) => !p.metadata.deletionTimestamp).filter((p) => p.spec.containers[0].image === 'nginx:1.20.1').length, 5);
	});

	it('scaling in the middle of a stuck rollout shares the new replicas in proportion (8+5 of 10 -> 11+7 of 15)', async () => {
		h = await harness();
		h.store.create(
			'deployments',
			deploymentObject('web', {replicas: 10, strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 3, maxUnavailable: 2}}}),
		);
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		h.updateDeployment('web', (d) => {
			d.spec.template.spec.containers[0].image = 'nginx:0.0.0-missing';
		});
		h.clock.advance(20_000);
		const sizes = () => Object.fromEntries(h.replicaSets().map((rs) => [rs.spec.template.spec.containers[0].image, rs.spec.replicas]));
		assert.deepEqual(sizes(), {'nginx:1.18': 8, 'nginx:0.0.0-missing': 5});
		const mark = h.events().length;
		h.updateDeployment('web', (d) => {
			d.spec.replicas = 15;
		});
		h.clock.advance(1000);
		assert.deepEqual(sizes(), {'nginx:1.18': 11, 'nginx:0.0.0-missing': 7});
		const messages = h
			.events()
			.slice(mark)
			.filter((e) => e.reason === 'ScalingReplicaSet')
			.map((e) => e.message.replace(/web-\w+/, 'RS'));
		assert.deepEqual(messages.sort(), ['Scaled up replica set RS to 11 from 8', 'Scaled up replica set RS to 7 from 5']);
	});
});

describe('availability and progress', () => {
	it('minReadySeconds: pods count as available only after being ready that long', async () => {
		h = await harness();
		h.store.create('deployments', deploymentObject('web', {minReadySeconds: 10}));
		const rs = () => h.replicaSets()[0];
		h.advanceUntil(() => rs()?.status?.readyReplicas === 3);
		const readyAt = h.clock.now();
		assert.equal(rs()!.status.availableReplicas, undefined);
		assert.equal(condition(h.deployment('web'), 'Available').status, 'False');
		assert.equal(condition(h.deployment('web'), 'Available').reason, 'MinimumReplicasUnavailable');
		h.advanceUntil(() => rs()!.status.availableReplicas === 3, {stepMs: 50});
		const waited = h.clock.now() - readyAt;
		assert.ok(waited >= 10_000 && waited <= 10_100, `available ${waited} ms after ready`);
		const available = condition(h.deployment('web'), 'Available');
		assert.deepEqual(
			[available.status, available.reason, available.message],
			['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
		);
		assert.equal(rs()!.spec.minReadySeconds, 10);
	});

	it('a bad image: ErrImagePull, ImagePullBackOff, then ProgressDeadlineExceeded after progressDeadlineSeconds', async () => {
		h = await harness();
		h.store.create('deployments', deploymentObject('web', {progressDeadlineSeconds: 30}));
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		const progressing = () => condition(h.deployment('web'), 'Progressing');
		assert.equal(progressing().reason, 'NewReplicaSetAvailable');
		const start = h.clock.now();
		h.updateDeployment('web', (d) => {
			d.spec.template.spec.containers[0].image = 'nginx:9.9.9';
		});
		h.clock.advance(10);
		const newRS = h.replicaSets().find((rs) => rs.spec.template.spec.containers[0].image === 'nginx:9.9.9')!;
		assert.equal(progressing().reason, 'ReplicaSetUpdated');
		assert.equal(progressing().message, `ReplicaSet "${newRS.metadata.name}" is progressing.`);

		const pod = () => h.pods((p) => p.spec.containers[0].image === 'nginx:9.9.9')[0]!;
		const waiting = () => pod().status.containerStatuses?.[0]?.state?.waiting;
		h.advanceUntil(() => waiting()?.reason === 'ErrImagePull');
		assert.match(waiting().message, /not found/);
		h.advanceUntil(() => waiting()?.reason === 'ImagePullBackOff');
		assert.match(waiting().message, /^Back-off pulling image "nginx:9\.9\.9": ErrImagePull: /);

		h.advanceUntil(() => progressing().status === 'False', {stepMs: 100, maxMs: 60_000});
		const elapsed = h.clock.now() - start;
		assert.ok(elapsed > 30_000 && elapsed <= 31_500, `timed out after ${elapsed} ms`);
		assert.equal(progressing().reason, 'ProgressDeadlineExceeded');
		assert.equal(progressing().message, `ReplicaSet "${newRS.metadata.name}" has timed out progressing.`);
		// The old pods keep serving; the deployment is still available.
		assert.equal(condition(h.deployment('web'), 'Available').status, 'True');

		const podEvents = h.events().filter((e) => e.involvedObject.name === pod().metadata.name);
		const failed = podEvents.find((e) => e.reason === 'Failed' && e.message.startsWith('Failed to pull image'))!;
		assert.equal(failed.type, 'Warning');
		assert.equal(
			failed.message,
			'Failed to pull image "nginx:9.9.9": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:9.9.9": failed to resolve reference "docker.io/library/nginx:9.9.9": docker.io/library/nginx:9.9.9: not found',
		);
		assert.equal(failed.involvedObject.fieldPath, 'spec.containers{nginx}');
		const backoff = podEvents.find((e) => e.reason === 'BackOff')!;
		assert.equal(backoff.message, 'Back-off pulling image "nginx:9.9.9"');
		// Retries repeat the same events: the recorder counts them on one Event.
		const pulling = podEvents.find((e) => e.reason === 'Pulling')!;
		assert.ok(pulling.count >= 2, `Pulling count ${pulling.count}`);
		assert.notEqual(pulling.firstTimestamp, pulling.lastTimestamp);
	});
});

describe('garbage collection', () => {
	it('deleting a deployment deletes its ReplicaSets, and their pods terminate and go', async () => {
		h = await harness();
		h.store.create('deployments', deploymentObject('web'));
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		h.store.delete('deployments', 'default', 'web');
		assert.equal(h.replicaSets().length, 0);
		const pods = h.pods();
		assert.equal(pods.length, 3);
		assert.ok(pods.every((p) => p.metadata.deletionTimestamp && p.metadata.deletionGracePeriodSeconds === 30));
		h.advanceUntil(() => h.pods().length === 0, {maxMs: 5000});
	});
});
