// React's view of the store: one subscription, plain values out (Gatsby ink reporter style).
import {useCallback, useRef, useSyncExternalStore} from 'react';
import type {CockpitState, CockpitStore} from './store.js';

// Picks one piece of the store and re-renders only when that piece changes (isEqual, default Object.is).
// Selectors from selectors.ts are memoised, so they return the same object until their inputs change.
export function useCockpit<T>(store: CockpitStore, selector: (state: CockpitState) => T, isEqual: (a: T, b: T) => boolean = Object.is): T {
	const cache = useRef<{state: CockpitState; selector: (state: CockpitState) => T; value: T} | undefined>(undefined);
	const getSnapshot = useCallback((): T => {
		const state = store.getState();
		const c = cache.current;
		if (c && c.state === state && c.selector === selector) return c.value;
		const value = selector(state);
		if (c && isEqual(c.value, value)) {
			cache.current = {state, selector, value: c.value};
			return c.value;
		}
		cache.current = {state, selector, value};
		return value;
	}, [store, selector, isEqual]);
	return useSyncExternalStore(store.subscribe, getSnapshot, getSnapshot);
}
