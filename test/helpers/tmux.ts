// The built CLI in a real terminal, as a user over SSH runs it: a private tmux server (its own socket, so tests
// never meet each other or the user's tmux), a pane of a given size and TERM, keys sent as one write, and the
// screen read back with capture-pane. Every wait has a deadline of seconds and fails with the last screen.
import {execFile} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
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
			// The program has exited but tmux has not reaped it yet (seen for over 30 s on a loaded machine): its status
			// is in the zombie's /proc stat already.
			if (dead === '1') {
				const zombie = zombieExitStatus(Number(await this.format('#{pane_pid}')));
				if (zombie !== undefined) return zombie;
			}
			if (Date.now() > deadline) {
				const pid = Number(await this.format('#{pane_pid}'));
				throw new Error(
					`the program did not exit within ${timeoutMs} ms (pane_dead=${dead} status=${status}; ${processState(pid)}); screen:\n${await this.capture()}`,
				);
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	async stop(): Promise<void> {
		await this.tmux(['kill-server']).catch(() => {});
	}
}

// The exit status of a process that has exited and not been reaped (state Z), from field 52 of /proc/PID/stat (the
// waitpid status: exit code in the high byte, or the signal, reported as 128+N the way tmux and shells do).
function zombieExitStatus(pid: number): number | undefined {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
		if (fields[0] !== 'Z') return undefined;
		const wait = Number(fields[52 - 3]);
		return (wait & 0x7f) === 0 ? (wait >> 8) & 0xff : 128 + (wait & 0x7f);
	} catch {
		return undefined;
	}
}

// What a hung pane's process is doing, for the failure message: its state and CPU ticks, what it waits in, and its
// children (a child holding the terminal keeps the pane alive after the program has gone).
function processState(pid: number): string {
	const stat = (p: number) => {
		try {
			const text = readFileSync(`/proc/${p}/stat`, 'utf8');
			const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
			return {
				comm: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')),
				state: fields[0],
				ppid: Number(fields[1]),
				ticks: Number(fields[11]) + Number(fields[12]),
			};
		} catch {
			return undefined;
		}
	};
	const self = stat(pid);
	if (!self) return `pid ${pid} gone`;
	let wchan = '';
	try {
		wchan = readFileSync(`/proc/${pid}/wchan`, 'utf8');
	} catch {}
	const children = readdirSync('/proc')
		.filter((d) => /^\d+$/.test(d))
		.map((d) => ({pid: Number(d), s: stat(Number(d))}))
		.filter((c) => c.s?.ppid === pid)
		.map((c) => `${c.pid} ${c.s?.comm} ${c.s?.state}`);
	return `pid ${pid} ${self.comm} state ${self.state} cpu ${self.ticks} ticks wchan ${wchan || '-'} children [${children.join(', ')}]`;
}

// The line of a screen that contains `text`.
export function lineOf(screen: string, text: string | RegExp): string | undefined {
	return screen.split('\n').find((l) => (typeof text === 'string' ? l.includes(text) : text.test(l)));
}
