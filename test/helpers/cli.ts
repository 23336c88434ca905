// The built CLI as a user runs it: dist/cli.js (rebuilt when older than the sources), spawned with an argv
// (never a shell), with its stdout, stderr and exit status collected, and a deadline of seconds.
import {execFile, spawn} from 'node:child_process';
import {existsSync, readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'dist/cli.js');

const run = promisify(execFile);

// The newest modification time under a directory.
function newestMtime(dir: string): number {
	let newest = 0;
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const full = path.join(dir, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
	}
	return newest;
}

// Builds dist/cli.js when it is missing or older than the sources (node scripts/build.mjs, no shell).
export async function ensureBuilt(): Promise<void> {
	if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestMtime(path.join(ROOT, 'source'))) return;
	await run(process.execPath, ['scripts/build.mjs'], {cwd: ROOT, timeout: 120_000});
}

export type CliRun = {status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

// Who runs the CLI, when not this process's user: a uid and gid, and a copy of the CLI that user may read.
export type RunAs = {uid: number; gid: number; cli: string; cwd: string};

// Runs the built CLI with pipes for stdin, stdout and stderr (so stdout is not a terminal); kills it after timeoutMs.
export function runCli(args: string[], options: {env?: NodeJS.ProcessEnv; timeoutMs?: number; as?: RunAs} = {}): Promise<CliRun> {
	return new Promise((resolve, reject) => {
		const as = options.as;
		const child = spawn(process.execPath, [as?.cli ?? CLI, ...args], {
			cwd: as?.cwd ?? ROOT,
			env: options.env ?? process.env,
			stdio: ['pipe', 'pipe', 'pipe'],
			...(as ? {uid: as.uid, gid: as.gid} : {}),
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d: string) => {
			stdout += d;
		});
		child.stderr.setEncoding('utf8').on('data', (d: string) => {
			stderr += d;
		});
		const timeoutMs = options.timeoutMs ?? 20_000;
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`rollout-cockpit ${args.join(' ')} did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
		}, timeoutMs);
		child.on('error', reject);
		child.on('close', (status, signal) => {
			clearTimeout(timer);
			resolve({status, signal, stdout, stderr});
		});
		child.stdin.end();
	});
}

export type Running = {
	/** What it printed so far on stdout and stderr. */
	stdout(): string;
	stderr(): string;
	/** Its end: exit status, output, and the wall time from spawn to exit. */
	done: Promise<CliRun & {wallMs: number}>;
};

// Starts a program (the built CLI: process.execPath with CLI first; or kubectl) with pipes, for tests that act while
// it runs; it is killed after timeoutMs (then `done` rejects, saying so).
export function startProgram(bin: string, args: string[], options: {env?: NodeJS.ProcessEnv; timeoutMs?: number} = {}): Running {
	const started = performance.now();
	const child = spawn(bin, args, {cwd: ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (d: string) => {
		stdout += d;
	});
	child.stderr.setEncoding('utf8').on('data', (d: string) => {
		stderr += d;
	});
	const done = new Promise<CliRun & {wallMs: number}>((resolve, reject) => {
		const timeoutMs = options.timeoutMs ?? 60_000;
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(
				new Error(`${path.basename(bin)} ${args.join(' ')} did not exit within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`),
			);
		}, timeoutMs);
		child.on('error', reject);
		child.on('close', (status, signal) => {
			clearTimeout(timer);
			resolve({status, signal, stdout, stderr, wallMs: performance.now() - started});
		});
	});
	return {stdout: () => stdout, stderr: () => stderr, done};
}
