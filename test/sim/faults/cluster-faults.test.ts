// Faults as a user sets them: `rollout-cockpit sim --faults SPEC` (a bad SPEC is refused with exit 2 and the item
// at fault; a good one is echoed with its seed, each fault printed as it happens, the counts at the end), and
// startCluster({faults}) for tests, with the fault API and the request log on the cluster.
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {simGet, startCluster} from '../../helpers/sim-cluster.js';
import {runSimCommand} from '../../../source/sim/cli.js';
import {waitFor} from '../api/helpers.js';
import {within} from '../../helpers/wait.js';

describe('rollout-cockpit sim --faults', () => {
	test('a bad SPEC is refused before anything starts: exit 2, the item at fault and what would do', async () => {
		const cases: Array<[string, RegExp]> = [
			['drop-watches', /invalid --faults "drop-watches": drop-watches: drop-watches needs every=DURATION or mean=DURATION/],
			['error:p=0.5,code=503', /invalid --faults "error:p=0.5,code=503": error:p=0.5,code=503: code="503" is not valid: want 500 or 429/],
			['nap:every=1s', /unknown fault "nap" \(want drop-watches, expire, error, latency, stall-watches, restart, kill-node or seed=N\)/],
		];
		for (const [spec, message] of cases) {
			let err = '';
			let started = false;
			const code = await within(
				runSimCommand(['--scenario', 'empty', '--faults', spec], {
					stdout: () => {},
					stderr: (t) => (err += t),
					until: async () => {
						started = true;
					},
				}),
				60_000,
				'the sim command to end',
			);
			assert.equal(code, 2, spec);
			assert.equal(started, false);
			assert.match(err, message);
			assert.match(err, /Run 'rollout-cockpit sim --help' for usage\./);
		}
	});

	test('a good SPEC is echoed with its seed; each fault goes to stderr as it happens; the counts are printed at the end', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sim-faults-cli-'));
		let out = '';
		let err = '';
		try {
			const code = await within(
				runSimCommand(
					['--scenario', 'empty', '--kubeconfig-out', join(dir, 'kubeconfig'), '--faults', 'seed=9;drop-watches:every=100ms,times=3'],
					{
						stdout: (t) => (out += t),
						stderr: (t) => (err += t),
						until: async (cluster) => {
							await waitFor(() => cluster.faults.counts['drop-watches'] === 3, 10_000, 'three drops');
						},
					},
				),
				60_000,
				'the sim command to end',
			);
			assert.equal(code, 0);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
		assert.match(out, /^Faults: seed=9; drop-watches:every=100ms,times=3$/m);
		assert.equal(err.match(/^fault \d\d:\d\d:\d\d\.\d\d\d drop-watches: reset 0 watches$/gm)?.length, 3);
		assert.match(out, /^Faults injected: 3 \(drop-watches 3, expire 0, error 0, latency 0, stall-watches 0, restart 0, kill-node 0\)\.$/m);
	});
});

describe('startCluster with faults', () => {
	test('the SPEC starts after the scenario; the fault API, the request log and a restart that keeps the store', async () => {
		const seen: string[] = [];
		const c = await startCluster({
			scenario: 'nginx',
			speed: 20,
			faults: 'seed=11; expire:every=100ms,times=2',
			onFault: (e) => seen.push(e.kind),
		});
		try {
			assert.equal(c.faults.seed, 11);
			await waitFor(() => c.faults.counts.expire === 2, 10_000, 'two expires');
			assert.deepEqual(seen, ['expire', 'expire']);
			assert.equal(c.store.compactedRevision > 0, true);
			const before = c.store.list('deployments').items.map((d) => d.metadata.uid);
			const port = new URL(c.url).port;
			await c.restartApiServer(100);
			assert.equal(new URL(c.url).port, port);
			const since = Date.now();
			const r = await simGet(c, '/apis/apps/v1/namespaces/default/deployments', c.token);
			assert.equal(r.status, 200);
			assert.deepEqual(
				r.body.items.map((d: any) => d.metadata.uid),
				before,
			);
			const [record] = c.requests.entries(since);
			assert.equal(record?.path, '/apis/apps/v1/namespaces/default/deployments');
			assert.equal(record?.user, 'admin');
			assert.equal(record?.status, 200);
		} finally {
			await c.stop();
		}
	});
});
