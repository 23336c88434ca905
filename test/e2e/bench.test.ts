// The benchmark at its smallest size, as CI runs it (`npm run bench` runs every size on demand): 1,000 pods at 100
// changes a second, side by side with kubectl and the floor. It checks what the figures are made of, never a time:
// every peer saw all the pods, every change the cluster made in the window reached a frame, the changes to rows on
// screen were drawn, the keys moved the selection, and none of 300 back-to-back tmux captures caught a half-drawn frame.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';
import {ensureBuilt} from '../helpers/tmux.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

test('npm run bench at its smallest size: all pods listed by the cockpit, kubectl and the floor; every change drawn; no torn frame in 300 captures', {
	timeout: 420_000,
}, async () => {
	await ensureBuilt();
	const pods = 1000;
	const {stdout} = await run(
		process.execPath,
		[
			'scripts/bench.mjs',
			'--pods',
			String(pods),
			'--churn',
			'100',
			'--seconds',
			'4',
			'--captures',
			'300',
			'--keys',
			'3',
			'--demo-runs',
			'1',
			'--json',
		],
		{cwd: ROOT, timeout: 400_000, maxBuffer: 16 << 20, killSignal: 'SIGTERM'},
	);
	const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
	assert.equal(report.cases.length, 1);
	const [c] = report.cases;
	assert.equal(c.floor.items, pods, 'the floor parsed every pod');
	assert.ok(Number.isFinite(c.kubectl.firstMs), 'kubectl listed every pod');
	assert.ok(Number.isFinite(c.cockpit.firstMs), 'the cockpit drew a frame counting every pod');
	assert.equal(c.cockpit.firsts.length, 3, 'the first frame is the median of three starts');
	assert.ok(
		c.cockpit.firsts.every((f: {ms: number}) => Number.isFinite(f.ms)),
		'each start drew a frame counting every pod',
	);
	const l = c.cockpit.latency;
	assert.ok(l.changes > 0, 'the cluster churned in the window');
	assert.equal(l.drawn, l.changes, 'every change of the window reached a frame');
	assert.equal(l.visible.missed, 0, 'every change of a pod on screen was drawn in its row');
	assert.ok(c.cockpit.kbPerS > 0, 'the churn was written to the terminal');
	assert.deepEqual(c.cockpit.torn, {captures: 300, torn: 0}, 'no capture caught a half-drawn frame');
	assert.equal(c.cockpit.keyMs.presses, 3);
	assert.ok(Number.isFinite(report.demo.firstMs), '--demo drew its first frame');
	assert.ok(c.cockpit.peakMb > 0 && c.kubectl.peakMb > 0, 'peak RSS read for both');
});
