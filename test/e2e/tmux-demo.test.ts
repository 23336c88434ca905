// The built CLI in a real terminal, as a user over SSH would run it: tmux gives it a pty of 100x30
// (TERM=screen), we read the screen with capture-pane, press q, and check how it left the terminal.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';
import {CLI, ensureBuilt, ROOT} from '../helpers/cli.js';

const run = promisify(execFile);
// Runs the CLI, then shows its exit status and reads a line in the terminal mode it left behind.
const AFTER_EXIT = path.join(ROOT, 'test/e2e/tmux-after-exit.mjs');

// tmux on a private server socket, so the test never touches the user's own tmux sessions.
function tmux(socket: string, args: string[]) {
	const env = {...process.env};
	// The pane inherits this environment: Ink must not think it runs in CI (it would draw nothing).
	delete env.CI;
	delete env.CONTINUOUS_INTEGRATION;
	delete env.TMUX;
	return run('tmux', ['-L', socket, '-f', '/dev/null', ...args], {cwd: ROOT, env, timeout: 10_000});
}

async function capture(socket: string, target: string): Promise<string> {
	return (await tmux(socket, ['capture-pane', '-p', '-t', target])).stdout;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, last: () => string): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${last()}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

const RUNNING_POD = /nginx-[0-9a-z]+-[0-9a-z]{5}\s+1\/1\s+Running/g;

test('rollout-cockpit --demo in tmux: three nginx pods Running, events, rollout and probe panels (200 from nginx/1.18.0) within 30 s; g shows the graceful check; q exits 0 and restores the terminal', async (t) => {
	await ensureBuilt();
	const socket = `rc-test-${process.pid}-${Date.now()}`;
	const session = 'demo';
	t.after(async () => {
		await tmux(socket, ['kill-server']).catch(() => {});
	});
	const started = Date.now();
	// tmux starts the command itself (argv, no shell); remain-on-exit keeps the pane readable if it dies.
	await tmux(socket, [
		'new-session',
		'-d',
		'-s',
		session,
		'-x',
		'100',
		'-y',
		'30',
		'-c',
		ROOT,
		process.execPath,
		AFTER_EXIT,
		process.execPath,
		CLI,
		'--demo',
		';',
		'set-option',
		'-w',
		'-t',
		session,
		'remain-on-exit',
		'on',
	]);
	let screen = '';
	await until(
		'three Running nginx pods, the rollout panel and ScalingReplicaSet events',
		// A deadline, not a speed figure (npm run bench measures that): it took 12.5 s alone at a load of 14 on 2 cores.
		30_000,
		async () => {
			screen = await capture(socket, session);
			const running = screen.match(RUNNING_POD) ?? [];
			const ok =
				running.length === 3 &&
				/Rollout nginx/.test(screen) &&
				/ScalingReplicaSet/.test(screen) &&
				/successfully rolled out/.test(screen) &&
				/\slive\n/.test(screen);
			return ok ? true : undefined;
		},
		() => screen,
	);
	// The header says where we are and that the watches are live.
	assert.match(screen, /ctx \S+\s+server v1\.\d+\.\d+\s+ns default\s+deploy nginx/);
	assert.match(screen, /RollingUpdate maxSurge 25% maxUnavailable 25%\s+live/);
	assert.match(screen, /deployment "nginx" successfully rolled out/);
	assert.match(screen, /Events \d+/);
	// Nothing is wider than the pane.
	for (const line of screen.split('\n')) assert.ok(line.length <= 100, `wider than the pane: ${JSON.stringify(line)}`);
	// The probe panel, under the rollout panel: the demo's NodePort on loopback (the only address the demo
	// may dial) answering 200 from nginx/1.18.0, within the same 30 s.
	await until(
		'the probe panel with a 200 from nginx/1.18.0',
		Math.max(1000, 30_000 - (Date.now() - started)),
		async () => {
			screen = await capture(socket, session);
			return /last 200 .*nginx\/1\.18\.0/.test(screen) ? true : undefined;
		},
		() => screen,
	);
	assert.match(screen, /Probe http:\/\/127\.0\.0\.1:\d+\/ +\(NodePort \d+ of service nginx/);
	assert.match(screen, /p50 [\d.]+ ms {2}p99 [\d.]+ ms +\d+ probes, 0 failed/);
	assert.ok(
		screen.indexOf('Rollout nginx') < screen.indexOf('Probe http') && screen.indexOf('Probe http') < screen.indexOf('Pods 3'),
		screen,
	);
	assert.equal((screen.match(RUNNING_POD) ?? []).length, 3, 'the pods are still all on screen');
	// g: the graceful check of the article's deployment (no readiness probe, no preStop); Esc closes it.
	await tmux(socket, ['send-keys', '-t', session, 'g']);
	await until(
		'the graceful check',
		5_000,
		async () => {
			screen = await capture(socket, session);
			return /Was it graceful\? deployment nginx/.test(screen) ? true : undefined;
		},
		() => screen,
	);
	assert.match(screen, /no readinessProbe \(container nginx\)/);
	assert.match(screen, /no preStop delay \(container nginx\)/);
	await tmux(socket, ['send-keys', '-t', session, 'Escape']);
	await until(
		'the cockpit back after Esc',
		5_000,
		async () => {
			screen = await capture(socket, session);
			return !/Was it graceful/.test(screen) && /Pods 3/.test(screen) && /Probe http/.test(screen) ? true : undefined;
		},
		() => screen,
	);
	// While the cockpit runs, it is on the alternate screen.
	const during = (await tmux(socket, ['display-message', '-p', '-t', session, '#{alternate_on} #{pane_dead}'])).stdout.trim();
	assert.equal(during, '1 0');

	await tmux(socket, ['send-keys', '-t', session, 'q']);
	const status = await until(
		'the cockpit to exit after q',
		5_000,
		async () => {
			screen = await capture(socket, session);
			const m = /\[exited (\d+)\] type a line:/.exec(screen);
			return m ? Number(m[1]) : undefined;
		},
		() => screen,
	);
	assert.equal(status, 0, 'exit status after q');
	// The terminal is as it was: main screen back (with none of the cockpit on it), cursor visible.
	const modes = (await tmux(socket, ['display-message', '-p', '-t', session, '#{alternate_on} #{cursor_flag} #{pane_dead}'])).stdout.trim();
	assert.equal(modes, '0 1 0', 'alternate screen left, cursor shown, next program running');
	assert.doesNotMatch(screen, /Rollout nginx|ScalingReplicaSet|1\/1\s+Running/);
	// And it is usable: typed text is echoed by the terminal and read as a line (cooked mode, not raw).
	await tmux(socket, ['send-keys', '-t', session, '-l', 'hello cockpit']);
	await tmux(socket, ['send-keys', '-t', session, 'Enter']);
	await until(
		'the line to be echoed and read back',
		5_000,
		async () => {
			screen = await capture(socket, session);
			return /type a line: hello cockpit\s*\n\[read "hello cockpit"\]/.test(screen) ? true : undefined;
		},
		() => screen,
	);
});

test('NO_COLOR at 80x24: the demo draws without any colour or attribute codes, fits, and Ctrl-C exits 0', async (t) => {
	await ensureBuilt();
	const socket = `rc-test-nc-${process.pid}-${Date.now()}`;
	const session = 'plain';
	t.after(async () => {
		await tmux(socket, ['kill-server']).catch(() => {});
	});
	await tmux(socket, [
		'new-session',
		'-d',
		'-s',
		session,
		'-x',
		'80',
		'-y',
		'24',
		'-c',
		ROOT,
		'-e',
		'NO_COLOR=1',
		process.execPath,
		AFTER_EXIT,
		process.execPath,
		CLI,
		'--demo',
		';',
		'set-option',
		'-w',
		'-t',
		session,
		'remain-on-exit',
		'on',
	]);
	let screen = '';
	await until(
		'three Running pods at 80x24',
		30_000,
		async () => {
			screen = await capture(socket, session);
			return (screen.match(RUNNING_POD) ?? []).length === 3 && /\slive\n/.test(screen) && /Events \d+/.test(screen) ? true : undefined;
		},
		() => screen,
	);
	for (const line of screen.split('\n')) assert.ok(line.length <= 80, `wider than the pane: ${JSON.stringify(line)}`);
	// capture-pane -e shows every colour and attribute as an escape sequence: there must be none.
	const withAttributes = (await tmux(socket, ['capture-pane', '-e', '-p', '-t', session])).stdout;
	assert.doesNotMatch(withAttributes, /\u001B\[/);
	// The probe panel fits too, compact, with the pods still all there.
	await until(
		'the probe panel at 80x24',
		10_000,
		async () => {
			screen = await capture(socket, session);
			return /last 200 .*nginx\/1\.18\.0/.test(screen) && (screen.match(RUNNING_POD) ?? []).length === 3 ? true : undefined;
		},
		() => screen,
	);
	assert.match(screen, /Probe http:\/\/127\.0\.0\.1:\d+\//);
	for (const line of screen.split('\n')) assert.ok(line.length <= 80, `wider than the pane: ${JSON.stringify(line)}`);
	// Focus and selection stay visible without colour.
	assert.match(screen, /^[›>] Pods 3/m);
	assert.match(screen, /^[›>] nginx-/m);

	await tmux(socket, ['send-keys', '-t', session, 'C-c']);
	const status = await until(
		'the cockpit to exit after Ctrl-C',
		5_000,
		async () => {
			screen = await capture(socket, session);
			const m = /\[exited (\d+)\] type a line:/.exec(screen);
			return m ? Number(m[1]) : undefined;
		},
		() => screen,
	);
	assert.equal(status, 0, 'exit status after Ctrl-C');
	const modes = (await tmux(socket, ['display-message', '-p', '-t', session, '#{alternate_on} #{cursor_flag}'])).stdout.trim();
	assert.equal(modes, '0 1');
});
