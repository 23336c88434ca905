// Entry point: flags decide which cluster, then render the cockpit or run a headless command.
// Start-up counts (the cockpit is opened many times a day): the first frame, a header and a spinner,
// is drawn before client-node or the embedded cluster is even loaded; they come in by dynamic import.
import process from 'node:process';
import pkg from '../package.json' with {type: 'json'};
import {checkDemoProbe, parseCli, USAGE, UsageError, type CliOptions} from './cli-args.js';

// Where start-up timings go when ROLLOUT_COCKPIT_TIMINGS names a file (scripts/bench.mjs reads it).
function recordTiming(name: string): void {
	const file = process.env.ROLLOUT_COCKPIT_TIMINGS;
	if (!file) return;
	// performance.now() counts from the process' start, so this is the time a user waits.
	const line = JSON.stringify({name, ms: Math.round(performance.now()), rssMb: Math.round(process.memoryUsage.rss() / 1048576)});
	void import('node:fs').then((fs) => fs.appendFileSync(file, `${line}\n`));
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
		process.stdout.write(`${ENTER_ALT_SCREEN}\u001B[H`);
		onScreen = true;
		process.on('exit', leaveScreen);
	}
	const deployment = options.deployment ?? (options.demo ? 'nginx' : undefined);
	const themed = (node: React.ReactNode) => <ThemeContext.Provider value={theme}>{node}</ThemeContext.Provider>;
	let firstFrame = false;
	const instance = render(
		themed(
			<Boot
				context={options.demo ? 'embedded' : options.context}
				namespace={options.namespace}
				deployment={deployment}
				step={options.demo ? 'starting the embedded cluster…' : 'loading kubeconfig…'}
			/>,
		),
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
		const store = new CockpitStore({
			context: conn.contextName,
			server: conn.clusterServer,
			namespace: conn.namespace,
			deploymentName: deployment,
		});
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
			const [{ProbeSession}, {followCockpit}, {selectRollout}] = await Promise.all([
				import('./probe/session.js'),
				import('./probe/follow.js'),
				import('./state/selectors.js'),
			]);
			const session = new ProbeSession();
			const begin = () => {
				if (quitting) return;
				const follow = followCockpit(session, store, {
					conn,
					url: options.probe,
					prober: {intervalMs: options.probeIntervalMs, loopbackOnly: options.demo},
				});
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
		"Demo: an embedded cluster with the article's nginx deployment. In another terminal:",
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
	const to =
		(tone: 'info' | 'error') =>
		(...args: unknown[]) => {
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

// The program: exit status 0 on a normal quit, 1 on a failure, 2 on a usage error.
export async function main(argv: string[]): Promise<number> {
	if (argv[0] === 'sim' && argv[1] === 'credential') {
		// The embedded cluster's exec credential plugin: kubectl runs it for every command, so it loads nothing else.
		const {runCredentialPlugin} = await import('./sim/auth/exec-credential.js');
		return runCredentialPlugin(argv.slice(2), process.env, {
			stdout: (t) => process.stdout.write(t),
			stderr: (t) => process.stderr.write(t),
		});
	}
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
