// Keys to commands, as one pure function: what a key does depends only on the UI state and the
// rows on screen, so the whole keyboard is tested without a terminal.
import type {NavigationAction, NavigationState} from './use-navigation.js';
import type {Flow, FlowAction} from './use-action-flow.js';

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
	| {type: 'unpick'}
	| {type: 'action'; action: ActionKey};

// One row of the help overlay: the keys and what they do.
export type KeyHelp = {keys: string; does: string; changes?: boolean};

// The keys, in the order the help overlay lists them.
export const KEY_HELP: readonly KeyHelp[] = [
	{keys: '↑/k ↓/j', does: 'move the selection'},
	{keys: 'PgUp PgDn', does: 'move a page (also Ctrl-B / Ctrl-F)'},
	{keys: 'Home G/End', does: 'first / last row (events: follow the newest)'},
	{keys: 'Tab Shift-Tab', does: 'next / previous pane (pods, events)'},
	{keys: 'Enter', does: 'pod detail; in the picker, open the deployment'},
	{keys: 'g', does: 'was it graceful? settings that let a rollout drop requests'},
	{keys: 'r i s', does: 'restart; set image (a prompt per container); scale (a prompt)', changes: true},
	{keys: 'u p', does: 'undo to the previous revision; pause, or resume when paused', changes: true},
	{keys: 'h', does: 'history: Enter template, d diff, u undo to the selected one'},
	{keys: 'y  n/Esc', does: 'changes are shown first: y sends, any other key cancels'},
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
	// The rollout actions act on the deployment being watched, from its view or a pod's detail.
	const action = state.view === 'picker' || key.ctrl || key.meta ? undefined : actionForInput(input);
	if (action) return {type: 'action', action};
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

// The rollout actions, by the key that starts them (k9s's letters where k9s has the action).
export type ActionKey = 'restart' | 'set-image' | 'scale' | 'history' | 'undo' | 'pause';

// Each action's key, its name in messages, and whether it changes the cluster (--readonly refuses those).
export const ACTION_KEYS: Readonly<Record<ActionKey, {input: string; label: string; changes: boolean}>> = {
	restart: {input: 'r', label: 'restart', changes: true},
	'set-image': {input: 'i', label: 'set image', changes: true},
	scale: {input: 's', label: 'scale', changes: true},
	history: {input: 'h', label: 'history', changes: false},
	undo: {input: 'u', label: 'undo', changes: true},
	pause: {input: 'p', label: 'pause/resume', changes: true},
};

function actionForInput(input: string): ActionKey | undefined {
	return (Object.keys(ACTION_KEYS) as ActionKey[]).find((k) => ACTION_KEYS[k].input === input);
}

// What a key does while an action's confirmation or the history overlay is up.
export type FlowCommand =
	| {type: 'flow'; action: FlowAction}
	| {type: 'apply'}
	| {type: 'cancel'}
	| {type: 'undoSelected'}
	| {type: 'quit'}
	// A key the overlay does not use: swallowed, so it cannot act on the screen underneath.
	| {type: 'ignore'};

// What the history keys need to know: the revisions listed, a page, and how far the text scrolls.
export type FlowKeyContext = {revisions: readonly number[]; pageSize: number; scrollMax: number};

// The command for a key while the flow is not idle; undefined when the flow has no say (idle, or a
// text prompt, which reads its own keys).
export function flowCommandForKey(input: string, key: KeyInfo, flow: Flow, context: FlowKeyContext): FlowCommand | undefined {
	if (key.ctrl && input === 'c') return {type: 'quit'};
	// y/N: only a plain y sends; n, Esc and every other key cancel.
	if (flow.step === 'confirm') return input === 'y' && !key.ctrl && !key.meta ? {type: 'apply'} : {type: 'cancel'};
	if (flow.step !== 'history') return undefined;
	const f = (action: FlowAction): FlowCommand => ({type: 'flow', action});
	if (key.ctrl || key.meta) {
		if (key.escape) return f({type: 'back'});
		if (key.ctrl && input === 'f')
			return flow.view === 'list'
				? f({type: 'historyMove', delta: context.pageSize, revisions: context.revisions})
				: f({type: 'scroll', delta: context.pageSize, max: context.scrollMax});
		if (key.ctrl && input === 'b')
			return flow.view === 'list'
				? f({type: 'historyMove', delta: -context.pageSize, revisions: context.revisions})
				: f({type: 'scroll', delta: -context.pageSize, max: context.scrollMax});
		return {type: 'ignore'};
	}
	if (input === 'q') return {type: 'quit'};
	if (key.escape) return f({type: 'back'});
	if (input === 'h') return f({type: 'close'});
	if (input === 'u') return {type: 'undoSelected'};
	if (key.return) return f({type: 'historyShow', view: 'template'});
	if (input === 'd') return f({type: 'historyShow', view: 'diff'});
	const page = Math.max(1, context.pageSize);
	if (flow.view === 'list') {
		const move = (delta: number) => f({type: 'historyMove', delta, revisions: context.revisions});
		if (key.downArrow || input === 'j') return move(1);
		if (key.upArrow || input === 'k') return move(-1);
		if (key.pageDown) return move(page);
		if (key.pageUp) return move(-page);
		if (key.home) return f({type: 'historyMoveTo', where: 'first', revisions: context.revisions});
		if (key.end || input === 'G') return f({type: 'historyMoveTo', where: 'last', revisions: context.revisions});
		return {type: 'ignore'};
	}
	const scroll = (delta: number) => f({type: 'scroll', delta, max: context.scrollMax});
	if (key.downArrow || input === 'j') return scroll(1);
	if (key.upArrow || input === 'k') return scroll(-1);
	if (key.pageDown) return scroll(page);
	if (key.pageUp) return scroll(-page);
	if (key.home) return scroll(-context.scrollMax);
	if (key.end || input === 'G') return scroll(context.scrollMax);
	return {type: 'ignore'};
}
