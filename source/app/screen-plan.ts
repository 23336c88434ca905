// How the screen is divided: header, rollout panel, pods, events, status line. Pure arithmetic over
// the terminal size and how much each part has to show, so 80x24 stays usable and big terminals
// give the lists more rows (and put them side by side when wide enough).

export type ScreenPlan = {
	header: number;
	rollout: number;
	pods: {width: number; height: number};
	events: {width: number; height: number};
	// True when pods and events share the rows (wide terminals).
	sideBySide: boolean;
	status: number;
};

export type PlanInput = {
	columns: number;
	rows: number;
	// Lines the rollout panel would like (see rolloutPanelHeight).
	rolloutWanted: number;
	podCount: number;
	eventCount: number;
};

// Terminals at least this wide show pods and events next to each other.
export const SIDE_BY_SIDE_COLUMNS = 160;

const HEADER = 2;
const STATUS = 1;
// A list pane's title and column header.
const PANE_CHROME = 2;

// The plan for one frame.
export function planScreen({columns, rows, rolloutWanted, podCount, eventCount}: PlanInput): ScreenPlan {
	const width = Math.max(20, columns);
	const usable = Math.max(8, rows) - HEADER - STATUS;
	// The rollout panel gets what it asks for, up to a third of the screen (at least its 4 key lines).
	const rollout = Math.max(0, Math.min(rolloutWanted, Math.max(4, Math.floor(usable / 3))));
	const lists = Math.max(2 * (PANE_CHROME + 1), usable - rollout);
	if (width >= SIDE_BY_SIDE_COLUMNS) {
		const podsWidth = Math.floor((width - 1) * 0.5);
		return {header: HEADER, rollout, status: STATUS, sideBySide: true, pods: {width: podsWidth, height: lists}, events: {width: width - podsWidth - 1, height: lists}};
	}
	// Stacked: pods get the rows they need up to half, events the rest; an unused share goes to the other.
	const minPane = PANE_CHROME + 1;
	const podsNeed = PANE_CHROME + Math.max(1, podCount);
	const eventsNeed = PANE_CHROME + Math.max(1, eventCount);
	let pods = Math.min(podsNeed, Math.ceil(lists / 2));
	let events = lists - pods;
	if (events > eventsNeed) {
		// Few events: give the spare rows back to the pods.
		pods = Math.min(lists - eventsNeed, Math.max(pods, podsNeed));
		events = lists - pods;
	}
	pods = Math.max(minPane, pods);
	events = Math.max(minPane, lists - pods);
	return {header: HEADER, rollout, status: STATUS, sideBySide: false, pods: {width, height: pods}, events: {width, height: events}};
}
