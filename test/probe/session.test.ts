import {describe, it, after} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {ProbeSession, terminatingCount} from '../../source/probe/session.js';
import {formatVerdict} from '../../source/probe/stats.js';
import type {ProbeResult} from '../../source/probe/prober.js';
import type {Deployment} from '../../source/model/types.js';
import {within} from '../helpers/wait.js';
import {closeServer, listenOnLoopback} from '../helpers/ports.js';

// A deployment as the watch delivers it: `done` follows kubectl rollout status' rules (observed, updated, available).
function dep(
	revision: string,
	generation: number,
	observed: number,
	updated: number,
	available: number,
	replicas = 3,
	total = updated,
): Deployment {
	return {
		metadata: {name: 'nginx', generation, annotations: {'deployment.kubernetes.io/revision': revision}},
		spec: {replicas},
		status: {observedGeneration: observed, replicas: total, updatedReplicas: updated, availableReplicas: available},
	};
}

let seq = 0;
function result(at: number, ok: boolean, servedBy = 'nginx/1.18.0'): ProbeResult {
	return ok
		? {seq: ++seq, at, ok, status: 200, latencyMs: 2, servedBy}
		: {seq: ++seq, at, ok, latencyMs: 0.5, error: 'refused', detail: 'connect ECONNREFUSED'};
}

describe('ProbeSession', () => {
	it('opens a window when the deployment starts a rollout and leaves a verdict when rollout status says done', () => {
		let now = 1_000_000;
		const s = new ProbeSession({now: () => now, settleMs: 0});
		const snapshots: number[] = [];
		s.subscribe(() => snapshots.push(s.getSnapshot().probes));
		s.observeDeployment(dep('1', 1, 1, 3, 3));
		s.add(result(now, true));
		now += 100;
		s.observeDeployment(dep('1', 2, 1, 3, 3)); // kubectl set image: generation 2 not yet observed
		assert.ok(s.getSnapshot().open, 'a rollout window is open');
		now += 100;
		s.observeDeployment(dep('2', 2, 2, 1, 3, 3, 4)); // controller: new RS with 1 pod, revision 2
		s.add(result(now, true));
		s.add(result(now + 200, false));
		s.add(result(now + 400, true, 'nginx/1.20.1'));
		assert.equal(s.getSnapshot().open?.revision, '2');
		assert.equal(s.getSnapshot().open?.failed, 1);
		now += 1000;
		s.observeDeployment(dep('2', 2, 2, 3, 2, 3, 3)); // all updated, one not yet available: not done
		assert.equal(s.getSnapshot().verdicts.length, 0);
		now += 100;
		s.observeDeployment(dep('2', 2, 2, 3, 3, 3, 3));
		const snap = s.getSnapshot();
		assert.equal(snap.open, undefined);
		assert.deepEqual(snap.verdicts.map(formatVerdict), [
			'revision 2 rollout: 1 failed of 3 probes (refused 1), max 2 ms, served by nginx/1.18.0 -> nginx/1.20.1',
		]);
		assert.equal(snap.probes, 4);
		assert.equal(snap.failed, 1);
		assert.equal(snap.failures.length, 1);
		assert.ok(snapshots.length >= 6, 'subscribers heard every change');
	});

	it('keeps the window open while old pods are still terminating after rollout status says done', () => {
		let now = 0;
		const s = new ProbeSession({now: () => now, settleMs: 0});
		s.observeDeployment(dep('1', 1, 1, 3, 3));
		now = 100;
		s.observeDeployment(dep('2', 2, 2, 1, 3, 3, 4));
		now = 200;
		const terminating = [{metadata: {name: 'web-old-1', deletionTimestamp: '2024-05-01T12:00:00Z'}}, {metadata: {name: 'web-new-1'}}];
		s.observeDeployment(dep('2', 2, 2, 3, 3), terminatingCount(terminating));
		s.add(result(300, false)); // the last old pod got SIGTERM but is still in the endpoints
		assert.equal(s.getSnapshot().verdicts.length, 0);
		now = 400;
		s.observeDeployment(dep('2', 2, 2, 3, 3), terminatingCount([{metadata: {name: 'web-new-1'}}]));
		assert.deepEqual(s.getSnapshot().verdicts.map(formatVerdict), ['revision 2 rollout: 1 failed of 1 probe (refused 1), no version seen']);
	});

	it('after rollout status says done, the window settles for settleMs and then closes by itself', async () => {
		const s = new ProbeSession({settleMs: 40});
		s.observeDeployment(dep('1', 1, 1, 3, 3));
		s.observeDeployment(dep('2', 2, 2, 1, 3, 3, 4));
		s.observeDeployment(dep('2', 2, 2, 3, 3));
		const doneAt = s.getSnapshot().open?.settlingSince;
		assert.ok(doneAt !== undefined, 'settling, not closed yet');
		s.add(result(Date.now(), false)); // a drop just after done still counts
		await new Promise<void>((resolve, reject) => {
			// The settle timer is unref'd (it must not keep the cockpit alive); this one fails the test if it never fires.
			const guard = setTimeout(() => reject(new Error('the settling window never closed')), 10_000);
			const off = s.subscribe(() => {
				if (s.getSnapshot().verdicts.length > 0) {
					clearTimeout(guard);
					off();
					resolve();
				}
			});
		});
		const [v] = s.getSnapshot().verdicts;
		assert.equal(v.failed, 1);
		assert.equal(v.closedAt, (doneAt as number) + 40);
		assert.equal(s.getSnapshot().open, undefined);
	});

	it('keeps the snapshot object until something changes (no needless re-renders)', () => {
		const s = new ProbeSession();
		const a = s.getSnapshot();
		assert.equal(s.getSnapshot(), a);
		s.observeDeployment(dep('1', 1, 1, 3, 3));
		s.observeDeployment(dep('1', 1, 1, 3, 3));
		assert.equal(s.getSnapshot(), a, 'a settled deployment changes nothing shown');
		s.add(result(Date.now(), true));
		assert.notEqual(s.getSnapshot(), a);
	});

	it('keeps only the recent results for the sparkline, and p50/p99 over them', () => {
		const s = new ProbeSession({recent: 5});
		for (let i = 1; i <= 8; i++) s.add({seq: i, at: i, ok: true, status: 200, latencyMs: i * 10});
		const snap = s.getSnapshot();
		assert.deepEqual(
			snap.recent.map((r) => r.latencyMs),
			[40, 50, 60, 70, 80],
		);
		assert.equal(snap.p50, 60);
		assert.equal(snap.p99, 80);
		assert.equal(snap.probes, 8);
	});

	it('start() probes for real and reports into the snapshot; setUnreachable() stops and says why', async () => {
		const server = http.createServer((_req, res) => {
			res.writeHead(200, {server: 'nginx/1.18.0'});
			res.end();
		});
		await listenOnLoopback(server);
		after(() => closeServer(server));
		const s = new ProbeSession();
		s.start({url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, intervalMs: 10, loopbackOnly: true, how: 'test server'});
		await within(
			new Promise<void>((resolve) => {
				const off = s.subscribe(() => {
					if (s.getSnapshot().probes >= 3) {
						off();
						resolve();
					}
				});
			}),
			10_000,
			'three probes',
		);
		const snap = s.getSnapshot();
		assert.equal(snap.phase, 'probing');
		assert.equal(snap.last?.servedBy, 'nginx/1.18.0');
		assert.equal(snap.message, 'test server');
		s.setUnreachable('service nginx is ClusterIP only: not reachable from here');
		assert.equal(s.getSnapshot().phase, 'unreachable');
		assert.match(s.getSnapshot().message ?? '', /ClusterIP only/);
		await within(s.stop(), 10_000, 'the probe session to stop');
	});
});
