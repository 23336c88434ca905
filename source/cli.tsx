// Entry point: flags decide which cluster, then render the cockpit or run a headless command.
// Start-up counts (the cockpit is opened many times a day): the first frame, a header and a spinner,
// is drawn before client-node or the embedded cluster is even loaded; they come in by dynamic import.
import process from 'node:process';
import {parseArgs} from 'node:util';
import pkg from '../package.json' with {type: 'json'};

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
	help: boolean;
	version: boolean;
};

// A command line that cannot be run: printed with a hint, exit status 2 (as kubectl does for usage errors).
export class UsageError extends Error {}

export const USAGE = `Usage:
  rollout-cockpit [DEPLOYMENT] [-n NAMESPACE] [--context NAME] [--kubeconfig FILE] [--readonly]
                  [--probe URL | --no-probe] [--probe-interval MS]
  rollout-cockpit --demo [DEPLOYMENT]
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
  -h, --help           show this help
  -v, --version        print the version

Keys: arrows or j/k move, Tab switches pane, Enter opens a pod, g checks whether a rollout would
drop requests, Esc goes back, ? help, q quits. Changes, each confirmed with y: r restart, i set image,
s scale, u undo, p pause/resume; h shows the history (Enter template, d diff, u undo to a revision).
Environment: NO_COLOR disables colours.
`;

// Parses argv (without node and the script); throws UsageError on anything it does not understand.
export function parseCli(argv: string[]): CliOptions {
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
				help: {type: 'boolean', short: 'h'},
				version: {type: 'boolean', short: 'v'},
			},
		});
	} catch (error) {
		const message = (error as Error).message;
		const unknown = /Unknown option '([^']+)'/.exec(message);
		if (unknown) throw new UsageError(`unknown flag: ${unknown[1]}`);
		const missing = /Option '([^']+)' argument missing/.exec(message);
		if (missing) throw new UsageError(`flag needs an argument: ${missing[1].replace(/^-\w, /, '')}`);
		const ambiguous = /Option '([^']+)' argument is ambiguous/.exec(message);
		if (ambiguous) {
			const flag = ambiguous[1].replace(/^-\w, /, '');
			throw new UsageError(`flag needs an argument: ${flag} (a value starting with "-" is written ${flag}=VALUE)`);
		}
		throw new UsageError(message.split('. ')[0]);
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

// Where start-up timings go when ROLLOUT_COCKPIT_TIMINGS names a file (scripts/bench.mjs reads it).
function recordTiming(name: string): void {
	const file = process.env.ROLLOUT_COCKPIT_TIMINGS;
	if (!file) return;
	// performance.now() counts from the process' start, so this is the time a user waits.
	const line = JSON.stringify({name, ms: Math.round(performance.now()), rssMb: Math.round(process.memoryUsage.rss() / 1048576)});
	void import('node:fs').then((fs) => fs.appendFileSync(file, line + '\n'));
}

const ENTER_ALT_SCREEN = '\u001B[?1049h';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';
const SHOW_CURSOR = '\u001B[?25h';

// Runs the cockpit until the user quits; resolves with the exit status.
async function runCockpit(options: CliOptions): Promise<number> {
	// NO_COLOR must be honoured by chalk, which Ink loads below and which only knows FORCE_COLOR.
	if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
	// Ink draws nothing until exit when it thinks it runs in CI; on an interactive terminal it does not.
	if (process.stdout.isTTY) {
		delete process.env.CI;
		delete process.env.CONTINUOUS_INTEGRATION;
	}
	const [{render}, React, {Boot}, {ThemeContext, themeFromEnv}] = await Promise.all([
		import('ink'),
		import('react'),
		import('./app/Boot.js'),
		import('./app/theme.js'),
	]);
	const theme = themeFromEnv(process.env);
	const tty = process.stdout.isTTY === true;
	let onScreen = false;
	const leaveScreen = () => {
		if (!onScreen) return;
		onScreen = false;
		process.stdout.write(LEAVE_ALT_SCREEN + SHOW_CURSOR);
	};
	if (tty) {
		// Home the cursor too: the alternate screen keeps the cursor where the shell left it.
		process.stdout.write(ENTER_ALT_SCREEN + '\u001B[H');
		onScreen = true;
		process.on('exit', leaveScreen);
	}
	const deployment = options.deployment ?? (options.demo ? 'nginx' : undefined);
	const themed = (node: React.ReactNode) => <ThemeContext.Provider value={theme}>{node}</ThemeContext.Provider>;
	let firstFrame = false;
	const instance = render(
		themed(<Boot context={options.demo ? 'embedded' : options.context} namespace={options.namespace} deployment={deployment} step={options.demo ? 'starting the embedded cluster…' : 'loading kubeconfig…'} />),
		{
			exitOnCtrlC: true,
			patchConsole: false,
			// Ink 6.8's incremental mode left a stale line at the top in tmux (100x30); full frames are exact.
			incrementalRendering: false,
			onRender: () => {
				if (!firstFrame) {
					firstFrame = true;
					recordTiming('first-frame');
				}
			},
		},
	);
	const cleanups: Array<() => Promise<void> | void> = [];
	let quitting = false;
	const quit = () => {
		if (quitting) return;
		quitting = true;
		instance.unmount();
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, quit);
	// Anything printed while the screen is up would tear it: console output goes to the status line.
	const restoreConsole = divertConsole();
	cleanups.push(restoreConsole);
	let status = 0;
	let failure: string | undefined;
	const start = async () => {
		let kubeconfig = options.kubeconfig;
		let context = options.context;
		if (options.demo) {
			const {startCluster} = await import('./sim/cluster.js');
			// Real-time speed: the simulated kubelet's steps are already short (a pull takes 1.2 s, not the
			// article's 55 s), so a set-image rollout of 3 pods takes about 6 s, which the eye can follow.
			const cluster = await startCluster({scenario: 'nginx', speed: 1, endpointLagMs: 1000});
			cleanups.push(() => cluster.stop());
			kubeconfig = cluster.kubeconfigPath;
			context = undefined;
			recordTiming('cluster-started');
		}
		const [{connect}, {CockpitStore, startCockpitData}, {App}, {createActionRunner}] = await Promise.all([
			import('./kube/connect.js'),
			import('./state/store.js'),
			import('./app/App.js'),
			import('./kube/actions/runner.js'),
		]);
		const conn = connect({kubeconfig, context, namespace: options.namespace});
		const store = new CockpitStore({context: conn.contextName, server: conn.clusterServer, namespace: conn.namespace, deploymentName: deployment});
		cleanups.push(() => store.dispose());
		diverted.sink = (text, tone) => store.setStatus(text, tone);
		const notes = options.demo ? demoNotes(kubeconfig ?? '') : undefined;
		if (options.demo) store.setStatus(`demo cluster: KUBECONFIG=${kubeconfig} (? for kubectl commands to try)`, 'info');
		const data = startCockpitData(conn, store);
		cleanups.unshift(() => data.stop());
		// Sends the confirmed r/i/s/u/p changes; with --readonly it refuses them too, whatever the keys let through.
		const actions = createActionRunner(conn, {readonly: options.readonly});
		// The probe runs beside the store, outside React: it follows the selected deployment (discovering its
		// NodePort unless --probe named a URL); the demo may only ever dial loopback.
		let probe: import('./probe/session.js').ProbeSession | undefined;
		let appShown = false;
		const renderApp = () => {
			if (quitting) return;
			appShown = true;
			instance.rerender(themed(<App store={store} readonly={options.readonly} notes={notes} probe={probe} actions={actions} />));
		};
		if (!options.noProbe) {
			const [{ProbeSession}, {followCockpit}, {selectRollout}] = await Promise.all([import('./probe/session.js'), import('./probe/follow.js'), import('./state/selectors.js')]);
			const session = new ProbeSession();
			const begin = () => {
				if (quitting) return;
				const follow = followCockpit(session, store, {conn, url: options.probe, prober: {intervalMs: options.probeIntervalMs, loopbackOnly: options.demo}});
				cleanups.unshift(() => follow.stop());
				probe = session;
				if (appShown) renderApp();
			};
			if (options.demo) {
				// The embedded cluster is still creating the article's pods: probing starts once they serve, so
				// the first failures on screen are those of the user's own rollout, not of the demo's start.
				const rolledOut = () => selectRollout(store.getState())?.status.done === true;
				const unsubscribe = store.subscribe(() => {
					if (!rolledOut()) return;
					unsubscribe();
					begin();
				});
				cleanups.unshift(unsubscribe);
			} else {
				begin();
			}
		}
		if (process.env.ROLLOUT_COCKPIT_TIMINGS) {
			const unsubscribe = store.subscribe(() => {
				const s = store.getState();
				if (s.synced.deployments) {
					recordTiming('first-list');
					unsubscribe();
				}
			});
		}
		renderApp();
	};
	start().catch((error: unknown) => {
		failure = (error as Error).message ?? String(error);
		status = 1;
		quit();
	});
	try {
		await instance.waitUntilExit();
	} catch (error) {
		failure ??= (error as Error).message;
		status = 1;
	}
	quitting = true;
	// Watches first (so nothing reconnects), then the store, then the embedded cluster.
	for (const cleanup of cleanups) {
		try {
			await cleanup();
		} catch {
			// Best effort: the process is leaving anyway.
		}
	}
	leaveScreen();
	if (failure) process.stderr.write(`rollout-cockpit: ${failure}\n`);
	return status;
}

// What the help overlay adds in --demo: how to drive the embedded cluster from another terminal.
function demoNotes(kubeconfig: string): string[] {
	return [
		'Demo: an embedded cluster with the article\'s nginx deployment. In another terminal:',
		`  export KUBECONFIG=${kubeconfig}`,
		'  kubectl set image deployment/nginx nginx=nginx:1.20.1',
		'  kubectl rollout restart deployment/nginx',
		'  kubectl rollout undo deployment/nginx --to-revision=1',
		'  kubectl set image deployment/nginx nginx=nginx:1.20.1-crash   (a crash loop)',
	];
}

type Sink = (text: string, tone: 'info' | 'error') => void;
const diverted: {sink?: Sink; lines: string[]} = {lines: []};

// Sends console.* to the status line (or a buffer until the store exists); returns the restorer.
function divertConsole(): () => void {
	const original = {log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug};
	const to = (tone: 'info' | 'error') => (...args: unknown[]) => {
		const text = args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a))).join(' ');
		if (diverted.sink) diverted.sink(text.split('\n')[0], tone);
		else diverted.lines.push(text);
	};
	console.log = to('info');
	console.info = to('info');
	console.debug = () => {};
	console.warn = to('error');
	console.error = to('error');
	return () => {
		Object.assign(console, original);
		diverted.sink = undefined;
	};
}

// The demo never dials outside loopback: a --probe URL elsewhere is refused before anything starts.
async function checkDemoProbe(url: string): Promise<void> {
	const {parseProbeUrl} = await import('./probe/prober.js');
	try {
		parseProbeUrl(url, {loopbackOnly: true});
	} catch (error) {
		throw new UsageError(`--demo: ${(error as Error).message}`);
	}
}

// The program: exit status 0 on a normal quit, 1 on a failure, 2 on a usage error.
export async function main(argv: string[]): Promise<number> {
	if (argv[0] === 'sim') {
		const {runSimCommand} = await import('./sim/cli.js');
		return runSimCommand(argv.slice(1));
	}
	if (argv[0] === 'probe') {
		const {runProbeCommand} = await import('./probe/cli.js');
		return runProbeCommand(argv.slice(1));
	}
	let options: CliOptions;
	try {
		options = parseCli(argv);
		if (options.demo && options.probe !== undefined) await checkDemoProbe(options.probe);
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(`rollout-cockpit: ${error.message}\nRun 'rollout-cockpit --help' for usage.\n`);
			return 2;
		}
		throw error;
	}
	if (options.help) {
		process.stdout.write(USAGE);
		return 0;
	}
	if (options.version) {
		process.stdout.write(`rollout-cockpit ${pkg.version}\n`);
		return 0;
	}
	return runCockpit(options);
}

// Run when executed (node dist/cli.js, or tsx source/cli.tsx), not when imported by tests.
const entry = process.argv[1] ?? '';
if (/(?:^|[\\/])(?:cli\.(?:js|tsx|mjs)|rollout-cockpit)$/.test(entry)) {
	main(process.argv.slice(2)).then(
		(code) => {
			process.exitCode = code;
			// Sockets of stopped watches or timers of the embedded cluster must not hold the exit.
			setTimeout(() => process.exit(code), 1500).unref();
		},
		(error: unknown) => {
			process.stderr.write(`rollout-cockpit: ${(error as Error)?.stack ?? String(error)}\n`);
			process.exit(1);
		},
	);
}
