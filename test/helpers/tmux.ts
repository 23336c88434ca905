// The built CLI in a real terminal, as a user over SSH runs it: a private tmux server (its own socket, so tests
// never meet each other or the user's tmux), a pane of a given size and TERM, keys sent as one write, and the
// screen read back with capture-pane. Every wait has a deadline of seconds and fails with the last screen.
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {ROOT} from './cli.js';

export {CLI, ensureBuilt, ROOT} from './cli.js';

const run = promisify(execFile);

export type PaneOptions = {columns?: number; rows?: number; env?: Record<string, string>; cwd?: string};

// One tmux server with one pane running argv.
export class TmuxPane {
	readonly socket = `rc-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
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

	// Starts argv in a new pane (no shell: tmux runs it directly); the pane stays readable if it exits. tmux sets the
	// pane's TERM from its default-terminal option (over any -e TERM=), so env.TERM becomes that option.
	async start(argv: string[], options: PaneOptions = {}): Promise<void> {
		const env = Object.entries(options.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
		const term = options.env?.TERM;
		await this.tmux([
			...(term ? ['start-server', ';', 'set-option', '-g', 'default-terminal', term, ';'] : []),
			'new-session',
			'-d',
			'-s',
			this.session,
			'-x',
			String(options.columns ?? 80),
			'-y',
			String(options.rows ?? 24),
			'-c',
			options.cwd ?? ROOT,
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

	// The screen as text (with escape sequences for colours and attributes when `attributes`).
	async capture(attributes = false): Promise<string> {
		const out = (await this.tmux(['capture-pane', '-p', ...(attributes ? ['-e'] : []), '-t', this.session])).stdout;
		if (!attributes) this.last = out;
		return out;
	}

	// Everything the pane holds, its scrolled-off history too, with wrapped lines joined (what a user scrolling back
	// would read, e.g. a long error left on the terminal after the program exited).
	async captureAll(): Promise<string> {
		return (await this.tmux(['capture-pane', '-p', '-J', '-S', '-', '-t', this.session])).stdout;
	}

	// Sends text literally, in one write to the terminal (tmux writes a send-keys at once).
	async type(text: string): Promise<void> {
		await this.tmux(['send-keys', '-t', this.session, '-l', text]);
	}

	// Sends named keys (Enter, Escape, Down, C-c).
	async keys(...names: string[]): Promise<void> {
		await this.tmux(['send-keys', '-t', this.session, ...names]);
	}

	// Pastes text as a terminal does when the program asked for bracketed paste (ESC[200~ ... ESC[201~).
	async paste(text: string): Promise<void> {
		await this.tmux(['set-buffer', '-b', 'test', text]);
		await this.tmux(['paste-buffer', '-p', '-d', '-b', 'test', '-t', this.session]);
	}

	// tmux's view of the pane: e.g. '#{alternate_on} #{pane_dead}'.
	async format(format: string): Promise<string> {
		return (await this.tmux(['display-message', '-p', '-t', this.session, format])).stdout.trim();
	}

	// Waits until check(screen) holds; fails with what was awaited and the last screen.
	async until(what: string, check: (screen: string) => boolean, timeoutMs = 10_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const screen = await this.capture();
			if (check(screen)) return screen;
			if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${screen}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	// The exit status of the pane's program, once it has exited (tmux marks the pane dead when the terminal closes and
	// learns the status a moment later, when it reaps the process: both are awaited); fails after timeoutMs.
	async exitStatus(timeoutMs = 30_000): Promise<number> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const [dead, status] = (await this.format('#{pane_dead}|#{pane_dead_status}')).split('|');
			if (dead === '1' && status !== undefined && status !== '') return Number(status);
			if (Date.now() > deadline) throw new Error(`the program did not exit within ${timeoutMs} ms; screen:\n${await this.capture()}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	async stop(): Promise<void> {
		await this.tmux(['kill-server']).catch(() => {});
	}
}

// The line of a screen that contains `text`.
export function lineOf(screen: string, text: string | RegExp): string | undefined {
	return screen.split('\n').find((l) => (typeof text === 'string' ? l.includes(text) : text.test(l)));
}
