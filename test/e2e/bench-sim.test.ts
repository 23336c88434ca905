// The scale benchmark's small version: every step of `npm run bench:sim` (create a deployment on an empty sim,
// the scale scenario with churn, kubectl get pods, paging, a set image rollout followed to the end, the big
// scenario) with the built CLI and the real kubectl, at tiny sizes. It asserts what the steps must get right
// (counts, rollout, events); never how long anything took: timing is the full benchmark's job.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

test('bench:sim --small runs every step and gets every count right', {timeout: 8 * 60_000}, async () => {
	const {stdout} = await run(process.execPath, ['scripts/bench-sim.mjs', '--small', '--json'], {
		cwd: ROOT,
		timeout: 7 * 60_000,
		maxBuffer: 16 * 1024 * 1024,
	});
	const r = JSON.parse(stdout);
	assert.equal(r.create.available, 200, 'kubectl create deployment --replicas=200 reached 200 available');
	assert.equal(r.churn.getPods.code, 0, r.churn.getPods.stderr);
	assert.equal(r.churn.getPods.rows, 600, 'kubectl get pods -l app=big listed every pod');
	assert.equal(r.churn.pages.distinctPods, 600, 'the pages of 500 held every pod once');
	assert.ok(r.churn.window.podModifiedPerSecond > 0, 'the pod watch saw the churn');
	const ro = r.churn.rollout;
	assert.equal(ro.successfullyRolledOut, true, ro.statusLine);
	assert.deepEqual(ro.countViolations, []);
	assert.equal(ro.finalRight, true, JSON.stringify(ro.final));
	assert.ok(ro.scalingEvents > 0);
	assert.deepEqual(ro.eventProblems, []);
	assert.equal(r.big.podsListed, 2000);
	assert.ok(r.verdicts.length >= 7, 'every bar is reported');
});
