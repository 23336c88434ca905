// Each fault as a client meets it, against the real HTTPS API server: what arrives on the wire (the apiserver's
// own status codes, headers and wording), that the fault is counted and logged, and that the request log shows it.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {request as httpsRequest} from 'node:https';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Faults} from '../../../source/sim/faults/faults.js';
import {startTestServer, waitFor, type TestServer} from '../api/helpers.js';
import {kubectlVersions} from '../../helpers/kubectl.js';
import {bounded, within} from '../../helpers/wait.js';

const pods = '/api/v1/namespaces/default/pods';

/** A streaming GET: the status once headers arrive, every JSON line, and how the stream ended. */
function stream(t: TestServer, path: string) {
	const lines: any[] = [];
	let headers: ((status: number) => void) | undefined;
	const status = bounded(
		new Promise<number>((resolve) => {
			headers = resolve;
		}),
		10_000,
		`the response headers of GET ${path}`,
	);
	let req!: ReturnType<typeof httpsRequest>;
	const ended = bounded(
		new Promise<'end' | 'cut'>((resolve) => {
			req = httpsRequest(`${t.server.url}${path}`, {ca: t.server.caPem, headers: {Authorization: `Bearer ${t.server.token}`}}, (res) => {
				headers?.(res.statusCode ?? 0);
				let buffer = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					buffer += chunk;
					for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
						lines.push(JSON.parse(buffer.slice(0, nl)));
						buffer = buffer.slice(nl + 1);
					}
				});
				res.on('end', () => resolve(res.complete ? 'end' : 'cut'));
				res.on('aborted', () => resolve('cut'));
				res.on('error', () => resolve('cut'));
			});
			req.on('error', () => resolve('cut'));
			req.end();
		}),
		10_000,
		`the end of GET ${path}`,
	);
	return {
		lines,
		status,
		ended,
		hasHeaders: () => lines.length > 0,
		close: () => req.destroy(),
	};
}

function pod(name: string) {
	return {apiVersion: 'v1', kind: 'Pod', metadata: {name}, spec: {containers: [{name: 'c', image: 'nginx:1.18'}]}};
}

describe('faults against the API server', () => {
	let t: TestServer;
	let faults: Faults;
	const events: string[] = [];

	before(async () => {
		faults = new Faults({seed: 1, onFault: (e) => events.push(`${e.kind}: ${e.detail}`)});
		t = await startTestServer({faults});
		faults.attach({restart: (ms) => t.server.restart(ms), compact: () => t.store.compact()});
	});
	after(async () => {
		faults.stop();
		await t.close();
	});

	test('drop-watches cuts every open watch mid-stream (no end of the chunked body), counts and logs it', async () => {
		const before = faults.counts['drop-watches'];
		const a = stream(t, `${pods}?watch=true`);
		const b = stream(t, '/apis/apps/v1/deployments?watch=true');
		assert.equal(await a.status, 200);
		assert.equal(await b.status, 200);
		await waitFor(() => faults.openWatches === 2, 5000, 'two open watches');
		assert.equal(await faults.inject('drop-watches'), 2);
		assert.equal(await a.ended, 'cut');
		assert.equal(await b.ended, 'cut');
		assert.equal(faults.counts['drop-watches'], before + 1);
		assert.equal(faults.log.at(-1)?.detail, 'reset 2 watches');
		assert.equal(events.at(-1), 'drop-watches: reset 2 watches');
		// The server itself is fine: a new watch streams.
		const c = stream(t, `${pods}?watch=true`);
		assert.equal(await c.status, 200);
		c.close();
	});

	test('drop-watches with resources= cuts only those watches', async () => {
		const p = stream(t, `${pods}?watch=true`);
		const d = stream(t, '/apis/apps/v1/deployments?watch=true');
		await Promise.all([p.status, d.status]);
		await waitFor(() => faults.openWatches === 2, 5000, 'two open watches');
		const remove = faults.add('drop-watches:every=50ms,resources=pods,times=1');
		assert.equal(await p.ended, 'cut');
		await waitFor(() => faults.log.at(-1)?.rule === 'drop-watches:every=50ms,resources=pods,times=1', 5000, 'the rule to fire');
		assert.equal(faults.openWatches, 1);
		d.close();
		remove();
	});

	test('expire: a watch resuming from a compacted resourceVersion gets the in-stream 410 ERROR in the watch cache words', async () => {
		const first = await t.call('POST', pods, {body: pod('expire-a')});
		const rv = first.json.metadata.resourceVersion;
		await t.call('POST', pods, {body: pod('expire-b')});
		assert.equal(await faults.inject('expire'), 1);
		const current = t.store.resourceVersion;
		const w = stream(t, `${pods}?watch=true&resourceVersion=${rv}`);
		assert.equal(await w.status, 200);
		assert.equal(await w.ended, 'end');
		assert.deepEqual(w.lines, [
			{
				type: 'ERROR',
				object: {
					kind: 'Status',
					apiVersion: 'v1',
					metadata: {},
					status: 'Failure',
					message: `too old resource version: ${rv} (${current})`,
					reason: 'Expired',
					code: 410,
				},
			},
		]);
		assert.match(faults.log.at(-1)!.detail, /compacted: older resourceVersions now get 410 \(in-stream\)/);
		// Resuming from the current resourceVersion still works.
		const ok = stream(t, `${pods}?watch=true&resourceVersion=${current}`);
		assert.equal(await ok.status, 200);
		ok.close();
	});

	test('expire as=http: the watch request itself is answered 410 Expired', async () => {
		const created = await t.call('POST', pods, {body: pod('expire-http')});
		await t.call('DELETE', `${pods}/expire-http`);
		await faults.inject('expire', {as: 'http'});
		const r = await t.call('GET', `${pods}?watch=true&resourceVersion=${created.json.metadata.resourceVersion}`);
		assert.equal(r.status, 410);
		assert.deepEqual(r.json, {
			kind: 'Status',
			apiVersion: 'v1',
			metadata: {},
			status: 'Failure',
			message: `too old resource version: ${created.json.metadata.resourceVersion} (${t.store.resourceVersion})`,
			reason: 'Expired',
			code: 410,
		});
		assert.equal(t.server.requests.entries().at(-1)?.fault, 'expire');
		faults.expireAs = 'event';
	});

	test('expire: a list continue token from before the compaction gets 410 with a token that goes on', async () => {
		const page = await t.call('GET', '/api/v1/nodes?limit=2');
		assert.ok(page.json.metadata.continue);
		// A write after the list, then the compaction: the list's resourceVersion is now older than the compacted one.
		await t.call('POST', pods, {body: pod('after-the-first-page')});
		await faults.inject('expire');
		const r = await t.call('GET', `/api/v1/nodes?limit=2&continue=${page.json.metadata.continue}`);
		assert.equal(r.status, 410);
		assert.equal(r.json.reason, 'Expired');
		assert.match(
			r.json.message,
			/^The provided continue parameter is too old to display a consistent list result\. You can start a new list/,
		);
		const rest = await t.call('GET', `/api/v1/nodes?limit=2&continue=${r.json.metadata.continue}`);
		assert.equal(rest.status, 200);
		assert.deepEqual(
			rest.json.items.map((n: any) => n.metadata.name),
			['node3', 'node4'],
		);
	});

	test('error code=500 answers InternalError as a storage failure does; discovery is not hit', async () => {
		faults.add('error:p=1,code=500,times=1');
		const discovery = await t.call('GET', '/api/v1');
		assert.equal(discovery.status, 200);
		const r = await t.call('GET', pods);
		assert.equal(r.status, 500);
		assert.deepEqual(r.json, {
			kind: 'Status',
			apiVersion: 'v1',
			metadata: {},
			status: 'Failure',
			message: 'Internal error occurred: injected by rollout-cockpit sim --faults (error:code=500)',
			reason: 'InternalError',
			details: {causes: [{message: 'injected by rollout-cockpit sim --faults (error:code=500)'}]},
			code: 500,
		});
		assert.equal((await t.call('GET', pods)).status, 200, 'times=1: the next request is served');
		const record = t.server.requests.entries().find((r) => r.fault === 'error');
		assert.equal(record?.status, 500);
	});

	test('error code=429 answers plain text with Retry-After, as the max-in-flight filter does', async () => {
		await faults.inject('error', {code: 429, retryAfter: 3});
		const r = await t.call('GET', pods);
		assert.equal(r.status, 429);
		assert.equal(r.headers['retry-after'], '3');
		assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
		assert.equal(r.text, 'Too many requests, please try again later.\n');
	});

	test('latency holds the answer back by at least ms', async () => {
		await faults.inject('latency', {ms: 300});
		const start = Date.now();
		const r = await t.call('GET', '/api/v1/namespaces/default');
		assert.equal(r.status, 200);
		assert.ok(Date.now() - start >= 290, `answered after ${Date.now() - start} ms`);
		assert.equal(t.server.requests.entries().at(-1)?.fault, 'latency');
	});

	test('stall-watches p=1: a new watch gets not one byte (not even headers) while other requests are answered', async () => {
		await faults.inject('stall-watches', {p: 1});
		const w = stream(t, `${pods}?watch=true`);
		let gotHeaders = false;
		w.status.then(
			() => {
				gotHeaders = true;
			},
			() => {},
		);
		await waitFor(() => t.server.requests.entries().at(-1)?.fault === 'stall-watches', 5000, 'the stalled request');
		assert.equal((await t.call('GET', pods)).status, 200);
		await new Promise((r) => setTimeout(r, 300));
		assert.equal(gotHeaders, false);
		assert.equal(faults.openWatches, 1, 'the stalled request is tracked as an open watch');
		// A stalled watch is dropped like any other, and the request log shows it never answered.
		assert.equal(await faults.inject('drop-watches'), 1);
		assert.equal(await w.ended, 'cut');
		const record = t.server.requests.entries().find((r) => r.fault === 'stall-watches');
		await waitFor(() => record?.end !== undefined, 5000, 'the stalled request to end');
		assert.equal(record?.status, 0);
	});

	test('stall-watches on open watches: they stay open but no event reaches them', async () => {
		const stalled = stream(t, `${pods}?watch=true`);
		assert.equal(await stalled.status, 200);
		await waitFor(() => stalled.lines.length > 0, 5000, 'the initial ADDED events');
		const seen = stalled.lines.length;
		assert.equal(await faults.inject('stall-watches'), 1);
		const fresh = stream(t, `${pods}?watch=true`);
		await fresh.status;
		await t.call('POST', pods, {body: pod('after-stall')});
		await waitFor(() => fresh.lines.some((l) => l.object.metadata.name === 'after-stall'), 5000, 'the fresh watch to see the pod');
		await new Promise((r) => setTimeout(r, 200));
		assert.equal(stalled.lines.length, seen, 'nothing after the stall');
		stalled.close();
		fresh.close();
	});

	test('restart: the port closes, every connection is cut, the same port answers again with the store kept', async () => {
		await t.call('POST', pods, {body: pod('survives-restart')});
		const w = stream(t, `${pods}?watch=true`);
		assert.equal(await w.status, 200);
		const restarted = faults.inject('restart', {down: 400});
		assert.equal(await w.ended, 'cut');
		await assert.rejects(t.call('GET', pods), /ECONNREFUSED/);
		assert.equal(await within(restarted, 10_000, 'the restart fault to be over'), 1);
		const r = await t.call('GET', `${pods}/survives-restart`);
		assert.equal(r.status, 200);
		assert.equal(faults.counts.restart, 1);
		assert.match(faults.log.at(-1)!.detail, /API server restarting \(port closed for 400 ms\)/);
	});
});

describe('the request log', () => {
	let t: TestServer;
	before(async () => {
		t = await startTestServer();
	});
	after(() => t.close());

	test('records method, path, query, user, verb, resource, status and times; watches until they end', async () => {
		const since = Date.now();
		await t.call('GET', `${pods}?labelSelector=app%3Dweb&limit=5`);
		await t.call('GET', pods, {token: ''});
		const w = stream(t, `${pods}?watch=true&resourceVersion=1`);
		await w.status;
		const [list, anonymous, watch] = t.server.requests.entries(since);
		assert.deepEqual(
			{...list, time: undefined, end: undefined, seq: undefined},
			{
				seq: undefined,
				time: undefined,
				end: undefined,
				method: 'GET',
				path: pods,
				query: 'labelSelector=app%3Dweb&limit=5',
				user: 'admin',
				verb: 'list',
				resource: 'pods',
				status: 200,
			},
		);
		assert.ok(list!.time >= since && list!.end! >= list!.time);
		assert.equal(anonymous!.user, '');
		assert.equal(anonymous!.status, 401);
		assert.equal(watch!.verb, 'watch');
		assert.equal(watch!.status, 200);
		assert.equal(watch!.end, undefined, 'still open');
		w.close();
		await waitFor(() => watch!.end !== undefined, 5000, 'the watch record to end');
	});
});

describe('seeded faults', () => {
	test('the same seed and spec hit the same requests; another seed hits others', () => {
		const hits = (seed: number) => {
			const f = new Faults({seed});
			f.add('error:p=0.3; latency:ms=10,jitter=90,p=0.5');
			return Array.from({length: 200}, () => {
				const d = f.decide({verb: 'list', resource: 'pods', isResourceRequest: true, isWatch: false});
				return `${d.internalError ? 'E' : '-'}${d.delayMs}`;
			});
		};
		const a = hits(42);
		assert.deepEqual(a, hits(42));
		assert.notDeepEqual(a, hits(43));
		const errors = a.filter((h) => h.startsWith('E')).length;
		assert.ok(errors > 30 && errors < 90, `${errors} of 200 at p=0.3`);
	});
});

describe('kubectl through faults', () => {
	let t: TestServer;
	let dir: string;
	const f = new Faults({seed: 3});
	before(async () => {
		t = await startTestServer({faults: f});
		dir = mkdtempSync(join(tmpdir(), 'sim-faults-kubectl-'));
		writeFileSync(join(dir, 'kubeconfig'), t.server.kubeconfig(), {mode: 0o600});
	});
	after(async () => {
		await t.close();
		rmSync(dir, {recursive: true, force: true});
	});

	for (const k of kubectlVersions) {
		test(`${k.name} waits out two 429s (Retry-After 1) and gets its list; the request log shows the retries`, async () => {
			await f.inject('error', {code: 429, retryAfter: 1, times: 2, verbs: ['list'], resources: ['nodes']});
			const errorsBefore = f.counts.error;
			const since = Date.now();
			const r = await new Promise<{code: number; stdout: string; stderr: string}>((resolve) =>
				execFile(
					k.bin,
					['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache', String(k.minor)), 'get', 'nodes', '-o', 'name'],
					{timeout: 30_000, env: {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir}},
					(error, stdout, stderr) => resolve({code: error ? 1 : 0, stdout, stderr}),
				),
			);
			assert.equal(r.code, 0, r.stderr);
			assert.equal(r.stdout, 'node/node1\nnode/node2\nnode/node3\nnode/node4\n');
			const lists = t.server.requests.entries(since).filter((e) => e.verb === 'list' && e.resource === 'nodes');
			assert.deepEqual(
				lists.map((e) => e.status),
				[429, 429, 200],
			);
			assert.ok(lists[2]!.time - lists[0]!.time >= 1900, 'kubectl honoured Retry-After');
			assert.equal(f.counts.error - errorsBefore, 2);
		});
	}
});
