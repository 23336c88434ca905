// The HTTP prober: the cockpit's own `watch curl -I http://node:30353/`, run several times a second while a
// rollout happens, so that a dropped request shows up as a counted failure with its reason.
// Pure async I/O on node:http(s); nothing here blocks the event loop beyond reading headers.
import http from 'node:http';
import https from 'node:https';
import {performance} from 'node:perf_hooks';

// Why a probe failed, in the words an operator uses: the port refused, the connection was reset, nothing
// answered in time, the server answered 5xx, or something else (DNS, TLS, ...), with the detail kept apart.
export type ProbeErrorReason = 'refused' | 'reset' | 'timeout' | '5xx' | 'other';

// One probe: when it started (wall clock ms), whether the service answered, with what, how fast and who.
export type ProbeResult = {
	seq: number;
	at: number;
	ok: boolean;
	status?: number;
	latencyMs: number;
	servedBy?: string;
	error?: ProbeErrorReason;
	detail?: string;
};

// Which part of the answer names the version that served it: a header (Server by default) or a body regex
// (its first capture group, else the whole match), for apps whose Server header says nothing useful.
export type ServedByRule = {header: string} | {bodyRegex: RegExp};

// Options of a single probe.
export type ProbeOnceOptions = {
	/** Give up after this long and report 'timeout'. @default 1000 */
	timeoutMs?: number;
	/** @default {header: 'server'} */
	servedBy?: ServedByRule;
	/** The agent to use; a fresh non-keep-alive agent per probe by default, so each probe dials again. */
	agent?: http.Agent;
	/** @default 'GET' */
	method?: 'GET' | 'HEAD';
	/** Refuse any host that is not loopback (tests and the demo). @default false */
	loopbackOnly?: boolean;
	/** Wall clock, for `at`. @default Date.now */
	now?: () => number;
	seq?: number;
};

// The largest body read when a body regex names the version; more than this is drained unread.
export const MAX_BODY_BYTES = 64 * 1024;

// The default probe timeout: long enough for a loaded node, short enough that a hung pod shows within a second.
export const DEFAULT_TIMEOUT_MS = 1000;
// The default interval: 5 probes per second, as the issue asks.
export const DEFAULT_INTERVAL_MS = 200;
// The default bound on probes in flight; a tick is skipped rather than piling up requests on a hung service.
export const DEFAULT_MAX_IN_FLIGHT = 4;

// A probe URL that cannot be used, with the reason the user can act on.
export class ProbeUrlError extends Error {}

// Parses and checks a probe URL: http or https with a host; with loopbackOnly, the host must be loopback.
export function parseProbeUrl(raw: string, options: {loopbackOnly?: boolean} = {}): URL {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new ProbeUrlError(`invalid probe URL ${JSON.stringify(raw)}: expected e.g. http://127.0.0.1:30080/`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new ProbeUrlError(`invalid probe URL ${JSON.stringify(raw)}: only http:// and https:// can be probed`);
	}
	if (url.hostname === '') throw new ProbeUrlError(`invalid probe URL ${JSON.stringify(raw)}: no host`);
	if (options.loopbackOnly && !isLoopbackHost(url.hostname)) {
		throw new ProbeUrlError(`refusing to probe ${url.host}: only loopback addresses (127.0.0.1, ::1, localhost) may be probed here`);
	}
	return url;
}

// True for 127.0.0.0/8, ::1 and localhost: the only hosts tests and the demo may ever dial.
export function isLoopbackHost(hostname: string): boolean {
	const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	if (h === 'localhost' || h === '::1') return true;
	const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
	return m?.slice(1).every((x) => Number(x) <= 255) ?? false;
}

// Maps a socket error to the operator's reason; the raw message stays in `detail`.
export function classifyError(err: unknown): ProbeErrorReason {
	const code = (err as NodeJS.ErrnoException | undefined)?.code;
	if (code === 'ECONNREFUSED') return 'refused';
	if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || code === 'ERR_STREAM_PREMATURE_CLOSE') return 'reset';
	if (code === 'ETIMEDOUT' || code === 'PROBE_TIMEOUT') return 'timeout';
	if (err instanceof Error && /socket hang up/i.test(err.message)) return 'reset';
	return 'other';
}

class ProbeTimeoutError extends Error {
	code = 'PROBE_TIMEOUT';
}

// One probe of `url`: never throws; every outcome, including refusals and timeouts, is a ProbeResult.
export function probeOnce(url: URL | string, options: ProbeOnceOptions = {}): Promise<ProbeResult> {
	const now = options.now ?? Date.now;
	const at = now();
	const seq = options.seq ?? 0;
	const start = performance.now();
	const elapsed = () => Math.max(0, performance.now() - start);
	let target: URL;
	try {
		target = typeof url === 'string' ? parseProbeUrl(url, options) : url;
		if (options.loopbackOnly && !isLoopbackHost(target.hostname)) parseProbeUrl(target.href, options);
	} catch (err) {
		return Promise.resolve({seq, at, ok: false, latencyMs: 0, error: 'other', detail: (err as Error).message});
	}
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const rule = options.servedBy ?? {header: 'server'};
	const lib = target.protocol === 'https:' ? https : http;
	const ownAgent = options.agent === undefined;
	const agent = options.agent ?? new lib.Agent({keepAlive: false});

	return new Promise((resolve) => {
		let settled = false;
		const finish = (r: Omit<ProbeResult, 'seq' | 'at' | 'latencyMs'>) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			if (ownAgent) agent.destroy();
			resolve({seq, at, latencyMs: Math.round(elapsed() * 10) / 10, ...r});
		};
		const req = lib.request(target, {
			method: options.method ?? 'GET',
			agent,
			headers: {'user-agent': 'rollout-cockpit-probe', accept: '*/*', ...(ownAgent ? {connection: 'close'} : {})},
		});
		const timer = setTimeout(() => {
			req.destroy(new ProbeTimeoutError(`no answer within ${timeoutMs} ms`));
		}, timeoutMs);
		req.on('error', (err) => {
			finish({ok: false, error: classifyError(err), detail: err.message});
		});
		req.on('response', (res) => {
			const status = res.statusCode ?? 0;
			const headerValue = 'header' in rule ? headerString(res.headers[rule.header.toLowerCase()]) : undefined;
			const done = (servedBy: string | undefined) => {
				if (status >= 500) {
					finish({ok: false, status, servedBy, error: '5xx', detail: `${status} ${res.statusMessage ?? ''}`.trim()});
				} else {
					finish({ok: true, status, servedBy});
				}
			};
			if ('header' in rule) {
				// Headers are all we need: answer now and let the body drain in the background.
				res.on('error', () => {});
				res.resume();
				done(headerValue);
				return;
			}
			const chunks: Buffer[] = [];
			let size = 0;
			res.on('data', (chunk: Buffer) => {
				if (size < MAX_BODY_BYTES) {
					chunks.push(chunk);
					size += chunk.length;
				}
			});
			res.on('end', () => {
				const body = Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
				const m = rule.bodyRegex.exec(body);
				done(m ? (m[1] ?? m[0]) : undefined);
			});
			res.on('error', (err) => {
				finish({ok: false, status, error: classifyError(err), detail: err.message});
			});
		});
		req.end();
	});
}

function headerString(v: string | string[] | undefined): string | undefined {
	if (v === undefined) return undefined;
	return Array.isArray(v) ? v.join(', ') : v;
}

// Options of a running prober.
export type ProberOptions = Omit<ProbeOnceOptions, 'seq' | 'agent'> & {
	url: string | URL;
	/** Time between probe starts. @default 200 (5 per second) */
	intervalMs?: number;
	/** Never more than this many probes in flight; a tick that would exceed it is skipped. @default 4 */
	maxInFlight?: number;
	/** Reuse connections. Off by default so each probe dials afresh and sees the current endpoints. @default false */
	keepAlive?: boolean;
	/** Stop starting probes after this many. @default unlimited */
	count?: number;
	/** Called with each finished probe, in completion order. */
	onResult: (result: ProbeResult) => void;
	/** Called when the last probe of `count` has finished. */
	onDone?: () => void;
	/** Keep the process alive while probing (the headless command); the cockpit's prober does not. @default true */
	ref?: boolean;
};

// A running prober: stop() starts no more probes and waits for (and still reports) the ones in flight.
export type Prober = {
	readonly url: URL;
	readonly started: number;
	readonly skipped: number;
	readonly inFlight: number;
	stop(): Promise<void>;
};

// Starts probing at once and then every intervalMs, with bounded concurrency. Throws ProbeUrlError on a bad URL.
export function startProber(options: ProberOptions): Prober {
	const url = typeof options.url === 'string' ? parseProbeUrl(options.url, options) : options.url;
	if (options.loopbackOnly) parseProbeUrl(url.href, options);
	const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
	const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
	if (!(intervalMs > 0)) throw new RangeError(`interval must be a positive number of milliseconds, not ${intervalMs}`);
	if (!(maxInFlight >= 1)) throw new RangeError(`maxInFlight must be at least 1, not ${maxInFlight}`);
	const lib = url.protocol === 'https:' ? https : http;
	const sharedAgent = options.keepAlive ? new lib.Agent({keepAlive: true, maxSockets: maxInFlight}) : undefined;
	const pending = new Set<Promise<void>>();
	let started = 0;
	let skipped = 0;
	let stopped = false;
	let doneCalled = false;

	const maybeDone = () => {
		if (!doneCalled && options.count !== undefined && started >= options.count && pending.size === 0) {
			doneCalled = true;
			clearInterval(timer);
			options.onDone?.();
		}
	};
	const tick = () => {
		if (stopped) return;
		if (options.count !== undefined && started >= options.count) return;
		if (pending.size >= maxInFlight) {
			skipped++;
			return;
		}
		const seq = ++started;
		const p = probeOnce(url, {...options, seq, agent: sharedAgent}).then((r) => {
			pending.delete(p);
			options.onResult(r);
			maybeDone();
		});
		pending.add(p);
	};
	const timer = setInterval(tick, intervalMs);
	if (options.ref === false) timer.unref();
	tick();

	return {
		url,
		get started() {
			return started;
		},
		get skipped() {
			return skipped;
		},
		get inFlight() {
			return pending.size;
		},
		async stop() {
			stopped = true;
			clearInterval(timer);
			await Promise.all([...pending]);
			sharedAgent?.destroy();
		},
	};
}
