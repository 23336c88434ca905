// The readme's quick start, as a new user runs it: a fresh clone of this repository's HEAD, then the two commands of
// the "Quick start" block, word for word (npm may use its cache: npm_config_prefer_offline), the last one in a
// terminal (tmux, 80x24): the cockpit on the embedded cluster shows the article's three nginx pods Running; q quits.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {promisify} from 'node:util';
import {ROOT} from '../helpers/cli.js';
import {TmuxPane} from '../helpers/tmux.js';

const run = promisify(execFile);
let dir: string;

// The commands of the readme's first ```sh block under "## Quick start", without their comments.
function quickStart(): string[][] {
	const readme = fs.readFileSync(path.join(ROOT, 'readme.md'), 'utf8');
	const section = readme.slice(readme.indexOf('## Quick start'));
	const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
	assert.ok(block, 'the readme has a Quick start with a sh block');
	return block
		.split('\n')
		.map((line) => line.replace(/#.*$/, '').trim())
		.filter((line) => line !== '')
		.map((line) => line.split(/\s+/));
}

before(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-readme-'));
});
after(() => {
	if (dir) fs.rmSync(dir, {recursive: true, force: true});
});

test('the quick start in a fresh clone: two commands, then the demo shows three nginx pods Running', {timeout: 400_000}, async (t) => {
	const commands = quickStart();
	assert.equal(commands.length, 2, `two commands: ${JSON.stringify(commands)}`);
	const clone = path.join(dir, 'rollout-cockpit');
	await run('git', ['clone', '--quiet', ROOT, clone], {timeout: 60_000});
	const env: NodeJS.ProcessEnv = {...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false'};
	delete env.KUBECONFIG;
	const [first, last] = commands as [string[], string[]];
	await run(first[0]!, first.slice(1), {cwd: clone, env, timeout: 300_000, maxBuffer: 16 * 1024 * 1024});
	assert.ok(fs.existsSync(path.join(clone, 'dist/cli.js')), `${first.join(' ')} built dist/cli.js`);

	const pane = new TmuxPane();
	t.after(() => pane.stop());
	const which = (await run('which', [last[0]!])).stdout.trim();
	await pane.start([which, ...last.slice(1)], {columns: 80, rows: 24, cwd: clone, env: {TERM: 'screen', NO_COLOR: '1'}});
	const screen = await pane.until(
		'the demo with three nginx pods Running',
		(s) => (s.match(/nginx-[0-9a-z]+-[0-9a-z]{5}\s+1\/1\s+Running/g) ?? []).length === 3,
		60_000,
	);
	assert.match(screen, /deploy nginx/);
	await pane.type('q');
	assert.equal(await pane.exitStatus(30_000), 0, `${last.join(' ')} exits 0 after q`);
});
