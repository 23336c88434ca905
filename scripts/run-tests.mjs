// Runs every test file under test/ on node's own runner through tsx. Node 20's --test takes no globs, so the
// files are listed here; the runner's summary (tests, pass, fail) is what CI reads. Every wait inside a test has its
// own deadline of seconds; a test file that still hangs fails after five minutes. Node 20's --test-timeout also
// bounds each file as a whole, whatever {timeout} its tests set, so it must leave room for the longest file on a
// loaded 2-core machine (the tmux rollouts, the 50-stream log memory test). --test-force-exit ends a file once its
// tests are done: a failed test may leave the behaviour it caught still running (a watch that was never closed
// retries forever), and the file must then fail at once instead of hanging until the five minutes are up.
import {spawn} from 'node:child_process';
import {readdirSync} from 'node:fs';
import {join} from 'node:path';

function testFiles(dir) {
	return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(path);
		return /\.test\.tsx?$/.test(entry.name) ? [path] : [];
	});
}

// --tap=FILE also writes the results as TAP to FILE (the kubectl matrix counts them from there); the screen keeps spec.
const tapArg = process.argv.slice(2).find((a) => a.startsWith('--tap='));
const tap = tapArg ? ['--test-reporter=tap', `--test-reporter-destination=${tapArg.slice('--tap='.length)}`] : [];
const only = process.argv.slice(2).filter((a) => !a.startsWith('--tap='));
const files = only.length > 0 ? only : testFiles('test').sort();
if (files.length === 0) {
	console.error('no test files found under test/');
	process.exit(1);
}
// Ink draws nothing but the last frame, at exit, when CI or CONTINUOUS_INTEGRATION is set (it reads them once, at
// load). The CLI drops both on a terminal before Ink loads (source/cli.tsx prepareEnvironment), so a user's screen is
// drawn in a CI job too; the tests' Ink must draw as the CLI's does, whatever CI this suite runs under.
const env = {...process.env};
delete env.CI;
delete env.CONTINUOUS_INTEGRATION;
const child = spawn(
	process.execPath,
	[
		'--import',
		'tsx',
		'--test',
		'--test-reporter=spec',
		...(tap.length ? ['--test-reporter-destination=stdout', ...tap] : []),
		'--test-concurrency=2',
		'--test-timeout=300000',
		'--test-force-exit',
		...files,
	],
	{stdio: 'inherit', env},
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
