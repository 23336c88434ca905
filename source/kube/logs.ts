// One container's log, followed as `kubectl logs -f` and stern follow it, and resumed as stern resumes it: every
// line is asked for with timestamps=true, so the follower always knows where it is; when the stream breaks (the
// API server restarts, a proxy cuts it) it reconnects with sinceTime set to the second of the last line seen and
// skips the lines of that second it already has (sinceTime has whole seconds only), so nothing is shown twice and
// nothing is lost that the kubelet still keeps. A stream the server ends cleanly means the container stopped,
// unless the caller knows it still runs (then it resumes too). Lines go out in batches, one per chunk read.
import type http from 'node:http';
import {StringDecoder} from 'node:string_decoder';
import type {Connection} from './connect.js';
import {openRequest, readBody, statusError} from './http.js';
import {backoffDelay, type Timers} from './watch.js';

// One line as the kubelet timestamped it: ms since the epoch (with the sub-millisecond part), the RFC 3339 second
// it falls in (what sinceTime can name), and the text.
export type StreamLine = {at: number; second: string; text: string};

// Where a stream stands, for the log view's header.
export type LogStreamState = {
	phase: 'connecting' | 'streaming' | 'backoff' | 'ended';
	// Reconnections after a break so far.
	reconnects: number;
	error?: string;
	// How it ended: the container stopped (or the previous instance was read), the pod is gone, or an error.
	end?: 'completed' | 'gone' | 'error';
};

// What to read.
export type LogStreamTarget = {namespace: string; pod: string; container: string; previous?: boolean};

// Options of followLog.
export type LogStreamOptions = LogStreamTarget & {
	conn: Connection;
	/** Keep reading as lines are written (false for --previous, whose container has stopped). @default true */
	follow?: boolean;
	/** The first request's tailLines (undefined: the whole log the kubelet keeps). */
	tailLines?: number;
	onLines(lines: StreamLine[]): void;
	onState(state: LogStreamState): void;
	/**
	 * Asked when the server ended the stream cleanly: true when the container is known to be still running (the
	 * server closed it for its own reasons), so the follower resumes instead of ending. @default () => false
	 */
	stillRunning?: () => boolean;
	timing?: {backoffInitialMs?: number; backoffMaxMs?: number; random?: () => number; timers?: Timers};
	/** The HTTP request (tests inject a fake server); the default is the API server over the kubeconfig's TLS. */
	open?: (path: string, query: Record<string, string | number | boolean | undefined>, signal: AbortSignal) => Promise<http.IncomingMessage>;
};

// A running follower; stop() ends it (no more callbacks).
export type LogStream = {stop(): void};

// The longest line kept whole; longer ones are cut (a runaway line must not hold the memory).
export const MAX_LINE_CHARS = 16 * 1024;

// The last second parsed: lines come many to a second, and Date.parse is the costly part of a line.
let lastSecond = {text: '', ms: Number.NaN};

// Splits "2026-01-01T12:00:00.123456789Z text" into its time and text; a line without a timestamp keeps `fallback`.
export function parseTimestamped(line: string, fallback: {at: number; second: string}): StreamLine {
	const space = line.indexOf(' ');
	const stamp = space > 0 ? line.slice(0, space) : '';
	const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(stamp);
	if (!m) return {...fallback, text: line};
	const [, base, fraction = '', zone] = m;
	const secondText = `${base}${zone}`;
	if (lastSecond.text !== secondText) lastSecond = {text: secondText, ms: Date.parse(secondText)};
	const secondMs = lastSecond.ms;
	if (Number.isNaN(secondMs)) return {...fallback, text: line};
	const at = secondMs + (fraction === '' ? 0 : Number(`0.${fraction}`) * 1000);
	// sinceTime is RFC 3339 in UTC: the second as the server would compare it (the kubelet writes UTC already).
	const second = zone === 'Z' ? `${base}Z` : new Date(secondMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
	return {at, second, text: line.slice(space + 1)};
}

// Where the follower is: the second of the last line and how many lines of that second it has (stern's resume).
export type ResumePoint = {second: string; lines: number};

// Splits chunks into lines and drops the ones a resumed request repeats; pure, so tests feed it by hand.
export class LogLineReader {
	private decoder = new StringDecoder('utf8');
	private partial = '';
	private skip?: ResumePoint;
	last?: ResumePoint;

	// A new request begins: a partial line of the broken one is discarded (the server sends it again whole), and
	// the lines of the resume second already seen are skipped.
	restart(): void {
		this.decoder = new StringDecoder('utf8');
		this.partial = '';
		this.skip = this.last ? {...this.last} : undefined;
	}

	// The complete lines in a chunk, new ones only.
	push(chunk: Buffer | string, now: number): StreamLine[] {
		const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
		const parts = text.split('\n');
		this.partial = parts.pop() ?? '';
		if (this.partial.length > MAX_LINE_CHARS) {
			parts.push(this.partial);
			this.partial = '';
		}
		const out: StreamLine[] = [];
		for (const raw of parts) {
			const line = parseTimestamped(raw.length > MAX_LINE_CHARS ? raw.slice(0, MAX_LINE_CHARS) : raw, {
				at: now,
				second: this.last?.second ?? new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
			});
			if (this.skip && line.second === this.skip.second && this.skip.lines > 0) {
				this.skip.lines--;
				continue;
			}
			if (this.skip && line.second < this.skip.second) continue;
			this.skip = undefined;
			this.last = this.last?.second === line.second ? {second: line.second, lines: this.last.lines + 1} : {second: line.second, lines: 1};
			out.push(line);
		}
		return out;
	}
}

// Follows one container's log until it ends or stop() is called.
export function followLog(options: LogStreamOptions): LogStream {
	const follow = options.follow ?? true;
	const timers: Timers = options.timing?.timers ?? {
		setTimeout: (fn, ms) => setTimeout(fn, ms),
		clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
	};
	const random = options.timing?.random ?? Math.random;
	const open =
		options.open ??
		((path: string, query: Record<string, string | number | boolean | undefined>, signal: AbortSignal) =>
			openRequest(options.conn, path, {signal, query}));
	const path = `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/pods/${encodeURIComponent(options.pod)}/log`;
	const reader = new LogLineReader();
	let stopped = false;
	let abort: AbortController | undefined;
	let retry: unknown;
	let attempt = 0;
	let reconnects = 0;
	const setState = (next: LogStreamState) => {
		if (!stopped) options.onState(next);
	};

	const end = (how: LogStreamState['end'], error?: string) => {
		if (stopped) return;
		setState({phase: 'ended', reconnects, end: how, ...(error ? {error} : {})});
		stopped = true;
	};

	const scheduleResume = (error: string) => {
		if (stopped) return;
		const delay = backoffDelay(
			attempt++,
			{backoffInitialMs: options.timing?.backoffInitialMs ?? 250, backoffMaxMs: options.timing?.backoffMaxMs ?? 5000, jitter: 0.5},
			random,
		);
		setState({phase: 'backoff', reconnects, error});
		retry = timers.setTimeout(() => {
			retry = undefined;
			reconnects++;
			void connect();
		}, delay);
	};

	const connect = async () => {
		if (stopped) return;
		reader.restart();
		const resume = reader.last;
		const query: Record<string, string | number | boolean | undefined> = {
			container: options.container,
			timestamps: true,
			follow: follow ? true : undefined,
			previous: options.previous ? true : undefined,
			// The first request: the tail asked for; a resumed one: from the second of the last line.
			tailLines: resume ? undefined : options.tailLines,
			sinceTime: resume?.second,
		};
		abort = new AbortController();
		let res: http.IncomingMessage;
		try {
			res = await open(path, query, abort.signal);
		} catch (error) {
			if (!stopped) scheduleResume((error as Error).message);
			return;
		}
		if (stopped) {
			res.destroy();
			return;
		}
		const status = res.statusCode ?? 0;
		if (status < 200 || status > 299) {
			const body = await readBody(options.conn.clusterServer, res).catch(() => '');
			const err = statusError(`GET ${path}`, status, body);
			if (status === 404) return end('gone', err.message);
			// "waiting to start": the container has not run yet; try again shortly.
			if (status === 400 && /waiting to start|ContainerCreating|PodInitializing/.test(err.message)) return scheduleResume(err.message);
			if (status >= 500 || status === 429) return scheduleResume(err.message);
			return end('error', err.message);
		}
		setState({phase: 'streaming', reconnects});
		res.on('data', (chunk: Buffer) => {
			if (stopped) return;
			const lines = reader.push(chunk, Date.now());
			if (lines.length > 0) {
				// Lines flowing: the connection is healthy again.
				attempt = 0;
				options.onLines(lines);
			}
		});
		let settled = false;
		const finish = (broken: boolean, why: string) => {
			if (settled) return;
			settled = true;
			if (stopped) return;
			if (!broken && (!follow || !(options.stillRunning?.() ?? false))) return end('completed');
			scheduleResume(why);
		};
		res.on('end', () => finish(!res.complete, 'the log stream ended early'));
		res.on('error', (error: Error) => finish(true, error.message));
		res.on('close', () => finish(!res.complete, 'the log stream was cut'));
	};

	void connect();
	return {
		stop() {
			if (stopped) return;
			stopped = true;
			if (retry !== undefined) timers.clearTimeout(retry);
			abort?.abort();
		},
	};
}
