import {describe, it, after} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type {AddressInfo} from 'node:net';
import {probeOnce, startProber, parseProbeUrl, isLoopbackHost, ProbeUrlError} from '../../source/probe/prober.js';
import type {ProbeResult} from '../../source/probe/prober.js';
import {closeServer, closedPort, listenOnLoopback} from '../helpers/ports.js';
import {within} from '../helpers/wait.js';

// Servers the tests start on 127.0.0.1; each is closed after the test file.
const servers: net.Server[] = [];
after(async () => {
	for (const s of servers) {
		await closeServer(s);
	}
});

async function listen<T extends net.Server>(server: T): Promise<{server: T; url: string}> {
	servers.push(server);
	await listenOnLoopback(server);
	const {port} = server.address() as AddressInfo;
	return {server, url: `http://127.0.0.1:${port}/`};
}

// A URL on 127.0.0.1 where nothing listens.
async function closedPortUrl(): Promise<string> {
	return `http://127.0.0.1:${await closedPort()}/`;
}

function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	return new Promise((resolve, reject) => {
		const check = () => {
			if (cond()) return resolve();
			if (Date.now() > deadline) return reject(new Error('condition not met in time'));
			setTimeout(check, 5);
		};
		check();
	});
}

describe('probeOnce', () => {
	it('reports status, latency and the Server header of a healthy answer', async () => {
		const {url} = await listen(
			http.createServer((_req, res) => {
				res.writeHead(200, {server: 'nginx/1.18.0'});
				res.end('hello');
			}),
		);
		const r = await probeOnce(url, {loopbackOnly: true});
		assert.equal(r.ok, true);
		assert.equal(r.status, 200);
		assert.equal(r.servedBy, 'nginx/1.18.0');
		assert.equal(r.error, undefined);
		assert.ok(r.latencyMs >= 0 && r.latencyMs < 1000, `latency ${r.latencyMs}`);
		assert.ok(Math.abs(r.at - Date.now()) < 2000);
	});

	it('says refused when nothing listens on the port', async () => {
		const url = await closedPortUrl();
		const r = await probeOnce(url, {loopbackOnly: true});
		assert.equal(r.ok, false);
		assert.equal(r.error, 'refused');
		assert.match(r.detail ?? '', /ECONNREFUSED/);
		assert.equal(r.status, undefined);
	});

	it('says reset when the server destroys the connection', async () => {
		const {url} = await listen(
			net.createServer((socket) => {
				socket.on('data', () => socket.resetAndDestroy());
				socket.on('error', () => {});
			}),
		);
		const r = await probeOnce(url, {loopbackOnly: true});
		assert.equal(r.ok, false);
		assert.equal(r.error, 'reset');
	});

	it('says reset when the server closes the connection without answering', async () => {
		const {url} = await listen(
			http.createServer((req) => {
				req.socket.destroy();
			}),
		);
		const r = await probeOnce(url, {loopbackOnly: true});
		assert.equal(r.ok, false);
		assert.equal(r.error, 'reset');
	});

	it('says timeout when the server never answers, after the timeout and not much later', async () => {
		const {url} = await listen(
			http.createServer(() => {
				// never answer
			}),
		);
		const r = await probeOnce(url, {loopbackOnly: true, timeoutMs: 150});
		assert.equal(r.ok, false);
		assert.equal(r.error, 'timeout');
		assert.ok(r.latencyMs >= 140 && r.latencyMs < 1000, `latency ${r.latencyMs}`);
		assert.match(r.detail ?? '', /150 ms/);
	});

	it('counts a 5xx answer as a failure, keeping the status and who served it', async () => {
		const {url} = await listen(
			http.createServer((_req, res) => {
				res.writeHead(503, {server: 'nginx/1.18.0'});
				res.end('no endpoints');
			}),
		);
		const r = await probeOnce(url, {loopbackOnly: true});
		assert.equal(r.ok, false);
		assert.equal(r.error, '5xx');
		assert.equal(r.status, 503);
		assert.equal(r.servedBy, 'nginx/1.18.0');
	});

	it('counts a 404 as answered: the service is up, only the path is wrong', async () => {
		const {url} = await listen(
			http.createServer((_req, res) => {
				res.writeHead(404);
				res.end();
			}),
		);
		const r = await probeOnce(url, {loopbackOnly: true});
		assert.equal(r.ok, true);
		assert.equal(r.status, 404);
	});

	it('reads the version from a configurable header or a body regex', async () => {
		const {url} = await listen(
			http.createServer((_req, res) => {
				res.writeHead(200, {server: 'envoy', 'x-version': 'v2.3.1'});
				res.end('<html><p>build 2024.05-abc</p></html>');
			}),
		);
		assert.equal((await probeOnce(url, {servedBy: {header: 'X-Version'}})).servedBy, 'v2.3.1');
		assert.equal((await probeOnce(url, {servedBy: {bodyRegex: /build ([^<\s]+)/}})).servedBy, '2024.05-abc');
		assert.equal((await probeOnce(url, {servedBy: {bodyRegex: /v\d+\.\d+/}})).servedBy, undefined);
		assert.equal((await probeOnce(url, {servedBy: {bodyRegex: /2024\.\d+/}})).servedBy, '2024.05');
	});

	it('refuses a non-loopback host without dialling when loopbackOnly is set', async () => {
		const r = await probeOnce('http://10.96.0.1:80/', {loopbackOnly: true});
		assert.equal(r.ok, false);
		assert.equal(r.error, 'other');
		assert.match(r.detail ?? '', /only loopback/);
		assert.equal(r.latencyMs, 0);
	});
});

describe('parseProbeUrl', () => {
	it('accepts http and https URLs and names what is wrong with others', () => {
		assert.equal(parseProbeUrl('http://127.0.0.1:30080/').port, '30080');
		assert.equal(parseProbeUrl('https://example.com/healthz').pathname, '/healthz');
		assert.throws(
			() => parseProbeUrl('not a url'),
			(e: Error) => e instanceof ProbeUrlError && /invalid probe URL "not a url"/.test(e.message),
		);
		assert.throws(() => parseProbeUrl('ftp://127.0.0.1/'), /only http:\/\/ and https:\/\//);
		assert.throws(() => parseProbeUrl('http://192.168.1.5:30080/', {loopbackOnly: true}), /refusing to probe 192\.168\.1\.5:30080/);
	});

	it('knows loopback hosts', () => {
		for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', 'LOCALHOST']) assert.equal(isLoopbackHost(h), true, h);
		for (const h of ['10.0.0.1', '128.0.0.1', '127.0.0.256', 'example.com', '0.0.0.0', '::']) assert.equal(isLoopbackHost(h), false, h);
	});
});

describe('startProber', () => {
	it('probes at the interval, sees a version change, and dials a new connection per probe by default', async () => {
		let requests = 0;
		let connections = 0;
		const {server, url} = await listen(
			http.createServer((_req, res) => {
				requests++;
				res.writeHead(200, {server: requests <= 3 ? 'nginx/1.18.0' : 'nginx/1.20.1'});
				res.end('ok');
			}),
		);
		server.on('connection', () => connections++);
		const results: ProbeResult[] = [];
		let done = false;
		const t0 = Date.now();
		startProber({url, intervalMs: 20, count: 6, loopbackOnly: true, onResult: (r) => results.push(r), onDone: () => (done = true)});
		await waitFor(() => done);
		assert.equal(results.length, 6);
		assert.deepEqual(
			results.map((r) => r.seq).sort((a, b) => a - b),
			[1, 2, 3, 4, 5, 6],
		);
		const sorted = [...results].sort((a, b) => a.seq - b.seq);
		assert.deepEqual(
			sorted.map((r) => r.servedBy),
			['nginx/1.18.0', 'nginx/1.18.0', 'nginx/1.18.0', 'nginx/1.20.1', 'nginx/1.20.1', 'nginx/1.20.1'],
		);
		assert.equal(connections, 6, 'keep-alive is off: each probe opens its own connection');
		// 6 probes at 20 ms start over about 100 ms; far less than a second, far more than 0.
		assert.ok(Date.now() - t0 >= 90, `took ${Date.now() - t0} ms`);
		assert.ok(sorted[5].at - sorted[0].at >= 90);
	});

	it('reuses connections when keepAlive is asked for', async () => {
		let connections = 0;
		const {server, url} = await listen(
			http.createServer((_req, res) => {
				res.end('ok');
			}),
		);
		server.on('connection', () => connections++);
		let done = false;
		let n = 0;
		startProber({url, intervalMs: 15, count: 5, keepAlive: true, maxInFlight: 1, onResult: () => n++, onDone: () => (done = true)});
		await waitFor(() => done);
		assert.equal(n, 5);
		assert.ok(connections < 5, `keep-alive reused sockets: ${connections} connections for 5 probes`);
	});

	it('never has more than maxInFlight probes outstanding against a hung service; it skips ticks instead', async () => {
		let open = 0;
		let maxOpen = 0;
		const {url} = await listen(
			http.createServer((req) => {
				open++;
				maxOpen = Math.max(maxOpen, open);
				req.socket.on('close', () => open--);
			}),
		);
		const results: ProbeResult[] = [];
		const prober = startProber({url, intervalMs: 10, timeoutMs: 200, maxInFlight: 2, loopbackOnly: true, onResult: (r) => results.push(r)});
		await waitFor(() => results.length >= 4);
		await within(prober.stop(), 10_000, 'the prober to stop');
		assert.ok(maxOpen <= 2, `at most 2 requests were open at once, saw ${maxOpen}`);
		assert.ok(prober.skipped > 5, `ticks were skipped: ${prober.skipped}`);
		assert.ok(results.every((r) => r.error === 'timeout'));
		assert.equal(prober.inFlight, 0);
	});

	it('stop() waits for the probes in flight and starts no more', async () => {
		const {url} = await listen(
			http.createServer((_req, res) => {
				setTimeout(() => res.end('slow'), 60);
			}),
		);
		const results: ProbeResult[] = [];
		const prober = startProber({url, intervalMs: 10, loopbackOnly: true, onResult: (r) => results.push(r)});
		await waitFor(() => prober.inFlight > 0);
		await within(prober.stop(), 10_000, 'the prober to stop');
		const startedAtStop = prober.started;
		assert.equal(results.length, startedAtStop, 'every started probe reported');
		await new Promise((r) => setTimeout(r, 50));
		assert.equal(prober.started, startedAtStop, 'no probe started after stop');
	});

	it('throws on a bad URL or interval before probing anything', () => {
		assert.throws(() => startProber({url: 'http://10.0.0.1/', loopbackOnly: true, onResult: () => {}}), ProbeUrlError);
		assert.throws(() => startProber({url: 'http://127.0.0.1:1/', intervalMs: 0, onResult: () => {}}), /interval must be a positive/);
	});
});
