// Start-up benchmark of the built CLI (`npm run bench`), in a real terminal: tmux gives
// `node dist/cli.js --demo` a 100x30 pty, and we measure
//   - first frame: when the header is on the screen (polled with capture-pane, and as the CLI itself
//     records it: ROLLOUT_COCKPIT_TIMINGS, ms since its process started);
//   - first list: when the deployments' first list has arrived (recorded by the CLI);
//   - pods Running: when the three nginx pods show Running (polled);
//   - memory: RSS at the first frame (recorded), and RSS / peak RSS of the process once pods run (/proc).
// Not a test: it prints figures. Usage: node scripts/bench.mjs [runs=7]
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist/cli.js');
const RUNS = Number(process.argv[2] ?? 7);
const SOCKET = `rc-bench-${process.pid}`;

const env = {...process.env};
delete env.CI;
delete env.CONTINUOUS_INTEGRATION;
delete env.TMUX;

const tmux = (...args) => run('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], {cwd: ROOT, env, timeout: 10_000});
const capture = async (target) => (await tmux('capture-pane', '-p', '-t', target)).stdout;

function procStatus(pid) {
	try {
		const text = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
		return {rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024)};
	} catch {
		return {rssMb: NaN, peakMb: NaN};
	}
}

async function until(what, timeoutMs, intervalMs, probe) {
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

async function once(i, dir) {
	const timings = path.join(dir, `timings-${i}.jsonl`);
	const session = `run${i}`;
	const t0 = performance.now();
	await tmux(
		'new-session',
		'-d',
		'-s',
		session,
		'-x',
		'100',
		'-y',
		'30',
		'-c',
		ROOT,
		'-e',
		`ROLLOUT_COCKPIT_TIMINGS=${timings}`,
		process.execPath,
		CLI,
		'--demo',
	);
	const pid = Number((await tmux('display-message', '-p', '-t', session, '#{pane_pid}')).stdout.trim());
	const headerSeen = await until('the header', 10_000, 5, async () =>
		(await capture(session)).includes('ctx ') ? performance.now() - t0 : undefined,
	);
	const podsSeen = await until('three Running pods', 20_000, 25, async () => {
		const screen = await capture(session);
		return (screen.match(/nginx-\w+-\w{5}\s+1\/1\s+Running/g) ?? []).length === 3 ? performance.now() - t0 : undefined;
	});
	const memory = procStatus(pid);
	await tmux('send-keys', '-t', session, 'q');
	await until('exit', 5_000, 20, async () => {
		const {stdout} = await tmux('list-panes', '-a', '-F', '#{session_name}').catch(() => ({stdout: ''}));
		return stdout.split('\n').includes(session) ? undefined : true;
	});
	const marks = Object.fromEntries(
		readFileSync(timings, 'utf8')
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l))
			.map((m) => [m.name, m]),
	);
	return {
		headerSeen,
		podsSeen,
		firstFrame: marks['first-frame']?.ms,
		firstFrameRss: marks['first-frame']?.rssMb,
		clusterStarted: marks['cluster-started']?.ms,
		firstList: marks['first-list']?.ms,
		...memory,
	};
}

const stats = (values) => {
	const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
	const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
	return {median: Math.round(median), min: Math.round(sorted[0]), max: Math.round(sorted.at(-1))};
};

if (!existsSync(CLI)) {
	console.log('dist/cli.js is missing: building it first');
	await run(process.execPath, ['scripts/build.mjs'], {cwd: ROOT});
}
const dir = mkdtempSync(path.join(tmpdir(), 'rollout-cockpit-bench-'));
// One tmux server for every run, kept up by an idle session, so its start-up is not counted.
await tmux('new-session', '-d', '-s', 'keeper', process.execPath, '-e', 'setInterval(() => {}, 1 << 30)');
const results = [];
try {
	// Node's own start-up on this machine, for scale.
	const nodeStart = [];
	for (let i = 0; i < 3; i++) {
		const t = performance.now();
		await run(process.execPath, ['-e', '0']);
		nodeStart.push(performance.now() - t);
	}
	for (let i = 0; i < RUNS; i++) {
		const r = await once(i, dir);
		results.push(r);
		console.log(
			`run ${i + 1}/${RUNS}: first frame ${r.firstFrame} ms (seen on screen ${Math.round(r.headerSeen)} ms), first list ${r.firstList} ms, 3 pods Running seen ${Math.round(r.podsSeen)} ms; RSS ${r.firstFrameRss} MB at first frame, ${r.rssMb} MB (peak ${r.peakMb} MB) with pods running`,
		);
	}
	const row = (label, values, unit) => {
		const s = stats(values);
		console.log(
			`${label.padEnd(44)} median ${String(s.median).padStart(5)} ${unit}   min ${String(s.min).padStart(5)}   max ${String(s.max).padStart(5)}`,
		);
	};
	console.log(
		`\nrollout-cockpit --demo, ${RUNS} runs in tmux 100x30 (node ${process.version}, load average ${(await import('node:os')).loadavg()[0].toFixed(2)})`,
	);
	row('node -e 0 (bare Node start-up)', nodeStart, 'ms');
	row(
		'first frame (CLI-recorded, from process start)',
		results.map((r) => r.firstFrame),
		'ms',
	);
	row(
		'first frame seen on screen (from tmux spawn)',
		results.map((r) => r.headerSeen),
		'ms',
	);
	row(
		'embedded cluster started',
		results.map((r) => r.clusterStarted),
		'ms',
	);
	row(
		'first list of deployments',
		results.map((r) => r.firstList),
		'ms',
	);
	row(
		'3 nginx pods Running on screen',
		results.map((r) => r.podsSeen),
		'ms',
	);
	row(
		'RSS at first frame',
		results.map((r) => r.firstFrameRss),
		'MB',
	);
	row(
		'RSS with pods running (incl. embedded cluster)',
		results.map((r) => r.rssMb),
		'MB',
	);
	row(
		'peak RSS',
		results.map((r) => r.peakMb),
		'MB',
	);
	const target = stats(results.map((r) => r.firstFrame)).median;
	console.log(`\ntarget: first frame within 1000 ms -> ${target <= 1000 ? 'met' : 'NOT met'} (median ${target} ms)`);
} finally {
	await tmux('kill-server').catch(() => {});
	rmSync(dir, {recursive: true, force: true});
}
