// Command-line parsing for rollout-cockpit: CliOptions, the usage text, and the checks that end in a usage error (exit 2).
import {parseArgs} from 'node:util';

// What the command line asked for.
export type CliOptions = {
	deployment?: string;
	namespace?: string;
	context?: string;
	kubeconfig?: string;
	demo: boolean;
	readonly: boolean;
	/** --probe URL: probe this instead of discovering the deployment's Service. */
	probe?: string;
	/** --probe-interval MS: time between probes. */
	probeIntervalMs: number;
	/** --no-probe: no probe panel, no probing. */
	noProbe: boolean;
	/** --no-color: as NO_COLOR=1 (status carried by text and symbols). */
	noColor: boolean;
	help: boolean;
	version: boolean;
};

// A command line that cannot be run: printed with a hint, exit status 2 (as kubectl does for usage errors).
export class UsageError extends Error {}

/** node's parseArgs error in the words of a CLI user (one line: the flag and what is wrong with it). */
export function flagErrorText(error: unknown): string {
	const message = (error as Error).message;
	const unknown = /Unknown option '([^']+)'/.exec(message);
	if (unknown) return `unknown flag: ${unknown[1]}`;
	const missing = /Option '([^']+)' argument missing/.exec(message);
	if (missing) return `flag needs an argument: ${missing[1].replace(/^-\w, /, '')}`;
	const ambiguous = /Option '([^']+)' argument is ambiguous/.exec(message);
	if (ambiguous) {
		const flag = ambiguous[1].replace(/^-\w, /, '');
		return `flag needs an argument: ${flag} (a value starting with "-" is written ${flag}=VALUE)`;
	}
	return message.split('. ')[0];
}

export const USAGE = `Usage:
  rollout-cockpit [DEPLOYMENT] [-n NAMESPACE] [--context NAME] [--kubeconfig FILE] [--readonly]
                  [--probe URL | --no-probe] [--probe-interval MS] [--no-color]
  rollout-cockpit --demo [DEPLOYMENT]
  rollout-cockpit status DEPLOYMENT [--watch] [--timeout D] [--json] [--fail-fast] [--probe URL]
  rollout-cockpit sim [--port N] [--kubeconfig-out FILE] [--scenario nginx|empty] [--speed X]
  rollout-cockpit probe URL [--interval MS] [--timeout MS] [--header NAME | --match REGEX] [--count N]

Watch a Deployment's rollout: its pods by revision, its events, and a progress bar that says
what \`kubectl rollout status\` would say. Without DEPLOYMENT, pick one from the namespace's list.

Options:
  -n, --namespace NS   namespace (default: the context's, else "default")
      --context NAME   kubeconfig context (default: the current context)
      --kubeconfig F   kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
      --demo           start an embedded cluster with the article's nginx deployment and watch it
      --readonly       disable every key that changes the cluster
      --probe URL      probe this http(s) URL during rollouts (default: the deployment's NodePort
                       Service, discovered; \`rollout-cockpit probe URL\` probes without the cockpit)
      --probe-interval MS
                       time between probes (default 200, 5 per second)
      --no-probe       do not probe at all
      --no-color       no colours (as NO_COLOR=1): status is in the text and symbols
  -h, --help           show this help
  -v, --version        print the version

Keys: arrows or j/k move, Tab switches pane, Enter opens a pod, g checks whether a rollout would
drop requests, Esc goes back, ? help, q quits. Changes, each confirmed with y: r restart, i set image,
s scale, u undo, p pause/resume; h shows the history (Enter template, d diff, u undo to a revision).
:deploy NAME, :ns NAME, :ctx NAME switch without a restart (Tab completes); / filters (text or
/regex/); Shift-N, A, S, R, V sort the pods by name, age, status, restarts, revision.
Environment: NO_COLOR disables colours.
`;

// Parses argv (without node and the script); throws UsageError on anything it does not understand.
export function parseCli(argv: string[]): CliOptions {
	// biome-ignore lint/suspicious/noImplicitAnyLet: parseArgs infers its result type from the options literal below
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			strict: true,
			options: {
				namespace: {type: 'string', short: 'n'},
				context: {type: 'string'},
				kubeconfig: {type: 'string'},
				demo: {type: 'boolean'},
				readonly: {type: 'boolean'},
				probe: {type: 'string'},
				'probe-interval': {type: 'string'},
				'no-probe': {type: 'boolean'},
				'no-color': {type: 'boolean'},
				help: {type: 'boolean', short: 'h'},
				version: {type: 'boolean', short: 'v'},
			},
		});
	} catch (error) {
		throw new UsageError(flagErrorText(error));
	}
	const {values, positionals} = parsed;
	if (positionals.length > 1) throw new UsageError(`expected at most one DEPLOYMENT, got ${positionals.length}: ${positionals.join(' ')}`);
	for (const flag of ['namespace', 'context', 'kubeconfig'] as const) {
		if (values[flag] === '') throw new UsageError(`--${flag} needs a non-empty value`);
	}
	if (values.demo && (values.context !== undefined || values.kubeconfig !== undefined)) {
		throw new UsageError('--demo runs its own cluster: it cannot be combined with --context or --kubeconfig');
	}
	if (values.probe !== undefined && values['no-probe']) throw new UsageError('--probe and --no-probe cannot be used together');
	if (values.probe !== undefined) checkProbeUrl(values.probe);
	return {
		deployment: positionals[0],
		namespace: values.namespace,
		context: values.context,
		kubeconfig: values.kubeconfig,
		demo: values.demo ?? false,
		readonly: values.readonly ?? false,
		probe: values.probe,
		probeIntervalMs: values['probe-interval'] === undefined ? DEFAULT_PROBE_INTERVAL_MS : probeInterval(values['probe-interval']),
		noProbe: values['no-probe'] ?? false,
		noColor: values['no-color'] ?? false,
		help: values.help ?? false,
		version: values.version ?? false,
	};
}

// 5 probes per second, as probe/prober.ts's DEFAULT_INTERVAL_MS (not imported: the first frame must not wait for node:https).
const DEFAULT_PROBE_INTERVAL_MS = 200;

// --probe must be something the prober can dial: an http(s) URL with a host.
function checkProbeUrl(raw: string): void {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new UsageError(`--probe needs an http:// or https:// URL, e.g. http://127.0.0.1:30353/, not ${JSON.stringify(raw)}`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new UsageError(`--probe needs an http:// or https:// URL, not ${JSON.stringify(raw)} (${url.protocol.replace(/:$/, '')})`);
	}
	if (url.hostname === '') throw new UsageError(`--probe URL ${JSON.stringify(raw)} has no host`);
}

// --probe-interval: a positive whole number of milliseconds.
function probeInterval(raw: string): number {
	const n = Number(raw);
	if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n <= 0) {
		throw new UsageError(`--probe-interval must be a positive whole number of milliseconds, not ${JSON.stringify(raw)}`);
	}
	return n;
}

// The demo never dials outside loopback: a --probe URL elsewhere is refused before anything starts.
export async function checkDemoProbe(url: string): Promise<void> {
	const {parseProbeUrl} = await import('./probe/prober.js');
	try {
		parseProbeUrl(url, {loopbackOnly: true});
	} catch (error) {
		throw new UsageError(`--demo: ${(error as Error).message}`);
	}
}
