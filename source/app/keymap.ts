// Keys to commands, as one pure function: what a key does depends only on the UI state and the
// rows on screen, so the whole keyboard is tested without a terminal.
import type {NavigationAction, NavigationState} from './use-navigation.js';

// The subset of Ink's Key that the cockpit reads (structural, so tests can build it by hand).
export type KeyInfo = {
	upArrow?: boolean;
	downArrow?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
	home?: boolean;
	end?: boolean;
	return?: boolean;
	escape?: boolean;
	tab?: boolean;
	shift?: boolean;
	ctrl?: boolean;
	meta?: boolean;
};

// What the rows on screen are, so a move can name the row it lands on.
export type KeyContext = {
	podNames: readonly string[];
	eventKeys: readonly string[];
	deploymentNames: readonly string[];
	// Rows a page key moves (the focused pane's visible height).
	pageSize: number;
	// Lines the detail view can scroll down at most.
	detailMax: number;
};

// A command for App: a navigation step, quitting, or picking a deployment.
export type KeyCommand =
	| {type: 'nav'; action: NavigationAction}
	| {type: 'quit'}
	| {type: 'pick'; name: string}
	| {type: 'unpick'};

// One row of the help overlay: the keys and what they do.
export type KeyHelp = {keys: string; does: string};

// The keys, in the order the help overlay lists them.
export const KEY_HELP: readonly KeyHelp[] = [
	{keys: '↑/k ↓/j', does: 'move the selection'},
	{keys: 'PgUp PgDn', does: 'move a page (also Ctrl-B / Ctrl-F)'},
	{keys: 'Home G/End', does: 'first / last row (events: follow the newest)'},
	{keys: 'Tab Shift-Tab', does: 'next / previous pane (pods, events)'},
	{keys: 'Enter', does: 'pod detail; in the picker, open the deployment'},
	{keys: 'g', does: 'was it graceful? what in the deployment lets a rollout drop requests'},
	{keys: 'Esc', does: 'back: close help, leave detail, pick another deployment'},
	{keys: '?', does: 'this help'},
	{keys: 'q Ctrl-C', does: 'quit'},
];

function listFor(state: NavigationState, context: KeyContext): readonly string[] {
	if (state.view === 'picker') return context.deploymentNames;
	return state.focus === 'pods' ? context.podNames : context.eventKeys;
}

// The command for one key press, or undefined when the key means nothing here.
export function commandForKey(input: string, key: KeyInfo, state: NavigationState, context: KeyContext): KeyCommand | undefined {
	const nav = (action: NavigationAction): KeyCommand => ({type: 'nav', action});
	if (input === 'q' && !key.ctrl && !key.meta) return {type: 'quit'};
	if (key.ctrl && input === 'c') return {type: 'quit'};
	if (input === '?') return nav({type: 'toggleHelp'});
	if (state.help) {
		// The overlay hides everything else: only closing it (or quitting) does something.
		return key.escape ? nav({type: 'closeHelp'}) : undefined;
	}
	if (state.graceful) {
		// Like help: the check covers the screen until Esc or g closes it.
		return key.escape || input === 'g' ? nav({type: 'closeGraceful'}) : undefined;
	}
	if (input === 'g' && !key.ctrl && !key.meta) return nav({type: 'toggleGraceful'});
	if (key.escape) return state.view === 'main' ? {type: 'unpick'} : nav({type: 'back'});
	if (state.view === 'detail') {
		const page = Math.max(1, context.pageSize);
		if (key.downArrow || input === 'j') return nav({type: 'scrollDetail', delta: 1, max: context.detailMax});
		if (key.upArrow || input === 'k') return nav({type: 'scrollDetail', delta: -1, max: context.detailMax});
		if (key.pageDown || (key.ctrl && input === 'f')) return nav({type: 'scrollDetail', delta: page, max: context.detailMax});
		if (key.pageUp || (key.ctrl && input === 'b')) return nav({type: 'scrollDetail', delta: -page, max: context.detailMax});
		return undefined;
	}
	if (key.tab) return nav({type: 'nextPane', direction: key.shift ? -1 : 1});
	const names = listFor(state, context);
	const page = Math.max(1, context.pageSize - 1);
	if (key.downArrow || input === 'j') return nav({type: 'move', delta: 1, names});
	if (key.upArrow || input === 'k') return nav({type: 'move', delta: -1, names});
	if (key.pageDown || (key.ctrl && input === 'f')) return nav({type: 'move', delta: page, names});
	if (key.pageUp || (key.ctrl && input === 'b')) return nav({type: 'move', delta: -page, names});
	if (key.home) return nav({type: 'moveTo', where: 'first', names});
	if (key.end || input === 'G') return nav({type: 'moveTo', where: 'last', names});
	if (key.return) {
		if (state.view === 'picker') {
			const name = pickedName(state, context);
			return name === undefined ? undefined : {type: 'pick', name};
		}
		return nav({type: 'open', names: context.podNames});
	}
	return undefined;
}

function pickedName(state: NavigationState, context: KeyContext): string | undefined {
	const names = context.deploymentNames;
	if (names.length === 0) return undefined;
	if (state.picker.name !== undefined && names.includes(state.picker.name)) return state.picker.name;
	return names[Math.max(0, Math.min(state.picker.index, names.length - 1))];
}
