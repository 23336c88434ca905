// ItemBatcher hands a list's items over in batches as the bytes arrive, and the whole answer is always what
// JSON.parse of the body gives: whatever the chunks, the shape, the separator's look-alikes inside items, or the
// UTF-8 characters cut between chunks.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {ItemBatcher} from '../../source/kube/list-batches.js';

type Run = {items: unknown[]; batches: number; beforeEnd: number; rest: Record<string, unknown>};

// Feeds `body` in chunks of `size` bytes (or of the sizes `size` gives), then ends it.
function run(body: string, size: number | ((i: number) => number)): Run {
	const bytes = Buffer.from(body);
	const items: unknown[] = [];
	let batches = 0;
	const batcher = new ItemBatcher((batch) => {
		batches++;
		items.push(...batch);
	});
	for (let at = 0, i = 0; at < bytes.length; i++) {
		const n = typeof size === 'number' ? size : size(i);
		batcher.push(bytes.subarray(at, at + n));
		at += n;
	}
	const beforeEnd = items.length;
	const {items: last, ...rest} = batcher.end() as {items?: unknown[]} & Record<string, unknown>;
	items.push(...(last ?? []));
	return {items, batches, beforeEnd, rest};
}

// What the whole body parses to, split the same way.
function parsed(body: string): {items: unknown[]; rest: Record<string, unknown>} {
	const {items, ...rest} = JSON.parse(body) as {items?: unknown[]} & Record<string, unknown>;
	return {items: items ?? [], rest};
}

function podList(n: number, pod: (i: number) => unknown = (i) => ({metadata: {name: `p${i}`}, note: 'x'.repeat(3000)})): string {
	return JSON.stringify({
		kind: 'PodList',
		apiVersion: 'v1',
		metadata: {resourceVersion: '77'},
		items: Array.from({length: n}, (_, i) => pod(i)),
	});
}

const CHUNKINGS: [string, number | ((i: number) => number)][] = [
	['1-byte chunks', 1],
	['7-byte chunks', 7],
	['16 KB chunks', 16_384],
	['64 KB chunks', 65_536],
	['uneven chunks', (i) => 1 + ((i * 7919) % 40_000)],
	['one chunk', 1 << 30],
];

describe('ItemBatcher', () => {
	const big = podList(1000);
	for (const [name, size] of CHUNKINGS) {
		test(`3 MB of pods in ${name}: every item, in order, as JSON.parse gives them`, () => {
			const got = run(big, size);
			const want = parsed(big);
			assert.deepEqual(got.items, want.items);
			assert.deepEqual(got.rest, want.rest);
			if (name !== 'one chunk') assert.ok(got.beforeEnd >= 500, `items handed over before the end: ${got.beforeEnd}`);
		});
	}

	test('the separator as structure inside items (an array of objects starting with the same key): still exact', () => {
		const body = podList(900, (i) => ({
			metadata: {name: `p${i}`},
			spec: {list: [{a: 1}, {metadata: {name: `inner-${i}`}}]},
			note: 'y'.repeat(2500),
		}));
		for (const [, size] of CHUNKINGS) {
			const got = run(body, size);
			assert.deepEqual(got.items, parsed(body).items);
		}
	});

	test('items whose first key is kind, and multi-byte UTF-8 cut between chunks', () => {
		const body = podList(700, (i) => ({kind: 'Pod', metadata: {name: `p${i}`, annotations: {mark: '✓ ✗ — 日本語 🚀'.repeat(100)}}}));
		for (const [, size] of CHUNKINGS) assert.deepEqual(run(body, size).items, parsed(body).items);
		assert.ok(run(body, 4096).beforeEnd > 0, 'batched although items begin with kind');
	});

	const shapes: [string, string][] = [
		['an empty list', '{"kind":"PodList","metadata":{"resourceVersion":"5"},"items":[]}'],
		['no items key at all', '{"kind":"Status","status":"Failure","message":"gone","code":410}'],
		['keys after the items', podList(3).replace(/}$/, ',"extra":{"items":[1]}}')],
		['"items":[ inside the metadata first', '{"metadata":{"items":[{"a":1}],"resourceVersion":"9"},"items":[{"b":2},{"b":3}]}'],
		['"items":[ inside a string first', '{"metadata":{"note":"\\"items\\":[","resourceVersion":"9"},"items":[{"b":2}]}'],
		['an array body', '[{"metadata":{}},{"metadata":{}}]'],
		['whitespace between tokens', '{ "metadata" : { } , "items" : [ { "metadata" : { "name" : "a" } } , { "metadata" : { } } ] }'],
		['items that are not objects', '{"metadata":{},"items":[1,"two",null,[3]]}'],
	];
	for (const [name, body] of shapes) {
		test(`${name}: what JSON.parse gives`, () => {
			for (const [, size] of CHUNKINGS) {
				const got = run(body, size);
				const want = JSON.parse(body) as unknown;
				if (Array.isArray(want)) assert.deepEqual(Object.values(got.rest), want);
				else assert.deepEqual({...got.rest, ...(got.items.length || 'items' in (want as object) ? {items: got.items} : {})}, want);
			}
		});
	}

	test('a body that is not JSON throws at the end, as JSON.parse would', () => {
		for (const body of ['{"items":[{"a":1},{"a":', 'not json', `${podList(600).slice(0, -3)}`]) {
			const batcher = new ItemBatcher(() => {});
			batcher.push(Buffer.from(body));
			assert.throws(() => batcher.end(), SyntaxError);
		}
	});
});
