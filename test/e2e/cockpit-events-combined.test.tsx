// The article's events, end to end: after a set image and a rollout restart the deployment controller has written
// more than nine different ScalingReplicaSet messages, so the embedded cluster combines the rest into one
// "(combined from similar events): " Event, as client-go does. The cockpit's events pane shows that Event's row
// as `kubectl get events` lists it: the same reason, object and newest message.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {patchDeployment, setImagePatch} from '../helpers/patch-deployment.js';
import {kubectlOk, defaultKubectl} from '../helpers/kubectl.js';
import {openCockpitOnSim, podRows} from './cockpit-on-sim.js';

test('set image, then rollout restart: the events pane and kubectl get events both show the combined ScalingReplicaSet event', async (t) => {
	const {cluster, conn, frameWhere} = await openCockpitOnSim(t, {cluster: {speed: 20}, columns: 130, rows: 60});
	await frameWhere(
		(f) => podRows(f).filter((p) => p.status === 'Running' && p.ready === '1/1').length === 3 && /successfully rolled out/.test(f),
		'the initial rollout',
	);
	const patch = (body: object) => patchDeployment(conn, 'nginx', body);
	const rolledOut = (revision: number, what: string) =>
		frameWhere(
			(f) => new RegExp(`Rollout nginx rev ${revision} `).test(f) && /successfully rolled out/.test(f) && podRows(f).length === 3,
			what,
		);
	await patch(setImagePatch('nginx', 'nginx:1.20.1'));
	await rolledOut(2, 'the set image rollout');
	// kubectl rollout restart's patch.
	await patch({spec: {template: {metadata: {annotations: {'kubectl.kubernetes.io/restartedAt': new Date().toISOString()}}}}});
	await rolledOut(3, 'the restart rollout');

	const events = JSON.parse(await kubectlOk(defaultKubectl, cluster.kubeconfigPath, ['get', 'events', '-o', 'json'])).items;
	const combined = events.filter((e: any) => e.message.startsWith('(combined from similar events): '));
	assert.equal(combined.length, 1, 'one combined Event');
	const [event] = combined;
	assert.equal(event.reason, 'ScalingReplicaSet');
	assert.equal(event.involvedObject.name, 'nginx');
	// 1 (scenario) + 6 (set image) = 7 plain messages; the restart's 3rd message is the 10th: it and the 3 after are combined.
	assert.equal(event.count, 4);
	assert.match(event.message, /^\(combined from similar events\): Scaled down replica set nginx-[a-z0-9]+ to 0 from 1$/);
	const listed = await kubectlOk(defaultKubectl, cluster.kubeconfigPath, ['get', 'events']);
	assert.match(listed, new RegExp(`ScalingReplicaSet\\s+deployment/nginx\\s+${event.message.replace(/[()]/g, '\\$&')}\\n`));

	// The pane shows the same Event as one row: its count, reason, object, and the newest message (cut to the column).
	const combinedRow = (f: string) => f.split('\n').filter((l) => l.includes('(combined from similar events): '));
	const frame = await frameWhere(
		(f) => combinedRow(f).some((l) => /\(x4 over/.test(l)),
		'the combined event, counted 4 times, in the events pane',
	);
	const rows = combinedRow(frame);
	assert.equal(rows.length, 1, rows.join('\n'));
	const m =
		/^\s+(\d+s) \(x4 over \d+s\)\s+Normal\s+ScalingReplicaSet\s+deployment\/nginx\s+(\(combined from similar events\): .*?)(…)?\s*$/.exec(
			rows[0]!,
		);
	assert.ok(m, rows[0]);
	const shown = m[3] ? m[2]!.trimEnd() : m[2]!;
	assert.ok(m[3] ? event.message.startsWith(shown) : shown === event.message, `pane: ${shown}\nkubectl: ${event.message}`);
});
