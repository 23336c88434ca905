import {useRef} from 'react';
import {windowStart} from '../model/columns.js';

// The first visible row of a scrolled list: it moves only as far as needed to keep `selected` in view,
// so the list does not jump when the selection moves inside the window. `follow` pins it to the end.
export function useScrollWindow(selected: number, height: number, total: number, follow = false): number {
	const startRef = useRef(0);
	const start = follow ? Math.max(0, total - height) : windowStart(startRef.current, selected, height, total);
	startRef.current = start;
	return start;
}
