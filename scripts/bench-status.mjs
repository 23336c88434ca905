// `rollout-cockpit status` next to `kubectl rollout status` (/usr/bin/kubectl), on the same embedded cluster in one
// run, as ratios (the machine is shared): wall and CPU time (user + system, from /usr/bin/time) of
//   - one look at a complete rollout (status DEPLOY vs kubectl rollout status --watch=false): start-up dominates;
//   - a watched rollout of 3 pods (status DEPLOY --watch vs kubectl rollout status), both started on a paused
//     rollout and timed from the resume to their exit: the rollout dominates.
// Not a test: it prints figures and the load. Usage: node scripts/bench-status.mjs [runs=5]
import {execFile, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {loadavg, tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist/cli.js');
const KUBECTL = '/usr/bin/kubectl';
const RUNS = Number(process.argv[2] ?? 5);
const dir = mkdtempSync(path.join(tmpdir(), 'bench-status-'));
const kubeconfig = path.join(dir, 'kubeconfig');

// A program under /usr/bin/time: its output, its wall time from spawn (or from `since()`), and its CPU seconds.
function timed(argv) {
	const timesFile = path.join(dir, `time-${Math.random().toString(36).slice(2)}`);
	const started = performance.now();
	const child = spawn('/usr/bin/time', ['-o', timesFile, '-f', '%U %S', ...argv], {stdio: ['ignore', 'pipe', 'pipe']});
	let out = '';
	child.stdout.on('data', (d) => (out += d));
	child.stderr.on('data', (d) => (out += d));
	const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
	const done = new Promise((resolve) =>
		child.on('close', (code) => {
			clearTimeout(killer);
			const [user, sys] = readFileSync(timesFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
			resolve({code, out, end: performance.now(), started, cpuS: user + sys});
		}),
	);
	return {output: () => out, done};
}

const kubectl = (...args) => run(KUBECTL, ['--kubeconfig', kubeconfig, ...args], {timeout: 60_000});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs, unit) =>
	`median ${median(xs).toFixed(unit === 's' ? 2 : 0)} ${unit} (${xs.map((x) => x.toFixed(unit === 's' ? 2 : 0)).join(', ')})`;

async function waitFor(what, check, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: npm run build');
const sim = spawn(process.execPath, [CLI, 'sim', '--kubeconfig-out', kubeconfig], {stdio: ['ignore', 'pipe', 'pipe']});
try {
	await waitFor('the sim', () => existsSync(kubeconfig));
	await kubectl('rollout', 'status', 'deployment/nginx', '--timeout=60s');
	const look = {ours: {wall: [], cpu: []}, kubectl: {wall: [], cpu: []}};
	for (let i = 0; i < RUNS; i++) {
		for (const [who, argv] of [
			['ours', [process.execPath, CLI, 'status', 'nginx', '--kubeconfig', kubeconfig]],
			['kubectl', [KUBECTL, '--kubeconfig', kubeconfig, 'rollout', 'status', 'deployment/nginx', '--watch=false']],
		]) {
			const r = await timed(argv).done;
			if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}: ${r.out}`);
			look[who].wall.push(r.end - r.started);
			look[who].cpu.push(r.cpuS);
		}
	}
	const watch = {ours: {wall: [], cpu: []}, kubectl: {wall: [], cpu: []}};
	const images = ['nginx:1.20.1', 'nginx:1.18'];
	for (let i = 0; i < RUNS; i++) {
		await kubectl('rollout', 'pause', 'deployment/nginx');
		await kubectl('set', 'image', 'deployment/nginx', `nginx=${images[i % 2]}`);
		const ours = timed([process.execPath, CLI, 'status', 'nginx', '--watch', '--kubeconfig', kubeconfig]);
		const theirs = timed([KUBECTL, '--kubeconfig', kubeconfig, 'rollout', 'status', 'deployment/nginx']);
		await waitFor('both watching', () => ours.output().includes('Waiting') && theirs.output().includes('Waiting'));
		const resumed = performance.now();
		await kubectl('rollout', 'resume', 'deployment/nginx');
		for (const [who, p] of [
			['ours', ours],
			['kubectl', theirs],
		]) {
			const r = await p.done;
			if (r.code !== 0) throw new Error(`${who} exited ${r.code}: ${r.out}`);
			watch[who].wall.push(r.end - resumed);
			watch[who].cpu.push(r.cpuS);
		}
	}
	const ratio = (a, b) => (median(a) / median(b)).toFixed(2);
	console.log(
		`load ${loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')} (2 cores), ${RUNS} runs each`,
	);
	for (const [name, m] of [
		['one look at a complete rollout', look],
		['a watched rollout of 3 pods, from the resume', watch],
	]) {
		console.log(`${name}:`);
		console.log(`  status             wall ${fmt(m.ours.wall, 'ms')}, cpu ${fmt(m.ours.cpu, 's')}`);
		console.log(`  kubectl            wall ${fmt(m.kubectl.wall, 'ms')}, cpu ${fmt(m.kubectl.cpu, 's')}`);
		console.log(`  ratio status/kubectl: wall ${ratio(m.ours.wall, m.kubectl.wall)}, cpu ${ratio(m.ours.cpu, m.kubectl.cpu)}`);
	}
} finally {
	sim.kill('SIGTERM');
	await new Promise((r) => sim.on('close', r));
	rmSync(dir, {recursive: true, force: true});
}
