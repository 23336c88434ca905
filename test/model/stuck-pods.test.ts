// The fail-fast diagnosis, table-driven: which new pods are stuck, why, since when, with which message; and when
// a rollout is judged not to progress (a new pod stuck for the stated time, the rollout neither done nor failed).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {DEFAULT_STUCK_AFTER_MS, podStuck, rolloutDiagnosis, stuckNewPods} from '../../source/model/stuck-pods.js';
import type {Deployment, KubeEvent, Pod, ReplicaSet} from '../../source/model/types.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();
const template = (image: string) => ({metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image}]}});

const deployment: Deployment = {
	metadata: {name: 'web', namespace: 'default', uid: 'dep', generation: 2, annotations: {'deployment.kubernetes.io/revision': '2'}},
	spec: {replicas: 3, selector: {matchLabels: {app: 'web'}}, template: template('web:2')},
	status: {observedGeneration: 2, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3},
};

function rs(name: string, uid: string, image: string, revision: number): ReplicaSet {
	return {
		metadata: {
			name,
			uid,
			creationTimestamp: at(100 - revision),
			annotations: {'deployment.kubernetes.io/revision': String(revision)},
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep', controller: true}],
		},
		spec: {replicas: 1, template: template(image)},
	};
}
const OLD = rs('web-old', 'rs-old', 'web:1', 1);
const NEW = rs('web-new', 'rs-new', 'web:2', 2);

function pod(name: string, owner: ReplicaSet, status: Pod['status'], extra: Partial<Pod['metadata']> = {}): Pod {
	return {
		metadata: {
			name,
			namespace: 'default',
			creationTimestamp: at(60),
			ownerReferences: [
				{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', controller: true},
			],
			...extra,
		},
		spec: {containers: [{name: 'web', image: 'web:2'}]},
		status,
	};
}
const waiting = (reason: string, message?: string, lastState?: object) => ({
	phase: 'Pending',
	containerStatuses: [{name: 'web', ready: false, restartCount: 0, state: {waiting: {reason, message}}, ...(lastState ? {lastState} : {})}],
});
function event(
	podName: string,
	reason: string,
	message: string,
	firstSecondsAgo: number,
	lastSecondsAgo = firstSecondsAgo,
	type = 'Warning',
): KubeEvent {
	return {
		metadata: {name: `${podName}.${reason}.${firstSecondsAgo}`, namespace: 'default'},
		involvedObject: {kind: 'Pod', name: podName, namespace: 'default', fieldPath: 'spec.containers{web}'},
		reason,
		message,
		type,
		firstTimestamp: at(firstSecondsAgo),
		lastTimestamp: at(lastSecondsAgo),
		count: 1,
	};
}

const PULL_FAILED =
	'Failed to pull image "web:2": rpc error: code = NotFound desc = failed to resolve reference "docker.io/library/web:2": not found';

test('each stuck reason, its message (the most telling event, else the status) and since when', () => {
	const table: [string, Pod, KubeEvent[], {reason: string; message: RegExp; sinceSecondsAgo: number; container?: string} | undefined][] = [
		[
			'ImagePullBackOff: the pull failure, since the first failed pull',
			pod('web-new-a', NEW, waiting('ImagePullBackOff', 'Back-off pulling image "web:2"')),
			[
				event('web-new-a', 'Failed', PULL_FAILED, 40, 10),
				event('web-new-a', 'Failed', 'Error: ErrImagePull', 40, 10),
				event('web-new-a', 'BackOff', 'Back-off pulling image "web:2"', 38, 5, 'Normal'),
				event('web-new-a', 'Failed', 'Error: ImagePullBackOff', 38, 5),
			],
			{
				reason: 'ImagePullBackOff',
				message: /^Failed to pull image "web:2": rpc error: code = NotFound/,
				sinceSecondsAgo: 40,
				container: 'web',
			},
		],
		[
			'ErrImagePull without events (no right to list them): the status message, since the pod was created',
			pod('web-new-b', NEW, waiting('ErrImagePull', 'rpc error: not found')),
			[],
			{reason: 'ErrImagePull', message: /^rpc error: not found$/, sinceSecondsAgo: 60},
		],
		[
			'CrashLoopBackOff: the back-off event with the last exit',
			pod(
				'web-new-c',
				NEW,
				waiting('CrashLoopBackOff', 'back-off 20s restarting failed container=web', {terminated: {reason: 'Error', exitCode: 1}}),
			),
			[event('web-new-c', 'BackOff', 'Back-off restarting failed container web in pod web-new-c_default(x)', 30, 2)],
			{
				reason: 'CrashLoopBackOff',
				message: /^Back-off restarting failed container web .* \(last exit: Error, code 1\)$/,
				sinceSecondsAgo: 30,
			},
		],
		[
			'CreateContainerConfigError: the configuration error, not the bare reason',
			pod('web-new-d', NEW, waiting('CreateContainerConfigError', 'configmap "web-config" not found')),
			[
				event('web-new-d', 'Failed', 'Error: configmap "web-config" not found', 25, 1),
				event('web-new-d', 'Failed', 'Error: CreateContainerConfigError', 25, 1),
			],
			{reason: 'CreateContainerConfigError', message: /^Error: configmap "web-config" not found$/, sinceSecondsAgo: 25},
		],
		[
			'Unschedulable: the scheduler, since the condition changed when it has no event',
			pod('web-new-e', NEW, {
				phase: 'Pending',
				conditions: [
					{
						type: 'PodScheduled',
						status: 'False',
						reason: 'Unschedulable',
						message: '0/4 nodes are available: 4 Insufficient cpu.',
						lastTransitionTime: at(45),
					},
				],
			}),
			[],
			{reason: 'Unschedulable', message: /^0\/4 nodes are available: 4 Insufficient cpu\.$/, sinceSecondsAgo: 45},
		],
		[
			'Running is not stuck',
			pod('web-new-f', NEW, {phase: 'Running', containerStatuses: [{name: 'web', ready: true, state: {running: {}}}]}),
			[],
			undefined,
		],
		['ContainerCreating is not stuck', pod('web-new-g', NEW, waiting('ContainerCreating')), [], undefined],
		['a pod being deleted is not', pod('web-new-h', NEW, waiting('ImagePullBackOff'), {deletionTimestamp: at(1)}), [], undefined],
	];
	for (const [name, p, events, want] of table) {
		const got = podStuck(p, events);
		if (!want) {
			assert.equal(got, undefined, name);
			continue;
		}
		assert.ok(got, name);
		assert.equal(got.reason, want.reason, name);
		assert.match(got.message, want.message, name);
		assert.equal(got.sinceMs, NOW - want.sinceSecondsAgo * 1000, name);
		if (want.container) assert.equal(got.container, want.container, name);
	}
});

test('an init container stuck pulling is the pod stuck; events of another container do not date it', () => {
	const p: Pod = {
		...pod('web-new-i', NEW, {
			phase: 'Pending',
			initContainerStatuses: [{name: 'warmup', state: {waiting: {reason: 'ImagePullBackOff', message: 'Back-off pulling image "warm:x"'}}}],
			containerStatuses: [{name: 'web', state: {waiting: {reason: 'PodInitializing'}}}],
		}),
	};
	const other = event('web-new-i', 'Failed', PULL_FAILED, 50);
	const got = podStuck(p, [other]);
	assert.equal(got?.container, 'warmup');
	assert.equal(got?.sinceMs, NOW - 60_000, 'the web container event is not the warmup container');
	assert.equal(got?.message, 'Back-off pulling image "warm:x"');
});

test('only pods of the new ReplicaSet count, stuck longest first; the verdict waits for the stated time', () => {
	const pods = [
		pod('web-old-x', OLD, waiting('CrashLoopBackOff')),
		pod('web-new-late', NEW, waiting('ImagePullBackOff'), {creationTimestamp: at(5)}),
		pod('web-new-early', NEW, waiting('ImagePullBackOff'), {creationTimestamp: at(20)}),
	];
	assert.deepEqual(
		stuckNewPods(deployment, [OLD, NEW], pods, []).map((s) => s.pod),
		['web-new-early', 'web-new-late'],
	);
	const verdict = rolloutDiagnosis(deployment, [OLD, NEW], pods, [], NOW);
	assert.equal(verdict?.pod, 'web-new-early');
	assert.equal(verdict?.forMs, 20_000);
	assert.equal(DEFAULT_STUCK_AFTER_MS, 15_000);
	// Stuck for less than the stated time: no verdict yet; with a shorter time, there is one.
	assert.equal(rolloutDiagnosis(deployment, [OLD, NEW], pods, [], NOW, 30_000), undefined);
	assert.equal(rolloutDiagnosis(deployment, [OLD, NEW], [pods[1]], [], NOW), undefined);
	assert.equal(rolloutDiagnosis(deployment, [OLD, NEW], [pods[1]], [], NOW, 5_000)?.pod, 'web-new-late');
});

test('no verdict once the rollout is done, or when kubectl already reports the progress deadline', () => {
	const pods = [pod('web-new-a', NEW, waiting('ImagePullBackOff'))];
	const done: Deployment = {
		...deployment,
		status: {observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3},
	};
	assert.equal(rolloutDiagnosis(done, [OLD, NEW], pods, [], NOW), undefined);
	const deadline: Deployment = {
		...deployment,
		status: {...deployment.status, conditions: [{type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded'}]},
	};
	assert.equal(rolloutDiagnosis(deadline, [OLD, NEW], pods, [], NOW), undefined);
	assert.equal(rolloutDiagnosis(deployment, [OLD, NEW], pods, [], NOW)?.reason, 'ImagePullBackOff');
});
