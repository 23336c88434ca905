// The readme's RBAC, as an administrator would use it: its two YAML blocks applied with kubectl to the embedded
// cluster, for a user `jane` (a client certificate signed by the cluster's CA) who has no other right. Without them
// `status` is refused with the apiserver's 403 words; with the read-only block `status` completes and the cockpit
// shows the pods and probes the NodePort (nodes are readable), while a restart is refused; with the operator block
// the same restart goes through.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {promisify} from 'node:util';
import {generateServingCerts, issueClientCertificate} from '../../source/sim/api/certs.js';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import {CLI, ensureBuilt, ROOT, runCli} from '../helpers/cli.js';
import {TmuxPane} from '../helpers/tmux.js';
import {defaultKubectl} from '../helpers/kubectl.js';

const run = promisify(execFile);
const KUBECTL = defaultKubectl;

// The readme's YAML blocks that define the cockpit's Roles: [read-only, operator].
function readmeRbac(): {view: string; operate: string} {
	const readme = fs.readFileSync(path.join(ROOT, 'readme.md'), 'utf8');
	const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
	const view = blocks.find((b) => b.includes('name: rollout-cockpit-view'));
	const operate = blocks.find((b) => b.includes('name: rollout-cockpit-operate'));
	assert.ok(view && operate, 'the readme has the read-only and the operator RBAC blocks');
	return {view, operate};
}

let cluster: SimCluster;
let dir: string;
let jane: string;
const admin = (...args: string[]) => run(KUBECTL, ['--kubeconfig', cluster.kubeconfigPath, ...args], {timeout: 60_000});
const asJane = (...args: string[]) =>
	run(KUBECTL, ['--kubeconfig', jane, ...args], {timeout: 60_000}).catch((e: {code: number; stdout: string; stderr: string}) => e);

describe("the readme's RBAC on the embedded cluster", () => {
	before(async () => {
		await ensureBuilt();
		const certs = await generateServingCerts();
		cluster = await startCluster({scenario: 'nginx', certs});
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-rbac-'));
		const cert = await issueClientCertificate(certs, {user: 'jane', groups: []});
		const b64 = (text: string) => Buffer.from(text).toString('base64');
		jane = path.join(dir, 'jane.kubeconfig');
		fs.writeFileSync(
			jane,
			[
				'apiVersion: v1',
				'kind: Config',
				`clusters: [{name: sim, cluster: {server: "${cluster.url}", certificate-authority-data: ${b64(certs.caPem)}}}]`,
				`users: [{name: jane, user: {client-certificate-data: ${b64(cert.certPem)}, client-key-data: ${b64(cert.keyPem)}}}]`,
				'contexts: [{name: jane, context: {cluster: sim, user: jane, namespace: default}}]',
				'current-context: jane',
				'',
			].join('\n'),
			{mode: 0o600},
		);
		await admin('rollout', 'status', 'deployment/nginx', '--timeout=60s');
	});
	after(async () => {
		await cluster?.stop();
		if (dir) fs.rmSync(dir, {recursive: true, force: true});
	});

	test('read-only: refused without it; with it status completes, the cockpit shows pods and the probe, a restart is refused; operator: the restart goes through', async (t) => {
		const {view, operate} = readmeRbac();
		const before = await runCli(['status', 'nginx', '--kubeconfig', jane]);
		assert.equal(before.status, 2);
		assert.equal(
			before.stderr,
			'rollout-cockpit status: forbidden (403): User "jane" cannot get resource "deployments" in API group "apps" in the namespace "default"\n',
		);

		fs.writeFileSync(path.join(dir, 'view.yaml'), view);
		const applied = await admin('apply', '-f', path.join(dir, 'view.yaml'));
		assert.match(applied.stdout, /role.rbac.authorization.k8s.io\/rollout-cockpit-view created/);
		assert.match(applied.stdout, /clusterrolebinding.rbac.authorization.k8s.io\/rollout-cockpit-nodes-jane created/);

		const ok = await runCli(['status', 'nginx', '--watch', '--kubeconfig', jane]);
		assert.equal(ok.status, 0, ok.stderr);
		assert.equal(ok.stdout, 'deployment "nginx" successfully rolled out\n');
		// Only what the blocks say: no delete, no secrets, no patch yet.
		for (const [verb, resource] of [
			['delete', 'deployments'],
			['get', 'secrets'],
			['patch', 'deployments'],
			['list', 'endpoints'],
		]) {
			const r = await asJane('auth', 'can-i', verb, resource);
			assert.equal(r.stdout, 'no\n', `jane may not ${verb} ${resource}`);
		}

		const start = async () => {
			const pane = new TmuxPane();
			t.after(() => pane.stop());
			await pane.start([process.execPath, CLI, 'nginx', '--kubeconfig', jane], {
				columns: 100,
				rows: 30,
				env: {TERM: 'screen', NO_COLOR: '1', KUBECONFIG: jane},
			});
			await pane.until(
				'three pods Running and the probe answering 200 (nodes are readable)',
				(s) => (s.match(/nginx-[0-9a-z]+-[0-9a-z]{5}\s+1\/1\s+Running/g) ?? []).length === 3 && /last 200/.test(s),
				30_000,
			);
			return pane;
		};
		const viewer = await start();
		assert.doesNotMatch(viewer.last, /403|cannot list|cannot get/, 'nothing the cockpit reads is refused');
		await viewer.type('r');
		await viewer.until(
			'the restart refused before anything is sent',
			(s) => /forbidden: r \(restart\) needs patch deployments\.apps in namespace default/.test(s),
			15_000,
		);
		await viewer.type('q');
		assert.equal(await viewer.exitStatus(), 0);

		fs.writeFileSync(path.join(dir, 'operate.yaml'), operate);
		await admin('apply', '-f', path.join(dir, 'operate.yaml'));
		assert.equal((await asJane('auth', 'can-i', 'patch', 'deployments')).stdout, 'yes\n');
		assert.equal((await asJane('auth', 'can-i', 'patch', 'deployments', '--subresource=scale')).stdout, 'yes\n');
		const operator = await start();
		await operator.type('r');
		await operator.until('the restart review', (s) => /\[y\/N\]/.test(s), 10_000);
		await operator.type('y');
		await operator.until('the restart sent and the rollout under way', (s) => /restarted/.test(s) && /rev 2/.test(s), 20_000);
		await operator.until('the rollout done', (s) => /successfully rolled out/.test(s), 60_000);
		await operator.type('s');
		await operator.until('the scale prompt', (s) => /replicas: 3/.test(s), 10_000);
		await operator.keys('C-u');
		await operator.type('4\r');
		await operator.until('the scale review', (s) => /\[y\/N\]/.test(s), 10_000);
		await operator.type('y');
		await operator.until('four pods', (s) => /Pods 4/.test(s), 30_000);
		const annotations = (await admin('get', 'deployment', 'nginx', '-o', 'jsonpath={.spec.template.metadata.annotations}')).stdout;
		assert.match(annotations, /kubectl.kubernetes.io\/restartedAt/);
	});
});
