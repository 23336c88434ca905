// The headless `status` command, for CI: no Ink, the same kube layer, store and model as the cockpit. In named
// steps: parse the flags, connect, look the Deployment up (unknown or unreachable: one line, exit 2), then either
// one look or a watch that prints kubectl's sentence at each change of the Deployment (or JSON records) until a
// verdict: complete (0), progress deadline exceeded, timed out, or (with --fail-fast) will not progress (1).
import {access, constants} from 'node:fs/promises';
import path from 'node:path';
import {connect, type Connection} from '../kube/connect.js';
import {describeError, NotFoundError} from '../kube/errors.js';
import {ApiRequestError, requestJson} from '../kube/http.js';
import type {AccessNeed} from '../kube/access.js';
import {COCKPIT_WATCHES, unwatchable} from '../kube/preflight.js';
import {rolloutStatus} from '../model/rollout-status.js';
import type {Deployment} from '../model/types.js';
import {parseStatusArgs, STATUS_USAGE, StatusUsageError, type StatusOptions} from './args.js';
import {judge, verdictRecord, type Verdict} from './report.js';

export type StatusIO = {
	stdout(text: string): void;
	stderr(text: string): void;
	env: NodeJS.ProcessEnv;
	/** Stops a watch as Ctrl-C does (tests); the verdict is "not complete". */
	signal?: AbortSignal;
	now(): number;
};

// How long the first look at the Deployment may take before the cluster counts as unreachable.
const LOOKUP_TIMEOUT_MS = 30_000;

const defaultIO = (): StatusIO => ({
	stdout: (t) => void process.stdout.write(t),
	stderr: (t) => void process.stderr.write(t),
	env: process.env,
	now: Date.now,
});

// Runs `status`; resolves with the exit status.
export async function runStatusCommand(argv: readonly string[], partial: Partial<StatusIO> = {}): Promise<number> {
	const io = {...defaultIO(), ...partial};
	const startedAt = io.now();
	let options: StatusOptions | 'help';
	try {
		options = parseStatusArgs(argv);
	} catch (error) {
		if (!(error instanceof StatusUsageError)) throw error;
		io.stderr(`rollout-cockpit status: ${error.message}\nRun 'rollout-cockpit status --help' for usage.\n`);
		return 2;
	}
	if (options === 'help') {
		io.stdout(STATUS_USAGE);
		return 0;
	}
	const where = {namespace: options.namespace ?? '', deployment: options.deployment};
	const json = options.json;
	const fail = (message: string): number => {
		io.stderr(`rollout-cockpit status: ${message}\n`);
		if (json) io.stdout(`${JSON.stringify(verdictRecord({result: 'error', exitCode: 2, message}, where, {now: io.now(), startedAt}))}\n`);
		return 2;
	};
	let conn: Connection;
	try {
		conn = connect({kubeconfig: options.kubeconfig, context: options.context, namespace: options.namespace}, io.env);
	} catch (error) {
		return fail((error as Error).message);
	}
	where.namespace = conn.namespace;
	if (options.timelineSvg !== undefined) {
		const problem = await unwritable(options.timelineSvg);
		if (problem) return fail(problem);
	}
	// A watch needs the right to watch what it follows, asked alongside the look-up (no round trip added).
	const refused = options.watch ? unwatchable(conn, statusWatches(options), LOOKUP_TIMEOUT_MS) : undefined;
	let deployment: Deployment;
	try {
		deployment = await lookUp(conn, options.deployment);
	} catch (error) {
		return fail(describeError(error, {context: conn.contextName, server: conn.clusterServer}));
	}
	// Plain text without the pods' view: the Deployment alone says it, as kubectl reads it.
	const first = judge(deployment, undefined);
	if (!options.json && !options.failFast && (!options.watch || first?.result === 'complete' || first?.exitCode === 1)) {
		if (!first) {
			io.stdout(`${rolloutStatus(deployment).message}`);
			return 1;
		}
		return finishText(io, first);
	}
	const denied = await refused;
	if (denied) return fail(denied.message);
	// The watch (the cockpit's store, the probe, the timeline) is loaded only when needed: one look stays light.
	const {watchRollout} = await import('./watch.js');
	return watchRollout(conn, options, io, startedAt);
}

// What `status --watch` follows: the Deployment and its ReplicaSets (as kubectl rollout status), and the pods when
// --fail-fast reads them.
function statusWatches(options: StatusOptions): AccessNeed[] {
	return COCKPIT_WATCHES.filter((n) => n.resource !== 'pods' || options.failFast);
}

// Why the timeline cannot be written to `file` (its directory is missing or not writable, or it is a directory), or
// undefined: checked before the watch, so that a long wait does not end in a picture that cannot be saved.
async function unwritable(file: string): Promise<string | undefined> {
	const dir = path.dirname(path.resolve(file));
	try {
		await access(dir, constants.W_OK);
	} catch {
		return `--timeline-svg ${file}: the directory ${dir} does not exist or is not writable`;
	}
	try {
		await access(file, constants.F_OK);
	} catch {
		return undefined;
	}
	try {
		await access(file, constants.W_OK);
	} catch {
		return `--timeline-svg ${file}: the file exists and is not writable`;
	}
	return undefined;
}

// GET the Deployment: its absence, the network and the credentials fail here, before any watch (one request, where
// the cockpit's preflight makes four: a CI step waits for nothing it does not need).
async function lookUp(conn: Connection, name: string): Promise<Deployment> {
	const path = `/apis/apps/v1/namespaces/${encodeURIComponent(conn.namespace)}/deployments/${encodeURIComponent(name)}`;
	const signal = AbortSignal.timeout(LOOKUP_TIMEOUT_MS);
	try {
		return await requestJson<Deployment>(conn, path, {signal});
	} catch (error) {
		if (error instanceof ApiRequestError && error.status === 404)
			throw new NotFoundError(
				`deployment ${JSON.stringify(name)} not found in namespace ${JSON.stringify(conn.namespace)} (kubectl get deployments -n ${conn.namespace} lists them)`,
			);
		if (signal.aborted)
			throw new ApiRequestError(`no answer from ${conn.clusterServer} within ${LOOKUP_TIMEOUT_MS / 1000} s`, 0, undefined, 'ETIMEDOUT');
		throw error;
	}
}

// The last line: a sentence to stdout, an error to stderr (as kubectl's CheckErr prints it).
export function finishText(io: StatusIO, verdict: Verdict): number {
	if (verdict.message.startsWith('error: ')) io.stderr(`${verdict.message}\n`);
	else io.stdout(`${verdict.message}\n`);
	return verdict.exitCode;
}
