// `rollout-cockpit sim`: runs the embedded cluster on its own, for kubectl and for the cockpit in another
// terminal, until SIGINT or SIGTERM.
import {resolve} from 'node:path';
import {startCluster, type SimCluster} from './cluster.js';
import type {ScaleOptions} from './scale-scenario.js';
import {scenarioNames, type ScenarioName} from './scenarios.js';
import {FaultSpecError, faultKinds, faultSpecHelp, formatFaultSpec, parseFaultSpec, type FaultSpec} from './faults/spec.js';
import type {FaultEvent} from './faults/faults.js';

export const simUsage = `Usage: rollout-cockpit sim [--port N] [--kubeconfig-out FILE] [--scenario nginx|empty|scale] [--speed X] [--faults SPEC]
       rollout-cockpit sim --scenario scale --pods N [--namespaces K] [--churn R]

Runs an embedded Kubernetes cluster (API server, controllers, simulated nodes) on 127.0.0.1
until Ctrl-C. Point kubectl at it with the kubeconfig it prints.

Options:
  --port N               API server port on 127.0.0.1 (default: a random free port)
  --kubeconfig-out FILE  write the kubeconfig there (default: a private temporary file)
  --scenario NAME        nginx: deployment nginx (nginx:1.18, 3 replicas) on a NodePort (default)
                         empty: four nodes and the default namespaces only
                         scale: N pods already running, one deployment "big" (app=big) and NodePort
                         Service per namespace, on a node per 100 pods
  --pods N               scale: how many pods (default 1000)
  --namespaces K         scale: spread them over K namespaces (default 1: default; else scale-1..scale-K)
  --churn R              scale: R pod changes per second (readiness flaps, container restarts; default 0);
                         SIGUSR2 pauses and resumes it (kill -USR2 PID), e.g. to let a rollout complete:
                         while pods flap, rollout status waits for them, as on a real cluster
  --speed X              run simulated time X times faster than real time (default 1)
  --endpoint-lag-ms N    simulated ms before a terminating pod leaves its Service's endpoints (default 1000)
  --faults SPEC          inject faults (each one is printed on stderr as it happens; see below)
  -h, --help             show this help

${faultSpecHelp}
`;

export type SimCommandOptions = {
	port?: number;
	kubeconfigOut?: string;
	scenario: ScenarioName;
	/** The scale scenario's size (set by --pods, --namespaces, --churn). */
	scale?: ScaleOptions;
	speed: number;
	endpointLagMs: number;
	faults?: FaultSpec;
};

/** A flag error: the CLI prints it and exits 2. */
export class SimUsageError extends Error {}

/** Parses the sim command's flags (`--flag value` or `--flag=value`). */
export function parseSimArgs(argv: string[]): SimCommandOptions | 'help' {
	const options: SimCommandOptions = {scenario: 'nginx', speed: 1, endpointLagMs: 1000};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === '-h' || arg === '--help') return 'help';
		const eq = arg.indexOf('=');
		const flag = eq > 0 ? arg.slice(0, eq) : arg;
		const takeValue = (): string => {
			if (eq > 0) return arg.slice(eq + 1);
			const next = argv[i + 1];
			if (next === undefined || next.startsWith('--')) throw new SimUsageError(`flag needs an argument: ${flag}`);
			i++;
			return next;
		};
		switch (flag) {
			case '--port': {
				const v = takeValue();
				const n = Number(v);
				if (!/^\d+$/.test(v) || n < 0 || n > 65535)
					throw new SimUsageError(`invalid --port ${JSON.stringify(v)}: want a port number 0-65535`);
				options.port = n;
				break;
			}
			case '--kubeconfig-out': {
				const v = takeValue();
				if (!v) throw new SimUsageError('--kubeconfig-out needs a file name');
				options.kubeconfigOut = resolve(v);
				break;
			}
			case '--scenario': {
				const v = takeValue();
				if (!scenarioNames.includes(v as ScenarioName))
					throw new SimUsageError(`invalid --scenario ${JSON.stringify(v)}: want ${scenarioNames.join(' or ')}`);
				options.scenario = v as ScenarioName;
				break;
			}
			case '--speed': {
				const v = takeValue();
				const n = Number(v);
				if (v.trim() === '' || !Number.isFinite(n) || n <= 0)
					throw new SimUsageError(`invalid --speed ${JSON.stringify(v)}: want a number greater than 0`);
				options.speed = n;
				break;
			}
			case '--endpoint-lag-ms': {
				const v = takeValue();
				const n = Number(v);
				if (!/^\d+$/.test(v)) throw new SimUsageError(`invalid --endpoint-lag-ms ${JSON.stringify(v)}: want whole milliseconds`);
				options.endpointLagMs = n;
				break;
			}
			case '--pods':
			case '--namespaces':
			case '--churn': {
				const v = takeValue();
				const n = Number(v);
				const whole = flag !== '--churn';
				if (!(whole ? /^\d+$/.test(v) : /^\d+(\.\d+)?$/.test(v)) || (flag !== '--churn' && n < 1))
					throw new SimUsageError(
						`invalid ${flag} ${JSON.stringify(v)}: want ${whole ? 'a whole number of at least 1' : 'changes per second, 0 or more'}`,
					);
				options.scale ??= {pods: 1000};
				if (flag === '--pods') options.scale.pods = n;
				else if (flag === '--namespaces') options.scale.namespaces = n;
				else options.scale.churn = n;
				break;
			}
			case '--faults': {
				const v = takeValue();
				try {
					options.faults = parseFaultSpec(v);
				} catch (error) {
					if (!(error instanceof FaultSpecError)) throw error;
					throw new SimUsageError(`invalid --faults ${JSON.stringify(v)}: ${error.message}`);
				}
				break;
			}
			default:
				throw new SimUsageError(flag.startsWith('-') ? `unknown flag: ${flag}` : `unexpected argument: ${arg}`);
		}
	}
	if (options.scale && options.scenario !== 'scale') throw new SimUsageError('--pods, --namespaces and --churn need --scenario scale');
	if (options.scenario === 'scale') {
		options.scale ??= {pods: 1000};
		const {pods, namespaces = 1} = options.scale;
		if (namespaces > pods) throw new SimUsageError(`--namespaces ${namespaces} is more than --pods ${pods}: each namespace needs a pod`);
	}
	return options;
}

/** One stderr line per injected fault: the wall-clock time, the fault, what it did. */
export function faultLine(e: FaultEvent): string {
	return `fault ${new Date(e.time).toISOString().slice(11, 23)} ${e.kind}: ${e.detail}\n`;
}

export type SimCommandIO = {
	stdout?: (text: string) => void;
	stderr?: (text: string) => void;
	/** Resolves when the command should stop; SIGINT/SIGTERM by default. */
	until?: (cluster: SimCluster) => Promise<void>;
};

function waitForSignal(): Promise<void> {
	return new Promise((resolveSignal) => {
		const done = () => {
			process.off('SIGINT', done);
			process.off('SIGTERM', done);
			resolveSignal();
		};
		process.on('SIGINT', done);
		process.on('SIGTERM', done);
	});
}

/** Runs `rollout-cockpit sim`; resolves with the exit code (0 after a signal, 2 on a flag error, 1 on failure). */
export async function runSimCommand(argv: string[], io: SimCommandIO = {}): Promise<number> {
	const out = io.stdout ?? ((t) => process.stdout.write(t));
	const err = io.stderr ?? ((t) => process.stderr.write(t));
	let options: SimCommandOptions | 'help';
	try {
		options = parseSimArgs(argv);
	} catch (error) {
		if (!(error instanceof SimUsageError)) throw error;
		err(`rollout-cockpit sim: ${error.message}\nRun 'rollout-cockpit sim --help' for usage.\n`);
		return 2;
	}
	if (options === 'help') {
		out(simUsage);
		return 0;
	}
	let cluster: SimCluster;
	try {
		cluster = await startCluster({
			port: options.port,
			kubeconfigOut: options.kubeconfigOut,
			scenario: options.scenario,
			scale: options.scale,
			speed: options.speed,
			endpointLagMs: options.endpointLagMs,
			faults: options.faults,
			onFault: (e) => err(faultLine(e)),
		});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why = code === 'EADDRINUSE' ? `port ${options.port} on 127.0.0.1 is already in use` : (error as Error).message;
		err(`rollout-cockpit sim: cannot start the cluster: ${why}\n`);
		return 1;
	}
	const lines = [
		`Embedded cluster running (scenario ${options.scenario}, speed ${options.speed}x).`,
		`API server: ${cluster.url}`,
		`Kubeconfig: ${cluster.kubeconfigPath}`,
		`  export KUBECONFIG=${cluster.kubeconfigPath}`,
	];
	for (const svc of cluster.store.list('services').items) {
		for (const p of svc.spec?.ports ?? []) {
			if (p.nodePort) lines.push(`Service ${svc.metadata.namespace}/${svc.metadata.name}: http://127.0.0.1:${p.nodePort}/`);
		}
	}
	if (options.scale) {
		const {pods, namespaces = 1, churn = 0} = options.scale;
		lines.push(
			`Scale: ${pods} pods in ${namespaces} namespace${namespaces === 1 ? '' : 's'} on ${cluster.store.count('nodes')} nodes, churn ${churn} pod changes/s.`,
		);
		if (churn > 0) lines.push(`Churn: kill -USR2 ${process.pid} pauses and resumes it.`);
	}
	const churn = cluster.churn;
	const toggleChurn = () => {
		if (!churn) return;
		if (churn.running) churn.stop();
		else churn.start();
		out(`Churn ${churn.running ? 'resumed' : 'paused'} (${churn.counts.changes} pod changes so far).\n`);
	};
	if (churn) process.on('SIGUSR2', toggleChurn);
	if (options.faults) lines.push(`Faults: ${formatFaultSpec({...options.faults, seed: cluster.faults.seed})}`);
	lines.push('Press Ctrl-C to stop.');
	out(`${lines.join('\n')}\n`);
	try {
		await (io.until ? io.until(cluster) : waitForSignal());
	} finally {
		process.off('SIGUSR2', toggleChurn);
		await cluster.stop();
	}
	if (options.faults)
		out(`Faults injected: ${cluster.faults.total} (${faultKinds.map((k) => `${k} ${cluster.faults.counts[k]}`).join(', ')}).\n`);
	out('Embedded cluster stopped.\n');
	return 0;
}
