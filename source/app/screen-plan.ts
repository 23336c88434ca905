// The pods/events split of model/layout.ts's screen, adjusted to what there is to show: stacked panes
// give the pods the rows their pods need (up to half), and rows a pane cannot fill go to the other,
// so 3 pods leave the events more than 4 lines at 80x24. Pure arithmetic, tested without a terminal.
import type {Rect, ScreenLayout} from '../model/layout.js';

// A list pane's title and column header.
const PANE_CHROME = 2;
// Title, header and one row.
const LIST_MIN = PANE_CHROME + 1;

// The two list rectangles for `podCount` pods and `eventCount` event rows (side by side: unchanged).
export function balanceLists(layout: ScreenLayout, podCount: number, eventCount: number): {pods: Rect; events: Rect} {
	const {pods, events} = layout;
	if (layout.arrangement !== 'stacked' || events.height === 0) return {pods, events};
	const total = pods.height + events.height;
	if (total < 2 * LIST_MIN) return {pods, events};
	const podsNeed = PANE_CHROME + Math.max(1, podCount);
	const eventsNeed = PANE_CHROME + Math.max(1, eventCount);
	let podsHeight = Math.min(podsNeed, Math.ceil(total / 2));
	// Events that cannot fill their share give the rest back to the pods.
	if (total - podsHeight > eventsNeed) podsHeight = Math.min(podsNeed, total - eventsNeed);
	podsHeight = Math.max(LIST_MIN, Math.min(total - LIST_MIN, podsHeight));
	return {
		pods: {...pods, height: podsHeight},
		events: {...events, y: pods.y + podsHeight, height: total - podsHeight},
	};
}
