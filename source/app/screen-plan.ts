// The pods/events split of model/layout.ts's screen, adjusted to what there is to show: stacked panes
// give the pods the rows their pods need (up to half), and rows a pane cannot fill go to the other,
// so 3 pods leave the events more than 4 lines at 80x24. Pure arithmetic, tested without a terminal.
import type {Rect, ScreenLayout} from '../model/layout.js';

// A list pane's title and column header.
const PANE_CHROME = 2;
// Title, header and one row.
const LIST_MIN = PANE_CHROME + 1;

// Rows a list pane of `count` rows fills: title, column header and its rows (one for "no pods" when empty).
export function listRows(count: number): number {
	return PANE_CHROME + Math.max(1, count);
}

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

// The probe panel's share of the rows the lists would have had: a compact panel (3-4 rows) at
// 80x24, more on taller terminals, never what it does not want.
const PROBE_SHARE = 0.25;
const PROBE_COMPACT = 3;
const PROBE_MIN = 2;

// Carves the probe panel (wanting `wanted` rows; 0: no panel) out of the top of the lists, under the rollout
// panel, leaving the lists at least a title, header and row each; rows the lists cannot fill (`listsNeed`:
// what their rows take, chrome included) go to the panel too. Returns the panel and the layout below it.
export function placeProbe(layout: ScreenLayout, wanted: number, listsNeed = Infinity): {probe: Rect; layout: ScreenLayout} {
	const stacked = layout.arrangement === 'stacked';
	const top = layout.rollout.y + layout.rollout.height;
	const lists = stacked ? layout.pods.height + layout.events.height : layout.pods.height;
	const listsMin = stacked ? 2 * LIST_MIN : LIST_MIN;
	let height = Math.min(wanted, Math.max(Math.min(wanted, PROBE_COMPACT), Math.floor(lists * PROBE_SHARE), lists - listsNeed));
	height = Math.min(height, lists - listsMin);
	if (height < PROBE_MIN || wanted <= 0) height = 0;
	const probe = {x: 0, y: top, width: layout.columns, height};
	if (height === 0) return {probe, layout};
	let pods: Rect;
	let events: Rect;
	if (stacked) {
		const total = lists - height;
		const eventsHeight = layout.events.height === 0 ? 0 : Math.max(LIST_MIN, Math.floor(total * 0.4));
		pods = {...layout.pods, y: top + height, height: total - eventsHeight};
		events = {...layout.events, y: top + height + pods.height, height: eventsHeight};
	} else {
		pods = {...layout.pods, y: top + height, height: lists - height};
		events = {...layout.events, y: top + height, height: lists - height};
	}
	return {probe, layout: {...layout, pods, events}};
}
