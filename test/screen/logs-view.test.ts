// The log view through the store, the keys and screen(): l and L push it, lines from the streams (fed as the
// log layer feeds them) are tagged with pod and revision and coloured as the pods pane colours revisions, probe
// failures sit at their time, / filters, scrolling back pauses and G follows, p switches to the previous container,
// and it fits 80x24 with and without colour.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {keyHandler} from '../../source/commands/effects.js';
import type {KeyInfo} from '../../source/commands/keys.js';
import {screen, type Screen} from '../../source/screen/screen.js';
import type {Line} from '../../source/screen/lines.js';
import type {CockpitStore} from '../../source/state/store.js';
import {topView} from '../../source/state/ui.js';
import type {ProbeSnapshot} from '../../source/probe/session.js';
import {HALFWAY, NEW_RS, NOW, OLD_RS, rolloutStore} from '../app/fixtures.js';
import {pod} from '../helpers/objects.js';

const SIZE = {columns: 100, rows: 30};
const NEW_POD = `${NEW_RS}-gldmc`;
const OLD_POD = `${OLD_RS}-dhhts`;
const KEY = 'deployment/nginx';

function press(store: CockpitStore, ...keys: (string | [string, KeyInfo])[]): void {
	const handle = keyHandler({store, quit: () => {}});
	for (const k of keys) {
		if (typeof k === 'string') handle({kind: 'key', input: k, key: {}});
		else handle({kind: 'key', input: k[0], key: k[1]});
	}
	store.flush();
}

const at = (s: number) => ({at: NOW + s * 1000, second: new Date(NOW + Math.floor(s) * 1000).toISOString().replace(/\.\d+Z$/, 'Z')});
const access = (n: number) => `10.244.1.1 - - [01/May/2024:12:00:0${n % 10} +0000] "GET /?n=${n} HTTP/1.1" 200 612 "-" "curl/8.5.0" "-"`;

// The body's lines as text (segments joined), title first.
function text(s: Screen): string[] {
	if (s.body.kind !== 'pane') return [];
	const lines: Line[] = [...(s.body.pane.title ? [s.body.pane.title] : []), ...s.body.pane.lines];
	return lines.map((l) => l.segments.map((x) => x.text).join(''));
}

function feed(store: CockpitStore): void {
	store.logLines(KEY, {pod: OLD_POD, container: 'nginx', revision: 1}, [
		{...at(1), text: access(1)},
		{...at(3), text: access(3)},
	]);
	store.logLines(KEY, {pod: NEW_POD, container: 'nginx', revision: 2}, [
		{...at(2), text: access(2)},
		{...at(4), text: access(4)},
	]);
	store.logLines(KEY, {pod: OLD_POD, container: 'nginx', revision: 1}, [
		{...at(5), text: '2024/05/01 12:00:05 [notice] 1#1: signal 3 (SIGQUIT) received, shutting down'},
	]);
	store.logStream(KEY, `${OLD_POD}/nginx`, {pod: OLD_POD, container: 'nginx', phase: 'streaming', reconnects: 0});
	store.logStream(KEY, `${NEW_POD}/nginx`, {pod: NEW_POD, container: 'nginx', phase: 'backoff', reconnects: 1});
	store.flush();
}

test('L: every pod of the deployment, in time order, tagged with pod and revision and coloured by revision', () => {
	const store = rolloutStore('nginx', {terminal: SIZE});
	press(store, 'L');
	const view = topView(store.getState().ui);
	assert.deepEqual(view, {kind: 'logs', target: {kind: 'deployment', name: 'nginx'}});
	assert.equal(store.getState().logs.key, KEY);
	feed(store);
	// Lines for another view (a stream that was stopped) are dropped.
	store.logLines('pod/other/', {pod: 'other', container: 'c'}, [{...at(6), text: 'stale'}]);
	store.flush();
	const s = screen(store.getState(), SIZE);
	const lines = text(s);
	assert.match(lines[0], /^› Logs deployment nginx ─+$/);
	assert.equal(lines[1], 'following  1 stream, 1 reconnecting');
	const body = lines.slice(2).filter((l) => l.trim() !== '');
	assert.deepEqual(
		body.map((l) => l.slice(0, 14)),
		[
			'6888-dhhts r1 ',
			' '.repeat(14),
			'6484-gldmc r2 ',
			' '.repeat(14),
			'6888-dhhts r1 ',
			' '.repeat(14),
			'6484-gldmc r2 ',
			' '.repeat(14),
			'6888-dhhts r1 ',
		],
		'time order across pods, long lines wrapped under their tag',
	);
	assert.match(body.at(-1) ?? '', /signal 3 \(SIGQUIT\) received, shutting down/);
	assert.ok(!lines.some((l) => l.includes('stale')));
	// The colours of the pods pane: the new revision green, the old one by number; the text says the revision too.
	const pane = s.body.kind === 'pane' ? s.body.pane : undefined;
	const tagColor = (tag: string) => pane?.lines.find((l) => l.segments[0].text.startsWith(tag))?.segments[0].color;
	assert.equal(tagColor('6484-gldmc r2'), 'green');
	assert.equal(tagColor('6888-dhhts r1'), 'magenta');
	assert.match(s.status.hint, /Esc back {2}\/ filter/);
});

test('probe failures appear at their time between the lines, so a reset lines up with the pod that was stopping', () => {
	const store = rolloutStore('nginx', {terminal: SIZE});
	press(store, 'L');
	feed(store);
	const failure = {seq: 7, at: NOW + 4500, ok: false, latencyMs: 1, error: 'reset' as const, detail: 'read ECONNRESET'};
	const snapshot: ProbeSnapshot = {
		phase: 'probing',
		recent: [failure],
		probes: 7,
		failed: 1,
		failures: [failure],
		verdicts: [],
		skipped: 0,
	};
	store.setProbe(snapshot);
	store.flush();
	const lines = text(screen(store.getState(), SIZE)).filter((l) => /GET|probe|SIGQUIT/.test(l));
	const probeAt = lines.findIndex((l) => l.includes('probe reset'));
	assert.ok(probeAt > 0, lines.join('\n'));
	assert.match(lines[probeAt], /^✗ probe +12:00:04\.500 probe reset: read ECONNRESET$/);
	assert.match(lines[probeAt - 1], /n=4 /, 'after the line written at 12:00:04');
	assert.match(lines[probeAt + 1], /SIGQUIT/, 'before the shutdown notice at 12:00:05');
});

test('/ filters (substring, or a regex between slashes; a bad one is refused and keeps the prompt); an empty filter clears it', () => {
	const store = rolloutStore('nginx', {terminal: SIZE});
	press(store, 'L');
	feed(store);
	press(store, '/', 'n', '=', '2', ['\r', {return: true}]);
	let lines = text(screen(store.getState(), SIZE));
	assert.match(lines[1], /filter n=2: 1 of 5 lines/);
	assert.equal(lines.filter((l) => l.includes('GET')).length, 1);
	assert.equal(store.getState().ui.filter, undefined, "the log view's filter is its own: the pods and events keep theirs");
	// Applied as it is typed; Esc at the prompt puts back the one before.
	press(store, '/', ['u', {ctrl: true}], 'n', '=', '3');
	assert.match(text(screen(store.getState(), SIZE))[1], /filter n=3: 1 of 5 lines/);
	press(store, ['', {escape: true}]);
	assert.match(text(screen(store.getState(), SIZE))[1], /filter n=2: 1 of 5 lines/);
	press(store, '/', ['u', {ctrl: true}], ...'/n=[34/'.split(''), ['\r', {return: true}]);
	const bar = store.getState().ui.bar;
	assert.equal(bar?.kind, 'filter', 'the prompt stays open');
	assert.match(bar?.kind === 'filter' ? (bar.error ?? '') : '', /not a regular expression/);
	press(store, ['u', {ctrl: true}], ...'/n=[34]/'.split(''), ['\r', {return: true}]);
	lines = text(screen(store.getState(), SIZE));
	assert.match(lines[1], /filter \/n=\[34\]\/: 2 of 5 lines/);
	press(store, '/', ['u', {ctrl: true}], ['\r', {return: true}]);
	assert.equal(topView(store.getState().ui).kind === 'logs' && (topView(store.getState().ui) as {filter?: string}).filter, undefined);
});

test('scrolling back pauses the view where it is; new lines do not move it; G follows again', () => {
	const store = rolloutStore('nginx', {terminal: SIZE});
	press(store, 'L');
	feed(store);
	press(store, ['', {upArrow: true}]);
	let lines = text(screen(store.getState(), SIZE));
	assert.match(lines[1], /^paused, 1 newer \(G follows\)/);
	assert.match(lines.filter((l) => l.trim()).at(-2) ?? '', /n=4 /, 'the bottom line is now the one before the newest');
	store.logLines(KEY, {pod: NEW_POD, container: 'nginx', revision: 2}, [{...at(8), text: access(8)}]);
	store.flush();
	lines = text(screen(store.getState(), SIZE));
	assert.match(lines[1], /^paused, 2 newer/);
	assert.ok(!lines.some((l) => l.includes('n=8')));
	press(store, 'G');
	lines = text(screen(store.getState(), SIZE));
	assert.match(lines[1], /^following/);
	assert.ok(lines.some((l) => l.includes('n=8')));
	// Home: the oldest line at the bottom.
	press(store, ['', {home: true}]);
	assert.match(
		text(screen(store.getState(), SIZE))
			.filter((l) => l.trim())
			.at(-2) ?? '',
		/n=1 /,
	);
});

test('l on the selected pod; p switches to the previous container only after a restart; Esc goes back and closes the log', () => {
	const store = rolloutStore('nginx', {terminal: SIZE});
	press(store, 'l');
	assert.deepEqual(topView(store.getState().ui), {kind: 'logs', target: {kind: 'pod', pod: NEW_POD}});
	press(store, 'p');
	assert.match(store.getState().ui.message?.text ?? '', /container nginx of pod nginx-648458674d-gldmc has not restarted/);
	press(store, ['', {escape: true}]);
	assert.equal(topView(store.getState().ui).kind, 'deployment');
	assert.equal(store.getState().logs.key, undefined, 'the ring was emptied');
	// A pod whose container restarted (the kubelet names the instance before it in lastState).
	const restarted = pod({rs: HALFWAY.newReplicaSet, suffix: 'v4lwp', phase: 'Crash', restarts: 4});
	const status = restarted.status?.containerStatuses?.[0];
	if (status?.lastState?.terminated) status.lastState.terminated.containerID = 'containerd://abc';
	store.event('pods', 'MODIFIED', restarted);
	store.flush();
	press(store, 'j', 'j', 'l', 'p');
	assert.deepEqual(topView(store.getState().ui), {
		kind: 'logs',
		target: {kind: 'pod', pod: `${NEW_RS}-v4lwp`, container: 'nginx', previous: true},
	});
	assert.match(text(screen(store.getState(), SIZE))[0], /Logs pod nginx-648458674d-v4lwp container nginx \(previous\)/);
	press(store, 'p');
	assert.equal((topView(store.getState().ui) as {target: {previous?: boolean}}).target.previous, false);
});

test('at 80x24 the log view fits; under NO_COLOR the revision and the probe are still in the text', () => {
	const size = {columns: 80, rows: 24};
	const store = rolloutStore('nginx', {terminal: size, session: {theme: {color: false, unicode: true}}});
	press(store, 'L');
	feed(store);
	for (let i = 10; i < 60; i++)
		store.logLines(KEY, {pod: i % 2 ? NEW_POD : OLD_POD, container: 'nginx', revision: i % 2 ? 2 : 1}, [{...at(i), text: access(i)}]);
	store.flush();
	const s = screen(store.getState(), size);
	const lines = text(s);
	assert.ok(s.bodyHeight + 2 + 1 <= 23, 'header, body and status in 23 rows');
	assert.equal(lines.length, s.bodyHeight, 'the body is filled exactly');
	for (const l of lines) assert.ok(l.length <= 80, `wider than 80: ${l}`);
	assert.ok(lines.some((l) => l.startsWith('6484-gldmc r2 ')) && lines.some((l) => l.startsWith('6888-dhhts r1 ')));
	assert.match(lines.at(-1) ?? '', /\d"$|"-"$|-$/, 'the newest line ends the view');
});
