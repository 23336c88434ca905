// screen(state, size) as a pure function, table-driven over states: which body is drawn, the status line's one
// priority rule and its hints, the bar's rows, and the frame fitting the terminal.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {applyKey} from '../../source/commands/commands.js';
import {screen, type Screen} from '../../source/screen/screen.js';
import type {CockpitState} from '../../source/state/store.js';
import {reduceUi, type UiAction} from '../../source/state/ui-reducer.js';
import {rolloutStore} from '../app/fixtures.js';
import {actionStore} from '../app/action-fixtures.js';

const SIZE = {columns: 120, rows: 40};

// The state after UI actions (as keys would dispatch them).
function withUi(state: CockpitState, ...actions: UiAction[]): CockpitState {
	return {...state, ui: actions.reduce(reduceUi, state.ui)};
}

function keys(state: CockpitState, ...inputs: (string | [string, Record<string, boolean>])[]): CockpitState {
	for (const k of inputs) state = typeof k === 'string' ? applyKey(state, k).state : applyKey(state, k[0], k[1]).state;
	return state;
}

const main = () => rolloutStore('nginx', {terminal: SIZE}).getState();
const title = (s: Screen) =>
	s.body.kind === 'pane' ? (s.body.pane.title?.segments[0].text ?? s.body.pane.lines[0]?.segments[0].text) : s.body.kind;

test('the body: the deployment panes, the picker, a pod, the history or a revision, an overlay, or why nothing fits', () => {
	const ghost = rolloutStore('ghost');
	const cases: [string, CockpitState, {columns: number; rows: number}, RegExp | string][] = [
		['the deployment', main(), SIZE, 'deployment'],
		['the picker', rolloutStore(null).getState(), SIZE, /^› Deployments in default \(2\)/],
		['a pod', keys(main(), ['\r', {return: true}]), SIZE, /^› Pod nginx-648458674d-gldmc/],
		['help', keys(main(), '?'), SIZE, /^Keys$/],
		['the graceful check', keys(main(), 'g'), SIZE, /^Was it graceful\? deployment nginx$/],
		['the history', keys(actionStore({}).getState(), 'h'), SIZE, /^› History deployment\/nginx \(2 revisions\)/],
		['a revision', keys(actionStore({}).getState(), 'h', ['\r', {return: true}]), SIZE, /^› deployment\.apps\/nginx with revision #2/],
		['a deployment not there yet', ghost.getState(), SIZE, 'deployment'],
		['too small', main(), {columns: 39, rows: 20}, 'message'],
	];
	for (const [name, state, size, want] of cases) {
		const shown = screen(state, size);
		if (typeof want === 'string') assert.equal(title(shown), want, name);
		else assert.match(title(shown) ?? '', want, name);
	}
	const small = screen(main(), {columns: 39, rows: 20});
	assert.equal(small.body.kind === 'message' && small.body.text, 'The terminal is 39x20; the cockpit needs at least 40x11.');
	const wide = screen(main(), {columns: 160, rows: 40});
	assert.equal(wide.body.kind === 'deployment' && wide.body.arrangement, 'side-by-side');
});

test("the status line's one rule: a problem with what is shown, else the last message, else the selected event, else what is awaited", () => {
	const notFound = 'deployment "ghost" not found in namespace "default" (waiting for it to appear; Esc lists the deployments)';
	const message = {type: 'message' as const, message: {text: 'deployment.apps/nginx restarted', tone: 'success' as const}};
	const selectedEvent = (s: CockpitState) => keys(s, ['\t', {tab: true}], 'k');
	const unsynced = rolloutStore('nginx');
	unsynced.reset('pods');
	unsynced.flush();
	const listing = rolloutStore('nginx');
	listing.reset('deployments');
	listing.flush();
	const cases: [string, CockpitState, string, string | undefined][] = [
		['nothing to say', main(), '', undefined],
		['not found', rolloutStore('ghost').getState(), notFound, 'red'],
		['not found beats a message', withUi(rolloutStore('ghost').getState(), message), notFound, 'red'],
		['a message', withUi(main(), message), 'deployment.apps/nginx restarted', 'green'],
		['a message beats the selected event', withUi(selectedEvent(main()), message), 'deployment.apps/nginx restarted', 'green'],
		[
			'the selected event, in full',
			selectedEvent(main()),
			'pod/nginx-648458674d-v4lwp: Back-off restarting failed container nginx in pod',
			'red',
		],
		['waiting for the pods', unsynced.getState(), 'listing pods and replica sets…', 'cyan'],
		['waiting for the deployments', listing.getState(), 'listing deployments…', 'cyan'],
		['the picker says what it waits for', rolloutStore(null).getState(), '', undefined],
	];
	for (const [name, state, text, color] of cases) {
		const {status} = screen(state, SIZE);
		assert.deepEqual([status.text, status.color], [text, color], name);
	}
	// Without colour an error says so in words.
	const plain = rolloutStore('ghost', {session: {theme: {color: false, unicode: false}}}).getState();
	assert.equal(screen(plain, SIZE).status.text, `error: ${notFound}`);
});

test('the hint follows what the keys do here, and gives way to a long message', () => {
	const cases: [string, CockpitState, string][] = [
		['deployment', main(), 'Tab pane  Enter detail  ? help  q quit'],
		['picker', rolloutStore(null).getState(), 'Enter open  ? help  q quit'],
		['pod', keys(main(), ['\r', {return: true}]), 'Esc back  l logs  ? help  q quit'],
		['logs', keys(main(), 'L'), 'Esc back  / filter  ↑ scroll back  ? help'],
		["a pod's logs, scrolled back", keys(main(), 'l', ['', {upArrow: true}]), 'Esc back  / filter  ↑ scroll back  p previous  ? help'],
		['the timeline', keys(main(), 't'), 'Esc back  T save SVG  ? help  q quit'],
		['history', keys(actionStore({}).getState(), 'h'), 'Enter template  d diff  Esc close'],
		['revision', keys(actionStore({}).getState(), 'h', 'd'), 'Enter template  d diff  Esc list'],
		['confirmation', keys(actionStore({}).getState(), 'r'), 'y apply  n cancel'],
		['a message that needs the room', withUi(main(), {type: 'message', message: {text: 'x'.repeat(100), tone: 'info'}}), '? help'],
	];
	for (const [name, state, hint] of cases) assert.equal(screen(state, SIZE).status.hint, hint, name);
});

test('the bar takes its rows from the panes above it; the frame never grows past the terminal', () => {
	const size = {columns: 80, rows: 24};
	for (const [name, state, barRows] of [
		['no bar', actionStore({}).getState(), 0],
		['scale prompt', keys(actionStore({}).getState(), 's'), 3],
		['prompt with an error', keys(actionStore({}).getState(), 's', ['u', {ctrl: true}], 'x', ['\r', {return: true}]), 4],
		['confirmation', keys(actionStore({}).getState(), 'r'), 4],
	] as const) {
		const shown = screen(state, size);
		assert.equal(shown.bar?.height ?? 0, barRows, name);
		assert.equal(2 + shown.bodyHeight + barRows + 1, shown.height, `${name}: header, body, bar and status fill the frame`);
		assert.equal(shown.height, 23, 'one row spare under the frame');
	}
});

test('the same state and size give the same screen object (so a frame that changed nothing draws nothing new)', () => {
	const state = main();
	assert.equal(screen(state, SIZE), screen(state, {...SIZE}));
	assert.notEqual(screen(state, SIZE), screen(state, {columns: 100, rows: 30}));
});
