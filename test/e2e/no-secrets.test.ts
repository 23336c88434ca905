// No secret from any kubeconfig appears in anything the cockpit prints. The embedded cluster's kubeconfig, plus a
// user with a password, gives every kind of secret a kubeconfig holds: bearer tokens (admin, viewer, no-events), the
// exec plugin's key (in its env) and the tokens the plugin prints, a client key (as base64 and as PEM), and a
// password (and the Basic header made from it). The built CLI is run with ROLLOUT_COCKPIT_DEBUG=1 (stack traces
// on) and ROLLOUT_COCKPIT_TIMINGS (its only log file) as each user:
//   - on a pipe, where every start-up check speaks (the cockpit's, and the headless status's, whose answers too): a good start, a deployment and a namespace that do not exist,
//     an unreachable server, an untrusted certificate, an expired token, an exec plugin with the wrong key, a
//     password the server does not take;
//   - in a terminal (tmux), on screen: each user's view switched to with `:ctx`, the help, the viewer's refusal, the
//     no-events user's forbidden events pane, the password user's refused switch, and what is left on the terminal
//     after the cockpit exits; and a start that fails in a terminal.
// Every stdout, stderr, screen and log file is searched for every secret, whole and in any 16-character piece.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {loadYaml} from '@kubernetes/client-node';
import {generateServingCerts} from '../../source/sim/api/certs.js';
import {execKeyEnv, mintExecToken} from '../../source/sim/auth/exec-credential.js';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import {runCli} from '../helpers/cli.js';
import {CLI, ensureBuilt, TmuxPane} from '../helpers/tmux.js';
import {closedPort} from '../helpers/ports.js';
import {type Kubeconfig, writeVariant} from '../helpers/kubeconfig-variant.js';

const CONTEXTS = [
	'rollout-cockpit-sim',
	'rollout-cockpit-sim-readonly',
	'rollout-cockpit-sim-no-events',
	'rollout-cockpit-sim-exec',
	'rollout-cockpit-sim-cert',
	'rollout-cockpit-sim-basic',
];
const PASSWORD = 'hunter2-correct-horse-battery-staple';
// Every token the exec plugin prints starts so (source/sim/auth/exec-credential.ts); none may be shown.
const EXEC_TOKEN = /rcsim-exec\.v1\./;

let cluster: SimCluster;
let dir: string;
let base: Kubeconfig;
let kubeconfig: string;
let timings: string;
let secrets: {what: string; value: string}[];

// Every secret of a kubeconfig, named (the name is what a failure prints, never the value).
function secretsOf(kc: Kubeconfig): {what: string; value: string}[] {
	const out: {what: string; value: string}[] = [];
	for (const {name, user} of kc.users) {
		if (typeof user.token === 'string') out.push({what: `${name}'s token`, value: user.token});
		if (typeof user.password === 'string') {
			out.push({what: `${name}'s password`, value: user.password});
			out.push({what: `${name}'s Basic header`, value: Buffer.from(`${user.username}:${user.password}`).toString('base64')});
		}
		if (typeof user['client-key-data'] === 'string') {
			const data = user['client-key-data'];
			out.push({what: `${name}'s client key (base64)`, value: data});
			const pem = Buffer.from(data, 'base64').toString('utf8');
			// The PEM's body without its line breaks, so that a piece of any line is found.
			out.push({what: `${name}'s client key (PEM)`, value: pem.replace(/-----[^-]+-----|\s/g, '')});
		}
		const env = (user.exec as {env?: {name: string; value: string}[]} | undefined)?.env ?? [];
		for (const e of env) out.push({what: `${name}'s exec env ${e.name}`, value: e.value});
	}
	return out;
}

// The secrets (or 16-character pieces of them) found in `text`, by name.
function leaks(text: string): string[] {
	const found = new Set<string>();
	for (const {what, value} of secrets) {
		if (text.includes(value)) found.add(what);
		else
			for (let i = 0; i + 16 <= value.length; i++)
				if (text.includes(value.slice(i, i + 16))) {
					found.add(`a piece of ${what}`);
					break;
				}
	}
	if (EXEC_TOKEN.test(text)) found.add('a token the exec plugin printed');
	return [...found];
}

function assertNoSecret(where: string, text: string): void {
	assert.deepEqual(leaks(text), [], `${where} shows a secret:\n${text}`);
}

// A variant of the sim's kubeconfig, written to a file of its own.
const variant = (name: string, change: (kc: Kubeconfig) => void): string => writeVariant(base, dir, name, change);

const env = () => ({...process.env, ROLLOUT_COCKPIT_DEBUG: '1', ROLLOUT_COCKPIT_TIMINGS: timings});

describe('no secret from any kubeconfig appears in any output', () => {
	before(async () => {
		await ensureBuilt();
		cluster = await startCluster({scenario: 'nginx', speed: 4});
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-no-secrets-'));
		timings = path.join(dir, 'timings.jsonl');
		base = loadYaml<Kubeconfig>(cluster.kubeconfig);
		// A user with a password, as old kubeconfigs and some installers write: the sim takes no passwords (401).
		base.users.push({name: 'rollout-cockpit-sim-basic', user: {username: 'basic-user', password: PASSWORD}});
		const cl = base.contexts.find((c) => c.name === 'rollout-cockpit-sim')!.context.cluster;
		base.contexts.push({
			name: 'rollout-cockpit-sim-basic',
			context: {cluster: cl, user: 'rollout-cockpit-sim-basic', namespace: 'default'},
		});
		kubeconfig = variant('kubeconfig', () => {});
		secrets = secretsOf(base);
		assert.deepEqual(
			base.contexts.map((c) => c.name).sort(),
			[...CONTEXTS].sort(),
			'the sim has one context per user, and the test knows them all',
		);
		// Three tokens, the exec key, the client key twice, the password and its header.
		assert.equal(secrets.length, 8, secrets.map((s) => s.what).join(', '));
		// The search finds what it looks for: any 16 characters of any secret, and an exec plugin's token.
		for (const {what, value} of secrets) assert.deepEqual(leaks(`… ${value.slice(-17, -1)} …`), [`a piece of ${what}`]);
		assert.deepEqual(leaks('Authorization: Bearer rcsim-exec.v1.abc'), ['a token the exec plugin printed']);
	});
	after(async () => {
		await cluster?.stop();
		if (dir) fs.rmSync(dir, {recursive: true, force: true});
	});

	test('on a pipe: every user, and every start-up failure, of the cockpit and of status, in stdout, stderr and the timings file', async () => {
		const port = await closedPort();
		const unreachable = variant('unreachable', (kc) => {
			kc.clusters[0]!.cluster.server = `https://127.0.0.1:${port}`;
		});
		const other = await generateServingCerts();
		const wrongCa = variant('wrong-ca', (kc) => {
			kc.clusters[0]!.cluster['certificate-authority-data'] = Buffer.from(other.caPem).toString('base64');
		});
		const execUser = base.users.find((u) => u.name === 'rollout-cockpit-sim-exec')!;
		const execEnv = (execUser.user.exec as {env: {name: string; value: string}[]}).env;
		const key = execEnv.find((e) => e.name === execKeyEnv)!.value;
		const expired = mintExecToken(key, 'exec-user', 60, Date.now() - 120_000).token;
		const expiredToken = variant('expired', (kc) => {
			kc.users.find((u) => u.name === 'rollout-cockpit-sim')!.user = {token: expired};
		});
		// The plugin prints a token signed with a key the server does not know: the server answers 401.
		const wrongKey = variant('wrong-exec-key', (kc) => {
			const exec = kc.users.find((u) => u.name === 'rollout-cockpit-sim-exec')!.user.exec as {env: {name: string; value: string}[]};
			exec.env = exec.env.map((e) => (e.name === execKeyEnv ? {...e, value: 'not-the-key-the-sim-signs-with-0123456789'} : e));
		});
		secrets.push(
			{what: 'an expired token', value: expired},
			{what: 'the wrong exec key', value: 'not-the-key-the-sim-signs-with-0123456789'},
		);

		const runs: {args: string[]; expect: RegExp; ok?: boolean}[] = [];
		for (const context of CONTEXTS) {
			const basic = context.endsWith('-basic');
			const refused = /refused the kubeconfig's credentials \(401 Unauthorized\)/;
			runs.push(
				{args: ['--kubeconfig', kubeconfig, '--context', context, 'nginx'], expect: basic ? refused : /stdout is not a terminal/},
				{args: ['--kubeconfig', kubeconfig, '--context', context, 'ghost'], expect: basic ? refused : /deployment "ghost" not found/},
				{args: ['--kubeconfig', kubeconfig, '--context', context, '-n', 'shop'], expect: basic ? refused : /namespace "shop" not found/},
				{args: ['--kubeconfig', unreachable, '--context', context], expect: /cannot reach the API server .*connection refused/},
				{args: ['--kubeconfig', wrongCa, '--context', context], expect: /TLS verification of the API server .* failed/},
			);
		}
		runs.push(
			{args: ['--kubeconfig', expiredToken], expect: /401 Unauthorized/},
			{args: ['--kubeconfig', wrongKey, '--context', 'rollout-cockpit-sim-exec'], expect: /401 Unauthorized/},
		);
		// The headless status, as each user: its answer (text and --json), and its failures.
		for (const context of CONTEXTS) {
			const basic = context.endsWith('-basic');
			const refused = /refused the kubeconfig's credentials \(401 Unauthorized\)/;
			runs.push(
				{
					args: ['status', 'nginx', '--kubeconfig', kubeconfig, '--context', context],
					expect: basic ? refused : /successfully rolled out/,
					ok: !basic,
				},
				{
					args: ['status', 'nginx', '--json', '--watch', '--kubeconfig', kubeconfig, '--context', context],
					expect: basic ? refused : /"result":"complete"/,
					ok: !basic,
				},
				{
					args: ['status', 'ghost', '--kubeconfig', kubeconfig, '--context', context],
					expect: basic ? refused : /deployment "ghost" not found/,
				},
				{args: ['status', 'nginx', '--watch', '--kubeconfig', unreachable, '--context', context], expect: /cannot reach the API server/},
				{args: ['status', 'nginx', '--watch', '--kubeconfig', wrongCa, '--context', context], expect: /TLS verification of the API server/},
			);
		}
		runs.push({args: ['status', 'nginx', '--kubeconfig', wrongKey, '--context', 'rollout-cockpit-sim-exec'], expect: /401 Unauthorized/});
		for (const {args, expect, ok} of runs) {
			const run = await runCli(args, {env: env(), timeoutMs: 30_000});
			const where = `rollout-cockpit ${args.join(' ')}`;
			// The run said what it should (so the search below searched a real answer), and nothing secret.
			assert.match(run.stdout + run.stderr, expect, `${where}: ${run.stdout}${run.stderr}`);
			if (ok) assert.equal(run.status, 0, where);
			else assert.notEqual(run.status, 0, where);
			assertNoSecret(`${where}: stdout`, run.stdout);
			assertNoSecret(`${where}: stderr`, run.stderr);
		}
		// The only file the cockpit writes: start-up timings, when asked (it is written on a terminal only; see below).
		if (fs.existsSync(timings)) assertNoSecret('the timings file', fs.readFileSync(timings, 'utf8'));
	});

	test('in a terminal: every user on screen through :ctx, their refusals, the help, and what is left after exit', async (t) => {
		const pane = new TmuxPane();
		t.after(() => pane.stop());
		fs.rmSync(timings, {force: true});
		const screens: {where: string; text: string}[] = [];
		const seen = async (where: string, check: (s: string) => boolean, timeoutMs = 30_000) => {
			const text = await pane.until(where, check, timeoutMs);
			screens.push({where, text});
			return text;
		};
		await pane.start([process.execPath, CLI, 'nginx', '--kubeconfig', kubeconfig], {
			columns: 160,
			rows: 40,
			env: {ROLLOUT_COCKPIT_DEBUG: '1', ROLLOUT_COCKPIT_TIMINGS: timings, NO_COLOR: '1'},
		});
		await seen('admin: nginx, live', (s) => /ctx rollout-cockpit-sim\s/.test(s) && /\slive\n/.test(s) && /Running/.test(s));
		await pane.type('?');
		await seen('the help', (s) => /Keys/.test(s));
		await pane.keys('Escape');
		await pane.until('the help closed', (s) => !/Esc or \? closes this help/.test(s));
		const open = async (context: string, ready: (s: string) => boolean) => {
			await pane.type(`:ctx ${context}\r`);
			await seen(`${context}: the deployment list`, (s) => new RegExp(`ctx ${context}\\s`).test(s) && /Deployments in default/.test(s));
			await pane.type(':deploy nginx\r');
			return seen(`${context}: nginx`, (s) => /deploy nginx/.test(s) && ready(s));
		};
		await open('rollout-cockpit-sim-readonly', (s) => /\slive\n/.test(s) && /r i s u p forbidden/.test(s));
		await pane.type('u');
		await seen('the viewer refused', (s) => /forbidden: u \(undo\) needs patch deployments\.apps/.test(s));
		await open('rollout-cockpit-sim-no-events', (s) => /events forbidden/.test(s) && /Running/.test(s));
		await pane.keys('Tab');
		await pane.keys('Tab');
		await seen('the forbidden events pane', (s) => /may not|forbidden/.test(s));
		await open('rollout-cockpit-sim-exec', (s) => /\slive\n/.test(s) && /Running/.test(s));
		await open('rollout-cockpit-sim-cert', (s) => /\slive\n/.test(s) && /Running/.test(s));
		await pane.type(':ctx rollout-cockpit-sim-basic\r');
		await seen('the password user refused', (s) =>
			/cannot switch to context "rollout-cockpit-sim-basic": the API server at .* refused/.test(s),
		);
		// The command line stays open to fix the name; Esc closes it (awaited: an Esc and a q in one read are Alt-q).
		await pane.keys('Escape');
		await pane.until('the command line closed', (s) => !/:ctx rollout-cockpit-sim-basic/.test(s));
		await pane.type('q');
		assert.equal(await pane.exitStatus(), 0, 'the cockpit quits with 0');
		screens.push({where: 'the terminal after exit', text: await pane.captureAll()});
		for (const {where, text} of screens) assertNoSecret(`the screen (${where})`, text);
		assert.ok(fs.existsSync(timings), 'the timings file was written');
		assertNoSecret('the timings file', fs.readFileSync(timings, 'utf8'));

		// A start that fails in a terminal: the one line is left on the terminal, without the password.
		const failing = new TmuxPane();
		t.after(() => failing.stop());
		await failing.start([process.execPath, CLI, 'nginx', '--kubeconfig', kubeconfig, '--context', 'rollout-cockpit-sim-basic'], {
			columns: 160,
			rows: 40,
			env: {ROLLOUT_COCKPIT_DEBUG: '1', ROLLOUT_COCKPIT_TIMINGS: timings},
		});
		assert.equal(await failing.exitStatus(30_000), 1);
		const left = await failing.captureAll();
		assert.match(left, /rollout-cockpit: .*401 Unauthorized/);
		assertNoSecret('the terminal after a failed start', left);
	});
});
