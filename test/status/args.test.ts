// `rollout-cockpit status` flags: Go durations as kubectl reads --timeout, and every bad command line refused with
// a message that says what to type instead (the CLI turns it into exit status 2).
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parseGoDuration, parseStatusArgs, StatusUsageError} from '../../source/status/args.js';

describe('parseGoDuration: time.ParseDuration as kubectl --timeout reads it', () => {
	const cases: [string, number | undefined][] = [
		['0', 0],
		['0s', 0],
		['90s', 90_000],
		['300ms', 300],
		['1.5h', 5_400_000],
		['1h30m', 5_400_000],
		['2h45m10s', 9_910_000],
		['.5s', 500],
		['1500us', 1.5],
		['+5s', 5000],
		['', undefined],
		['5', undefined], // Go: missing unit in duration
		['5x', undefined],
		['-1s', undefined], // a negative wait means nothing here
		['1h 30m', undefined],
		['s', undefined],
	];
	for (const [text, ms] of cases) test(JSON.stringify(text), () => assert.equal(parseGoDuration(text), ms));
});

describe('parseStatusArgs', () => {
	test('the defaults: one look, no timeout, text, no fail-fast (15 s when asked), probe every 200 ms', () => {
		assert.deepEqual(parseStatusArgs(['nginx']), {
			deployment: 'nginx',
			namespace: undefined,
			context: undefined,
			kubeconfig: undefined,
			watch: false,
			timeoutMs: 0,
			json: false,
			failFast: false,
			failFastAfterMs: 15_000,
			probe: undefined,
			probeIntervalMs: 200,
			timelineSvg: undefined,
		});
	});

	test('every flag, in kubectl spellings (-n, -w, --flag=value)', () => {
		const o = parseStatusArgs([
			'-n',
			'shop',
			'--context=prod',
			'--kubeconfig',
			'/tmp/kc',
			'web',
			'-w',
			'--timeout=2m',
			'--json',
			'--fail-fast',
			'--fail-fast-after',
			'30s',
			'--probe',
			'http://127.0.0.1:30353/',
			'--probe-interval=500',
			'--timeline-svg',
			'/tmp/rollout.svg',
		]);
		assert.deepEqual(o, {
			deployment: 'web',
			namespace: 'shop',
			context: 'prod',
			kubeconfig: '/tmp/kc',
			watch: true,
			timeoutMs: 120_000,
			json: true,
			failFast: true,
			failFastAfterMs: 30_000,
			probe: 'http://127.0.0.1:30353/',
			probeIntervalMs: 500,
			timelineSvg: '/tmp/rollout.svg',
		});
	});

	test('--help', () => assert.equal(parseStatusArgs(['--help']), 'help'));

	const refused: [string, string[], RegExp][] = [
		['no deployment', [], /status needs a DEPLOYMENT/],
		['two deployments', ['a', 'b'], /expected one DEPLOYMENT, got 2: a b/],
		['unknown flag', ['nginx', '--follow'], /unknown flag: --follow/],
		['flag without its value', ['nginx', '-n'], /flag needs an argument: -n|--namespace/],
		[
			'a value that looks like a flag',
			['nginx', '--timeout', '-5s'],
			/flag needs an argument: --timeout \(a value starting with "-" is written --timeout=VALUE\)/,
		],
		['empty namespace', ['nginx', '--namespace='], /--namespace needs a non-empty value/],
		['bad timeout', ['nginx', '--watch', '--timeout', '5x'], /--timeout needs a duration such as 90s, 5m or 1h30m, not "5x"/],
		['timeout without watch', ['nginx', '--timeout=1m'], /--timeout needs --watch/],
		['fail-fast-after alone', ['nginx', '--fail-fast-after=5s'], /--fail-fast-after needs --fail-fast/],
		['probe without watch', ['nginx', '--probe', 'http://127.0.0.1:1/'], /--probe needs --watch/],
		['timeline without watch', ['nginx', '--timeline-svg', 'a.svg'], /--timeline-svg needs --watch/],
		['timeline without a file', ['nginx', '-w', '--timeline-svg='], /--timeline-svg needs a file name/],
		['probe not http', ['nginx', '-w', '--probe', 'node1:30353'], /--probe needs an http:\/\/ or https:\/\/ URL/],
		['interval without probe', ['nginx', '--probe-interval=5'], /--probe-interval needs --probe URL/],
		['interval not a number', ['nginx', '-w', '--probe=http://127.0.0.1:1/', '--probe-interval=fast'], /positive whole number/],
	];
	for (const [name, argv, message] of refused)
		test(`refused: ${name}`, () =>
			assert.throws(
				() => parseStatusArgs(argv),
				(error: unknown) => error instanceof StatusUsageError && message.test(error.message),
			));
});
