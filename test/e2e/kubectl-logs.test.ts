// kubectl logs against `rollout-cockpit sim`, with every installed kubectl (1.27 to 1.33): nginx's own start-up
// lines, one access-log line per request the NodePort sent to the followed pod (and none for the others),
// --previous after the kubelet restarted a container, kubectl's wording for a container that does not exist,
// and, after a rollout restart, the old pods' logs ending with nginx's shutdown notices.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import http from 'node:http';
import {allKubectlVersions, kubectl, kubectlOk, startSimProcess, waitFor, type SimProcess, defaultKubectl} from '../helpers/kubectl.js';
import {bounded} from '../helpers/wait.js';

/** `curl http://127.0.0.1:<nodePort><path>`: which pod answered (X-Pod-Name). */
function curl(port: number, path: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const req = http.request({host: '127.0.0.1', port, path, agent: false, headers: {'User-Agent': 'curl/8.5.0'}, timeout: 5000}, (res) => {
			res.resume();
			res.on('end', () => resolve(String(res.headers['x-pod-name'])));
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', reject);
		req.end();
	});
}

/** A kubectl running in the background (logs -f); `exited` resolves with its code. */
function background(bin: string, kubeconfig: string, args: string[]) {
	const child = spawn(bin, ['--kubeconfig', kubeconfig, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => {
		stdout += String(d);
	});
	child.stderr.on('data', (d) => {
		stderr += String(d);
	});
	const exited = bounded(
		new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))),
		60_000,
		`kubectl ${args.join(' ')} to exit`,
	);
	const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
	void exited.then(() => clearTimeout(killer));
	return {stdout: () => stdout, stderr: () => stderr, exited, stop: () => child.kill('SIGTERM')};
}

describe('kubectl logs on the embedded cluster', {concurrency: 1}, () => {
	let sim: SimProcess;
	let nodePort = 0;
	const k = (...args: string[]) => kubectlOk(defaultKubectl, sim.kubeconfig, args);
	before(async () => {
		sim = await startSimProcess(['--scenario', 'nginx', '--speed', '20']);
		await k('rollout', 'status', 'deployment/nginx', '--timeout=60s');
		nodePort = Number(await k('get', 'svc', 'nginx', '-o', 'jsonpath={.spec.ports[0].nodePort}'));
		// A container that prints, exits 3 and is restarted by the kubelet, for --previous.
		await k(
			'run',
			'crashy',
			'--image=busybox:1.36',
			'--restart=Always',
			'--',
			'sh',
			'-c',
			'echo run started; sleep 1; echo giving up; exit 3',
		);
		await waitFor(
			'crashy to be restarted',
			async () => Number(await k('get', 'pod', 'crashy', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}')) >= 1,
		);
	});
	after(async () => {
		const code = await sim?.stop();
		assert.equal(code, 0, `sim should exit 0 on SIGTERM; it printed:\n${sim?.output()}`);
	});

	let n = 0;
	for (const {name, bin} of allKubectlVersions) {
		describe(name, () => {
			before(() => assert.ok(existsSync(bin), `${bin} is needed: the suite judges the sim with kubectl 1.27 to 1.33`));

			test('logs deploy/nginx prints the pod nginx started in', async () => {
				const r = await kubectl(bin, sim.kubeconfig, ['logs', 'deploy/nginx']);
				assert.equal(r.code, 0, r.stderr);
				assert.match(r.stderr, /^Found 3 pods, using pod\/nginx-[a-z0-9]+-[a-z0-9]{5}\n$/);
				const lines = r.stdout.split('\n');
				assert.equal(lines[0], '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
				assert.ok(lines.some((l) => /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[notice\] 1#1: nginx\/1\.18\.0$/.test(l)));
			});

			test('logs -f deploy/nginx prints one access line per request the followed pod answered', async () => {
				const follow = background(bin, sim.kubeconfig, ['logs', '-f', 'deploy/nginx']);
				try {
					const pod = (await waitFor('kubectl to pick a pod', () => /using pod\/(\S+)/.exec(follow.stderr())?.[1]))!;
					await waitFor('the start-up lines', () => follow.stdout().includes('start worker processes'));
					const mine: string[] = [];
					for (let i = 0; i < 9; i++) {
						const path = `/?kubectl=${name.replace(/\D/g, '')}-${n++}`;
						if ((await curl(nodePort, path)) === pod) mine.push(path);
					}
					assert.ok(mine.length >= 1, 'round robin reached the followed pod');
					await waitFor(
						'every access line in kubectl logs -f',
						() => mine.every((p) => follow.stdout().includes(`"GET ${p} HTTP/1.1"`)),
						10_000,
					);
					const access = follow
						.stdout()
						.split('\n')
						.filter((l) => l.includes('"GET /?kubectl='));
					assert.deepEqual(
						access.map((l) => /"GET (\S+) /.exec(l)![1]).filter((p) => p.startsWith(`/?kubectl=${name.replace(/\D/g, '')}-`)),
						mine,
						'exactly the requests this pod served, in order',
					);
					for (const l of access)
						assert.match(l, /^10\.244\.1\.[01] - - \[[^\]]+\] "GET \/\?kubectl=\S+ HTTP\/1\.1" 200 \d+ "-" "curl\/8\.5\.0" "-"$/);
					assert.equal(follow.stdout().includes('SIGQUIT'), false);
				} finally {
					follow.stop();
				}
			});

			test('logs --previous shows the run before the restart', async () => {
				const r = await kubectl(bin, sim.kubeconfig, ['logs', 'crashy', '--previous']);
				assert.equal(r.code, 0, r.stderr);
				assert.equal(r.stdout, 'run started\ngiving up\n');
			});

			test("a container that does not exist: kubectl's own words", async () => {
				const r = await kubectl(bin, sim.kubeconfig, ['logs', 'deploy/nginx', '-c', 'nope']);
				assert.notEqual(r.code, 0);
				assert.match(r.stderr, /container nope is not valid for pod nginx-[a-z0-9]+-[a-z0-9]{5}\n$/);
			});
		});
	}

	test("after a rollout restart, the old pods' logs end with nginx's shutdown notices", async () => {
		const old = (await k('get', 'pods', '-l', 'app=nginx', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ');
		assert.equal(old.length, 3);
		const follows = old.map((pod) => background(defaultKubectl, sim.kubeconfig, ['logs', '-f', `pod/${pod}`]));
		try {
			for (const f of follows) await waitFor('the followers to start', () => f.stdout().includes('start worker processes'));
			await k('rollout', 'restart', 'deployment/nginx');
			// Each stream ends by itself when its container exits.
			const codes = await Promise.all(follows.map((f) => f.exited));
			assert.deepEqual(codes, [0, 0, 0]);
			for (const f of follows) {
				const lines = f.stdout().trimEnd().split('\n');
				const quit = lines.findIndex((l) => l.endsWith('[notice] 1#1: signal 3 (SIGQUIT) received, shutting down'));
				assert.ok(quit > 0, f.stdout());
				assert.match(lines.at(-1)!, /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[notice\] 1#1: exit$/);
				assert.ok(
					lines.slice(quit).every((l) => / \[notice\] \d+#\d+: /.test(l)),
					'nothing but shutdown notices after SIGQUIT',
				);
			}
		} finally {
			for (const f of follows) f.stop();
		}
	});
});
