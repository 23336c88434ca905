import {test} from 'node:test';
import assert from 'node:assert/strict';
import {main, parseCli, UsageError} from '../../source/cli.js';

test('parseCli: DEPLOYMENT and flags as kubectl users type them', () => {
	assert.deepEqual(parseCli(['nginx', '-n', 'web', '--context', 'prod', '--kubeconfig', '/tmp/kc', '--readonly']), {
		deployment: 'nginx',
		namespace: 'web',
		context: 'prod',
		kubeconfig: '/tmp/kc',
		demo: false,
		readonly: true,
		help: false,
		version: false,
	});
	assert.equal(parseCli(['--namespace=kube-system']).namespace, 'kube-system');
	assert.equal(parseCli([]).deployment, undefined);
	assert.equal(parseCli(['--demo']).demo, true);
});

test('parseCli: what it refuses, with a message that says why', async (t) => {
	const cases: Array<[string[], RegExp]> = [
		[['--bogus'], /unknown flag: --bogus/],
		[['-x'], /unknown flag: -x/],
		[['a', 'b'], /at most one DEPLOYMENT, got 2: a b/],
		[['-n'], /flag needs an argument: --namespace/],
		[['--context', ''], /--context needs a non-empty value/],
		[['--demo', '--context', 'prod'], /--demo runs its own cluster/],
	];
	for (const [argv, message] of cases) {
		await t.test(argv.join(' '), () => assert.throws(() => parseCli(argv), (e: unknown) => e instanceof UsageError && message.test((e as Error).message)));
	}
});

test('main: usage errors exit 2, --help and --version exit 0 and print', async () => {
	const out: string[] = [];
	const err: string[] = [];
	const stdout = process.stdout.write;
	const stderr = process.stderr.write;
	process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
	process.stderr.write = ((chunk: string) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
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
	assert.match(out.join(''), /^rollout-cockpit \d+\.\d+\.\d+$/m);
});
