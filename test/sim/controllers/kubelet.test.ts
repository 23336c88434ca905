// The scheduler and the kubelet: what `kubectl get pods`, `describe pod` and `get events` show while a pod
// is scheduled, pulled, started, probed, crashes, and is deleted gracefully.
import {describe, it, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import {harness, deploymentObject, rolledOut, type Harness} from './harness.js';
import {defaultPodForCreate} from '../../../source/sim/controllers/pod-defaults.js';
import {deletePodGracefully} from '../../../source/sim/controllers/util.js';
import type {KubeObject} from '../../../source/sim/store.js';

let h: Harness;
afterEach(() => {
	assert.deepEqual(h.errors, []);
	h.stop();
});

function createPod(name: string, container: Record<string, unknown>, spec: Record<string, unknown> = {}): KubeObject {
	return h.store.create(
		'pods',
		defaultPodForCreate({
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {name, namespace: 'default', labels: {app: name}},
			spec: {containers: [{name: 'nginx', image: 'nginx:1.20.1', ...container}], ...spec},
		}),
	);
}

const pod = (name: string) => h.store.mustGet('pods', 'default', name);
const podEvents = (name: string) => h.events().filter((e) => e.involvedObject.kind === 'Pod' && e.involvedObject.name === name);
const cstatus = (name: string) => pod(name).status.containerStatuses?.[0];
const cond = (p: KubeObject, type: string) => p.status.conditions.find((c: any) => c.type === type);
const onNode4 = {nodeSelector: {'kubernetes.io/hostname': 'node4'}};

describe('scheduler', () => {
	it('spreads pods over the four nodes and records Scheduled', async () => {
		h = await harness();
		h.store.create('deployments', deploymentObject('web', {replicas: 4}));
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		const pods = h.pods();
		assert.deepEqual(pods.map((p) => p.spec.nodeName).sort(), ['node1', 'node2', 'node3', 'node4']);
		for (const p of pods) {
			const scheduled = podEvents(p.metadata.name!).find((e) => e.reason === 'Scheduled')!;
			assert.equal(scheduled.message, `Successfully assigned default/${p.metadata.name} to ${p.spec.nodeName}`);
			assert.equal(scheduled.source.component, 'default-scheduler');
			assert.equal(cond(p, 'PodScheduled').status, 'True');
		}
	});

	it('skips unschedulable and tainted nodes, and reports FailedScheduling when nothing fits', async () => {
		h = await harness();
		for (const name of ['node1', 'node2']) {
			const n = structuredClone(h.store.mustGet('nodes', undefined, name));
			n.spec.unschedulable = true;
			h.store.update('nodes', n);
		}
		const n3 = structuredClone(h.store.mustGet('nodes', undefined, 'node3'));
		n3.spec.taints = [{key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule'}];
		h.store.update('nodes', n3);
		createPod('a', {});
		createPod('b', {});
		h.clock.advance(10);
		assert.deepEqual([pod('a').spec.nodeName, pod('b').spec.nodeName], ['node4', 'node4']);
		createPod('c', {}, {nodeSelector: {disk: 'ssd'}});
		h.clock.advance(10);
		assert.equal(pod('c').spec.nodeName, undefined);
		assert.equal(pod('c').status.phase, 'Pending');
		assert.equal(cond(pod('c'), 'PodScheduled').reason, 'Unschedulable');
		const failed = podEvents('c').find((e) => e.reason === 'FailedScheduling')!;
		assert.equal(failed.type, 'Warning');
		assert.match(
			failed.message,
			/^0\/4 nodes are available: 1 node\(s\) didn't match Pod's node affinity\/selector, 1 node\(s\) had untolerated taint \{node-role.kubernetes.io\/control-plane: \}, 2 node\(s\) were unschedulable\./,
		);
		// A node that fits appears: the pod is scheduled.
		const n4 = structuredClone(h.store.mustGet('nodes', undefined, 'node4'));
		n4.metadata.labels!.disk = 'ssd';
		h.store.update('nodes', n4);
		h.clock.advance(10);
		assert.equal(pod('c').spec.nodeName, 'node4');
	});
});

describe('kubelet: start', () => {
	it('goes ContainerCreating -> Pulling/Pulled -> Created -> Started -> Running/Ready with real status fields', async () => {
		h = await harness();
		createPod('first', {}, onNode4);
		assert.equal(pod('first').status.phase, 'Pending');
		assert.deepEqual(cstatus('first').state, {waiting: {reason: 'ContainerCreating'}});
		assert.equal(cstatus('first').ready, false);
		h.advanceUntil(() => cond(pod('first'), 'Ready')?.status === 'True', {stepMs: 50});
		const p = pod('first');
		assert.equal(p.status.phase, 'Running');
		assert.match(p.status.podIP, /^10\.244\.4\.\d+$/);
		assert.equal(p.status.hostIP, '127.0.0.1');
		assert.ok(p.status.startTime);
		const cs = cstatus('first');
		assert.equal(cs.image, 'docker.io/library/nginx:1.20.1');
		assert.match(cs.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
		assert.match(cs.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
		assert.deepEqual([cs.ready, cs.started, cs.restartCount], [true, true, 0]);
		assert.ok(cs.state.running.startedAt);
		assert.deepEqual(
			p.status.conditions.map((c: any) => `${c.type}=${c.status}`),
			['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
		);
		const events = podEvents('first');
		assert.deepEqual(
			events.map((e) => e.reason),
			['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started'],
		);
		assert.deepEqual(
			events.slice(1).map((e) => e.message),
			[
				'Pulling image "nginx:1.20.1"',
				'Successfully pulled image "nginx:1.20.1" in 1.2s (1.2s including waiting). Image size: 53752116 bytes.',
				'Created container nginx',
				'Started container nginx',
			],
		);
		assert.ok(
			events
				.slice(1)
				.every(
					(e) => e.source.component === 'kubelet' && e.source.host === 'node4' && e.involvedObject.fieldPath === 'spec.containers{nginx}',
				),
		);

		// The image is on node4 now.
		createPod('second', {}, onNode4);
		h.advanceUntil(() => cond(pod('second'), 'Ready')?.status === 'True', {stepMs: 50});
		assert.deepEqual(
			podEvents('second')
				.filter((e) => e.reason === 'Pulled')
				.map((e) => e.message),
			['Container image "nginx:1.20.1" already present on machine'],
		);
		assert.notEqual(pod('second').status.podIP, p.status.podIP);
	});

	it('is Ready only after the readiness probe initialDelaySeconds; a probe on a closed port never passes', async () => {
		h = await harness();
		createPod('slow', {readinessProbe: {httpGet: {path: '/', port: 80}, initialDelaySeconds: 5, periodSeconds: 1}}, onNode4);
		h.advanceUntil(() => cstatus('slow').state.running !== undefined, {stepMs: 10});
		const started = h.clock.now();
		const ready = cond(pod('slow'), 'Ready');
		assert.deepEqual(
			[ready.status, ready.reason, ready.message],
			['False', 'ContainersNotReady', 'containers with unready status: [nginx]'],
		);
		assert.equal(pod('slow').status.phase, 'Running');
		h.advanceUntil(() => cond(pod('slow'), 'Ready').status === 'True', {stepMs: 10});
		assert.equal(h.clock.now() - started, 5000);

		createPod('closed', {readinessProbe: {httpGet: {path: '/', port: 8080}, periodSeconds: 2}}, onNode4);
		h.clock.advance(10_000);
		assert.equal(cond(pod('closed'), 'Ready').status, 'False');
		const unhealthy = podEvents('closed').find((e) => e.reason === 'Unhealthy')!;
		assert.equal(unhealthy.type, 'Warning');
		assert.equal(
			unhealthy.message,
			`Readiness probe failed: Get "http://${pod('closed').status.podIP}:8080/": dial tcp ${pod('closed').status.podIP}:8080: connect: connection refused`,
		);
		assert.ok(unhealthy.count >= 3);
	});

	it('runs init containers first, in order (Init:0/1 while they run)', async () => {
		h = await harness();
		createPod('with-init', {}, {...onNode4, initContainers: [{name: 'wait', image: 'busybox', command: ['sh', '-c', 'sleep 3']}]});
		h.advanceUntil(() => pod('with-init').status.initContainerStatuses?.[0]?.state?.running !== undefined, {stepMs: 10});
		const p = pod('with-init');
		assert.equal(p.status.phase, 'Pending');
		assert.equal(cond(p, 'Initialized').status, 'False');
		assert.equal(cond(p, 'Initialized').message, 'containers with incomplete status: [wait]');
		assert.deepEqual(p.status.containerStatuses[0].state, {waiting: {reason: 'PodInitializing'}});
		const initStarted = h.clock.now();
		h.advanceUntil(() => pod('with-init').status.initContainerStatuses[0].state.terminated !== undefined, {stepMs: 10});
		assert.equal(h.clock.now() - initStarted, 3000);
		assert.deepEqual(
			[
				pod('with-init').status.initContainerStatuses[0].state.terminated.reason,
				pod('with-init').status.initContainerStatuses[0].state.terminated.exitCode,
			],
			['Completed', 0],
		);
		h.advanceUntil(() => pod('with-init').status.phase === 'Running', {stepMs: 10});
		assert.equal(cond(pod('with-init'), 'Initialized').status, 'True');
		const reasons = podEvents('with-init').map((e) => `${e.reason}:${e.involvedObject.fieldPath ?? ''}`);
		assert.ok(reasons.indexOf('Started:spec.initContainers{wait}') < reasons.indexOf('Started:spec.containers{nginx}'));
	});
});

describe('kubelet: failures', () => {
	it('a crashing image: Error, restart at once, then CrashLoopBackOff with back-off 10s, 20s and counted BackOff events', async () => {
		h = await harness();
		createPod('crash', {image: 'nginx:1.20.1-crash'}, onNode4);
		const starts: number[] = [];
		const exits: number[] = [];
		const stop = h.store.subscribe((e) => {
			if (e.resource !== 'pods' || e.object.metadata.name !== 'crash') return;
			const s = e.object.status?.containerStatuses?.[0]?.state;
			if (s?.running && starts.length === exits.length) starts.push(h.clock.now());
			if (s?.terminated && exits.length < starts.length) exits.push(h.clock.now());
		});
		h.advanceUntil(() => cstatus('crash').state.terminated !== undefined, {stepMs: 10});
		assert.deepEqual(
			[cstatus('crash').state.terminated.exitCode, cstatus('crash').state.terminated.reason, cstatus('crash').restartCount],
			[1, 'Error', 0],
		);
		h.advanceUntil(() => cstatus('crash').state.waiting?.reason === 'CrashLoopBackOff', {stepMs: 10});
		const p = pod('crash');
		assert.equal(p.status.phase, 'Running');
		assert.equal(cstatus('crash').restartCount, 1);
		assert.equal(
			cstatus('crash').state.waiting.message,
			`back-off 10s restarting failed container=nginx pod=crash_default(${p.metadata.uid})`,
		);
		assert.deepEqual([cstatus('crash').lastState.terminated.exitCode, cstatus('crash').lastState.terminated.reason], [1, 'Error']);
		h.advanceUntil(() => cstatus('crash').state.waiting?.message?.startsWith('back-off 20s') === true, {stepMs: 10, maxMs: 60_000});
		assert.equal(cstatus('crash').restartCount, 2);
		h.advanceUntil(() => cstatus('crash').restartCount === 3, {stepMs: 10, maxMs: 60_000});
		stop();
		// Gaps between an exit and the next start: at once (decision delay only), then 10 s, then 20 s.
		const gaps = exits.slice(0, 3).map((t, i) => starts[i + 1]! - t);
		assert.ok(gaps[0]! < 1000, `first restart after ${gaps[0]} ms`);
		assert.ok(gaps[1]! >= 10_000 && gaps[1]! < 10_500, `second restart after ${gaps[1]} ms`);
		assert.ok(gaps[2]! >= 20_000 && gaps[2]! < 20_500, `third restart after ${gaps[2]} ms`);
		const backoff = podEvents('crash').find((e) => e.reason === 'BackOff')!;
		assert.equal(backoff.type, 'Warning');
		assert.equal(backoff.message, `Back-off restarting failed container nginx in pod crash_default(${p.metadata.uid})`);
		assert.equal(backoff.count, 2);
		assert.equal(podEvents('crash').find((e) => e.reason === 'Started')!.count, 4);
	});

	it('an unknown image retries its pull with a growing back-off', async () => {
		h = await harness();
		createPod('missing', {image: 'example/nope:1'}, onNode4);
		h.advanceUntil(() => cstatus('missing').state.waiting?.reason === 'ImagePullBackOff', {stepMs: 10});
		assert.equal(pod('missing').status.phase, 'Pending');
		const pulls = () => podEvents('missing').find((e) => e.reason === 'Pulling')!.count;
		assert.equal(pulls(), 1);
		h.clock.advance(10_000);
		assert.equal(pulls(), 2);
		h.clock.advance(15_000);
		assert.equal(pulls(), 2);
		h.clock.advance(6_000);
		assert.equal(pulls(), 3);
		assert.match(
			podEvents('missing').find((e) => e.message.startsWith('Failed to pull'))!.message,
			/: docker\.io\/example\/nope:1: not found$/,
		);
	});
});

describe('kubelet: graceful deletion', () => {
	function deleteAndWatch(name: string): {servingUntil: () => number; goneAt: () => number; last: () => KubeObject | undefined} {
		const start = h.clock.now();
		let servingUntil = -1;
		let goneAt = -1;
		let last: KubeObject | undefined;
		const stop = h.store.subscribe((e) => {
			if (e.resource === 'pods' && e.object.metadata.name === name && e.type !== 'DELETED') last = e.object;
		});
		deletePodGracefully(h.store, h.clock, 'default', name);
		assert.ok(pod(name).metadata.deletionTimestamp);
		const kill = podEvents(name).find((e) => e.reason === 'Killing')!;
		assert.equal(kill.message, 'Stopping container nginx');
		h.advanceUntil(
			() => {
				if (h.controllers.servingPods.get('default', name)) servingUntil = h.clock.now() - start;
				if (!h.store.get('pods', 'default', name)) {
					goneAt = h.clock.now() - start;
					return true;
				}
				return false;
			},
			{stepMs: 10, maxMs: 60_000},
		);
		stop();
		return {servingUntil: () => servingUntil, goneAt: () => goneAt, last: () => last};
	}

	async function runningPod(name: string, container: Record<string, unknown>, spec: Record<string, unknown> = {}): Promise<void> {
		createPod(name, container, {...onNode4, ...spec});
		h.advanceUntil(() => cond(pod(name), 'Ready')?.status === 'True', {stepMs: 10});
	}

	it('preStop sleep 5: keeps serving through the sleep, then stops and the pod goes', async () => {
		h = await harness();
		await runningPod('graceful', {lifecycle: {preStop: {exec: {command: ['/bin/sh', '-c', 'sleep 5']}}}});
		const r = deleteAndWatch('graceful');
		assert.equal(r.servingUntil(), 4990);
		assert.ok(r.goneAt() >= 5000 && r.goneAt() <= 5200, `gone at ${r.goneAt()}`);
		assert.deepEqual(
			[r.last()!.status.containerStatuses[0].state.terminated?.exitCode, r.last()!.status.containerStatuses[0].ready],
			[0, false],
		);
	});

	it('no preStop: stops serving at SIGTERM, at once', async () => {
		h = await harness();
		await runningPod('abrupt', {});
		const r = deleteAndWatch('abrupt');
		assert.equal(r.servingUntil(), -1);
		assert.ok(r.goneAt() <= 200, `gone at ${r.goneAt()}`);
	});

	it('the sleep action and a preStop longer than terminationGracePeriodSeconds', async () => {
		h = await harness();
		await runningPod('sleepy', {lifecycle: {preStop: {sleep: {seconds: 3}}}});
		assert.equal(deleteAndWatch('sleepy').servingUntil(), 2990);
		await runningPod('long-hook', {lifecycle: {preStop: {exec: {command: ['sleep', '60']}}}}, {terminationGracePeriodSeconds: 10});
		const r = deleteAndWatch('long-hook');
		assert.equal(r.servingUntil(), 9990);
		assert.ok(r.goneAt() >= 10_000 && r.goneAt() <= 10_200, `gone at ${r.goneAt()}`);
	});

	it('a process that ignores SIGTERM is killed (137) when the grace period ends', async () => {
		h = await harness();
		createPod('stubborn', {image: 'busybox', command: ['sh', '-c', 'sleep infinity']}, {...onNode4, terminationGracePeriodSeconds: 5});
		h.advanceUntil(() => cstatus('stubborn').state.running !== undefined, {stepMs: 10});
		const r = deleteAndWatch('stubborn');
		assert.ok(r.goneAt() >= 5000 && r.goneAt() <= 5100, `gone at ${r.goneAt()}`);
		assert.deepEqual(
			[r.last()!.status.containerStatuses[0].state.terminated.exitCode, r.last()!.status.containerStatuses[0].state.terminated.reason],
			[137, 'Error'],
		);
	});

	it('a second delete with a shorter grace period kills sooner', async () => {
		h = await harness();
		await runningPod('hook', {lifecycle: {preStop: {exec: {command: ['sleep', '60']}}}});
		deletePodGracefully(h.store, h.clock, 'default', 'hook');
		h.clock.advance(2000);
		assert.ok(h.controllers.servingPods.get('default', 'hook'), 'serving through the preStop sleep');
		const p = structuredClone(pod('hook'));
		p.metadata.deletionGracePeriodSeconds = 1;
		p.metadata.deletionTimestamp = new Date(h.clock.now() + 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		h.store.update('pods', p);
		assert.equal(h.controllers.servingPods.get('default', 'hook'), undefined);
		h.clock.advance(900);
		assert.ok(h.store.get('pods', 'default', 'hook'));
		h.clock.advance(200);
		assert.equal(h.store.get('pods', 'default', 'hook'), undefined);
	});

	it('a replaced pod: the ReplicaSet makes a new one while the old shows Terminating', async () => {
		h = await harness();
		h.store.create('deployments', deploymentObject('web', {container: {lifecycle: {preStop: {exec: {command: ['sleep', '2']}}}}}));
		h.advanceUntil(() => rolledOut(h.deployment('web')));
		const victim = h.pods()[0]!.metadata.name!;
		deletePodGracefully(h.store, h.clock, 'default', victim);
		h.clock.advance(10);
		assert.equal(h.pods().length, 4);
		assert.equal(h.replicaSets()[0]!.status.replicas, 3);
		h.advanceUntil(() => !h.store.get('pods', 'default', victim) && rolledOut(h.deployment('web')));
		assert.equal(h.pods().length, 3);
	});
});
