// The keyboard flow over SSH, as a person runs it: the built CLI in tmux at 80x24, TERM=screen, NO_COLOR=1, against
// the embedded cluster (with a second namespace made by kubectl). Filter with `/`, sort with Shift-N/A, open the
// help, switch namespace with `:ns` and context with `:ctx` (Tab completing), without a restart; after each step
// the screen says what it should, fits 80 columns, and carries no colour or attribute codes.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {startCluster} from '../helpers/sim-cluster.js';
import {kubectlOk, defaultKubectl} from '../helpers/kubectl.js';
import {CLI, ensureBuilt, lineOf, TmuxPane} from '../helpers/tmux.js';

const KUBECTL = defaultKubectl;
const POD_ROW = /^[›> ] ([a-z0-9]+-[0-9a-z]+-[0-9a-z]{5})\s+(\d\/\d)\s+(\S+)/;
const podRows = (screen: string) =>
	screen
		.split('\n')
		.map((l) => POD_ROW.exec(l))
		.filter((m): m is RegExpExecArray => m !== null)
		.map((m) => ({name: m[1], ready: m[2], status: m[3]}));

// Everything a step checks besides its own content: 80 columns, and no ESC[ anywhere (no colour, no bold, no inverse).
async function plainAndFits(pane: TmuxPane, step: string): Promise<void> {
	for (const line of pane.last.split('\n')) assert.ok(line.length <= 80, `${step}: wider than 80: ${JSON.stringify(line)}`);
	assert.doesNotMatch(await pane.capture(true), /\u001B\[/, `${step}: colour or attribute codes on screen`);
}

test('in tmux at 80x24 (TERM=screen, NO_COLOR): / filters, Shift-N/A sort, ? helps, :ns and :ctx switch without a restart', async (t) => {
	await ensureBuilt();
	const cluster = await startCluster({scenario: 'nginx', speed: 2});
	t.after(() => cluster.stop());
	const kubeconfig = cluster.kubeconfigPath;
	await kubectlOk(KUBECTL, kubeconfig, ['create', 'namespace', 'staging']);
	await kubectlOk(KUBECTL, kubeconfig, ['-n', 'staging', 'create', 'deployment', 'web', '--image=nginx:1.20.1', '--replicas=2']);
	const pane = new TmuxPane();
	t.after(() => pane.stop());
	await pane.start([process.execPath, CLI, 'nginx', '--kubeconfig', kubeconfig], {
		columns: 80,
		rows: 24,
		env: {TERM: 'screen', NO_COLOR: '1'},
	});
	let screen = await pane.until(
		'three Running nginx pods, live',
		(s) => podRows(s).filter((p) => p.status === 'Running').length === 3 && /\slive\n/.test(s),
		20_000,
	);
	await plainAndFits(pane, 'start');
	const pods = podRows(screen).map((p) => p.name);

	// / and the last pod's suffix: one pod of three, its events only; Esc clears.
	const suffix = pods[2].split('-').pop() ?? '';
	await pane.type('/');
	await pane.until('the filter bar', (s) => /Filter text or \/regex\//.test(s));
	await pane.type(suffix);
	screen = await pane.until('the filtered pods', (s) => /Pods 1\/3/.test(s) && podRows(s).length === 1);
	assert.equal(podRows(screen)[0].name, pods[2]);
	assert.match(screen, /Events \d+\/\d+/);
	await pane.type('\r');
	screen = await pane.until('the filter kept', (s) => !/Filter text/.test(s) && /Pods 1\/3/.test(s));
	assert.match(lineOf(screen, 'maxSurge') ?? '', new RegExp(`/${suffix}\\s`), 'the header shows the filter');
	await plainAndFits(pane, 'filter');
	await pane.keys('Escape');
	screen = await pane.until('the filter cleared', (s) => /Pods 3 /.test(s) && podRows(s).length === 3);
	assert.match(screen, /filter cleared/);

	// Shift-A: newest first; Shift-N twice: names Z to A; each in the header.
	await pane.type('A');
	screen = await pane.until('the age sort in the header', (s) => /sort: age, newest first/.test(lineOf(s, 'maxSurge') ?? ''));
	await pane.type('N');
	await pane.type('N');
	screen = await pane.until('names Z to A', (s) => /sort: name, Z to A/.test(lineOf(s, 'maxSurge') ?? ''));
	assert.deepEqual(
		podRows(screen).map((p) => p.name),
		[...pods].sort().reverse(),
	);
	await plainAndFits(pane, 'sort');

	// ?: every key, the new ones among them, in the 80x24 box; Esc closes.
	await pane.type('?');
	screen = await pane.until('the help', (s) => /Keys/.test(s) && /Esc or \? closes this help\./.test(s));
	assert.match(screen, /:\s+command: :deploy NAME, :ns NAME, :ctx NAME \(Tab completes\)/);
	assert.match(screen, /\/\s+filter pods, events, deployments: text or \/regex\//);
	assert.match(screen, /N A S R V\s+sort by name, age, status, restarts, revision; twice: reverse/);
	await plainAndFits(pane, 'help');
	await pane.keys('Escape');
	await pane.until('the help closed', (s) => !/Esc or \? closes/.test(s) && /Pods 3/.test(s));

	// :ns with Tab: the staging namespace's deployments, then web's pods.
	await pane.type(':ns st');
	await pane.keys('Tab');
	await pane.until('the namespace completed', (s) => /:ns staging/.test(s));
	await pane.type('\r');
	screen = await pane.until(
		'the staging deployment list',
		(s) => /ns staging/.test(s) && /Deployments in staging \(1\)/.test(s) && /^› web\s/m.test(s),
	);
	assert.match(screen, /switched to namespace staging/);
	await plainAndFits(pane, ':ns');
	await pane.type('\r');
	screen = await pane.until(
		"web's two pods",
		(s) => /deploy web/.test(s) && podRows(s).filter((p) => p.status === 'Running' && p.name.startsWith('web-')).length === 2,
		20_000,
	);

	// :ctx with Tab: the read-only user's context (its namespace, default), nginx again; a write is now refused (RBAC).
	await pane.type(':ctx rollout-cockpit-sim-re');
	await pane.keys('Tab');
	await pane.until('the context completed', (s) => /:ctx rollout-cockpit-sim-readonly/.test(s));
	await pane.type('\r');
	screen = await pane.until('the readonly context', (s) => /ctx rollout-cockpit-sim-readonly/.test(s) && /Deployments in default/.test(s));
	assert.match(screen, /ns default/);
	await plainAndFits(pane, ':ctx');
	await pane.type(':deploy nginx\r');
	await pane.until('nginx as the viewer', (s) => /deploy nginx/.test(s) && podRows(s).length === 3, 20_000);
	// The new context's access review (kube/access.ts) marks the keys the viewer may not use: s is refused before any
	// prompt, and nothing is sent.
	await pane.type('s');
	screen = await pane.until('the viewer refused before any prompt', (s) =>
		/forbidden: s \(scale\) needs patch deployments\.apps\/scale/.test(s),
	);
	assert.doesNotMatch(screen, /replicas: 3/);
	assert.equal(cluster.requests.entries().filter((r) => r.user === 'viewer' && r.method === 'PATCH').length, 0, 'nothing was sent');
	await plainAndFits(pane, 'refused');
	// Still the same process: it quits with 0.
	await pane.keys('q');
	assert.equal(await pane.exitStatus(), 0, 'the cockpit exits on q, with 0');
});
