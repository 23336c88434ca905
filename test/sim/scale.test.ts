// The scale scenario and the cost of one pod change. The counting test is the bar: the objects the
// controllers read because one pod changed are the same at 100 pods and at 10,000 (counted by the informers,
// not timed). The scenario's objects must be what the controllers and kubelet would have made themselves, so
// they start with nothing to do; churn makes the changes a busy cluster has.
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {Churn} from '../../source/sim/churn.js';
import {maxCapacity} from '../../source/sim/controllers/endpoints.js';
import {parseSimArgs, runSimCommand} from '../../source/sim/cli.js';
import {scaleNamespaces} from '../../source/sim/scale-scenario.js';
import type {KubeObject} from '../../source/sim/store.js';
import {harness, type Harness} from './controllers/harness.js';
import {within} from '../helpers/wait.js';

const readyCount = (h: Harness, namespace = 'default') =>
	h.store.get('replicasets', namespace, bigRs(h, namespace).metadata.name!)?.status?.readyReplicas;
const bigRs = (h: Harness, namespace = 'default') => h.replicaSets(namespace).find((rs) => rs.metadata.labels?.app === 'big')!;
const podKeys = (h: Harness, namespace = 'default') => h.store.list('pods', namespace).items.map((p) => `${namespace}/${p.metadata.name}`);

describe('scale scenario', () => {
	it('starts with N pods Running and Ready under one Deployment big per namespace, which the controllers leave alone', async () => {
		const h = await harness({scale: {pods: 300, namespaces: 3}});
		try {
			h.clock.advance(1000);
			assert.deepEqual(scaleNamespaces(3), ['scale-1', 'scale-2', 'scale-3']);
			assert.equal(h.store.count('nodes'), 4, 'a node per 100 pods, four at least');
			for (const ns of scaleNamespaces(3)) {
				const pods = h.store.list('pods', ns).items;
				assert.equal(pods.length, 100);
				assert.ok(
					pods.every((p) => p.status.phase === 'Running' && p.status.conditions.find((c: any) => c.type === 'Ready').status === 'True'),
				);
				const d = h.deployment('big', ns);
				assert.equal(d.status.availableReplicas, 100);
				assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
				assert.equal(h.replicaSets(ns).length, 1, 'the ReplicaSet is the one the deployment controller would have made');
				assert.equal(h.store.get('endpoints', ns, 'big')!.subsets[0].addresses.length, 100);
			}
			// Nothing was created, deleted or restarted to get there: no events at all.
			assert.deepEqual(
				h.events().map((e) => `${e.reason} ${e.involvedObject.name}`),
				[],
			);
			assert.deepEqual(h.errors, []);
			// Realistic pods: about 3 KB of JSON each, managedFields included.
			const pod = h.store.list('pods', 'scale-1').items[0]!;
			const size = JSON.stringify(pod).length;
			assert.ok(size > 2500 && size < 4500, `a pod is ${size} bytes of JSON`);
			assert.deepEqual(
				pod.metadata.managedFields.map((f: any) => f.manager),
				['kube-controller-manager', 'kubelet'],
			);
			// A rollout works as on any other deployment.
			h.updateDeployment('big', (d) => (d.spec.template.spec.containers[0].image = 'nginx:1.20.1'), 'scale-2');
			h.advanceUntil(
				() =>
					h.deployment('big', 'scale-2').status.updatedReplicas === 100 && h.deployment('big', 'scale-2').status.availableReplicas === 100,
				{
					maxMs: 600_000,
					stepMs: 500,
					what: 'the rollout of scale-2/big',
				},
			);
			assert.equal(h.store.list('pods', 'scale-2').items.filter((p) => !p.metadata.deletionTimestamp).length, 100);
		} finally {
			h.stop();
		}
	});

	it('an Endpoints of more than 1,000 pods keeps the first 1,000 by IP and says it was truncated; a change beyond them writes nothing', async () => {
		const h = await harness({scale: {pods: 1200}});
		try {
			h.clock.advance(1000);
			const ep = () => h.store.get('endpoints', 'default', 'big')!;
			const ips = (o: KubeObject) => o.subsets[0].addresses.map((a: any) => a.ip);
			const first = ep();
			assert.equal(first.metadata.annotations?.['endpoints.kubernetes.io/over-capacity'], 'truncated');
			assert.equal(first.subsets[0].addresses.length, maxCapacity);
			assert.equal(first.subsets[0].notReadyAddresses, undefined, 'not-ready addresses go first when ready ones fill it');
			// A pod beyond the first 1,000: its flap shows nowhere, so nothing is written.
			const byIp = new Map(h.store.list('pods').items.map((p) => [p.status.podIP, p]));
			const outside = [...byIp.keys()].find((ip) => !ips(first).includes(ip))!;
			assert.ok(h.controllers.kubelet.disturb(`default/${byIp.get(outside)!.metadata.name}`, 'readiness-flap', 5000));
			h.clock.advance(10);
			assert.equal(ep().metadata.resourceVersion, first.metadata.resourceVersion);
			// The lowest IP flaps: it leaves, the 1,001st comes in.
			const lowest = ips(first)[0];
			assert.ok(h.controllers.kubelet.disturb(`default/${byIp.get(lowest)!.metadata.name}`, 'readiness-flap', 5000));
			h.clock.advance(10);
			assert.ok(!ips(ep()).includes(lowest));
			assert.equal(ips(ep()).length, maxCapacity);
			h.clock.advance(6000);
			assert.deepEqual(ips(ep()), ips(first), 'ready again: the same 1,000 as before');
			assert.equal(readyCount(h), 1200);
		} finally {
			h.stop();
		}
	});

	it('churn makes readiness flaps and restarts at the asked rate, with their events, and the pods recover', async () => {
		const h = await harness({scale: {pods: 200}});
		try {
			h.clock.advance(1000);
			let seed = 7;
			const random = () => {
				seed = (seed * 48271) % 2147483647;
				return seed / 2147483647;
			};
			const churn = new Churn(h.controllers.manager, h.controllers.kubelet, 20, random);
			churn.start();
			h.clock.advance(10_000);
			churn.stop();
			// 20 changes per simulated second for 10 s, give or take the last incident.
			assert.ok(Math.abs(churn.counts.changes - 200) <= 3, `${churn.counts.changes} changes`);
			assert.ok(churn.counts.readinessFlaps > 0 && churn.counts.restarts > 0);
			const reasons = new Set(h.events().map((e) => e.reason));
			for (const reason of ['Unhealthy', 'Pulled', 'Created', 'Started']) assert.ok(reasons.has(reason), `an ${reason} event`);
			const restarted = h.store.list('pods').items.filter((p) => p.status.containerStatuses[0].restartCount > 0);
			assert.ok(restarted.length > 0 && restarted[0]!.status.containerStatuses[0].lastState.terminated.reason === 'OOMKilled');
			h.advanceUntil(() => readyCount(h) === 200, {maxMs: 60_000, what: 'every pod ready again'});
			assert.deepEqual(h.errors, []);
		} finally {
			h.stop();
		}
	});
});

describe('the work one pod change causes', () => {
	// Every object the informers hand out while the cluster reacts to one readiness flap of one pod (both of its
	// changes: not ready, then ready again), per controller.
	async function readsForOneChange(pods: number): Promise<Record<string, number>> {
		const h = await harness({scale: {pods}});
		try {
			h.clock.advance(2000);
			assert.equal(readyCount(h), pods);
			const key = podKeys(h).sort()[0]!;
			const reads = h.controllers.manager.informers.reads;
			reads.reset();
			assert.ok(h.controllers.kubelet.disturb(key, 'readiness-flap', 1000));
			h.clock.advance(1500);
			assert.equal(readyCount(h), pods, 'ready again');
			assert.deepEqual(h.errors, []);
			return Object.fromEntries([...reads.counts].sort());
		} finally {
			h.stop();
		}
	}

	it('is the same at 100 pods and at 10,000 in one Deployment: the syncs read only what the changed pod touches', async () => {
		const small = await readsForOneChange(100);
		const large = await readsForOneChange(10_000);
		for (const controller of ['kubelet', 'replicaset', 'deployment', 'endpoints']) {
			assert.ok((small[controller] ?? 0) > 0, `${controller} read something (the counter counts): ${JSON.stringify(small)}`);
		}
		assert.ok(
			Object.values(small).every((n) => n < 50),
			`a few objects each: ${JSON.stringify(small)}`,
		);
		assert.deepEqual(large, small);
	});
});

describe('sim --scenario scale flags', () => {
	it('parses --pods, --namespaces and --churn, and refuses them without --scenario scale or out of range', async () => {
		assert.deepEqual(parseSimArgs(['--scenario', 'scale', '--pods', '20000', '--namespaces=4', '--churn', '100']), {
			scenario: 'scale',
			speed: 1,
			endpointLagMs: 1000,
			scale: {pods: 20000, namespaces: 4, churn: 100},
		});
		assert.deepEqual((parseSimArgs(['--scenario', 'scale']) as any).scale, {pods: 1000});
		const cases: [string[], RegExp][] = [
			[['--pods', '10'], /--pods, --namespaces and --churn need --scenario scale/],
			[['--scenario', 'scale', '--pods', '0'], /invalid --pods "0": want a whole number of at least 1/],
			[['--scenario', 'scale', '--pods', '2.5'], /invalid --pods "2.5"/],
			[['--scenario', 'scale', '--churn', '-1'], /invalid --churn "-1": want changes per second/],
			[['--scenario', 'scale', '--pods', '3', '--namespaces', '4'], /--namespaces 4 is more than --pods 3/],
		];
		for (const [argv, message] of cases) {
			let err = '';
			const code = await within(runSimCommand(argv, {stdout: () => {}, stderr: (t) => (err += t)}), 120_000, 'the sim command to end');
			assert.equal(code, 2, argv.join(' '));
			assert.match(err, message);
		}
	});
});
