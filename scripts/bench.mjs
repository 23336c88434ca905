// The benchmark (`npm run bench`): the built cockpit against the embedded cluster's scale scenario, side by side in
// one run with `kubectl get pods -w` and the floor (one raw GET of the pod list plus JSON.parse), and `--demo`'s
// start-up. Each case runs a fresh cluster in a process of its own (scripts/bench/sim.ts), then, one after the
// other so that they never compete for the cores: the floor three times, kubectl, the cockpit in tmux at 160x50
// (started --starts times, 3 by default: the first frame is the median of the starts, as the floor's of its three).
//
// What it measures, per case (pods, changes per second):
//   - first complete frame: ms from the cockpit's process start to the first frame it wrote that counts all N pods
//     (its own record, ROLLOUT_COCKPIT_TIMINGS), the median of its starts; the floor's time counts from its process start too, kubectl's
//     first complete listing (N rows on its stdout) from its spawn; and the CPU time the cockpit and the floor spent
//     until then (process.cpuUsage()), which a loaded machine does not stretch as it stretches wall time;
//   - CPU: the process' CPU time (utime+stime from /proc/PID/stat) over a window of wall time once listed;
//   - peak RSS: VmHWM from /proc/PID/status at the end of the window;
//   - bytes to the terminal per second over the window: every byte the cockpit wrote to stdout (counted in-process);
//   - change-to-screen latency: from the cluster writing a pod change (the sim's log, wall clock) to the cockpit
//     drawing a frame painted from a state that holds it; "all" counts every change (a change off screen is
//     "shown" once a frame painted after it went out), "visible" only changes of pods whose row is on screen when
//     they are made, timed to the frame that wrote their new row (a row that left the screen first is counted apart:
//     the diagnosis line of a stuck pod can take a row from the pods pane, and give it back);
//   - keys: ms from `tmux send-keys j` to the moved selection in `capture-pane` (the whole path a user waits);
//   - torn frames: back-to-back `capture-pane`s that show a frame not wholly drawn (a row missing or cut).
// Figures are printed as a table; `--json` adds one JSON object on the last line.
//
// Usage: node scripts/bench.mjs [--pods 1000,5000,20000] [--churn 0,10,100] [--seconds 20] [--captures 300]
//        [--keys 10] [--demo-runs 5] [--starts 3] [--json]
import {execFile, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SOCKET = `rc-bench-${process.pid}`;
const COLUMNS = 160;
const ROWS = 50;

function parseArgs(argv) {
	const o = {pods: [1000, 5000, 20000], churn: [0, 10, 100], seconds: 20, captures: 300, keys: 10, demoRuns: 5, starts: 3, json: false};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = () => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${a} needs a value`);
			return v;
		};
		const list = (v) => v.split(',').map((x) => Number(x));
		if (a === '--json') o.json = true;
		else if (a === '--pods') o.pods = list(value());
		else if (a === '--churn') o.churn = list(value());
		else if (a === '--seconds') o.seconds = Number(value());
		else if (a === '--captures') o.captures = Number(value());
		else if (a === '--keys') o.keys = Number(value());
		else if (a === '--demo-runs') o.demoRuns = Number(value());
		else if (a === '--starts') o.starts = Number(value());
		else
			throw new Error(
				`unknown argument ${a}; usage: node scripts/bench.mjs [--pods N,..] [--churn R,..] [--seconds S] [--captures K] [--keys K] [--demo-runs K] [--starts K] [--json]`,
			);
	}
	if (!Number.isInteger(o.starts) || o.starts < 1) throw new Error(`--starts needs a whole number of 1 or more: ${o.starts}`);
	for (const n of [...o.pods, ...o.churn, o.seconds, o.captures, o.keys, o.demoRuns])
		if (!Number.isFinite(n) || n < 0) throw new Error(`not a number of 0 or more: ${n}`);
	return o;
}

const options = parseArgs(process.argv.slice(2));
const env = {...process.env};
delete env.CI;
delete env.CONTINUOUS_INTEGRATION;
delete env.TMUX;

// What we started that must not outlive us: kubectl, and the tmux server (the sims stop when their stdin closes).
const children = new Set();
for (const signal of ['SIGTERM', 'SIGINT'])
	process.on(signal, () => {
		for (const child of children) child.kill('SIGKILL');
		execFile('tmux', ['-L', SOCKET, 'kill-server'], () => process.exit(128 + os.constants.signals[signal]));
	});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const tmux = (...args) => run('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], {cwd: ROOT, env, timeout: 10_000});
const capture = async (target) => (await tmux('capture-pane', '-p', '-t', target)).stdout;
const load = () => Number(os.loadavg()[0].toFixed(2));

async function until(what, timeoutMs, intervalMs, probe) {
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(intervalMs);
	}
}

// CPU seconds (user + system) of a process so far.
function cpuSeconds(pid) {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

function memoryMb(pid) {
	const text = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
	return {rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024)};
}

const median = (values) => {
	const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
	if (s.length === 0) return Number.NaN;
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const percentile = (values, p) => {
	const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
	if (s.length === 0) return Number.NaN;
	return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

const readLines = (file) =>
	existsSync(file)
		? readFileSync(file, 'utf8')
				.split('\n')
				.filter((l) => l.trim() !== '')
				.map((l) => JSON.parse(l))
		: [];

// A fresh cluster of `pods` pods making `churn` pod changes a second, in its own process.
async function startSim(dir, pods, churn) {
	const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/sim.ts', dir, String(pods), String(churn)], {
		cwd: ROOT,
		env,
		stdio: ['pipe', 'ignore', 'pipe'],
	});
	let stderr = '';
	child.stderr.on('data', (d) => {
		stderr += d;
	});
	const ready = path.join(dir, 'ready.json');
	await until(`the cluster of ${pods} pods`, 300_000, 200, async () => {
		if (child.exitCode !== null) throw new Error(`the sim exited (${child.exitCode}): ${stderr}`);
		return existsSync(ready) ? true : undefined;
	});
	return {
		child,
		ready,
		...JSON.parse(readFileSync(ready, 'utf8')),
		async stop() {
			child.stdin.end();
			const exited = new Promise((resolve) => child.once('exit', resolve));
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(timer);
		},
	};
}

async function floor(sim, runs = 3) {
	const results = [];
	for (let i = 0; i < runs; i++) {
		const {stdout} = await run(
			process.execPath,
			[path.join(ROOT, 'scripts/bench/floor.mjs'), sim.ready, '/api/v1/namespaces/default/pods?labelSelector=app%3Dbig'],
			{
				timeout: 120_000,
				maxBuffer: 1 << 20,
			},
		);
		results.push(JSON.parse(stdout.trim()));
	}
	return {
		ms: median(results.map((r) => r.sinceStartMs)),
		cpuMs: median(results.map((r) => r.cpuMs)),
		requestMs: median(results.map((r) => r.requestMs)),
		mb: Number((results[0].bytes / 1048576).toFixed(1)),
		items: results[0].items,
	};
}

// `kubectl get pods -w`: the first complete listing (N rows and the header on its stdout), then CPU and memory
// while it watches for `seconds`.
async function kubectl(sim, pods, seconds) {
	const t0 = performance.now();
	const child = spawn('kubectl', ['get', 'pods', '-w', '-n', 'default', '--kubeconfig', sim.kubeconfig], {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.add(child);
	child.once('exit', () => children.delete(child));
	let lines = 0;
	let firstMs;
	child.stdout.on('data', (d) => {
		for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
		if (firstMs === undefined && lines >= pods + 1) firstMs = performance.now() - t0;
	});
	try {
		await until('kubectl get pods -w to list every pod', 300_000, 20, async () => firstMs);
		const cpu0 = cpuSeconds(child.pid);
		await sleep(seconds * 1000);
		const cpu = (cpuSeconds(child.pid) - cpu0) / seconds;
		return {firstMs: Math.round(firstMs), cpuPct: Math.round(cpu * 1000) / 10, ...memoryMb(child.pid)};
	} finally {
		child.kill('SIGTERM');
	}
}

// Whether a capture of the cockpit is a whole frame: header, the panes' titles and column header, every pod row
// complete (name to revision), and the status line with its hint at the bottom of the frame.
function wholeFrame(screen) {
	const lines = screen.split('\n');
	if (!/^ctx \S/.test(lines[0] ?? '')) return false;
	if (!/RollingUpdate/.test(lines[1] ?? '')) return false;
	if (!/Pods \d+/.test(screen) || !/Events \d+/.test(screen)) return false;
	if (!/q quit\s*$/.test(lines[ROWS - 2] ?? '')) return false;
	const header = lines.findIndex((l) => /^ {2}NAME\s+READY/.test(l));
	if (header < 0) return false;
	const rows = lines.slice(header + 1, ROWS - 2);
	return rows.every((l) => /^[› ] big-\w+-\w+\s+\d+\/\d+\s+\S+\s+\d+.*\s\d+\s/.test(l));
}

// Starts of the cockpit that only wait for its first complete frame and quit: a start is one sample of a noisy
// figure, and the floor's is the median of three, so the cockpit's is too (these, and the start of the long run).
async function firstFrames(sim, pods, dir, count) {
	const firsts = [];
	for (let i = 0; i < count; i++) {
		const timings = path.join(dir, `start-${i}.jsonl`);
		const session = `start-${i}`;
		await startCockpit(sim, session, timings);
		try {
			const first = await firstFrame(timings, pods, `start ${i + 1}'s first frame with ${pods} pods`);
			firsts.push({ms: first.ms, cpuMs: first.cpuMs});
		} finally {
			await quitCockpit(session, `start ${i + 1} to quit`);
		}
	}
	return firsts;
}

// The cockpit on deployment big in a tmux session of its own at 160x50, its timings written to `timings`.
async function startCockpit(sim, session, timings) {
	await tmux(
		'new-session',
		'-d',
		'-s',
		session,
		'-x',
		String(COLUMNS),
		'-y',
		String(ROWS),
		'-e',
		`KUBECONFIG=${sim.kubeconfig}`,
		'-e',
		`ROLLOUT_COCKPIT_TIMINGS=${timings}`,
		'-e',
		'LANG=C.UTF-8',
		process.execPath,
		CLI,
		'big',
		'--no-probe',
	);
}

// The cockpit's record of its first frame that counts all `pods` pods.
function firstFrame(timings, pods, what) {
	return until(what, 300_000, 25, async () => readLines(timings).find((l) => l.name === 'draw' && l.bytes > 0 && l.pods === pods));
}

// Quits the cockpit with q, and kills its session if it has not ended within 10 s.
async function quitCockpit(session, what) {
	await tmux('send-keys', '-t', session, 'q').catch(() => {});
	await until(what, 10_000, 50, async () => {
		const {stdout} = await tmux('list-sessions', '-F', '#{session_name}').catch(() => ({stdout: ''}));
		return stdout.split('\n').includes(session) ? undefined : true;
	}).catch(() => tmux('kill-session', '-t', session).catch(() => {}));
}

// The cockpit in tmux at 160x50 on deployment big: first complete frame, then a window of CPU, bytes and latency.
async function cockpit(sim, pods, seconds, dir, {captures, keys}) {
	const timings = path.join(dir, 'timings.jsonl');
	const session = 'cockpit';
	const started = Date.now();
	await startCockpit(sim, session, timings);
	const pid = Number((await tmux('display-message', '-p', '-t', session, '#{pane_pid}')).stdout.trim());
	try {
		const first = await firstFrame(timings, pods, `the cockpit's first frame with ${pods} pods`);
		const seen = await until('"Pods N" on screen', 30_000, 25, async () =>
			(await capture(session)).includes(`Pods ${pods} `) ? Date.now() : undefined,
		);
		// Settle: the first frames after the list are not what watching costs.
		await sleep(2000);
		const cpu0 = cpuSeconds(pid);
		const w0 = Date.now();
		const before = readLines(timings).filter((l) => l.name === 'draw');
		await sleep(seconds * 1000);
		const cpu = (cpuSeconds(pid) - cpu0) / seconds;
		const w1 = Date.now();
		const memory = memoryMb(pid);
		// Changes in the last second of the window may not be drawn yet; they are left out.
		await sleep(1000);
		const draws = readLines(timings).filter((l) => l.name === 'draw');
		const out0 = before.at(-1)?.out ?? 0;
		const out1 = draws.filter((d) => d.t <= w1).at(-1)?.out ?? out0;
		const latency = changeToScreen(readLines(sim.changesFile), draws, w0, w1 - 1000);
		const frames = draws.filter((d) => d.t > w0 && d.t <= w1 && d.bytes > 0).length;
		const torn = await tornFrames(session, captures);
		const keyMs = await keyLatency(session, keys);
		return {
			firstMs: first.ms,
			firstCpuMs: first.cpuMs,
			seenMs: seen - started,
			cpuPct: Math.round(cpu * 1000) / 10,
			...memory,
			kbPerS: Number(((out1 - out0) / 1024 / ((w1 - w0) / 1000)).toFixed(2)),
			framesPerS: Number((frames / ((w1 - w0) / 1000)).toFixed(1)),
			latency,
			torn,
			keyMs,
		};
	} finally {
		await quitCockpit(session, 'the cockpit to quit');
	}
}

// Change-to-screen latency of the cluster's pod changes written in [from, to].
function changeToScreen(changes, draws, from, to) {
	const inWindow = changes.filter((c) => c.t >= from && c.t <= to);
	const all = [];
	let d = 0;
	const sorted = [...inWindow].sort((a, b) => a.rv - b.rv);
	for (const c of sorted) {
		while (d < draws.length && !(Number(draws[d].podsRv) >= c.rv)) d++;
		if (d < draws.length) all.push(draws[d].t - c.t);
	}
	// Which rows were on screen when: each draw says which rows came onto the screen and which went off it. A change
	// counts only if its pod's row was on screen when it was made; it is timed to the first frame that drew the row
	// with it, and is missed if none did while the row stayed on screen.
	const onScreenAt = (name, t) => {
		let on = false;
		for (const x of draws) {
			if (x.t > t) break;
			if (x.entered && name in x.entered) on = true;
			if (x.left?.includes(name)) on = false;
		}
		return on;
	};
	const visible = [];
	let missed = 0;
	let offScreen = 0;
	for (const c of inWindow) {
		if (!onScreenAt(c.name, c.t)) continue;
		let timed = false;
		let gone = false;
		for (const x of draws) {
			if (x.t < c.t) continue;
			if (Number(x.visible?.[c.name]) >= c.rv) {
				visible.push(x.t - c.t);
				timed = true;
				break;
			}
			if (x.left?.includes(c.name)) {
				gone = true;
				break;
			}
		}
		if (gone) offScreen++;
		else if (!timed) missed++;
	}
	const round = (v) => (Number.isFinite(v) ? Math.round(v) : null);
	return {
		changes: inWindow.length,
		drawn: all.length,
		p50: round(percentile(all, 50)),
		p99: round(percentile(all, 99)),
		visible: {
			changes: visible.length + missed,
			offScreen,
			missed,
			p50: round(percentile(visible, 50)),
			p99: round(percentile(visible, 99)),
			max: round(Math.max(...visible)),
		},
	};
}

async function tornFrames(session, count) {
	let torn = 0;
	let example;
	for (let i = 0; i < count; i++) {
		const screen = await capture(session);
		if (!wholeFrame(screen)) {
			torn++;
			example ??= screen;
		}
	}
	return {captures: count, torn, example};
}

// ms from send-keys j to the selection marker on the next row, `count` times.
async function keyLatency(session, count) {
	const samples = [];
	const selected = (screen) => screen.split('\n').findIndex((l) => /^› big-/.test(l));
	for (let i = 0; i < count; i++) {
		const before = selected(await capture(session));
		const t0 = performance.now();
		await tmux('send-keys', '-t', session, 'j');
		await until('the selection to move', 10_000, 2, async () => (selected(await capture(session)) !== before ? true : undefined));
		samples.push(performance.now() - t0);
		await sleep(200);
	}
	return {presses: count, p50: Math.round(median(samples)), max: Math.round(Math.max(...samples))};
}

// `rollout-cockpit --demo`: ms from its process start to its first frame, and to the header seen on screen.
async function demo(runs) {
	const results = [];
	for (let i = 0; i < runs; i++) {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'rollout-cockpit-bench-demo-'));
		const timings = path.join(dir, 'timings.jsonl');
		const session = `demo${i}`;
		try {
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
				'-e',
				`ROLLOUT_COCKPIT_TIMINGS=${timings}`,
				process.execPath,
				CLI,
				'--demo',
			);
			const seen = await until('the demo header', 15_000, 5, async () =>
				(await capture(session)).includes('ctx ') ? performance.now() - t0 : undefined,
			);
			const first = await until('the demo first-frame mark', 15_000, 20, async () =>
				readLines(timings).find((l) => l.name === 'first-frame'),
			);
			results.push({firstMs: first.ms, cpuMs: first.cpuMs, seenMs: Math.round(seen)});
		} finally {
			await tmux('kill-session', '-t', session).catch(() => {});
			rmSync(dir, {recursive: true, force: true});
		}
	}
	return {
		runs,
		firstMs: median(results.map((r) => r.firstMs)),
		maxMs: Math.max(...results.map((r) => r.firstMs)),
		cpuMs: median(results.map((r) => r.cpuMs)),
		seenMs: median(results.map((r) => r.seenMs)),
	};
}

function table(report) {
	const rows = [
		[
			'pods',
			'chg/s',
			'load',
			'first frame',
			'floor',
			'CPU to first frame / floor',
			'kubectl first',
			'frame/floor',
			'CPU',
			'kubectl CPU',
			'peak RSS',
			'kubectl RSS',
			'to terminal',
			'change-to-screen p50/p99 (n)',
			'on screen p50/p99 (n)',
			'key p50/max',
			'torn',
		],
	];
	for (const c of report.cases) {
		const l = c.cockpit.latency;
		rows.push([
			c.pods.toLocaleString('en'),
			String(c.churn),
			`${c.load.start}-${c.load.end}`,
			`${c.cockpit.firstMs} ms`,
			`${c.floor.ms} ms`,
			`${c.cockpit.firstCpuMs}/${c.floor.cpuMs} ms`,
			`${c.kubectl.firstMs} ms`,
			(c.cockpit.firstMs / c.floor.ms).toFixed(2),
			`${c.cockpit.cpuPct}%`,
			`${c.kubectl.cpuPct}%`,
			`${c.cockpit.peakMb} MB`,
			`${c.kubectl.peakMb} MB`,
			`${c.cockpit.kbPerS} KB/s`,
			l.drawn > 0 ? `${l.p50}/${l.p99} ms (${l.drawn})` : '-',
			l.visible.changes > 0
				? `${l.visible.p50}/${l.visible.p99} ms (${l.visible.changes - l.visible.missed}${l.visible.missed ? `, ${l.visible.missed} missed` : ''})`
				: '-',
			c.cockpit.keyMs.presses > 0 ? `${c.cockpit.keyMs.p50}/${c.cockpit.keyMs.max} ms` : '-',
			c.cockpit.torn.captures > 0 ? `${c.cockpit.torn.torn}/${c.cockpit.torn.captures}` : '-',
		]);
	}
	const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
	return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ')).join('\n');
}

if (!existsSync(CLI)) {
	console.log('dist/cli.js is missing: building it first');
	await run(process.execPath, ['scripts/build.mjs'], {cwd: ROOT});
}
const report = {
	machine: {cpus: os.cpus().length, node: process.version, kubectl: '', tmux: '', terminal: `${COLUMNS}x${ROWS}`, seconds: options.seconds},
	demo: undefined,
	cases: [],
};
report.machine.kubectl = JSON.parse((await run('kubectl', ['version', '--client', '-o', 'json'])).stdout).clientVersion?.gitVersion ?? '';
report.machine.tmux = (await run('tmux', ['-V'])).stdout.trim();
// One tmux server for every run, kept up by an idle session, so its start-up is not counted.
await tmux('new-session', '-d', '-s', 'keeper', process.execPath, '-e', 'setInterval(() => {}, 1 << 30)');
try {
	if (options.demoRuns > 0) {
		report.demo = {load: load(), ...(await demo(options.demoRuns))};
		console.log(
			`--demo first frame: median ${report.demo.firstMs} ms from process start (max ${report.demo.maxMs} ms, ${report.demo.cpuMs} ms of CPU), header seen ${report.demo.seenMs} ms after spawn; ${options.demoRuns} runs, load ${report.demo.load}`,
		);
	}
	for (const pods of options.pods) {
		for (const churn of options.churn) {
			const dir = mkdtempSync(path.join(os.tmpdir(), 'rollout-cockpit-bench-'));
			const loadStart = load();
			const sim = await startSim(dir, pods, churn);
			sim.changesFile = path.join(dir, 'changes.jsonl');
			try {
				await sleep(2000);
				const floorResult = await floor(sim);
				const kubectlResult = await kubectl(sim, pods, options.seconds);
				const starts = await firstFrames(sim, pods, dir, options.starts - 1);
				const cockpitResult = await cockpit(sim, pods, options.seconds, dir, {
					captures: churn > 0 ? options.captures : 0,
					keys: options.keys,
				});
				starts.push({ms: cockpitResult.firstMs, cpuMs: cockpitResult.firstCpuMs});
				cockpitResult.firsts = starts;
				cockpitResult.firstMs = median(starts.map((f) => f.ms));
				cockpitResult.firstCpuMs = median(starts.map((f) => f.cpuMs));
				const c = {pods, churn, load: {start: loadStart, end: load()}, floor: floorResult, kubectl: kubectlResult, cockpit: cockpitResult};
				report.cases.push(c);
				const l = cockpitResult.latency;
				console.log(
					`${pods} pods, ${churn} changes/s (load ${c.load.start}-${c.load.end}): first frame median ${cockpitResult.firstMs} ms of ${cockpitResult.firsts.map((f) => f.ms).join(', ')}, ${cockpitResult.firstCpuMs} ms of CPU (floor ${floorResult.ms} ms, ${floorResult.cpuMs} ms of CPU; kubectl ${kubectlResult.firstMs} ms); CPU ${cockpitResult.cpuPct}% (kubectl ${kubectlResult.cpuPct}%); peak RSS ${cockpitResult.peakMb} MB (kubectl ${kubectlResult.peakMb} MB); ${cockpitResult.kbPerS} KB/s, ${cockpitResult.framesPerS} frames/s; change-to-screen p50 ${l.p50} p99 ${l.p99} ms of ${l.drawn}/${l.changes}, on screen p50 ${l.visible.p50} p99 ${l.visible.p99} ms of ${l.visible.changes}; keys ${cockpitResult.keyMs.p50}/${cockpitResult.keyMs.max} ms; torn ${cockpitResult.torn.torn}/${cockpitResult.torn.captures}`,
				);
				if (cockpitResult.torn.example) console.log(`a torn capture:\n${cockpitResult.torn.example}`);
				delete cockpitResult.torn.example;
			} finally {
				await sim.stop();
				rmSync(dir, {recursive: true, force: true});
			}
		}
	}
	console.log(
		`\nrollout-cockpit against the embedded cluster, ${report.machine.cpus} cores, node ${report.machine.node}, kubectl ${report.machine.kubectl}, ${report.machine.tmux}, ${COLUMNS}x${ROWS}, ${options.seconds} s windows`,
	);
	console.log(table(report));
	if (options.json) console.log(JSON.stringify(report));
} finally {
	await tmux('kill-server').catch(() => {});
}
