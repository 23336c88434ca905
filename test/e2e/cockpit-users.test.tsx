// The cockpit as each of the embedded cluster's users, over HTTPS with the user's own credential, judged by what is
// on screen and by the sim's request log (what was actually sent, by whom):
//   - viewer (read-only): the access review at start marks r i s u p forbidden before any key is pressed, and u says
//     why without a request; when the review had allowed it and the right is then taken away, u, y is refused by the
//     API server (403 naming the verb and resource), sent exactly once, and the key is marked from then on;
//   - no-events: the pods and the rollout are shown; the events pane names the forbidden verb and resource;
//   - exec-user (exec credential plugin, run without a shell) and kubernetes-admin (client certificate) connect;
//   - admin, while the API server is down: a change is refused as disconnected (nothing sent, nothing queued) and
//     goes through exactly once after the reconnect.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {tick} from '../app/harness.js';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import {bindViewerListOnly} from '../helpers/rbac.js';
import {openCockpitOnSim, patches, podRows, rolledOut, statusLine} from './cockpit-on-sim.js';

// One cluster for the file (each start makes new certificates, which is slow); the tests run in order.
let shared: SimCluster;
before(async () => {
	shared = await startCluster({scenario: 'nginx', speed: 4});
});
after(() => shared.stop());

// A second revision made by the admin, so that u has a revision to go back to.
function setImageAsAdmin(cluster: SimCluster, image: string): void {
	const d = structuredClone(cluster.store.mustGet('deployments', 'default', 'nginx'));
	d.spec.template.spec.containers[0].image = image;
	delete d.metadata.resourceVersion;
	cluster.store.update('deployments', d);
}

test('viewer: the access review marks the changing keys forbidden before they are pressed; u says why and sends nothing', async (t) => {
	const {cluster, stdin, frameWhere} = await openCockpitOnSim(t, {
		context: 'rollout-cockpit-sim-readonly',
		actions: true,
		reviewAccess: true,
		columns: 130,
		rows: 40,
		on: shared,
	});
	let frame = await frameWhere(
		(f) => rolledOut(f) && /\slive\n/.test(f) && /r i s u p forbidden/.test(statusLine(f)),
		'the rollout, live, and the forbidden keys in the hint',
	);
	await tick();
	stdin.write('u');
	frame = await frameWhere((f) => /forbidden: u \(undo\)/.test(statusLine(f)), 'the refusal of u');
	assert.match(statusLine(frame), /forbidden: u \(undo\) needs patch deployments\.apps in namespace default, which your user may not do/);
	// The help says the same before anyone presses anything.
	stdin.write('?');
	frame = await frameWhere((f) => /Keys/.test(f) && /\(forbidden\)/.test(f), 'the help');
	assert.match(frame, /\(forbidden\) restart; set image/);
	assert.match(frame, /Your user may not patch deployments\.apps, nor patch deployments\.apps\/scale in namespace default/);
	assert.equal(patches(cluster, 'viewer'), 0, 'nothing was sent');
	const reviews = cluster.requests.entries().filter((r) => r.user === 'viewer' && r.resource === 'selfsubjectaccessreviews');
	assert.equal(reviews.length, 2, 'one review per need: patch deployments, patch deployments/scale');
});

test('viewer whose right is taken away after the review: u, y gets the 403 naming verb and resource, sent once; then u is marked', async (t) => {
	const opened = Date.now();
	const {cluster, stdin, frameWhere} = await openCockpitOnSim(t, {
		context: 'rollout-cockpit-sim-readonly',
		actions: true,
		reviewAccess: true,
		columns: 130,
		rows: 40,
		on: shared,
	});
	// The viewer may edit at first (the review says so), and has a revision to go back to.
	cluster.store.create('rolebindings', {
		apiVersion: 'rbac.authorization.k8s.io/v1',
		kind: 'RoleBinding',
		metadata: {name: 'viewer-edits', namespace: 'default'},
		subjects: [{kind: 'User', name: 'viewer', apiGroup: 'rbac.authorization.k8s.io'}],
		roleRef: {kind: 'ClusterRole', name: 'edit', apiGroup: 'rbac.authorization.k8s.io'},
	});
	setImageAsAdmin(cluster, 'nginx:1.20.1');
	await frameWhere((f) => /Rollout nginx rev 2 nginx:1\.20\.1/.test(f) && /successfully rolled out/.test(f), 'revision 2 rolled out');
	await frameWhere(
		() => cluster.requests.entries(opened).filter((r) => r.resource === 'selfsubjectaccessreviews').length >= 2,
		'the review',
	);
	let frame = await frameWhere((f) => !/forbidden/.test(statusLine(f)), 'no forbidden keys');
	// The right goes away.
	cluster.store.delete('rolebindings', 'default', 'viewer-edits');
	await tick();
	stdin.write('u');
	frame = await frameWhere((f) => f.includes('[y/N]'), 'the undo confirmation');
	assert.match(frame, /rollout undo deployment\/nginx/);
	stdin.write('y');
	frame = await frameWhere((f) => /forbidden/.test(statusLine(f)) && !/sending/.test(statusLine(f)), 'the API server refusal');
	assert.match(statusLine(frame), /forbidden: you may not patch deployments\.apps in namespace default/);
	assert.equal(patches(cluster, 'viewer'), 1, 'sent exactly once: a 403 is never retried');
	// From now on the key is marked (the store marks it before the refusal's message shows), and pressing it sends
	// nothing.
	stdin.write('u');
	frame = await frameWhere((f) => /forbidden: u \(undo\) needs patch deployments\.apps/.test(statusLine(f)), 'the refusal before sending');
	await new Promise((r) => setTimeout(r, 300));
	assert.equal(patches(cluster, 'viewer'), 1, 'still one');
	// The deployment was not changed by the refused undo.
	assert.equal(cluster.store.mustGet('deployments', 'default', 'nginx').spec.template.spec.containers[0].image, 'nginx:1.20.1');
});

test('viewer whose watch right is gone (the CLI preflight refuses such a user at start; here the data layer meets it, as after a change of rights): the header says watch forbidden and polls; a change shows at the next relist', async (t) => {
	// The viewer's binding is swapped for a role with get and list only (the rest of the file keeps the original).
	const original = structuredClone(shared.store.mustGet('clusterrolebindings', undefined, 'rollout-cockpit:viewer'));
	shared.store.delete('clusterrolebindings', undefined, 'rollout-cockpit:viewer');
	const unbind = bindViewerListOnly(shared.store);
	t.after(() => {
		unbind();
		delete original.metadata.resourceVersion;
		shared.store.create('clusterrolebindings', original);
	});
	const opened = Date.now();
	const {cluster, frameWhere} = await openCockpitOnSim(t, {
		context: 'rollout-cockpit-sim-readonly',
		columns: 160,
		rows: 40,
		on: shared,
		// Relists come at most a second apart, as they would every 30 s on a real cockpit.
		timing: {backoffInitialMs: 200, backoffMaxMs: 1000},
	});
	let frame = await frameWhere(
		(f) => podRows(f).length === 3 && /polling · .*: watch forbidden, next relist in \ds/.test(f),
		'the pods listed, and the header saying the watches are forbidden',
	);
	assert.doesNotMatch(frame.split('\n')[1] ?? '', /\blive\b/, 'the header does not claim to be live');
	for (const kind of ['deployments', 'replicasets', 'pods', 'events']) assert.match(frame.split('\n')[1] ?? '', new RegExp(kind));
	// The admin scales to 5: the viewer's screen gets there by relisting.
	const d = structuredClone(cluster.store.mustGet('deployments', 'default', 'nginx'));
	d.spec.replicas = 5;
	delete d.metadata.resourceVersion;
	cluster.store.update('deployments', d);
	frame = await frameWhere((f) => podRows(f).filter((p) => p.status === 'Running').length === 5, 'five pods Running, by relisting');
	// Every watch the viewer tried was refused, and nothing was watched behind the header's back.
	const watches = cluster.requests.entries(opened).filter((r) => r.user === 'viewer' && r.verb === 'watch');
	assert.ok(watches.length > 0 && watches.every((r) => r.status === 403), 'each watch answered 403');
});
