import {test} from 'node:test';
import assert from 'node:assert/strict';
import {deploymentRevision, rolloutStatus, rolloutStatusLine, type RolloutStatus} from '../../source/model/rollout-status.js';
import type {Deployment, DeploymentCondition} from '../../source/model/types.js';

interface Shape {
	generation?: number;
	observed?: number;
	replicas?: number | null;
	statusReplicas?: number;
	updated?: number;
	available?: number;
	conditions?: DeploymentCondition[];
	revision?: string;
}

function deploy(s: Shape): Deployment {
	return {
		metadata: {
			name: 'nginx',
			namespace: 'default',
			generation: s.generation ?? 2,
			annotations: s.revision === undefined ? {} : {'deployment.kubernetes.io/revision': s.revision},
		},
		spec: {
			...(s.replicas === null ? {} : {replicas: s.replicas ?? 3}),
			selector: {matchLabels: {app: 'nginx'}},
			template: {metadata: {labels: {app: 'nginx'}}, spec: {containers: [{name: 'nginx', image: 'nginx:1.27'}]}},
		},
		status: {
			observedGeneration: s.observed ?? 2,
			replicas: s.statusReplicas ?? 3,
			updatedReplicas: s.updated ?? 3,
			readyReplicas: s.available ?? 3,
			availableReplicas: s.available ?? 3,
			conditions: s.conditions ?? [
				{type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable'},
				{type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable'},
			],
		},
	};
}

const deadline: DeploymentCondition[] = [
	{type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable'},
	{
		type: 'Progressing',
		status: 'False',
		reason: 'ProgressDeadlineExceeded',
		message: 'ReplicaSet "nginx-5488545dcf" has timed out progressing.',
	},
];

const ok = (message: string, done = false): RolloutStatus => ({message, done});
const err = (error: string): RolloutStatus => ({message: '', done: false, error});

// Messages copied character for character from kubectl's rollout_status.go format strings.
const table: {name: string; shape: Shape; revision?: number; want: RolloutStatus}[] = [
	{name: 'all replicas updated and available', shape: {}, want: ok('deployment "nginx" successfully rolled out\n', true)},
	{
		name: 'generation not yet observed',
		shape: {generation: 3, observed: 2},
		want: ok('Waiting for deployment spec update to be observed...\n'),
	},
	{
		name: 'observedGeneration ahead of generation still evaluates',
		shape: {generation: 2, observed: 5},
		want: ok('deployment "nginx" successfully rolled out\n', true),
	},
	{
		name: 'progress deadline exceeded',
		shape: {updated: 1, statusReplicas: 4, available: 2, conditions: deadline},
		want: err('deployment "nginx" exceeded its progress deadline'),
	},
	{
		name: 'ProgressDeadlineExceeded on a non-Progressing condition is ignored',
		shape: {conditions: [{type: 'Available', status: 'False', reason: 'ProgressDeadlineExceeded'}]},
		want: ok('deployment "nginx" successfully rolled out\n', true),
	},
	{
		name: 'new replicas being created',
		shape: {updated: 1, statusReplicas: 4, available: 3},
		want: ok('Waiting for deployment "nginx" rollout to finish: 1 out of 3 new replicas have been updated...\n'),
	},
	{
		name: 'old replicas pending termination',
		shape: {updated: 3, statusReplicas: 5, available: 1},
		want: ok('Waiting for deployment "nginx" rollout to finish: 2 old replicas are pending termination...\n'),
	},
	{
		name: 'updated replicas not yet available',
		shape: {updated: 3, statusReplicas: 3, available: 2},
		want: ok('Waiting for deployment "nginx" rollout to finish: 2 of 3 updated replicas are available...\n'),
	},
	{
		name: 'scaled to zero is done',
		shape: {replicas: 0, updated: 0, statusReplicas: 0, available: 0},
		want: ok('deployment "nginx" successfully rolled out\n', true),
	},
	{
		name: 'spec.replicas absent skips the "new replicas" rule as kubectl does',
		shape: {replicas: null, updated: 0, statusReplicas: 2, available: 0},
		want: ok('Waiting for deployment "nginx" rollout to finish: 2 old replicas are pending termination...\n'),
	},
];

for (const row of table) {
	test(`rolloutStatus: ${row.name}`, () => {
		assert.deepEqual(rolloutStatus(deploy(row.shape), row.revision), row.want);
	});
}

test('rule order: a state that satisfies every waiting rule reports the first one', () => {
	// updated < desired, replicas > updated and available < updated all hold.
	const d = deploy({updated: 2, statusReplicas: 5, available: 1});
	assert.equal(
		rolloutStatus(d).message,
		'Waiting for deployment "nginx" rollout to finish: 2 out of 3 new replicas have been updated...\n',
	);
	// Once updated == desired, "old replicas" wins over "available".
	const d2 = deploy({updated: 3, statusReplicas: 4, available: 1});
	assert.equal(rolloutStatus(d2).message, 'Waiting for deployment "nginx" rollout to finish: 1 old replicas are pending termination...\n');
	// The deadline error beats every waiting message, but not an unobserved generation.
	assert.deepEqual(
		rolloutStatus(deploy({updated: 0, statusReplicas: 9, available: 0, conditions: deadline})),
		err('deployment "nginx" exceeded its progress deadline'),
	);
	assert.deepEqual(
		rolloutStatus(deploy({generation: 4, observed: 3, conditions: deadline})),
		ok('Waiting for deployment spec update to be observed...\n'),
	);
});

test("--revision: matching revision proceeds, others fail with kubectl's message, before any other rule", () => {
	assert.deepEqual(rolloutStatus(deploy({revision: '3'}), 3), ok('deployment "nginx" successfully rolled out\n', true));
	assert.deepEqual(rolloutStatus(deploy({revision: '3'}), 2), err('desired revision (2) is different from the running revision (3)'));
	assert.deepEqual(rolloutStatus(deploy({}), 1), err('desired revision (1) is different from the running revision (0)'));
	// Revision mismatch is checked before the generation.
	assert.deepEqual(
		rolloutStatus(deploy({revision: '3', generation: 9, observed: 1}), 4),
		err('desired revision (4) is different from the running revision (3)'),
	);
	assert.deepEqual(
		rolloutStatus(deploy({revision: 'x1'}), 1),
		err('cannot get the revision of deployment "nginx": strconv.ParseInt: parsing "x1": invalid syntax'),
	);
	// revision 0 (the default) does not look at the annotation at all.
	assert.deepEqual(rolloutStatus(deploy({revision: 'garbage'})), ok('deployment "nginx" successfully rolled out\n', true));
});

test('deploymentRevision parses like strconv.ParseInt', () => {
	assert.deepEqual(deploymentRevision(deploy({revision: '12'})), {ok: true, value: 12});
	assert.deepEqual(deploymentRevision(deploy({revision: '+7'})), {ok: true, value: 7});
	assert.deepEqual(deploymentRevision(deploy({})), {ok: true, value: 0});
	assert.deepEqual(deploymentRevision(deploy({revision: ' 1'})), {ok: false, error: 'strconv.ParseInt: parsing " 1": invalid syntax'});
	assert.deepEqual(deploymentRevision(deploy({revision: '99999999999999999999'})), {
		ok: false,
		error: 'strconv.ParseInt: parsing "99999999999999999999": value out of range',
	});
});

test('rolloutStatusLine shows what kubectl prints, without the trailing newline', () => {
	assert.equal(rolloutStatusLine(rolloutStatus(deploy({}))), 'deployment "nginx" successfully rolled out');
	assert.equal(
		rolloutStatusLine(rolloutStatus(deploy({conditions: deadline, updated: 1}))),
		'error: deployment "nginx" exceeded its progress deadline',
	);
});
