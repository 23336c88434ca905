// The cockpit as the embedded cluster's other users, over HTTPS with the user's own credential: no-events sees the
// pods and the rollout while its events pane names the forbidden verb and resource; exec-user (an exec credential
// plugin, run without a shell, as EKS and GKE configure) and kubernetes-admin (a client certificate, as kubeadm's
// admin.conf) connect and see the rollout live.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import {openCockpitOnSim, podRows} from './cockpit-on-sim.js';

// One cluster for the file: each user opens its own cockpit on it.
let cluster: SimCluster;
before(async () => {
	cluster = await startCluster({scenario: 'nginx', speed: 4});
});
after(() => cluster.stop());

const rolledOut = (f: string) =>
	podRows(f).filter((p) => p.status === 'Running' && p.ready === '1/1').length === 3 && /successfully rolled out/.test(f);

test('no-events: pods and the rollout are shown; the events pane names the forbidden verb and resource; the header stays live', async (t) => {
	const {frameWhere} = await openCockpitOnSim(t, {context: 'rollout-cockpit-sim-no-events', columns: 140, rows: 40, on: cluster});
	const frame = await frameWhere(
		(f) => rolledOut(f) && /live · events forbidden/.test(f) && /forbidden: User "no-events" cannot list resource "events"/.test(f),
		'pods, the rollout, and the forbidden events',
	);
	assert.match(frame, /Rollout nginx rev 1 nginx:1\.18/);
	// The events pane says who may not do what (the line is cut at the pane's width; the sentence is the apiserver's).
	assert.match(frame, /Events 0 .*\n.*\n.*forbidden: User "no-events" cannot list resource "events" in/);
	assert.match(frame.split('\n')[1] ?? '', /live · events forbidden/);
});

for (const [context, who] of [
	['rollout-cockpit-sim-exec', 'exec-user'],
	['rollout-cockpit-sim-cert', 'kubernetes-admin'],
] as const) {
	test(`${context}: the ${who} user connects and sees the rollout live`, async (t) => {
		const {frameWhere} = await openCockpitOnSim(t, {context, columns: 130, rows: 40, on: cluster});
		const frame = await frameWhere((f) => rolledOut(f) && /\slive\n/.test(f), 'the rollout, live');
		assert.match(frame, /ctx rollout-cockpit-sim-(exec|cert)/);
		assert.ok(cluster.requests.entries().some((r) => r.user === who && r.verb === 'watch' && r.resource === 'pods'));
	});
}
