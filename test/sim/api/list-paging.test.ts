// Large lists over HTTP: streamed in chunks, paged with limit/continue consistently (each page as of the first
// page's resourceVersion, whatever changes in between), as kubectl get pages through 500 at a time; and a watch
// from "0" whose initial events stream while changes made meanwhile follow them in order.
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {KubeObject} from '../../../source/sim/store.js';
import {seededStore, startTestServer, type TestServer} from './helpers.js';

const pod = (name: string, namespace = 'big', labels: Record<string, string> = {app: 'big'}): KubeObject => ({
	apiVersion: 'v1',
	kind: 'Pod',
	metadata: {name, namespace, labels},
	spec: {containers: [{name: 'nginx', image: 'nginx:1.18'}]},
});

const name = (i: number) => `big-${String(i).padStart(5, '0')}`;
const N = 1200;

describe('lists of many objects', () => {
	let t: TestServer;
	before(async () => {
		const store = seededStore();
		store.create('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'big'}, spec: {}, status: {phase: 'Active'}});
		for (let i = 0; i < N; i++) store.create('pods', pod(name(i)));
		for (let i = 0; i < 5; i++) store.create('pods', pod(`small-${i}`, 'big', {app: 'small'}));
		t = await startTestServer({store});
	});
	after(() => t.close());

	it('a long list is streamed (chunked, no Content-Length) and still one JSON list in key order', async () => {
		const res = await t.call('GET', '/api/v1/namespaces/big/pods?labelSelector=app%3Dbig');
		assert.equal(res.status, 200);
		assert.equal(res.headers['content-length'], undefined);
		assert.equal(res.headers['transfer-encoding'], 'chunked');
		const names = res.json.items.map((p: KubeObject) => p.metadata.name);
		assert.equal(names.length, N);
		assert.deepEqual(names, [...names].sort());
		assert.equal(res.json.kind, 'PodList');
		// A short one is sent whole.
		const small = await t.call('GET', '/api/v1/namespaces/big/pods?labelSelector=app%3Dsmall');
		assert.equal(Number(small.headers['content-length']), Buffer.byteLength(small.text));
		assert.equal(small.json.items.length, 5);
	});

	it('limit/continue pages are consistent: each object of the first page’s resourceVersion exactly once, as it was then', async () => {
		const first = await t.call('GET', '/api/v1/namespaces/big/pods?labelSelector=app%3Dbig&limit=500');
		assert.equal(first.json.items.length, 500);
		const listRv = first.json.metadata.resourceVersion;
		const seen: KubeObject[] = [...first.json.items];
		let token: string | undefined = first.json.metadata.continue;
		let round = 0;
		while (token) {
			// Between pages: pods are deleted (ahead and behind), created, and relabelled.
			t.store.delete('pods', 'big', name(600 + round));
			t.store.delete('pods', 'big', name(10 + round));
			t.store.create('pods', pod(`big-new-${round}`));
			const victim = t.store.get('pods', 'big', name(1100 + round))!;
			t.store.update('pods', {...victim, metadata: {...victim.metadata, labels: {app: 'big', touched: 'yes'}}});
			const next = await t.call(
				'GET',
				`/api/v1/namespaces/big/pods?labelSelector=app%3Dbig&limit=500&continue=${encodeURIComponent(token)}`,
			);
			assert.equal(next.status, 200, next.text);
			assert.equal(next.json.metadata.resourceVersion, listRv, 'every page is served at the first page’s resourceVersion');
			seen.push(...next.json.items);
			token = next.json.metadata.continue;
			round++;
		}
		const names = seen.map((p) => p.metadata.name);
		assert.equal(names.length, N, 'no object missed or repeated');
		assert.equal(new Set(names).size, N);
		assert.deepEqual(
			names,
			Array.from({length: N}, (_, i) => name(i)),
		);
		assert.ok(
			seen.every((p) => p.metadata.labels?.touched === undefined),
			'objects changed after the first page are shown as they were',
		);
		// A new list sees the present.
		const now = await t.call('GET', '/api/v1/namespaces/big/pods?labelSelector=app%3Dbig');
		assert.equal(now.json.items.length, N - 2 * round + round);
	});

	it('kubectl’s Table pages carry one row per object and the continue token', async () => {
		const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
		const page = await t.call('GET', '/api/v1/namespaces/big/pods?labelSelector=app%3Dbig&limit=300', {accept});
		assert.equal(page.json.kind, 'Table');
		assert.equal(page.json.rows.length, 300);
		assert.ok(page.json.columnDefinitions.length > 0);
		assert.ok(page.json.metadata.continue);
		const all = await t.call('GET', '/api/v1/namespaces/big/pods', {accept});
		assert.equal(all.headers['content-length'], undefined, 'a long table is streamed too');
		assert.equal(all.json.rows.length, t.store.list('pods', 'big').items.length);
		assert.equal(all.json.rows[0].object.kind, 'PartialObjectMetadata');
	});
});

describe('a watch from "0" of many objects', () => {
	let t: TestServer;
	before(async () => {
		const store = seededStore();
		for (let i = 0; i < N; i++) store.create('pods', pod(name(i), 'default'));
		t = await startTestServer({store});
	});
	after(() => t.close());

	it('sends every initial ADDED, then the changes made while they were being written, in order', async () => {
		const {request} = await import('node:https');
		const lines: any[] = [];
		await new Promise<void>((resolve, reject) => {
			const req = request(
				`${t.server.url}/api/v1/namespaces/default/pods?watch=true&resourceVersion=0&timeoutSeconds=5`,
				{ca: t.server.caPem, headers: {Authorization: `Bearer ${t.server.token}`}},
				(res) => {
					let buffer = '';
					let changed = false;
					res.on('data', (chunk) => {
						buffer += String(chunk);
						let nl = buffer.indexOf('\n');
						while (nl >= 0) {
							lines.push(JSON.parse(buffer.slice(0, nl)));
							buffer = buffer.slice(nl + 1);
							nl = buffer.indexOf('\n');
						}
						// As soon as the first events arrive, change the cluster while the rest are on their way.
						if (!changed && lines.length > 0) {
							changed = true;
							t.store.create('pods', pod('zz-late', 'default'));
							t.store.delete('pods', 'default', name(0));
						}
						if (lines.length >= N + 2) req.destroy();
					});
					res.on('close', resolve);
				},
			);
			req.on('error', (e) => (lines.length >= N + 2 ? resolve() : reject(e)));
			setTimeout(() => req.destroy(), 10_000);
			req.end();
		});
		assert.equal(lines.length, N + 2, 'every initial object and both changes');
		assert.ok(lines.slice(0, N).every((l) => l.type === 'ADDED'));
		assert.deepEqual(
			lines.slice(N).map((l) => `${l.type} ${l.object.metadata.name}`),
			['ADDED zz-late', `DELETED ${name(0)}`],
		);
	});
});
