// The embedded cluster at scale, measured with the real kubectl in one run (`npm run bench:sim [-- --json]`).
// Not a test: it prints figures (and, with --json, one JSON document) and says which of issue 9's bars they meet.
//   1. create:  `sim --scenario empty`, `kubectl create deployment big --replicas=N` (20,000), time until N are
//               available at speed 1 with the default per-pod delays; the sim's CPU and memory meanwhile.
//   2. churn:   first an idle sim's /version latency (the machine's floor at that moment); then
//               `sim --scenario scale --pods N --churn R` (20,000, 100), with a pod watch open (as the cockpit has):
//               the sim's CPU time over wall time for a window, /version latency (keep-alive and new connections),
//               `kubectl get pods -l app=big` of all N, every page of 500 as kubectl asks for it (Table), then a
//               `kubectl set image` rollout to `kubectl rollout status` "successfully rolled out", with the
//               ReplicaSets' counts checked every half second and the ScalingReplicaSet events followed throughout.
//   3. big:     `sim --scenario scale --pods 100000 --namespaces 20`: time to start, memory.
// CPU figures are CPU time of the sim process (utime+stime from /proc) over wall time: 100% is one core. The
// machine's load average is printed with them, since other work shares the cores.
// Options: --json, --small (tiny sizes, for the suite: it runs every step but asserts nothing about time),
// --only create,churn,big, --kubectl PATH, --create N, --pods N, --churn R, --big N, --big-namespaces K, --window S,
// --status-timeout D (how long rollout status waits once the churn is paused; 10m), --no-rollout (the churn step
// without its rollout), --cpu-prof DIR (each sim writes a V8 CPU profile there when it stops; read it with
// scripts/profile-summary.mjs, after a build with BUILD_MINIFY=0 for readable names).
import {execFile, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {Agent, request} from 'node:https';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist/cli.js');

// Options

function parseOptions(argv) {
	const small = argv.includes('--small');
	const o = {
		json: argv.includes('--json'),
		small,
		only: ['create', 'churn', 'big'],
		kubectl: '/usr/bin/kubectl',
		create: small ? 200 : 20_000,
		pods: small ? 600 : 20_000,
		churn: small ? 20 : 100,
		big: small ? 2_000 : 100_000,
		bigNamespaces: small ? 5 : 20,
		window: small ? 3 : 30,
		statusTimeout: '10m',
		rollout: !argv.includes('--no-rollout'),
		cpuProf: undefined,
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = () => argv[++i];
		if (a === '--only') o.only = value().split(',');
		else if (a === '--kubectl') o.kubectl = value();
		else if (a === '--create') o.create = Number(value());
		else if (a === '--pods') o.pods = Number(value());
		else if (a === '--churn') o.churn = Number(value());
		else if (a === '--big') o.big = Number(value());
		else if (a === '--big-namespaces') o.bigNamespaces = Number(value());
		else if (a === '--window') o.window = Number(value());
		else if (a === '--status-timeout') o.statusTimeout = value();
		else if (a === '--cpu-prof') o.cpuProf = path.resolve(value());
		else if (a !== '--json' && a !== '--small' && a !== '--no-rollout') throw new Error(`bench-sim: unknown option ${a}`);
	}
	return o;
}

// The process under test

function newestMtime(dir) {
	let newest = 0;
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const full = path.join(dir, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
	}
	return newest;
}

/** Builds dist/cli.js when it is missing or older than the sources. */
async function ensureBuilt() {
	if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestMtime(path.join(ROOT, 'source'))) return;
	await run(process.execPath, ['scripts/build.mjs'], {cwd: ROOT, timeout: 180_000});
}

const clockTicks = 100; // USER_HZ on Linux

function procStat(pid) {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) / clockTicks; // utime + stime, seconds
}

function procMemory(pid) {
	const text = readFileSync(`/proc/${pid}/status`, 'utf8');
	const mb = (key) => Math.round(Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN) / 1024);
	return {rssMb: mb('VmRSS'), peakMb: mb('VmHWM')};
}

/** Starts `rollout-cockpit sim ARGS` and resolves once it says it runs: pid, API access, stop(). */
async function startSim(o, args, timeoutMs = 600_000) {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'rc-bench-sim-'));
	const kubeconfig = path.join(dir, 'kubeconfig');
	const t0 = performance.now();
	const nodeArgs = o.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProf] : [];
	const child = spawn(process.execPath, [...nodeArgs, CLI, 'sim', '--kubeconfig-out', kubeconfig, ...args], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout.on('data', (d) => (out += d));
	child.stderr.on('data', (d) => (out += d));
	const exited = new Promise((resolve) => child.on('exit', resolve));
	const stop = async () => {
		child.kill('SIGTERM');
		const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(killer);
		rmSync(dir, {recursive: true, force: true});
	};
	try {
		await until('the sim to start', timeoutMs, 100, () => {
			if (child.exitCode !== null) throw new Error(`sim exited ${child.exitCode}: ${out}`);
			return out.includes('Press Ctrl-C') ? true : undefined;
		});
	} catch (error) {
		await stop();
		throw error;
	}
	const startMs = performance.now() - t0;
	const config = readFileSync(kubeconfig, 'utf8');
	const field = (name) => JSON.parse(new RegExp(`${name}: (".*")`).exec(config)[1]);
	const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(config)[1], 'base64').toString();
	const api = client(field('server'), field('token'), ca);
	return {pid: child.pid, kubeconfig, api, startMs, output: () => out, stop};
}

// HTTPS to the API server, as a client with a keep-alive connection (or a new one per request)

function client(server, token, ca) {
	const agent = new Agent({keepAlive: true, ca, maxSockets: 4});
	const call = (pathname, {accept = 'application/json', fresh = false} = {}) =>
		new Promise((resolve, reject) => {
			const t0 = performance.now();
			const req = request(
				`${server}${pathname}`,
				{
					agent: fresh ? new Agent({keepAlive: false, ca}) : agent,
					ca,
					headers: {Authorization: `Bearer ${token}`, Accept: accept},
					timeout: 60_000,
				},
				(res) => {
					const chunks = [];
					res.on('data', (c) => chunks.push(c));
					res.on('end', () => resolve({status: res.statusCode, ms: performance.now() - t0, body: Buffer.concat(chunks).toString()}));
				},
			);
			req.on('timeout', () => req.destroy(new Error(`${pathname} timed out`)));
			req.on('error', reject);
			req.end();
		});
	/** A watch: `onEvent` for each line until stop(). */
	const watch = (pathname, onEvent) => {
		const req = request(
			`${server}${pathname}`,
			{agent: new Agent({keepAlive: false, ca}), ca, headers: {Authorization: `Bearer ${token}`}},
			(res) => {
				let buffer = '';
				res.on('data', (chunk) => {
					buffer += chunk;
					for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
						const line = buffer.slice(0, nl);
						buffer = buffer.slice(nl + 1);
						if (line) onEvent(JSON.parse(line));
					}
				});
			},
		);
		req.on('error', () => {});
		req.end();
		return {stop: () => req.destroy()};
	};
	return {call, watch, close: () => agent.destroy()};
}

// Small helpers

async function until(what, timeoutMs, intervalMs, probe) {
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function percentile(values, p) {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function kubectl(o, kubeconfig, args, timeoutMs = 900_000) {
	const t0 = performance.now();
	try {
		const {stdout, stderr} = await run(o.kubectl, ['--kubeconfig', kubeconfig, ...args], {
			timeout: timeoutMs,
			maxBuffer: 256 * 1024 * 1024,
		});
		return {code: 0, stdout, stderr, ms: performance.now() - t0};
	} catch (error) {
		return {
			code: typeof error.code === 'number' ? error.code : 1,
			stdout: String(error.stdout ?? ''),
			stderr: String(error.stderr ?? error.message),
			ms: performance.now() - t0,
		};
	}
}

/** Samples /version every `everyMs` until stopped: latencies in ms. */
function versionProbe(api, everyMs, fresh) {
	const latencies = [];
	let failures = 0;
	let stopped = false;
	const loop = (async () => {
		while (!stopped) {
			const next = sleep(everyMs);
			try {
				const r = await api.call('/version', {fresh});
				if (r.status === 200) latencies.push(r.ms);
				else failures++;
			} catch {
				failures++;
			}
			await next;
		}
	})();
	return {
		async stop() {
			stopped = true;
			await loop;
			return {
				requests: latencies.length + failures,
				failures,
				p50Ms: round(percentile(latencies, 50)),
				p99Ms: round(percentile(latencies, 99)),
				maxMs: round(Math.max(...latencies)),
			};
		},
	};
}

/** CPU of the sim over a stretch of wall time: percent of one core. */
function cpuMeter(pid) {
	const c0 = procStat(pid);
	const t0 = performance.now();
	return () => round((100 * (procStat(pid) - c0)) / ((performance.now() - t0) / 1000));
}

// 1. create

async function benchCreate(o) {
	const sim = await startSim(o, ['--scenario', 'empty']);
	try {
		const n = o.create;
		const cpu = cpuMeter(sim.pid);
		const version = versionProbe(sim.api, 200, false);
		const t0 = performance.now();
		const created = await kubectl(o, sim.kubeconfig, ['create', 'deployment', 'big', '--image=nginx:1.18', `--replicas=${n}`]);
		if (created.code !== 0) throw new Error(`kubectl create deployment failed: ${created.stderr}`);
		let available = 0;
		await until(`${n} available`, 600_000, 250, async () => {
			const r = await sim.api.call('/apis/apps/v1/namespaces/default/deployments/big');
			available = JSON.parse(r.body).status?.availableReplicas ?? 0;
			return available >= n ? true : undefined;
		});
		const seconds = (performance.now() - t0) / 1000;
		return {
			pods: n,
			available,
			seconds: round(seconds),
			cpuPercent: cpu(),
			...procMemory(sim.pid),
			versionDuringRamp: await version.stop(),
			load: os.loadavg().map((l) => round(l, 2)),
		};
	} finally {
		await sim.stop();
	}
}

// 2. churn

// The EventCorrelator's spam filter: this many events per source, object and type get through at once.
const spamBurst = 25;

const scaledMessage = /^(?:\(combined from similar events\): )?Scaled (up|down) replica set (\S+) to (\d+)(?: from (\d+))?$/;

/**
 * The machine's own floor for /version at this moment: an idle sim (no pods, no churn) probed the same way. On a
 * shared 2-core machine a loaded run queue delays any process; this tells that apart from the sim's own work.
 */
async function idleVersionFloor(o) {
	const sim = await startSim(o, ['--scenario', 'empty']);
	try {
		await sleep(o.small ? 500 : 3000);
		const keepAlive = versionProbe(sim.api, 100, false);
		await sleep((o.small ? 2 : 15) * 1000);
		return {...(await keepAlive.stop()), load: os.loadavg().map((l) => round(l, 2))};
	} finally {
		await sim.stop();
	}
}

async function benchChurn(o) {
	const idleFloor = await idleVersionFloor(o);
	const sim = await startSim(o, ['--scenario', 'scale', '--pods', String(o.pods), '--churn', String(o.churn)]);
	const result = {pods: o.pods, churn: o.churn, idleFloor, startSeconds: round(sim.startMs / 1000), ...procMemory(sim.pid)};
	try {
		// A pod watch, as the cockpit keeps one: it sees the churn.
		let podEvents = 0;
		const podWatch = sim.api.watch('/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Dbig&resourceVersion=0', (e) => {
			if (e.type === 'MODIFIED') podEvents++;
		});
		await sleep(o.small ? 2000 : 15_000); // settle after start-up (the kubelet adopts every pod, first syncs)

		// The window: CPU, /version.
		const eventsBefore = podEvents;
		const cpu = cpuMeter(sim.pid);
		const keepAlive = versionProbe(sim.api, 100, false);
		const fresh = versionProbe(sim.api, 500, true);
		await sleep(o.window * 1000);
		result.window = {
			seconds: o.window,
			cpuPercent: cpu(),
			podModifiedPerSecond: round((podEvents - eventsBefore) / o.window),
			version: await keepAlive.stop(),
			versionNewConnection: await fresh.stop(),
			load: os.loadavg().map((l) => round(l, 2)),
		};

		// kubectl get pods of all of them (kubectl pages 500 at a time), and every page as kubectl asks for it.
		const getCpu = cpuMeter(sim.pid);
		const got = await kubectl(o, sim.kubeconfig, ['get', 'pods', '-l', 'app=big']);
		const rows = got.stdout.split('\n').filter((l) => l.trim() && !l.startsWith('NAME ')).length;
		result.getPods = {
			code: got.code,
			rows,
			seconds: round(got.ms / 1000),
			simCpuPercent: getCpu(),
			stderr: got.code ? got.stderr.slice(0, 500) : undefined,
		};
		const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
		const pageMs = [];
		const names = new Set();
		let token = '';
		do {
			const r = await sim.api.call(
				`/api/v1/namespaces/default/pods?labelSelector=app%3Dbig&limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
				{accept},
			);
			if (r.status !== 200) throw new Error(`a page answered ${r.status}: ${r.body.slice(0, 300)}`);
			pageMs.push(r.ms);
			const table = JSON.parse(r.body);
			for (const row of table.rows) names.add(row.cells[0]);
			token = table.metadata.continue ?? '';
		} while (token);
		result.pages = {
			count: pageMs.length,
			distinctPods: names.size,
			p50Ms: round(percentile(pageMs, 50)),
			p99Ms: round(percentile(pageMs, 99)),
			maxMs: round(Math.max(...pageMs)),
		};

		// The rollout.
		if (o.rollout) result.rollout = await rollout(o, sim);
		podWatch.stop();
		result.end = procMemory(sim.pid);
		return result;
	} finally {
		await sim.stop();
	}
}

async function rollout(o, sim) {
	const n = o.pods;
	const maxSurge = Math.ceil(n * 0.25);
	const maxUnavailable = Math.floor(n * 0.25);
	// With churn, pods flap out of readiness after the controller counted them: this much slack below the floor.
	const churnSlack = Math.max(10, o.churn * 5);
	const rsPath = '/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dbig';
	const messages = [];
	const eventWatch = sim.api.watch(
		'/api/v1/namespaces/default/events?watch=true&fieldSelector=involvedObject.kind%3DDeployment%2CinvolvedObject.name%3Dbig',
		(e) => {
			if (e.object?.reason === 'ScalingReplicaSet' && e.type !== 'DELETED') messages.push(e.object.message);
		},
	);
	const oldRs = JSON.parse((await sim.api.call(rsPath)).body).items.map((rs) => rs.metadata.name);

	// The ReplicaSets every half second: never more pods wanted than maxSurge allows, never fewer available than
	// maxUnavailable allows (less the pods churn has flapped since), the new one only growing, the old only shrinking.
	const violations = [];
	let samples = 0;
	let polling = true;
	let minAvailable = Number.POSITIVE_INFINITY;
	let maxTotal = 0;
	const last = new Map();
	const poller = (async () => {
		while (polling) {
			// A ReplicaSet the deployment controller has just created has no status until the ReplicaSet controller writes one.
			const list = JSON.parse((await sim.api.call(rsPath)).body).items;
			samples++;
			const total = list.reduce((s, rs) => s + (rs.spec.replicas ?? 0), 0);
			const available = list.reduce((s, rs) => s + (rs.status?.availableReplicas ?? 0), 0);
			maxTotal = Math.max(maxTotal, total);
			minAvailable = Math.min(minAvailable, available);
			if (total > n + maxSurge) violations.push(`${total} pods wanted, more than ${n} + maxSurge ${maxSurge}`);
			if (available < n - maxUnavailable - churnSlack)
				violations.push(`${available} available, fewer than ${n} - maxUnavailable ${maxUnavailable} (- ${churnSlack} churn)`);
			for (const rs of list) {
				const name = rs.metadata.name;
				const before = last.get(name);
				const isOld = oldRs.includes(name);
				if (before !== undefined && (isOld ? rs.spec.replicas > before : rs.spec.replicas < before))
					violations.push(`${isOld ? 'old' : 'new'} ReplicaSet ${name} went from ${before} to ${rs.spec.replicas}`);
				last.set(name, rs.spec.replicas);
			}
			await sleep(500);
		}
	})();

	const cpu = cpuMeter(sim.pid);
	const t0 = performance.now();
	const set = await kubectl(o, sim.kubeconfig, ['set', 'image', 'deployment/big', 'nginx=nginx:1.20.1']);
	// With churn some pods are always out of readiness, and rollout status, as on a real cluster, waits for every
	// updated replica to be available. First: every replica updated and the old ones gone, churn going on.
	await until('every replica updated and no old one left', 1_800_000, 500, async () => {
		const d = JSON.parse((await sim.api.call('/apis/apps/v1/namespaces/default/deployments/big')).body);
		const s = d.status ?? {};
		return d.metadata.generation <= (s.observedGeneration ?? 0) && s.updatedReplicas === n && s.replicas === n ? true : undefined;
	});
	const updatedSeconds = (performance.now() - t0) / 1000;
	const cpuPercent = cpu();
	const whileChurning = o.churn > 0 ? await kubectl(o, sim.kubeconfig, ['rollout', 'status', 'deployment/big', '--timeout=3s']) : undefined;
	// Then the churn is paused (SIGUSR2) and rollout status sees the flapped pods come back.
	if (o.churn > 0) process.kill(sim.pid, 'SIGUSR2');
	const t1 = performance.now();
	const status = await kubectl(o, sim.kubeconfig, ['rollout', 'status', 'deployment/big', `--timeout=${o.statusTimeout}`]);
	const afterPauseSeconds = (performance.now() - t1) / 1000;
	// When it did not complete: which pods were not ready, and what the sim said (its errors), to tell why.
	let notReady;
	if (!/successfully rolled out/.test(status.stdout)) {
		const pods = JSON.parse((await sim.api.call('/api/v1/namespaces/default/pods?labelSelector=app%3Dbig')).body).items;
		const stuck = pods.filter(
			(p) => !p.metadata.deletionTimestamp && !(p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
		);
		notReady = {
			count: stuck.length,
			sample: stuck.slice(0, 3).map((p) => ({name: p.metadata.name, status: p.status})),
			simOutput: sim.output().slice(-3000),
		};
	}
	const seconds = (performance.now() - t0) / 1000;
	polling = false;
	await poller;
	await sleep(1000);
	eventWatch.stop();
	const final = JSON.parse((await sim.api.call(rsPath)).body).items.map((rs) => ({
		name: rs.metadata.name,
		replicas: rs.spec.replicas,
		available: rs.status?.availableReplicas ?? 0,
		old: oldRs.includes(rs.metadata.name),
	}));

	// The ScalingReplicaSet events, as they arrived: each names where a ReplicaSet went; they must chain (its
	// "from" is where the last one left it), the new one only up, the old one only down.
	const eventProblems = [];
	const at = new Map();
	let parsed = 0;
	for (const message of messages) {
		const m = scaledMessage.exec(message);
		if (!m) {
			eventProblems.push(`unexpected message: ${message}`);
			continue;
		}
		parsed++;
		const [, direction, rs, to, from] = m;
		const isOld = oldRs.includes(rs);
		if (isOld === (direction === 'up')) eventProblems.push(`${isOld ? 'old' : 'new'} ReplicaSet scaled ${direction}: ${message}`);
		if (from !== undefined && at.has(rs) && at.get(rs) !== Number(from)) eventProblems.push(`${rs} at ${at.get(rs)}, but: ${message}`);
		at.set(rs, Number(to));
	}
	// client-go's recorder lets 25 events through per source, object and type, then one per five minutes: a rollout
	// of more steps shows its first 25, as on a real cluster. Fewer: they must end at the final sizes.
	const spamFiltered = messages.length >= spamBurst;
	const newRs = final.find((rs) => !rs.old);
	if (!spamFiltered) {
		if (newRs && at.get(newRs.name) !== n)
			eventProblems.push(`the last event leaves the new ReplicaSet at ${at.get(newRs.name)}, not ${n}`);
		for (const rs of final.filter((x) => x.old))
			if (at.get(rs.name) !== 0) eventProblems.push(`the last event leaves ${rs.name} at ${at.get(rs.name)}, not 0`);
	}
	return {
		setImage: set.code,
		whileChurning: whileChurning?.stdout.trim().split('\n').at(-1),
		statusLine: status.stdout.trim().split('\n').at(-1),
		notReady,
		successfullyRolledOut: /successfully rolled out/.test(status.stdout),
		updatedSeconds: round(updatedSeconds),
		afterPauseSeconds: round(afterPauseSeconds),
		seconds: round(seconds),
		cpuPercent,
		samples,
		maxPodsWanted: maxTotal,
		minAvailable,
		limits: {maxPods: n + maxSurge, minAvailable: n - maxUnavailable, churnSlack},
		countViolations: [...new Set(violations)].slice(0, 10),
		final,
		finalRight: !!newRs && newRs.replicas === n && newRs.available === n && final.filter((x) => x.old).every((x) => x.replicas === 0),
		scalingEvents: parsed,
		spamFiltered,
		eventProblems: eventProblems.slice(0, 10),
	};
}

// 3. big

async function benchBig(o) {
	const sim = await startSim(o, ['--scenario', 'scale', '--pods', String(o.big), '--namespaces', String(o.bigNamespaces)]);
	try {
		const atStart = procMemory(sim.pid);
		await sleep(o.small ? 2000 : 20_000);
		const cpu = cpuMeter(sim.pid);
		await sleep(o.small ? 1000 : 10_000);
		const idleCpu = cpu();
		const settled = procMemory(sim.pid);
		// Every pod, listed through the API in pages of 5,000 (kubectl would take minutes to print 100,000 rows).
		let count = 0;
		let token = '';
		const t0 = performance.now();
		do {
			const page = JSON.parse((await sim.api.call(`/api/v1/pods?limit=5000${token ? `&continue=${encodeURIComponent(token)}` : ''}`)).body);
			count += page.items.length;
			token = page.metadata.continue ?? '';
		} while (token);
		const listSeconds = round((performance.now() - t0) / 1000);
		return {
			pods: o.big,
			namespaces: o.bigNamespaces,
			startSeconds: round(sim.startMs / 1000),
			rssAtStartMb: atStart.rssMb,
			rssSettledMb: settled.rssMb,
			peakMb: procMemory(sim.pid).peakMb,
			cpuPercentSettled: idleCpu,
			podsListed: count,
			listSeconds,
			load: os.loadavg().map((l) => round(l, 2)),
		};
	} finally {
		await sim.stop();
	}
}

// Report

function verdicts(r, o) {
	const out = [];
	const bar = (what, holds, figure) => out.push({what, holds, figure});
	if (r.create)
		bar(`create ${o.create} to available within 60 s`, r.create.available >= o.create && r.create.seconds <= 60, `${r.create.seconds} s`);
	if (r.churn) {
		const c = r.churn;
		bar(`sim CPU at ${o.pods} pods, churn ${o.churn}: at most 30% of a core`, c.window.cpuPercent <= 30, `${c.window.cpuPercent}%`);
		bar(
			'/version p99 at most 50 ms (keep-alive)',
			c.window.version.p99Ms <= 50,
			`${c.window.version.p99Ms} ms (an idle sim meanwhile: ${c.idleFloor.p99Ms} ms)`,
		);
		bar(`kubectl get pods -l app=big lists all ${o.pods}`, c.getPods.code === 0 && c.getPods.rows === o.pods, `${c.getPods.rows} rows`);
		bar('a page of 500 within 100 ms', c.pages.maxMs <= 100, `max ${c.pages.maxMs} ms, p99 ${c.pages.p99Ms} ms`);
		if (c.rollout)
			bar(
				'set image rollout: successfully rolled out, counts and events right',
				c.rollout.successfullyRolledOut &&
					c.rollout.finalRight &&
					c.rollout.countViolations.length === 0 &&
					c.rollout.eventProblems.length === 0,
				`${c.rollout.seconds} s`,
			);
	}
	if (r.big)
		bar(`${o.big} pods in ${o.bigNamespaces} namespaces: RSS at most 2 GB`, r.big.rssSettledMb <= 2048, `${r.big.rssSettledMb} MB`);
	return out;
}

function printTable(r, o) {
	const lines = [];
	const m = r.machine;
	lines.push(
		`bench:sim on ${m.cpus} × ${m.model}, ${m.memGb} GB; load before ${m.loadBefore.join(' ')}; node ${process.version}; kubectl ${o.kubectl}`,
	);
	if (r.create) {
		const c = r.create;
		lines.push('', `create: kubectl create deployment big --replicas=${c.pods} on an empty sim (speed 1)`);
		lines.push(
			`  ${c.available}/${c.pods} available after ${c.seconds} s; sim CPU ${c.cpuPercent}% of a core; RSS ${c.rssMb} MB (peak ${c.peakMb} MB); load ${c.load.join(' ')}`,
		);
		lines.push(
			`  /version meanwhile: p50 ${c.versionDuringRamp.p50Ms} ms, p99 ${c.versionDuringRamp.p99Ms} ms, max ${c.versionDuringRamp.maxMs} ms (${c.versionDuringRamp.requests} requests, ${c.versionDuringRamp.failures} failed)`,
		);
	}
	if (r.churn) {
		const c = r.churn;
		lines.push('', `churn: sim --scenario scale --pods ${c.pods} --churn ${c.churn}, a pod watch open`);
		lines.push(`  started in ${c.startSeconds} s, RSS ${c.rssMb} MB; at the end RSS ${c.end.rssMb} MB (peak ${c.end.peakMb} MB)`);
		const w = c.window;
		lines.push(
			`  ${w.seconds} s window: sim CPU ${w.cpuPercent}% of a core; ${w.podModifiedPerSecond} pod MODIFIED/s seen by the watch; load ${w.load.join(' ')}`,
		);
		lines.push(
			`  /version keep-alive: p50 ${w.version.p50Ms} ms, p99 ${w.version.p99Ms} ms, max ${w.version.maxMs} ms (${w.version.requests} requests, ${w.version.failures} failed)`,
		);
		lines.push(
			`  /version on an idle sim just before (the machine's floor): p50 ${c.idleFloor.p50Ms} ms, p99 ${c.idleFloor.p99Ms} ms, max ${c.idleFloor.maxMs} ms; load ${c.idleFloor.load.join(' ')}`,
		);
		lines.push(
			`  /version new connection: p50 ${w.versionNewConnection.p50Ms} ms, p99 ${w.versionNewConnection.p99Ms} ms, max ${w.versionNewConnection.maxMs} ms`,
		);
		lines.push(
			`  kubectl get pods -l app=big: exit ${c.getPods.code}, ${c.getPods.rows} rows in ${c.getPods.seconds} s (sim CPU meanwhile ${c.getPods.simCpuPercent}%)`,
		);
		lines.push(
			`  pages of 500 (Table): ${c.pages.count} pages, ${c.pages.distinctPods} distinct pods; p50 ${c.pages.p50Ms} ms, p99 ${c.pages.p99Ms} ms, max ${c.pages.maxMs} ms`,
		);
		const ro = c.rollout;
		if (ro) {
			lines.push(
				`  set image rollout: all ${c.pods} updated and the old ones gone after ${ro.updatedSeconds} s (sim CPU ${ro.cpuPercent}%)${ro.whileChurning ? `; rollout status then: ${ro.whileChurning}` : ''}`,
			);
			lines.push(
				`    ${ro.whileChurning ? 'churn paused: ' : ''}${ro.statusLine} ${ro.afterPauseSeconds} s later (${ro.seconds} s in all)`,
			);
			lines.push(
				`    ReplicaSets every 0.5 s (${ro.samples} samples): at most ${ro.maxPodsWanted} pods wanted (limit ${ro.limits.maxPods}), at least ${ro.minAvailable} available (floor ${ro.limits.minAvailable}, churn slack ${ro.limits.churnSlack}); ${ro.countViolations.length ? `violations: ${ro.countViolations.join('; ')}` : 'no violation'}`,
			);
			lines.push(`    final: ${ro.final.map((x) => `${x.name} ${x.replicas}/${x.available}${x.old ? ' (old)' : ''}`).join(', ')}`);
			lines.push(
				`    ${ro.scalingEvents} ScalingReplicaSet events followed; ${ro.eventProblems.length ? `problems: ${ro.eventProblems.join('; ')}` : ro.spamFiltered ? `they chain; the recorder's spam filter let the first ${spamBurst} through, as client-go's does` : 'they chain and end at the final sizes'}`,
			);
		}
	}
	if (r.big) {
		const b = r.big;
		lines.push('', `big: sim --scenario scale --pods ${b.pods} --namespaces ${b.namespaces}`);
		lines.push(
			`  started in ${b.startSeconds} s; RSS ${b.rssAtStartMb} MB at start, ${b.rssSettledMb} MB settled (peak ${b.peakMb} MB); idle CPU ${b.cpuPercentSettled}%; load ${b.load.join(' ')}`,
		);
		lines.push(`  every pod listed through the API in pages of 5,000: ${b.podsListed} in ${b.listSeconds} s`);
	}
	lines.push('', 'issue 9 bars:');
	for (const v of r.verdicts) lines.push(`  ${v.holds ? 'holds' : 'DOES NOT HOLD'}  ${v.what}: ${v.figure}`);
	return lines.join('\n');
}

async function main() {
	const o = parseOptions(process.argv.slice(2));
	if (!existsSync(o.kubectl)) throw new Error(`bench-sim needs kubectl at ${o.kubectl} (--kubectl PATH)`);
	await ensureBuilt();
	const cpus = os.cpus();
	const result = {
		machine: {
			cpus: cpus.length,
			model: cpus[0]?.model.trim() ?? 'unknown',
			memGb: round(os.totalmem() / 2 ** 30),
			loadBefore: os.loadavg().map((l) => round(l, 2)),
		},
		options: o,
	};
	if (o.only.includes('create')) result.create = await benchCreate(o);
	if (o.only.includes('churn')) result.churn = await benchChurn(o);
	if (o.only.includes('big')) result.big = await benchBig(o);
	result.verdicts = verdicts(result, o);
	process.stdout.write(o.json ? `${JSON.stringify(result, null, 2)}\n` : `${printTable(result, o)}\n`);
}

main().catch((error) => {
	console.error(`bench-sim: ${error.stack ?? error}`);
	process.exit(1);
});
