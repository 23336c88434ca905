// UI state of the cockpit (view, focused pane, selections, overlay) as a typed reducer, so that key
// handling is a pure function tested without a terminal, and components only show and dispatch.
import {useReducer} from 'react';

// The panes Tab cycles through on the main view, in screen order.
export const PANES = ['pods', 'events'] as const;
export type Pane = (typeof PANES)[number];

// Which screen is up: the deployment picker, the split view, or one pod's detail.
export type View = 'picker' | 'main' | 'detail';

// A selection that follows an object by name, so that rows coming and going do not move the cursor
// onto another pod; the index is kept to land near the old place when the named row disappears.
export type Selection = {name?: string; index: number};

export type NavigationState = {
	view: View;
	focus: Pane;
	help: boolean;
	// The `g` overlay: the graceful-rollout check of the selected deployment.
	graceful: boolean;
	pods: Selection;
	events: Selection;
	picker: Selection;
	// The pod shown in the detail view.
	detailPod?: string;
	// First line of the detail view (it scrolls when longer than the screen).
	detailScroll: number;
};

// What a key asks for, already mapped from raw input by keymap.ts.
export type NavigationAction =
	| {type: 'move'; delta: number; names: readonly string[]}
	| {type: 'moveTo'; where: 'first' | 'last'; names: readonly string[]}
	| {type: 'nextPane'; direction: 1 | -1}
	| {type: 'focus'; pane: Pane}
	| {type: 'open'; names: readonly string[]}
	| {type: 'back'}
	| {type: 'toggleHelp'}
	| {type: 'closeHelp'}
	| {type: 'toggleGraceful'}
	| {type: 'closeGraceful'}
	| {type: 'scrollDetail'; delta: number; max: number}
	| {type: 'showPicker'}
	| {type: 'picked'};

// The first state: the picker when no deployment was named on the command line, else the split view.
export function initialNavigation(hasDeployment: boolean): NavigationState {
	return {
		view: hasDeployment ? 'main' : 'picker',
		focus: 'pods',
		help: false,
		graceful: false,
		pods: {index: 0},
		events: {index: -1},
		picker: {index: 0},
		detailScroll: 0,
	};
}

// Where a selection currently is in a list: by name when still present, else the old index clamped.
export function selectedIndex(selection: Selection, names: readonly string[]): number {
	if (names.length === 0) return -1;
	if (selection.name !== undefined) {
		const at = names.indexOf(selection.name);
		if (at >= 0) return at;
	}
	if (selection.index < 0) return -1;
	return Math.min(selection.index, names.length - 1);
}

function moveSelection(selection: Selection, delta: number, names: readonly string[]): Selection {
	if (names.length === 0) return {index: 0};
	const current = selectedIndex(selection, names);
	// From "nothing selected" (the events pane following its tail), up starts at the end.
	const from = current < 0 ? names.length : current;
	const index = Math.max(0, Math.min(names.length - 1, from + delta));
	return {name: names[index], index};
}

function moveSelectionTo(where: 'first' | 'last', names: readonly string[]): Selection {
	if (names.length === 0) return {index: 0};
	const index = where === 'first' ? 0 : names.length - 1;
	return {name: names[index], index};
}

function withSelection(state: NavigationState, selection: Selection): NavigationState {
	if (state.view === 'picker') return {...state, picker: selection};
	return state.focus === 'pods' ? {...state, pods: selection} : {...state, events: selection};
}

function currentSelection(state: NavigationState): Selection {
	if (state.view === 'picker') return state.picker;
	return state.focus === 'pods' ? state.pods : state.events;
}

// The reducer: every transition of the UI state, pure.
export function navigationReducer(state: NavigationState, action: NavigationAction): NavigationState {
	switch (action.type) {
		case 'move':
			if (state.view === 'detail') return state;
			return withSelection(state, moveSelection(currentSelection(state), action.delta, action.names));
		case 'moveTo':
			if (state.view === 'detail') return state;
			// The last event means "follow the newest", as `kubectl get events -w` does.
			if (state.view === 'main' && state.focus === 'events' && action.where === 'last') return {...state, events: {index: -1}};
			return withSelection(state, moveSelectionTo(action.where, action.names));
		case 'nextPane': {
			if (state.view !== 'main') return state;
			const at = PANES.indexOf(state.focus);
			const next = PANES[(at + action.direction + PANES.length) % PANES.length];
			return {...state, focus: next};
		}
		case 'focus':
			return state.view === 'main' ? {...state, focus: action.pane} : state;
		case 'open': {
			if (state.view === 'main' && state.focus === 'pods') {
				const at = selectedIndex(state.pods, action.names);
				if (at < 0) return state;
				return {...state, view: 'detail', detailPod: action.names[at], detailScroll: 0};
			}
			return state;
		}
		case 'back':
			if (state.help) return {...state, help: false};
			if (state.view === 'detail') return {...state, view: 'main', detailPod: undefined, detailScroll: 0};
			return state;
		case 'toggleHelp':
			return {...state, help: !state.help};
		case 'closeHelp':
			return state.help ? {...state, help: false} : state;
		case 'toggleGraceful':
			return {...state, graceful: !state.graceful};
		case 'closeGraceful':
			return state.graceful ? {...state, graceful: false} : state;
		case 'scrollDetail': {
			if (state.view !== 'detail') return state;
			const detailScroll = Math.max(0, Math.min(action.max, state.detailScroll + action.delta));
			return detailScroll === state.detailScroll ? state : {...state, detailScroll};
		}
		case 'showPicker':
			return {...state, view: 'picker', help: false, graceful: false, detailPod: undefined, pods: {index: 0}, events: {index: -1}};
		case 'picked':
			return {...state, view: 'main', focus: 'pods', pods: {index: 0}, events: {index: -1}};
	}
}

// The navigation state and its dispatcher for a component tree.
export function useNavigation(hasDeployment: boolean) {
	return useReducer(navigationReducer, hasDeployment, initialNavigation);
}
