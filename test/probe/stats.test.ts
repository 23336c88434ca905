import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
	percentile,
	sparkline,
	tallyOf,
	summarize,
	formatVerdict,
	formatOutage,
	formatDuration,
	formatReasons,
	observeRollout,
	addProbeToWindows,
	initialWindows,
	settleWindows,
	FAILURE_MARK,
	ASCII_SPARK,
} from '../../source/probe/stats.js';
import type {WindowState, RolloutObservation} from '../../source/probe/stats.js';
import {NOW} from '../helpers/objects.js';
import type {ProbeResult, ProbeErrorReason} from '../../source/probe/prober.js';

// Clock times in verdicts are local; pin the zone so 12:00:01 reads the same on every machine.
process.env.TZ = 'UTC';
const T0 = NOW;

let seq = 0;
function ok(atMs: number, latencyMs: number, servedBy = 'nginx/1.18.0'): ProbeResult {
	return {seq: ++seq, at: T0 + atMs, ok: true, status: 200, latencyMs, servedBy};
}
function fail(atMs: number, error: ProbeErrorReason, latencyMs = 1): ProbeResult {
	return {seq: ++seq, at: T0 + atMs, ok: false, latencyMs, error, ...(error === '5xx' ? {status: 503} : {})};
}

describe('percentile (nearest rank)', () => {
	const cases: Array<[string, number[], number, number | undefined]> = [
		['empty', [], 50, undefined],
		['one value', [7], 99, 7],
		['p50 of 1..10', [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 50, 5],
		['p99 of 1..100', Array.from({length: 100}, (_, i) => 100 - i), 99, 99],
		['p99 of 1..10 is the max', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99, 10],
		['p0 is the min', [3, 1, 2], 0, 1],
		['p100 is the max', [3, 1, 2], 100, 3],
		['one slow outlier leaves p50 alone', [2, 2, 2, 2, 900], 50, 2],
	];
	for (const [name, values, p, want] of cases) {
		it(name, () => assert.equal(percentile(values, p), want));
	}
});

describe('sparkline', () => {
	const cases: Array<[string, Array<number | undefined>, number | undefined, string]> = [
		['empty', [], undefined, ''],
		['rising', [0, 1, 2, 3, 4, 5, 6, 7], undefined, '▁▂▃▄▅▆▇█'],
		['flat zero', [0, 0, 0], undefined, '▁▁▁'],
		['scaled to the largest', [10, 20, 40], undefined, '▃▅█'],
		['failures are marked', [5, undefined, 5], undefined, `█${FAILURE_MARK}█`],
		['only the last width values', [100, 1, 1, 2], 3, '▅▅█'],
		['width zero', [1, 2], 0, ''],
	];
	for (const [name, values, width, want] of cases) {
		it(name, () => assert.equal(sparkline(values, width), want));
	}
	it('ASCII glyphs for terminals without block characters', () => {
		assert.equal(sparkline([0, 7, undefined, 3.5], undefined, ASCII_SPARK), '_#x=');
	});
});

describe('formatting', () => {
	const durations: Array<[number, string]> = [
		[0, '0 ms'],
		[199.6, '200 ms'],
		[1000, '1.0 s'],
		[1234, '1.2 s'],
		[12_600, '13 s'],
	];
	for (const [ms, want] of durations) it(`formatDuration(${ms})`, () => assert.equal(formatDuration(ms), want));

	it('lists reasons most common first', () => {
		assert.equal(formatReasons({reset: 1, refused: 2}), 'refused 2, reset 1');
		assert.equal(formatReasons({timeout: 1, '5xx': 1}), 'timeout 1, 5xx 1');
		assert.equal(formatReasons({}), '');
	});
});

describe('tally and outages', () => {
	it('a clean run: no failures, max latency, one version', () => {
		const t = tallyOf([ok(0, 3), ok(200, 38), ok(400, 5)]);
		assert.equal(t.probes, 3);
		assert.equal(t.failed, 0);
		assert.equal(t.maxLatencyMs, 38);
		assert.deepEqual(t.servedBy, ['nginx/1.18.0']);
		assert.deepEqual(t.outages, []);
	});

	it('versions in order of first appearance, even when they alternate during the update', () => {
		const t = tallyOf([ok(0, 1), ok(200, 1, 'nginx/1.20.1'), ok(400, 1), ok(600, 1, 'nginx/1.20.1')]);
		assert.deepEqual(t.servedBy, ['nginx/1.18.0', 'nginx/1.20.1']);
	});

	it('consecutive failures are one outage, from the first failure to the next answer', () => {
		const t = tallyOf([
			ok(0, 1),
			fail(1000, 'refused'),
			fail(1200, 'refused'),
			fail(1400, 'reset'),
			ok(2200, 2),
			fail(3000, '5xx', 4),
			ok(3200, 1),
		]);
		assert.equal(t.failed, 4);
		assert.deepEqual(t.byReason, {refused: 2, reset: 1, '5xx': 1});
		assert.equal(t.outages.length, 2);
		assert.deepEqual(
			{...t.outages[0], lastFailureAt: undefined, okSinceFailure: undefined},
			{
				from: T0 + 1000,
				to: T0 + 2200,
				failed: 3,
				probes: 3,
				byReason: {refused: 2, reset: 1},
				open: false,
				lastFailureAt: undefined,
				okSinceFailure: undefined,
			},
		);
		assert.equal(formatOutage(t.outages[0]), 'outage 1.2 s from 12:00:01: 3 failed (refused 2, reset 1)');
		assert.equal(formatOutage(t.outages[1]), 'outage 200 ms from 12:00:03: 1 failed (5xx 1)');
	});

	it('failures less than a second apart with answers between them are one episode of partial drops', () => {
		// A rolling update without preStop: round robin sends every fourth request to the pod that stopped.
		const t = tallyOf([
			ok(0, 1),
			fail(200, 'reset'),
			ok(400, 1),
			ok(600, 1),
			ok(800, 1, 'nginx/1.20.1'),
			fail(1000, 'reset'),
			ok(1200, 1),
			ok(1400, 1),
			ok(1600, 1),
			ok(1800, 1),
			ok(2000, 1),
			ok(2200, 1),
			fail(2400, 'reset'),
			ok(2600, 1),
		]);
		assert.equal(t.outages.length, 2, 'the third failure is 1.4 s after the second: a new episode');
		assert.equal(t.outages[0].probes, 5);
		assert.equal(formatOutage(t.outages[0]), 'drops for 1.0 s from 12:00:00: 2 of 5 probes failed (reset 2)');
		assert.equal(formatOutage(t.outages[1]), 'outage 200 ms from 12:00:02: 1 failed (reset 1)');
	});

	it('an outage with no answer after it is still open, ending at the last failure', () => {
		const t = tallyOf([ok(0, 1), fail(200, 'timeout', 1000), fail(400, 'timeout', 1000)]);
		assert.equal(t.outages[0].open, true);
		assert.equal(formatOutage(t.outages[0]), 'outage 1.2 s from 12:00:00: 2 failed (timeout 2), still failing');
	});

	it('failed probes do not count toward max latency (a timeout is not a slow answer)', () => {
		assert.equal(tallyOf([ok(0, 4), fail(200, 'timeout', 1000)]).maxLatencyMs, 4);
	});

	it('summarize adds p50/p99 over answered probes', () => {
		const s = summarize([ok(0, 1), ok(1, 2), ok(2, 3), fail(3, 'refused', 0), ok(4, 50)]);
		assert.equal(s.p50, 2);
		assert.equal(s.p99, 50);
		assert.equal(s.failed, 1);
	});
});

describe('rollout windows and verdict lines', () => {
	// Feed observations and probes in time order; return the verdict lines.
	type Step = ['observe', Omit<RolloutObservation, 'at'> & {at: number}] | ['probe', ProbeResult];
	function run(steps: Step[], settleMs = 0): WindowState {
		let s = initialWindows({settleMs});
		for (const [kind, x] of steps) {
			if (kind === 'observe') s = observeRollout(s, {...x, at: T0 + x.at});
			else s = addProbeToWindows(s, x);
		}
		return s;
	}

	it('versions are listed by their last answer, so a new pod answering first still reads old -> new', () => {
		const s = run([
			['observe', {revision: '1', generation: 1, done: true, at: 0}],
			['observe', {revision: '2', generation: 2, done: false, at: 1000}],
			['probe', ok(1100, 2, 'nginx/1.20.1')], // round robin reached the first new pod first
			['probe', ok(1200, 2, 'nginx/1.18.0')],
			['probe', ok(1300, 2, 'nginx/1.20.1')],
			['observe', {revision: '2', generation: 2, done: true, at: 1400}],
		]);
		assert.deepEqual(
			s.verdicts.map((v) => v.servedBy),
			[['nginx/1.18.0', 'nginx/1.20.1']],
		);
	});

	it('a graceful rolling update leaves one verdict: 0 failed, versions old -> new', () => {
		const s = run([
			['observe', {revision: '4', generation: 4, done: true, at: 0}],
			['probe', ok(100, 2)], // before the rollout: not counted in its window
			['observe', {revision: '4', generation: 5, done: false, at: 1000}], // set image
			['probe', ok(1100, 3)],
			['observe', {revision: '5', generation: 5, done: false, at: 1150}], // controller writes the new revision
			['probe', ok(1300, 38, 'nginx/1.20.1')],
			['probe', ok(1500, 5)],
			['probe', ok(1700, 4, 'nginx/1.20.1')],
			['observe', {revision: '5', generation: 5, done: true, at: 1800}],
			['probe', ok(1900, 2, 'nginx/1.20.1')], // after: not counted
		]);
		assert.equal(s.open, undefined);
		assert.deepEqual(s.verdicts.map(formatVerdict), [
			'revision 5 rollout: 0 failed of 4 probes, max 38 ms, served by nginx/1.18.0 -> nginx/1.20.1',
		]);
	});

	it('a rollout that drops requests says how many, why, and when', () => {
		const s = run([
			['observe', {revision: '5', generation: 5, done: true, at: 0}],
			['observe', {revision: '6', generation: 6, done: false, at: 1000}],
			['probe', ok(1000, 2)],
			['probe', fail(1200, 'refused')],
			['probe', fail(1400, '5xx', 3)],
			['probe', ok(1600, 2, 'nginx/1.20.1')],
			['observe', {revision: '6', generation: 6, done: true, at: 2000}],
		]);
		const [v] = s.verdicts;
		assert.equal(
			formatVerdict(v),
			'revision 6 rollout: 2 failed of 4 probes (refused 1, 5xx 1), max 2 ms, served by nginx/1.18.0 -> nginx/1.20.1',
		);
		assert.deepEqual(v.outages.map(formatOutage), ['outage 400 ms from 12:00:01: 2 failed (refused 1, 5xx 1)']);
	});

	it('each finished rollout leaves its own line, oldest first', () => {
		const s = run([
			['observe', {revision: '1', generation: 1, done: true, at: 0}],
			['observe', {revision: '2', generation: 2, done: false, at: 100}],
			['probe', ok(150, 1)],
			['observe', {revision: '2', generation: 2, done: true, at: 200}],
			['observe', {revision: '3', generation: 3, done: false, at: 300}],
			['probe', fail(350, 'reset')],
			['probe', fail(360, 'reset')],
			['observe', {revision: '3', generation: 3, done: true, at: 400}],
		]);
		assert.deepEqual(s.verdicts.map(formatVerdict), [
			'revision 2 rollout: 0 failed of 1 probe, max 1 ms, served by nginx/1.18.0',
			'revision 3 rollout: 2 failed of 2 probes (reset 2), no version seen',
		]);
	});

	it('a scale that completes at once opens no window; a rollout status that was already done leaves none either', () => {
		const s = run([
			['observe', {revision: '2', generation: 2, done: true, at: 0}],
			['observe', {revision: '2', generation: 3, done: true, at: 100}],
			['probe', ok(150, 1)],
		]);
		assert.equal(s.open, undefined);
		assert.deepEqual(s.verdicts, []);
	});

	it('a new rollout before the last finished closes it as superseded', () => {
		const s = run([
			['observe', {revision: '2', generation: 2, done: true, at: 0}],
			['observe', {revision: '3', generation: 3, done: false, at: 100}],
			['probe', ok(150, 1)],
			['observe', {revision: '4', generation: 4, done: false, at: 200}],
			['probe', ok(250, 1, 'nginx/1.21.0')],
			['observe', {revision: '4', generation: 4, done: true, at: 300}],
		]);
		assert.deepEqual(s.verdicts.map(formatVerdict), [
			'revision 3 rollout (superseded): 0 failed of 1 probe, max 1 ms, served by nginx/1.18.0',
			'revision 4 rollout: 0 failed of 1 probe, max 1 ms, served by nginx/1.21.0',
		]);
	});

	it('a cockpit started mid-rollout says it joined late', () => {
		const s = run([
			['observe', {revision: '7', generation: 7, done: false, at: 0}],
			['probe', ok(10, 1)],
			['observe', {revision: '7', generation: 7, done: true, at: 100}],
		]);
		assert.deepEqual(s.verdicts.map(formatVerdict), [
			'revision 7 rollout (joined late): 0 failed of 1 probe, max 1 ms, served by nginx/1.18.0',
		]);
	});

	it('a deployment being created (revision 1) is not a rollout: failures before its first pods are ready leave no verdict', () => {
		const s = run([
			['observe', {revision: '1', generation: 1, done: false, at: 0}],
			['probe', fail(10, 'reset')],
			['observe', {revision: '1', generation: 1, done: true, at: 100}],
			['probe', ok(150, 1)],
			['observe', {revision: '2', generation: 2, done: false, at: 200}],
			['probe', ok(250, 1)],
			['observe', {revision: '2', generation: 2, done: true, at: 300}],
		]);
		assert.deepEqual(s.verdicts.map(formatVerdict), ['revision 2 rollout: 0 failed of 1 probe, max 1 ms, served by nginx/1.18.0']);
	});

	it('a probe that started during the rollout but finished after it still counts toward that verdict', () => {
		const s = run([
			['observe', {revision: '1', generation: 1, done: true, at: 0}],
			['observe', {revision: '2', generation: 2, done: false, at: 100}],
			['probe', ok(150, 1)],
			['observe', {revision: '2', generation: 2, done: true, at: 500}],
			['probe', fail(400, 'timeout', 1000)], // started at 400, reported at 1400
			['probe', fail(600, 'timeout', 1000)], // started after the window: not counted
		]);
		assert.equal(s.verdicts.length, 1);
		assert.equal(formatVerdict(s.verdicts[0]), 'revision 2 rollout: 1 failed of 2 probes (timeout 1), max 1 ms, served by nginx/1.18.0');
	});

	describe('settling: drops right after rollout status says done still belong to the rollout', () => {
		it('probes during the settle time count; the window closes when it is over', () => {
			const s = run(
				[
					['observe', {revision: '1', generation: 1, done: true, at: 0}],
					['observe', {revision: '2', generation: 2, done: false, at: 1000}],
					['probe', ok(1100, 2)],
					['observe', {revision: '2', generation: 2, done: true, at: 1800}],
					['probe', fail(1900, 'reset')], // the last old pod is gone but kube-proxy still sends it traffic
					['probe', ok(2100, 2, 'nginx/1.20.1')],
					['probe', ok(2900, 2, 'nginx/1.20.1')], // after 1800 + 1000: not counted, and it closes the window
				],
				1000,
			);
			assert.equal(s.open, undefined);
			assert.equal(s.verdicts.length, 1);
			assert.equal(
				formatVerdict(s.verdicts[0]),
				'revision 2 rollout: 1 failed of 3 probes (reset 1), max 2 ms, served by nginx/1.18.0 -> nginx/1.20.1',
			);
			assert.equal(s.verdicts[0].closedAt, T0 + 2800);
			assert.equal(formatOutage(s.verdicts[0].outages[0]), 'outage 200 ms from 12:00:01: 1 failed (reset 1)');
		});

		it('settleWindows closes the window by the clock when no probe comes', () => {
			const s = run(
				[
					['observe', {revision: '1', generation: 1, done: true, at: 0}],
					['observe', {revision: '2', generation: 2, done: false, at: 100}],
					['observe', {revision: '2', generation: 2, done: true, at: 200}],
				],
				500,
			);
			assert.equal(s.open?.settlingSince, T0 + 200);
			assert.equal(settleWindows(s, T0 + 699).open?.settlingSince, T0 + 200, 'not yet');
			const closed = settleWindows(s, T0 + 700);
			assert.equal(closed.open, undefined);
			assert.equal(closed.verdicts[0].closedAt, T0 + 700);
		});

		it('not done again while settling (a pod lost, a scale): the rollout goes on', () => {
			const s = run(
				[
					['observe', {revision: '1', generation: 1, done: true, at: 0}],
					['observe', {revision: '2', generation: 2, done: false, at: 100}],
					['observe', {revision: '2', generation: 2, done: true, at: 200}],
					['observe', {revision: '2', generation: 2, done: false, at: 300}],
					['probe', fail(900, 'refused')],
				],
				500,
			);
			assert.ok(s.open);
			assert.equal(s.open?.settlingSince, undefined);
			assert.equal(s.open?.failed, 1);
		});

		it('a new rollout while the last one settles ends it as finished, not superseded', () => {
			const s = run(
				[
					['observe', {revision: '1', generation: 1, done: true, at: 0}],
					['observe', {revision: '2', generation: 2, done: false, at: 100}],
					['observe', {revision: '2', generation: 2, done: true, at: 200}],
					['observe', {revision: '3', generation: 3, done: false, at: 300}],
				],
				5000,
			);
			assert.deepEqual(
				s.verdicts.map((v) => [v.revision, v.note, v.closedAt]),
				[['2', undefined, T0 + 300]],
			);
			assert.equal(s.open?.revision, '3');
		});
	});
});
