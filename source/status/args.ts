// `rollout-cockpit status` flags: kubectl's for the cluster (-n, --context, --kubeconfig) and for the wait
// (--watch, --timeout with Go durations), plus --json, --fail-fast and --probe. Bad input is a usage error (exit 2).
import {parseArgs} from 'node:util';
import {flagErrorText} from '../cli-args.js';
import {DEFAULT_STUCK_AFTER_MS} from '../model/stuck-pods.js';

export type StatusOptions = {
	deployment: string;
	namespace?: string;
	context?: string;
	kubeconfig?: string;
	/** Wait for the rollout to finish (else one look). */
	watch: boolean;
	/** Give up after this long; 0 waits for ever (kubectl's --timeout=0). */
	timeoutMs: number;
	json: boolean;
	/** Stop at the first new pod stuck for failFastAfterMs (model/stuck-pods.ts). */
	failFast: boolean;
	failFastAfterMs: number;
	probe?: string;
	probeIntervalMs: number;
	/** Write the rollout's timeline as an SVG picture here when the watch ends. */
	timelineSvg?: string;
};

// A status command line that cannot run: the message, then the usage, exit status 2.
export class StatusUsageError extends Error {}

export const STATUS_USAGE = `Usage:
  rollout-cockpit status DEPLOYMENT [-n NAMESPACE] [--context NAME] [--kubeconfig FILE]
                         [--watch] [--timeout DURATION] [--json] [--fail-fast [--fail-fast-after DURATION]]
                         [--probe URL [--probe-interval MS]] [--timeline-svg FILE]

Says whether a Deployment's rollout is complete, with \`kubectl rollout status\`'s sentences, without a screen.

Options:
  -w, --watch          wait until the rollout finishes (else print the status once)
      --timeout D      with --watch: give up after D (Go duration: 90s, 5m, 1h30m; 0 waits for ever, the default)
      --json           one JSON object per line: progress, then the verdict with the rollout's timeline
      --fail-fast      stop when a pod of the new ReplicaSet is in ImagePullBackOff, ErrImagePull,
                       CrashLoopBackOff, CreateContainerConfigError or Unschedulable for --fail-fast-after
      --fail-fast-after D   how long such a pod must have been stuck (default 15s)
      --probe URL      probe this http(s) URL while waiting; the verdict carries the tally
      --probe-interval MS   time between probes (default 200)
      --timeline-svg F with --watch: when it ends, write the rollout's timeline (ready pods per revision, events,
                       probe failures) as an SVG picture to F
  -n, --namespace NS   namespace (default: the context's, else "default")
      --context NAME   kubeconfig context (default: the current context)
      --kubeconfig F   kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)

Exit status: 0 the rollout is complete; 1 it exceeded its progress deadline, timed out, will not progress
(--fail-fast), or is not complete (without --watch); 2 bad usage, or the cluster or the deployment cannot be reached.
`;

const UNITS: Record<string, number> = {ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000};

// Go's time.ParseDuration, as kubectl reads --timeout: "300ms", "1.5h", "2h45m", "0"; milliseconds, or undefined.
export function parseGoDuration(text: string): number | undefined {
	if (text === '0') return 0;
	let rest = text.replace(/^\+/, '');
	if (rest === '' || rest.startsWith('-')) return undefined;
	let total = 0;
	while (rest !== '') {
		const m = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
		if (!m) return undefined;
		total += Number(m[1]) * UNITS[m[2]];
		rest = rest.slice(m[0].length);
	}
	return total;
}

function duration(flag: string, text: string): number {
	const ms = parseGoDuration(text);
	if (ms === undefined) throw new StatusUsageError(`${flag} needs a duration such as 90s, 5m or 1h30m, not ${JSON.stringify(text)}`);
	return ms;
}

// Parses the arguments after `status`; throws StatusUsageError on anything it does not understand.
export function parseStatusArgs(argv: readonly string[]): StatusOptions | 'help' {
	// biome-ignore lint/suspicious/noImplicitAnyLet: parseArgs infers its result type from the options literal below
	let parsed;
	try {
		parsed = parseArgs({
			args: [...argv],
			allowPositionals: true,
			strict: true,
			options: {
				namespace: {type: 'string', short: 'n'},
				context: {type: 'string'},
				kubeconfig: {type: 'string'},
				watch: {type: 'boolean', short: 'w'},
				timeout: {type: 'string'},
				json: {type: 'boolean'},
				'fail-fast': {type: 'boolean'},
				'fail-fast-after': {type: 'string'},
				probe: {type: 'string'},
				'probe-interval': {type: 'string'},
				'timeline-svg': {type: 'string'},
				help: {type: 'boolean', short: 'h'},
			},
		});
	} catch (error) {
		throw new StatusUsageError(flagErrorText(error));
	}
	const {values, positionals} = parsed;
	if (values.help) return 'help';
	if (positionals.length === 0) throw new StatusUsageError('status needs a DEPLOYMENT: rollout-cockpit status NAME');
	if (positionals.length > 1) throw new StatusUsageError(`expected one DEPLOYMENT, got ${positionals.length}: ${positionals.join(' ')}`);
	for (const flag of ['namespace', 'context', 'kubeconfig'] as const)
		if (values[flag] === '') throw new StatusUsageError(`--${flag} needs a non-empty value`);
	if (values.timeout !== undefined && !values.watch) throw new StatusUsageError('--timeout needs --watch: without it, status looks once');
	if (values.probe !== undefined && !values.watch)
		throw new StatusUsageError('--probe needs --watch: the tally is of the rollout waited for');
	if (values['timeline-svg'] !== undefined && !values.watch)
		throw new StatusUsageError('--timeline-svg needs --watch: the timeline is of the rollout waited for');
	if (values['timeline-svg'] === '') throw new StatusUsageError('--timeline-svg needs a file name');
	if (values['fail-fast-after'] !== undefined && !values['fail-fast']) throw new StatusUsageError('--fail-fast-after needs --fail-fast');
	if (values['probe-interval'] !== undefined && values.probe === undefined)
		throw new StatusUsageError('--probe-interval needs --probe URL');
	if (values.probe !== undefined) {
		let url: URL | undefined;
		try {
			url = new URL(values.probe);
		} catch {
			url = undefined;
		}
		if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '')
			throw new StatusUsageError(
				`--probe needs an http:// or https:// URL, e.g. http://127.0.0.1:30353/, not ${JSON.stringify(values.probe)}`,
			);
	}
	const interval = values['probe-interval'];
	if (interval !== undefined && (!/^\d+$/.test(interval) || Number(interval) <= 0))
		throw new StatusUsageError(`--probe-interval must be a positive whole number of milliseconds, not ${JSON.stringify(interval)}`);
	return {
		deployment: positionals[0],
		namespace: values.namespace,
		context: values.context,
		kubeconfig: values.kubeconfig,
		watch: values.watch ?? false,
		timeoutMs: values.timeout === undefined ? 0 : duration('--timeout', values.timeout),
		json: values.json ?? false,
		failFast: values['fail-fast'] ?? false,
		failFastAfterMs:
			values['fail-fast-after'] === undefined ? DEFAULT_STUCK_AFTER_MS : duration('--fail-fast-after', values['fail-fast-after']),
		probe: values.probe,
		probeIntervalMs: interval === undefined ? 200 : Number(interval),
		timelineSvg: values['timeline-svg'],
	};
}
