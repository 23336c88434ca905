import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {CockpitStore} from '../../source/state/store.js';
import {
	selectDeployment,
	selectDeploymentRows,
	selectEventRows,
	selectNewReplicaSet,
	selectPodEventRows,
	selectPodRows,
	selectPods,
	selectReplicaSets,
	selectRollout,
} from '../../source/state/selectors.js';
import type {Deployment, KubeEvent, Pod, ReplicaSet} from '../../source/model/types.js';
import {NOW, deployment, event, pod, replicaSet} from './fixtures.js';

function storeWith(o: {deployments: Deployment[]; replicaSets?: ReplicaSet[]; pods?: Pod[]; events?: KubeEvent[]; name?: string}) {
	let now = NOW;
	const store = new CockpitStore(
		{context: 'c', server: 's', namespace: 'default', deploymentName: o.name ?? 'nginx'},
		{flushIntervalMs: false, tickMs: false, now: () => now},
	);
	store.sync('deployments', o.deployments, '1');
	store.sync('replicaSets', o.replicaSets ?? [], '1');
	store.sync('pods', o.pods ?? [], '1');
	store.sync('events', o.events ?? [], '1');
	store.flush();
	return {store, setNow: (t: number) => (now = t)};
}

// Mid-rollout of nginx from 1.18 (revision 1) to 1.19 (revision 2), plus a look-alike deployment "nginx-canary".
const oldRS = replicaSet({hash: 'aaaaaaaaaa', revision: 1, image: 'nginx:1.18', replicas: 2, createdAgo: 3600});
const newRS = replicaSet({hash: 'bbbbbbbbbb', revision: 2, image: 'nginx:1.19', replicas: 2, ready: 1, available: 1, createdAgo: 30});
const canaryRS = replicaSet({deployment: 'nginx-canary', hash: 'cccccccccc', revision: 1, image: 'nginx:1.19', replicas: 1});
const midRollout = deployment({image: 'nginx:1.19', replicas: 3, updated: 2, total: 4, ready: 3, available: 3});
const canary = deployment({name: 'nginx-canary', image: 'nginx:1.19', replicas: 1});
const pods = [
	pod({rs: oldRS, suffix: 'old01', createdAgo: 3500}),
	pod({rs: oldRS, suffix: 'old02', phase: 'Terminating', createdAgo: 3500}),
	pod({rs: newRS, suffix: 'new02', phase: 'Pending-creating', createdAgo: 5}),
	pod({rs: newRS, suffix: 'new01', createdAgo: 25, restarts: 2}),
	pod({rs: canaryRS, suffix: 'can01'}),
];

describe('selectors', () => {
	test('the deployment, its ReplicaSets by owner uid, and its pods newest revision first', () => {
		const {store} = storeWith({deployments: [midRollout, canary], replicaSets: [oldRS, newRS, canaryRS], pods});
		const s = store.getState();
		assert.equal(selectDeployment(s)?.metadata?.name, 'nginx');
		assert.deepEqual(
			selectReplicaSets(s)
				.map((r) => r.metadata?.name)
				.sort(),
			['nginx-aaaaaaaaaa', 'nginx-bbbbbbbbbb'],
		);
		assert.deepEqual(
			selectPods(s).map((p) => p.metadata?.name),
			['nginx-bbbbbbbbbb-new01', 'nginx-bbbbbbbbbb-new02', 'nginx-aaaaaaaaaa-old01', 'nginx-aaaaaaaaaa-old02'],
		);
		assert.equal(selectNewReplicaSet(s)?.metadata?.name, 'nginx-bbbbbbbbbb');
	});

	test('pod rows: kubectl STATUS/READY/RESTARTS/AGE, node, IP, revision and whether the pod is new', () => {
		const {store} = storeWith({deployments: [midRollout, canary], replicaSets: [oldRS, newRS, canaryRS], pods});
		const rows = selectPodRows(store.getState());
		const table = rows.map((r) => [r.name, r.ready, r.status, r.restarts, r.age, r.node, r.ip, r.revision, r.current, r.deleting]);
		assert.deepEqual(table, [
			['nginx-bbbbbbbbbb-new01', '1/1', 'Running', '2 (90s ago)', '25s', 'node2', '10.244.1.5', '2', true, false],
			['nginx-bbbbbbbbbb-new02', '0/1', 'ContainerCreating', '0', '5s', 'node2', '<none>', '2', true, false],
			['nginx-aaaaaaaaaa-old01', '1/1', 'Running', '0', '58m', 'node2', '10.244.1.5', '1', false, false],
			['nginx-aaaaaaaaaa-old02', '1/1', 'Terminating', '0', '58m', 'node2', '10.244.1.5', '1', false, true],
		]);
	});

	test('rollout: progress from ReplicaSet counts and the kubectl rollout status sentence', () => {
		const cases: [string, Deployment, string, boolean][] = [
			[
				'updating',
				deployment({replicas: 3, updated: 1, total: 4}),
				'Waiting for deployment "nginx" rollout to finish: 1 out of 3 new replicas have been updated...',
				false,
			],
			[
				'old pending termination',
				deployment({replicas: 3, updated: 3, total: 5}),
				'Waiting for deployment "nginx" rollout to finish: 2 old replicas are pending termination...',
				false,
			],
			[
				'availability',
				deployment({replicas: 3, updated: 3, total: 3, available: 2}),
				'Waiting for deployment "nginx" rollout to finish: 2 of 3 updated replicas are available...',
				false,
			],
			['done', deployment({replicas: 3}), 'deployment "nginx" successfully rolled out', true],
			['spec not observed', deployment({generation: 3, observed: 2}), 'Waiting for deployment spec update to be observed...', false],
			[
				'deadline',
				deployment({conditions: [{type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded'}]}),
				'error: deployment "nginx" exceeded its progress deadline',
				false,
			],
		];
		for (const [name, dep, sentence, done] of cases) {
			const {store} = storeWith({deployments: [dep], replicaSets: [oldRS, newRS]});
			const r = selectRollout(store.getState());
			assert.equal(r?.sentence, sentence, name);
			assert.equal(r?.status.done, done, name);
		}
		const {store} = storeWith({deployments: [midRollout], replicaSets: [oldRS, newRS, canaryRS]});
		const p = selectRollout(store.getState())!.progress;
		assert.equal(p.newReplicaSet?.name, 'nginx-bbbbbbbbbb');
		assert.deepEqual([p.desired, p.updated, p.ready, p.available, p.oldRemaining], [3, 2, 1, 1, 2]);
		assert.deepEqual(
			p.oldReplicaSets.map((r) => [r.revision, r.images[0]]),
			[[1, 'nginx:1.18']],
		);
	});

	test('events: only the deployment, its ReplicaSets and pods (even gone ones), folded, with LAST SEEN', () => {
		const events = [
			event({
				kind: 'Deployment',
				name: 'nginx',
				reason: 'ScalingReplicaSet',
				message: 'Scaled up replica set nginx-bbbbbbbbbb to 1',
				agoS: 40,
			}),
			event({
				kind: 'ReplicaSet',
				name: 'nginx-bbbbbbbbbb',
				reason: 'SuccessfulCreate',
				message: 'Created pod: nginx-bbbbbbbbbb-new01',
				agoS: 39,
				component: 'replicaset-controller',
			}),
			event({
				kind: 'Pod',
				name: 'nginx-bbbbbbbbbb-new01',
				reason: 'Pulling',
				message: 'Pulling image "nginx:1.19"',
				agoS: 38,
				component: 'kubelet',
			}),
			event({
				kind: 'Pod',
				name: 'nginx-aaaaaaaaaa-gone9',
				reason: 'Killing',
				message: 'Stopping container nginx',
				agoS: 30,
				component: 'kubelet',
			}),
			event({
				kind: 'Pod',
				name: 'nginx-bbbbbbbbbb-new02',
				reason: 'BackOff',
				message: 'Back-off pulling image',
				type: 'Warning',
				agoS: 20,
				firstAgoS: 200,
				count: 3,
				component: 'kubelet',
			}),
			event({
				kind: 'Pod',
				name: 'nginx-bbbbbbbbbb-new02',
				reason: 'BackOff',
				message: 'Back-off pulling image',
				type: 'Warning',
				agoS: 8,
				firstAgoS: 8,
				count: 1,
				component: 'kubelet',
			}),
			// Not ours: the canary's objects and another kind.
			event({
				kind: 'Deployment',
				name: 'nginx-canary',
				reason: 'ScalingReplicaSet',
				message: 'Scaled up replica set nginx-canary-cccccccccc to 1',
				agoS: 35,
			}),
			event({kind: 'Pod', name: 'nginx-canary-cccccccccc-can01', reason: 'Started', message: 'Started container nginx', agoS: 33}),
			event({kind: 'Service', name: 'nginx', reason: 'Type', message: 'ClusterIP -> NodePort', agoS: 32}),
		];
		const {store} = storeWith({deployments: [midRollout, canary], replicaSets: [oldRS, newRS, canaryRS], pods, events});
		const rows = selectEventRows(store.getState());
		assert.deepEqual(
			rows.map((r) => [r.lastSeen, r.type, r.reason, r.object, r.count]),
			[
				['40s', 'Normal', 'ScalingReplicaSet', 'deployment/nginx', 1],
				['39s', 'Normal', 'SuccessfulCreate', 'replicaset/nginx-bbbbbbbbbb', 1],
				['38s', 'Normal', 'Pulling', 'pod/nginx-bbbbbbbbbb-new01', 1],
				['30s', 'Normal', 'Killing', 'pod/nginx-aaaaaaaaaa-gone9', 1],
				['8s (x4 over 3m20s)', 'Warning', 'BackOff', 'pod/nginx-bbbbbbbbbb-new02', 4],
			],
		);
		assert.deepEqual(
			selectPodEventRows(store.getState(), 'nginx-bbbbbbbbbb-new01').map((r) => r.reason),
			['Pulling'],
		);
	});

	test('the picker lists deployments sorted by name with READY, UP-TO-DATE, AVAILABLE, AGE and images', () => {
		const {store} = storeWith({deployments: [midRollout, canary], name: ''});
		assert.equal(store.getState().deploymentName, undefined);
		assert.deepEqual(
			selectDeploymentRows(store.getState()).map((r) => [r.name, r.ready, r.upToDate, r.available, r.age, r.images]),
			[
				['nginx', '3/3', 2, 3, '60m', 'nginx:1.19'],
				['nginx-canary', '1/1', 1, 1, '60m', 'nginx:1.19'],
			],
		);
	});

	test('memoised: a clock tick keeps pods and rollout; an unrelated change keeps the pod rows', () => {
		const {store, setNow} = storeWith({deployments: [midRollout, canary], replicaSets: [oldRS, newRS, canaryRS], pods});
		const s1 = store.getState();
		const pods1 = selectPods(s1);
		const rows1 = selectPodRows(s1);
		const rollout1 = selectRollout(s1);
		const events1 = selectEventRows(s1);
		// Another deployment changes and an event about a Service arrives.
		store.event('deployments', 'MODIFIED', deployment({name: 'nginx-canary', replicas: 4}));
		store.event('events', 'ADDED', event({kind: 'Service', name: 'other', reason: 'X', message: 'y'}));
		store.flush();
		const s2 = store.getState();
		assert.notEqual(s2, s1);
		assert.equal(selectPods(s2), pods1);
		assert.equal(selectPodRows(s2), rows1, 'no pod row recomputed for an unrelated change');
		assert.equal(selectRollout(s2), rollout1);
		// The tick: ages change, so rows are rebuilt, but the pod list and the rollout are not.
		setNow(NOW + 60_000);
		store.tick();
		const sTick = store.getState();
		assert.equal(selectPods(sTick), pods1);
		assert.equal(selectRollout(sTick), rollout1);
		const rowsTick = selectPodRows(sTick);
		assert.notEqual(rowsTick, rows1);
		assert.equal(rowsTick.find((r) => r.name === 'nginx-bbbbbbbbbb-new01')?.age, '85s');
		store.event('pods', 'MODIFIED', pods[0]!);
		store.flush();
		const s3 = store.getState();
		assert.equal(selectRollout(s3), rollout1);
		assert.deepEqual(selectEventRows(s2), events1, "the Service event does not show in the deployment's events");
		// One pod changes: a new pod list, and that pod's row shows the change.
		const changed = pod({rs: newRS, suffix: 'new02', createdAgo: 5});
		store.event('pods', 'MODIFIED', changed);
		store.flush();
		const rows4 = selectPodRows(store.getState());
		assert.notEqual(rows4, rows1);
		assert.equal(rows4.find((r) => r.name === 'nginx-bbbbbbbbbb-new02')?.status, 'Running');
	});

	test('20,000 pods: first rows, then one changed pod, then a tick (figures printed)', () => {
		const big = replicaSet({hash: 'dddddddddd', revision: 2, image: 'nginx:1.19', replicas: 20000});
		const dep = deployment({replicas: 20000});
		const many: Pod[] = [];
		for (let i = 0; i < 20000; i++)
			many.push(pod({rs: big, suffix: `p${i.toString(36).padStart(4, '0')}`, phase: i % 7 === 0 ? 'Pending-pull' : 'Running'}));
		const {store, setNow} = storeWith({deployments: [dep], replicaSets: [big], pods: many});
		let t = performance.now();
		const rows = selectPodRows(store.getState());
		const first = performance.now() - t;
		assert.equal(rows.length, 20000);
		assert.equal(rows.filter((r) => r.status === 'ImagePullBackOff').length, Math.ceil(20000 / 7));
		store.event('pods', 'MODIFIED', pod({rs: big, suffix: 'p0000', phase: 'Crash', restarts: 1}));
		store.flush();
		t = performance.now();
		const rows2 = selectPodRows(store.getState());
		const incremental = performance.now() - t;
		assert.equal(rows2.find((r) => r.name === 'nginx-dddddddddd-p0000')?.status, 'CrashLoopBackOff');
		setNow(NOW + 100_000);
		store.tick();
		t = performance.now();
		const rows3 = selectPodRows(store.getState());
		const tick = performance.now() - t;
		assert.equal(rows3[0]!.age, '3m40s', 'ages follow the tick');
		console.log(
			`# 20,000 pods: first rows ${first.toFixed(0)} ms, after one pod change ${incremental.toFixed(0)} ms, after a tick ${tick.toFixed(0)} ms`,
		);
		assert.ok(incremental < first, 'reuses per-pod status for unchanged pods');
	});
});
