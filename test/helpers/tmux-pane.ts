// The built CLI in a real terminal for the end-to-end tests: a private tmux server (a socket unique to this process
// and pane, so parallel runs never meet), a pane of a given size, keys sent as a person types them, the screen read
// back with capture-pane. Every wait has a deadline of seconds and fails with the last screen.
import {execFile} from 'node:child_process';
import {existsSync, readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'dist/cli.js');

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

// One tmux server with one pane.
export class TmuxPane {
	readonly socket = `rc-story-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
	readonly session = 'cockpit';
	last = '';

	private tmux(args: string[]) {
		const env = {...process.env};
		// Ink must not think it runs in CI (it would draw nothing); the pane must not think it is nested.
		delete env.CI;
		delete env.CONTINUOUS_INTEGRATION;
		delete env.TMUX;
		return run('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {cwd: ROOT, env, timeout: 10_000});
	}

	// Starts argv (no shell: tmux runs it directly) in a pane of columns x rows; the pane stays readable if it exits.
	async start(argv: string[], o: {columns: number; rows: number; env?: Record<string, string>}): Promise<void> {
		const env = Object.entries(o.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
		await this.tmux([
			'new-session',
			'-d',
			'-s',
			this.session,
			'-x',
			String(o.columns),
			'-y',
			String(o.rows),
			'-c',
			ROOT,
			...env,
			...argv,
			';',
			'set-option',
			'-w',
			'-t',
			this.session,
			'remain-on-exit',
			'on',
		]);
	}

	// The screen as text; with `attributes`, colours and attributes as escape sequences.
	async capture(attributes = false): Promise<string> {
		const out = (await this.tmux(['capture-pane', '-p', ...(attributes ? ['-e'] : []), '-t', this.session])).stdout;
		if (!attributes) this.last = out;
		return out;
	}

	// Keys by tmux name (Enter, Escape, Up, C-u) or literal text with {literal: true}.
	async keys(keys: string[], o: {literal?: boolean} = {}): Promise<void> {
		await this.tmux(['send-keys', '-t', this.session, ...(o.literal ? ['-l'] : []), ...keys]);
	}

	// Waits until check(screen) returns a value (not undefined), re-reading every 100 ms for up to timeoutMs.
	async until<T>(what: string, check: (screen: string) => T | undefined, timeoutMs = 15_000): Promise<T> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = check(await this.capture());
			if (value !== undefined && value !== false) return value;
			if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${this.last}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	async kill(): Promise<void> {
		await this.tmux(['kill-server']).catch(() => {});
	}
}
