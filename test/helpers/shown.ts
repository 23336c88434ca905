// What the screen shows of the pods and events panes, as rows of named cells: tests of the data layer read the
// cockpit's state through screen() (the function the App draws), so they test what a user sees.
import {screen, type Size} from '../../source/screen/screen.js';
import type {Line} from '../../source/screen/lines.js';
import type {CockpitState} from '../../source/state/store.js';

// Wide enough for every column and the long forms, still stacked (from 140 columns the panes sit side by
// side, narrower), and tall enough for every row of a test's lists.
const ROOMY: Size = {columns: 139, rows: 300};

function table(lines: readonly Line[], gutter: number): Record<string, string>[] {
	const [header, ...rows] = lines.filter((l) => l.key !== 'empty');
	if (!header) return [];
	const names = header.segments[0].text.trim().split(/ {2,}/);
	return rows.map((row) => {
		const cells = row.segments.slice(gutter).map((s) => s.text.trim());
		return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']));
	});
}

// The pods pane's rows (NAME, READY, STATUS, RESTARTS, AGE, NODE, IP, REV), in screen order.
export function podsShown(state: CockpitState, size: Size = ROOMY): Record<string, string>[] {
	const shown = screen(state, size);
	return shown.body.kind === 'deployment' ? table(shown.body.pods.lines, 1) : [];
}

// The events pane's rows (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE), oldest first.
export function eventsShown(state: CockpitState, size: Size = ROOMY): Record<string, string>[] {
	const shown = screen(state, size);
	return shown.body.kind === 'deployment' && shown.body.events ? table(shown.body.events.lines, 2) : [];
}
