import {test} from 'node:test';
import assert from 'node:assert/strict';

import {eventsPane, type EventLine} from '../../source/screen/events.js';
import {DEFAULT_THEME} from '../../source/state/ui.js';
import {lineWith} from '../app/harness.js';
import {NOW} from '../helpers/objects.js';
import {paneText} from '../helpers/paint.js';

type EventsPaneRow = EventLine;

type Options = {rows: readonly EventLine[]; selected: number; focused: boolean; width: number; height: number; now?: number};

// The events pane of the screen model, drawn; the window's first row is kept from one frame to the next, as the store keeps it.
function eventsPaneDrawer() {
	let start = 0;
	return (o: Options) => {
		const pane = eventsPane({
			theme: DEFAULT_THEME,
			line: (row) => row,
			windowStart: start,
			empty: 'No events.',
			now: o.now ?? NOW,
			...o,
		});
		start = pane.start;
		return paneText(pane);
	};
}

const drawEventsPane = (o: Options) => eventsPaneDrawer()(o);

function ev(i: number, over: Partial<EventsPaneRow> = {}): EventsPaneRow {
	return {
		key: `e${i}`,
		lastSeen: `${60 - i}s`,
		type: 'Normal',
		reason: 'ScalingReplicaSet',
		object: 'deployment/nginx',
		message: `Scaled up replica set nginx-648458674d to ${i}`,
		count: 1,
		...over,
	};
}

test('the events pane shows age, type, reason, object and message, with repeats counted', () => {
	const rows = [
		ev(1),
		ev(2, {
			type: 'Warning',
			reason: 'FailedKillPod',
			object: 'pod/nginx-6888c79454-dhhts',
			message: 'error killing pod: failed to "KillContainer"',
		}),
		ev(3, {
			reason: 'Pulled',
			object: 'pod/nginx-648458674d-kfgb4',
			message: 'Container image "nginx:1.20.1" already present on machine',
			lastSeen: '5s (x3 over 2m)',
			count: 3,
		}),
	];
	const frame = drawEventsPane({rows, selected: -1, focused: false, width: 120, height: 6});
	assert.match(lineWith(frame, 'MESSAGE') ?? '', /LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
	assert.match(lineWith(frame, 'FailedKillPod') ?? '', /58s\s+Warning\s+FailedKillPod\s+pod\/nginx-6888c79454-dhhts\s+error killing pod/);
	assert.match(lineWith(frame, 'Pulled') ?? '', /5s \(x3 over 2m\)\s+Normal\s+Pulled/);
	assert.match(frame, /Events 3/);
});

test('the events pane follows the newest events and keeps a selected one in view', () => {
	const rows = Array.from({length: 50}, (_, i) => ev(i + 1));
	const draw = eventsPaneDrawer();
	let frame = draw({rows, selected: -1, focused: true, width: 120, height: 6});
	assert.match(frame, /to 50\s*$/m);
	assert.match(frame, /to 47\s*$/m);
	assert.doesNotMatch(frame, /to 46\s*$/m);
	// A new event arrives: the tail moves with it.
	frame = draw({rows: [...rows, ev(51)], selected: -1, focused: true, width: 120, height: 6});
	assert.match(frame, /to 51\s*$/m);
	assert.doesNotMatch(frame, /to 47\s*$/m);
	// With a row selected the window stays around it, whatever arrives.
	frame = draw({rows: [...rows, ev(51), ev(52)], selected: 9, focused: true, width: 120, height: 6});
	assert.match(lineWith(frame, 'to 10') ?? '', /^›/);
	assert.doesNotMatch(frame, /to 52\s*$/m);
});

test('at 80 columns the events pane keeps reason and whole messages, with short ages and warnings marked', () => {
	const now = NOW;
	const rows = [
		ev(1, {object: 'replicaset/nginx-6888c79454', message: 'Scaled down replica set nginx-6888c79454 to 0', lastMs: now - 7000}),
		ev(2, {
			type: 'Warning',
			reason: 'BackOff',
			object: 'pod/nginx-648458674d-v4lwp',
			message: 'Back-off restarting failed container',
			lastSeen: '5s (x3 over 2m)',
			count: 3,
			lastMs: now - 5000,
		}),
	];
	const frame = drawEventsPane({rows, selected: -1, focused: false, width: 80, height: 4, now});
	for (const line of frame.split('\n')) assert.ok(line.length <= 80, `line too long: ${JSON.stringify(line)}`);
	assert.match(lineWith(frame, 'Scaled down') ?? '', /^ {2}7s\s+ScalingReplicaSet\s+Scaled down replica set nginx-6888c79454 to 0$/);
	// Without a TYPE column, a warning is still marked, and its count is kept in the short form.
	assert.match(lineWith(frame, 'BackOff') ?? '', /^ !5s x3\s+BackOff\s+Back-off restarting failed container$/);
});

test('between 100 and 120 columns the object keeps its distinguishing tail', () => {
	const rows = [ev(1, {reason: 'Killing', object: 'pod/nginx-6888c79454-g24tx', message: 'Stopping container nginx'})];
	assert.match(
		lineWith(drawEventsPane({rows, selected: -1, focused: false, width: 100, height: 4}), 'Killing') ?? '',
		/Normal\s+Killing\s+…888c79454-g24tx\s+Stopping container nginx/,
	);
});

test('at 100 columns a whole ScalingReplicaSet message beats the TYPE column (warnings keep their mark)', () => {
	const rows = [
		ev(1, {object: 'deployment/nginx', message: 'Scaled down replica set nginx-f467dbd74 to 2 from 3'}),
		ev(2, {
			type: 'Warning',
			reason: 'BackOff',
			object: 'pod/nginx-648458674d-v4lwp',
			message: 'Back-off restarting failed container nginx in pod',
		}),
	];
	const frame = drawEventsPane({rows, selected: -1, focused: false, width: 100, height: 4});
	assert.doesNotMatch(lineWith(frame, 'MESSAGE') ?? '', /TYPE/);
	assert.match(frame, /deployment\/nginx\s+Scaled down replica set nginx-f467dbd74 to 2 from 3$/m);
	assert.match(lineWith(frame, 'BackOff') ?? '', /^ !/);
});
