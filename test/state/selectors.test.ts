import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {CockpitStore} from '../../source/state/store.js';
import {
	selectDeployment,
	selectEventRows,
	selectPodEventRows,
	selectPods,
	selectReplicaSets,
	selectRollout,
} from '../../source/state/selectors.js';
import {screen} from '../../source/screen/screen.js';
import {eventsShown, podsShown} from '../helpers/shown.js';
import type {Deployment, KubeEvent, Pod, ReplicaSet} from '../../source/model/types.js';
import {NOW, deployment, event, pod, replicaSet} from '../helpers/objects.js';

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
		assert.equal(selectRollout(s)?.progress.newReplicaSet?.name, 'nginx-bbbbbbbbbb');
	});

	test('the pods pane shows kubectl STATUS/READY/RESTARTS/AGE, node, IP and the revision, newest revision first', () => {
		const {store} = storeWith({deployments: [midRollout, canary], replicaSets: [oldRS, newRS, canaryRS], pods});
		const table = podsShown(store.getState()).map((r) => [r.NAME, r.READY, r.STATUS, r.RESTARTS, r.AGE, r.NODE, r.IP, r.REV]);
		assert.deepEqual(table, [
			['nginx-bbbbbbbbbb-new01', '1/1', 'Running', '2 (90s ago)', '25s', 'node2', '10.244.1.5', '2'],
			['nginx-bbbbbbbbbb-new02', '0/1', 'ContainerCreating', '0', '5s', 'node2', '<none>', '2'],
			['nginx-aaaaaaaaaa-old01', '1/1', 'Running', '0', '58m', 'node2', '10.244.1.5', '1'],
			['nginx-aaaaaaaaaa-old02', '1/1', 'Terminating', '0', '58m', 'node2', '10.244.1.5', '1'],
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
		assert.deepEqual(
			selectEventRows(store.getState()).map((r) => r.count),
			[1, 1, 1, 1, 4],
		);
		assert.deepEqual(
			eventsShown(store.getState()).map((r) => [r['LAST SEEN'], r.TYPE, r.REASON, r.OBJECT]),
			[
				['40s', 'Normal', 'ScalingReplicaSet', 'deployment/nginx'],
				['39s', 'Normal', 'SuccessfulCreate', 'replicaset/nginx-bbbbbbbbbb'],
				['38s', 'Normal', 'Pulling', 'pod/nginx-bbbbbbbbbb-new01'],
				['30s', 'Normal', 'Killing', 'pod/nginx-aaaaaaaaaa-gone9'],
				['8s (x4 over 3m20s)', 'Warning', 'BackOff', 'pod/nginx-bbbbbbbbbb-new02'],
			],
		);
		assert.deepEqual(
			selectPodEventRows(store.getState(), 'nginx-bbbbbbbbbb-new01').map((r) => r.reason),
			['Pulling'],
		);
	});

	test('the picker lists deployments sorted by name with READY, UP-TO-DATE, AVAILABLE, AGE and images', () => {
		const {store} = storeWith({deployments: [canary, midRollout], name: ''});
		assert.equal(store.getState().deploymentName, undefined);
		const shown = screen(store.getState(), {columns: 120, rows: 30});
		assert.equal(shown.body.kind, 'pane');
		const lines =
			shown.body.kind === 'pane'
				? shown.body.pane.lines.map((l) =>
						l.segments
							.map((x) => x.text)
							.join('')
							.trimEnd(),
					)
				: [];
		assert.match(lines[1], /^ {2}NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+IMAGES$/);
		assert.match(lines[2], /^› nginx\s+3\/3\s+2\s+3\s+60m\s+nginx:1\.19$/);
		assert.match(lines[3], /^ {2}nginx-canary\s+1\/1\s+1\s+1\s+60m\s+nginx:1\.19$/);
	});

	test('memoised: a clock tick or an unrelated change keeps the pod list and the rollout; the screen follows the clock', () => {
		const {store, setNow} = storeWith({deployments: [midRollout, canary], replicaSets: [oldRS, newRS, canaryRS], pods});
		const s1 = store.getState();
		const pods1 = selectPods(s1);
		const rollout1 = selectRollout(s1);
		const events1 = selectEventRows(s1);
		// Another deployment changes and an event about a Service arrives.
		store.event('deployments', 'MODIFIED', deployment({name: 'nginx-canary', replicas: 4}));
		store.event('events', 'ADDED', event({kind: 'Service', name: 'other', reason: 'X', message: 'y'}));
		store.flush();
		const s2 = store.getState();
		assert.notEqual(s2, s1);
		assert.equal(selectPods(s2), pods1);
		assert.equal(selectRollout(s2), rollout1);
		assert.deepEqual(selectEventRows(s2), events1, "the Service event does not show in the deployment's events");
		// The tick: ages change on screen, but the pod list and the rollout are not derived again.
		setNow(NOW + 60_000);
		store.tick();
		store.flush();
		const sTick = store.getState();
		assert.equal(selectPods(sTick), pods1);
		assert.equal(selectRollout(sTick), rollout1);
		assert.equal(podsShown(sTick).find((r) => r.NAME === 'nginx-bbbbbbbbbb-new01')?.AGE, '85s');
		// One pod changes: a new pod list, and the screen shows the change.
		store.event('pods', 'MODIFIED', pod({rs: newRS, suffix: 'new02', createdAgo: 5}));
		store.flush();
		assert.notEqual(selectPods(store.getState()), pods1);
		assert.equal(selectRollout(store.getState()), rollout1);
		assert.equal(podsShown(store.getState()).find((r) => r.NAME === 'nginx-bbbbbbbbbb-new02')?.STATUS, 'Running');
	});

	test('20,000 pods: the screen builds the rows in view only (figures printed)', () => {
		const big = replicaSet({hash: 'dddddddddd', revision: 2, image: 'nginx:1.19', replicas: 20000});
		const dep = deployment({replicas: 20000});
		const many: Pod[] = [];
		for (let i = 0; i < 20000; i++)
			many.push(pod({rs: big, suffix: `p${i.toString(36).padStart(4, '0')}`, phase: i % 7 === 0 ? 'Pending-pull' : 'Running'}));
		const {store, setNow} = storeWith({deployments: [dep], replicaSets: [big], pods: many});
		const size = {columns: 120, rows: 40};
		let t = performance.now();
		let rows = podsShown(store.getState(), size);
		const first = performance.now() - t;
		assert.equal(selectPods(store.getState()).length, 20000);
		assert.ok(rows.length > 0 && rows.length < 40, `${rows.length} rows built`);
		assert.equal(rows[0]!.STATUS, 'ImagePullBackOff');
		store.event('pods', 'MODIFIED', pod({rs: big, suffix: 'p0000', phase: 'Crash', restarts: 1}));
		store.flush();
		t = performance.now();
		rows = podsShown(store.getState(), size);
		const incremental = performance.now() - t;
		assert.equal(rows[0]!.STATUS, 'CrashLoopBackOff');
		setNow(NOW + 100_000);
		store.tick();
		store.flush();
		t = performance.now();
		rows = podsShown(store.getState(), size);
		const tick = performance.now() - t;
		assert.equal(rows[1]!.AGE, '3m40s', 'ages follow the tick');
		console.log(
			`# 20,000 pods: first screen ${first.toFixed(0)} ms, after one pod change ${incremental.toFixed(0)} ms, after a tick ${tick.toFixed(0)} ms`,
		);
	});
});
