import {test} from 'node:test';
import assert from 'node:assert/strict';
import {gracefulCheck, PREDICTIONS, preStopSleepSeconds, resolveSurgeUnavailable, scaledValue} from '../../source/model/graceful.js';
import {FINDING_TITLES as FINDING_IDS} from '../../source/screen/graceful.js';
import type {Container, Deployment, DeploymentStrategy, LabelSelector, PodDisruptionBudget} from '../../source/model/types.js';

function dep(
	o: {replicas?: number; strategy?: DeploymentStrategy; containers?: Container[]; grace?: number; minReadySeconds?: number} = {},
): Deployment {
	return {
		metadata: {name: 'web', namespace: 'default'},
		spec: {
			...(o.replicas === undefined ? {} : {replicas: o.replicas}),
			...(o.minReadySeconds === undefined ? {} : {minReadySeconds: o.minReadySeconds}),
			...(o.strategy ? {strategy: o.strategy} : {}),
			template: {
				metadata: {labels: {app: 'web'}},
				spec: {
					...(o.grace === undefined ? {} : {terminationGracePeriodSeconds: o.grace}),
					containers: o.containers ?? [{name: 'web', image: 'nginx:1.27'}],
				},
			},
		},
	};
}

const rolling = (maxSurge?: number | string, maxUnavailable?: number | string): DeploymentStrategy => ({
	type: 'RollingUpdate',
	rollingUpdate: {...(maxSurge === undefined ? {} : {maxSurge}), ...(maxUnavailable === undefined ? {} : {maxUnavailable})},
});

const resolveTable: [string, Deployment, {maxSurge: number; maxUnavailable: number}][] = [
	['defaults, 3 replicas (surge rounds up, unavailable down)', dep({replicas: 3}), {maxSurge: 1, maxUnavailable: 0}],
	['defaults, 4 replicas', dep({replicas: 4}), {maxSurge: 1, maxUnavailable: 1}],
	['defaults, 10 replicas', dep({replicas: 10}), {maxSurge: 3, maxUnavailable: 2}],
	['replicas unset means 1', dep(), {maxSurge: 1, maxUnavailable: 0}],
	['both resolve to 0: unavailable becomes 1', dep({replicas: 3, strategy: rolling(0, '10%')}), {maxSurge: 0, maxUnavailable: 1}],
	['0% and 0', dep({replicas: 5, strategy: rolling('0%', 0)}), {maxSurge: 0, maxUnavailable: 1}],
	['integers as given', dep({replicas: 5, strategy: rolling(2, 1)}), {maxSurge: 2, maxUnavailable: 1}],
	['100% unavailable', dep({replicas: 4, strategy: rolling(undefined, '100%')}), {maxSurge: 1, maxUnavailable: 4}],
	['only maxSurge set: maxUnavailable defaults to 25%', dep({replicas: 8, strategy: rolling('50%')}), {maxSurge: 4, maxUnavailable: 2}],
	['Recreate: no surge, all unavailable', dep({replicas: 3, strategy: {type: 'Recreate'}}), {maxSurge: 0, maxUnavailable: 3}],
];

for (const [name, d, want] of resolveTable) {
	test(`resolveSurgeUnavailable: ${name}`, () => assert.deepEqual(resolveSurgeUnavailable(d), want));
}

test('scaledValue rejects what intstr rejects', () => {
	assert.throws(() => scaledValue('25', 4, true), /string is not a percentage/);
	assert.throws(() => scaledValue('abc%', 4, true), /invalid value "abc%"/);
	assert.throws(() => scaledValue(1.5, 4, true), /not an integer/);
	assert.equal(scaledValue('33%', 10, true), 4);
	assert.equal(scaledValue('33%', 10, false), 3);
});

const sleeps: [string, Container['lifecycle'], number | undefined][] = [
	['sleep action', {preStop: {sleep: {seconds: 5}}}, 5],
	['exec sleep', {preStop: {exec: {command: ['sleep', '5']}}}, 5],
	['exec /bin/sleep', {preStop: {exec: {command: ['/bin/sleep', '10']}}}, 10],
	['exec /usr/bin/sleep', {preStop: {exec: {command: ['/usr/bin/sleep', '7']}}}, 7],
	['sh -c sleep then quit', {preStop: {exec: {command: ['sh', '-c', 'sleep 15 && nginx -s quit']}}}, 15],
	['sh -c quit then sleep', {preStop: {exec: {command: ['/bin/sh', '-c', 'nginx -s quit; sleep 3']}}}, 3],
	['sleep in minutes', {preStop: {exec: {command: ['sh', '-c', 'sleep 2m']}}}, 120],
	['fractional sleep', {preStop: {exec: {command: ['sleep', '0.5']}}}, 0.5],
	['no sleep in the command', {preStop: {exec: {command: ['nginx', '-s', 'quit']}}}, undefined],
	['usleep is not sleep', {preStop: {exec: {command: ['sh', '-c', 'usleep 5']}}}, undefined],
	['sleep infinity has no number', {preStop: {exec: {command: ['sleep', 'infinity']}}}, undefined],
	['httpGet hook', {preStop: {httpGet: {path: '/drain', port: 8080}}}, undefined],
	['no lifecycle', undefined, undefined],
];

for (const [name, lifecycle, want] of sleeps) {
	test(`preStopSleepSeconds: ${name}`, () => assert.equal(preStopSleepSeconds({name: 'c', lifecycle}), want));
}

// A first check 2 s after start: not "passes at once" (see min-ready-seconds-zero).
const probe = {httpGet: {path: '/healthz', port: 80}, initialDelaySeconds: 2};
const instant = {httpGet: {path: '/healthz', port: 80}};
const goodContainer: Container = {name: 'web', image: 'nginx:1.27', readinessProbe: probe, lifecycle: {preStop: {sleep: {seconds: 5}}}};

const checks: [string, Deployment, [string, string?][]][] = [
	['a graceful Deployment has no findings', dep({replicas: 3, strategy: rolling(1, 0), containers: [goodContainer]}), []],
	[
		'kubectl create deployment defaults: no probe, no preStop',
		dep({replicas: 3, strategy: rolling('25%', '25%')}),
		[
			['no-readiness-probe', 'web'],
			['no-prestop', 'web'],
		],
	],
	[
		'one replica that may go down entirely',
		dep({replicas: 1, strategy: rolling(0, 1), containers: [goodContainer]}),
		[['single-replica'], ['max-unavailable-all']],
	],
	['one replica with default 25%/25% surges first', dep({replicas: 1, containers: [goodContainer]}), [['single-replica']]],
	['maxUnavailable 100%', dep({replicas: 4, strategy: rolling(1, '100%'), containers: [goodContainer]}), [['max-unavailable-all']]],
	['Recreate', dep({replicas: 3, strategy: {type: 'Recreate'}, containers: [goodContainer]}), [['recreate-strategy']]],
	[
		'preStop sleep longer than the grace period',
		dep({replicas: 3, grace: 30, containers: [{...goodContainer, lifecycle: {preStop: {exec: {command: ['/bin/sh', '-c', 'sleep 40']}}}}]}),
		[['grace-period-too-short', 'web']],
	],
	[
		'preStop sleep equal to the default grace period',
		dep({replicas: 3, containers: [{...goodContainer, lifecycle: {preStop: {sleep: {seconds: 30}}}}]}),
		[['grace-period-too-short', 'web']],
	],
	[
		'preStop without a sleep is not flagged',
		dep({replicas: 3, containers: [{...goodContainer, lifecycle: {preStop: {httpGet: {path: '/drain', port: 80}}}}]}),
		[],
	],
	[
		'per container: a sidecar without probe or preStop',
		dep({replicas: 2, containers: [goodContainer, {name: 'envoy', image: 'envoyproxy/envoy:v1.30.1'}]}),
		[
			['no-readiness-probe', 'envoy'],
			['no-prestop', 'envoy'],
		],
	],
	['invalid maxUnavailable', dep({replicas: 3, strategy: rolling(1, '30'), containers: [goodContainer]}), [['invalid-rolling-update']]],
	['scaled to zero is not a single replica', dep({replicas: 0, containers: [goodContainer]}), []],
	[
		'readiness identical to liveness (httpGet path and port; timings do not matter)',
		dep({replicas: 3, strategy: rolling(1, 0), containers: [{...goodContainer, livenessProbe: {...probe, periodSeconds: 30}}]}),
		[['probes-identical', 'web']],
	],
	[
		'liveness on another path is not identical',
		dep({replicas: 3, strategy: rolling(1, 0), containers: [{...goodContainer, livenessProbe: {httpGet: {path: '/livez', port: 80}}}]}),
		[],
	],
	[
		'identical tcpSocket and exec probes',
		dep({
			replicas: 3,
			strategy: rolling(1, 0),
			containers: [
				{
					...goodContainer,
					name: 'a',
					readinessProbe: {tcpSocket: {port: 80}, initialDelaySeconds: 1},
					livenessProbe: {tcpSocket: {port: 80}},
				},
				{
					...goodContainer,
					name: 'b',
					readinessProbe: {exec: {command: ['cat', '/ok']}, initialDelaySeconds: 1},
					livenessProbe: {exec: {command: ['cat', '/ok']}},
				},
			],
		}),
		[
			['probes-identical', 'a'],
			['probes-identical', 'b'],
		],
	],
	[
		'maxSurge 0 and a maxUnavailable that rounds down to 0',
		dep({replicas: 3, strategy: rolling(0, '10%'), containers: [goodContainer]}),
		[['surge-unavailable-zero']],
	],
	['maxUnavailable leaving one ready pod', dep({replicas: 2, strategy: rolling(1, 1), containers: [goodContainer]}), [['too-few-serving']]],
	['maxUnavailable 1 of 3 leaves two', dep({replicas: 3, strategy: rolling(1, 1), containers: [goodContainer]}), []],
	[
		'minReadySeconds 0 with a readiness probe that passes at once',
		dep({replicas: 3, strategy: rolling(1, 0), containers: [{...goodContainer, readinessProbe: instant}]}),
		[['min-ready-seconds-zero', 'web']],
	],
	[
		'minReadySeconds set: the instant probe is fine',
		dep({replicas: 3, strategy: rolling(1, 0), minReadySeconds: 5, containers: [{...goodContainer, readinessProbe: instant}]}),
		[],
	],
	[
		'successThreshold 2 does not pass at once',
		dep({replicas: 3, strategy: rolling(1, 0), containers: [{...goodContainer, readinessProbe: {...instant, successThreshold: 2}}]}),
		[],
	],
];

for (const [name, d, want] of checks) {
	test(`gracefulCheck: ${name}`, () => {
		const got = gracefulCheck(d);
		assert.deepEqual(
			got.map((f) => (f.container === undefined ? [f.id] : [f.id, f.container])),
			want,
		);
		for (const f of got) {
			assert.ok(f.why.length > 0 && !f.why.includes('\n'), 'why is one line');
			assert.ok(f.fix.length > 0 && !f.fix.includes('\n'), 'fix is one line');
		}
	});
}

const budget = (selector: LabelSelector | null, namespace = 'default'): PodDisruptionBudget => ({
	metadata: {name: 'pdb', namespace},
	spec: {selector, maxUnavailable: 1},
});

test('gracefulCheck: no PodDisruptionBudget, only when the budgets were read and there are 2 replicas or more', () => {
	const d = dep({replicas: 3, strategy: rolling(1, 0), containers: [goodContainer]});
	const ids = (pdbs?: PodDisruptionBudget[], x = d) => gracefulCheck(x, {pdbs}).map((f) => f.id);
	assert.deepEqual(ids(undefined), [], 'not read: nothing is said');
	assert.deepEqual(ids([]), ['no-pdb']);
	assert.deepEqual(ids([budget({matchLabels: {app: 'other'}})]), ['no-pdb']);
	assert.deepEqual(
		ids([budget({matchLabels: {app: 'web'}}, 'elsewhere')]),
		['no-pdb'],
		'a budget in another namespace covers nothing here',
	);
	assert.deepEqual(ids([budget({matchLabels: {app: 'web'}})]), []);
	assert.deepEqual(ids([budget({matchExpressions: [{key: 'app', operator: 'In', values: ['web', 'api']}]})]), []);
	assert.deepEqual(ids([budget({})]), [], 'policy/v1: an empty selector selects every pod of the namespace');
	assert.deepEqual(ids([budget(null)]), ['no-pdb'], 'a null selector selects nothing');
	assert.deepEqual(ids([], dep({replicas: 1, containers: [goodContainer]})), ['single-replica'], 'one replica has its own finding');
	const [f] = gracefulCheck(d, {pdbs: []});
	assert.equal(f.fix, 'add a PodDisruptionBudget selecting app=web with maxUnavailable: 1');
});

test('every finding has a prediction', () => {
	for (const id of Object.keys(FINDING_IDS)) assert.ok(PREDICTIONS[id as keyof typeof PREDICTIONS].text.length > 0, id);
});

test('gracefulCheck explains with the resolved numbers', () => {
	const [f] = gracefulCheck(dep({replicas: 4, strategy: rolling(1, '100%'), containers: [goodContainer]}));
	assert.equal(f.why, 'maxUnavailable resolves to 4 of 4 replicas (maxSurge 1), so the rollout may take down every ready pod at once');
	const [g] = gracefulCheck(dep({replicas: 3, grace: 20, containers: [{...goodContainer, lifecycle: {preStop: {sleep: {seconds: 25}}}}]}));
	assert.equal(
		g.why,
		'terminationGracePeriodSeconds 20 is not longer than the 25s preStop sleep of web, so it is killed before it can drain',
	);
	assert.equal(g.fix, 'set terminationGracePeriodSeconds above 25 (e.g. 55)');
});
