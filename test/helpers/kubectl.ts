// Runs the real kubectl (no shell) and the embedded cluster as a child process, for the e2e tests.
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import http from 'node:http';

/** The kubectl binary of release 1.minor on these machines (google-cloud-sdk builds; 1.32 is also /usr/bin/kubectl). */
export const kubectlOf = (minor: number): string => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;

/** A kubectl the suite runs: its name in test titles, its binary, and its minor version. */
export type KubectlVersion = {name: string; bin: string; minor: number};

/** Every kubectl release the suite is judged by, 1.27 to 1.33 (google-cloud-sdk builds), oldest first; tests assert each exists. */
export const allKubectlVersions: KubectlVersion[] = [27, 28, 29, 30, 31, 32, 33].map((minor) => ({
	name: `kubectl 1.${minor}`,
	bin: kubectlOf(minor),
	minor,
}));

/**
 * The kubectl binaries a test that compares with kubectl runs once each, where a run per version is cheap: 1.32
 * speaks protobuf, 1.31 JSON. `KUBECTL_VERSIONS=all` runs them with every release from 1.27 to 1.33 instead (on
 * demand, `npm run test:kubectl-matrix`: it takes minutes).
 */
export const kubectlVersions: KubectlVersion[] =
	process.env.KUBECTL_VERSIONS === 'all'
		? allKubectlVersions
		: [
				{name: 'kubectl 1.32 (protobuf)', bin: '/usr/bin/kubectl', minor: 32},
				{name: 'kubectl 1.31 (JSON)', bin: kubectlOf(31), minor: 31},
			];

/**
 * The one kubectl that the long stories (tmux sessions, the CLI end to end, faults) drive: /usr/bin/kubectl (1.32),
 * or the binary named by $KUBECTL (`KUBECTL=/usr/lib/google-cloud-sdk/bin/kubectl.1.27`). The kubectl matrix
 * (scripts/kubectl-matrix.mjs) runs every test file that uses it once per installed version through $KUBECTL.
 */
export const defaultKubectl: string = chosenKubectl(process.env.KUBECTL);

function chosenKubectl(fromEnv: string | undefined): string {
	if (!fromEnv) return '/usr/bin/kubectl';
	if (!existsSync(fromEnv))
		throw new Error(
			`KUBECTL=${fromEnv} does not exist; set it to a kubectl binary, e.g. ${kubectlOf(27)}, or unset it for /usr/bin/kubectl`,
		);
	return fromEnv;
}

export type KubectlResult = {code: number; stdout: string; stderr: string};

/** Runs kubectl with the given kubeconfig; never throws on a non-zero exit, so tests can assert on it. */
export function kubectl(bin: string, kubeconfig: string, args: string[], timeoutMs = 60_000): Promise<KubectlResult> {
	return new Promise((resolve) => {
		execFile(bin, ['--kubeconfig', kubeconfig, ...args], {timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024}, (error, stdout, stderr) => {
			const code = error ? (typeof (error as any).code === 'number' ? (error as any).code : 1) : 0;
			resolve({code, stdout: String(stdout), stderr: String(stderr)});
		});
	});
}

/** Like kubectl(), but fails the test with kubectl's own words when it exits non-zero. */
export async function kubectlOk(bin: string, kubeconfig: string, args: string[], timeoutMs?: number): Promise<string> {
	const r = await kubectl(bin, kubeconfig, args, timeoutMs);
	if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
	return r.stdout;
}

/** A `kubectl ... -w` running in the background; `output()` is what it printed so far. */
export function kubectlWatch(bin: string, kubeconfig: string, args: string[]): {output(): string; stop(): void} {
	const child = spawn(bin, ['--kubeconfig', kubeconfig, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
	let out = '';
	child.stdout.on('data', (d) => {
		out += String(d);
	});
	child.stderr.on('data', (d) => {
		out += String(d);
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
	return {
		output: () => out,
		stop() {
			clearTimeout(timer);
			child.kill('SIGTERM');
		},
	};
}

/** Polls fn until it returns a truthy value or the deadline passes; the error says what was awaited. */
export async function waitFor<T>(
	what: string,
	fn: () => Promise<T | undefined | null | false | '' | 0> | T | undefined | null | false | '' | 0,
	timeoutMs = 30_000,
	intervalMs = 100,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const v = await fn();
			if (v) return v as T;
			last = v;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline)
			throw new Error(
				`timed out after ${timeoutMs} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`,
			);
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

export type SimProcess = {
	url: string;
	kubeconfig: string;
	dir: string;
	child: ChildProcess;
	output(): string;
	stop(): Promise<number | null>;
};

/**
 * Starts `rollout-cockpit sim` from source (through tsx) as its own process, as a user would run it, and waits for
 * it to print the API URL. stop() sends SIGTERM and resolves with the exit code.
 */
export async function startSimProcess(extraArgs: string[] = []): Promise<SimProcess> {
	const dir = mkdtempSync(join(tmpdir(), 'rc-sim-'));
	const kubeconfig = join(dir, 'kubeconfig');
	const child = spawn(process.execPath, ['--import', 'tsx', 'source/cli.tsx', 'sim', '--kubeconfig-out', kubeconfig, ...extraArgs], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout!.on('data', (d) => {
		out += String(d);
	});
	child.stderr!.on('data', (d) => {
		out += String(d);
	});
	// wait-ok: stop() races it with a 5 s SIGKILL.
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	const killer = setTimeout(() => child.kill('SIGKILL'), 15 * 60_000);
	const stop = async () => {
		child.kill('SIGTERM');
		const code = await Promise.race([
			exited,
			new Promise<number | null>((r) =>
				setTimeout(() => {
					child.kill('SIGKILL');
					r(null);
				}, 5000),
			),
		]);
		clearTimeout(killer);
		rmSync(dir, {recursive: true, force: true});
		return code;
	};
	try {
		const url = await waitFor(
			'the sim to print its API URL',
			() => {
				if (child.exitCode !== null) throw new Error(`sim exited ${child.exitCode}: ${out}`);
				const m = /https:\/\/127\.0\.0\.1:\d+/.exec(out);
				return m && existsSync(kubeconfig) ? m[0] : undefined;
			},
			30_000,
		);
		return {url, kubeconfig, dir, child, output: () => out, stop};
	} catch (error) {
		await stop();
		throw error;
	}
}

/** `curl -I http://127.0.0.1:port/`: the status and headers, or the network error's code. */
export function headRequest(
	port: number,
	timeoutMs = 3000,
): Promise<{status?: number; headers?: http.IncomingHttpHeaders; error?: string}> {
	return new Promise((resolve) => {
		const req = http.request({host: '127.0.0.1', port, path: '/', method: 'HEAD', agent: false, timeout: timeoutMs}, (res) => {
			res.resume();
			res.on('end', () => resolve({status: res.statusCode, headers: res.headers}));
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', (e: NodeJS.ErrnoException) => resolve({error: e.code ?? e.message}));
		req.end();
	});
}
