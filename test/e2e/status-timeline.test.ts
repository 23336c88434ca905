// The rollout's timeline from the headless status, as a CI step would keep it for an incident write-up: the built CLI
// with `--watch --json --probe URL --timeline-svg FILE` against the embedded cluster, through a rolling update and
// through a Recreate rollout. The verdict's JSON carries the timeline: the ready counts per revision cross with
// something always ready (rolling), and the Recreate leaves a gap where nothing is ready with the probe's failures
// inside it. The SVG written by the same run holds the same series, and headless Chromium draws them: the old
// revision's colour, then the new one's, and for the Recreate an empty gap with red failure ticks under it.
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {Timeline} from '../../source/model/timeline.js';
import {revisionFill, svgGeometry} from '../../source/screen/timeline-svg.js';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import type {VerdictRecord} from '../../source/status/report.js';
import {screenshot} from '../helpers/chromium.js';
import {CLI, ensureBuilt, startProgram} from '../helpers/cli.js';
import {kubectlOk, waitFor, defaultKubectl} from '../helpers/kubectl.js';
import {count, decodePng, rgb} from '../helpers/png.js';

const KUBECTL = defaultKubectl;
let cluster: SimCluster;
let dir: string;

type TimelineJson = {
	deployment: string;
	from: string;
	to: string;
	revisions: {revision: number; replicaSet: string; image?: string; current: boolean; ready: {at: string; ready: number}[]}[];
	markers: {at: string; kind: string; text: string}[];
	probe: {failures: {at: string; reason: string}[]; episodes: {from: string; to: string; kind: string; text: string; blame?: string}[]};
};

const kubectl = (...args: string[]) => kubectlOk(KUBECTL, cluster.kubeconfigPath, args, 90_000);

// The ready count of a revision at a time, from the JSON's step function (0 before its first point).
function readyAt(json: TimelineJson, revision: number, at: number): number {
	let ready = 0;
	for (const p of json.revisions.find((r) => r.revision === revision)?.ready ?? []) if (Date.parse(p.at) <= at) ready = p.ready;
	return ready;
}

// The series the SVG carries: each revision's step function as its polygon's data-points.
function svgSeries(svg: string): Map<number, {at: number; ready: number}[]> {
	const out = new Map<number, {at: number; ready: number}[]>();
	for (const m of svg.matchAll(/<polygon class="series" data-revision="(\d+)" data-points="([^"]*)"/g))
		out.set(
			Number(m[1]),
			(m[2] ?? '').split(' ').map((p) => {
				const [at, ready] = p.split(':').map(Number);
				return {at: at as number, ready: ready as number};
			}),
		);
	return out;
}

function stepAt(points: readonly {at: number; ready: number}[], at: number): number {
	let ready = 0;
	for (const p of points) if (p.at <= at) ready = p.ready;
	return ready;
}

// A rollout watched by status: the deployment is paused with its new template so that status starts before the new
// ReplicaSet exists, then resumed; resolves with the verdict record and the SVG's text.
async function watchedRollout(
	name: string,
	change: string[],
	svgFile: string,
): Promise<{verdict: VerdictRecord; timeline: TimelineJson; svg: string; stderr: string}> {
	await kubectl('rollout', 'pause', `deployment/${name}`);
	await kubectl(...change);
	const nodePort = (await kubectl('get', 'service', name, '-o', 'jsonpath={.spec.ports[0].nodePort}')).trim();
	const run = startProgram(
		process.execPath,
		[
			CLI,
			'status',
			name,
			'--watch',
			'--json',
			'--probe',
			`http://127.0.0.1:${nodePort}/`,
			'--probe-interval',
			'100',
			'--timeline-svg',
			svgFile,
		],
		{env: {...process.env, KUBECONFIG: cluster.kubeconfigPath, NO_COLOR: '1'}, timeoutMs: 120_000},
	);
	await waitFor('the first progress record', () => run.stdout().includes('"type":"progress"'), 30_000);
	// Some probes answered by the old revision before it starts.
	await new Promise((resolve) => setTimeout(resolve, 1500));
	await kubectl('rollout', 'resume', `deployment/${name}`);
	const result = await run.done;
	assert.equal(result.status, 0, `status: ${result.stderr}\n${result.stdout}`);
	const verdict = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as VerdictRecord;
	assert.equal(verdict.type, 'verdict');
	assert.equal(verdict.result, 'complete');
	assert.ok(verdict.timeline, `the verdict carries the timeline: ${JSON.stringify(verdict)}`);
	return {verdict, timeline: verdict.timeline as TimelineJson, svg: await readFile(svgFile, 'utf8'), stderr: result.stderr};
}

// The SVG holds the JSON's series: at each step of the JSON, the SVG's polygon has the same count.
function assertSameSeries(svg: string, json: TimelineJson): void {
	const series = svgSeries(svg);
	assert.deepEqual([...series.keys()].sort(), json.revisions.map((r) => r.revision).sort(), 'the same revisions in the SVG as in the JSON');
	for (const r of json.revisions)
		for (const p of r.ready)
			assert.equal(stepAt(series.get(r.revision) ?? [], Date.parse(p.at)), p.ready, `revision ${r.revision} at ${p.at} in the SVG`);
}

// Renders the SVG with headless Chromium; returns the image and the geometry its pixels are read with.
async function render(svgFile: string, json: TimelineJson) {
	const from = Date.parse(json.from);
	const to = Date.parse(json.to);
	const times = [from, ...json.revisions.flatMap((r) => r.ready.map((p) => Date.parse(p.at)))];
	const maxReady = Math.max(...times.map((at) => json.revisions.reduce((sum, r) => sum + readyAt(json, r.revision, at), 0)));
	const g = svgGeometry({from, to, maxReady} as Timeline);
	const png = `${svgFile}.png`;
	await screenshot(svgFile, png, {width: g.width, height: g.height});
	const img = decodePng(await readFile(png));
	assert.deepEqual([img.width, img.height], [g.width, g.height]);
	// The chart between two times (a pixel in from each side).
	const chart = (a: number, b: number) => ({x0: Math.ceil(g.x(a)) + 1, x1: Math.floor(g.x(b)) - 1, y0: g.top, y1: g.top + g.chartH});
	const lane = (a: number, b: number) => ({x0: Math.ceil(g.x(a)), x1: Math.floor(g.x(b)), y0: g.laneTop + 2, y1: g.laneTop + g.laneH - 2});
	return {img, chart, lane};
}

describe('status --json and --timeline-svg: the rollout timeline from a run against the embedded cluster', {concurrency: false}, () => {
	before(async () => {
		await ensureBuilt();
		cluster = await startCluster({scenario: 'nginx', speed: 2, endpointLagMs: 1000});
		dir = await mkdtemp(path.join(os.tmpdir(), 'cockpit-status-timeline-'));
	});
	after(async () => {
		await cluster?.stop();
		if (dir) await rm(dir, {recursive: true, force: true});
	});

	test('--timeline-svg into a directory that does not exist: exit 2 with one line before any wait, nothing written', async () => {
		const file = path.join(dir, 'no-such-dir', 'x.svg');
		const run = startProgram(process.execPath, [CLI, 'status', 'nginx', '--watch', '--json', '--timeline-svg', file], {
			env: {...process.env, KUBECONFIG: cluster.kubeconfigPath},
			timeoutMs: 30_000,
		});
		const r = await run.done;
		assert.equal(r.status, 2);
		assert.equal(
			r.stderr,
			`rollout-cockpit status: --timeline-svg ${file}: the directory ${path.dirname(file)} does not exist or is not writable\n`,
		);
		const verdict = JSON.parse(r.stdout.trim()) as VerdictRecord;
		assert.equal(verdict.result, 'error');
		assert.equal(verdict.timeline, null);
	});

	test('a rolling update: the ready counts cross with something always ready, in the JSON and in the SVG Chromium draws', {
		timeout: 180_000,
	}, async (t) => {
		await kubectl('rollout', 'status', 'deployment/nginx', '--timeout=60s');
		const svgFile = path.join(dir, 'rolling.svg');
		const {timeline, svg} = await watchedRollout('nginx', ['set', 'image', 'deployment/nginx', 'nginx=nginx:1.20.1'], svgFile);
		assert.equal(timeline.deployment, 'nginx');
		const r1 = timeline.revisions.find((r) => r.revision === 1);
		const r2 = timeline.revisions.find((r) => r.revision === 2);
		assert.ok(r1 && r2, `revisions 1 and 2: ${JSON.stringify(timeline.revisions)}`);
		assert.equal(r2.current, true);
		assert.equal(r2.image, 'nginx:1.20.1');
		assert.equal(r1.ready[0]?.ready, 3, `revision 1 starts with 3 ready: ${JSON.stringify(r1.ready)}`);
		assert.equal(readyAt(timeline, 2, Date.parse(timeline.from)), 0, 'revision 2 starts with none');
		assert.equal(r2.ready.at(-1)?.ready, 3, `revision 2 ends with 3 ready: ${JSON.stringify(r2.ready)}`);
		assert.equal(r1.ready.at(-1)?.ready, 0, `revision 1 ends with none: ${JSON.stringify(r1.ready)}`);
		const times = [...r1.ready, ...r2.ready].map((p) => Date.parse(p.at));
		for (const at of times)
			assert.ok(readyAt(timeline, 1, at) + readyAt(timeline, 2, at) > 0, `nothing ready at ${new Date(at).toISOString()}`);
		const crossing = times.filter((at) => readyAt(timeline, 1, at) > 0 && readyAt(timeline, 2, at) > 0);
		assert.ok(crossing.length > 0, `both revisions serve at some moment: ${JSON.stringify(timeline.revisions)}`);
		assert.ok(
			timeline.markers.some((m) => m.kind === 'scaled' && /Scaled up replica set nginx-/.test(m.text)),
			JSON.stringify(timeline.markers),
		);
		assert.ok(
			timeline.markers.some((m) => m.kind === 'complete'),
			JSON.stringify(timeline.markers),
		);

		assertSameSeries(svg, timeline);
		const {img, chart} = await render(svgFile, timeline);
		const oldColor = rgb(revisionFill(1, false));
		const newColor = rgb(revisionFill(2, true));
		// Before revision 2's first ready pod: revision 1's colour only; after revision 1's last: revision 2's only.
		const firstNew = Date.parse(r2.ready.find((p) => p.ready > 0)?.at ?? '');
		const lastOld = Date.parse(r1.ready.find((p) => p.ready === 0 && Date.parse(p.at) > Date.parse(timeline.from))?.at ?? '');
		const from = Date.parse(timeline.from);
		const to = Date.parse(timeline.to);
		t.diagnostic(
			`window ${timeline.from} - ${timeline.to}, revision 2 first ready ${new Date(firstNew).toISOString()}, revision 1 gone ${new Date(lastOld).toISOString()}`,
		);
		assert.ok(count(img, oldColor, chart(from, firstNew)) > 200, 'revision 1 drawn before revision 2 serves');
		assert.equal(count(img, newColor, chart(from, firstNew)), 0, 'no revision 2 before it serves');
		assert.ok(count(img, newColor, chart(lastOld, to)) > 200, 'revision 2 drawn after revision 1 has gone');
		assert.equal(count(img, oldColor, chart(lastOld, to)), 0, 'no revision 1 after it has gone');
		const both = crossing[0] as number;
		const next = Math.min(...times.filter((at) => at > both), to);
		assert.ok(count(img, oldColor, chart(both, next)) > 0 && count(img, newColor, chart(both, next)) > 0, 'both colours where they cross');
	});

	test('a Recreate rollout: the outage gap with the probe failures inside it, in the JSON and in the SVG Chromium draws', {
		timeout: 180_000,
	}, async (t) => {
		await kubectl('create', 'deployment', 'rec', '--image=nginx:1.18', '--replicas=3');
		await kubectl('patch', 'deployment/rec', '-p', '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}');
		await kubectl('expose', 'deployment', 'rec', '--type=NodePort', '--port=80', '--target-port=80');
		await kubectl('rollout', 'status', 'deployment/rec', '--timeout=60s');
		const svgFile = path.join(dir, 'recreate.svg');
		const {timeline, svg, verdict} = await watchedRollout('rec', ['set', 'image', 'deployment/rec', 'nginx=nginx:1.20.1'], svgFile);
		const r1 = timeline.revisions.find((r) => r.revision === 1);
		const r2 = timeline.revisions.find((r) => r.revision === 2);
		assert.ok(r1 && r2, `revisions 1 and 2: ${JSON.stringify(timeline.revisions)}`);
		assert.equal(r1.ready[0]?.ready, 3, JSON.stringify(r1.ready));
		assert.equal(r2.ready.at(-1)?.ready, 3, JSON.stringify(r2.ready));
		const oldGone = Date.parse(r1.ready.find((p, i) => p.ready === 0 && (r1.ready[i - 1]?.ready ?? 0) > 0)?.at ?? '');
		const newReady = Date.parse(r2.ready.find((p) => p.ready > 0)?.at ?? '');
		assert.ok(
			oldGone < newReady,
			`revision 1 gone at ${new Date(oldGone).toISOString()}, revision 2 ready at ${new Date(newReady).toISOString()}`,
		);
		assert.equal(
			readyAt(timeline, 1, (oldGone + newReady) / 2) + readyAt(timeline, 2, (oldGone + newReady) / 2),
			0,
			'nothing ready in the gap',
		);
		const inside = timeline.probe.failures.filter((f) => Date.parse(f.at) >= oldGone && Date.parse(f.at) <= newReady);
		const gap = `gap ${new Date(oldGone).toISOString()} - ${new Date(newReady).toISOString()}`;
		assert.ok(inside.length > 0, `failures in the ${gap}: ${JSON.stringify(timeline.probe.failures)}`);
		// The episode over the gap is an outage (every probe in it failed), or drops that reach past the gap: the old pods
		// reset connections while they terminate, so failures just before the gap join it, and one probe answered there
		// turns the whole episode into drops (seen with a gap of 231 ms, 4 of 5 probes failed from 17 ms before it).
		const outage = timeline.probe.episodes.find(
			(e) =>
				Date.parse(e.from) <= newReady &&
				Date.parse(e.to) >= oldGone &&
				(e.kind === 'outage' || Date.parse(e.from) < oldGone || Date.parse(e.to) > newReady),
		);
		assert.ok(outage, `an outage over the ${gap}: ${JSON.stringify(timeline.probe.episodes)}`);
		assert.ok((verdict.probe?.failed ?? 0) >= inside.length, `the tally counts them: ${JSON.stringify(verdict.probe)}`);
		t.diagnostic(outage.text);

		assertSameSeries(svg, timeline);
		const {img, chart, lane} = await render(svgFile, timeline);
		const oldColor = rgb(revisionFill(1, false));
		const newColor = rgb(revisionFill(2, true));
		const from = Date.parse(timeline.from);
		const to = Date.parse(timeline.to);
		assert.ok(count(img, oldColor, chart(from, oldGone)) > 200, 'revision 1 before the gap');
		assert.equal(count(img, newColor, chart(from, oldGone)), 0);
		assert.equal(count(img, oldColor, chart(oldGone, newReady)) + count(img, newColor, chart(oldGone, newReady)), 0, 'nothing in the gap');
		assert.ok(count(img, newColor, chart(newReady, to)) > 200, 'revision 2 after the gap');
		assert.equal(count(img, oldColor, chart(newReady, to)), 0);
		const red = rgb('#d32f2f');
		const first = Date.parse(inside[0]?.at ?? '');
		assert.ok(count(img, red, lane(first - 200, newReady + 200), 40) > 10, 'red failure ticks under the gap');
	});
});
