import {describe, it, after} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {AddressInfo} from 'node:net';
import {runProbeCommand} from '../../source/probe/cli.js';
import {closeServer, closedPort, listenOnLoopback} from '../helpers/ports.js';
import {within} from '../helpers/wait.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const servers: http.Server[] = [];
after(async () => {
	for (const s of servers) {
		await closeServer(s);
	}
});

// A server whose Server header moves from nginx/1.18.0 to nginx/1.20.1 after `switchAfter` requests.
async function versionServer(switchAfter: number): Promise<string> {
	let n = 0;
	const s = http.createServer((_req, res) => {
		n++;
		res.writeHead(200, {server: n <= switchAfter ? 'nginx/1.18.0' : 'nginx/1.20.1'});
		res.end('ok');
	});
	servers.push(s);
	await listenOnLoopback(s);
	return `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;
}

// A URL on 127.0.0.1 where nothing listens.
async function closedPortUrl(): Promise<string> {
	return `http://127.0.0.1:${await closedPort()}/`;
}

async function run(argv: string[], signal?: AbortSignal) {
	let stdout = '';
	let stderr = '';
	const code = await within(
		runProbeCommand(argv, {stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), signal, handleSignals: false}),
		20_000,
		`rollout-cockpit probe ${argv.join(' ')}`,
	);
	return {code, stdout, stderr};
}

describe('rollout-cockpit probe: usage errors exit 2 with a clear message', () => {
	const cases: Array<[string, string[], RegExp]> = [
		['no URL', [], /a URL to probe is required/],
		['not a URL', ['node1:30353'], /invalid probe URL "node1:30353"|only http:\/\/ and https:\/\//],
		['garbage URL', ['::::'], /invalid probe URL "::::"/],
		[
			'non-numeric interval',
			['http://127.0.0.1:1/', '--interval', 'fast'],
			/--interval must be a positive number of milliseconds, not "fast"/,
		],
		['zero interval', ['http://127.0.0.1:1/', '--interval=0'], /--interval must be a positive number/],
		['negative timeout', ['http://127.0.0.1:1/', '--timeout', '-5'], /--timeout must be a positive number of milliseconds, not "-5"/],
		['fractional count', ['http://127.0.0.1:1/', '--count', '1.5'], /--count must be a positive whole number, not "1.5"/],
		['missing value', ['http://127.0.0.1:1/', '--interval'], /--interval needs a value/],
		['unknown flag', ['http://127.0.0.1:1/', '--verbose'], /unknown flag --verbose/],
		['two URLs', ['http://127.0.0.1:1/', 'http://127.0.0.1:2/'], /one URL at a time/],
		['bad regex', ['http://127.0.0.1:1/', '--match', '('], /--match is not a valid regular expression/],
		['header and match', ['http://127.0.0.1:1/', '--match', 'v(\\d+)', '--header', 'x-v'], /cannot be used together/],
	];
	for (const [name, argv, message] of cases) {
		it(name, async () => {
			const r = await run(argv);
			assert.equal(r.code, 2);
			assert.match(r.stderr, /^error: /);
			assert.match(r.stderr, message);
			assert.match(r.stderr, /Usage: rollout-cockpit probe URL/);
			assert.equal(r.stdout, '', 'nothing probed');
		});
	}

	it('--help prints the usage and exits 0', async () => {
		const r = await run(['--help']);
		assert.equal(r.code, 0);
		assert.match(r.stdout, /--interval MS/);
	});
});

describe('rollout-cockpit probe: probing', () => {
	it('--count N prints N probe lines and a summary with the versions seen; exit 0', async () => {
		const url = await versionServer(2);
		const r = await run([url, '--interval', '20', '--count', '5']);
		assert.equal(r.code, 0, r.stderr);
		const probeLines = r.stdout.split('\n').filter((l) => /^\d\d:\d\d:\d\d\.\d{3} {2}/.test(l));
		assert.equal(probeLines.length, 5);
		assert.ok(
			probeLines.every((l) => / {2}200 {2}.* ms {2}nginx\/1\.(18\.0|20\.1)$/.test(l)),
			probeLines.join('\n'),
		);
		assert.match(r.stdout, new RegExp(`--- ${url.replace(/[.]/g, '\\.')} probe summary ---`));
		assert.match(r.stdout, /5 probes, 0 failed, p50 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms/);
		assert.match(r.stdout, /versions seen: nginx\/1\.18\.0 -> nginx\/1\.20\.1/);
	});

	it('a refused port: each line says refused, the summary counts the outage; exit 1', async () => {
		const url = await closedPortUrl();
		const r = await run([url, '--interval', '20', '--count', '3']);
		assert.equal(r.code, 1);
		const probeLines = r.stdout.split('\n').filter((l) => /^\d\d:\d\d:\d\d\.\d{3} {2}/.test(l));
		assert.equal(probeLines.length, 3);
		assert.ok(
			probeLines.every((l) => / {2}refused {2}.*refused: connect ECONNREFUSED/.test(l)),
			probeLines.join('\n'),
		);
		assert.match(r.stdout, /3 probes, 3 failed \(refused 3\), p50 -, p99 -, max -/);
		assert.match(r.stdout, /versions seen: none/);
		assert.match(r.stdout, /outage \d+ ms from \d\d:\d\d:\d\d: 3 failed \(refused 3\), still failing/);
	});

	it('--header reads the version from another header', async () => {
		const s = http.createServer((_req, res) => {
			res.writeHead(200, {server: 'envoy', 'x-app-version': '2.4.0'});
			res.end();
		});
		servers.push(s);
		await listenOnLoopback(s);
		const r = await run([`http://127.0.0.1:${(s.address() as AddressInfo).port}/`, '--header', 'X-App-Version', '--count', '1']);
		assert.equal(r.code, 0);
		assert.match(r.stdout, /versions seen: 2\.4\.0/);
	});

	it('stops on abort (as on Ctrl-C) and still prints the summary', async () => {
		const url = await versionServer(1000);
		const ac = new AbortController();
		let lines = 0;
		let out = '';
		const done = runProbeCommand([url, '--interval', '20'], {
			handleSignals: false,
			signal: ac.signal,
			stderr: () => {},
			stdout: (t) => {
				if (/^\d\d:/.test(t) && ++lines === 3) ac.abort();
				out += t;
			},
		});
		assert.equal(await within(done, 10_000, 'the probe to end once aborted'), 0);
		assert.match(out, /(\d+) probes, 0 failed/);
		const n = Number(/(\d+) probes, 0 failed/.exec(out)?.[1]);
		assert.ok(n >= 3, `${n} probes`);
	});

	it('the real process: SIGINT prints the summary and exits 0 when nothing failed', async () => {
		const url = await versionServer(1000);
		const script = `import(${JSON.stringify(path.join(root, 'source/probe/cli.ts'))}).then((m) => m.runProbeCommand(${JSON.stringify([url, '--interval', '20'])})).then((c) => process.exit(c));`;
		const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
			cwd: root,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
		let stdout = '';
		let stderr = '';
		let interrupted = false;
		child.stderr.on('data', (d) => (stderr += d));
		child.stdout.on('data', (d) => {
			stdout += d;
			// Once: a second Ctrl-C is the user insisting, and kills without a summary.
			if (!interrupted && (stdout.match(/ {2}200 {2}/g) ?? []).length >= 3) {
				interrupted = true;
				child.kill('SIGINT');
			}
		});
		const code = await within(
			new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c))),
			20_000,
			'the probe process to exit after SIGINT',
		);
		clearTimeout(killer);
		assert.equal(code, 0, stderr);
		assert.match(stdout, /probe summary ---\n\d+ probes, 0 failed/);
		assert.match(stdout, /versions seen: nginx\/1\.18\.0/);
	});
});
