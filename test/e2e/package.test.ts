// The package as users install CLI tools: `npm pack` holds dist/ (the bundled CLI: nothing else to install) and
// both bins; `npm install -g` of the tarball, offline, puts rollout-cockpit and kubectl-rollout_cockpit on PATH, and
// then `kubectl rollout-cockpit status nginx` runs through kubectl's plugin mechanism; `npx` of the tarball (npm exec,
// offline, an empty cache) starts the demo in a terminal.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {promisify} from 'node:util';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import {ensureBuilt, ROOT} from '../helpers/cli.js';
import {TmuxPane} from '../helpers/tmux.js';
import {defaultKubectl} from '../helpers/kubectl.js';

const run = promisify(execFile);
const KUBECTL = defaultKubectl;

let dir: string;
let tarball: string;
let packed: {path: string; mode: number}[];
let cluster: SimCluster;
const prefix = () => path.join(dir, 'prefix');
// What a user's shell has: the installed bins and kubectl, nothing of this repository.
const userEnv = () => ({
	PATH: `${path.join(prefix(), 'bin')}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
	HOME: path.join(dir, 'home'),
	KUBECONFIG: cluster.kubeconfigPath,
	npm_config_cache: path.join(dir, 'npm-cache'),
	npm_config_update_notifier: 'false',
});
// npm's own script (its shebang runs node), with an argv: no shell.
const npm = (args: string[], cwd = dir) =>
	run('npm', args, {cwd, env: {...process.env, npm_config_update_notifier: 'false'}, timeout: 120_000});

// The files under dist/, as paths relative to the repository.
function distFiles(sub = 'dist'): string[] {
	return fs.readdirSync(path.join(ROOT, sub), {withFileTypes: true}).flatMap((e) => {
		const rel = `${sub}/${e.name}`;
		return e.isDirectory() ? distFiles(rel) : [rel];
	});
}

describe('the npm package', () => {
	before(async () => {
		await ensureBuilt();
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-package-'));
		fs.mkdirSync(path.join(dir, 'home'));
		// --ignore-scripts: dist/ is built above; `prepare` would rebuild it under the feet of other tests.
		const {stdout} = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT);
		const [info] = JSON.parse(stdout) as {filename: string; files: {path: string; mode: number}[]}[];
		tarball = path.join(dir, info!.filename);
		packed = info!.files;
		cluster = await startCluster({scenario: 'nginx'});
	});
	after(async () => {
		await cluster?.stop();
		if (dir) fs.rmSync(dir, {recursive: true, force: true});
	});

	test('npm pack: dist/ whole, package.json and the readme; the bins point at dist/cli.js; no dependency to install', async () => {
		const paths = packed.map((f) => f.path).sort();
		assert.deepEqual(paths, [...distFiles(), 'package.json', 'readme.md'].sort());
		const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
		assert.deepEqual(manifest.bin, {'rollout-cockpit': 'dist/cli.js', 'kubectl-rollout_cockpit': 'dist/cli.js'});
		assert.equal(manifest.dependencies, undefined, 'the CLI is bundled: installing it fetches nothing else');
		assert.match(fs.readFileSync(path.join(ROOT, 'dist/cli.js'), 'utf8'), /^#!\/usr\/bin\/env node\n/);
	});

	test('npm install -g of the tarball (offline): both bins on PATH; kubectl rollout-cockpit status nginx works as a plugin', async () => {
		await npm(['install', '--global', '--prefix', prefix(), '--offline', '--no-audit', '--no-fund', tarball]);
		for (const bin of ['rollout-cockpit', 'kubectl-rollout_cockpit'])
			assert.ok(fs.existsSync(path.join(prefix(), 'bin', bin)), `${bin} is installed`);
		const installed = path.join(prefix(), 'lib/node_modules/rollout-cockpit');
		assert.ok(!fs.existsSync(path.join(installed, 'node_modules')), 'nothing but the package itself was installed');

		const env = userEnv();
		const list = await run(KUBECTL, ['plugin', 'list'], {env, timeout: 30_000});
		assert.match(list.stdout, new RegExp(`${path.join(prefix(), 'bin', 'kubectl-rollout_cockpit')}`));
		await run(KUBECTL, ['rollout', 'status', 'deployment/nginx', '--timeout=60s'], {env, timeout: 70_000});
		const ok = await run(KUBECTL, ['rollout-cockpit', 'status', 'nginx', '--watch'], {env, timeout: 60_000});
		assert.equal(ok.stdout, 'deployment "nginx" successfully rolled out\n');
		const json = await run(KUBECTL, ['rollout-cockpit', 'status', 'nginx', '--json'], {env, timeout: 60_000});
		assert.match(json.stdout.trim().split('\n').at(-1)!, /^\{"version":1,"type":"verdict",.*"result":"complete","exitCode":0/);
		// kubectl execs the plugin: its exit status and its one line are the user's.
		const missing = await run(KUBECTL, ['rollout-cockpit', 'status', 'nope'], {env, timeout: 60_000}).then(
			() => assert.fail('an unknown deployment must fail'),
			(error: {code: number; stdout: string; stderr: string}) => error,
		);
		assert.equal(missing.code, 2);
		assert.equal(missing.stdout, '');
		assert.equal(
			missing.stderr,
			'rollout-cockpit status: deployment "nope" not found in namespace "default" (kubectl get deployments -n default lists them)\n',
		);
	});

	test('npx of the tarball (npm exec, offline, empty cache) starts the demo at 80x24: three nginx pods Running; q quits', async (t) => {
		const pane = new TmuxPane();
		t.after(() => pane.stop());
		const cwd = path.join(dir, 'elsewhere');
		fs.mkdirSync(cwd);
		// Node and npm only: no bin of ours on PATH, no kubeconfig.
		const env = {...userEnv(), PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, TERM: 'screen', NO_COLOR: '1'};
		delete (env as {KUBECONFIG?: string}).KUBECONFIG;
		const npmBin = (await run('which', ['npm'])).stdout.trim();
		await pane.start(
			[
				npmBin,
				'exec',
				'--yes',
				'--offline',
				'--cache',
				path.join(dir, 'npx-cache'),
				`--package=${tarball}`,
				'--',
				'rollout-cockpit',
				'--demo',
			],
			{columns: 80, rows: 24, env, cwd},
		);
		const screen = await pane.until(
			'the demo with three nginx pods Running',
			(s) => (s.match(/nginx-[0-9a-z]+-[0-9a-z]{5}\s+1\/1\s+Running/g) ?? []).length === 3,
			45_000,
		);
		assert.match(screen, /ctx rollout-cockpit-sim .*deploy nginx/);
		await pane.type('q');
		assert.equal(await pane.exitStatus(30_000), 0, 'the demo exits 0 on q');
	});
});
