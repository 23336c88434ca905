// The --faults SPEC grammar: what parses into which rules, what is refused with which message, and that a parsed
// spec prints back to a SPEC that parses to the same rules (the start-up line a user can paste to replay a run).
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {FaultSpecError, formatFaultSpec, parseDuration, parseFaultSpec} from '../../../source/sim/faults/spec.js';
import {exponential, seededRandom, streamSeed} from '../../../source/sim/faults/random.js';

describe('parseFaultSpec', () => {
	const good: Array<[string, ReturnType<typeof parseFaultSpec>]> = [
		['drop-watches:every=30s', {rules: [{kind: 'drop-watches', every: 30_000}]}],
		[
			'seed=7; drop-watches:mean=500ms,resources=pods+events',
			{seed: 7, rules: [{kind: 'drop-watches', mean: 500, resources: ['pods', 'events']}]},
		],
		['expire:every=1m,as=http,after=0s,times=3', {rules: [{kind: 'expire', every: 60_000, as: 'http', after: 0, times: 3}]}],
		['error:p=0.05', {rules: [{kind: 'error', p: 0.05}]}],
		[
			'error:p=1,code=429,retry-after=2,verbs=list+watch',
			{rules: [{kind: 'error', p: 1, code: 429, retryAfter: 2, verbs: ['list', 'watch']}]},
		],
		['latency:ms=200,jitter=50', {rules: [{kind: 'latency', ms: 200, jitter: 50}]}],
		['stall-watches:p=0.1', {rules: [{kind: 'stall-watches', p: 0.1}]}],
		['stall-watches:every=2m', {rules: [{kind: 'stall-watches', every: 120_000}]}],
		['restart:every=1.5m,down=2s', {rules: [{kind: 'restart', every: 90_000, down: 2000}]}],
		['kill-node:every=2m,node=node4,down=30s', {rules: [{kind: 'kill-node', every: 120_000, node: 'node4', down: 30_000}]}],
		['kill-node:mean=5m,times=1', {rules: [{kind: 'kill-node', mean: 300_000, times: 1}]}],
		[
			' restart:mean=1h ; latency:ms=5 ;',
			{
				rules: [
					{kind: 'restart', mean: 3_600_000},
					{kind: 'latency', ms: 5},
				],
			},
		],
	];
	for (const [text, want] of good) {
		test(`parses ${JSON.stringify(text)}`, () => {
			const spec = parseFaultSpec(text);
			assert.deepEqual(spec, want);
			assert.deepEqual(parseFaultSpec(formatFaultSpec(spec)), spec, `printed back as ${formatFaultSpec(spec)}`);
		});
	}

	const bad: Array<[string, RegExp]> = [
		['kill-node:node=node4', /kill-node:node=node4: kill-node needs every=DURATION or mean=DURATION/],
		['kill-node:every=1m,node=Node_4', /node="Node_4" is not valid: want a node name, like node4/],
		['', /the fault spec is empty/],
		['seed=3', /has a seed but no fault/],
		['seed=-1; latency:ms=1', /seed=-1: the seed must be a whole number/],
		[
			'explode:every=1s',
			/explode:every=1s: unknown fault "explode" \(want drop-watches, expire, error, latency, stall-watches, restart, kill-node or seed=N\)/,
		],
		['drop-watches', /drop-watches: drop-watches needs every=DURATION or mean=DURATION/],
		['drop-watches:every=30', /every="30" is not valid: want a duration like 500ms, 30s or 2m, more than 0/],
		['drop-watches:every=0s', /more than 0/],
		['drop-watches:every=1s,mean=2s', /give every= or mean=, not both/],
		['drop-watches:p=0.5', /unknown parameter "p" for drop-watches \(want every, mean, after, times, resources\)/],
		['error:code=500', /error needs p=P/],
		['error:p=2', /p="2" is not valid: want a probability from 0 to 1/],
		['error:p=1,code=404', /code="404" is not valid: want 500 or 429/],
		['error:p=1,retry-after=3', /retry-after= goes with code=429/],
		['error:p=1,verbs=list+fetch', /verbs joined with '\+'/],
		['latency:jitter=5', /latency needs ms=N/],
		['latency:ms=-5', /ms="-5" is not valid: want a whole number of at least 0/],
		['latency:ms=5,ms=6', /ms is given twice/],
		['latency:ms', /"ms" is not KEY=VALUE/],
		['latency:ms=5,after=1s', /unknown parameter "after" for latency/],
		['stall-watches:p=1,after=1s', /after= needs every= or mean=/],
		['stall-watches', /stall-watches needs either p=P \(new watches\) or every=\/mean=DURATION \(open watches\)/],
		['stall-watches:p=1,every=1s', /stall-watches needs either/],
		['expire:every=1s,as=stream', /as="stream" is not valid: want event or http/],
		['restart:every=1s,times=0', /times="0" is not valid: want a whole number of at least 1/],
	];
	for (const [text, message] of bad) {
		test(`refuses ${JSON.stringify(text)}`, () => {
			assert.throws(
				() => parseFaultSpec(text),
				(error: unknown) => error instanceof FaultSpecError && message.test(error.message),
			);
		});
	}

	test('durations: ms, s, m, h and decimals; bare numbers are not durations', () => {
		assert.equal(parseDuration('250ms'), 250);
		assert.equal(parseDuration('1.5s'), 1500);
		assert.equal(parseDuration('2m'), 120_000);
		assert.equal(parseDuration('1h'), 3_600_000);
		assert.equal(parseDuration('30'), undefined);
		assert.equal(parseDuration('1d'), undefined);
	});
});

describe('seeded randomness', () => {
	test('the same seed gives the same draws; another seed or another stream gives others', () => {
		const draws = (seed: number) => {
			const r = seededRandom(seed);
			return Array.from({length: 20}, () => r());
		};
		assert.deepEqual(draws(42), draws(42));
		assert.notDeepEqual(draws(42), draws(43));
		assert.notDeepEqual(draws(streamSeed(42, 0)), draws(streamSeed(42, 1)));
		for (const x of draws(1)) assert.ok(x >= 0 && x < 1);
	});

	test('exponential intervals average out near their mean', () => {
		const r = seededRandom(9);
		const n = 5000;
		let sum = 0;
		for (let i = 0; i < n; i++) sum += exponential(r, 1000);
		const mean = sum / n;
		assert.ok(mean > 900 && mean < 1100, `mean ${mean}`);
	});
});
