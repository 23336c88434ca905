// `kubectl get --raw` sends the query exactly as typed, so every installed kubectl (1.27 to 1.33) checks the
// boolean rule end to end: watch=True and watch=yes stream watch events, watch=FALSE and watch=0 list.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {allKubectlVersions} from '../../helpers/kubectl.js';
import {startTestServer, waitFor, type TestServer} from './helpers.js';

const pods = '/api/v1/namespaces/default/pods';
const pod = (name: string) => ({
	apiVersion: 'v1',
	kind: 'Pod',
	metadata: {name, namespace: 'default'},
	spec: {containers: [{name: 'c', image: 'nginx:1.18'}]},
});

describe('kubectl get --raw with boolean query values', () => {
	let t: TestServer;
	let dir: string;
	let kubeconfig: string;
	let created = 0;
	before(async () => {
		t = await startTestServer();
		t.store.create('pods', pod('first'));
		dir = mkdtempSync(join(tmpdir(), 'sim-kubectl-raw-'));
		kubeconfig = join(dir, 'kubeconfig');
		writeFileSync(kubeconfig, t.server.kubeconfig(), {mode: 0o600});
	});
	after(async () => {
		await t.close();
		rmSync(dir, {recursive: true, force: true});
	});

	const args = (bin: string, path: string) => [
		'--kubeconfig',
		kubeconfig,
		'--cache-dir',
		join(dir, `cache-${bin.split('.').pop()}`),
		'get',
		'--raw',
		path,
	];

	for (const {name, bin} of allKubectlVersions) {
		describe(name, () => {
			before(() => assert.ok(existsSync(bin), `${bin} is needed: the suite judges the sim with kubectl 1.27 to 1.33`));

			for (const value of ['True', 'yes']) {
				test(`get --raw '${pods}?watch=${value}' streams the current pods, then a new one`, async () => {
					const child = spawn(bin, args(bin, `${pods}?watch=${value}`), {stdio: ['ignore', 'pipe', 'pipe']});
					let out = '';
					child.stdout.on('data', (d) => {
						out += String(d);
					});
					child.stderr.on('data', (d) => {
						out += String(d);
					});
					const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
					try {
						await waitFor(() => /"type":"ADDED".*"name":"first"/.test(out), 10_000, `the ADDED event of the existing pod; got ${out}`);
						const newName = `raw-${created++}`;
						t.store.create('pods', pod(newName));
						await waitFor(() => out.includes(`"name":"${newName}"`), 10_000, `the ADDED event of ${newName}; got ${out}`);
						assert.equal(child.exitCode, null, 'a watch keeps streaming');
						assert.doesNotMatch(out, /PodList/);
					} finally {
						clearTimeout(killer);
						child.kill('SIGTERM');
					}
				});
			}

			for (const value of ['FALSE', '0']) {
				test(`get --raw '${pods}?watch=${value}' lists`, async () => {
					const r = await new Promise<{code: number; stdout: string; stderr: string}>((resolve) =>
						execFile(bin, args(bin, `${pods}?watch=${value}`), {timeout: 20_000}, (error, stdout, stderr) =>
							resolve({code: error ? 1 : 0, stdout, stderr}),
						),
					);
					assert.equal(r.code, 0, r.stderr);
					const list = JSON.parse(r.stdout);
					assert.equal(list.kind, 'PodList');
					assert.ok(list.items.some((p: any) => p.metadata.name === 'first'));
				});
			}
		});
	}
});
