import {test} from 'node:test';
import assert from 'node:assert/strict';

import {App} from '../../source/app/App.js';
import {KEYS, lineWith, mount, plain, press, waitForFrame} from './harness.js';
import {NEW_RS, NOW, OLD_RS, rolloutStore} from './fixtures.js';

const has = (text: string) => (frame: string) => frame.includes(text);
// A pod's row in the pods pane (the rollout panel's diagnosis names a pod too).
const podLine = (frame: string, suffix: string) => frame.split('\n').find((l) => new RegExp(`^[›> ] \\S+-${suffix}\\s`).test(l));

test('the cockpit shows header, rollout, pods and events for the deployment', async (t) => {
	const store = rolloutStore();
	const r = await mount(<App store={store} />, has('ScalingReplicaSet'), {columns: 120, rows: 40});
	t.after(() => r.unmount());
	const frame = plain(r.lastFrame());
	// Header: where and how.
	assert.match(frame, /ctx kind-sim\s+server v1\.32\.4\s+ns default\s+deploy nginx/);
	assert.match(frame, /RollingUpdate maxSurge 25% maxUnavailable 25%/);
	assert.match(lineWith(frame, 'maxSurge') ?? '', /live$/);
	// Rollout panel: the new ReplicaSet's counts, the old one draining, kubectl's sentence.
	assert.match(frame, /Rollout nginx rev 2 nginx:1\.20\.1/);
	assert.match(lineWith(frame, 'new rev 2') ?? '', /3\/3 updated\s+1\/3 ready\s+1\/3 available/);
	assert.match(lineWith(frame, 'old rev 1') ?? '', new RegExp(`2 old\\s+nginx:1\\.18\\s+${OLD_RS}`));
	assert.match(frame, /Waiting for deployment "nginx" rollout to finish: 2 old replicas are pending termination\.\.\./);
	// Pods: the new revision first, each with its status.
	const podLines = frame.split('\n').filter((l) => /^[›> ] nginx-[0-9a-f]{9,10}-\w{5}/.test(l));
	assert.deepEqual(
		podLines.map((l) => (/(nginx-\w+-\w+)/.exec(l) as RegExpExecArray)[1]),
		[`${NEW_RS}-gldmc`, `${NEW_RS}-kfgb4`, `${NEW_RS}-v4lwp`, `${OLD_RS}-dhhts`, `${OLD_RS}-g24tx`],
	);
	assert.match(lineWith(frame, 'kfgb4') ?? '', /0\/1\s+ContainerCreating/);
	assert.match(podLine(frame, 'v4lwp') ?? '', /CrashLoopBackOff\s+4/);
	// The new pod crash-looping for 50s: the rollout panel says the rollout will not progress, as status --fail-fast does.
	assert.match(
		lineWith(frame, '✗') ?? '',
		/^ {2}✗ will not progress: pod nginx-648458674d-v4lwp is CrashLoopBackOff \(container nginx\) for 50s: Back-off restarting/,
	);
	assert.match(lineWith(frame, 'g24tx') ?? '', /Terminating/);
	// Events: Warning with its count, kubectl's LAST SEEN for repeats.
	assert.match(lineWith(frame, ' BackOff ') ?? '', /5s \(x5 over 50s\)\s+Warning\s+BackOff\s+pod\/nginx-648458674d-v4lwp/);
	assert.match(frame, new RegExp(`Scaled down replica set ${OLD_RS}`));
});

test('at 80x24 everything fits: no line wider than 80, no more than 23 lines, all four parts present', async (t) => {
	const store = rolloutStore();
	const r = await mount(<App store={store} />, has('Events'), {columns: 80, rows: 24});
	t.after(() => r.unmount());
	const frame = plain(r.lastFrame());
	const lines = frame.split('\n');
	assert.ok(lines.length <= 23, `${lines.length} lines:\n${frame}`);
	for (const line of lines) assert.ok(line.length <= 80, `too wide: ${JSON.stringify(line)}`);
	assert.match(frame, /deploy nginx/);
	assert.match(frame, /new rev 2/);
	assert.match(frame, /old rev 1/);
	assert.match(frame, /Pods 5/);
	assert.match(frame, /Events \d/);
	assert.match(frame, /\? help/);
});

test('j/k move the pod selection, Enter opens the pod detail, Esc comes back', async (t) => {
	const store = rolloutStore();
	const r = await mount(<App store={store} />, has('Pods 5'), {columns: 120, rows: 40});
	t.after(() => r.unmount());
	assert.match(lineWith(plain(r.lastFrame()), 'gldmc') ?? '', /^›/);
	let frame = await press(r, 'j', (f) => /^›/.test(lineWith(f, 'kfgb4') ?? ''));
	assert.doesNotMatch(lineWith(frame, 'gldmc') ?? '', /^›/);
	frame = await press(r, KEYS.down, (f) => /^›/.test(podLine(f, 'v4lwp') ?? ''));
	frame = await press(r, KEYS.enter, has('Pod nginx-648458674d-v4lwp'));
	// Container state, last termination with reason and exit code, conditions, the pod's own events.
	assert.match(frame, /Waiting: CrashLoopBackOff \(back-off 40s restarting failed container=nginx\)/);
	assert.match(frame, /Last termination: OOMKilled, exit code 137, 20s ago/);
	assert.match(frame, /ContainersReady\s+False\s+ContainersNotReady/);
	assert.match(frame, /Events \(1\)/);
	assert.match(frame, /Warning\s+BackOff\s+Back-off restarting failed container/);
	assert.doesNotMatch(frame, /Scaled down replica set/);
	frame = await press(r, KEYS.escape, has('Pods 5'));
	assert.match(podLine(frame, 'v4lwp') ?? '', /^›/);
	frame = await press(r, 'k', (f) => /^›/.test(lineWith(f, 'kfgb4') ?? ''));
	frame = await press(r, KEYS.up, (f) => /^›/.test(lineWith(f, 'gldmc') ?? ''));
});

test('Tab moves focus to the events pane, where the keys move the event selection', async (t) => {
	const store = rolloutStore();
	const r = await mount(<App store={store} />, has('Pods 5'), {columns: 120, rows: 40});
	t.after(() => r.unmount());
	assert.match(plain(r.lastFrame()), /^› Pods/m);
	let frame = await press(r, KEYS.tab, (f) => /^› Events/m.test(f));
	assert.match(frame, /^─ Pods/m);
	// Up from following the tail selects the newest event, then older ones.
	frame = await press(r, 'k', (f) => /^›/.test(lineWith(f, ' BackOff ') ?? ''));
	assert.match(frame, /Events 5 \(5\/5\)/);
	frame = await press(r, 'k', (f) => /^›/.test(lineWith(f, 'Stopping container') ?? ''));
	// The status line repeats the selected event in full, object included.
	assert.match(frame.split('\n').at(-1) ?? '', /^pod\/nginx-6888c79454-g24tx: Stopping container nginx/);
	// The pods pane keeps its selection while the events pane has the focus.
	assert.match(lineWith(frame, 'gldmc') ?? '', /^›/);
	assert.match(frame, /^─ Pods/m);
	// G follows the newest again.
	frame = await press(r, 'G', (f) => /^› Events 5 ─/m.test(f));
	// Enter on an event opens nothing: no detail is drawn, and the next key still moves the focus on the split view.
	frame = await press(r, 'k', (f) => /Events 5 \(5\/5\)/.test(f));
	const before = r.frames.length;
	r.stdin.write(KEYS.enter);
	frame = await press(r, KEYS.shiftTab, (f) => /^› Pods/m.test(f));
	assert.ok(
		r.frames.slice(before).every((f) => !/Pod nginx-|This pod no longer exists/.test(plain(f))),
		'Enter on an event opened a detail',
	);
	assert.match(frame, /^─ Events 5 \(5\/5\)/m, 'the event selection is kept');
});

test('? shows the keys, Esc closes them; q quits', async (t) => {
	const notes = ['Demo: try kubectl set image deployment/nginx nginx=nginx:1.20.1'];
	const store = rolloutStore('nginx', {session: {notes}});
	let quit = 0;
	const r = await mount(<App store={store} onQuit={() => quit++} />, has('Pods 5'), {columns: 100, rows: 30});
	t.after(() => r.unmount());
	let frame = await press(r, '?', has('Keys'));
	assert.match(frame, /Demo: try kubectl set image deployment\/nginx nginx=nginx:1\.20\.1/);
	assert.match(frame, /Tab Shift-Tab\s+next \/ previous pane/);
	assert.match(frame, /\? q Ctrl-C\s+this help \(\?\); quit \(q, Ctrl-C\)/);
	assert.doesNotMatch(frame, /Pods 5/);
	frame = await press(r, KEYS.escape, has('Pods 5'));
	assert.doesNotMatch(frame, /Ctrl-C\s+quit/);
	r.stdin.write('q');
	await waitForFrame(r, () => quit === 1, 10_000, 'quit');
	assert.equal(quit, 1);
});

test("without a deployment the picker lists the namespace's deployments and Enter opens one", async (t) => {
	const store = rolloutStore(null);
	const r = await mount(<App store={store} />, has('Deployments'), {columns: 100, rows: 30});
	t.after(() => r.unmount());
	let frame = plain(r.lastFrame());
	assert.match(lineWith(frame, 'NAME') ?? '', /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+IMAGES/);
	assert.match(lineWith(frame, 'api') ?? '', /^›\s+api\s+3\/3\s+3\s+3\s+60m\s+nginx:1\.20\.1/);
	assert.match(frame, /deploy \(pick one\)/);
	frame = await press(r, 'j', (f) => /^›/.test(lineWith(f, ' nginx ') ?? ''));
	frame = await press(r, KEYS.enter, has('deploy nginx'));
	assert.equal(store.getState().deploymentName, 'nginx');
	// The store dropped the old scope's objects; they arrive again through the re-scoped watches.
	assert.match(frame, /Rollout/);
	frame = await press(r, KEYS.escape, has('Deployments'));
	assert.equal(store.getState().deploymentName, undefined);
});

test("the header says when a watch is backing off, and the status line shows the store's message", async (t) => {
	const store = rolloutStore();
	const r = await mount(<App store={store} />, has('live'), {columns: 120, rows: 30});
	t.after(() => r.unmount());
	const lostAt = Date.parse('2024-05-01T11:59:58Z');
	store.setConnection('pods', {
		phase: 'backoff',
		since: NOW,
		retryInMs: 3000,
		restarts: 2,
		attempt: 2,
		lostAt,
		error: 'connect ECONNREFUSED 127.0.0.1:6443',
	});
	store.setStatus('image changed', 'success');
	store.flush();
	let frame = await waitForFrame(r, has('reconnecting'));
	// Not live: the connection takes the header's second line, strategy aside.
	const hhmmss = new Date(lostAt).toTimeString().slice(0, 8);
	assert.match(
		frame.split('\n')[1] ?? '',
		new RegExp(`reconnecting \\(attempt 2, next in 3s\\) · stale since ${hhmmss} · pods: connect ECONNREFUSED`),
	);
	assert.match(frame.split('\n').at(-1) ?? '', /^image changed\s+Tab pane {2}Enter detail {2}\? help {2}q quit$/);
	// A long message takes the room of the key hints, keeping only "? help".
	const long = `demo cluster: KUBECONFIG=/tmp/rollout-cockpit-sim-abcdef/kubeconfig (${'x'.repeat(40)})`;
	store.setStatus(long);
	frame = await waitForFrame(r, has('demo cluster'));
	assert.match(frame.split('\n').at(-1) ?? '', /^demo cluster: KUBECONFIG=\/tmp\/rollout-cockpit-sim-abcdef\/kubeconfig \(x+\)\s+\? help$/);
});

test('a resized terminal is laid out again: from 120x40 to 80x24 nothing overflows', async (t) => {
	const store = rolloutStore();
	const r = await mount(<App store={store} />, has('Pods 5'), {columns: 120, rows: 40});
	t.after(() => r.unmount());
	assert.match(lineWith(plain(r.lastFrame()), 'NAME') ?? '', /\bIP\b/);
	r.stdout.resize(80, 24);
	const frame = await waitForFrame(r, (f) => !/\bIP\b/.test(lineWith(f, 'NAME') ?? 'IP'));
	const lines = frame.split('\n');
	assert.ok(lines.length <= 23, `${lines.length} lines`);
	for (const line of lines) assert.ok(line.length <= 80, `too wide: ${JSON.stringify(line)}`);
	assert.match(frame, /Pods 5/);
});

test('a pod deleted while its detail is open says so instead of showing stale data', async (t) => {
	const store = rolloutStore();
	const r = await mount(<App store={store} />, has('Pods 5'), {columns: 100, rows: 30});
	t.after(() => r.unmount());
	let frame = await press(r, KEYS.enter, has('Pod nginx-648458674d-gldmc'));
	assert.match(frame, /Running, started 45s ago/);
	const pod = store.getState().pods.get(`${NEW_RS}-gldmc`);
	store.event('pods', 'DELETED', pod);
	store.flush();
	frame = await waitForFrame(r, has('This pod no longer exists.'));
	assert.doesNotMatch(frame, /Running, started/);
	frame = await press(r, KEYS.escape, has('Pods 4'));
});
