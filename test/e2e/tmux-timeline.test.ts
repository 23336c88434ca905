// The timeline end to end: the built CLI in tmux at 80x24 under NO_COLOR, against the embedded cluster, with the
// probe running. A rolling update (kubectl set image), then the same deployment switched to Recreate and updated
// again; after each, `t` draws the ready pods per revision and `T` saves the SVG and the JSON. Read from the screen
// and from the JSON: the rolling update's counts cross with something always ready; the Recreate leaves a gap where
// nothing is ready, and the probe's failures fall inside it.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {startCluster} from '../helpers/sim-cluster.js';
import {kubectlOk, defaultKubectl} from '../helpers/kubectl.js';
import {CLI, ensureBuilt, TmuxPane} from '../helpers/tmux.js';

const KUBECTL = defaultKubectl;
const LABEL_WIDTH = 9;

// A revision's digit row on the timeline screen: its ready count per column.
function readyRow(screen: string, revision: number): number[] {
	const line = screen.split('\n').find((l) => new RegExp(`^r${revision} [█▓▒░#=+:] `).test(l));
	assert.ok(line, `no digit row for revision ${revision}:\n${screen}`);
	return [...line.slice(LABEL_WIDTH).trimEnd()].map((c) => (c === '+' ? 10 : Number(c)));
}

function probeRow(screen: string): string {
	const line = screen.split('\n').find((l) => /^probe /.test(l));
	assert.ok(line, `no probe row:\n${screen}`);
	return line.slice(LABEL_WIDTH);
}

type Json = {
	deployment: string;
	revisions: {revision: number; replicaSet: string; ready: {at: string; ready: number}[]}[];
	markers: {at: string; kind: string; text: string}[];
	probe: {failures: {at: string; reason: string}[]; episodes: {from: string; to: string; kind: string; text: string; blame?: string}[]};
};

// The ready count of a revision at a time, from the JSON's step function (0 before its first point).
function readyAt(json: Json, revision: number, at: number): number {
	let ready = 0;
	for (const p of json.revisions.find((r) => r.revision === revision)?.ready ?? []) if (Date.parse(p.at) <= at) ready = p.ready;
	return ready;
}

test('the timeline in tmux at 80x24 under NO_COLOR after a rolling update and after a Recreate: the screen and the saved JSON', {
	timeout: 240_000,
}, async (t) => {
	await ensureBuilt();
	const cluster = await startCluster({scenario: 'nginx', speed: 2, endpointLagMs: 1000});
	t.after(() => cluster.stop());
	const kc = cluster.kubeconfigPath;
	const dir = await mkdtemp(path.join(tmpdir(), 'rc-timeline-'));
	t.after(() => rm(dir, {recursive: true, force: true}));
	const pane = new TmuxPane();
	t.after(() => pane.stop());
	await pane.start([process.execPath, CLI, 'nginx', '--kubeconfig', kc], {columns: 80, rows: 24, cwd: dir, env: {NO_COLOR: '1'}});
	await pane.until('three Running pods', (s) => (s.match(/nginx-[0-9a-z]+-[0-9a-z]{5}\s+1\/1\s+Running/g) ?? []).length === 3, 20_000);

	// Save what `t` shows: T writes <stem>.svg and <stem>.json into the working directory; the JSON is read back.
	let saved = 0;
	const save = async (): Promise<Json> => {
		await pane.type('T');
		saved += 1;
		const screen = await pane.until('the timeline saved', (s) => /timeline saved: /.test(s), 15_000);
		let files: string[] = [];
		for (const deadline = Date.now() + 15_000; files.length < saved; await new Promise((resolve) => setTimeout(resolve, 100))) {
			files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
			assert.ok(Date.now() < deadline, `timed out waiting for ${saved} saved timelines in ${dir}:\n${screen}`);
		}
		assert.equal(files.length, saved, screen);
		const json = files.at(-1) ?? '';
		assert.ok((await readdir(dir)).includes(json.replace(/\.json$/, '.svg')), 'the SVG beside the JSON');
		return JSON.parse(await readFile(path.join(dir, json), 'utf8')) as Json;
	};

	// The window starts 2 s before the first rollout, but never before the recording began: let the recording
	// have revision 1 ready for longer than that first, so the picture starts with 3 ready.
	await new Promise((resolve) => setTimeout(resolve, 3000));

	// 1. A rolling update: revision 1 (3 ready) hands over to revision 2.
	await kubectlOk(KUBECTL, kc, ['set', 'image', 'deployment/nginx', 'nginx=nginx:1.20.1']);
	await kubectlOk(KUBECTL, kc, ['rollout', 'status', 'deployment/nginx', '--timeout=60s'], 70_000);
	await pane.type('t');
	let screen = await pane.until(
		'the rolling update drawn to its end',
		(s) => /Timeline deployment nginx/.test(s) && /^r2 /m.test(s) && readyRow(s, 2).at(-1) === 3 && readyRow(s, 1).at(-1) === 0,
		20_000,
	);
	for (const l of screen.split('\n')) assert.ok([...l].length <= 80, `wider than 80: ${l}`);
	assert.equal(screen.split('\n').length <= 25, true);
	{
		const r1 = readyRow(screen, 1);
		const r2 = readyRow(screen, 2);
		assert.equal(r1[0], 3, `revision 1 starts with 3 ready:\n${screen}`);
		assert.equal(r2[0], 0, `revision 2 starts with none:\n${screen}`);
		assert.ok(
			r1.some((v, i) => v > 0 && (r2[i] as number) > 0 && (r2[i] as number) >= v),
			`the counts cross while both serve:\n${screen}`,
		);
		assert.ok(!r1.some((v, i) => v + (r2[i] as number) === 0), `a rolling update is never without a ready pod:\n${screen}`);
	}
	const rolling = await save();
	assert.equal(rolling.deployment, 'nginx');
	{
		const r2 = rolling.revisions.find((r) => r.revision === 2)?.ready ?? [];
		const r1 = rolling.revisions.find((r) => r.revision === 1)?.ready ?? [];
		assert.equal(r1[0]?.ready, 3, JSON.stringify(rolling.revisions));
		assert.equal(r1.at(-1)?.ready, 0);
		assert.equal(r2.at(-1)?.ready, 3);
		// Every change of either series: something is always ready.
		const times = [...r1, ...r2].map((p) => Date.parse(p.at));
		for (const at of times)
			assert.ok(readyAt(rolling, 1, at) + readyAt(rolling, 2, at) > 0, `nothing ready at ${new Date(at).toISOString()}`);
		assert.ok(
			times.some((at) => readyAt(rolling, 1, at) > 0 && readyAt(rolling, 2, at) >= readyAt(rolling, 1, at)),
			'the series cross',
		);
		assert.ok(
			rolling.markers.some((m) => m.kind === 'complete'),
			JSON.stringify(rolling.markers),
		);
	}

	// 2. The same deployment switched to Recreate (no rollout by itself), then updated: revision 2 all goes first.
	await pane.keys('Escape');
	await pane.until('the timeline closed', (s) => !/Timeline deployment/.test(s));
	await kubectlOk(KUBECTL, kc, ['patch', 'deployment/nginx', '-p', '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}']);
	await kubectlOk(KUBECTL, kc, ['set', 'image', 'deployment/nginx', 'nginx=nginx:1.21']);
	await kubectlOk(KUBECTL, kc, ['rollout', 'status', 'deployment/nginx', '--timeout=60s'], 70_000);
	await pane.type('t');
	screen = await pane.until(
		'the Recreate drawn to its end',
		(s) => /Timeline deployment nginx/.test(s) && /^r3 /m.test(s) && readyRow(s, 3).at(-1) === 3 && /^r2 /m.test(s),
		20_000,
	);
	for (const l of screen.split('\n')) assert.ok([...l].length <= 80, `wider than 80: ${l}`);
	{
		const r3 = readyRow(screen, 3);
		const r2 = readyRow(screen, 2);
		const probe = probeRow(screen);
		// The gap: the columns after revision 2 last served and before revision 3 first did.
		const lastOld = r2.length - 1 - [...r2].reverse().findIndex((v) => v > 0);
		const firstNew = r3.findIndex((v) => v > 0);
		assert.ok(lastOld >= 0 && firstNew > lastOld + 1, `a gap between the revisions:\n${screen}`);
		assert.ok(
			r2.slice(lastOld + 1, firstNew).every((v, i) => v + (r3[lastOld + 1 + i] as number) === 0),
			`nothing ready in the gap:\n${screen}`,
		);
		const failed = [...probe].flatMap((c, i) => (c === '×' || c === 'x' ? [i] : []));
		assert.ok(failed.length > 0, `the probe failed during the Recreate:\n${screen}`);
		assert.ok(
			failed.some((i) => i > lastOld && i < firstNew),
			`probe failures inside the gap (columns ${lastOld + 1}-${firstNew - 1}):\n${screen}`,
		);
		assert.match(screen, /outage [\d.]+ m?s/, 'the outage in words');
	}
	const recreate = await save();
	{
		// Revision 2's last pod stopped being ready before revision 3's first one was: the gap.
		const r2 = recreate.revisions.find((r) => r.revision === 2);
		const r3 = recreate.revisions.find((r) => r.revision === 3);
		const oldGone = Date.parse(r2?.ready.find((p, i) => p.ready === 0 && (r2.ready[i - 1]?.ready ?? 0) > 0)?.at ?? '');
		const newReady = Date.parse(r3?.ready.find((p) => p.ready > 0)?.at ?? '');
		assert.ok(
			oldGone < newReady,
			`revision 2 gone at ${new Date(oldGone).toISOString()}, revision 3 ready at ${new Date(newReady).toISOString()}`,
		);
		assert.equal(readyAt(recreate, 2, (oldGone + newReady) / 2) + readyAt(recreate, 3, (oldGone + newReady) / 2), 0);
		// The probe's failures inside the gap, and the outage over it blamed on revision 2's pods.
		const inside = recreate.probe.failures.filter((f) => Date.parse(f.at) >= oldGone && Date.parse(f.at) <= newReady);
		assert.ok(inside.length > 0, `failures in the gap: ${JSON.stringify(recreate.probe.failures)}`);
		const outage = recreate.probe.episodes.find(
			(e) => e.kind === 'outage' && Date.parse(e.from) <= newReady && Date.parse(e.to) >= oldGone,
		);
		assert.ok(outage, JSON.stringify(recreate.probe.episodes));
		const oldPods = `${r2?.replicaSet.replace(/-([0-9a-z]+)$/, (_, hash: string) => `-${hash.slice(0, 4)}`)}-`;
		// Revision 2's pods among those named (a pod of revision 1 may still be terminating too, and be named with them).
		const named = /while (.*?)(?: \+\d+)? (?:was|were) terminating/.exec(outage.text)?.[1]?.split(', ') ?? [];
		assert.ok(
			named.some((n) => n.startsWith(oldPods)),
			`${outage.text} names a pod of ${r2?.replicaSet}`,
		);
	}
});
