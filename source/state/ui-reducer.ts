// Every transition of the UI state, as one pure reducer: commands (source/commands/) turn keys into these
// actions, and the store applies them. Nothing here knows about keys, the screen or the API.
import type {ActionPlan} from '../kube/actions/types.js';
import {topView, type Bar, type Message, type Overlay, type Pane, type PodSort, type Selection, type UiState, type View} from './ui.js';

// The lists whose selection and window the UI keeps.
export type ListName = 'pods' | 'events' | 'picker' | 'history';

export type UiAction =
	| {type: 'resize'; columns: number; rows: number}
	| {type: 'message'; message: Message | undefined}
	// A list's selection (history: the revision lives on its view), and the window that keeps it in view.
	| {type: 'select'; list: Exclude<ListName, 'history'>; selection: Selection; window: number}
	| {type: 'window'; list: ListName; start: number}
	| {type: 'focus'; pane: Pane}
	| {type: 'push'; view: View}
	| {type: 'pop'}
	// Replaces the view on top (a pod's scroll, the history's revision and what it shows).
	| {type: 'top'; view: View}
	| {type: 'overlay'; overlay: Overlay | undefined}
	| {type: 'bar'; bar: Bar | undefined}
	// y at the confirmation: the bar and a history behind it close, the plan is in flight.
	| {type: 'send'; plan: ActionPlan}
	// The runner's answer.
	| {type: 'settled'; message: Message}
	// Another deployment (or none: the picker) was chosen: its views start fresh.
	| {type: 'pick'; name: string | undefined}
	// The `/` filter applied (undefined or '': none); the lists start at their top.
	| {type: 'filter'; filter: string | undefined}
	| {type: 'sort'; sort: PodSort | undefined}
	// Another namespace or context: the store drops every object; the deployment list of the new scope opens, with the
	// deployment watched until now under the cursor (if it is there too).
	| {type: 'switch'; context: string; server: string; namespace: string; deployment?: string; message: Message};

// The reducer.
export function reduceUi(ui: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'resize':
			return ui.terminal.columns === action.columns && ui.terminal.rows === action.rows
				? ui
				: {...ui, terminal: {columns: action.columns, rows: action.rows}};
		case 'message':
			return {...ui, message: action.message};
		case 'select':
			return {
				...ui,
				selection: {...ui.selection, [action.list]: action.selection},
				windows: {...ui.windows, [action.list]: action.window},
			};
		case 'window':
			return ui.windows[action.list] === action.start ? ui : {...ui, windows: {...ui.windows, [action.list]: action.start}};
		case 'focus':
			return ui.focus === action.pane ? ui : {...ui, focus: action.pane};
		case 'push':
			return {...ui, views: [...ui.views, action.view]};
		case 'pop':
			return ui.views.length > 1 ? {...ui, views: ui.views.slice(0, -1)} : ui;
		case 'top':
			return {...ui, views: [...ui.views.slice(0, -1), action.view]};
		case 'overlay':
			return ui.overlay === action.overlay ? ui : {...ui, overlay: action.overlay};
		case 'bar':
			return ui.bar === action.bar ? ui : {...ui, bar: action.bar};
		case 'send': {
			// After y the rollout is in view: a history the confirmation came from closes too.
			const views = topView(ui).kind === 'history' ? ui.views.slice(0, -1) : ui.views;
			return {...ui, views, bar: undefined, sending: action.plan, message: {text: `sending: ${action.plan.command}…`, tone: 'info'}};
		}
		case 'settled':
			return {...ui, sending: undefined, message: action.message};
		case 'pick':
			return {
				...ui,
				views: [action.name === undefined ? {kind: 'picker'} : {kind: 'deployment'}],
				overlay: undefined,
				bar: undefined,
				focus: 'pods',
				filter: undefined,
				selection: {...ui.selection, pods: {index: 0}, events: {index: -1}},
				windows: {...ui.windows, pods: 0, events: 0, history: 0},
			};
		case 'filter': {
			const filter = action.filter || undefined;
			// A log view has its own filter: the lines of the view on top, not the pods and events under it.
			const view = topView(ui);
			if (view.kind === 'logs')
				return filter === view.filter ? ui : {...ui, views: [...ui.views.slice(0, -1), {...view, filter, anchor: undefined}]};
			if (filter === ui.filter) return ui;
			return {...ui, filter, windows: {...ui.windows, pods: 0, events: 0, picker: 0}};
		}
		case 'sort':
			return {...ui, sort: action.sort, windows: {...ui.windows, pods: 0}};
		case 'switch':
			return {
				...ui,
				views: [{kind: 'picker'}],
				overlay: undefined,
				bar: undefined,
				focus: 'pods',
				filter: undefined,
				message: action.message,
				selection: {pods: {index: 0}, events: {index: -1}, picker: {name: action.deployment, index: 0}},
				windows: {pods: 0, events: 0, picker: 0, history: 0},
			};
	}
}
