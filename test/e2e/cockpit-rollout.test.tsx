// The cockpit on the embedded cluster, end to end: real list+watch over HTTPS into the store, the real
// <App> rendering frames; the image is changed through the API as `kubectl set image` would, and the
// frames must show the rollout the article describes: the new ReplicaSet growing from 0/3 to 3/3, the
// old one draining to 0, pods passing through their phases, and the ScalingReplicaSet events.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {patchDeployment, setImagePatch} from '../helpers/patch-deployment.js';
import {plain} from '../app/harness.js';
import {openCockpitOnSim, podRows} from './cockpit-on-sim.js';

test('set image nginx:1.18 -> nginx:1.20.1: the cockpit shows 0/3 -> 3/3 new, the old ReplicaSet draining to 0, pod phases and ScalingReplicaSet events', async (t) => {
	// Speed 2, and a server that takes 2 s (simulated) to stop, so every phase lasts long enough to be drawn.
	const {conn, frames, frameWhere} = await openCockpitOnSim(t, {
		cluster: {speed: 2, kubeletTimings: {stopMs: 2000}},
		columns: 130,
		rows: 60,
	});

	// The article's starting point: three nginx:1.18 pods Running, rolled out.
	const before = await frameWhere(
		(f) =>
			podRows(f).filter((p) => p.status === 'Running' && p.ready === '1/1').length === 3 &&
			/successfully rolled out/.test(f) &&
			/\slive\n/.test(f),
		'the initial rollout',
	);
	assert.match(before, /Rollout nginx rev 1 nginx:1\.18/);
	const oldPods = new Set(podRows(before).map((p) => p.name));
	const firstAfterPatch = frames.length;

	// kubectl set image deployment/nginx nginx=nginx:1.20.1 sends this strategic merge patch.
	await patchDeployment(conn, 'nginx', setImagePatch('nginx', 'nginx:1.20.1'));

	const done = await frameWhere(
		(f) =>
			/Rollout nginx rev 2 nginx:1\.20\.1/.test(f) &&
			/successfully rolled out/.test(f) &&
			podRows(f).length === 3 &&
			podRows(f).every((p) => p.status === 'Running' && !oldPods.has(p.name)),
		'the rollout to nginx:1.20.1 to finish',
	);
	const after = frames.slice(firstAfterPatch).map(plain);

	// Progress of the new ReplicaSet, frame by frame: updated, ready and available pods against the 3
	// desired, each never going backwards; available goes from 0/3 to 3/3. (Until the deployment
	// controller has created the new ReplicaSet, the new template has no ReplicaSet: "rev ?", 0 pods.)
	const counts = after
		.map((f) => /new rev (?:2|\?) .*?(\d)\/3 updated\s+(\d)\/3 ready\s+(\d)\/3 available/.exec(f))
		.filter((m) => m !== null)
		.map((m) => ({updated: Number(m[1]), ready: Number(m[2]), available: Number(m[3])}));
	const series = (key: 'updated' | 'ready' | 'available') => counts.map((c) => c[key]);
	for (const key of ['updated', 'ready', 'available'] as const) {
		const values = series(key);
		assert.equal(values.at(-1), 3, `${key}: ${values.join(' ')}`);
		assert.ok(
			values.every((n, i) => i === 0 || n >= values[i - 1]),
			`${key} went backwards: ${values.join(' ')}`,
		);
	}
	assert.equal(series('available')[0], 0, `available: ${series('available').join(' ')}`);
	assert.ok(series('updated')[0] <= 1, `updated: ${series('updated').join(' ')}`);
	// Every intermediate step was drawn: 0, 1, 2 and 3 available.
	assert.deepEqual([...new Set(series('available'))], [0, 1, 2, 3]);

	// The old ReplicaSet (revision 1, nginx:1.18) drains: 3 pods, fewer, then 0.
	const oldCounts = after
		.map((f) => /old rev 1 .*?(\d)(?: \S+ \d)? old\s+nginx:1\.18/.exec(f))
		.filter((m) => m !== null)
		.map((m) => Number(m[1]));
	assert.equal(oldCounts[0], 3, `old counts: ${oldCounts.join(' ')}`);
	assert.equal(oldCounts.at(-1), 0);
	assert.ok(
		oldCounts.every((n, i) => i === 0 || n <= oldCounts[i - 1]),
		`old ReplicaSet grew back: ${oldCounts.join(' ')}`,
	);
	assert.match(done, /old rev 1 .*0 old\s+nginx:1\.18/);

	// Pods pass through their phases: a new pod ContainerCreating before Running; old pods Terminating before they go.
	const statuses = new Map<string, string[]>();
	for (const f of after) {
		for (const p of podRows(f)) {
			const seen = statuses.get(p.name) ?? [];
			if (seen.at(-1) !== p.status) seen.push(p.status);
			statuses.set(p.name, seen);
		}
	}
	const newPods = [...statuses.keys()].filter((n) => !oldPods.has(n));
	assert.equal(newPods.length, 3, `new pods: ${newPods.join(' ')}`);
	for (const name of newPods) {
		const seen = statuses.get(name) as string[];
		assert.ok(
			seen.indexOf('ContainerCreating') >= 0 && seen.indexOf('ContainerCreating') < seen.lastIndexOf('Running'),
			`${name}: ${seen.join(' -> ')}`,
		);
	}
	for (const name of oldPods) {
		const seen = statuses.get(name) ?? [];
		assert.equal(seen.at(-1), 'Terminating', `${name} should be Terminating when last seen: ${seen.join(' -> ')}`);
	}
	// In the end the old pods are gone from the pane.
	assert.ok(podRows(done).every((p) => !oldPods.has(p.name)));

	// The deployment controller's ScalingReplicaSet events, as in the article: the new ReplicaSet scaled
	// up to 1, 2, 3 and the old one down to 2, 1, 0 (Kubernetes 1.32 words them "from 1 to 2").
	const allText = after.join('\n');
	const newRs = /Scaled up replica set (nginx-[0-9a-z]+) to 1/.exec(allText)?.[1];
	assert.ok(newRs, 'a "Scaled up replica set ... to 1" event');
	const oldRs = /Scaled down replica set (nginx-[0-9a-z]+) (?:from 3 )?to 2/.exec(allText)?.[1];
	assert.ok(oldRs && oldRs !== newRs, 'a "Scaled down replica set ... to 2" event for the old ReplicaSet');
	for (const n of [1, 2, 3])
		assert.match(allText, new RegExp(`ScalingReplicaSet\\s+deployment/nginx\\s+Scaled up replica set ${newRs} (?:from \\d+ )?to ${n}\\b`));
	for (const n of [2, 1, 0])
		assert.match(
			allText,
			new RegExp(`ScalingReplicaSet\\s+deployment/nginx\\s+Scaled down replica set ${oldRs} (?:from \\d+ )?to ${n}\\b`),
		);
	// Each rollout step is also in the pods' and ReplicaSets' own events.
	assert.match(allText, new RegExp(`SuccessfulCreate\\s+replicaset/${newRs}\\s+Created pod: ${newRs}-`));
	assert.match(allText, /Killing\s+pod\/nginx-[0-9a-z]+-[0-9a-z]{5}\s+Stopping container nginx/);
});
