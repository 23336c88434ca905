// The store's key order: chunked so that a write moves at most one chunk; checked against a plain sorted array.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {namespaceRange, SortedKeys} from '../../source/sim/sorted-keys.js';

test('keys stay in byte order through random inserts and removes across many chunks; ranges, ranks and walks agree', () => {
	let seed = 42;
	const random = () => {
		seed = (seed * 1103515245 + 12345) % 2 ** 31;
		return seed / 2 ** 31;
	};
	const keys = new SortedKeys();
	const reference = new Set<string>();
	for (let i = 0; i < 6000; i++) {
		const key = `ns${Math.floor(random() * 5)}/pod-${Math.floor(random() * 4000)}`;
		if (reference.has(key) && random() < 0.6) {
			keys.remove(key);
			reference.delete(key);
		} else if (!reference.has(key)) {
			keys.insert(key);
			reference.add(key);
		}
	}
	const sorted = [...reference].sort();
	assert.equal(keys.size, sorted.length);
	assert.deepEqual([...keys.from('', false)], sorted);
	const {lo, hi} = namespaceRange('ns3');
	assert.deepEqual(
		[...keys.from(lo, false, hi)],
		sorted.filter((k) => k.startsWith('ns3/')),
	);
	const middle = sorted[Math.floor(sorted.length / 2)]!;
	assert.deepEqual([...keys.from(middle, true)], sorted.slice(sorted.indexOf(middle) + 1));
	assert.equal(keys.rank(middle), sorted.indexOf(middle));
	assert.equal(keys.rank(hi!), sorted.filter((k) => k < hi!).length);
	// Removing what is absent changes nothing; emptying works.
	keys.remove('nope/nothing');
	for (const key of sorted) keys.remove(key);
	assert.equal(keys.size, 0);
	assert.deepEqual([...keys.from('', false)], []);
});
