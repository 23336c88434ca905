import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	probeIntervals,
	readyAt,
	readyMax,
	timelineData,
	timelineJson,
	timelineWindow,
	type TimelineInput,
} from '../../source/model/timeline.js';
import {probes, recreate, rollingUpdate, s, T0} from '../helpers/rollouts.js';

test('readyAt and readyMax read a step function: 0 before its first point, each point holding until the next', () => {
	const points = [
		{at: s(1), ready: 1},
		{at: s(3), ready: 3},
		{at: s(5), ready: 0},
	];
	assert.deepEqual(
		[0, 1, 2.9, 3, 4.9, 5, 9].map((t) => readyAt(points, s(t))),
		[0, 1, 1, 3, 3, 0, 0],
	);
	assert.equal(readyMax(points, s(2), s(4)), 3);
	assert.equal(readyMax(points, s(5), s(9)), 0);
});

test('probeIntervals: probes, failures and the nearest-rank p99 of the answered ones per slice', () => {
	const samples = [...probes(0, 2, [], 5), {at: s(0.5), ok: true, latencyMs: 90}, ...probes(2, 4, [[2, 3]])];
	const [first, second] = probeIntervals(samples, s(0), s(4), 2);
	assert.deepEqual({probes: first?.probes, failed: first?.failed, p99: first?.p99}, {probes: 11, failed: 0, p99: 90});
	assert.deepEqual({probes: second?.probes, failed: second?.failed, p99: second?.p99}, {probes: 10, failed: 5, p99: 2});
});

test('the window covers the last three rollouts from 2 s before the oldest, never before the recording began, to now', () => {
	const base = rollingUpdate();
	const rollouts = [10, 100, 200, 300].map((sec) => ({from: s(sec), to: s(sec + 5)}));
	assert.deepEqual(timelineWindow({...base, rollouts, now: s(400)}), {from: s(98), to: s(400)});
	assert.deepEqual(timelineWindow({...base, rollouts: [{from: s(0.5)}], now: s(30)}), {from: s(0), to: s(30)});
	assert.deepEqual(timelineWindow({...base, rollouts: [], now: s(30)}), {from: s(0), to: s(30)}, 'no rollout: since the start');
});

test('timelineData: revisions newest first, the stacked peak, markers, failures and episodes of the window', () => {
	const t = timelineData(rollingUpdate(), 40);
	assert.deepEqual(
		t.revisions.map((r) => [r.revision, r.current]),
		[
			[2, true],
			[1, false],
		],
	);
	// 2 + 2 at 13 s (the surge): the peak of the stack.
	assert.equal(t.maxReady, 4);
	assert.equal(t.intervals.length, 40);
	assert.equal(t.failures.length, 0);
	const r = timelineData(recreate(), 40);
	assert.equal(r.maxReady, 3);
	assert.equal(r.failures.length, 15);
	assert.ok(r.failures.every((f) => f.at >= s(12) && f.at < s(15)));
	assert.equal(r.episodes[0]?.kind, 'outage');
});

test('timelineJson: RFC 3339 times, each revision from its value at the window start, the probe story', () => {
	const json = timelineJson(timelineData(recreate(), 20)) as {
		from: string;
		revisions: {revision: number; ready: {at: string; ready: number}[]}[];
		markers: {kind: string}[];
		probe: {failures: unknown[]; episodes: {kind: string; blame?: string}[]; intervals: {failed: number; p99Ms?: number}[]};
	};
	assert.equal(json.from, new Date(T0 + 8000).toISOString(), '2 s before the rollout');
	const [r3, r2] = json.revisions;
	assert.deepEqual(r2?.ready, [
		{at: '2025-06-01T12:00:08.000Z', ready: 3},
		{at: '2025-06-01T12:00:11.000Z', ready: 0},
	]);
	assert.deepEqual(
		r3?.ready.map((p) => p.ready),
		[0, 2, 3],
	);
	assert.deepEqual(
		json.markers.map((m) => m.kind),
		['started', 'scaled', 'scaled', 'complete'],
	);
	assert.equal(json.probe.failures.length, 15);
	assert.equal(json.probe.episodes[0]?.kind, 'outage');
	assert.match(json.probe.episodes[0]?.blame ?? '', /were terminating/);
	assert.ok(json.probe.intervals.some((i) => i.failed > 0));
	assert.ok(json.probe.intervals.some((i) => (i.p99Ms ?? 0) > 0));
});

test('a series that ended before the window is left out', () => {
	const input: TimelineInput = {...rollingUpdate(), rollouts: [{from: s(100)}], now: s(120)};
	input.series = [...input.series, {replicaSet: 'nginx-0000000000', revision: 0, points: [{at: s(0), ready: 0}]}];
	const t = timelineData(input, 10);
	assert.deepEqual(
		t.revisions.map((r) => r.revision),
		[2],
		'revision 1 was at 0 all through the window; revision 2 held 3',
	);
});
