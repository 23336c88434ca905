// `npm run test:kubectl-matrix`: every kubectl test on every installed kubectl, 1.27 to 1.33. Two passes:
//   1. the whole suite with KUBECTL_VERSIONS=all, so each test that runs once per kubectl (test/helpers/kubectl.ts
//      kubectlVersions) runs with all seven releases;
//   2. every test file that drives the single default kubectl (defaultKubectl: the tmux stories, the CLI end to end)
//      once more per release, through KUBECTL=<binary> (1.32 ran in pass 1 as /usr/bin/kubectl).
// It prints, and writes to kubectl-matrix.json, the pass/fail counts per kubectl release, the failures by name, the
// wall time of each pass and the machine's load before and after. It takes tens of minutes on a loaded 2-core machine,
// so `npm test` does not run it. Exit status 1 when any test failed.
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {loadavg, tmpdir} from 'node:os';
import {join} from 'node:path';

const minors = [27, 28, 29, 30, 31, 32, 33];
const binOf = (minor) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
for (const minor of minors) {
	if (!existsSync(binOf(minor))) {
		console.error(`kubectl-matrix: ${binOf(minor)} is missing; install kubectl 1.${minor} (google-cloud-sdk) or run npm test`);
		process.exit(2);
	}
}

function testFiles(dir) {
	return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(path);
		return /\.test\.tsx?$/.test(entry.name) ? [path] : [];
	});
}

/** The test files that drive the one default kubectl: they name defaultKubectl from test/helpers/kubectl.ts. */
const singleKubectlFiles = testFiles('test')
	.filter((file) => /\bdefaultKubectl\b/.test(readFileSync(file, 'utf8')))
	.sort();

/** Leaf test results from a TAP file written by node's runner: name, ok, and the file-level failures too. */
function tapResults(file) {
	if (!existsSync(file)) return [];
	const lines = readFileSync(file, 'utf8').split('\n');
	const results = [];
	for (let i = 0; i < lines.length; i++) {
		const m = /^\s*(not ok|ok) \d+ - (.*)$/.exec(lines[i]);
		if (!m) continue;
		// The YAML block after a result says whether it was a describe() (a suite): only tests are counted.
		let suite = false;
		for (let j = i + 1; j < lines.length && !/^\s*(not ok|ok) \d+ - /.test(lines[j]) && !/# Subtest/.test(lines[j]); j++) {
			if (/^\s*type: 'suite'/.test(lines[j])) suite = true;
		}
		if (!suite) results.push({name: m[2].replace(/ # (SKIP|TODO).*$/, ''), ok: m[1] === 'ok'});
	}
	return results;
}

/** The runner's own totals, from the summary its spec reporter prints: tests, pass, fail and cancelled (a test file
 * past its time limit is cancelled, not failed). */
function summaryTotals(text) {
	const total = (name) => Number(new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
	return {tests: total('tests'), pass: total('pass'), fail: total('fail'), cancelled: total('cancelled')};
}

/** Runs scripts/run-tests.mjs with env and files; resolves with its exit code, TAP results and wall time. */
function runSuite(label, env, files) {
	const dir = mkdtempSync(join(tmpdir(), 'kubectl-matrix-'));
	const tap = join(dir, 'results.tap');
	const started = Date.now();
	const load = loadavg()[0];
	console.log(`\n=== ${label} (${files.length === 0 ? 'every test file' : `${files.length} files`}; load ${load.toFixed(2)}) ===`);
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['scripts/run-tests.mjs', `--tap=${tap}`, ...files], {
			stdio: ['ignore', 'pipe', 'inherit'],
			env: {...process.env, ...env},
		});
		// The output goes on to the screen; its last part holds the runner's summary, followed by the failures with their
		// stacks (12 failures took more than 8 KB, and the totals were read as 0).
		let tail = '';
		child.stdout.on('data', (d) => {
			process.stdout.write(d);
			tail = (tail + String(d)).slice(-1_048_576);
		});
		child.on('exit', (code) => {
			const results = tapResults(tap);
			const totals = summaryTotals(tail);
			rmSync(dir, {recursive: true, force: true});
			resolve({
				label,
				code,
				results,
				totals,
				seconds: Math.round((Date.now() - started) / 1000),
				loadBefore: load,
				loadAfter: loadavg()[0],
			});
		});
	});
}

/** Which release a test ran with: its name says "kubectl 1.NN" for the per-version tests. */
const minorInName = (name) => Number(/kubectl 1\.(\d\d)\b/.exec(name)?.[1] ?? Number.NaN);

const started = Date.now();
const uptimeBefore = loadavg();
const passes = [];
passes.push(await runSuite('the whole suite, KUBECTL_VERSIONS=all', {KUBECTL_VERSIONS: 'all', KUBECTL: ''}, []));
for (const minor of minors.filter((m) => m !== 32)) {
	passes.push(
		await runSuite(
			`the single-kubectl tests with KUBECTL=${binOf(minor)}`,
			{KUBECTL: binOf(minor), KUBECTL_VERSIONS: ''},
			singleKubectlFiles,
		),
	);
}

// Per release: the per-version tests of pass 1 that name it, plus every test of its own pass 2.
const perVersion = minors.map((minor) => {
	const named = passes[0].results.filter((r) => minorInName(r.name) === minor);
	// 1.32's single-kubectl run is pass 1's (/usr/bin/kubectl is 1.32), counted in that pass's totals.
	const own = passes.find((p) => p.label.includes(`kubectl.1.${minor}`))?.results ?? [];
	const all = [...named, ...own];
	const ownPass = passes.find((p) => p.label.includes(`kubectl.1.${minor}`));
	return {
		kubectl: `1.${minor}`,
		pass: all.filter((r) => r.ok).length,
		fail: all.filter((r) => !r.ok).length,
		// A test file past its time limit is cancelled, not failed: it is counted apart.
		cancelledFiles: ownPass?.totals.cancelled ?? 0,
		failures: all.filter((r) => !r.ok).map((r) => r.name),
	};
});
const report = {
	date: new Date().toISOString(),
	minutes: Math.round((Date.now() - started) / 600) / 100,
	loadBefore: uptimeBefore.map((l) => Number(l.toFixed(2))),
	loadAfter: loadavg().map((l) => Number(l.toFixed(2))),
	cores: (await import('node:os')).cpus().length,
	singleKubectlFiles,
	passes: passes.map((p) => ({
		label: p.label,
		exitCode: p.code,
		seconds: p.seconds,
		...p.totals,
		loadBefore: Number(p.loadBefore.toFixed(2)),
		loadAfter: Number(p.loadAfter.toFixed(2)),
	})),
	perVersion,
};
writeFileSync('kubectl-matrix.json', `${JSON.stringify(report, null, '\t')}\n`);
console.log('\n=== kubectl matrix ===');
console.log(
	`${report.minutes} min in all; load average ${report.loadBefore.join(' ')} before, ${report.loadAfter.join(' ')} after (${report.cores} cores)`,
);
for (const p of report.passes)
	console.log(
		`${p.label}: ${p.tests} tests, ${p.pass} pass, ${p.fail} fail, ${p.cancelled} cancelled, ${p.seconds} s (exit ${p.exitCode})`,
	);
for (const v of perVersion) {
	console.log(`kubectl ${v.kubectl}: ${v.pass} pass, ${v.fail} fail${v.cancelledFiles ? `, ${v.cancelledFiles} file(s) cancelled` : ''}`);
	for (const name of v.failures) console.log(`    failed: ${name}`);
}
console.log('(written to kubectl-matrix.json)');
process.exit(passes.every((p) => p.code === 0) ? 0 : 1);
