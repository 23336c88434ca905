// The probe session as the app reads it: through useSyncExternalStore, with its notifications coalesced to
// at most one per frame, as the cockpit store batches watch events, so a fast --probe-interval cannot make
// the screen redraw more often than it can be read.
import {useMemo, useSyncExternalStore} from 'react';
import type {ProbeSnapshot} from '../probe/session.js';

// What the app needs of a ProbeSession; both are called unbound (ProbeSession's are arrow functions).
export type ProbeSource = {
	subscribe(fn: () => void): () => void;
	getSnapshot(): ProbeSnapshot;
};

// One frame, as the store's flush interval.
export const PROBE_FRAME_MS = 33;

// Wraps subscribe so that a burst of changes calls the listener once at its start and once at most every
// frameMs after, never losing the last change (a trailing call follows any change held back).
export function coalesceSubscribe(
	subscribe: ProbeSource['subscribe'],
	frameMs = PROBE_FRAME_MS,
	now: () => number = Date.now,
): ProbeSource['subscribe'] {
	return (fn) => {
		let last = -Infinity;
		let timer: NodeJS.Timeout | undefined;
		const fire = () => {
			timer = undefined;
			last = now();
			fn();
		};
		const unsubscribe = subscribe(() => {
			if (timer !== undefined) return;
			const wait = last + frameMs - now();
			if (wait <= 0) fire();
			else {
				timer = setTimeout(fire, wait);
				timer.unref();
			}
		});
		return () => {
			clearTimeout(timer);
			timer = undefined;
			unsubscribe();
		};
	};
}

const noSubscribe = () => () => {};
const noSnapshot = () => undefined;

// The latest probe snapshot, or undefined when the cockpit runs without a probe (--no-probe).
export function useProbe(source: ProbeSource | undefined): ProbeSnapshot | undefined {
	const subscribe = useMemo(() => (source ? coalesceSubscribe(source.subscribe) : noSubscribe), [source]);
	return useSyncExternalStore<ProbeSnapshot | undefined>(subscribe, source ? source.getSnapshot : noSnapshot);
}
