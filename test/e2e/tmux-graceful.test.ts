// The graceful check (g) against the embedded cluster, as a person sees it: the built CLI in tmux, on deployments
// applied with the real kubectl, each built to trigger findings of the check, and one set up gracefully (preStop, a
// readiness probe other than its liveness probe, maxUnavailable 0 with maxSurge 1, minReadySeconds, and a
// PodDisruptionBudget made with kubectl create pdb, which the cockpit reads through policy/v1 when g opens). The
// cockpit goes to each with :deploy NAME; its g screen lists exactly the findings the settings call for, in the
// model's titles, and the graceful one none.
import assert from 'node:assert/strict';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import type {FindingId} from '../../source/model/graceful.js';
import {FINDING_TITLES} from '../../source/screen/graceful.js';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import {defaultKubectl, kubectl, kubectlOk, waitFor} from '../helpers/kubectl.js';
import {CLI, ensureBuilt, TmuxPane} from '../helpers/tmux.js';

const KUBECTL = defaultKubectl;
let cluster: SimCluster;
let dir: string;

// A Deployment of nginx:1.18 with `replicas`, its strategy, and the container's extra fields, as YAML kubectl applies.
function deployment(
	name: string,
	o: {replicas: number; strategy?: object; minReadySeconds?: number; container?: object; grace?: number},
): object {
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name},
		spec: {
			replicas: o.replicas,
			selector: {matchLabels: {app: name}},
			...(o.strategy ? {strategy: o.strategy} : {}),
			...(o.minReadySeconds !== undefined ? {minReadySeconds: o.minReadySeconds} : {}),
			template: {
				metadata: {labels: {app: name}},
				spec: {
					...(o.grace !== undefined ? {terminationGracePeriodSeconds: o.grace} : {}),
					containers: [{name: 'web', image: 'nginx:1.18', ports: [{containerPort: 80}], ...o.container}],
				},
			},
		},
	};
}

const readiness = {readinessProbe: {httpGet: {path: '/', port: 80}, periodSeconds: 1}};
const preStop = {lifecycle: {preStop: {exec: {command: ['sh', '-c', 'sleep 5']}}}};

// Each case: the deployment, and the findings its g screen must list (every other finding must be absent).
const cases: {name: string; spec: object; findings: FindingId[]}[] = [
	{
		name: 'recreate-one',
		spec: deployment('recreate-one', {
			replicas: 1,
			strategy: {type: 'Recreate'},
			container: {...readiness, ...preStop},
			minReadySeconds: 5,
		}),
		findings: ['recreate-strategy', 'single-replica'],
	},
	{
		name: 'all-down',
		spec: deployment('all-down', {
			replicas: 2,
			strategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 2, maxSurge: 1}},
			container: {...readiness, ...preStop},
			minReadySeconds: 5,
		}),
		findings: ['max-unavailable-all', 'no-pdb'],
	},
	{
		name: 'few-serving',
		spec: deployment('few-serving', {
			replicas: 3,
			strategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 2, maxSurge: 0}},
			container: {...readiness, ...preStop},
			minReadySeconds: 5,
		}),
		findings: ['too-few-serving', 'no-pdb'],
	},
	{
		name: 'zero-zero',
		spec: deployment('zero-zero', {
			replicas: 3,
			strategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: '10%', maxSurge: 0}},
			container: {...readiness, ...preStop},
			minReadySeconds: 5,
		}),
		findings: ['surge-unavailable-zero', 'no-pdb'],
	},
	{
		name: 'bare',
		spec: deployment('bare', {replicas: 2}),
		findings: ['no-readiness-probe', 'no-prestop', 'no-pdb'],
	},
	{
		name: 'same-probes',
		spec: deployment('same-probes', {replicas: 2, container: {...readiness, livenessProbe: {httpGet: {path: '/', port: 80}}, ...preStop}}),
		findings: ['probes-identical', 'min-ready-seconds-zero', 'no-pdb'],
	},
	{
		name: 'short-grace',
		spec: deployment('short-grace', {
			replicas: 2,
			grace: 5,
			container: {...readiness, lifecycle: {preStop: {exec: {command: ['sh', '-c', 'sleep 10']}}}},
			minReadySeconds: 5,
		}),
		findings: ['grace-period-too-short', 'no-pdb'],
	},
	{
		name: 'graceful',
		spec: deployment('graceful', {
			replicas: 3,
			strategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 0, maxSurge: 1}},
			minReadySeconds: 5,
			grace: 30,
			container: {...readiness, livenessProbe: {tcpSocket: {port: 80}}, ...preStop},
		}),
		findings: [],
	},
];

const ALL = Object.keys(FINDING_TITLES) as FindingId[];
const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The findings a g screen lists, by the model's titles (a title is the line after the cross mark).
function listed(screen: string): FindingId[] {
	return ALL.filter((id) => new RegExp(`^\\W*[✗x] ${reEscape(FINDING_TITLES[id])}(?: \\(container \\w+\\))?\\W*$`, 'm').test(screen));
}

test('the g check against the embedded cluster: each finding on a deployment built for it, none on a graceful one', {
	timeout: 300_000,
}, async (t) => {
	await ensureBuilt();
	cluster = await startCluster({scenario: 'nginx', speed: 4});
	t.after(() => cluster.stop());
	dir = await mkdtemp(path.join(os.tmpdir(), 'graceful-on-sim-'));
	t.after(() => rm(dir, {recursive: true, force: true}));
	const kc = cluster.kubeconfigPath;
	const file = path.join(dir, 'deployments.json');
	await writeFile(file, JSON.stringify({apiVersion: 'v1', kind: 'List', items: cases.map((c) => c.spec)}));
	await kubectlOk(KUBECTL, kc, ['apply', '-f', file]);

	// A rollingUpdate that cannot be resolved is refused by the apiserver: that finding never meets a cluster's deployment.
	const bad = path.join(dir, 'bad.json');
	await writeFile(
		bad,
		JSON.stringify(
			deployment('bad', {replicas: 2, strategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 'one', maxSurge: 1}}}),
		),
	);
	const refused = await kubectl(KUBECTL, kc, ['apply', '-f', bad]);
	assert.equal(refused.code, 1);
	assert.match(refused.stderr, /spec\.strategy\.rollingUpdate\.maxUnavailable: Invalid value/);

	const pane = new TmuxPane();
	t.after(() => pane.stop());
	await pane.start([process.execPath, CLI, 'nginx', '--kubeconfig', kc, '--no-probe'], {columns: 120, rows: 50, env: {NO_COLOR: '1'}});
	await pane.until('the cockpit on nginx', (s) => /nginx-[0-9a-z]+-[0-9a-z]{5}\s+1\/1\s+Running/.test(s), 30_000);
	// Goes to a deployment, opens g, and waits for the screen to list `findings`; closes it again.
	const check = async (name: string, findings: FindingId[]) => {
		await pane.until(`the g check of ${name}`, (s) => !s.includes('Was it graceful?'));
		await pane.type('g');
		const screen = await pane
			.until(
				`the g check of ${name}`,
				(s) =>
					s.includes(`Was it graceful? deployment ${name}`) &&
					s.includes('Esc or g closes this check.') &&
					listed(s).join() === findings.join(),
				20_000,
			)
			.catch(async (error: Error) => {
				const s = await pane.capture();
				throw new Error(`${error.message}\nwanted ${findings.join(', ') || 'nothing'}, listed ${listed(s).join(', ') || 'nothing'}:\n${s}`);
			});
		if (findings.length === 0) assert.match(screen, /nothing in these settings lets a rollout drop requests/);
		else assert.match(screen, new RegExp(`${findings.length} settings? lets? a rollout drop requests`));
		await pane.keys('Escape');
		// Closed before the next key: an Escape read together with a ':' typed right after it is Alt-: to a terminal
		// program, and the check would stay open (seen at load 10).
		await pane.until(`the g check of ${name} closed`, (s) => !s.includes('Was it graceful?'));
		return screen;
	};
	const seen = new Set<FindingId>();
	for (const c of cases) {
		await pane.type(`:deploy ${c.name}`);
		await pane.keys('Enter');
		await pane.until(`the cockpit on ${c.name}`, (s) => new RegExp(`${reEscape(c.name)}-[0-9a-z]+-[0-9a-z]{5}\\s+\\d/\\d`).test(s), 30_000);
		if (c.name === 'graceful') {
			// Without its budget, the one finding is the missing budget; kubectl create pdb, and g (which reads the
			// budgets afresh) lists nothing: the read happened, and the budget counts.
			await check(c.name, ['no-pdb']);
			await kubectlOk(KUBECTL, kc, ['create', 'pdb', 'graceful', '--selector=app=graceful', '--max-unavailable=1']);
			await waitFor(
				'the budget to count the graceful pods',
				async () => /^graceful\s+N\/A\s+1\s+1\s/m.test(await kubectlOk(KUBECTL, kc, ['get', 'pdb', 'graceful'])),
				60_000,
			);
		}
		await check(c.name, c.findings);
		for (const id of c.findings) seen.add(id);
	}
	// Every finding a cluster can hold was shown on some deployment.
	assert.deepEqual([...seen].sort(), ALL.filter((id) => id !== 'invalid-rolling-update').sort());
	await pane.type('q');
	assert.equal(await pane.exitStatus(), 0);
});
