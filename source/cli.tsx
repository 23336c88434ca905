// Entry point: flags decide which cluster, then render the cockpit or run a headless command.
// Start-up counts (the cockpit is opened many times a day): the first frame, a header and a spinner,
// is drawn before Ink, React or the embedded cluster is even loaded; they come in by dynamic import.
import process from 'node:process';
import pkg from '../package.json' with {type: 'json'};
import {checkDemoProbe, parseCli, USAGE, UsageError, type CliOptions} from './cli-args.js';
import {describeError} from './kube/errors.js';

// Start-up marks and per-frame lines for the benchmark when ROLLOUT_COCKPIT_TIMINGS names a file (app/timings.ts).
const timings = process.env.ROLLOUT_COCKPIT_TIMINGS ? import('./app/timings.js') : undefined;

function recordTiming(name: string): void {
	void timings?.then((t) => t.mark(name));
}

const ENTER_ALT_SCREEN = '\u001B[?1049h';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';
const SHOW_CURSOR = '\u001B[?25h';
// Bracketed paste: the terminal marks pasted text (ESC[200~ ... ESC[201~), so a paste is text, never keys.
const PASTE_ON = '\u001B[?2004h';
const PASTE_OFF = '\u001B[?2004l';

// Things to stop when the cockpit quits, run in order (watches first, so nothing reconnects; then the store;
// then the embedded cluster), and whether it is quitting.
type Running = {cleanups: Array<() => Promise<void> | void>; quitting: boolean};

// Runs the cockpit until the user quits; resolves with the exit status.
async function runCockpit(options: CliOptions): Promise<number> {
	if (options.noColor) process.env.NO_COLOR = '1';
	prepareEnvironment();
	(await timings)?.countStdout();
	const deployment = options.deployment ?? (options.demo ? 'nginx' : undefined);
	const running: Running = {cleanups: [], quitting: false};
	// The checks, then the deployment's pods, are asked for first of all: the server answers while the cockpit loads
	// (the embedded cluster of --demo starts after the first frame, which it would hold). openCockpit takes the
	// outcome, a failure too.
	const opening = options.demo ? undefined : openTarget(options, deployment, running);
	opening?.target.catch(() => {});
	// The boot frame's modules take a while to evaluate (string-width's tables): they wait until the checks are on
	// their way (at most SEND_WAIT_MS, for a slow kubeconfig).
	if (opening) await Promise.race([opening.sent, delay(SEND_WAIT_MS)]);
	const [{themeFromEnv}, {frameWriterFor}, {drawBootFrame}] = await Promise.all([
		import('./state/ui.js'),
		import('./app/frame-writer.js'),
		import('./app/boot-frame.js'),
	]);
	const theme = themeFromEnv(process.env);
	const screen = alternateScreen(process.stdout.isTTY === true);
	// From the moment the screen is taken, Ctrl-C (the terminal is not raw yet: it is SIGINT), SIGTERM and SIGHUP (the
	// SSH link dropping) end the cockpit as q does: watches stopped, terminal restored. Before Ink is up, quitting
	// means not showing it at all.
	let signalled: keyof typeof SIGNAL_NUMBERS | undefined;
	let instance: import('ink').Instance | undefined;
	const quit = () => {
		if (running.quitting) return;
		running.quitting = true;
		instance?.unmount();
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
		process.once(signal, () => {
			signalled ??= signal;
			quit();
		});
	// Every frame goes through this writer (Boot and App draw with it; Ink itself writes nothing).
	const writer = frameWriterFor(process.stdout);
	writer.onDraw = (info) => {
		if (info.bytes > 0) {
			writer.onDraw = undefined;
			recordTiming('first-frame');
		}
	};
	const boot = {
		context: options.demo ? 'embedded' : options.context,
		namespace: options.namespace,
		deployment,
		step: options.demo ? 'starting the embedded cluster…' : 'loading kubeconfig…',
	};
	// The first frame goes out before Ink and React are even compiled; Boot then draws the same frame and turns its spinner.
	drawBootFrame(process.stdout, boot, theme);
	const {target, asked} = opening ?? openTarget(options, deployment, running);
	target.catch(() => {});
	// Compiling Ink and React holds the event loop for a few hundred ms, and with it the answers to the checks: the
	// pods are asked for first (the spinner waits for that at most INK_WAIT_MS; the frame above is already up).
	await Promise.race([asked, delay(INK_WAIT_MS)]);
	const [{render}, {Boot}] = await withoutFetch(() => Promise.all([import('ink'), import('./app/Boot.js')]));
	if (running.quitting) {
		await runCleanups(running.cleanups, CLEANUP_DEADLINE_MS);
		screen.leave();
		return signalled && signalled !== 'SIGINT' ? 128 + SIGNAL_NUMBERS[signalled] : 0;
	}
	const shown = render(<Boot theme={theme} {...boot} />, {exitOnCtrlC: true, patchConsole: false});
	instance = shown;
	// A terminal that went away (SIGHUP) makes writes to it fail: that must not crash the clean-up.
	process.stdout.on('error', () => {});
	// Anything printed while the screen is up would tear it: console output goes to the status line.
	running.cleanups.push(divertConsole());
	let failure: string | undefined;
	const show = (app: React.ReactElement) => {
		if (!running.quitting) shown.rerender(app);
	};
	openCockpit(options, deployment, theme, running, show, target).catch((error: unknown) => {
		failure = describeError(error);
		quit();
	});
	try {
		await shown.waitUntilExit();
	} catch (error) {
		failure ??= describeError(error);
	}
	running.quitting = true;
	await runCleanups(running.cleanups, CLEANUP_DEADLINE_MS);
	screen.leave();
	if (failure) process.stderr.write(`rollout-cockpit: ${failure}\n`);
	if (failure) return 1;
	return signalled && signalled !== 'SIGINT' ? 128 + SIGNAL_NUMBERS[signalled] : 0;
}

// Runs `load` with globalThis.fetch hidden. yoga-layout (Ink's layout engine) reads its WebAssembly with fetch() of a
// data: URL whenever fetch exists, and the first touch of fetch loads Node's implementation of it (undici): some 40 ms
// of CPU before the first frame, for a base64 decode yoga does itself when there is no fetch. Nothing in the
// cockpit uses fetch.
async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
	const fetch = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
	if (!fetch?.configurable) return load();
	delete (globalThis as {fetch?: unknown}).fetch;
	try {
		return await load();
	} finally {
		Object.defineProperty(globalThis, 'fetch', fetch);
	}
}

// How long quitting waits for the clean-ups (watches, log streams, probe, embedded cluster) before it leaves anyway.
const CLEANUP_DEADLINE_MS = 3000;

// Runs the clean-ups in order, each given what is left of the deadline: q must end the program even when one of
// them waits on a cluster that no longer answers (the process exits right after, which closes whatever is left).
async function runCleanups(cleanups: Running['cleanups'], deadlineMs: number): Promise<void> {
	const end = Date.now() + deadlineMs;
	for (const cleanup of cleanups) {
		const left = end - Date.now();
		if (left <= 0) break;
		let timer: NodeJS.Timeout | undefined;
		try {
			await Promise.race([
				Promise.resolve().then(cleanup),
				new Promise<void>((resolve) => {
					timer = setTimeout(resolve, left);
				}),
			]);
		} catch {
			// Best effort: the process is leaving anyway.
		} finally {
			clearTimeout(timer);
		}
	}
}

// The exit status of a program ended by a signal is 128 + its number, as shells report it.
const SIGNAL_NUMBERS = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15} as const;

// Environment the terminal libraries read at load time.
function prepareEnvironment(): void {
	// NO_COLOR must be honoured by chalk, which Ink loads below and which only knows FORCE_COLOR.
	if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
	// Under CI, Ink writes its last frame and a newline at exit and stops listening for resizes. The cockpit draws
	// through its own frame writer, but on an interactive terminal Ink must not run in that mode at all.
	if (process.stdout.isTTY) {
		delete process.env.CI;
		delete process.env.CONTINUOUS_INTEGRATION;
	}
}

// The alternate screen on a terminal (the shell's screen comes back on exit); nothing on a pipe.
function alternateScreen(tty: boolean): {leave(): void} {
	let onScreen = false;
	const leave = () => {
		if (!onScreen) return;
		onScreen = false;
		process.stdout.write(PASTE_OFF + LEAVE_ALT_SCREEN + SHOW_CURSOR);
	};
	if (tty) {
		// Home the cursor too: the alternate screen keeps the cursor where the shell left it.
		process.stdout.write(`${ENTER_ALT_SCREEN}\u001B[H${PASTE_ON}`);
		onScreen = true;
		process.on('exit', leave);
	}
	return {leave};
}

// What the cockpit opens on: the cluster (the embedded one for --demo), checked, and the deployment's pods asked for.
type Target = Awaited<ReturnType<typeof checkTarget>> & {kubeconfig?: string};

// How long the boot frame waits for the checks to be sent, and Ink's loading for the pods to be asked for.
const SEND_WAIT_MS = 150;
const INK_WAIT_MS = 500;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

// Connects (starting the embedded cluster for --demo) and runs the checks; as soon as they have read the chosen
// deployment, its pods are asked for (state/cockpit-data.ts listPodsEarly), the longest answer the first frame waits
// on. `sent` resolves once the checks are sent, `asked` once the pods are (each also when the checks end without it).
function openTarget(
	options: CliOptions,
	deployment: string | undefined,
	running: Running,
): {target: Promise<Target>; sent: Promise<void>; asked: Promise<void>} {
	let onSent = () => {};
	let onAsked = () => {};
	const sent = new Promise<void>((resolve) => {
		onSent = resolve;
	});
	const asked = new Promise<void>((resolve) => {
		onAsked = resolve;
	});
	const target = (async () => {
		try {
			const cluster = await clusterFor(options, running);
			const checked = await checkTarget(
				{kubeconfig: cluster.kubeconfig, context: cluster.context, namespace: options.namespace, deployment},
				{earlyPods: true, onSent, onAsked},
			);
			return {...checked, kubeconfig: cluster.kubeconfig};
		} finally {
			onSent();
			onAsked();
		}
	})();
	return {target, sent, asked};
}

// Fills the store from the watches, starts the probe, and shows the App once the target is open; everything it
// starts is added to running.cleanups.
async function openCockpit(
	options: CliOptions,
	deployment: string | undefined,
	theme: import('./state/ui.js').Theme,
	running: Running,
	show: (app: React.ReactElement) => void,
	opening: Promise<Target>,
): Promise<void> {
	// The rest of the cockpit's modules are compiled while the checks and the pods are answered.
	const [target, {CockpitStore}, {App}, {startLive, contextNames}, {accessNeeds}] = await Promise.all([
		opening,
		import('./state/store.js'),
		import('./app/App.js'),
		import('./state/live.js'),
		import('./commands/registry.js'),
	]);
	const {conn, checked, earlyPods} = target;
	if (running.quitting) {
		earlyPods?.abort();
		return;
	}
	const store = new CockpitStore(
		{
			context: conn.contextName,
			server: conn.clusterServer,
			namespace: conn.namespace,
			deploymentName: deployment,
			serverVersion: checked.serverVersion,
			contexts: contextNames(conn),
		},
		{
			session: {
				readonly: options.readonly,
				canSend: !options.readonly,
				notes: options.demo ? demoNotes(target.kubeconfig ?? '') : [],
				theme,
			},
			terminal: {columns: process.stdout.columns || 80, rows: process.stdout.rows || 24},
		},
	);
	running.cleanups.push(() => store.dispose());
	diverted.sink = (text, tone) => store.setStatus(text, tone);
	if (options.demo) store.setStatus(`demo cluster: KUBECONFIG=${target.kubeconfig} (? for kubectl commands to try)`, 'info');
	// The watches, the runner (none under --readonly: nothing can send a change, whatever a key does) and the
	// probe follow the connection; `:ns` and `:ctx` switch them in place.
	const attach = options.noProbe ? undefined : await probeAttacher(options, store, running);
	// The access review at start (and after each switch): none under --readonly, where nothing can be sent anyway.
	const live = startLive({
		store,
		conn,
		connectOptions: {kubeconfig: target.kubeconfig},
		readonly: options.readonly,
		attach,
		seed: checked.deployment,
		earlyPods,
		data: {accessNeeds: options.readonly ? undefined : accessNeeds()},
	});
	running.cleanups.unshift(() => live.stop());
	const trace = await timings;
	if (trace) {
		const {frameWriterFor} = await import('./app/frame-writer.js');
		await trace.traceDraws(store, frameWriterFor(process.stdout));
		const unsubscribe = store.subscribe(() => {
			if (!store.getState().synced.deployments) return;
			recordTiming('first-list');
			unsubscribe();
		});
	}
	show(<App store={store} live={live} />);
}

// Loads the kubeconfig and checks the server, the credentials, the namespace and the deployment before anything is
// shown, so that a cluster the cockpit cannot use ends it with one line naming what is wrong (thrown as an Error).
// With earlyPods, the deployment's pods are asked for as soon as the checks have read it (dropped if a check fails).
async function checkTarget(
	target: {
		kubeconfig?: string;
		context?: string;
		namespace?: string;
		deployment?: string;
	},
	early: {earlyPods?: boolean; onSent?: () => void; onAsked?: () => void} = {},
): Promise<{
	conn: import('./kube/connect.js').Connection;
	checked: import('./kube/preflight.js').PreflightResult;
	earlyPods?: import('./kube/watch.js').EarlyList<unknown>;
}> {
	const [{connect}, {preflight}, cockpitData] = await Promise.all([
		import('./kube/connect.js'),
		import('./kube/preflight.js'),
		early.earlyPods ? import('./state/cockpit-data.js') : undefined,
	]);
	const conn = connect({kubeconfig: target.kubeconfig, context: target.context, namespace: target.namespace});
	let earlyPods: import('./kube/watch.js').EarlyList<unknown> | undefined;
	const onDeployment = cockpitData
		? (deployment: import('./model/types.js').Deployment) => {
				earlyPods = cockpitData.listPodsEarly(conn, deployment);
				early.onAsked?.();
			}
		: undefined;
	try {
		const checking = preflight(conn, {deployment: target.deployment, onDeployment});
		// The pods are listed on a thread of their own (state/cockpit-data.ts): it boots while the checks are answered.
		if (onDeployment && target.deployment !== undefined) cockpitData?.prepareListPodsEarly();
		early.onSent?.();
		return {conn, checked: await checking, earlyPods};
	} catch (error) {
		earlyPods?.abort();
		throw new Error(describeError(error, {context: conn.contextName, server: conn.clusterServer}));
	}
}

// The kubeconfig and context to use: the user's, or the embedded cluster's for --demo.
async function clusterFor(options: CliOptions, running: Running): Promise<{kubeconfig?: string; context?: string}> {
	if (!options.demo) return {kubeconfig: options.kubeconfig, context: options.context};
	const {startCluster} = await import('./sim/cluster.js');
	// Real-time speed: the simulated kubelet's steps are already short (a pull takes 1.2 s, not the
	// article's 55 s), so a set-image rollout of 3 pods takes about 6 s, which the eye can follow.
	const cluster = await startCluster({scenario: 'nginx', speed: 1, endpointLagMs: 1000});
	running.cleanups.push(() => cluster.stop());
	recordTiming('cluster-started');
	return {kubeconfig: cluster.kubeconfigPath};
}

// The probe beside the store, outside React, started on each connection the cockpit makes: it follows the
// selected deployment (discovering its NodePort unless --probe named a URL) and its snapshots go into the store;
// the demo may only ever dial loopback.
async function probeAttacher(
	options: CliOptions,
	store: import('./state/store.js').CockpitStore,
	running: Running,
): Promise<(conn: import('./kube/connect.js').Connection) => () => Promise<void>> {
	const [{ProbeSession}, {followCockpit}, {selectRollout}] = await Promise.all([
		import('./probe/session.js'),
		import('./probe/follow.js'),
		import('./state/selectors.js'),
	]);
	return (conn) => {
		let follow: {stop(): Promise<void>} | undefined;
		let unsubscribe: (() => void) | undefined;
		const begin = () => {
			if (running.quitting || follow) return;
			follow = followCockpit(new ProbeSession(), store, {
				conn,
				url: options.probe,
				prober: {intervalMs: options.probeIntervalMs, loopbackOnly: options.demo},
			});
		};
		if (!options.demo) begin();
		else {
			// The embedded cluster is still creating the article's pods: probing starts once they serve, so the first
			// failures on screen are those of the user's own rollout, not of the demo's start.
			unsubscribe = store.subscribe(() => {
				if (selectRollout(store.getState())?.status.done !== true) return;
				unsubscribe?.();
				begin();
			});
		}
		return async () => {
			unsubscribe?.();
			await follow?.stop();
			follow = undefined;
		};
	};
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

// What the cockpit says when its output is not a terminal.
export const NOT_A_TERMINAL =
	'stdout is not a terminal: the cockpit draws a full-screen view and needs one (run it in a terminal, or use `rollout-cockpit status` for text)';

// The program: exit status 0 on a normal quit, 1 on a failure, 2 on a usage error (or no terminal), 128+N on signal N.
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
	if (argv[0] === 'status') {
		const {runStatusCommand} = await import('./status/run.js');
		return runStatusCommand(argv.slice(1));
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
	// Frames drawn into a pipe or a file are garbage to whatever reads them: nothing is drawn. What is wrong with
	// the kubeconfig or the cluster is still said first (it is what the user must fix either way), then the refusal.
	if (process.stdout.isTTY !== true) {
		if (!options.demo) {
			try {
				await checkTarget(options);
			} catch (error) {
				process.stderr.write(`rollout-cockpit: ${describeError(error)}\n`);
				return 1;
			}
		}
		process.stderr.write(`rollout-cockpit: ${NOT_A_TERMINAL}\n`);
		return 2;
	}
	return runCockpit(options);
}

// Run when executed (node dist/cli.js, tsx source/cli.tsx, the bins rollout-cockpit and kubectl-rollout_cockpit, which
// kubectl runs for `kubectl rollout-cockpit`), not when imported by tests.
const entry = process.argv[1] ?? '';
if (/(?:^|[\\/])(?:cli\.(?:js|tsx|mjs)|rollout-cockpit|kubectl-rollout_cockpit)$/.test(entry)) {
	main(process.argv.slice(2)).then(
		(code) => {
			process.exitCode = code;
			// Sockets of stopped watches or timers of the embedded cluster must not hold the exit.
			setTimeout(() => process.exit(code), 1500).unref();
		},
		(error: unknown) => {
			// One line, never a stack trace (ROLLOUT_COCKPIT_DEBUG=1 adds it for bug reports).
			process.stderr.write(`rollout-cockpit: ${describeError(error)}\n`);
			if (process.env.ROLLOUT_COCKPIT_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
			process.exit(1);
		},
	);
}
