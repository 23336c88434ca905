// The log follower: lines with their kubelet timestamps, split anywhere across chunks; a stream cut mid-line is
// resumed with sinceTime (whole seconds) and the lines of that second already shown are skipped, so each line is
// delivered once; a clean end means the container stopped; 404 means the pod is gone.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {followLog, LogLineReader, parseTimestamped, type LogStreamState, type StreamLine} from '../../source/kube/logs.js';
import {startFakeApi} from '../helpers/fake-api.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');

test('parseTimestamped: RFC 3339 with nanoseconds as the kubelet writes it, the second sinceTime can name, the text', () => {
	const l = parseTimestamped('2026-01-01T12:00:01.123456789Z GET / 200', {at: 0, second: 'x'});
	assert.equal(l.text, 'GET / 200');
	assert.equal(l.second, '2026-01-01T12:00:01Z');
	assert.ok(Math.abs(l.at - (NOW + 1123.456789)) < 1e-6);
	assert.equal(parseTimestamped('2026-01-01T12:00:01Z a b', {at: 0, second: 'x'}).at, NOW + 1000);
	assert.equal(parseTimestamped('2026-01-01T13:00:01+01:00 x', {at: 0, second: 'x'}).second, '2026-01-01T12:00:01Z');
	assert.deepEqual(parseTimestamped('no timestamp here', {at: 5, second: 's'}), {at: 5, second: 's', text: 'no timestamp here'});
});

test('LogLineReader: lines split across chunks (and a UTF-8 character split between them) come out whole, once', () => {
	const r = new LogLineReader();
	const text = '2026-01-01T12:00:01.1Z héllo\n2026-01-01T12:00:01.2Z wörld\n';
	const bytes = Buffer.from(text);
	const out: StreamLine[] = [];
	// One byte at a time: every split point, including inside "é" and "ö".
	for (let i = 0; i < bytes.length; i++) out.push(...r.push(bytes.subarray(i, i + 1), NOW));
	assert.deepEqual(
		out.map((l) => l.text),
		['héllo', 'wörld'],
	);
	assert.deepEqual(r.last, {second: '2026-01-01T12:00:01Z', lines: 2});
});

test('LogLineReader: after a restart the lines of the resume second already delivered are skipped, newer ones kept', () => {
	const r = new LogLineReader();
	r.push('2026-01-01T12:00:00.9Z a\n2026-01-01T12:00:01.1Z b\n2026-01-01T12:00:01.2Z c\n2026-01-01T12:00:01.3Z d-partial', NOW);
	r.restart();
	// The server answers sinceTime=12:00:01Z: everything from that second, the partial line whole this time.
	const again = r.push('2026-01-01T12:00:01.1Z b\n2026-01-01T12:00:01.2Z c\n2026-01-01T12:00:01.3Z d\n2026-01-01T12:00:02.0Z e\n', NOW);
	assert.deepEqual(
		again.map((l) => l.text),
		['d', 'e'],
	);
});

type Served = {second: string; text: string; at: string};

function serveLines(lines: Served[], since?: string | null): string {
	return lines
		.filter((l) => !since || l.second >= since)
		.map((l) => `${l.at} ${l.text}\n`)
		.join('');
}

test('followLog: a stream cut mid-line is resumed with sinceTime and every line is delivered exactly once; a clean end finishes it', async (t) => {
	const api = await startFakeApi();
	t.after(() => api.close());
	const conn = api.connection('default');
	const all: Served[] = [
		{at: '2026-01-01T12:00:00.500000000Z', second: '2026-01-01T12:00:00Z', text: 'one'},
		{at: '2026-01-01T12:00:01.100000000Z', second: '2026-01-01T12:00:01Z', text: 'two'},
		{at: '2026-01-01T12:00:01.200000000Z', second: '2026-01-01T12:00:01Z', text: 'three'},
		{at: '2026-01-01T12:00:01.300000000Z', second: '2026-01-01T12:00:01Z', text: 'four'},
		{at: '2026-01-01T12:00:02.000000000Z', second: '2026-01-01T12:00:02Z', text: 'five'},
	];
	const got: string[] = [];
	const states: LogStreamState[] = [];
	let running = true;
	const stream = followLog({
		conn,
		namespace: 'default',
		pod: 'web-1',
		container: 'nginx',
		tailLines: 100,
		onLines: (lines) => got.push(...lines.map((l) => l.text)),
		onState: (s) => states.push(s),
		stillRunning: () => running,
		timing: {backoffInitialMs: 10, backoffMaxMs: 20, random: () => 0},
	});
	t.after(() => stream.stop());

	const first = await api.next((r) => r.path === '/api/v1/namespaces/default/pods/web-1/log');
	assert.equal(first.query.get('follow'), 'true');
	assert.equal(first.query.get('timestamps'), 'true');
	assert.equal(first.query.get('container'), 'nginx');
	assert.equal(first.query.get('tailLines'), '100');
	assert.equal(first.query.get('sinceTime'), null);
	first.stream();
	// Three lines, then half of the fourth, then the connection dies.
	const text = serveLines(all.slice(0, 4));
	first.write(text.slice(0, text.length - 4));
	await waitFor(() => got.length === 3, 'three lines');
	first.res.socket?.destroy();

	const second = await api.next((r) => r.path.endsWith('/log'));
	assert.equal(second.query.get('sinceTime'), '2026-01-01T12:00:01Z', 'resumed from the second of the last whole line');
	assert.equal(second.query.get('tailLines'), null, 'a resumed stream asks for no tail');
	second.stream();
	second.write(serveLines(all, second.query.get('sinceTime')));
	await waitFor(() => got.length === 5, 'five lines');
	assert.deepEqual(got, ['one', 'two', 'three', 'four', 'five'], 'nothing lost, nothing twice');
	assert.ok(states.some((s) => s.phase === 'backoff'));
	assert.equal(states.at(-1)?.phase, 'streaming');
	assert.equal(states.at(-1)?.reconnects, 1);

	// The server ends the stream while the container still runs (its own timeout): resumed again, no repeats.
	second.end();
	const third = await api.next((r) => r.path.endsWith('/log'));
	assert.equal(third.query.get('sinceTime'), '2026-01-01T12:00:02Z');
	third.stream();
	third.write(serveLines(all, third.query.get('sinceTime')));
	third.write('2026-01-01T12:00:03.000000000Z six\n');
	await waitFor(() => got.length === 6, 'six lines');
	// The container stopped: a clean end finishes the stream.
	running = false;
	third.end();
	await waitFor(() => states.at(-1)?.phase === 'ended', 'the end');
	assert.deepEqual(states.at(-1), {phase: 'ended', reconnects: 2, end: 'completed'});
	assert.deepEqual(got, ['one', 'two', 'three', 'four', 'five', 'six']);
});

test('followLog: a pod gone (404) ends the stream as gone; a container waiting to start is asked again', async (t) => {
	const api = await startFakeApi();
	t.after(() => api.close());
	const conn = api.connection('default');
	const states: LogStreamState[] = [];
	const stream = followLog({
		conn,
		namespace: 'default',
		pod: 'web-2',
		container: 'nginx',
		onLines: () => {},
		onState: (s) => states.push(s),
		timing: {backoffInitialMs: 10, backoffMaxMs: 20, random: () => 0},
	});
	t.after(() => stream.stop());
	const waiting = await api.next((r) => r.path.endsWith('/log'));
	waiting.json(400, {
		kind: 'Status',
		apiVersion: 'v1',
		status: 'Failure',
		reason: 'BadRequest',
		code: 400,
		message: 'container "nginx" in pod "web-2" is waiting to start: ContainerCreating',
	});
	const gone = await api.next((r) => r.path.endsWith('/log'));
	gone.json(404, {kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'pods "web-2" not found'});
	await waitFor(() => states.at(-1)?.phase === 'ended', 'the end');
	assert.equal(states.at(-1)?.end, 'gone');
	assert.match(states.at(-1)?.error ?? '', /pods "web-2" not found/);
});

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}
