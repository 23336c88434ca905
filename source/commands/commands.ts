// Keys to commands to UI actions and effects, as one pure function: (state, key) -> (state, effects). A key
// is looked up in the registry for the scope it lands in (the bar, an overlay, the view on top), checked once
// for availability (read-only, no runner, nothing loaded, busy), and turned into reducer actions plus the
// effects the wiring runs: send a plan, re-scope the watches to another deployment, switch namespace or
// context, quit. The bars that read a line (prompts, `:`, `/`) take every key while they are open.
import {imageTargets} from '../kube/actions/set-image.js';
import {parseReplicas} from '../kube/actions/scale.js';
import {planAction} from '../kube/actions/plan.js';
import type {Intent, PlanContext, Planned} from '../kube/actions/types.js';
import {validateImageReference} from '../model/image-ref.js';
import {historyIndex} from '../screen/history.js';
import {sortLabel} from '../screen/pods.js';
import {screen, type ListNav, type Nav} from '../screen/screen.js';
import {selectDeployment, selectHistory, selectReplicaSets} from '../state/selectors.js';
import type {CockpitState} from '../state/store.js';
import {moveSelection, PANES, selectedIndex, selectionAt, topView, type PodSort, type PromptBar, type View} from '../state/ui.js';
import {reduceUi} from '../state/ui-reducer.js';
import {hasPreviousContainer} from '../model/pod-status.js';
import {windowStart} from '../screen/layout.js';
import type {KeyInfo} from './keys.js';
import type {Keystroke} from './keystrokes.js';
import {command, commandFor, scopeOf, SORT_COLUMNS, unavailable, type CommandId, type Scope} from './registry.js';
import {commandBarKey, filterBarKey, openCommandLine, openFilter} from './line-bars.js';
import {act, NONE, say, type Effect, type Transition} from './transition.js';
import {editLine} from './line-editor.js';

export type {Effect, Transition} from './transition.js';
export {editLine, type EditKey, type EditResult} from './line-editor.js';

// The transition for one keystroke.
export function keyTransition(state: CockpitState, input: string, key: KeyInfo): Transition {
	const interrupt = command('interrupt');
	if (interrupt.keys.some((b) => b.input === input && b.ctrl === (key.ctrl === true))) return {actions: [], effects: [{type: 'quit'}]};
	const bar = state.ui.bar;
	if (bar && bar.kind !== 'confirm') return promptKey(state, bar, input, key);
	const scope = scopeOf(state.ui);
	const found = commandFor(scope, input, key);
	if (scope === 'confirm') return found?.id === 'apply' ? apply(state) : cancel(state);
	if (!found) return NONE;
	return run(found.id, scope, state, screen(state, state.ui.terminal).nav);
}

// The transition for a keystroke or a paste (source/commands/keystrokes.ts splits terminal reads into these).
export function keystrokeTransition(state: CockpitState, keystroke: Keystroke): Transition {
	return keystroke.kind === 'paste' ? pasteTransition(state, keystroke.text) : keyTransition(state, keystroke.input, keystroke.key);
}

// A bracketed paste: text for the prompt that is open, where its line breaks and control characters are dropped
// (a newline in a paste never submits, so a paste never sends a change); anywhere else it is no command at all.
export function pasteTransition(state: CockpitState, text: string): Transition {
	const bar = state.ui.bar;
	if (bar && bar.kind !== 'confirm') {
		const value = bar.value + text.replace(/[\u0000-\u001F\u007F]/g, '');
		return value === bar.value ? NONE : act({type: 'bar', bar: {...bar, value}});
	}
	return say('pasted text is only read by a prompt (i, s, :, /): it was not taken as keys', 'info');
}

// The state after a keystroke, and the effects to run: what the store does with a key, as a pure function.
export function applyKey(state: CockpitState, input: string, key: KeyInfo = {}): {state: CockpitState; effects: Effect[]} {
	return applyTransition(state, keyTransition(state, input, key));
}

// The state after a keystroke or paste, and its effects.
export function applyKeystroke(state: CockpitState, keystroke: Keystroke): {state: CockpitState; effects: Effect[]} {
	return applyTransition(state, keystrokeTransition(state, keystroke));
}

function applyTransition(state: CockpitState, {actions, effects}: Transition): {state: CockpitState; effects: Effect[]} {
	let ui = state.ui;
	for (const action of actions) ui = reduceUi(ui, action);
	return {state: ui === state.ui ? state : {...state, ui}, effects};
}

// What one command does in one scope.
function run(id: CommandId, scope: Scope, state: CockpitState, nav: Nav): Transition {
	const {ui} = state;
	const view = topView(ui);
	switch (id) {
		case 'quit':
		case 'interrupt':
			return {actions: [], effects: [{type: 'quit'}]};
		case 'help':
			if (ui.overlay?.kind === 'help') return act({type: 'overlay', overlay: ui.overlay.over});
			return act({type: 'overlay', overlay: {kind: 'help', over: ui.overlay?.kind === 'graceful' ? ui.overlay : undefined}});
		case 'graceful':
			if (ui.overlay?.kind === 'graceful') return act({type: 'overlay', overlay: undefined});
			// Opened: the budgets are read afresh (a drain's protection is checked as it is now).
			return {...act({type: 'overlay', overlay: {kind: 'graceful'}}), effects: [{type: 'budgets'}]};
		case 'back':
			if (scope === 'help' && ui.overlay?.kind === 'help') return act({type: 'overlay', overlay: ui.overlay.over});
			// A filter in force is the first thing Esc takes away.
			if ((scope === 'deployment' || scope === 'picker') && ui.filter)
				return act({type: 'filter', filter: undefined}, {type: 'message', message: {text: 'filter cleared', tone: 'info'}});
			if (scope === 'logs' && view.kind === 'logs' && view.filter)
				return act({type: 'filter', filter: undefined}, {type: 'message', message: {text: 'log filter cleared', tone: 'info'}});
			if (scope === 'graceful') return act({type: 'overlay', overlay: undefined});
			if (scope === 'revision' && view.kind === 'history') return act({type: 'top', view: {...view, show: 'list', scroll: 0}});
			if (scope === 'deployment') return {actions: [], effects: [{type: 'scope', deployment: undefined}]};
			return scope === 'picker' ? NONE : act({type: 'pop'});
		case 'up':
		case 'down':
		case 'pageUp':
		case 'pageDown':
		case 'first':
		case 'last':
			return move(id, scope, state, nav);
		case 'nextPane':
		case 'prevPane': {
			const at = PANES.indexOf(ui.focus);
			return act({type: 'focus', pane: PANES[(at + (id === 'nextPane' ? 1 : -1) + PANES.length) % PANES.length]});
		}
		case 'open':
			return open(scope, state, nav);
		case 'diff':
			return view.kind === 'history' ? act({type: 'top', view: {...view, show: 'diff', scroll: 0}}) : NONE;
		case 'history':
			if (scope === 'history' || scope === 'revision') return act({type: 'pop'});
			return available('history', state) ?? act({type: 'push', view: {kind: 'history', show: 'list', scroll: 0}});
		case 'undo':
			if (scope === 'history' || scope === 'revision') {
				const refused = available('undo', state);
				if (refused) return refused;
				const revisions = selectHistory(state).map((r) => r.revision);
				const revision = view.kind === 'history' ? revisions[historyIndex(view.revision, revisions)] : undefined;
				if (revision === undefined) return say('no revision is selected', 'error');
				return review(planIntent(state, {action: 'undo', toRevision: revision}));
			}
			return available('undo', state) ?? review(planIntent(state, {action: 'undo', toRevision: 0}));
		case 'restart':
			return available('restart', state) ?? review(planIntent(state, {action: 'restart'}));
		case 'pause':
			return available('pause', state) ?? review(planIntent(state, {action: selectDeployment(state)?.spec?.paused ? 'resume' : 'pause'}));
		case 'scale': {
			const refused = available('scale', state);
			if (refused) return refused;
			const current = selectDeployment(state)?.spec?.replicas ?? 1;
			return act({type: 'bar', bar: {kind: 'scale', current, value: String(current)}});
		}
		case 'set-image': {
			const refused = available('set-image', state);
			if (refused) return refused;
			const deployment = selectDeployment(state);
			const targets = imageTargets(deployment);
			if (targets.length === 0) return say(`deployment/${deployment?.metadata?.name ?? ''} has no containers`, 'error');
			return act({type: 'bar', bar: {kind: 'image', targets, at: 0, images: {}, value: targets[0].image}});
		}
		case 'command-line':
			return openCommandLine(state);
		case 'filter':
			return openFilter(state);
		case 'sort-name':
		case 'sort-age':
		case 'sort-status':
		case 'sort-restarts':
		case 'sort-revision':
			return sortBy(ui.sort, SORT_COLUMNS[id] ?? 'revision');
		case 'logs':
			return openLogs(scope, state, nav);
		case 'deployment-logs': {
			const name = state.deploymentName;
			if (name === undefined || !state.deployments.has(name))
				return say('no deployment to follow the logs of: it is not loaded (yet)', 'error');
			return act({type: 'push', view: {kind: 'logs', target: {kind: 'deployment', name}}});
		}
		case 'previous':
			return previous(state);
		case 'timeline':
			if (scope === 'timeline') return act({type: 'pop'});
			if (state.deploymentName === undefined) return say('no deployment to show the timeline of', 'error');
			return act({type: 'push', view: {kind: 'timeline'}});
		case 'timeline-svg':
			if (state.deploymentName === undefined) return say('no deployment to draw the timeline of', 'error');
			return {actions: [], effects: [{type: 'timeline-svg'}]};
		case 'apply':
		case 'cancel':
			return NONE;
	}
}

// Shift and a column's letter sorts by it; the same again reverses. The default is revision, newest first.
function sortBy(current: PodSort | undefined, column: PodSort['column']): Transition {
	const now = current ?? {column: 'revision', reverse: false};
	const next: PodSort = {column, reverse: now.column === column ? !now.reverse : false};
	const isDefault = next.column === 'revision' && !next.reverse;
	return act(
		{type: 'sort', sort: isDefault ? undefined : next},
		{type: 'message', message: {text: `pods sorted by ${sortLabel(next)}${isDefault ? ' (the default)' : ''}`, tone: 'info'}},
	);
}

// l: the log of the pod in view (its detail) or selected in the pods pane.
function openLogs(scope: Scope, state: CockpitState, nav: Nav): Transition {
	const {ui} = state;
	const view = topView(ui);
	let pod: string | undefined;
	if (scope === 'pod' && view.kind === 'pod') pod = view.pod;
	else if (ui.focus === 'pods') {
		const names = nav.pods?.names ?? [];
		const at = selectedIndex(ui.selection.pods, names);
		pod = at < 0 ? undefined : names[at];
	}
	if (pod === undefined) return say('select a pod first (Tab to the pods pane); L follows every pod of the deployment', 'info');
	return act({type: 'push', view: {kind: 'logs', target: {kind: 'pod', pod}}});
}

// p in a pod's log view: its container's previous instance (after a restart, as `kubectl logs --previous`), and back.
function previous(state: CockpitState): Transition {
	const view = topView(state.ui);
	if (view.kind !== 'logs') return NONE;
	if (view.target.kind !== 'pod') return say('p (previous container) works in the log view of one pod: l on a pod opens it', 'info');
	const target = view.target;
	if (target.previous) return act({type: 'top', view: {kind: 'logs', target: {...target, previous: false}}});
	const pod = state.pods.get(target.pod);
	const check = hasPreviousContainer(pod, target.container);
	if (!check.ok) return say(check.reason, 'info');
	return act({type: 'top', view: {kind: 'logs', target: {...target, container: check.container, previous: true}}});
}

// The refusal of a command that cannot run now, as a message; undefined when it can.
function available(id: CommandId, state: CockpitState): Transition | undefined {
	const why = unavailable(command(id), state);
	return why === undefined ? undefined : say(why, 'error');
}

// The store's copies of the deployment and its ReplicaSets: what every plan is made on.
function context(state: CockpitState): PlanContext | undefined {
	const deployment = selectDeployment(state);
	return deployment ? {deployment, replicaSets: selectReplicaSets(state), now: new Date(state.now)} : undefined;
}

// The plan of an intent, made once, on the store's copies (what the cockpit shows), as every key that changes
// the cluster makes it; the runner sends exactly this, guarded by the copy's resourceVersion.
export function planIntent(state: CockpitState, intent: Intent): Planned {
	const ctx = context(state);
	return ctx ? planAction(intent, ctx) : {ok: false, reason: 'invalid', message: 'no deployment is selected'};
}

// A plan goes to the confirmation; a refusal (bad input, kubectl's own refusals, nothing to do) to the status line.
function review(planned: Planned): Transition {
	if (planned.ok) return act({type: 'bar', bar: {kind: 'confirm', plan: planned.plan}});
	return say(planned.message, planned.reason === 'noop' ? 'info' : 'error');
}

// y at the confirmation: the plan as confirmed is sent, once; the answer comes back as a message.
function apply(state: CockpitState): Transition {
	const bar = state.ui.bar;
	if (bar?.kind !== 'confirm') return NONE;
	return {actions: [{type: 'send', plan: bar.plan}], effects: [{type: 'apply', plan: bar.plan}]};
}

// n, Esc or any other key at the confirmation; a history it came from is still underneath.
function cancel(state: CockpitState): Transition {
	const bar = state.ui.bar;
	if (bar?.kind !== 'confirm') return NONE;
	return act(
		{type: 'bar', bar: undefined},
		{type: 'message', message: {text: `cancelled: ${bar.plan.command} was not sent`, tone: 'info'}},
	);
}

// Moves in the list in view (or scrolls the text in view).
function move(id: 'up' | 'down' | 'pageUp' | 'pageDown' | 'first' | 'last', scope: Scope, state: CockpitState, nav: Nav): Transition {
	const {ui} = state;
	const view = topView(ui);
	if (scope === 'pod' || scope === 'revision') {
		const text = nav.text;
		if (!text || (view.kind !== 'pod' && view.kind !== 'history')) return NONE;
		const delta = {up: -1, down: 1, pageUp: -text.page, pageDown: text.page, first: -text.max, last: text.max}[id];
		const scroll = Math.max(0, Math.min(text.max, view.scroll + delta));
		return scroll === view.scroll ? NONE : act({type: 'top', view: {...view, scroll} as View});
	}
	if (scope === 'logs') return scrollLogs(id, state, nav);
	if (scope === 'history') {
		const list = nav.history;
		if (!list || view.kind !== 'history' || list.revisions.length === 0) return NONE;
		const at = historyIndex(view.revision, list.revisions);
		const page = Math.max(1, list.rows - 1);
		const target =
			id === 'first' ? 0 : id === 'last' ? list.revisions.length - 1 : at + {up: -1, down: 1, pageUp: -page, pageDown: page}[id];
		const index = Math.max(0, Math.min(list.revisions.length - 1, target));
		return act(
			{type: 'top', view: {...view, revision: list.revisions[index]}},
			{type: 'window', list: 'history', start: windowStart(list.start, index, list.rows, list.revisions.length)},
		);
	}
	const name = scope === 'picker' ? 'picker' : ui.focus;
	const list: ListNav | undefined = nav[name];
	if (!list) return NONE;
	const current = ui.selection[name];
	// The last event means "follow the newest", as `kubectl get events -w` does.
	if (name === 'events' && id === 'last') return act({type: 'select', list: 'events', selection: {index: -1}, window: 0});
	const page = Math.max(1, list.rows - 1);
	const selection =
		id === 'first' || id === 'last'
			? selectionAt(id, list.names)
			: moveSelection(current, {up: -1, down: 1, pageUp: -page, pageDown: page}[id], list.names);
	const index = selectedIndex(selection, list.names);
	return act({type: 'select', list: name, selection, window: windowStart(list.start, index, list.rows, list.names.length)});
}

// Scrolling a log view: back in time pauses it at the line now at the bottom; G (last) follows again.
function scrollLogs(id: 'up' | 'down' | 'pageUp' | 'pageDown' | 'first' | 'last', state: CockpitState, nav: Nav): Transition {
	const view = topView(state.ui);
	const logs = nav.logs;
	if (view.kind !== 'logs' || !logs) return NONE;
	if (id === 'last') return view.anchor === undefined ? NONE : act({type: 'top', view: {...view, anchor: undefined}});
	if (logs.length === 0) return NONE;
	const target = id === 'first' ? 0 : logs.bottom + {up: -1, down: 1, pageUp: -logs.page, pageDown: logs.page}[id];
	// Following and going down: nothing below the newest line.
	if (view.anchor === undefined && target >= logs.bottom) return NONE;
	const anchor = logs.entry(Math.max(0, Math.min(logs.length - 1, target)));
	return anchor ? act({type: 'top', view: {...view, anchor}}) : NONE;
}

// Enter: open the deployment under the cursor (picker), the selected pod's detail, a revision's template.
function open(scope: Scope, state: CockpitState, nav: Nav): Transition {
	const {ui} = state;
	const view = topView(ui);
	if (scope === 'picker') {
		const names = nav.picker?.names ?? [];
		const at = selectedIndex(ui.selection.picker, names);
		const name = at < 0 ? undefined : names[at];
		return name === undefined ? NONE : {actions: [], effects: [{type: 'scope', deployment: name}]};
	}
	if (scope === 'history' || scope === 'revision') {
		return view.kind === 'history' ? act({type: 'top', view: {...view, show: 'template', scroll: 0}}) : NONE;
	}
	if (ui.focus !== 'pods') return NONE;
	const names = nav.pods?.names ?? [];
	const at = selectedIndex(ui.selection.pods, names);
	return at < 0 ? NONE : act({type: 'push', view: {kind: 'pod', pod: names[at], scroll: 0}});
}

// The keys a prompt reads: the line is edited, Enter submits it, Esc cancels (typed letters are text, never commands).
function promptKey(state: CockpitState, bar: PromptBar, input: string, key: KeyInfo): Transition {
	if (bar.kind === 'command') return commandBarKey(state, bar, input, key);
	if (bar.kind === 'filter') return filterBarKey(bar, input, key);
	const edited = editLine(bar.value, input, key);
	if (edited.type === 'cancel')
		return act({type: 'bar', bar: undefined}, {type: 'message', message: {text: 'cancelled: nothing was sent', tone: 'info'}});
	if (edited.type === 'edit') return edited.value === bar.value ? NONE : act({type: 'bar', bar: {...bar, value: edited.value}});
	const ctx = context(state);
	if (bar.kind === 'scale') {
		const parsed = parseReplicas(edited.value);
		if (!parsed.ok) return act({type: 'bar', bar: {...bar, error: parsed.message}});
		if (!ctx)
			return act(
				{type: 'bar', bar: undefined},
				{type: 'message', message: {text: 'the deployment is gone: nothing was sent', tone: 'error'}},
			);
		return closeThen(review(planIntent(state, {action: 'scale', replicas: parsed.value})));
	}
	// An image is checked at once; after the last container, the plan of what changed.
	const target = bar.targets[bar.at];
	const verdict = validateImageReference(edited.value);
	if (!verdict.ok) return act({type: 'bar', bar: {...bar, error: `${target.name}: ${verdict.reason}`}});
	const images = {...bar.images, [target.name]: edited.value};
	if (bar.at < bar.targets.length - 1) {
		const at = bar.at + 1;
		return act({type: 'bar', bar: {...bar, images, at, value: bar.targets[at].image, error: undefined}});
	}
	if (!ctx)
		return act(
			{type: 'bar', bar: undefined},
			{type: 'message', message: {text: 'the deployment is gone: nothing was sent', tone: 'error'}},
		);
	const changed = Object.fromEntries(bar.targets.filter((t) => images[t.name] !== t.image).map((t) => [t.name, images[t.name]]));
	if (Object.keys(changed).length === 0)
		return act(
			{type: 'bar', bar: undefined},
			{type: 'message', message: {text: 'set image: every image is as it was; nothing to change, nothing was sent', tone: 'info'}},
		);
	return closeThen(review(planIntent(state, {action: 'set-image', images: changed})));
}

// The prompt closes, then the review opens the confirmation or says why there is none.
function closeThen(t: Transition): Transition {
	return {actions: [{type: 'bar', bar: undefined}, ...t.actions], effects: t.effects};
}
