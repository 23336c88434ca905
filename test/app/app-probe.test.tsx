// The probe mounted in the cockpit: the panel under the rollout panel (compact at 80x24), fed by a probe
// session outside React, and `g` for the graceful-rollout check of the selected deployment.
import {test} from 'node:test';
import assert from 'node:assert/strict';

import {App} from '../../source/app/App.js';
import {ProbeSession} from '../../source/probe/session.js';
import type {CockpitStore} from '../../source/state/store.js';
import {KEYS, lineWith, mount, plain, press} from './harness.js';
import {NOW, rolloutStore} from './fixtures.js';
import {deployment, pod, probeOk, probeRefused, replicaSet, rolloutAt} from '../helpers/objects.js';

// The same deployment once revision 2 has rolled out: three new pods Running, the old ReplicaSet at 0.
function rolledOutStore() {
	const store = rolloutStore();
	const done = replicaSet({hash: '648458674d', revision: 2, image: 'nginx:1.20.1', replicas: 3, createdAgo: 60});
	store.sync('deployments', [deployment({image: 'nginx:1.20.1'})]);
	store.sync('replicaSets', [replicaSet({hash: '6888c79454', revision: 1, image: 'nginx:1.18', replicas: 0, createdAgo: 3600}), done]);
	store.sync(
		'pods',
		['gldmc', 'kfgb4', 'v4lwp'].map((suffix, i) => pod({rs: done, suffix, node: 'node4', ip: `10.244.41.${20 + i}`, createdAgo: 50})),
	);
	store.flush();
	return store;
}

const has = (text: string) => (frame: string) => frame.includes(text);
const URL = 'http://127.0.0.1:30353/';
const HOW = 'NodePort 30353 of service nginx on node node1';

const ok = probeOk;
const refused = probeRefused;

const dep = rolloutAt;

// A real ProbeSession fed by hand (no prober, no network), seen as probing the NodePort: its snapshots go
// into the store as followCockpit sends them, with the phase and URL that start() would have set.
function probed(store: CockpitStore, session: ProbeSession): CockpitStore {
	const publish = () => {
		store.setProbe({...session.getSnapshot(), phase: 'probing', url: URL, message: HOW});
		store.flush();
	};
	session.subscribe(publish);
	publish();
	return store;
}

// Probing for a while, with one finished rollout (revision 2, from 1.18.0 to 1.20.1, one refused).
function probedSession(): ProbeSession {
	let now = NOW;
	const s = new ProbeSession({now: () => now, settleMs: 0});
	s.observeDeployment(dep('1', 1, true));
	for (let i = 0; i < 5; i++) s.add(ok(i * 200, 2 + i));
	now = NOW + 1000;
	s.observeDeployment(dep('2', 2, false));
	s.add(ok(1000, 3));
	s.add(refused(1200));
	s.add(ok(1400, 38, 'nginx/1.20.1'));
	now = NOW + 1500;
	s.observeDeployment(dep('2', 2, true));
	s.add(ok(1600, 4, 'nginx/1.18.0'));
	return s;
}

// The rows of a frame between the probe panel's title and the pods pane's.
function probeRows(frame: string): string[] {
	const lines = frame.split('\n');
	const start = lines.findIndex((l) => /^. Probe http/.test(l));
	const end = lines.findIndex((l, i) => i > start && /Pods \d/.test(l));
	assert.ok(start >= 0 && end > start, `no probe panel above the pods:\n${frame}`);
	return lines.slice(start, end);
}

test('the mounted cockpit shows the probe panel under the rollout panel and follows the session', async (t) => {
	const session = probedSession();
	const r = await mount(<App store={probed(rolloutStore(), session)} />, has('Probe'), {columns: 100, rows: 30});
	t.after(() => r.unmount());
	let frame = plain(r.lastFrame());
	assert.match(frame, /Probe http:\/\/127\.0\.0\.1:30353\/ +\(NodePort 30353 of service nginx on node node1\)/);
	assert.match(lineWith(frame, 'last ') ?? '', /last 200 {2}4 ms {2}nginx\/1\.18\.0 +p50 \d+ ms {2}p99 38 ms +9 probes, 1 failed/);
	// The verdict wraps rather than losing the versions at its end.
	assert.match(
		frame.replace(/\n /g, ' '),
		/revision 2 rollout: 1 failed of 3 probes \(refused 1\), max 38 ms, served by nginx\/1\.18\.0 -> nginx\/1\.20\.1/,
	);
	// Between the rollout panel and the pods, which are all still there, as are the events and the status line.
	assert.ok(frame.indexOf('Rollout nginx') < frame.indexOf('Probe http'), frame);
	assert.ok(frame.indexOf('Probe http') < frame.indexOf('Pods 5'), frame);
	assert.match(frame, /Events \d/);
	assert.match(frame, /\? help/);
	const lines = frame.split('\n');
	assert.ok(lines.length <= 29, `${lines.length} lines`);
	for (const line of lines) assert.ok(line.length <= 100, `too wide: ${JSON.stringify(line)}`);

	// A probe fails: the panel says so without anything else happening in the app.
	session.add(refused(1800));
	frame = await waitFor(r, (f) => /last refused/.test(f), 'the refused probe');
	assert.match(lineWith(frame, 'last ') ?? '', /10 probes, 2 failed/);
	assert.match(frame, /✗ \d\d:\d\d:\d\d\.\d{3} {2}refused {2}connect ECONNREFUSED 127\.0\.0\.1:30353/);
});

async function waitFor(r: Awaited<ReturnType<typeof mount>>, check: (frame: string) => boolean, what: string): Promise<string> {
	const deadline = Date.now() + 5000;
	for (;;) {
		const frame = plain(r.lastFrame());
		if (check(frame)) return frame;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${frame}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

// No line wider than 80, no more than 23 lines (one is kept spare), and the cockpit's parts all there.
function assertFits80x24(frame: string): void {
	const lines = frame.split('\n');
	assert.ok(lines.length <= 23, `${lines.length} lines:\n${frame}`);
	for (const line of lines) assert.ok(line.length <= 80, `too wide: ${JSON.stringify(line)}`);
	for (const part of [/deploy nginx/, /new rev 2/, /Pods \d/, /Events \d/, /\? help/]) assert.match(frame, part);
}

const podLines = (frame: string) => frame.split('\n').filter((l) => /nginx-[0-9a-f]{9,10}-\w{5}\s+\d\/\d/.test(l));

test('at 80x24 mid-rollout the probe panel takes 3 rows, the running tally among them; 4 of the 5 pods stay on screen', async (t) => {
	let now = NOW;
	const session = new ProbeSession({now: () => now});
	session.observeDeployment(dep('1', 1, true));
	now += 100;
	session.observeDeployment(dep('2', 2, false));
	session.add(ok(200, 2));
	session.add(refused(400));
	const r = await mount(<App store={probed(rolloutStore(), session)} />, has('Probe'), {columns: 80, rows: 24});
	t.after(() => r.unmount());
	const frame = plain(r.lastFrame());
	assertFits80x24(frame);
	const panel = probeRows(frame);
	assert.equal(panel.length, 3, panel.join('\n'));
	assert.match(panel[1], /last refused {2}0\.4 ms/);
	// The running tally of this rollout takes the sparkline's row.
	assert.match(panel[2], /revision 2 rollout in progress: 1 failed of 2 probes \(refused 1\)/);
	// The pods pane keeps half the lists' rows: the fifth pod is a scroll away, and the title says so.
	assert.equal(podLines(frame).length, 4, frame);
	assert.match(frame, /Pods 5 \(1-4\) ─/);
});

test('at 80x24 after the rollout the verdict is on screen, versions included, above the 3 pods', async (t) => {
	const r = await mount(<App store={probed(rolledOutStore(), probedSession())} />, has('Probe'), {columns: 80, rows: 24});
	t.after(() => r.unmount());
	const frame = plain(r.lastFrame());
	assertFits80x24(frame);
	const panel = probeRows(frame);
	assert.ok(panel.length <= 4, `probe panel of ${panel.length} rows:\n${panel.join('\n')}`);
	assert.match(panel.join('\n'), /last 200 {2}4 ms {2}nginx\/1\.18\.0/);
	// The verdict wins the sparkline's row: its versions, at its end, are still on screen.
	assert.match(
		panel.map((l) => l.trim()).join(' '),
		/revision 2 rollout: 1 failed of 3 probes \(refused 1\), max 38 ms, served by nginx\/1\.18\.0 -> nginx\/1\.20\.1/,
	);
	assert.equal(podLines(frame).length, 3, frame);
	assert.match(frame, /successfully rolled out/);
});

test('without a probe session (--no-probe) there is no probe panel', async (t) => {
	const r = await mount(<App store={rolloutStore()} />, has('Pods 5'), {columns: 100, rows: 30});
	t.after(() => r.unmount());
	assert.doesNotMatch(plain(r.lastFrame()), /Probe|p50/);
});

test("g opens the graceful check of the selected deployment with the probe's verdict; Esc closes it", async (t) => {
	const session = probedSession();
	const r = await mount(<App store={probed(rolloutStore(), session)} />, has('Pods 5'), {columns: 100, rows: 30});
	t.after(() => r.unmount());
	await press(r, 'j', (f) => /^›/.test(lineWith(f, 'kfgb4') ?? ''));
	let frame = await press(r, 'g', has('Was it graceful?'));
	assert.match(frame, /Was it graceful\? deployment nginx/);
	assert.match(frame, /2 settings let a rollout drop requests:/);
	assert.match(frame, /x no readinessProbe \(container nginx\)|✗ no readinessProbe \(container nginx\)/);
	assert.match(frame, /no preStop delay \(container nginx\)/);
	assert.match(frame, /fix: +add lifecycle\.preStop to nginx/);
	assert.match(frame, /Probe: revision 2 rollout: 1 failed of 3 probes/);
	assert.match(frame, /Esc or g closes this check\./);
	// The overlay takes the screen: no pods behind it, and j does not move the hidden selection.
	assert.doesNotMatch(frame, /Pods 5/);
	await press(r, 'j', has('Was it graceful?'));
	frame = await press(r, KEYS.escape, has('Pods 5'));
	assert.doesNotMatch(frame, /Was it graceful/);
	assert.match(frame, /deploy nginx/, 'Esc closed the check, not the deployment');
	assert.match(lineWith(frame, 'kfgb4') ?? '', /^›/);
	assert.match(frame, /Probe http/);
	// g again closes it too; Home (no longer g) goes to the first row.
	await press(r, 'g', has('Was it graceful?'));
	await press(r, 'g', has('Pods 5'));
	await press(r, KEYS.home, (f) => /^›/.test(lineWith(f, 'gldmc') ?? ''));
});

test('in the picker, g checks the deployment under the cursor', async (t) => {
	const r = await mount(<App store={probed(rolloutStore(null), probedSession())} />, has('nginx'), {columns: 100, rows: 30});
	t.after(() => r.unmount());
	let frame = await press(r, 'g', has('Was it graceful?'));
	assert.match(frame, /Was it graceful\? deployment api/);
	// The verdicts are about the watched deployment (none here), not this one.
	assert.doesNotMatch(frame, /Probe:/);
	await press(r, KEYS.escape, (f) => !f.includes('Was it graceful?'));
	await press(r, 'j', (f) => /^›\s*nginx/m.test(f));
	frame = await press(r, 'g', has('Was it graceful?'));
	assert.match(frame, /Was it graceful\? deployment nginx/);
});

test('the help lists g for the graceful check (uncut at 80 columns) and Home for the first row', async (t) => {
	const r = await mount(<App store={rolloutStore()} />, has('Pods 5'), {columns: 80, rows: 24});
	t.after(() => r.unmount());
	const frame = await press(r, '?', has('Keys'));
	assert.match(lineWith(frame, 'was it graceful?') ?? '', /\bg\s+was it graceful\? settings that let a rollout drop requests\s+│$/);
	assert.match(lineWith(frame, 'first / last row') ?? '', /Home G\/End\s+first \/ last row/);
});
