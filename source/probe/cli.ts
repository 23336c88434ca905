// `rollout-cockpit probe URL`: the article's `watch curl -I http://node:30353/`, but counting. One line per
// probe while it runs, and on exit (Ctrl-C, SIGTERM or --count reached) a summary whose exit code says
// whether any probe failed, so a script can run it around `kubectl rollout restart`.
import {startProber, parseProbeUrl, ProbeUrlError, DEFAULT_INTERVAL_MS, DEFAULT_TIMEOUT_MS} from './prober.js';
import type {ProbeResult, ServedByRule} from './prober.js';
import {summarize, formatLatency, formatOutage, formatServedBy, formatReasons, formatProbeTime} from './stats.js';

// The usage text, printed by --help and after a usage error.
export const PROBE_USAGE = `Usage: rollout-cockpit probe URL [--interval MS] [--timeout MS] [--header NAME | --match REGEX] [--count N] [--keep-alive]

Probes URL (http or https) every --interval ms (default ${DEFAULT_INTERVAL_MS}, 5 per second) and prints one line per
probe: time, status or failure reason (refused, reset, timeout, 5xx), latency, and which version answered.
On Ctrl-C, SIGTERM or after --count probes it prints a summary and exits 0 if no probe failed, 1 if any did.

  --interval MS   time between probes (default ${DEFAULT_INTERVAL_MS})
  --timeout MS    a probe without an answer after this long fails as "timeout" (default ${DEFAULT_TIMEOUT_MS})
  --header NAME   the response header that names the version (default Server)
  --match REGEX   read the version from the body instead: the first capture group, else the whole match
  --count N       stop after N probes
  --keep-alive    reuse connections (off by default, so each probe sees the current endpoints)
`;

// Where the command writes, and how a test stops it the way Ctrl-C would.
export type ProbeCommandIO = {
	stdout: (text: string) => void;
	stderr: (text: string) => void;
	/** Aborting it stops probing and prints the summary, as SIGINT does. */
	signal?: AbortSignal;
	/** Listen to SIGINT/SIGTERM. @default true */
	handleSignals?: boolean;
};

type ProbeFlags = {url: URL; intervalMs: number; timeoutMs: number; servedBy: ServedByRule; count?: number; keepAlive: boolean};

class UsageError extends Error {}

function positiveNumber(flag: string, raw: string | undefined, integer = false): number {
	if (raw === undefined || raw === '') throw new UsageError(`${flag} needs a value`);
	const n = Number(raw);
	if (!/^\s*[0-9.eE+]+\s*$/.test(raw) || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
		const what = integer ? 'a positive whole number' : 'a positive number of milliseconds';
		throw new UsageError(`${flag} must be ${what}, not ${JSON.stringify(raw)}`);
	}
	return n;
}

// Parses the probe command's arguments; throws UsageError with the message to print.
function parseFlags(argv: readonly string[]): ProbeFlags | 'help' {
	const positional: string[] = [];
	const values = new Map<string, string>();
	let keepAlive = false;
	const withValue = new Set(['--interval', '--timeout', '--header', '--match', '--count']);
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '-h' || arg === '--help') return 'help';
		if (arg === '--keep-alive') {
			keepAlive = true;
			continue;
		}
		const eq = arg.indexOf('=');
		const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
		if (withValue.has(name)) {
			const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i];
			if (value === undefined) throw new UsageError(`${name} needs a value`);
			values.set(name, value);
			continue;
		}
		if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown flag ${arg}`);
		positional.push(arg);
	}
	if (positional.length === 0) throw new UsageError('a URL to probe is required, e.g. rollout-cockpit probe http://127.0.0.1:30080/');
	if (positional.length > 1) throw new UsageError(`one URL at a time, got ${positional.length}: ${positional.join(' ')}`);
	let url: URL;
	try {
		url = parseProbeUrl(positional[0]);
	} catch (err) {
		if (err instanceof ProbeUrlError) throw new UsageError(err.message);
		throw err;
	}
	if (values.has('--header') && values.has('--match')) throw new UsageError('--header and --match cannot be used together');
	let servedBy: ServedByRule = {header: values.get('--header') ?? 'server'};
	if (values.has('--match')) {
		try {
			servedBy = {bodyRegex: new RegExp(values.get('--match') as string)};
		} catch (err) {
			throw new UsageError(`--match is not a valid regular expression: ${(err as Error).message}`);
		}
	}
	if (values.get('--header') === '') throw new UsageError('--header needs a header name');
	return {
		url,
		intervalMs: values.has('--interval') ? positiveNumber('--interval', values.get('--interval')) : DEFAULT_INTERVAL_MS,
		timeoutMs: values.has('--timeout') ? positiveNumber('--timeout', values.get('--timeout')) : DEFAULT_TIMEOUT_MS,
		servedBy,
		count: values.has('--count') ? positiveNumber('--count', values.get('--count'), true) : undefined,
		keepAlive,
	};
}

// One probe as a line: time, status or reason, latency, who answered (or what went wrong).
export function formatProbeLine(r: ProbeResult): string {
	const what = r.status !== undefined ? String(r.status) : (r.error ?? 'other');
	const tail = r.ok ? (r.servedBy ?? '') : [r.servedBy, `${r.error ?? 'other'}: ${r.detail ?? ''}`.trim()].filter(Boolean).join('  ');
	return `${formatProbeTime(r.at)}  ${what.padEnd(7)}  ${formatLatency(r.latencyMs).padStart(9)}  ${tail}`.trimEnd();
}

// The summary printed on exit.
export function formatProbeSummary(url: string, results: readonly ProbeResult[], skipped: number): string[] {
	const s = summarize(results);
	const lat = (v: number | undefined) => (v === undefined ? '-' : formatLatency(v));
	const lines = [
		`--- ${url} probe summary ---`,
		`${s.probes} probe${s.probes === 1 ? '' : 's'}, ${s.failed} failed${s.failed > 0 ? ` (${formatReasons(s.byReason)})` : ''}, ` +
			`p50 ${lat(s.p50)}, p99 ${lat(s.p99)}, max ${s.probes > s.failed ? formatLatency(s.maxLatencyMs) : '-'}`,
		formatServedBy(s.servedBy)
			.replace(/^served by/, 'versions seen:')
			.replace(/^no version seen$/, 'versions seen: none'),
		...s.outages.map(formatOutage),
	];
	if (skipped > 0) lines.push(`${skipped} tick${skipped === 1 ? '' : 's'} skipped while earlier probes were still waiting`);
	return lines;
}

// Runs the probe command; resolves with the exit code: 0 no probe failed, 1 some failed, 2 bad usage.
export async function runProbeCommand(argv: readonly string[], io: Partial<ProbeCommandIO> = {}): Promise<number> {
	const out = io.stdout ?? ((t: string) => void process.stdout.write(t));
	const err = io.stderr ?? ((t: string) => void process.stderr.write(t));
	let flags: ProbeFlags | 'help';
	try {
		flags = parseFlags(argv);
	} catch (e) {
		if (!(e instanceof UsageError)) throw e;
		err(`error: ${e.message}\n\n${PROBE_USAGE}`);
		return 2;
	}
	if (flags === 'help') {
		out(PROBE_USAGE);
		return 0;
	}
	const {url, intervalMs, timeoutMs, servedBy, count, keepAlive} = flags;
	const results: ProbeResult[] = [];
	out(`probing ${url.href} every ${intervalMs} ms (timeout ${timeoutMs} ms${keepAlive ? ', keep-alive' : ''}); Ctrl-C to stop\n`);
	await new Promise<void>((resolve) => {
		let stopping = false;
		const prober = startProber({
			url,
			intervalMs,
			timeoutMs,
			servedBy,
			count,
			keepAlive,
			onResult: (r) => {
				results.push(r);
				out(`${formatProbeLine(r)}\n`);
			},
			onDone: () => void stop(),
		});
		const stop = async () => {
			if (stopping) return;
			stopping = true;
			if (io.handleSignals !== false) {
				process.off('SIGINT', onSignal);
				process.off('SIGTERM', onSignal);
			}
			io.signal?.removeEventListener('abort', onSignal);
			await prober.stop();
			for (const line of formatProbeSummary(
				url.href,
				[...results].sort((a, b) => a.seq - b.seq),
				prober.skipped,
			))
				out(`${line}\n`);
			resolve();
		};
		const onSignal = () => void stop();
		if (io.handleSignals !== false) {
			process.on('SIGINT', onSignal);
			process.on('SIGTERM', onSignal);
		}
		if (io.signal?.aborted) onSignal();
		else io.signal?.addEventListener('abort', onSignal, {once: true});
	});
	return results.some((r) => !r.ok) ? 1 : 0;
}
