// The keyboard as a pure function: (state, key) -> (state, effects), over real store states (the half-way rollout
// of test/app/fixtures.ts and the action fixtures' history) at a real terminal size, without a terminal.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {applyKey, editLine, type Effect, type EditKey} from '../../source/commands/commands.js';
import type {KeyInfo} from '../../source/commands/keys.js';
import {screen} from '../../source/screen/screen.js';
import {fitNotes} from '../../source/screen/help.js';
import type {CockpitState} from '../../source/state/store.js';
import {selectedIndex, topView} from '../../source/state/ui.js';
import {NEW_RS, OLD_RS, rolloutStore} from '../app/fixtures.js';
import {actionStore} from '../app/action-fixtures.js';

type Key = string | [string, KeyInfo];

const K = {
	up: ['', {upArrow: true}],
	down: ['', {downArrow: true}],
	pageUp: ['', {pageUp: true}],
	pageDown: ['', {pageDown: true}],
	home: ['', {home: true}],
	end: ['', {end: true}],
	enter: ['\r', {return: true}],
	escape: ['', {escape: true, meta: true}],
	tab: ['\t', {tab: true}],
	shiftTab: ['', {tab: true, shift: true}],
	ctrlC: ['c', {ctrl: true}],
	ctrlF: ['f', {ctrl: true}],
	backspace: ['', {backspace: true}],
	ctrlU: ['u', {ctrl: true}],
} satisfies Record<string, Key>;

// Presses keys in order, as the store applies them; returns the state and every effect asked for.
function press(state: CockpitState, ...keys: Key[]): {state: CockpitState; effects: Effect[]} {
	const effects: Effect[] = [];
	for (const k of keys) {
		const [input, key] = typeof k === 'string' ? [k, {}] : k;
		const next = applyKey(state, input, key);
		state = next.state;
		effects.push(...next.effects);
	}
	return {state, effects};
}

const SIZE = {columns: 120, rows: 40};
const main = (size = SIZE) => rolloutStore('nginx', {terminal: size}).getState();
const picker = (size = SIZE) => rolloutStore(null, {terminal: size}).getState();
const PODS = [`${NEW_RS}-gldmc`, `${NEW_RS}-kfgb4`, `${NEW_RS}-v4lwp`, `${OLD_RS}-dhhts`, `${OLD_RS}-g24tx`];

// The selected row's name in a list (the pods' names are the fixture's, in their order, even under an overlay).
function selected(state: CockpitState, list: 'pods' | 'events' | 'picker'): string | undefined {
	const names = list === 'pods' ? PODS : (screen(state, state.ui.terminal).nav[list]?.names ?? []);
	const at = selectedIndex(state.ui.selection[list], names);
	return at < 0 ? undefined : names[at];
}

test('moves: j/k and the arrows, page keys by the rows in view, Home and G/End, stopping at the ends', () => {
	// 80x17: the pods pane shows 2 of the 5 pods (the rollout panel has a row for the crash-looping pod's
	// diagnosis), so a page is 1 row (the page less one row kept in view).
	const small = {columns: 80, rows: 17};
	assert.equal(screen(main(small), small).nav.pods?.rows, 2);
	const table: [string, CockpitState, Key[], string][] = [
		['j twice', main(), ['j', 'j'], PODS[2]],
		['down arrow', main(), [K.down], PODS[1]],
		['past the end', main(), ['j', 'j', 'j', 'j', 'j', 'j'], PODS[4]],
		['k from the top', main(), ['k', K.up], PODS[0]],
		['G, then End', main(), ['G'], PODS[4]],
		['Home after G', main(), ['G', K.home], PODS[0]],
		['page down at 120x40 (all rows in view)', main(), [K.pageDown], PODS[4]],
		['page down at 80x17', main(small), [K.pageDown, K.pageDown], PODS[2]],
		['Ctrl-F is page down', main(small), [K.ctrlF], PODS[1]],
		['page up', main(small), ['G', K.pageUp], PODS[3]],
	];
	for (const [name, state, keys, want] of table) assert.equal(selected(press(state, ...keys).state, 'pods'), want, name);
	// The window follows the selection: the last pod in view at 80x17.
	const end = press(main(small), 'G').state;
	assert.equal(screen(end, small).nav.pods?.start, 3);
});

test('Tab and Shift-Tab move the focus; in the events pane up leaves "follow the newest", G goes back to it', () => {
	let {state} = press(main(), K.tab);
	assert.equal(state.ui.focus, 'events');
	assert.equal(selected(state, 'events'), undefined, 'following the newest');
	({state} = press(state, 'k'));
	const keys = screen(state, SIZE).nav.events?.names ?? [];
	assert.equal(selected(state, 'events'), keys[4], 'up selects the newest');
	({state} = press(state, 'k'));
	assert.equal(selected(state, 'events'), keys[3]);
	assert.equal(selected(state, 'pods'), PODS[0], 'the pods keep their selection');
	({state} = press(state, 'G'));
	assert.equal(selected(state, 'events'), undefined);
	assert.equal(press(state, K.shiftTab).state.ui.focus, 'pods');
	assert.equal(press(state, K.tab).state.ui.focus, 'pods', 'Tab wraps around');
});

test('Enter opens the selected pod, j/k and page keys scroll its detail within bounds, Esc comes back to the same pod', () => {
	// 80x14: the crash-looping pod's detail is longer than the rows it gets.
	const size = {columns: 80, rows: 14};
	let {state} = press(main(size), 'j', 'j', K.enter);
	assert.deepEqual(topView(state.ui), {kind: 'pod', pod: PODS[2], scroll: 0});
	const max = screen(state, size).nav.text?.max ?? 0;
	assert.ok(max > 2, `the detail scrolls (${max} lines)`);
	({state} = press(state, 'j', 'j', 'k'));
	assert.equal((topView(state.ui) as {scroll: number}).scroll, 1);
	({state} = press(state, K.pageDown, K.pageDown, K.pageDown));
	assert.equal((topView(state.ui) as {scroll: number}).scroll, max, 'stops at the last line');
	({state} = press(state, K.escape));
	assert.deepEqual(topView(state.ui), {kind: 'deployment'});
	assert.equal(selected(state, 'pods'), PODS[2]);
});

test('Enter opens nothing on the events pane, nor with no pods', () => {
	assert.deepEqual(press(main(), K.tab, 'k', K.enter).state.ui.views, [{kind: 'deployment'}]);
	const empty = rolloutStore('nginx', {terminal: SIZE});
	empty.sync('pods', []);
	empty.flush();
	assert.deepEqual(press(empty.getState(), K.enter).state.ui.views, [{kind: 'deployment'}]);
});

test('overlays take the keys: ? and g open, swallow moves and Enter, and Esc (or their own key) closes them', () => {
	let {state} = press(main(), 'j', '?');
	assert.deepEqual(state.ui.overlay, {kind: 'help', over: undefined});
	({state} = press(state, 'j', K.tab, K.enter, 'r'));
	assert.equal(selected(state, 'pods'), PODS[1]);
	assert.equal(state.ui.focus, 'pods');
	assert.equal(state.ui.bar, undefined);
	assert.deepEqual(state.ui.views, [{kind: 'deployment'}]);
	assert.equal(press(state, K.escape).state.ui.overlay, undefined);
	assert.equal(press(state, '?').state.ui.overlay, undefined);
	({state} = press(main(), 'g', 'j', K.enter));
	assert.deepEqual([state.ui.overlay, selected(state, 'pods')], [{kind: 'graceful'}, PODS[0]]);
	assert.deepEqual(press(state, K.escape).state.ui.views, [{kind: 'deployment'}], 'Esc closed the check, not the deployment');
	assert.equal(press(state, 'g').state.ui.overlay, undefined);
	// Help opens over the check, and Esc closes the help first.
	assert.deepEqual(press(state, '?', K.escape).state.ui.overlay, {kind: 'graceful'});
	// From the picker and the pod detail too.
	assert.deepEqual(press(picker(), 'g').state.ui.overlay, {kind: 'graceful'});
	const detail = press(main(), K.enter, 'g', K.escape).state;
	assert.deepEqual([topView(detail.ui).kind, detail.ui.overlay], ['pod', undefined]);
});

test('q and Ctrl-C quit from every view (help, picker, detail, history, a confirmation); Ctrl-C even from a prompt', () => {
	const actions = actionStore({}).getState();
	const starts: [string, CockpitState][] = [
		['deployment', main()],
		['picker', picker()],
		['help', press(main(), '?').state],
		['detail', press(main(), K.enter).state],
		['history', press(actions, 'h').state],
		['revision', press(actions, 'h', K.enter).state],
	];
	for (const [name, state] of starts) {
		assert.deepEqual(press(state, 'q').effects, [{type: 'quit'}], `q in ${name}`);
		assert.deepEqual(press(state, K.ctrlC).effects, [{type: 'quit'}], `Ctrl-C in ${name}`);
	}
	const prompt = press(actions, 's').state;
	assert.deepEqual(press(prompt, 'q').effects, [], 'q is text in a prompt');
	assert.deepEqual(press(prompt, K.ctrlC).effects, [{type: 'quit'}]);
	assert.deepEqual(press(press(actions, 'r').state, K.ctrlC).effects, [{type: 'quit'}]);
});

test('the picker: j moves over deployments, Enter picks one; Esc on the deployment goes back to the picker', () => {
	const {state, effects} = press(picker(), 'j', K.enter);
	assert.equal(selected(state, 'picker'), 'nginx');
	assert.deepEqual(effects, [{type: 'scope', deployment: 'nginx'}]);
	assert.deepEqual(press(main(), K.escape).effects, [{type: 'scope', deployment: undefined}]);
	const none = rolloutStore(null, {terminal: SIZE});
	none.sync('deployments', []);
	none.flush();
	assert.deepEqual(press(none.getState(), K.enter).effects, [], 'no deployments: Enter picks nothing');
});

test('r i s h u p start on the deployment view and in a pod detail; not in the picker, not with Ctrl, not under help', () => {
	const state = actionStore({}).getState();
	const detail = actionStore({}).getState();
	const opened = (s: CockpitState) => [s.ui.bar?.kind, topView(s.ui).kind];
	const want: Record<string, [string | undefined, string]> = {
		r: ['confirm', 'deployment'],
		i: ['image', 'deployment'],
		s: ['scale', 'deployment'],
		h: [undefined, 'history'],
		u: ['confirm', 'deployment'],
		p: ['confirm', 'deployment'],
	};
	for (const [input, [bar, view]] of Object.entries(want)) {
		assert.deepEqual(opened(press(state, input).state), [bar, view], input);
		assert.deepEqual(opened(press(detail, input).state), [bar, view], `${input} in a detail`);
		assert.deepEqual(opened(press(state, [input, {ctrl: true}]).state), [undefined, 'deployment'], `Ctrl-${input}`);
		assert.deepEqual(press(state, '?', input).state.ui.bar, undefined, `${input} under help`);
		assert.deepEqual(opened(press(picker(), input).state), [undefined, 'picker'], `${input} in the picker`);
	}
});

test('a changing key is checked once: read-only, then no runner, then nothing loaded, then busy', () => {
	const plan = press(actionStore({}).getState(), 'r').state.ui.bar;
	assert.equal(plan?.kind, 'confirm');
	const sending = {...actionStore({}).getState()};
	sending.ui = {...sending.ui, sending: plan?.kind === 'confirm' ? plan.plan : undefined};
	const noRunner = actionStore({}).getState();
	noRunner.ui = {...noRunner.ui, session: {...noRunner.ui.session, canSend: false}};
	const unloaded = rolloutStore('ghost', {session: {canSend: true}}).getState();
	const table: [string, CockpitState, string, string][] = [
		['read-only', actionStore({readonly: true}).getState(), 'p', 'read-only: p (pause/resume) is disabled (started with --readonly)'],
		['no runner', noRunner, 'i', 'i (set image) is not available here'],
		['not loaded', unloaded, 's', 'no deployment to scale: it is not loaded (yet)'],
		['not loaded: history', unloaded, 'h', 'no deployment to show the history of: it is not loaded (yet)'],
		['busy', sending, 'u', 'busy: rollout restart deployment/nginx is still being sent; u (undo) was not sent, wait for it to finish'],
	];
	for (const [name, state, input, message] of table) {
		const after = press(state, input).state;
		assert.deepEqual(after.ui.message, {text: message, tone: 'error'}, name);
		assert.equal(after.ui.bar, undefined, name);
	}
	// History is no change: it opens under --readonly, where its u is refused.
	const readonly = press(actionStore({readonly: true}).getState(), 'h', 'k', 'u').state;
	assert.equal(topView(readonly.ui).kind, 'history');
	assert.equal(readonly.ui.message?.text, 'read-only: u (undo) is disabled (started with --readonly)');
});

test('at a confirmation only a plain y sends; n, Esc, Enter, q, Y, space and Alt-y cancel, naming what was not sent', () => {
	const confirm = press(actionStore({}).getState(), 'r').state;
	const y = press(confirm, 'y');
	assert.equal(y.state.ui.bar, undefined);
	assert.equal(y.state.ui.sending?.command, 'rollout restart deployment/nginx');
	assert.deepEqual(y.state.ui.message, {text: 'sending: rollout restart deployment/nginx…', tone: 'info'});
	assert.deepEqual(
		y.effects.map((e) => e.type),
		['apply'],
	);
	for (const key of ['n', K.escape, K.enter, 'q', ['Y', {shift: true}], ' ', ['y', {meta: true}]] as Key[]) {
		const {state, effects} = press(confirm, key);
		assert.deepEqual(effects, [], JSON.stringify(key));
		assert.equal(state.ui.bar, undefined, JSON.stringify(key));
		assert.deepEqual(state.ui.message, {text: 'cancelled: rollout restart deployment/nginx was not sent', tone: 'info'});
	}
});

test('the history: the current revision first selected, moves stop at the ends, Enter and d show a revision, Esc steps back', () => {
	let {state} = press(actionStore({}).getState(), 'h');
	const revisionOf = (s: CockpitState) => {
		const view = topView(s.ui);
		return view.kind === 'history' ? view : undefined;
	};
	assert.deepEqual(revisionOf(state), {kind: 'history', show: 'list', scroll: 0});
	({state} = press(state, 'k'));
	assert.equal(revisionOf(state)?.revision, 1);
	({state} = press(state, 'k', K.home));
	assert.equal(revisionOf(state)?.revision, 1);
	({state} = press(state, 'G'));
	assert.equal(revisionOf(state)?.revision, 2);
	({state} = press(state, 'k', K.enter));
	assert.deepEqual(revisionOf(state), {kind: 'history', show: 'template', revision: 1, scroll: 0});
	const max = screen(state, state.ui.terminal).nav.text?.max ?? 0;
	({state} = press(state, 'G'));
	assert.equal(revisionOf(state)?.scroll, max);
	({state} = press(state, 'j'));
	assert.equal(revisionOf(state)?.scroll, max, 'no further than the last line');
	({state} = press(state, 'd'));
	assert.deepEqual(revisionOf(state), {kind: 'history', show: 'diff', revision: 1, scroll: 0});
	({state} = press(state, K.escape));
	assert.deepEqual(revisionOf(state), {kind: 'history', show: 'list', revision: 1, scroll: 0});
	assert.deepEqual(press(state, K.escape).state.ui.views, [{kind: 'deployment'}]);
	assert.deepEqual(press(state, 'h').state.ui.views, [{kind: 'deployment'}], 'h closes it too');
	// Keys of the screen underneath are swallowed.
	for (const key of ['r', 'p', K.tab, 'g', '?'] as Key[]) {
		const after = press(state, key).state;
		assert.deepEqual(
			[after.ui.views.length, after.ui.bar, after.ui.overlay, after.ui.focus],
			[2, undefined, undefined, 'pods'],
			JSON.stringify(key),
		);
	}
});

test('u in the history confirms an undo to the selected revision; n goes back to the history, y sends and closes it', () => {
	const {state} = press(actionStore({}).getState(), 'h', 'k', 'u');
	const bar = state.ui.bar;
	assert.equal(bar?.kind === 'confirm' && bar.plan.command, 'rollout undo deployment/nginx --to-revision=1');
	assert.equal(topView(state.ui).kind, 'history', 'the history stays behind the question');
	assert.equal(topView(press(state, 'n').state.ui).kind, 'history');
	const sent = press(state, 'y');
	assert.deepEqual(sent.state.ui.views, [{kind: 'deployment'}]);
	assert.equal(sent.effects[0]?.type === 'apply' && sent.effects[0].plan.intent.action, 'undo');
	// On the current revision, kubectl's "skipped rollback".
	const current = press(actionStore({}).getState(), 'h', 'u').state;
	assert.deepEqual(current.ui.message, {text: 'skipped rollback (current template already matches revision 2)', tone: 'info'});
});

test('image prompts go container by container, prefilled; a bad reference stays in the prompt; Esc cancels with nothing sent', () => {
	let {state} = press(actionStore({init: 'busybox:1.36'}).getState(), 'i');
	const bar = () => (state.ui.bar?.kind === 'image' ? state.ui.bar : undefined);
	assert.deepEqual([bar()?.at, bar()?.value], [0, 'busybox:1.36']);
	({state} = press(state, K.ctrlU, 'busybox:1.37', K.enter));
	assert.deepEqual([bar()?.at, bar()?.value, bar()?.images], [1, 'nginx:1.20.1', {warmup: 'busybox:1.37'}]);
	({state} = press(state, K.backspace, K.backspace, ':latest', K.enter));
	assert.match(bar()?.error ?? '', /^nginx: invalid tag "1\.20:latest"/);
	assert.equal(bar()?.at, 1, 'still in the prompt to fix it');
	const cancelled = press(state, K.escape).state;
	assert.deepEqual([cancelled.ui.bar, cancelled.ui.message], [undefined, {text: 'cancelled: nothing was sent', tone: 'info'}]);
	({state} = press(state, K.ctrlU, 'nginx:1.18', K.enter));
	const confirm = state.ui.bar;
	assert.equal(confirm?.kind === 'confirm' && confirm.plan.command, 'set image deployment/nginx warmup=busybox:1.37 nginx=nginx:1.18');
	// Nothing changed: nothing to confirm.
	const same = press(actionStore({}).getState(), 'i', K.enter).state;
	assert.deepEqual(same.ui.message, {text: 'set image: every image is as it was; nothing to change, nothing was sent', tone: 'info'});
});

test('editLine: typing, pasting, Backspace, Ctrl-U, Enter and Esc', () => {
	const cases: [string, string, EditKey, ReturnType<typeof editLine>][] = [
		['nginx:1.1', '8', {}, {type: 'edit', value: 'nginx:1.18'}],
		['', 'nginx:1.20.1', {}, {type: 'edit', value: 'nginx:1.20.1'}], // a paste arrives whole
		['nginx:1.18', '', {delete: true}, {type: 'edit', value: 'nginx:1.1'}], // what a terminal's Backspace (DEL) becomes
		['nginx:1.18', '', {backspace: true}, {type: 'edit', value: 'nginx:1.1'}],
		['', '', {backspace: true}, {type: 'edit', value: ''}],
		['nginx:1.18', 'u', {ctrl: true}, {type: 'edit', value: ''}],
		['nginx:1.18', 'a', {ctrl: true}, {type: 'edit', value: 'nginx:1.18'}], // other control keys change nothing
		['nginx:1.18', '', {leftArrow: true}, {type: 'edit', value: 'nginx:1.18'}],
		['nginx:1.18', '\t', {tab: true}, {type: 'edit', value: 'nginx:1.18'}],
		['nginx', 'a\u0007b', {}, {type: 'edit', value: 'nginxab'}], // control characters inside a paste are dropped
		['nginx:1.18', '\r', {return: true}, {type: 'submit', value: 'nginx:1.18'}],
		['nginx:1.18', '', {escape: true}, {type: 'cancel'}],
	];
	for (const [value, input, key, want] of cases)
		assert.deepEqual(editLine(value, input, key), want, `${JSON.stringify(value)} + ${JSON.stringify(input)} ${JSON.stringify(key)}`);
});

test('the selection follows a pod by name when rows come and go', () => {
	const selection = {name: 'b', index: 1};
	assert.equal(selectedIndex(selection, ['a', 'b', 'c']), 1);
	// A pod sorted before it appears: still on "b".
	assert.equal(selectedIndex(selection, ['0', 'a', 'b', 'c']), 2);
	// "b" is deleted: the cursor stays at its place rather than jumping to the top.
	assert.equal(selectedIndex(selection, ['a', 'c', 'd']), 1);
	assert.equal(selectedIndex(selection, []), -1);
});

test('help notes that do not fit are cut with a line saying how many are left', () => {
	const notes = ['a', 'b', 'c', 'd'];
	assert.deepEqual(fitNotes(notes, 5), notes, 'a blank line and four notes');
	assert.deepEqual(fitNotes(notes, 4), ['a', 'b', '… 2 more lines: a taller terminal shows them']);
	assert.deepEqual(fitNotes(notes, 3), ['a', '… 3 more lines: a taller terminal shows them']);
	assert.deepEqual(fitNotes(notes, 2), []);
	assert.deepEqual(fitNotes([], 0), []);
});
