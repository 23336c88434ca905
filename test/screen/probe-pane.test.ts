import {test} from 'node:test';
import assert from 'node:assert/strict';

import {probePane} from '../../source/screen/probe.js';
import type {ProbeSnapshot} from '../../source/probe/session.js';
import {ProbeSession} from '../../source/probe/session.js';
import {DEFAULT_THEME, type Theme} from '../../source/state/ui.js';
import {lineWith} from '../app/harness.js';
import {NOW, probeOk, probeRefused, probeUnavailable, rolloutAt} from '../helpers/objects.js';
import {paneStyled, paneText} from '../helpers/paint.js';
import {within} from '../helpers/wait.js';

// The probe pane of the screen model, drawn.
function drawProbe(o: {width: number; height: number; probe: ProbeSnapshot}, theme: Theme = DEFAULT_THEME): string {
	return paneText(probePane({theme, ...o}), theme);
}

process.env.TZ = 'UTC';
const T0 = NOW;

const dep = rolloutAt;

const ok = probeOk;
const refused = probeRefused;
const unavailable = probeUnavailable;

// A session that went through one graceful rollout (rev 2) and one that dropped requests (rev 3).
function sessionAfterTwoRollouts(): ProbeSession {
	let now = T0;
	const s = new ProbeSession({now: () => now, settleMs: 0});
	s.observeDeployment(dep('1', 1, true));
	now = T0 + 1000;
	s.observeDeployment(dep('2', 2, false));
	s.add(ok(1000, 2));
	s.add(ok(1200, 38, 'nginx/1.20.1'));
	now = T0 + 1500;
	s.observeDeployment(dep('2', 2, true));
	now = T0 + 2000;
	s.observeDeployment(dep('3', 3, false));
	s.add(ok(2000, 3, 'nginx/1.20.1'));
	s.add(refused(2200));
	s.add(unavailable(2400));
	s.add(ok(3400, 4, 'nginx/1.21.0'));
	now = T0 + 3500;
	s.observeDeployment(dep('3', 3, true));
	return s;
}

test('the probe panel shows the last answer, p50/p99, the sparkline, failures with reasons and one verdict per rollout', () => {
	const probe = {
		...sessionAfterTwoRollouts().getSnapshot(),
		phase: 'probing' as const,
		url: 'http://127.0.0.1:30353/',
		message: 'NodePort 30353 of service nginx on node node1',
	};
	const frame = drawProbe({width: 120, height: 12, probe});
	assert.match(frame, /Probe http:\/\/127\.0\.0\.1:30353\/ +\(NodePort 30353 of service nginx on node node1\)/);
	assert.match(lineWith(frame, 'last') ?? '', /last 200 {2}4 ms {2}nginx\/1\.21\.0 +p50 3 ms {2}p99 38 ms +6 probes, 2 failed/);
	// Latencies 2, 38, 3, ×, ×, 4 scaled from 0 to the largest: the 38 ms spike is the full bar, failures are marked.
	assert.match(frame, /▁█▂××▂/);
	const rev3 = lineWith(frame, 'revision 3 rollout') ?? '';
	assert.equal(
		rev3.trim(),
		'revision 3 rollout: 2 failed of 4 probes (refused 1, 5xx 1), max 4 ms, served by nginx/1.20.1 -> nginx/1.21.0',
	);
	assert.match(frame, /outage 1\.2 s from 12:00:02: 2 failed \(refused 1, 5xx 1\)/);
	assert.equal(
		(lineWith(frame, 'revision 2 rollout') ?? '').trim(),
		'revision 2 rollout: 0 failed of 2 probes, max 38 ms, served by nginx/1.18.0 -> nginx/1.20.1',
	);
	// The newest verdict comes first.
	assert.ok(frame.indexOf('revision 3 rollout') < frame.indexOf('revision 2 rollout'));
	assert.match(frame, /12:00:02\.400 {2}5xx 503 {2}503 Service Unavailable/);
	assert.match(frame, /12:00:02\.200 {2}refused {2}connect ECONNREFUSED 127\.0\.0\.1:30353/);
});

test('a rollout in progress shows its running tally', () => {
	let now = T0;
	const s = new ProbeSession({now: () => now});
	s.observeDeployment(dep('4', 4, true));
	now = T0 + 100;
	s.observeDeployment(dep('5', 5, false));
	s.add(ok(200, 2));
	s.add(refused(400));
	const probe = {...s.getSnapshot(), phase: 'probing' as const, url: 'http://127.0.0.1:30353/'};
	assert.match(
		drawProbe({width: 100, height: 6, probe}),
		/revision 5 rollout in progress: 1 failed of 2 probes \(refused 1\), served by nginx\/1\.18\.0/,
	);
});

test('a finished rollout that is settling says so', async () => {
	let now = T0;
	const s = new ProbeSession({now: () => now, settleMs: 60_000});
	s.observeDeployment(dep('4', 4, true));
	now = T0 + 100;
	s.observeDeployment(dep('5', 5, false));
	s.add(ok(200, 2));
	now = T0 + 300;
	s.observeDeployment(dep('5', 5, true));
	const probe = {...s.getSnapshot(), phase: 'probing' as const, url: 'http://127.0.0.1:30353/'};
	assert.match(
		drawProbe({width: 100, height: 6, probe}),
		/revision 5 rollout done, settling: 0 failed of 1 probe, served by nginx\/1\.18\.0/,
	);
	await within(s.stop(), 10_000, 'the probe session to stop');
});

test('when the panel is short, the newest verdict stays and older lines give way; nothing overflows the width', () => {
	const probe = {...sessionAfterTwoRollouts().getSnapshot(), phase: 'probing' as const, url: 'http://127.0.0.1:30353/'};
	const frame = drawProbe({width: 60, height: 5, probe});
	const lines = frame.split('\n');
	assert.ok(lines.length <= 5, frame);
	for (const line of lines) assert.ok(line.length <= 60, `too wide: ${JSON.stringify(line)}`);
	// The newest verdict wraps rather than losing the versions at its end.
	const joined = lines.map((l) => l.trim()).join(' ');
	assert.match(
		joined,
		/revision 3 rollout: 2 failed of 4 probes \(refused 1, 5xx 1\), max 4 ms, served by nginx\/1\.20\.1 -> nginx\/1\.21\.0/,
	);
	assert.doesNotMatch(frame, /revision 2 rollout/);
});

test('ClusterIP-only: the panel says the Service is not reachable and what to do', () => {
	const s = new ProbeSession();
	s.setUnreachable(
		'service nginx is ClusterIP only: not reachable from here. Pass --probe URL, or run `kubectl port-forward svc/nginx 8080:80`',
	);
	const frame = drawProbe({width: 160, height: 4, probe: s.getSnapshot()});
	assert.match(frame, /service nginx is ClusterIP only: not reachable from here/);
	assert.match(frame, /kubectl port-forward svc\/nginx 8080:80/);
	assert.doesNotMatch(frame, /p50/);
});

test('nothing to probe yet: the panel says how to start', () => {
	assert.match(drawProbe({width: 100, height: 3, probe: new ProbeSession().getSnapshot()}), /not probing: pass --probe URL/);
});

test('on an ASCII terminal the sparkline and failure marks are plain characters', () => {
	const probe = {...sessionAfterTwoRollouts().getSnapshot(), phase: 'probing' as const, url: 'http://127.0.0.1:30353/'};
	const plainTheme = {color: false, unicode: false};
	const frame = drawProbe({width: 100, height: 12, probe}, plainTheme);
	assert.match(frame, /_#\.xx\./);
	assert.match(frame, / x 12:00:02\.400 {2}5xx/);
	assert.doesNotMatch(frame, /[▁█×✗─]/);
	assert.equal(paneStyled(probePane({theme: plainTheme, width: 100, height: 12, probe}), plainTheme), false, 'no colour without colour');
});
