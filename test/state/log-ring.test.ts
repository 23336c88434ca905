import {test} from 'node:test';
import assert from 'node:assert/strict';
import {LogRing, type LogEntry} from '../../source/state/log-ring.js';

const entry = (at: number, text: string, pod = 'p'): Omit<LogEntry, 'seq'> => ({at, pod, container: 'c', text, kind: 'log'});
const texts = (l: {length: number; at(i: number): LogEntry | undefined}) => Array.from({length: l.length}, (_, i) => l.at(i)?.text);

test('LogRing keeps lines in time order whatever order they arrive in (ties in arrival order)', () => {
	const ring = new LogRing(10);
	ring.add(entry(10, 'a'));
	ring.add(entry(30, 'c'));
	ring.add(entry(20, 'b'));
	ring.add(entry(30, 'c2'));
	ring.add(entry(5, 'first'));
	assert.deepEqual(texts(ring.view()), ['first', 'a', 'b', 'c', 'c2']);
});

test('LogRing drops the oldest past its capacity, counts them, and refuses a line older than all it keeps', () => {
	const ring = new LogRing(3);
	for (const [i, t] of ['a', 'b', 'c', 'd', 'e'].entries()) ring.add(entry(i, t));
	const v = ring.view();
	assert.deepEqual(texts(v), ['c', 'd', 'e']);
	assert.equal(v.dropped, 2);
	ring.add(entry(-1, 'ancient'));
	assert.deepEqual(texts(ring.view()), ['c', 'd', 'e']);
	assert.equal(ring.view().dropped, 3);
	// A late line between kept ones goes in at its place and pushes the oldest out.
	ring.add(entry(2.5, 'late'));
	assert.deepEqual(texts(ring.view()), ['late', 'd', 'e']);
});

test('LogRing.matching keeps a filtered run up to date line by line, and forgets dropped lines', () => {
	const ring = new LogRing(4);
	const isGet = (e: LogEntry) => e.text.startsWith('GET');
	ring.add(entry(1, 'GET /a'));
	ring.add(entry(2, 'notice'));
	assert.deepEqual(texts(ring.view().matching('GET', isGet)), ['GET /a']);
	ring.add(entry(3, 'GET /b'));
	ring.add(entry(0.5, 'GET /early'));
	assert.deepEqual(texts(ring.view().matching('GET', isGet)), ['GET /early', 'GET /a', 'GET /b']);
	ring.add(entry(4, 'GET /c'));
	ring.add(entry(5, 'GET /d'));
	// Capacity 4: /early and /a are gone from the ring, and from the filter.
	assert.deepEqual(texts(ring.view()), ['notice', 'GET /b', 'GET /c', 'GET /d']);
	assert.deepEqual(texts(ring.view().matching('GET', isGet)), ['GET /b', 'GET /c', 'GET /d']);
	// Another filter is built from what the ring holds.
	assert.deepEqual(texts(ring.view().matching('notice', (e) => e.text === 'notice')), ['notice']);
});

test('indexAtOrBefore finds where a paused view is, even after older lines were dropped', () => {
	const ring = new LogRing(100);
	for (let i = 0; i < 10; i++) ring.add(entry(i * 10, `l${i}`));
	const v = ring.view();
	const anchor = v.at(5) as LogEntry;
	assert.equal(v.indexAtOrBefore(anchor.at, anchor.seq), 5);
	assert.equal(v.indexAtOrBefore(-1, 0), -1);
	assert.equal(v.indexAtOrBefore(1000, 0), 9);
});

test('LogRing stays bounded through a million lines (its array is compacted as it goes)', () => {
	const ring = new LogRing(1000);
	for (let i = 0; i < 1_000_000; i++) ring.add(entry(i, 'x'));
	const v = ring.view();
	assert.equal(v.length, 1000);
	assert.equal(v.dropped, 999_000);
	assert.equal(v.at(0)?.at, 999_000);
});
