// The cockpit's interaction state, kept in the one store beside the cluster cache: which views are stacked,
// what covers them, what the bar under the panes asks, where each list's selection and window are, what is
// being sent and the last message. Keys change it through commands (source/commands/); the screen reads it.
import type {ActionPlan} from '../kube/actions/types.js';
import type {ImageTarget} from '../kube/actions/set-image.js';

// The panes Tab cycles through on the deployment view, in screen order.
export const PANES = ['pods', 'events'] as const;
export type Pane = (typeof PANES)[number];

// A selection that follows an object by name, so that rows coming and going do not move the cursor onto
// another pod; the index is kept to land near the old place when the named row disappears. In the events
// pane index -1 means "follow the newest".
export type Selection = {name?: string; index: number};

// What one revision of the history shows: the list, the revision's pod template, or its diff against the current one.
export type HistoryShow = 'list' | 'template' | 'diff';

// Whose log a log view follows: one pod's container (its previous instance with `previous`), or every pod of
// the deployment (`L`), new ones picked up as the rollout creates them.
export type LogTarget = {kind: 'pod'; pod: string; container?: string; previous?: boolean} | {kind: 'deployment'; name: string};

// Where a paused log view's bottom line is: the entry's time and arrival number (LogEntry at and seq).
export type LogAnchor = {at: number; seq: number};

// A screen of its own. The bottom of the stack is the picker or the deployment; Esc pops the rest.
export type View =
	| {kind: 'picker'}
	| {kind: 'deployment'}
	// One pod up close; scroll is its first line shown.
	| {kind: 'pod'; pod: string; scroll: number}
	// The rollout history; revision undefined = the current one; scroll is the first line of a revision's text.
	| {kind: 'history'; revision?: number; show: HistoryShow; scroll: number}
	// A log view: following the newest lines, or paused at `anchor` (scrolled back); `filter` as typed after `/`.
	| {kind: 'logs'; target: LogTarget; anchor?: LogAnchor; filter?: string}
	// The rollout's timeline (`t`).
	| {kind: 'timeline'};

// Something drawn over the views until it is closed; it takes the keys meanwhile. The help opened over the
// graceful check goes back to it when closed.
export type Overlay = {kind: 'help'; over?: {kind: 'graceful'}} | {kind: 'graceful'};

// The bar under the panes: a prompt that edits a line, or the y/N question before a change is sent.
export type Bar =
	// One prompt per container, init containers first; images holds the answers so far.
	| {kind: 'image'; targets: readonly ImageTarget[]; at: number; images: Readonly<Record<string, string>>; value: string; error?: string}
	| {kind: 'scale'; current: number; value: string; error?: string}
	// `:` and a command (`deploy NAME`, `ns NAME`, `ctx NAME`); note: what Tab found last (the candidates, or why none).
	| {kind: 'command'; value: string; error?: string; note?: string}
	// `/` and the filter being typed; it applies as it is typed, and Esc puts back the one before.
	| {kind: 'filter'; value: string; error?: string}
	| {kind: 'confirm'; plan: ActionPlan};

// The bars that edit a line of text.
export type PromptBar = Exclude<Bar, {kind: 'confirm'}>;

// The pods pane's sort columns (k9s style: Shift and the column's letter), and which way.
export type PodSortColumn = 'name' | 'age' | 'status' | 'restarts' | 'revision';
export type PodSort = {column: PodSortColumn; reverse: boolean};

export type Tone = 'info' | 'error' | 'success';

// A line for the status line: an action's result, a refusal, a note from the program.
export type Message = {text: string; tone: Tone};

// How the cockpit may draw: colours (off under NO_COLOR) and Unicode (off on terminals that would garble it).
export type Theme = {color: boolean; unicode: boolean};

// Fixed for a session: what the cockpit was started with.
export type Session = {
	/** --readonly: the keys that change the cluster say so and send nothing. */
	readonly: boolean;
	/** Whether a runner can send changes (false in a harness without one, and under --readonly). */
	canSend: boolean;
	/** Extra lines for the help (the demo's kubectl commands). */
	notes: readonly string[];
	theme: Theme;
};

export type UiState = {
	// Never empty; the last one is on screen.
	views: readonly View[];
	overlay?: Overlay;
	bar?: Bar;
	focus: Pane;
	selection: {pods: Selection; events: Selection; picker: Selection};
	// The first row each list window shows: windows move only as far as the selection needs.
	windows: {pods: number; events: number; picker: number; history: number};
	// The plan between y and the runner's answer; while it is set, changing keys say busy.
	sending?: ActionPlan;
	// The `/` filter over the pods, the events and the deployment list ('' or undefined: none).
	filter?: string;
	// The pods' order; undefined: newest revision first, then by name.
	sort?: PodSort;
	message?: Message;
	terminal: {columns: number; rows: number};
	session: Session;
};

// Full colour and Unicode: what tests render with unless they say otherwise.
export const DEFAULT_THEME: Theme = {color: true, unicode: true};

// Colour unless NO_COLOR is set to anything non-empty (https://no-color.org); Unicode when the locale says UTF-8.
export function themeFromEnv(env: Record<string, string | undefined>): Theme {
	const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
	const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
	// TERM=linux (the console) has no box-drawing glyphs in most fonts; dumb terminals have nothing.
	const term = env.TERM ?? '';
	const unicode = /utf-?8/i.test(locale) && term !== 'linux' && term !== 'dumb';
	return {color: !noColor, unicode};
}

// The first UI state: the picker when no deployment was named, else the deployment view.
export function initialUi(hasDeployment: boolean, session: Partial<Session> = {}, terminal = {columns: 80, rows: 24}): UiState {
	return {
		views: [hasDeployment ? {kind: 'deployment'} : {kind: 'picker'}],
		focus: 'pods',
		selection: {pods: {index: 0}, events: {index: -1}, picker: {index: 0}},
		windows: {pods: 0, events: 0, picker: 0, history: 0},
		terminal,
		session: {readonly: false, canSend: false, notes: [], theme: DEFAULT_THEME, ...session},
	};
}

// The key of what a log view reads: the log ring belongs to one target at a time.
export function logTargetKey(target: LogTarget): string {
	return target.kind === 'deployment'
		? `deployment/${target.name}`
		: `pod/${target.pod}/${target.container ?? ''}${target.previous ? '/previous' : ''}`;
}

// The log target on screen (the top view is a log view), or undefined.
export function shownLogTarget(ui: UiState): LogTarget | undefined {
	const view = topView(ui);
	return view.kind === 'logs' ? view.target : undefined;
}

// The view on screen.
export function topView(ui: UiState): View {
	return ui.views[ui.views.length - 1];
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

// The selection moved by `delta` rows, stopping at the ends; from "nothing selected" (the events pane
// following its tail) up starts at the end.
export function moveSelection(selection: Selection, delta: number, names: readonly string[]): Selection {
	if (names.length === 0) return {index: 0};
	const current = selectedIndex(selection, names);
	const from = current < 0 ? names.length : current;
	const index = Math.max(0, Math.min(names.length - 1, from + delta));
	return {name: names[index], index};
}

// The selection on the first or the last row.
export function selectionAt(where: 'first' | 'last', names: readonly string[]): Selection {
	if (names.length === 0) return {index: 0};
	const index = where === 'first' ? 0 : names.length - 1;
	return {name: names[index], index};
}
