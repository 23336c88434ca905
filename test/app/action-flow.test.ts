// The action keys without a terminal: the line editor of the prompts, the flow reducer, and which key
// does what at a confirmation, in the history overlay and on the main screen.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {editLine, type EditKey} from '../../source/app/TextPrompt.js';
import {
	actionFlowReducer,
	historyIndex,
	initialActionFlow,
	type ActionFlowState,
	type FlowAction,
	type HistoryFlow,
} from '../../source/app/use-action-flow.js';
import {commandForKey, flowCommandForKey, type FlowKeyContext} from '../../source/app/keymap.js';
import {initialNavigation} from '../../source/app/use-navigation.js';
import {fitNotes} from '../../source/app/HelpOverlay.js';
import type {ActionPlan} from '../../source/kube/actions/types.js';

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

const PLAN = {
	intent: {action: 'restart'},
	namespace: 'default',
	name: 'nginx',
	command: 'rollout restart deployment/nginx',
	changes: ['nginx: restart every pod'],
	request: {
		method: 'PATCH',
		path: '/x',
		contentType: 'application/strategic-merge-patch+json',
		body: {},
		verbOnResource: 'patch deployments.apps',
	},
	done: 'restarted',
} as ActionPlan;

function run(actions: FlowAction[], state: ActionFlowState = initialActionFlow()): ActionFlowState {
	return actions.reduce(actionFlowReducer, state);
}

test('image prompts go container by container, keeping the answers; Esc closes without a plan', () => {
	const targets = [
		{name: 'warmup', image: 'busybox:1.36', init: true},
		{name: 'nginx', image: 'nginx:1.20.1', init: false},
	];
	let state = run([{type: 'promptImages', targets}]);
	assert.deepEqual(state.flow, {step: 'image', targets, at: 0, images: {}});
	state = run([{type: 'promptError', message: 'bad'}], state);
	assert.equal(state.flow.step === 'image' && state.flow.error, 'bad');
	state = run([{type: 'imageEntered', image: 'busybox:1.37'}], state);
	assert.deepEqual(state.flow, {step: 'image', targets, at: 1, images: {warmup: 'busybox:1.37'}, error: undefined});
	assert.deepEqual(run([{type: 'back'}], state).flow, {step: 'idle'});
	// No containers: no prompt.
	assert.deepEqual(run([{type: 'promptImages', targets: []}]).flow, {step: 'idle'});
});

test('the history selection follows revisions, defaults to the current (last) one and stops at the ends', () => {
	const revisions = [1, 2, 5];
	let state = run([{type: 'openHistory'}]);
	const at = () => historyIndex(state.flow as HistoryFlow, revisions);
	assert.equal(at(), 2);
	state = run([{type: 'historyMove', delta: -1, revisions}], state);
	assert.equal((state.flow as HistoryFlow).revision, 2);
	state = run([{type: 'historyMove', delta: -5, revisions}], state);
	assert.equal((state.flow as HistoryFlow).revision, 1);
	state = run([{type: 'historyMoveTo', where: 'last', revisions}], state);
	assert.equal((state.flow as HistoryFlow).revision, 5);
	// A selected revision that disappears falls back to the current one.
	assert.equal(historyIndex({step: 'history', view: 'list', scroll: 0, revision: 4}, revisions), 2);
	// Enter, scrolling within bounds, Esc back to the list, Esc closes.
	state = run(
		[
			{type: 'historyMove', delta: -1, revisions},
			{type: 'historyShow', view: 'template'},
			{type: 'scroll', delta: 10, max: 4},
		],
		state,
	);
	assert.deepEqual(state.flow, {step: 'history', view: 'template', revision: 2, scroll: 4});
	state = run([{type: 'scroll', delta: -10, max: 4}], state);
	assert.equal((state.flow as HistoryFlow).scroll, 0);
	state = run([{type: 'back'}], state);
	assert.deepEqual(state.flow, {step: 'history', view: 'list', revision: 2, scroll: 0});
	assert.deepEqual(run([{type: 'back'}], state).flow, {step: 'idle'});
});

test('a confirmation from the history goes back to it on cancel; y (sent) closes everything and marks the plan in flight', () => {
	const history: HistoryFlow = {step: 'history', view: 'list', revision: 1, scroll: 0};
	let state = run([{type: 'confirm', plan: PLAN}], {flow: history});
	assert.deepEqual(state.flow, {step: 'confirm', plan: PLAN, back: history});
	assert.deepEqual(run([{type: 'back'}], state).flow, history);
	state = run([{type: 'sent', plan: PLAN}], state);
	assert.deepEqual(state, {flow: {step: 'idle'}, sending: PLAN});
	assert.deepEqual(run([{type: 'settled'}], state), {flow: {step: 'idle'}, sending: undefined});
	// From the main screen, a cancel closes.
	assert.deepEqual(run([{type: 'confirm', plan: PLAN}, {type: 'back'}]).flow, {step: 'idle'});
});

const CONTEXT: FlowKeyContext = {revisions: [1, 2, 3], pageSize: 5, scrollMax: 7};

test('at a confirmation only a plain y applies; n, Esc, Enter, q and everything else cancel; Ctrl-C quits', () => {
	const flow = {step: 'confirm' as const, plan: PLAN};
	assert.deepEqual(flowCommandForKey('y', {}, flow, CONTEXT), {type: 'apply'});
	for (const [input, key] of [
		['n', {}],
		['', {escape: true, meta: true}],
		['\r', {return: true}],
		['q', {}],
		['Y', {shift: true}],
		[' ', {}],
		['y', {meta: true}],
	] as const) {
		assert.deepEqual(flowCommandForKey(input, key, flow, CONTEXT), {type: 'cancel'}, JSON.stringify([input, key]));
	}
	assert.deepEqual(flowCommandForKey('c', {ctrl: true}, flow, CONTEXT), {type: 'quit'});
});

test('history keys: moves in the list, scrolls in a revision, Enter/d/u/Esc/h, and nothing else gets through', () => {
	const list: HistoryFlow = {step: 'history', view: 'list', scroll: 0};
	const text: HistoryFlow = {step: 'history', view: 'diff', scroll: 0};
	const revisions = CONTEXT.revisions;
	assert.deepEqual(flowCommandForKey('j', {}, list, CONTEXT), {type: 'flow', action: {type: 'historyMove', delta: 1, revisions}});
	assert.deepEqual(flowCommandForKey('', {upArrow: true}, list, CONTEXT), {
		type: 'flow',
		action: {type: 'historyMove', delta: -1, revisions},
	});
	assert.deepEqual(flowCommandForKey('', {pageDown: true}, list, CONTEXT), {
		type: 'flow',
		action: {type: 'historyMove', delta: 5, revisions},
	});
	assert.deepEqual(flowCommandForKey('', {home: true}, list, CONTEXT), {
		type: 'flow',
		action: {type: 'historyMoveTo', where: 'first', revisions},
	});
	assert.deepEqual(flowCommandForKey('j', {}, text, CONTEXT), {type: 'flow', action: {type: 'scroll', delta: 1, max: 7}});
	assert.deepEqual(flowCommandForKey('f', {ctrl: true}, text, CONTEXT), {type: 'flow', action: {type: 'scroll', delta: 5, max: 7}});
	assert.deepEqual(flowCommandForKey('', {return: true}, list, CONTEXT), {type: 'flow', action: {type: 'historyShow', view: 'template'}});
	assert.deepEqual(flowCommandForKey('d', {}, list, CONTEXT), {type: 'flow', action: {type: 'historyShow', view: 'diff'}});
	assert.deepEqual(flowCommandForKey('u', {}, list, CONTEXT), {type: 'undoSelected'});
	assert.deepEqual(flowCommandForKey('', {escape: true, meta: true}, text, CONTEXT), {type: 'flow', action: {type: 'back'}});
	assert.deepEqual(flowCommandForKey('h', {}, list, CONTEXT), {type: 'flow', action: {type: 'close'}});
	assert.deepEqual(flowCommandForKey('q', {}, list, CONTEXT), {type: 'quit'});
	// The screen underneath gets nothing: r, p, Tab and g are swallowed.
	for (const [input, key] of [
		['r', {}],
		['p', {}],
		['\t', {tab: true}],
		['g', {}],
		['?', {}],
	] as const) {
		assert.deepEqual(flowCommandForKey(input, key, list, CONTEXT), {type: 'ignore'}, input);
	}
	// Idle (and text prompts, which read their own keys): the flow has no say.
	assert.equal(flowCommandForKey('y', {}, {step: 'idle'}, CONTEXT), undefined);
	assert.equal(flowCommandForKey('x', {}, {step: 'scale', current: 3}, CONTEXT), undefined);
});

test("r i s h u p start actions on the deployment view and in a pod's detail, not in the picker, not with Ctrl, not under help", () => {
	const ctx = {podNames: ['a'], eventKeys: [], deploymentNames: ['nginx'], pageSize: 5, detailMax: 0};
	const main = initialNavigation(true);
	const want = {r: 'restart', i: 'set-image', s: 'scale', h: 'history', u: 'undo', p: 'pause'};
	for (const [input, action] of Object.entries(want)) {
		assert.deepEqual(commandForKey(input, {}, main, ctx), {type: 'action', action}, input);
		assert.deepEqual(
			commandForKey(input, {}, {...main, view: 'detail', detailPod: 'a'}, ctx),
			{type: 'action', action},
			`${input} in detail`,
		);
		assert.equal(commandForKey(input, {}, initialNavigation(false), ctx), undefined, `${input} in the picker`);
		assert.equal(commandForKey(input, {ctrl: true}, main, ctx), undefined, `Ctrl-${input}`);
		assert.equal(commandForKey(input, {}, {...main, help: true}, ctx), undefined, `${input} under help`);
	}
});

test('help notes that do not fit are cut with a line saying how many are left', () => {
	const notes = ['a', 'b', 'c', 'd'];
	assert.deepEqual(fitNotes(notes, 5), notes, 'a blank line and four notes');
	assert.deepEqual(fitNotes(notes, 4), ['a', 'b', '… 2 more lines: a taller terminal shows them']);
	assert.deepEqual(fitNotes(notes, 3), ['a', '… 3 more lines: a taller terminal shows them']);
	assert.deepEqual(fitNotes(notes, 2), []);
	assert.deepEqual(fitNotes([], 0), []);
});
