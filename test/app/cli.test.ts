import {test} from 'node:test';
import assert from 'node:assert/strict';
import {main} from '../../source/cli.js';
import {parseCli, UsageError} from '../../source/cli-args.js';

test('parseCli: DEPLOYMENT and flags as kubectl users type them', () => {
	assert.deepEqual(parseCli(['nginx', '-n', 'web', '--context', 'prod', '--kubeconfig', '/tmp/kc', '--readonly']), {
		deployment: 'nginx',
		namespace: 'web',
		context: 'prod',
		kubeconfig: '/tmp/kc',
		demo: false,
		readonly: true,
		probe: undefined,
		probeIntervalMs: 200,
		noProbe: false,
		noColor: false,
		help: false,
		version: false,
	});
	assert.equal(parseCli(['--namespace=kube-system']).namespace, 'kube-system');
	assert.equal(parseCli([]).deployment, undefined);
	assert.equal(parseCli(['--demo']).demo, true);
	assert.equal(parseCli(['--no-color']).noColor, true);
});

test('parseCli: what it refuses, with a message that says why', async (t) => {
	const cases: Array<[string[], RegExp]> = [
		[['--bogus'], /unknown flag: --bogus/],
		[['-x'], /unknown flag: -x/],
		[['a', 'b'], /at most one DEPLOYMENT, got 2: a b/],
		[['-n'], /flag needs an argument: --namespace/],
		[['--context', ''], /--context needs a non-empty value/],
		[['--demo', '--context', 'prod'], /--demo runs its own cluster/],
		[['--probe', 'nginx:30353'], /--probe needs an http:\/\/ or https:\/\/ URL, not "nginx:30353" \(nginx\)/],
		[['--probe', 'ftp://127.0.0.1/'], /--probe needs an http:\/\/ or https:\/\/ URL, not "ftp:\/\/127\.0\.0\.1\/" \(ftp\)/],
		[['--probe', '127.0.0.1:30353'], /--probe needs an http:\/\/ or https:\/\/ URL/],
		[['--probe', 'not a url'], /--probe needs an http:\/\/ or https:\/\/ URL, e\.g\. http:\/\/127\.0\.0\.1:30353\/, not "not a url"/],
		[['--probe'], /flag needs an argument: --probe/],
		[['--probe', 'http://127.0.0.1/', '--no-probe'], /--probe and --no-probe cannot be used together/],
		[['--probe-interval', '0'], /--probe-interval must be a positive whole number of milliseconds, not "0"/],
		[['--probe-interval=-5'], /--probe-interval must be a positive whole number of milliseconds, not "-5"/],
		[['--probe-interval', '2.5'], /--probe-interval must be a positive whole number of milliseconds, not "2\.5"/],
		[['--probe-interval', 'fast'], /--probe-interval must be a positive whole number of milliseconds, not "fast"/],
		[['--probe-interval', ''], /--probe-interval must be a positive whole number of milliseconds, not ""/],
	];
	for (const [argv, message] of cases) {
		await t.test(argv.join(' '), () =>
			assert.throws(
				() => parseCli(argv),
				(e: unknown) => e instanceof UsageError && message.test((e as Error).message),
			),
		);
	}
});

test('parseCli: the probe flags', () => {
	const probed = parseCli(['nginx', '--probe', 'https://shop.example.com/healthz', '--probe-interval', '50']);
	assert.equal(probed.probe, 'https://shop.example.com/healthz');
	assert.equal(probed.probeIntervalMs, 50);
	assert.equal(probed.noProbe, false);
	assert.equal(parseCli(['--probe-interval=1000']).probeIntervalMs, 1000);
	assert.equal(parseCli(['--no-probe']).noProbe, true);
	// Without flags: discover, 5 per second.
	assert.deepEqual([parseCli([]).probe, parseCli([]).probeIntervalMs, parseCli([]).noProbe], [undefined, 200, false]);
});

test('main: a bad --probe exits 2 with the reason; --demo refuses a probe URL off loopback', async () => {
	const err: string[] = [];
	const stderr = process.stderr.write;
	process.stderr.write = ((chunk: string) => {
		err.push(String(chunk));
		return true;
	}) as typeof process.stderr.write;
	try {
		assert.equal(await main(['--probe', 'tcp://127.0.0.1:80']), 2);
		assert.equal(await main(['--probe-interval', '-1']), 2);
		assert.equal(await main(['--demo', '--probe', 'http://10.0.0.7:30353/']), 2);
	} finally {
		process.stderr.write = stderr;
	}
	const text = err.join('');
	assert.match(text, /rollout-cockpit: --probe needs an http:\/\/ or https:\/\/ URL, not "tcp:\/\/127\.0\.0\.1:80" \(tcp\)\n/);
	assert.match(
		text,
		/rollout-cockpit: flag needs an argument: --probe-interval \(a value starting with "-" is written --probe-interval=VALUE\)\n/,
	);
	assert.match(text, /rollout-cockpit: --demo: refusing to probe 10\.0\.0\.7:30353: only loopback addresses/);
	assert.equal(text.match(/Run 'rollout-cockpit --help' for usage\./g)?.length, 3);
});

test('main: usage errors exit 2, --help and --version exit 0 and print', async () => {
	const out: string[] = [];
	const err: string[] = [];
	const stdout = process.stdout.write;
	const stderr = process.stderr.write;
	process.stdout.write = ((chunk: string) => {
		out.push(String(chunk));
		return true;
	}) as typeof process.stdout.write;
	process.stderr.write = ((chunk: string) => {
		err.push(String(chunk));
		return true;
	}) as typeof process.stderr.write;
	try {
		assert.equal(await main(['--nope']), 2);
		assert.equal(await main(['--help']), 0);
		assert.equal(await main(['--version']), 0);
	} finally {
		process.stdout.write = stdout;
		process.stderr.write = stderr;
	}
	assert.match(err.join(''), /rollout-cockpit: unknown flag: --nope\nRun 'rollout-cockpit --help' for usage\./);
	assert.match(out.join(''), /Usage:\n {2}rollout-cockpit \[DEPLOYMENT\] \[-n NAMESPACE\]/);
	// The probe flags and the headless probe command are in the usage.
	assert.match(out.join(''), /\[--probe URL \| --no-probe\] \[--probe-interval MS\]/);
	assert.match(out.join(''), /--probe-interval MS\n\s+time between probes \(default 200, 5 per second\)/);
	assert.match(out.join(''), /--no-probe\s+do not probe at all/);
	assert.match(out.join(''), /rollout-cockpit probe URL \[--interval MS\]/);
	assert.match(out.join(''), /^rollout-cockpit \d+\.\d+\.\d+$/m);
});
