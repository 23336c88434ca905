// Bad input and a hostile environment, as a user meets them: the built CLI with a missing, unreadable or garbled
// kubeconfig, an unknown context, an unreachable server, a server whose certificate is not trusted, an expired
// token, a user who may not list deployments, a namespace or deployment that does not exist, and a stdout that is
// not a terminal. Each ends with one line on stderr naming the thing at fault, a non-zero exit status, no stack
// trace, and nothing at all on stdout (no frame is ever drawn into a pipe); the same in a terminal, where the cockpit
// leaves the line on the shell's screen; and the same from the headless `status`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {loadYaml} from '@kubernetes/client-node';
import {generateServingCerts} from '../../source/sim/api/certs.js';
import {execKeyEnv, mintExecToken} from '../../source/sim/auth/exec-credential.js';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import {CLI, ensureBuilt, type RunAs, runCli, type CliRun} from '../helpers/cli.js';
import {TmuxPane} from '../helpers/tmux.js';
import {defaultKubectl, kubectl} from '../helpers/kubectl.js';
import {closedPort} from '../helpers/ports.js';
import {bindViewerListOnly} from '../helpers/rbac.js';
import {type Kubeconfig, writeVariant} from '../helpers/kubeconfig-variant.js';

let cluster: SimCluster;
let dir: string;
let base: Kubeconfig;

// A variant of the sim's kubeconfig, written to a file of its own.
const variant = (name: string, change: (kc: Kubeconfig) => void): string => writeVariant(base, dir, name, change);

// The one-line refusal every case must end with (`prefix`: the command's name, as it starts its line).
function assertOneLine(run: CliRun, status: number, message: RegExp, prefix = 'rollout-cockpit: '): void {
	assert.equal(run.status, status, `exit status; stderr: ${run.stderr}`);
	assert.equal(run.stdout, '', 'nothing on stdout: no frame drawn into the pipe');
	const lines = run.stderr.split('\n').filter((l) => l !== '');
	assert.equal(lines.length, 1, `one line on stderr, got: ${run.stderr}`);
	assert.ok(lines[0]!.startsWith(prefix), lines[0]);
	assert.match(lines[0]!, message);
	assert.doesNotMatch(run.stderr, /\n\s+at |Error: |node:internal/, 'no stack trace');
}

// The headless `rollout-cockpit status DEPLOYMENT` with the same bad input: one line, exit 2 (its code for "could not
// judge the rollout"), in both its one-look and its --watch form.
async function assertStatusLine(args: string[], message: RegExp, options: {env?: NodeJS.ProcessEnv} = {}): Promise<void> {
	for (const watch of [[], ['--watch']])
		assertOneLine(await runCli(['status', 'nginx', ...watch, ...args], options), 2, message, 'rollout-cockpit status: ');
}

// The same bad input in the interactive cockpit, on a terminal (tmux, 80x24): the boot screen gives way to the shell's
// screen, with the one line left on it (wrapped lines joined, as a user scrolling back reads them), and exit 1.
async function assertTerminalLine(args: string[], message: RegExp, env: Record<string, string> = {}): Promise<void> {
	const pane = new TmuxPane();
	try {
		await pane.start([process.execPath, CLI, ...args], {env});
		const status = await pane.exitStatus(30_000);
		const screen = await pane.captureAll();
		assert.equal(status, 1, `exit status in the terminal; screen:\n${screen}`);
		assert.equal(await pane.format('#{alternate_on}'), '0', 'the alternate screen was left');
		// tmux's own "Pane is dead (status 1, ...)" line, which remain-on-exit adds, is not the program's.
		const lines = screen.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('Pane is dead'));
		assert.equal(lines.length, 1, `one line left on the terminal, got:\n${screen}`);
		assert.ok(lines[0]!.startsWith('rollout-cockpit: '), lines[0]);
		assert.match(lines[0]!, message);
	} finally {
		await pane.stop();
	}
}

describe('bad input: one line naming what is wrong, a non-zero exit, nothing drawn', () => {
	before(async () => {
		await ensureBuilt();
		cluster = await startCluster({scenario: 'nginx'});
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-bad-input-'));
		base = loadYaml<Kubeconfig>(cluster.kubeconfig);
	});
	after(async () => {
		await cluster?.stop();
		if (dir) fs.rmSync(dir, {recursive: true, force: true});
	});

	test('kubeconfig missing, a directory, not YAML, YAML that is no kubeconfig, empty; KUBECONFIG naming nothing', async () => {
		assertOneLine(
			await runCli(['--kubeconfig', path.join(dir, 'nope')]),
			1,
			/kubeconfig file ".*nope" does not exist: check the --kubeconfig path/,
		);
		assertOneLine(await runCli(['--kubeconfig', dir]), 1, /kubeconfig ".*" is a directory, not a file/);
		const broken = path.join(dir, 'broken.yaml');
		fs.writeFileSync(broken, 'clusters: [\n  - name: a\n');
		assertOneLine(
			await runCli(['--kubeconfig', broken]),
			1,
			/cannot read kubeconfig ".*broken\.yaml": invalid YAML at line \d+, column \d+/,
		);
		const prose = path.join(dir, 'prose.yaml');
		fs.writeFileSync(prose, 'this is not a kubeconfig at all\n');
		assertOneLine(
			await runCli(['--kubeconfig', prose]),
			1,
			/cannot read kubeconfig ".*prose\.yaml": it is not a kubeconfig \(YAML with clusters, users and contexts\), but a string/,
		);
		const empty = path.join(dir, 'empty.yaml');
		fs.writeFileSync(empty, '');
		assertOneLine(await runCli(['--kubeconfig', empty]), 1, /kubeconfig ".*empty\.yaml" is empty/);
		assertOneLine(
			await runCli([], {env: {...process.env, KUBECONFIG: path.join(dir, 'a') + path.delimiter + path.join(dir, 'b')}}),
			1,
			/none of the files in KUBECONFIG exists/,
		);
		await assertTerminalLine(['--kubeconfig', path.join(dir, 'nope')], /kubeconfig file ".*nope" does not exist/);
		await assertTerminalLine(['--kubeconfig', broken], /cannot read kubeconfig ".*broken\.yaml": invalid YAML at line \d+/);
		await assertStatusLine(
			['--kubeconfig', path.join(dir, 'nope')],
			/kubeconfig file ".*nope" does not exist: check the --kubeconfig path/,
		);
		await assertStatusLine(['--kubeconfig', dir], /kubeconfig ".*" is a directory, not a file/);
		await assertStatusLine(['--kubeconfig', broken], /cannot read kubeconfig ".*broken\.yaml": invalid YAML at line \d+, column \d+/);
		await assertStatusLine(['--kubeconfig', prose], /cannot read kubeconfig ".*prose\.yaml": it is not a kubeconfig/);
		await assertStatusLine(['--kubeconfig', empty], /kubeconfig ".*empty\.yaml" is empty/);
		await assertStatusLine([], /none of the files in KUBECONFIG exists/, {
			env: {...process.env, KUBECONFIG: path.join(dir, 'a') + path.delimiter + path.join(dir, 'b')},
		});
	});

	test('kubeconfig unreadable: mode 000, read by a user who is not root (as nobody, from a copy of the CLI, when the suite runs as root)', async () => {
		const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-unreadable-'));
		try {
			fs.chmodSync(home, 0o755);
			const file = path.join(home, 'kubeconfig');
			fs.writeFileSync(file, cluster.kubeconfig, {mode: 0o000});
			fs.chmodSync(file, 0o000);
			// root reads any file: the CLI then runs as nobody, from a copy it may read.
			let as: RunAs | undefined;
			if (process.getuid?.() === 0) {
				fs.cpSync(path.dirname(CLI), path.join(home, 'dist'), {recursive: true});
				for (const entry of fs.readdirSync(home, {recursive: true, withFileTypes: true}))
					if (entry.name !== 'kubeconfig') fs.chmodSync(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
				as = {uid: 65534, gid: 65534, cli: path.join(home, 'dist', path.basename(CLI)), cwd: home};
			}
			const unreadable = /cannot read kubeconfig ".*kubeconfig": permission denied/;
			assertOneLine(await runCli(['--kubeconfig', file], {as}), 1, unreadable);
			for (const watch of [[], ['--watch']])
				assertOneLine(await runCli(['status', 'nginx', ...watch, '--kubeconfig', file], {as}), 2, unreadable, 'rollout-cockpit status: ');
		} finally {
			fs.rmSync(home, {recursive: true, force: true});
		}
	});

	test('unknown context: the available ones are listed', async () => {
		assertOneLine(
			await runCli(['--kubeconfig', cluster.kubeconfigPath, '--context', 'prod']),
			1,
			/context "prod" not found in kubeconfig ".*" \(available: rollout-cockpit-sim, rollout-cockpit-sim-readonly, /,
		);
		await assertTerminalLine(['--kubeconfig', cluster.kubeconfigPath, '--context', 'prod'], /context "prod" not found in kubeconfig/);
		await assertStatusLine(
			['--kubeconfig', cluster.kubeconfigPath, '--context', 'prod'],
			/context "prod" not found in kubeconfig ".*" \(available: rollout-cockpit-sim, rollout-cockpit-sim-readonly, /,
		);
	});

	test('unreachable server: connection refused, naming the server and the context', async () => {
		const port = await closedPort();
		const file = variant('unreachable', (kc) => {
			kc.clusters[0]!.cluster.server = `https://127.0.0.1:${port}`;
		});
		assertOneLine(
			await runCli(['--kubeconfig', file]),
			1,
			new RegExp(`cannot reach the API server at https://127\\.0\\.0\\.1:${port} \\(context "rollout-cockpit-sim"\\): connection refused`),
		);
		await assertTerminalLine(
			['--kubeconfig', file],
			new RegExp(`cannot reach the API server at https://127\\.0\\.0\\.1:${port} .*connection refused`),
		);
		await assertStatusLine(
			['--kubeconfig', file],
			new RegExp(`cannot reach the API server at https://127\\.0\\.0\\.1:${port} \\(context "rollout-cockpit-sim"\\): connection refused`),
		);
	});

	test("TLS verification failure: a CA that did not sign the server's certificate; insecure-skip-tls-verify turns the check off", async () => {
		const other = await generateServingCerts();
		const file = variant('wrong-ca', (kc) => {
			kc.clusters[0]!.cluster['certificate-authority-data'] = Buffer.from(other.caPem).toString('base64');
		});
		assertOneLine(
			await runCli(['--kubeconfig', file]),
			1,
			/TLS verification of the API server at https:\/\/127\.0\.0\.1:\d+ \(context "rollout-cockpit-sim"\) failed: .*certificate-authority/,
		);
		await assertTerminalLine(['--kubeconfig', file], /TLS verification of the API server at https:\/\/127\.0\.0\.1:\d+ .* failed/);
		await assertStatusLine(
			['--kubeconfig', file],
			/TLS verification of the API server at https:\/\/127\.0\.0\.1:\d+ \(context "rollout-cockpit-sim"\) failed: .*certificate-authority/,
		);
		// With the check off the same kubeconfig reaches the server: only the terminal is missing now.
		const skipped = variant('skip-tls', (kc) => {
			delete kc.clusters[0]!.cluster['certificate-authority-data'];
			kc.clusters[0]!.cluster['insecure-skip-tls-verify'] = true;
		});
		assertOneLine(await runCli(['--kubeconfig', skipped]), 2, /stdout is not a terminal/);
	});

	test('401: an expired token (signed by the sim, a minute past its expiry) and a token the server never issued', async () => {
		const execUser = base.users.find((u) => u.name === 'rollout-cockpit-sim-exec')!;
		const key = ((execUser.user.exec as {env: {name: string; value: string}[]}).env.find((e) => e.name === execKeyEnv) ?? {value: ''})
			.value;
		const expired = mintExecToken(key, 'exec-user', 60, Date.now() - 120_000).token;
		const file = variant('expired', (kc) => {
			kc.users.find((u) => u.name === 'rollout-cockpit-sim')!.user = {token: expired};
		});
		const refused =
			/the API server at https:\/\/127\.0\.0\.1:\d+ \(context "rollout-cockpit-sim"\) refused the kubeconfig's credentials \(401 Unauthorized\): the token or certificate may have expired/;
		const run = await runCli(['--kubeconfig', file]);
		assertOneLine(run, 1, refused);
		assert.doesNotMatch(run.stderr, new RegExp(expired.slice(-20)), 'the token is not printed');
		const forged = variant('forged', (kc) => {
			kc.users.find((u) => u.name === 'rollout-cockpit-sim')!.user = {token: 'not-a-token-the-sim-issued'};
		});
		assertOneLine(await runCli(['--kubeconfig', forged]), 1, refused);
		await assertTerminalLine(['--kubeconfig', file], refused);
		await assertStatusLine(['--kubeconfig', file], refused);
		await assertStatusLine(['--kubeconfig', forged], refused);
	});

	test('403 on list: a user whose only binding was removed may not list deployments; the verb and resource are named', async () => {
		// The viewer's own binding stays removed: the next test gives it other rights.
		cluster.store.delete('clusterrolebindings', undefined, 'rollout-cockpit:viewer');
		assertOneLine(
			await runCli(['--kubeconfig', cluster.kubeconfigPath, '--context', 'rollout-cockpit-sim-readonly']),
			1,
			/forbidden \(403\): User "viewer" cannot list resource "deployments" in API group "apps" in the namespace "default"/,
		);
		await assertTerminalLine(
			['--kubeconfig', cluster.kubeconfigPath, '--context', 'rollout-cockpit-sim-readonly'],
			/forbidden \(403\): User "viewer" cannot list resource "deployments"/,
		);
		// status reads the one deployment: its 403 names that verb.
		await assertStatusLine(
			['--kubeconfig', cluster.kubeconfigPath, '--context', 'rollout-cockpit-sim-readonly'],
			/forbidden \(403\): User "viewer" cannot get resource "deployments" in API group "apps" in the namespace "default"/,
		);
	});

	test('403 on watch: a user who may list but not watch; the cockpit and status --watch end naming the watch, one look still answers', async () => {
		// The viewer may get and list what the cockpit shows, and watch nothing (its own binding is gone since the test above).
		const unbind = bindViewerListOnly(cluster.store);
		const asViewer = ['--kubeconfig', cluster.kubeconfigPath, '--context', 'rollout-cockpit-sim-readonly'];
		const refused =
			/forbidden: your user may not watch deployments\.apps in namespace "default", which following the rollout live needs; kubectl auth can-i watch deployments\.apps -n default checks it$/;
		try {
			// kubectl agrees: the list works and the watch is refused.
			const canI = async (verb: string) =>
				(
					await kubectl(defaultKubectl, cluster.kubeconfigPath, [
						'--context',
						'rollout-cockpit-sim-readonly',
						'auth',
						'can-i',
						verb,
						'deployments.apps',
					])
				).stdout.trim();
			assert.equal(await canI('list'), 'yes');
			assert.equal(await canI('watch'), 'no');
			assertOneLine(await runCli(asViewer), 1, refused);
			await assertTerminalLine(asViewer, refused);
			// --watch --json goes to the watch whatever the rollout's state: one line on stderr, the error verdict on stdout.
			const watched = await runCli(['status', 'nginx', '--watch', '--json', ...asViewer]);
			assert.equal(watched.status, 2, `status --watch exit; stderr: ${watched.stderr}`);
			const errLines = watched.stderr.split('\n').filter((l) => l !== '');
			assert.equal(errLines.length, 1, watched.stderr);
			assert.match(errLines[0]!, /^rollout-cockpit status: forbidden: your user may not watch deployments\.apps in namespace "default"/);
			const record = JSON.parse(watched.stdout.trim().split('\n').at(-1)!) as {result: string; exitCode: number; message: string};
			assert.deepEqual([record.result, record.exitCode], ['error', 2]);
			assert.match(record.message, /may not watch deployments\.apps/);
			// One look needs no watch: it answers as kubectl rollout status --watch=false does.
			const look = await runCli(['status', 'nginx', ...asViewer]);
			assert.equal(look.status, 0, `one look: ${look.stderr}`);
			assert.equal(look.stdout.trim(), 'deployment "nginx" successfully rolled out');
		} finally {
			unbind();
		}
	});

	test('namespace not found; deployment not found', async () => {
		assertOneLine(
			await runCli(['--kubeconfig', cluster.kubeconfigPath, '-n', 'shop']),
			1,
			/namespace "shop" not found in context "rollout-cockpit-sim": check -n/,
		);
		assertOneLine(
			await runCli(['--kubeconfig', cluster.kubeconfigPath, 'ghost']),
			1,
			/deployment "ghost" not found in namespace "default": check the name/,
		);
		await assertTerminalLine(['--kubeconfig', cluster.kubeconfigPath, '-n', 'shop'], /namespace "shop" not found/);
		await assertTerminalLine(['--kubeconfig', cluster.kubeconfigPath, 'ghost'], /deployment "ghost" not found in namespace "default"/);
		// status asks for the deployment alone, as kubectl rollout status does: a missing namespace is a missing deployment
		// there, named with its namespace.
		await assertStatusLine(['--kubeconfig', cluster.kubeconfigPath, '-n', 'shop'], /deployment "nginx" not found in namespace "shop"/);
		for (const watch of [[], ['--watch']])
			assertOneLine(
				await runCli(['status', 'ghost', ...watch, '--kubeconfig', cluster.kubeconfigPath]),
				2,
				/deployment "ghost" not found in namespace "default"/,
				'rollout-cockpit status: ',
			);
	});

	test('stdout not a terminal: with a good kubeconfig it says so, points to `status`, exits 2, and draws nothing', async () => {
		assertOneLine(
			await runCli(['--kubeconfig', cluster.kubeconfigPath, 'nginx']),
			2,
			/stdout is not a terminal: the cockpit draws a full-screen view and needs one .*`rollout-cockpit status`/,
		);
		// --demo does not even start its cluster when it could not show it.
		assertOneLine(await runCli(['--demo']), 2, /stdout is not a terminal/);
	});
});
