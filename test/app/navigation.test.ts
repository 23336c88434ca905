import {test} from 'node:test';
import assert from 'node:assert/strict';
import {initialNavigation, navigationReducer, selectedIndex, type NavigationState} from '../../source/app/use-navigation.js';
import {commandForKey, type KeyContext, type KeyInfo} from '../../source/app/keymap.js';

const CONTEXT: KeyContext = {
	podNames: ['a', 'b', 'c', 'd'],
	eventKeys: ['e1', 'e2', 'e3'],
	deploymentNames: ['api', 'nginx'],
	pageSize: 3,
	detailMax: 10,
};

// Applies keys as App does: map each to a command, apply navigation commands, return the state and the other commands.
function run(keys: Array<[string, KeyInfo?]>, state: NavigationState = initialNavigation(true), context = CONTEXT) {
	const others: string[] = [];
	for (const [input, key] of keys) {
		const command = commandForKey(input, key ?? {}, state, context);
		if (!command) continue;
		if (command.type === 'nav') state = navigationReducer(state, command.action);
		else others.push(command.type === 'pick' ? `pick:${command.name}` : command.type);
	}
	return {state, others};
}

test('j/k and the arrows move the pod selection and stop at the ends', () => {
	let {state} = run([['j'], ['j'], ['', {downArrow: true}]]);
	assert.equal(selectedIndex(state.pods, CONTEXT.podNames), 3);
	({state} = run([['j'], ['j']], state));
	assert.equal(selectedIndex(state.pods, CONTEXT.podNames), 3);
	({state} = run([['k'], ['', {upArrow: true}], ['k'], ['k'], ['k']], state));
	assert.equal(selectedIndex(state.pods, CONTEXT.podNames), 0);
});

test('page keys move by a page and Home/G jump to the ends', () => {
	let {state} = run([['', {pageDown: true}]]);
	assert.equal(selectedIndex(state.pods, CONTEXT.podNames), 2);
	({state} = run([['G']], state));
	assert.equal(selectedIndex(state.pods, CONTEXT.podNames), 3);
	({state} = run([['', {home: true}]], state));
	assert.equal(selectedIndex(state.pods, CONTEXT.podNames), 0);
	({state} = run([['', {end: true}]], state));
	assert.equal(selectedIndex(state.pods, CONTEXT.podNames), 3);
});

test('g opens the graceful check without moving the selection; it swallows keys until Esc or g closes it', () => {
	let {state} = run([['j'], ['g']]);
	assert.equal(state.graceful, true);
	assert.equal(selectedIndex(state.pods, CONTEXT.podNames), 1);
	// Moves and Enter do nothing behind the overlay.
	({state} = run([['j'], ['', {return: true}], ['', {tab: true}]], state));
	assert.equal(state.graceful, true);
	assert.equal(state.view, 'main');
	assert.equal(state.focus, 'pods');
	assert.equal(selectedIndex(state.pods, CONTEXT.podNames), 1);
	({state} = run([['', {escape: true}]], state));
	assert.equal(state.graceful, false);
	assert.equal(state.view, 'main', 'Esc closed the check, not the deployment');
	({state} = run([['g'], ['g']], state));
	assert.equal(state.graceful, false);
	// Help opens over it and Esc closes the help first.
	({state} = run([['g'], ['?'], ['', {escape: true}]], state));
	assert.deepEqual([state.help, state.graceful], [false, true]);
	// From the picker and the pod detail too.
	assert.equal(run([['g']], initialNavigation(false)).state.graceful, true);
	const detail = run([['', {return: true}], ['g'], ['', {escape: true}]]).state;
	assert.deepEqual([detail.view, detail.graceful], ['detail', false]);
});

test('the selection follows the pod by name when rows come and go', () => {
	const {state} = run([['j']]);
	assert.equal(selectedIndex(state.pods, ['a', 'b', 'c']), 1);
	// A pod sorted before it appears: still on "b".
	assert.equal(selectedIndex(state.pods, ['0', 'a', 'b', 'c']), 2);
	// "b" is deleted: the cursor stays at its place rather than jumping to the top.
	assert.equal(selectedIndex(state.pods, ['a', 'c', 'd']), 1);
	assert.equal(selectedIndex(state.pods, []), -1);
});

test('Tab and Shift-Tab move focus between the panes, and moves apply to the focused pane', () => {
	let {state} = run([['', {tab: true}]]);
	assert.equal(state.focus, 'events');
	// The events pane follows the tail until moved; up selects the newest event.
	assert.equal(selectedIndex(state.events, CONTEXT.eventKeys), -1);
	({state} = run([['k']], state));
	assert.equal(selectedIndex(state.events, CONTEXT.eventKeys), 2);
	({state} = run([['k']], state));
	assert.equal(selectedIndex(state.events, CONTEXT.eventKeys), 1);
	assert.equal(selectedIndex(state.pods, CONTEXT.podNames), 0);
	// G goes back to following the newest events.
	({state} = run([['G']], state));
	assert.equal(selectedIndex(state.events, CONTEXT.eventKeys), -1);
	({state} = run([['', {tab: true, shift: true}]], state));
	assert.equal(state.focus, 'pods');
	({state} = run(
		[
			['', {tab: true}],
			['', {tab: true}],
		],
		state,
	));
	assert.equal(state.focus, 'pods');
});

test('Enter opens the selected pod, Esc goes back, and j/k scroll the detail within bounds', () => {
	let {state} = run([['j'], ['j'], ['', {return: true}]]);
	assert.equal(state.view, 'detail');
	assert.equal(state.detailPod, 'c');
	({state} = run([['j'], ['j'], ['k']], state));
	assert.equal(state.detailScroll, 1);
	({state} = run(
		[
			['', {pageDown: true}],
			['', {pageDown: true}],
			['', {pageDown: true}],
			['', {pageDown: true}],
		],
		state,
	));
	assert.equal(state.detailScroll, 10);
	({state} = run([['', {escape: true}]], state));
	assert.equal(state.view, 'main');
	assert.equal(state.detailPod, undefined);
	assert.equal(selectedIndex(state.pods, CONTEXT.podNames), 2);
});

test('Enter does nothing on the events pane or with no pods', () => {
	let {state} = run([
		['', {tab: true}],
		['', {return: true}],
	]);
	assert.equal(state.view, 'main');
	({state} = run([['', {return: true}]], initialNavigation(true), {...CONTEXT, podNames: []}));
	assert.equal(state.view, 'main');
});

test('? opens the help, which swallows other keys until Esc or ? closes it', () => {
	let {state} = run([['?']]);
	assert.equal(state.help, true);
	({state} = run([['j'], ['', {tab: true}], ['', {return: true}]], state));
	assert.equal(state.help, true);
	assert.equal(state.focus, 'pods');
	assert.equal(state.view, 'main');
	assert.equal(selectedIndex(state.pods, CONTEXT.podNames), 0);
	({state} = run([['', {escape: true}]], state));
	assert.equal(state.help, false);
	assert.equal(state.view, 'main');
	({state} = run([['?'], ['?']], state));
	assert.equal(state.help, false);
});

test('q and Ctrl-C quit from every view, the help included', () => {
	for (const start of [
		initialNavigation(true),
		initialNavigation(false),
		{...initialNavigation(true), help: true},
		{...initialNavigation(true), view: 'detail' as const, detailPod: 'a'},
	]) {
		assert.deepEqual(run([['q']], start).others, ['quit']);
		assert.deepEqual(run([['c', {ctrl: true}]], start).others, ['quit']);
	}
});

test('the picker moves over deployments, Enter picks one, Esc on the main view goes back to it', () => {
	let {state, others} = run([['j'], ['', {return: true}]], initialNavigation(false));
	assert.equal(state.view, 'picker');
	assert.deepEqual(others, ['pick:nginx']);
	state = navigationReducer(state, {type: 'picked'});
	assert.equal(state.view, 'main');
	({state, others} = run([['', {escape: true}]], state));
	assert.deepEqual(others, ['unpick']);
	// No deployments yet: Enter picks nothing.
	assert.deepEqual(run([['', {return: true}]], initialNavigation(false), {...CONTEXT, deploymentNames: []}).others, []);
});
