// The built CLI in a real terminal, as a user over SSH would run it: tmux gives it a pty of 100x30
// (TERM=screen), we read the screen with capture-pane, press q, and check how it left the terminal.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {CLI, ensureBuilt, ROOT, TmuxPane} from '../helpers/tmux.js';
import {closeServer, listenOnLoopback} from '../helpers/ports.js';

// Runs the CLI, then shows its exit status and reads a line in the terminal mode it left behind.
const AFTER_EXIT = path.join(ROOT, 'test/e2e/tmux-after-exit.mjs');

const RUNNING_POD = /nginx-[0-9a-z]+-[0-9a-z]{5}\s+1\/1\s+Running/g;

// The exit status tmux-after-exit.mjs shows once the cockpit has exited (q stops the embedded cluster first: under
// load that took more than 10 s).
async function exitShown(pane: TmuxPane, after: string): Promise<number> {
	const screen = await pane.until(`the cockpit to exit after ${after}`, (s) => /\[exited \d+\] type a line:/.test(s), 30_000);
	return Number(/\[exited (\d+)\] type a line:/.exec(screen)![1]);
}

test('rollout-cockpit --demo in tmux: three nginx pods Running, events, rollout and probe panels (200 from nginx/1.18.0) within 30 s; g shows the graceful check; q exits 0 and restores the terminal', async (t) => {
	await ensureBuilt();
	const pane = new TmuxPane();
	t.after(() => pane.stop());
	const started = Date.now();
	await pane.start([process.execPath, AFTER_EXIT, process.execPath, CLI, '--demo'], {columns: 100, rows: 30});
	// A deadline, not a speed figure (npm run bench measures that): it took 12.5 s alone at a load of 14 on 2 cores.
	let screen = await pane.until(
		'three Running nginx pods and the rollout panel, live',
		(s) => (s.match(RUNNING_POD) ?? []).length === 3 && /Rollout nginx/.test(s) && /successfully rolled out/.test(s) && /\slive\n/.test(s),
		30_000,
	);
	// The header says where we are and that the watches are live.
	assert.match(screen, /ctx \S+\s+server v1\.\d+\.\d+\s+ns default\s+deploy nginx/);
	assert.match(screen, /RollingUpdate maxSurge 25% maxUnavailable 25%\s+live/);
	assert.match(screen, /deployment "nginx" successfully rolled out/);
	assert.match(screen, /Events \d+/);
	// Nothing is wider than the pane.
	for (const line of screen.split('\n')) assert.ok(line.length <= 100, `wider than the pane: ${JSON.stringify(line)}`);
	// The events pane follows the newest, and events of the same second keep the order they were listed in (by name,
	// as the apiserver lists them, when the cockpit starts after they were made), so the rollout's ScalingReplicaSet
	// may be off screen at either end: Tab to the pane, then Home and End between them show all 16 rows in 13.
	await pane.keys('Tab');
	await pane.keys('Home');
	const scaling = (s: string) => /ScalingReplicaSet\s+deployment\/nginx/.test(s);
	const atTop = await pane.until('the ScalingReplicaSet event in the first rows of the events pane', scaling, 3_000).catch(() => undefined);
	if (!atTop) {
		await pane.keys('End');
		await pane.until('the ScalingReplicaSet event in the first or the last rows of the events pane', scaling);
	}
	await pane.keys('Tab');
	// The probe panel, under the rollout panel: the demo's NodePort on loopback (the only address the demo
	// may dial) answering 200 from nginx/1.18.0, within the same 30 s.
	screen = await pane.until(
		'the probe panel with a 200 from nginx/1.18.0',
		(s) => /last 200 .*nginx\/1\.18\.0/.test(s),
		Math.max(1000, 30_000 - (Date.now() - started)),
	);
	assert.match(screen, /Probe http:\/\/127\.0\.0\.1:\d+\/ +\(NodePort \d+ of service nginx/);
	assert.match(screen, /p50 [\d.]+ ms {2}p99 [\d.]+ ms +\d+ probes, 0 failed/);
	assert.ok(
		screen.indexOf('Rollout nginx') < screen.indexOf('Probe http') && screen.indexOf('Probe http') < screen.indexOf('Pods 3'),
		screen,
	);
	assert.equal((screen.match(RUNNING_POD) ?? []).length, 3, 'the pods are still all on screen');
	// g: the graceful check of the article's deployment (no readiness probe, no preStop); Esc closes it.
	await pane.type('g');
	screen = await pane.until('the graceful check', (s) => /Was it graceful\? deployment nginx/.test(s));
	assert.match(screen, /no readinessProbe \(container nginx\)/);
	assert.match(screen, /no preStop delay \(container nginx\)/);
	await pane.keys('Escape');
	await pane.until('the cockpit back after Esc', (s) => !/Was it graceful/.test(s) && /Pods 3/.test(s) && /Probe http/.test(s));
	// While the cockpit runs, it is on the alternate screen.
	assert.equal(await pane.format('#{alternate_on} #{pane_dead}'), '1 0');

	await pane.type('q');
	assert.equal(await exitShown(pane, 'q'), 0, 'exit status after q');
	screen = pane.last;
	// The terminal is as it was: main screen back (with none of the cockpit on it), cursor visible.
	assert.equal(
		await pane.format('#{alternate_on} #{cursor_flag} #{pane_dead}'),
		'0 1 0',
		'alternate screen left, cursor shown, next program running',
	);
	assert.doesNotMatch(screen, /Rollout nginx|ScalingReplicaSet|1\/1\s+Running/);
	// And it is usable: typed text is echoed by the terminal and read as a line (cooked mode, not raw).
	await pane.type('hello cockpit');
	await pane.keys('Enter');
	await pane.until('the line to be echoed and read back', (s) => /type a line: hello cockpit\s*\n\[read "hello cockpit"\]/.test(s));
});

test('NO_COLOR at 80x24: the demo draws without any colour or attribute codes, fits, and Ctrl-C exits 0', async (t) => {
	await ensureBuilt();
	const pane = new TmuxPane();
	t.after(() => pane.stop());
	await pane.start([process.execPath, AFTER_EXIT, process.execPath, CLI, '--demo'], {columns: 80, rows: 24, env: {NO_COLOR: '1'}});
	let screen = await pane.until(
		'three Running pods at 80x24',
		(s) => (s.match(RUNNING_POD) ?? []).length === 3 && /\slive\n/.test(s) && /Events \d+/.test(s),
		30_000,
	);
	for (const line of screen.split('\n')) assert.ok(line.length <= 80, `wider than the pane: ${JSON.stringify(line)}`);
	// capture-pane -e shows every colour and attribute as an escape sequence: there must be none.
	assert.doesNotMatch(await pane.capture(true), /\u001B\[/);
	// The probe panel fits too, compact, with the pods still all there.
	screen = await pane.until(
		'the probe panel at 80x24',
		(s) => /last 200 .*nginx\/1\.18\.0/.test(s) && (s.match(RUNNING_POD) ?? []).length === 3,
	);
	assert.match(screen, /Probe http:\/\/127\.0\.0\.1:\d+\//);
	for (const line of screen.split('\n')) assert.ok(line.length <= 80, `wider than the pane: ${JSON.stringify(line)}`);
	// Focus and selection stay visible without colour.
	assert.match(screen, /^[›>] Pods 3/m);
	assert.match(screen, /^[›>] nginx-/m);

	await pane.keys('C-c');
	assert.equal(await exitShown(pane, 'Ctrl-C'), 0, 'exit status after Ctrl-C');
	assert.equal(await pane.format('#{alternate_on} #{cursor_flag}'), '0 1');
});

test('Ctrl-C on the boot frame, before Ink is up (the cluster has not answered yet): exit 0 and the terminal restored', async (t) => {
	await ensureBuilt();
	// A server that takes connections and never answers: the checks wait, and the cockpit stays on its boot frame,
	// where the terminal is not raw yet and Ctrl-C is a SIGINT, not a key.
	const sockets = new Set<net.Socket>();
	const silent = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	const port = await listenOnLoopback(silent);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-boot-ctrl-c-'));
	t.after(async () => {
		for (const s of sockets) s.destroy();
		await closeServer(silent);
		fs.rmSync(dir, {recursive: true, force: true});
	});
	const kubeconfig = path.join(dir, 'kubeconfig');
	fs.writeFileSync(
		kubeconfig,
		`apiVersion: v1\nkind: Config\ncurrent-context: silent\nclusters:\n- name: silent\n  cluster:\n    server: https://127.0.0.1:${port}\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: silent\n  context: {cluster: silent, user: u}\n`,
		{mode: 0o600},
	);
	const pane = new TmuxPane();
	t.after(() => pane.stop());
	await pane.start([process.execPath, AFTER_EXIT, process.execPath, CLI, '--kubeconfig', kubeconfig, 'nginx'], {columns: 100, rows: 30});
	await pane.until('the boot frame', (s) => /loading kubeconfig/.test(s), 15_000);
	await pane.keys('C-c');
	assert.equal(await exitShown(pane, 'Ctrl-C on the boot frame'), 0, 'exit status after Ctrl-C');
	assert.equal(await pane.format('#{alternate_on} #{cursor_flag}'), '0 1', 'alternate screen left, cursor shown');
	assert.doesNotMatch(await pane.capture(), /loading kubeconfig/, 'the boot frame went with the alternate screen');
});
