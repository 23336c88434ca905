// The headless `rollout-cockpit status`, as a CI step runs it: the built CLI against the embedded cluster, driven by
// the real kubectl, and side by side with `kubectl rollout status` on the same rollouts. A complete rollout exits 0;
// a bad image exits 1 within 30 s with --fail-fast (naming the pod and ImagePullBackOff) and at the progress
// deadline without it; --timeout exits 1; an unknown deployment and an unreachable server exit 2 with one line.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import type {ProgressRecord, VerdictRecord} from '../../source/status/report.js';
import {CLI, ensureBuilt, runCli, startProgram, type Running} from '../helpers/cli.js';
import {kubectlOk, waitFor, defaultKubectl} from '../helpers/kubectl.js';
import {closedPort} from '../helpers/ports.js';

const KUBECTL = defaultKubectl;
let cluster: SimCluster;
let dir: string;

const env = () => ({...process.env, KUBECONFIG: cluster.kubeconfigPath, NO_COLOR: '1'});
const kubectl = (...args: string[]) => kubectlOk(KUBECTL, cluster.kubeconfigPath, args);
const status = (args: string[], timeoutMs = 60_000): Running =>
	startProgram(process.execPath, [CLI, 'status', ...args], {env: env(), timeoutMs});
const kubectlStatus = (args: string[]): Running =>
	startProgram(KUBECTL, ['--kubeconfig', cluster.kubeconfigPath, 'rollout', 'status', ...args], {timeoutMs: 90_000});

// A Deployment of the embedded cluster, rolled out and available, with `replicas` pods of nginx:1.18.
async function rolledOut(name: string, replicas: number, patch?: object): Promise<void> {
	await kubectl('create', 'deployment', name, '--image=nginx:1.18', `--replicas=${replicas}`);
	if (patch) await kubectl('patch', 'deployment', name, '-p', JSON.stringify(patch));
	await kubectl('rollout', 'status', `deployment/${name}`, '--timeout=60s');
}

// The JSON lines of a run: every line one record of version 1, progress first, the verdict last.
function records(stdout: string): {progress: ProgressRecord[]; verdict: VerdictRecord} {
	const lines = stdout.split('\n').filter((l) => l !== '');
	const all = lines.map((l) => JSON.parse(l) as ProgressRecord | VerdictRecord);
	for (const r of all) assert.equal(r.version, 1, `version field: ${JSON.stringify(r)}`);
	const verdict = all.at(-1);
	assert.equal(verdict?.type, 'verdict', `the last line is the verdict: ${lines.at(-1)}`);
	const progress = all.slice(0, -1);
	for (const r of progress) assert.equal(r.type, 'progress', `every line before the verdict is progress: ${JSON.stringify(r)}`);
	return {progress: progress as ProgressRecord[], verdict: verdict as VerdictRecord};
}

// The sentences of a text run, each repeat folded (kubectl prints its sentence again at each change of the
// Deployment's status, also when the sentence is the same).
const sentences = (text: string) => text.split('\n').filter((l, i, all) => l !== '' && l !== all[i - 1]);

describe('rollout-cockpit status against the embedded cluster', {concurrency: true}, () => {
	before(async () => {
		await ensureBuilt();
		cluster = await startCluster({scenario: 'nginx'});
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-status-'));
	});
	after(async () => {
		await cluster?.stop();
		if (dir) fs.rmSync(dir, {recursive: true, force: true});
	});

	test("a complete rollout: kubectl rollout status's sentences, exit 0; --json: progress records, then the verdict", async (t) => {
		await kubectl('rollout', 'status', 'deployment/nginx', '--timeout=60s');
		// Paused with a new image, the rollout waits at its first sentence until both watchers are watching: then both
		// see the same changes of the Deployment from the first to the last.
		await kubectl('rollout', 'pause', 'deployment/nginx');
		await kubectl('set', 'image', 'deployment/nginx', 'nginx=nginx:1.20.1');
		const first = 'Waiting for deployment "nginx" rollout to finish: 0 out of 3 new replicas have been updated...';
		const ours = status(['nginx', '--watch']);
		const theirs = kubectlStatus(['deployment/nginx']);
		const nodePort = (await kubectl('get', 'service', 'nginx', '-o', 'jsonpath={.spec.ports[0].nodePort}')).trim();
		const url = `http://127.0.0.1:${nodePort}/`;
		const json = status(['nginx', '--watch', '--json', '--probe', url]);
		await waitFor('both to print the first sentence', () => ours.stdout().includes(first) && theirs.stdout().includes(first), 30_000);
		await waitFor('the JSON progress record', () => json.stdout().includes('"type":"progress"'), 30_000);
		await kubectl('rollout', 'resume', 'deployment/nginx');
		const [a, b, j] = await Promise.all([ours.done, theirs.done, json.done]);

		assert.equal(b.status, 0, `kubectl: ${b.stderr}`);
		assert.equal(a.status, 0, `status: ${a.stderr}`);
		assert.equal(a.stderr, '');
		assert.deepEqual(sentences(a.stdout), sentences(b.stdout), 'the same sentences as kubectl rollout status, in the same order');
		assert.deepEqual(sentences(a.stdout).at(-1), 'deployment "nginx" successfully rolled out');
		assert.ok(sentences(a.stdout).length >= 3, `a rollout of 3 pods goes through several sentences: ${a.stdout}`);
		t.diagnostic(
			`wall time on the same rollout: status ${Math.round(a.wallMs)} ms, kubectl rollout status ${Math.round(b.wallMs)} ms, ratio ${(a.wallMs / b.wallMs).toFixed(2)} (load ${os.loadavg()[0].toFixed(1)})`,
		);

		assert.equal(j.status, 0, j.stderr);
		const {progress, verdict} = records(j.stdout);
		assert.equal(progress[0]?.message, first);
		// Paused, the controller makes no new ReplicaSet yet; then the records follow the pods from old to new.
		assert.equal(progress[0]?.newReplicaSet, null, 'paused: no ReplicaSet of the new template yet');
		assert.ok(
			progress.some((p) => p.newReplicaSet?.images[0] === 'nginx:1.20.1' && p.oldReplicaSets[0]?.images[0] === 'nginx:1.18'),
			'a record with the new ReplicaSet growing and the old one holding pods',
		);
		const last = progress.at(-1);
		assert.equal(last?.done, true);
		assert.deepEqual(last?.replicas, {desired: 3, updated: 3, ready: 3, available: 3, unavailable: 0});
		assert.deepEqual(last?.oldReplicaSets, [], 'no old ReplicaSet holds pods at the end');
		assert.deepEqual(sentences(progress.map((p) => p.message).join('\n')), sentences(b.stdout), "a record at each of kubectl's sentences");
		assert.equal(verdict.result, 'complete');
		assert.equal(verdict.exitCode, 0);
		assert.equal(verdict.message, 'deployment "nginx" successfully rolled out');
		assert.equal(verdict.stuck, null);
		// --probe: the tally of the rollout waited for, the new version answering last.
		assert.equal(verdict.probe?.url, url);
		assert.ok((verdict.probe?.probes ?? 0) > 5, `probes while waiting: ${JSON.stringify(verdict.probe)}`);
		assert.ok(verdict.probe?.servedBy.includes('nginx/1.20.1'), `the new version answered: ${JSON.stringify(verdict.probe)}`);
	});

	test('a bad image with --fail-fast: exit 1 within 30 s, naming the pod and ImagePullBackOff', async () => {
		await rolledOut('ff', 2);
		await kubectl('set', 'image', 'deployment/ff', 'nginx=nginx:no-such-tag');
		const started = Date.now();
		const text = status(['ff', '--watch', '--fail-fast'], 45_000);
		const json = status(['ff', '--watch', '--fail-fast', '--json'], 45_000);
		const [a, j] = await Promise.all([text.done, json.done]);
		const elapsed = Date.now() - started;
		assert.ok(elapsed < 30_000, `exit within 30 s of the change, took ${elapsed} ms`);

		assert.equal(a.status, 1, a.stderr);
		const lastLine = a.stderr.trim().split('\n');
		assert.equal(lastLine.length, 1, `one line on stderr: ${a.stderr}`);
		assert.match(
			lastLine[0]!,
			/^error: deployment "ff" will not progress: pod ff-[a-z0-9]+-[a-z0-9]{5} is ImagePullBackOff \(container nginx\) for \d+s: .*nginx:no-such-tag.*not found/,
		);
		assert.match(a.stdout, /^Waiting for deployment "ff" rollout to finish: 1 out of 2 new replicas have been updated\.\.\.$/m);

		assert.equal(j.status, 1, j.stderr);
		const {verdict} = records(j.stdout);
		assert.equal(verdict.result, 'will-not-progress');
		assert.equal(verdict.exitCode, 1);
		assert.match(verdict.stuck?.pod ?? '', /^ff-[a-z0-9]+-[a-z0-9]{5}$/);
		assert.equal(verdict.stuck?.reason, 'ImagePullBackOff');
		assert.equal(verdict.stuck?.container, 'nginx');
		assert.ok((verdict.stuck?.forMs ?? 0) >= 15_000, `stuck for the stated 15 s: ${verdict.stuck?.forMs}`);
		// The pod is the one the cluster shows in ImagePullBackOff.
		const pods = await kubectl('get', 'pods', '-l', 'app=ff', '--no-headers');
		assert.match(pods, new RegExp(`^${verdict.stuck?.pod}\\s+0/1\\s+(ImagePullBackOff|ErrImagePull)`, 'm'));
	});

	test('a bad image without --fail-fast: exit 1 at the progress deadline, as kubectl', async () => {
		await rolledOut('late', 2, {spec: {progressDeadlineSeconds: 6}});
		// Paused until the three watchers watch: the deadline counts from the resume.
		await kubectl('rollout', 'pause', 'deployment/late');
		await kubectl('set', 'image', 'deployment/late', 'nginx=nginx:no-such-tag');
		const ours = status(['late', '--watch']);
		const json = status(['late', '--watch', '--json']);
		const theirs = kubectlStatus(['deployment/late']);
		const first = 'Waiting for deployment "late" rollout to finish: 0 out of 2 new replicas have been updated...';
		await waitFor('the first sentences', () => ours.stdout().includes(first) && theirs.stdout().includes(first), 30_000);
		await waitFor('the JSON progress record', () => json.stdout().includes('"type":"progress"'), 30_000);
		await kubectl('rollout', 'resume', 'deployment/late');
		const resumed = Date.now();
		const [a, j, b] = await Promise.all([ours.done, json.done, theirs.done]);
		assert.equal(b.status, 1);
		assert.equal(b.stderr.trim(), 'error: deployment "late" exceeded its progress deadline');
		assert.equal(a.status, 1);
		assert.equal(a.stderr.trim(), b.stderr.trim(), 'the same last line as kubectl');
		assert.deepEqual(sentences(a.stdout), sentences(b.stdout));
		assert.ok(Date.now() - resumed >= 5000, 'not before the 6 s deadline');

		assert.equal(j.status, 1);
		const {progress, verdict} = records(j.stdout);
		assert.deepEqual(sentences(progress.map((p) => p.message).join('\n')), [...sentences(b.stdout), b.stderr.trim()]);
		assert.equal(verdict.result, 'progress-deadline-exceeded');
		assert.equal(verdict.message, 'error: deployment "late" exceeded its progress deadline');
		assert.equal(verdict.stuck, null, 'without --fail-fast no pod is judged');
	});

	test("--timeout: exit 1 with kubectl's words when the rollout does not finish in time", async () => {
		await rolledOut('slow', 1);
		await kubectl('rollout', 'pause', 'deployment/slow');
		await kubectl('set', 'image', 'deployment/slow', 'nginx=nginx:1.20.1');
		const [a, j, b] = await Promise.all([
			status(['slow', '--watch', '--timeout=2s']).done,
			status(['slow', '--watch', '--timeout=2s', '--json']).done,
			kubectlStatus(['deployment/slow', '--timeout=2s']).done,
		]);
		assert.equal(b.status, 1);
		assert.equal(a.status, 1);
		assert.equal(a.stderr, 'error: timed out waiting for the condition\n');
		assert.equal(a.stderr.trim(), b.stderr.trim());
		assert.deepEqual(sentences(a.stdout), sentences(b.stdout));
		assert.ok(a.wallMs >= 2000, `not before the 2 s timeout: ${a.wallMs}`);
		assert.equal(j.status, 1);
		const {verdict} = records(j.stdout);
		assert.equal(verdict.result, 'timeout');
		assert.ok(verdict.elapsedMs >= 2000);
	});

	test('an unknown deployment: exit 2, one line', async () => {
		const r = await runCli(['status', 'nope', '--watch'], {env: env()});
		assert.equal(r.status, 2);
		assert.equal(r.stdout, '');
		assert.equal(
			r.stderr,
			'rollout-cockpit status: deployment "nope" not found in namespace "default" (kubectl get deployments -n default lists them)\n',
		);
		const j = await runCli(['status', 'nope', '-n', 'kube-system', '--watch', '--json'], {env: env()});
		assert.equal(j.status, 2);
		assert.equal(j.stderr.split('\n').filter(Boolean).length, 1);
		const {verdict} = records(j.stdout);
		assert.equal(verdict.result, 'error');
		assert.equal(verdict.exitCode, 2);
		assert.match(verdict.message, /deployment "nope" not found in namespace "kube-system"/);
	});

	test('an unreachable server: exit 2, one line naming it', async () => {
		const port = await closedPort();
		const kc = path.join(dir, 'unreachable');
		fs.writeFileSync(
			kc,
			fs.readFileSync(cluster.kubeconfigPath, 'utf8').replace(/https:\/\/127\.0\.0\.1:\d+/, `https://127.0.0.1:${port}`),
		);
		const r = await runCli(['status', 'nginx', '--watch', '--kubeconfig', kc]);
		assert.equal(r.status, 2);
		assert.equal(r.stdout, '');
		const lines = r.stderr.split('\n').filter(Boolean);
		assert.equal(lines.length, 1, r.stderr);
		assert.match(
			lines[0]!,
			new RegExp(`^rollout-cockpit status: cannot reach the API server at https://127\\.0\\.0\\.1:${port} .*connection refused`),
		);
		// --watch --json: the same line on stderr, and the verdict record says why, with exit code 2.
		const j = await runCli(['status', 'nginx', '--watch', '--json', '--kubeconfig', kc]);
		assert.equal(j.status, 2);
		assert.equal(j.stderr.split('\n').filter(Boolean).length, 1, j.stderr);
		const {verdict} = records(j.stdout);
		assert.equal(verdict.result, 'error');
		assert.equal(verdict.exitCode, 2);
		assert.match(verdict.message, new RegExp(`cannot reach the API server at https://127\\.0\\.0\\.1:${port} .*connection refused`));
		assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
	});

	test('bad usage: exit 2 with the usage hint', async () => {
		const r = await runCli(['status', 'nginx', '--timeout', '10']);
		assert.equal(r.status, 2);
		assert.equal(r.stdout, '');
		assert.match(r.stderr, /^rollout-cockpit status: --timeout needs --watch/);
	});
});
