// pods/log over raw HTTP on a running embedded cluster: the apiserver's option parsing and errors, the kubelet's
// choice of container instance and its reasons for having none, and the reading rules (tailLines, sinceSeconds,
// sinceTime to the second, timestamps, limitBytes, follow to the container's end, previous).
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {request as httpsRequest} from 'node:https';
import {startCluster, type SimCluster} from '../../helpers/sim-cluster.js';
import type {KubeObject} from '../../../source/sim/store.js';
import {waitFor, within} from '../../helpers/wait.js';

type Answer = {status: number; type?: string; text: string; json: any};

describe('pods/log', () => {
	let cluster: SimCluster;
	let caPem: string;
	let nodePort = 0;
	before(async () => {
		cluster = await startCluster({scenario: 'nginx', speed: 20});
		caPem = Buffer.from(/certificate-authority-data: (\S+)/.exec(cluster.kubeconfig)![1]!, 'base64').toString();
		await waitFor(() => running().length === 3, 20_000, 'the three nginx pods to run');
		// And behind the Service: the NodePort resets a connection while the Service's Endpoints hold no ready address
		// (under load a pod becomes ready a while after its container starts, and the first curl below was refused).
		await waitFor(
			() =>
				(cluster.store.get('endpoints', 'default', 'nginx')?.subsets ?? []).reduce(
					(n: number, s: {addresses?: unknown[]}) => n + (s.addresses?.length ?? 0),
					0,
				) === 3,
			20_000,
			"the three pods ready behind the nginx Service's endpoints",
		);
		nodePort = cluster.store.get('services', 'default', 'nginx')!.spec.ports[0].nodePort;
	});
	after(() => cluster.stop());

	const running = () =>
		cluster.store
			.list('pods', 'default')
			.items.filter((p) => p.metadata.labels?.app === 'nginx' && p.status?.containerStatuses?.[0]?.state?.running);
	const logPath = (pod: string, query = '') => `/api/v1/namespaces/default/pods/${pod}/log${query ? `?${query}` : ''}`;

	const get = (path: string, onData?: (text: string) => void): Promise<Answer> =>
		new Promise((resolve, reject) => {
			const req = httpsRequest(
				`${cluster.url}${path}`,
				{ca: caPem, headers: {Authorization: `Bearer ${cluster.token}`}, timeout: 20_000},
				(res) => {
					let text = '';
					res.setEncoding('utf8');
					res.on('data', (c: string) => {
						text += c;
						onData?.(text);
					});
					res.on('end', () => {
						let json: any;
						try {
							json = JSON.parse(text);
						} catch {}
						resolve({status: res.statusCode ?? 0, type: res.headers['content-type'], text, json});
					});
				},
			);
			req.on('timeout', () => req.destroy(new Error(`${path} timed out`)));
			req.on('error', reject);
			req.end();
		});

	const post = (path: string, body: object): Promise<Answer> =>
		within(
			new Promise((resolve, reject) => {
				const data = JSON.stringify(body);
				const req = httpsRequest(
					`${cluster.url}${path}`,
					{method: 'POST', ca: caPem, headers: {Authorization: `Bearer ${cluster.token}`, 'Content-Type': 'application/json'}},
					(res) => {
						let text = '';
						res.on('data', (c) => (text += c));
						res.on('end', () => resolve({status: res.statusCode ?? 0, text, json: JSON.parse(text)}));
					},
				);
				req.on('error', reject);
				req.end(data);
			}),
			10_000,
			`POST ${path}`,
		);

	// A request through the NodePort, as curl sends it; the pod that answered is in X-Pod-Name.
	const curl = (path: string): Promise<string> =>
		within(
			new Promise((resolve, reject) => {
				const req = http.request({host: '127.0.0.1', port: nodePort, path, agent: false, headers: {'User-Agent': 'curl/8.5.0'}}, (res) => {
					res.resume();
					res.on('end', () => resolve(String(res.headers['x-pod-name'])));
				});
				req.on('error', reject);
				req.end();
			}),
			10_000,
			`GET ${path} through the NodePort`,
		);

	test("a pod's log: nginx's start-up, then one access line per request it answered, from that pod only", async () => {
		const served: Record<string, string[]> = {};
		for (let i = 0; i < 9; i++) {
			const pod = await curl(`/?req=${i}`);
			served[pod] = [...(served[pod] ?? []), `/?req=${i}`];
		}
		assert.equal(Object.keys(served).length, 3, 'round robin reached every pod');
		for (const [pod, paths] of Object.entries(served)) {
			const r = await get(logPath(pod));
			assert.equal(r.status, 200);
			assert.equal(r.type, 'text/plain');
			const lines = r.text.split('\n');
			assert.equal(lines[0], '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
			assert.ok(lines.includes(lines.find((l) => /\[notice\] 1#1: nginx\/1\.18\.0$/.test(l))!));
			const access = lines.filter((l) => l.includes('"GET /?req='));
			assert.deepEqual(
				access.map((l) => /"GET (\S+) HTTP\/1\.1"/.exec(l)![1]),
				paths,
			);
			for (const l of access) {
				assert.match(
					l,
					/^10\.244\.1\.[01] - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/\?req=\d HTTP\/1\.1" 200 \d+ "-" "curl\/8\.5\.0" "-"$/,
				);
			}
		}
	});

	test('tailLines, timestamps, limitBytes, sinceSeconds and sinceTime (to the second)', async () => {
		const pod = running()[0]!.metadata.name!;
		const all = (await get(logPath(pod))).text.split('\n').filter(Boolean);
		assert.deepEqual((await get(logPath(pod, 'tailLines=2'))).text.split('\n').filter(Boolean), all.slice(-2));
		assert.equal((await get(logPath(pod, 'tailLines=0'))).text, '');
		const stamped = (await get(logPath(pod, 'timestamps=true&tailLines=3'))).text.split('\n').filter(Boolean);
		for (const [i, l] of stamped.entries()) {
			const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z) (.*)$/.exec(l);
			assert.ok(m, l);
			assert.doesNotMatch(m[1]!, /\.\d*0Z$/, 'RFC3339Nano drops trailing zeros');
			assert.equal(m[2], all.at(-3 + i));
		}
		assert.equal((await get(logPath(pod, 'limitBytes=10'))).text, all[0]!.slice(0, 10));
		assert.equal((await get(logPath(pod, 'sinceSeconds=3600'))).text.split('\n').filter(Boolean).length, all.length);
		const last = stamped.at(-1)!.split(' ')[0]!;
		// sinceTime keeps lines at or after the second it names: everything from that second on.
		const sameSecond = (await get(logPath(pod, `sinceTime=${encodeURIComponent(last.replace(/\.\d+Z$/, '.999Z'))}`))).text;
		assert.ok(sameSecond.includes(all.at(-1)!), 'the fraction is dropped, as the apiserver passes sinceTime on to the second');
		const future = new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
		assert.equal((await get(logPath(pod, `sinceTime=${future}`))).text, '');
	});

	test("the apiserver's answers to bad options: 400 with Go's conversion text, 422 PodLogOptions", async () => {
		const pod = running()[0]!.metadata.name!;
		const bad = await get(logPath(pod, 'tailLines=ten'));
		assert.equal(bad.status, 400);
		assert.equal(bad.json.message, 'strconv.ParseInt: parsing "ten": invalid syntax');
		const time = await get(logPath(pod, 'sinceTime=yesterday'));
		assert.equal(time.status, 400);
		assert.equal(time.json.message, 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"');
		const negative = await get(logPath(pod, 'tailLines=-1&limitBytes=0'));
		assert.equal(negative.status, 422);
		assert.equal(
			negative.json.message,
			`PodLogOptions "${pod}" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]`,
		);
		const both = await get(logPath(pod, 'sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z'));
		assert.equal(both.status, 422);
		assert.equal(
			both.json.message,
			`PodLogOptions "${pod}" is invalid: : Forbidden: at most one of \`sinceTime\` or \`sinceSeconds\` may be specified`,
		);
		const missing = await get(logPath('nope'));
		assert.equal(missing.status, 404);
		assert.equal(missing.json.message, 'pods "nope" not found');
		const container = await get(logPath(pod, 'container=sidecar'));
		assert.equal(container.status, 400);
		assert.equal(container.json.message, `container sidecar is not valid for pod ${pod}`);
		const previous = await get(logPath(pod, 'previous=true'));
		assert.equal(previous.status, 400);
		assert.equal(previous.json.message, `previous terminated container "nginx" in pod "${pod}" not found`);
	});

	test("a pod of two containers needs one named; a pod that cannot pull has no log yet, in the kubelet's words", async () => {
		const created = await post('/api/v1/namespaces/default/pods', {
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {name: 'two'},
			spec: {
				initContainers: [{name: 'setup', image: 'busybox:1.36', command: ['sh', '-c', 'echo ready']}],
				containers: [
					{name: 'web', image: 'nginx:9.9.9-nosuchtag'},
					{name: 'side', image: 'busybox:1.36', command: ['sleep', 'infinity']},
				],
			},
		});
		assert.equal(created.status, 201, created.text);
		const unnamed = await get(logPath('two'));
		assert.equal(unnamed.status, 400);
		assert.equal(unnamed.json.message, 'a container name must be specified for pod two, choose one of: [setup web side]');
		const init = await waitFor(
			() => cluster.store.get('pods', 'default', 'two')?.status?.initContainerStatuses?.[0]?.state?.terminated,
			20_000,
			'the init container to finish',
		);
		assert.equal(init.exitCode, 0);
		assert.equal((await get(logPath('two', 'container=setup'))).text, 'ready\n');
		const reason = await waitFor(
			() =>
				cluster.store.get('pods', 'default', 'two')?.status?.containerStatuses?.find((s: any) => s.name === 'web')?.state?.waiting?.reason,
			20_000,
			'the web container to wait',
		);
		const web = await get(logPath('two', 'container=web'));
		assert.equal(web.status, 400);
		const why =
			reason === 'ErrImagePull' ? "image can't be pulled" : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
		assert.equal(web.json.message, `container "web" in pod "two" is waiting to start: ${why}`);
	});

	test('previous: a container the kubelet restarted keeps the log of the run before', async () => {
		const created = await post('/api/v1/namespaces/default/pods', {
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {name: 'crashy'},
			spec: {
				containers: [{name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo run started; sleep 1; echo giving up; exit 3']}],
			},
		});
		assert.equal(created.status, 201, created.text);
		const restarted = () => cluster.store.get('pods', 'default', 'crashy')?.status?.containerStatuses?.[0];
		await waitFor(() => (restarted()?.restartCount ?? 0) >= 1, 30_000, 'a restart');
		const previous = await get(logPath('crashy', 'previous=true'));
		assert.equal(previous.status, 200, previous.text);
		assert.equal(previous.text, 'run started\ngiving up\n');
		const current = await get(logPath('crashy'));
		assert.equal(current.status, 200, current.text);
		assert.match(current.text, /^run started\n/);
	});

	test('follow streams new lines and ends when the container stops; the old log ends with the shutdown notices', async () => {
		const pod: KubeObject = running()[0]!;
		const name = pod.metadata.name!;
		let seen = '';
		const following = get(logPath(name, 'follow=true&tailLines=0'), (text) => {
			seen = text;
		});
		await new Promise((r) => setTimeout(r, 200));
		let mine: string | undefined;
		for (let i = 0; i < 6 && mine === undefined; i++) if ((await curl(`/?follow=${i}`)) === name) mine = `/?follow=${i}`;
		assert.ok(mine, 'a request reached the followed pod');
		await waitFor(() => seen.includes(`"GET ${mine} HTTP/1.1"`), 10_000, 'the access line in the followed stream');
		// Delete the pod: nginx gets SIGQUIT, shuts down, and the stream ends with it.
		const deleted = await within(
			new Promise<number>((resolve, reject) => {
				const req = httpsRequest(
					`${cluster.url}/api/v1/namespaces/default/pods/${name}`,
					{method: 'DELETE', ca: caPem, headers: {Authorization: `Bearer ${cluster.token}`}},
					(res) => {
						res.resume();
						res.on('end', () => resolve(res.statusCode ?? 0));
					},
				);
				req.on('error', reject);
				req.end();
			}),
			10_000,
			'the DELETE of the followed pod',
		);
		assert.equal(deleted, 200);
		const r = await following;
		const lines = r.text.split('\n').filter(Boolean);
		assert.match(lines.at(-1)!, /\[notice\] 1#1: exit$/);
		assert.ok(lines.some((l) => l.endsWith('[notice] 1#1: signal 3 (SIGQUIT) received, shutting down')));
	});
});
