import {test} from 'node:test';
import assert from 'node:assert/strict';
import {LogRing, type LogEntry} from '../../source/state/log-ring.js';

const add = (ring: LogRing, at: number, text: string) => ring.add(at, 'p', 'c', undefined, text, 'log');
const texts = (l: {length: number; at(i: number): LogEntry | undefined}) => Array.from({length: l.length}, (_, i) => l.at(i)?.text);

test('LogRing keeps lines in time order whatever order they arrive in (ties in arrival order)', () => {
	const ring = new LogRing(10);
	add(ring, 10, 'a');
	add(ring, 30, 'c');
	add(ring, 20, 'b');
	add(ring, 30, 'c2');
	add(ring, 5, 'first');
	assert.deepEqual(texts(ring.view()), ['first', 'a', 'b', 'c', 'c2']);
});

test('LogRing drops the oldest past its capacity, counts them, and refuses a line older than all it keeps', () => {
	const ring = new LogRing(3);
	for (const [i, t] of ['a', 'b', 'c', 'd', 'e'].entries()) add(ring, i, t);
	const v = ring.view();
	assert.deepEqual(texts(v), ['c', 'd', 'e']);
	assert.equal(v.dropped, 2);
	add(ring, -1, 'ancient');
	assert.deepEqual(texts(ring.view()), ['c', 'd', 'e']);
	assert.equal(ring.view().dropped, 3);
	// A late line between kept ones goes in at its place and pushes the oldest out.
	add(ring, 2.5, 'late');
	assert.deepEqual(texts(ring.view()), ['late', 'd', 'e']);
});

test('LogRing.matching keeps a filtered run up to date line by line, and forgets dropped lines', () => {
	const ring = new LogRing(4);
	const isGet = (e: LogEntry) => e.text.startsWith('GET');
	add(ring, 1, 'GET /a');
	add(ring, 2, 'notice');
	assert.deepEqual(texts(ring.view().matching('GET', isGet)), ['GET /a']);
	add(ring, 3, 'GET /b');
	add(ring, 0.5, 'GET /early');
	assert.deepEqual(texts(ring.view().matching('GET', isGet)), ['GET /early', 'GET /a', 'GET /b']);
	add(ring, 4, 'GET /c');
	add(ring, 5, 'GET /d');
	// Capacity 4: /early and /a are gone from the ring, and from the filter.
	assert.deepEqual(texts(ring.view()), ['notice', 'GET /b', 'GET /c', 'GET /d']);
	assert.deepEqual(texts(ring.view().matching('GET', isGet)), ['GET /b', 'GET /c', 'GET /d']);
	// Another filter is built from what the ring holds.
	assert.deepEqual(texts(ring.view().matching('notice', (e) => e.text === 'notice')), ['notice']);
});

test('indexAtOrBefore finds where a paused view is, even after older lines were dropped', () => {
	const ring = new LogRing(100);
	for (let i = 0; i < 10; i++) add(ring, i * 10, `l${i}`);
	const v = ring.view();
	const anchor = v.at(5) as LogEntry;
	assert.equal(v.indexAtOrBefore(anchor.at, anchor.seq), 5);
	assert.equal(v.indexAtOrBefore(-1, 0), -1);
	assert.equal(v.indexAtOrBefore(1000, 0), 9);
});

test('LogRing stays bounded through a million lines (its array is compacted as it goes)', () => {
	const ring = new LogRing(1000);
	for (let i = 0; i < 1_000_000; i++) add(ring, i, 'x');
	const v = ring.view();
	assert.equal(v.length, 1000);
	assert.equal(v.dropped, 999_000);
	assert.equal(v.at(0)?.at, 999_000);
});
