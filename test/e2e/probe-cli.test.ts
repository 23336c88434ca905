// The article's experiment, counted: `rollout-cockpit probe URL` in one "terminal" while the real kubectl
// runs `set image` and `rollout status` against the embedded cluster's article deployment (no readiness
// probe, no preStop). The headless summary shows the drops and exits 1, where `watch curl -I` looked fine.
import {describe, it, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {KubeConfig} from '@kubernetes/client-node';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import {connectionFrom, type Connection} from '../../source/kube/connect.js';
import {requestJson} from '../../source/kube/http.js';
import {fetchProbeTarget} from '../../source/probe/discovery.js';
import {runProbeCommand} from '../../source/probe/cli.js';
import {gracefulCheck} from '../../source/model/graceful.js';
import type {Deployment} from '../../source/model/types.js';
import {defaultKubectl} from '../helpers/kubectl.js';
import {within} from '../helpers/wait.js';

const SPEED = 20;
let cluster: SimCluster;
let conn: Connection;

before(async () => {
	cluster = await startCluster({speed: SPEED, scenario: 'nginx', endpointLagMs: 3000});
	const kc = new KubeConfig();
	kc.loadFromString(cluster.kubeconfig);
	conn = connectionFrom(kc, 'default');
});
after(async () => {
	await cluster?.stop();
});

// The real kubectl, no shell, against the embedded cluster only.
function kubectl(args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise((resolve) => {
		execFile(defaultKubectl, args, {env: {...process.env, KUBECONFIG: cluster.kubeconfigPath}, timeout: 60_000}, (err, stdout, stderr) => {
			resolve({code: err ? ((err as {code?: number}).code ?? 1) : 0, stdout, stderr});
		});
	});
}

describe("rollout-cockpit probe during kubectl set image (the article's deployment)", () => {
	it('counts the requests the rollout drops, says why, and exits 1', async () => {
		const target = await within(fetchProbeTarget(conn, 'nginx'), 20_000, 'the probe target of the deployment');
		assert.equal(target.kind, 'url', JSON.stringify(target));
		const url = target.kind === 'url' ? target.url : '';
		assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);

		let out = '';
		const lines: string[] = [];
		let okInARow = 0;
		let onLine: (() => void) | undefined;
		const ac = new AbortController();
		// A 3 s timeout: on a loaded machine an answer can take longer than 500 ms, and this test is about the resets
		// the rollout causes, not the machine's speed.
		const run = runProbeCommand([url, '--interval', '15', '--timeout', '3000'], {
			handleSignals: false,
			signal: ac.signal,
			stderr: (t) => (out += t),
			stdout: (t) => {
				out += t;
				for (const line of t.split('\n').filter((l) => /^\d\d:\d\d:\d\d\.\d{3} {2}/.test(l))) {
					lines.push(line);
					okInARow = / {2}200 {2}/.test(line) ? okInARow + 1 : 0;
				}
				onLine?.();
			},
		});
		const untilLines = (check: () => boolean, what: string) =>
			new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}:\n${out}`)), 30_000);
				onLine = () => {
					if (check()) {
						clearTimeout(timer);
						onLine = undefined;
						resolve();
					}
				};
				onLine();
			});
		// The scenario's pods come up; the Service answers steadily before the update.
		await untilLines(() => okInARow >= 20, '20 answers in a row');
		const before = lines.length;

		const set = await kubectl(['set', 'image', 'deployment/nginx', 'nginx=nginx:1.20.1']);
		assert.equal(set.code, 0, set.stderr);
		assert.match(set.stdout, /deployment\.apps\/nginx image updated/);
		const status = await kubectl(['rollout', 'status', 'deployment/nginx', '--timeout=60s']);
		assert.equal(status.code, 0, status.stderr);
		assert.match(status.stdout, /deployment "nginx" successfully rolled out/);
		// The last old pod may still be in the endpoints (3 s of sim time); wait until 1.20.1 answers steadily.
		await untilLines(
			() => okInARow >= 20 && lines.slice(-20).every((l) => l.endsWith('nginx/1.20.1')),
			'the new version to answer steadily',
		);
		ac.abort();
		const code = await within(run, 15_000, 'the probe to end once aborted');

		const during = lines.slice(before);
		const failedLines = during.filter((l) => !/ {2}200 {2}/.test(l));
		console.log(
			`# ${during.length} probes from set image to steady: ${failedLines.length} failed\n# ${out.split('--- ')[1]?.replace(/\n/g, '\n# ')}`,
		);
		assert.ok(failedLines.length >= 1, 'the article deployment drops requests during the update');
		assert.ok(
			failedLines.every((l) => / {2}reset {2}.*reset: /.test(l)),
			failedLines.join('\n'),
		);
		assert.equal(code, 1, 'exit 1: some probe failed');
		const summary = out.slice(out.indexOf('--- '));
		// The summary counts every probe of the run, the ones before the update too.
		const allFailed = lines.filter((l) => !/ {2}200 {2}/.test(l)).length;
		assert.match(
			summary,
			new RegExp(
				`^${lines.length} probes, ${allFailed} failed \\(reset ${allFailed}\\), p50 [\\d.]+ ms, p99 [\\d.]+ ms, max [\\d.]+ ms$`,
				'm',
			),
		);
		assert.match(summary, /^versions seen: nginx\/1\.18\.0 -> nginx\/1\.20\.1$/m);
		assert.match(summary, /^(drops for|outage) [\d.]+ m?s from \d\d:\d\d:\d\d: /m);

		// And the check names the causes the article's deployment has.
		const dep = await requestJson<Deployment>(conn, '/apis/apps/v1/namespaces/default/deployments/nginx');
		assert.deepEqual(
			gracefulCheck(dep).map((f) => f.id),
			['no-readiness-probe', 'no-prestop'],
		);
	});
});
