// The assembled embedded cluster, as a user meets it: a kubeconfig that only its owner can read, an HTTPS
// API that kubectl drives through the article's rolling update, a NodePort that answers on 127.0.0.1, and
// a stop() that closes every port.
import {describe, it, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {existsSync, statSync, readFileSync, writeFileSync, mkdtempSync, rmSync} from 'node:fs';
import {request as httpRequest} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {simGet, startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import {parseSimArgs, runSimCommand} from '../../source/sim/cli.js';
import {defaultKubectl} from '../helpers/kubectl.js';
import {within} from '../helpers/wait.js';

const SPEED = 50;

function kubectl(kubeconfig: string, ...args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise((resolve) => {
		execFile(defaultKubectl, ['--kubeconfig', kubeconfig, ...args], {timeout: 60_000}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
	});
}

function httpGet(port: number): Promise<{status: number; server?: string; pod?: string} | {error: string}> {
	return new Promise((resolve) => {
		const req = httpRequest({host: '127.0.0.1', port, path: '/', agent: false, timeout: 2000}, (res) => {
			res.resume();
			res.on('end', () =>
				resolve({status: res.statusCode!, server: res.headers.server as string | undefined, pod: res.headers['x-pod-name'] as string}),
			);
		});
		req.on('error', (e: NodeJS.ErrnoException) => resolve({error: e.code ?? e.message}));
		req.end();
	});
}

async function waitFor(what: string, done: () => boolean, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!done()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

describe('startCluster (nginx scenario)', () => {
	let c: SimCluster;
	before(async () => {
		c = await startCluster({scenario: 'nginx', speed: SPEED});
	});
	after(async () => {
		await c?.stop();
	});

	it('writes a kubeconfig only its owner can read, for an API that wants the token', async () => {
		assert.equal(statSync(c.kubeconfigPath).mode & 0o777, 0o600);
		assert.equal(readFileSync(c.kubeconfigPath, 'utf8'), c.kubeconfig);
		assert.match(c.url, /^https:\/\/127\.0\.0\.1:\d+$/);
		const ok = await simGet(c, '/api/v1/nodes', c.token);
		assert.equal(ok.status, 200);
		assert.deepEqual(
			ok.body.items.map((n: any) => n.metadata.name),
			['node1', 'node2', 'node3', 'node4'],
		);
		assert.equal((await simGet(c, '/api/v1/nodes', 'wrong')).status, 401);
	});

	it("runs the article's starting point: nginx:1.18 x3 behind a NodePort on 127.0.0.1", async () => {
		await waitFor('3 ready nginx pods', () => c.store.get('deployments', 'default', 'nginx')?.status?.availableReplicas === 3);
		const svc = c.store.mustGet('services', 'default', 'nginx');
		assert.equal(svc.spec.type, 'NodePort');
		const port = svc.spec.ports[0].nodePort;
		assert.ok(port >= 30000 && port <= 32767);
		await waitFor('endpoints', () => (c.store.get('endpoints', 'default', 'nginx')?.subsets?.[0]?.addresses ?? []).length === 3);
		const r = await httpGet(port);
		assert.ok('status' in r, JSON.stringify(r));
		assert.deepEqual([r.status, r.server], [200, 'nginx/1.18.0']);
		assert.match(r.pod!, /^nginx-\w+-\w{5}$/);
	});

	it('kubectl set image rolls out with the ScalingReplicaSet sequence of the article', async () => {
		const set = await kubectl(c.kubeconfigPath, 'set', 'image', 'deployment/nginx', 'nginx=nginx:1.20.1');
		assert.equal(set.code, 0, set.stderr);
		const started = Date.now();
		const status = await kubectl(c.kubeconfigPath, 'rollout', 'status', 'deployment/nginx', '--timeout=60s');
		assert.equal(status.code, 0, status.stderr);
		assert.match(status.stdout, /deployment "nginx" successfully rolled out/);
		const realMs = Date.now() - started;
		const events = JSON.parse((await kubectl(c.kubeconfigPath, 'get', 'events', '-o', 'json')).stdout)
			.items.filter((e: any) => e.reason === 'ScalingReplicaSet')
			.sort((a: any, b: any) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
			.map((e: any) => e.message);
		const rs = JSON.parse((await kubectl(c.kubeconfigPath, 'get', 'rs', '-o', 'json')).stdout).items;
		const newRS = rs.find((x: any) => x.spec.template.spec.containers[0].image === 'nginx:1.20.1').metadata.name;
		const oldRS = rs.find((x: any) => x.spec.template.spec.containers[0].image === 'nginx:1.18').metadata.name;
		assert.deepEqual(events, [
			`Scaled up replica set ${oldRS} to 3`,
			`Scaled up replica set ${newRS} to 1`,
			`Scaled down replica set ${oldRS} to 2 from 3`,
			`Scaled up replica set ${newRS} to 2 from 1`,
			`Scaled down replica set ${oldRS} to 1 from 2`,
			`Scaled up replica set ${newRS} to 3 from 2`,
			`Scaled down replica set ${oldRS} to 0 from 1`,
		]);
		assert.ok(realMs < 10_000, `rollout took ${realMs} ms at speed ${SPEED}`);
		const port = c.store.mustGet('services', 'default', 'nginx').spec.ports[0].nodePort;
		await waitFor('1.20.1 serving', () => c.controllers.servingPods.list().every((p) => p.containers[0]!.server === 'nginx/1.20.1'));
		const r = await httpGet(port);
		assert.ok('status' in r && r.server === 'nginx/1.20.1');
	});

	it('stop() closes the API port and the nodePort and removes the temporary kubeconfig', async () => {
		const port = c.store.mustGet('services', 'default', 'nginx').spec.ports[0].nodePort;
		const apiPort = Number(new URL(c.url).port);
		await c.stop();
		assert.deepEqual(await httpGet(port), {error: 'ECONNREFUSED'});
		assert.deepEqual(await httpGet(apiPort), {error: 'ECONNREFUSED'});
		assert.equal(existsSync(c.kubeconfigPath), false);
	});
});

describe('rollout-cockpit sim', () => {
	it('rejects bad flags with a clear message and exit code 2', async () => {
		const cases: [string[], RegExp][] = [
			[['--bogus'], /unknown flag: --bogus/],
			[['--speed', '0'], /invalid --speed "0": want a number greater than 0/],
			[['--speed'], /flag needs an argument: --speed/],
			[['--scenario', 'prod'], /invalid --scenario "prod": want empty or nginx/],
			[['--port', '70000'], /invalid --port "70000"/],
			[['extra'], /unexpected argument: extra/],
		];
		for (const [argv, message] of cases) {
			let err = '';
			const code = await within(runSimCommand(argv, {stdout: () => {}, stderr: (t) => (err += t)}), 60_000, 'the sim command to end');
			assert.equal(code, 2, argv.join(' '));
			assert.match(err, message);
		}
		assert.deepEqual(parseSimArgs(['--speed=2.5', '--scenario=empty', '--port', '0']), {
			scenario: 'empty',
			speed: 2.5,
			endpointLagMs: 1000,
			port: 0,
		});
	});

	it('starts, prints the API URL and kubeconfig path, writes the file 0600, and exits 0 when told to stop', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
		try {
			const file = join(dir, 'kubeconfig');
			writeFileSync(file, 'old', {mode: 0o644});
			let out = '';
			let seen: {url: string; nodes: number} | undefined;
			const code = await within(
				runSimCommand(['--scenario', 'empty', '--kubeconfig-out', file, '--speed', '10'], {
					stdout: (t) => (out += t),
					stderr: (t) => (out += t),
					until: async (cluster) => {
						seen = {url: cluster.url, nodes: cluster.store.count('nodes')};
					},
				}),
				60_000,
				'the sim command to end',
			);
			assert.equal(code, 0);
			assert.ok(seen);
			assert.equal(seen.nodes, 4);
			assert.ok(out.includes(`API server: ${seen.url}`));
			assert.ok(out.includes(`Kubeconfig: ${file}`));
			assert.match(out, /Embedded cluster stopped\./);
			assert.equal(statSync(file).mode & 0o777, 0o600);
			assert.match(readFileSync(file, 'utf8'), /certificate-authority-data: /);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});
