import {test} from 'node:test';
import assert from 'node:assert/strict';
import {coalesceSubscribe} from '../../source/app/use-probe.js';

// A source that notifies on demand, like ProbeSession after each probe.
function emitter() {
	const listeners = new Set<() => void>();
	return {
		subscribe: (fn: () => void) => {
			listeners.add(fn);
			return () => listeners.delete(fn);
		},
		emit: () => {
			for (const fn of listeners) fn();
		},
		get count() {
			return listeners.size;
		},
	};
}

const waitMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('coalesceSubscribe: a burst of probe results wakes the app once at once and once more at the end of the frame', async () => {
	const source = emitter();
	let calls = 0;
	const unsubscribe = coalesceSubscribe(source.subscribe, 30)(() => calls++);
	for (let i = 0; i < 100; i++) source.emit();
	// The first change is shown at once; the other 99 wait for the frame.
	assert.equal(calls, 1);
	const deadline = Date.now() + 2000;
	while (calls < 2 && Date.now() < deadline) await waitMs(5);
	// The trailing call shows the last change: nothing is lost, and the burst cost 2 renders, not 100.
	assert.equal(calls, 2);
	await waitMs(60);
	assert.equal(calls, 2, 'no change, no render');
	// A change long after the last call is shown at once again.
	source.emit();
	assert.equal(calls, 3);
	unsubscribe();
	assert.equal(source.count, 0);
});

test('coalesceSubscribe: unsubscribing cancels a pending call', async () => {
	const source = emitter();
	let calls = 0;
	const unsubscribe = coalesceSubscribe(source.subscribe, 20)(() => calls++);
	source.emit();
	source.emit();
	unsubscribe();
	await waitMs(50);
	assert.equal(calls, 1);
});
