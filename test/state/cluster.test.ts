// The whole data path on the embedded cluster: kubeconfig file -> connect -> reflectors -> store ->
// selectors, following the article's `kubectl set image` rollout of nginx from start to finish.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {connect} from '../../source/kube/connect.js';
import {patchDeployment, setImagePatch} from '../helpers/patch-deployment.js';
import {CockpitStore, startCockpitData} from '../../source/state/store.js';
import {selectRollout} from '../../source/state/selectors.js';
import {eventsShown, podsShown} from '../helpers/shown.js';
import {startCluster} from '../helpers/sim-cluster.js';
import {waitFor} from '../helpers/wait.js';

test('the store follows an image rollout of the nginx scenario to completion', async (t) => {
	const cluster = await startCluster({scenario: 'nginx', speed: 20});
	let data: {stop(): void} | undefined;
	let store: CockpitStore | undefined;
	// Watches first, then the cluster (so the reflectors do not see the server go away).
	t.after(async () => {
		data?.stop();
		store?.dispose();
		await cluster.stop();
	});
	const conn = connect({kubeconfig: cluster.kubeconfigPath});
	assert.equal(conn.namespace, 'default');
	store = new CockpitStore(
		{context: conn.contextName, server: conn.clusterServer, namespace: conn.namespace, deploymentName: 'nginx'},
		{tickMs: false},
	);
	data = startCockpitData(conn, store);

	// 1. The scenario's three nginx:1.18 pods, Running, and a finished rollout.
	await waitFor(
		() => {
			const rows = podsShown(store.getState());
			return (
				rows.length === 3 && rows.every((r) => r.STATUS === 'Running' && r.READY === '1/1') && selectRollout(store.getState())?.status.done
			);
		},
		15_000,
		'three nginx pods Running',
	);
	const before = selectRollout(store.getState())!;
	assert.equal(before.sentence, 'deployment "nginx" successfully rolled out');
	assert.deepEqual(before.progress.newReplicaSet?.images, ['nginx:1.18']);
	const firstRevision = before.progress.newReplicaSet!.revision;

	// Record what the screen would have shown at every notification.
	const seen = {sentences: new Set<string>(), newUpdated: new Set<number>(), oldRemaining: new Set<number>(), statuses: new Set<string>()};
	const unsubscribe = store.subscribe(() => {
		const s = store.getState();
		const r = selectRollout(s);
		if (!r) return;
		seen.sentences.add(r.sentence);
		if (r.progress.newReplicaSet?.images[0] === 'nginx:1.19') seen.newUpdated.add(r.progress.updated);
		seen.oldRemaining.add(r.progress.oldRemaining);
		for (const row of podsShown(s)) seen.statuses.add(row.STATUS);
	});
	t.after(unsubscribe);

	// 2. `kubectl set image deployment/nginx nginx=nginx:1.19`, as a strategic merge patch through the API.
	await patchDeployment(conn, 'nginx', setImagePatch('nginx', 'nginx:1.19'));

	// 3. The store follows the rollout to the end.
	await waitFor(
		() => {
			const s = store.getState();
			const r = selectRollout(s);
			const rows = podsShown(s);
			return (
				r?.status.done &&
				r.progress.newReplicaSet?.images[0] === 'nginx:1.19' &&
				r.progress.oldRemaining === 0 &&
				rows.length === 3 &&
				rows.every((row) => row.REV === String(r.progress.newReplicaSet?.revision) && row.STATUS === 'Running')
			);
		},
		30_000,
		'the rollout to nginx:1.19 to finish',
	);
	const after = selectRollout(store.getState())!;
	assert.equal(after.sentence, 'deployment "nginx" successfully rolled out');
	assert.equal(after.progress.newReplicaSet!.revision, firstRevision + 1);
	assert.deepEqual(
		after.progress.oldReplicaSets.map((rs) => [rs.revision, rs.images[0], rs.current]),
		[[firstRevision, 'nginx:1.18', 0]],
	);
	assert.ok(podsShown(store.getState()).every((r) => r.REV === String(firstRevision + 1)));

	// On the way: kubectl's waiting sentences, the new ReplicaSet growing, the old one draining.
	assert.ok(
		[...seen.sentences].some((s) => s.startsWith('Waiting for deployment "nginx" rollout to finish:')),
		`sentences: ${[...seen.sentences].join(' | ')}`,
	);
	assert.ok(seen.newUpdated.has(3) && [...seen.newUpdated].some((n) => n < 3), `new RS sizes seen: ${[...seen.newUpdated]}`);
	assert.ok(seen.oldRemaining.has(0) && [...seen.oldRemaining].some((n) => n > 0), `old remaining seen: ${[...seen.oldRemaining]}`);
	t.diagnostic(`pod statuses seen: ${[...seen.statuses].join(', ')}`);

	// The deployment controller's ScalingReplicaSet events, filtered to this deployment.
	await waitFor(
		() =>
			eventsShown(store.getState()).some(
				(e) => e.REASON === 'ScalingReplicaSet' && /Scaled down replica set nginx-\w+ .*to 0/.test(e.MESSAGE),
			),
		10_000,
		'ScalingReplicaSet events',
	);
	const events = eventsShown(store.getState());
	assert.ok(
		events.some(
			(e) =>
				e.REASON === 'ScalingReplicaSet' && e.OBJECT === 'deployment/nginx' && /Scaled up replica set nginx-\w+ .*to [1-3]/.test(e.MESSAGE),
		),
	);
	assert.ok(
		events.every((e) => /^(deployment\/nginx|replicaset\/nginx-|pod\/nginx-)/.test(e.OBJECT)),
		"only the deployment's events",
	);
	assert.equal(store.getState().connection.overall, 'live');
});
