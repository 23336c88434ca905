// A change made while the cockpit is disconnected (the API server restarting): refused at once as disconnected,
// naming since when the view is stale, with nothing sent and nothing queued; after the reconnect the same key goes
// through, exactly once (the sim's request log counts the PATCH requests).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {tick} from '../app/harness.js';
import {openCockpitOnSim, patches, rolledOut, statusLine} from './cockpit-on-sim.js';

test('admin while the API server is down: r is refused as disconnected (nothing sent or queued), then sent once after the reconnect', async (t) => {
	const {cluster, stdin, frameWhere} = await openCockpitOnSim(t, {
		actions: true,
		columns: 150,
		rows: 40,
		cluster: {speed: 4},
		timing: {backoffInitialMs: 200, backoffMaxMs: 1000},
	});
	let frame = await frameWhere((f) => rolledOut(f) && /\slive\n/.test(f), 'live');
	// The API server stays down until the refusal has been seen (at most 60 s), however slow the machine.
	let backUp = () => {};
	const down = cluster.restartApiServer(
		new Promise<void>((resolve) => {
			backUp = resolve;
			setTimeout(resolve, 60_000).unref();
		}),
	);
	try {
		// The refusal follows the deployments' watch: wait until it has lost the server, not only some other kind
		// (under load the kinds notice the restart up to seconds apart, and r came while deployments still streamed).
		frame = await frameWhere(
			(f) => /reconnecting \(attempt \d+, next in \d+s\) · stale since \d\d:\d\d:\d\d · deployments: /.test(f),
			'reconnecting, the deployments watch among the lost',
			15_000,
		);
		await tick();
		stdin.write('r');
		frame = await frameWhere((f) => /disconnected: r \(restart\) was not sent/.test(statusLine(f)), 'the refusal while disconnected');
		assert.match(statusLine(frame), /the view is stale since \d\d:\d\d:\d\d; nothing is queued/);
	} finally {
		backUp();
	}
	await down;
	frame = await frameWhere((f) => /\slive\n/.test(f), 'live again', 30_000);
	assert.equal(patches(cluster, 'admin'), 0, 'nothing was queued while disconnected');
	stdin.write('r');
	await frameWhere((f) => f.includes('[y/N]'), 'the restart confirmation');
	stdin.write('y');
	await frameWhere((f) => /deployment\.apps\/nginx restarted/.test(statusLine(f)), 'restarted');
	await new Promise((r) => setTimeout(r, 300));
	assert.equal(patches(cluster, 'admin'), 1, 'applied exactly once');
});
