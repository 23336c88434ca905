// The two bars that read a line without changing the cluster: `:` (a command: another deployment, namespace or
// context, with Tab completion) and `/` (a filter, applied as it is typed). Pure: (state, key) -> transition.
import {filterOf} from '../screen/filter.js';
import type {CockpitState} from '../state/store.js';
import {topView, type Bar} from '../state/ui.js';
import {completeCommandLine, parseCommandLine, type Completions} from './command-line.js';
import type {KeyInfo} from './keys.js';
import {act, effect, NONE, type Transition} from './transition.js';
import {editLine} from './line-editor.js';

type CommandBar = Extract<Bar, {kind: 'command'}>;
type FilterBar = Extract<Bar, {kind: 'filter'}>;

// `:` opens the command line; the namespaces are listed again (for Tab: ones created since are in it).
export function openCommandLine(_state: CockpitState): Transition {
	return {...act({type: 'bar', bar: {kind: 'command', value: ''}}), effects: [{type: 'namespaces'}]};
}

// `/` opens the filter with the one in force, to edit it (a log view's own, over its lines).
export function openFilter(state: CockpitState): Transition {
	const view = topView(state.ui);
	const value = view.kind === 'logs' ? (view.filter ?? '') : (state.ui.filter ?? '');
	return act({type: 'bar', bar: {kind: 'filter', value}});
}

// What Tab completes from, as far as the store knows it.
export function completions(state: CockpitState): Completions {
	const list = state.namespaceList;
	return {
		deployments: state.synced.deployments ? [...state.deployments.keys()] : undefined,
		namespaces: list && 'names' in list ? list.names : undefined,
		contexts: state.contexts,
	};
}

// A key at the command line: Tab completes, Enter runs, Esc cancels, the rest edits.
export function commandBarKey(state: CockpitState, bar: CommandBar, input: string, key: KeyInfo): Transition {
	if (key.tab && !key.shift) return complete(state, bar);
	const edited = editLine(bar.value, input, key);
	if (edited.type === 'cancel') return act({type: 'bar', bar: undefined});
	if (edited.type === 'edit') return edited.value === bar.value ? NONE : act({type: 'bar', bar: {kind: 'command', value: edited.value}});
	return runLine(state, bar, edited.value);
}

function complete(state: CockpitState, bar: CommandBar): Transition {
	const done = completeCommandLine(bar.value, completions(state));
	let note: string | undefined;
	if (done.source === 'namespaces' && state.namespaceList && 'error' in state.namespaceList)
		note = `cannot list the namespaces (${state.namespaceList.error}): type the name`;
	else if (done.source === 'namespaces' && state.namespaceList === undefined) note = 'listing the namespaces…';
	else if (done.source === 'deployments' && !state.synced.deployments) note = 'listing the deployments…';
	else if (done.candidates.length === 0)
		note = done.source ? `no ${done.source} start with that` : 'no command starts with that: deploy, ns, ctx';
	else if (done.candidates.length > 1) note = done.candidates.join('  ');
	return act({type: 'bar', bar: {kind: 'command', value: done.text, note}});
}

const fail = (bar: CommandBar, error: string): Transition => act({type: 'bar', bar: {...bar, note: undefined, error}});
const close = (text?: string): Transition =>
	text === undefined
		? act({type: 'bar', bar: undefined})
		: act({type: 'bar', bar: undefined}, {type: 'message', message: {text, tone: 'info'}});

// Enter: the command, checked against what the cockpit knows (the deployments listed, the namespaces if they
// could be listed, the kubeconfig's contexts), so a typo is said at once and nothing switches.
function runLine(state: CockpitState, bar: CommandBar, text: string): Transition {
	const parsed = parseCommandLine(text);
	if (!parsed.ok) return fail(bar, parsed.error);
	const {verb, arg} = parsed;
	switch (verb.verb) {
		case 'quit':
			return {...close(), effects: [{type: 'quit'}]};
		case 'deploy': {
			if (arg === undefined) return {...close(), effects: [{type: 'scope', deployment: undefined}]};
			if (state.synced.deployments && !state.deployments.has(arg))
				return fail(bar, `no deployment ${JSON.stringify(arg)} in namespace ${JSON.stringify(state.namespace)} (Tab lists them)`);
			if (arg === state.deploymentName) return close(`already watching deployment ${arg}`);
			return {...close(), effects: [{type: 'scope', deployment: arg}]};
		}
		case 'ns': {
			const name = arg ?? '';
			const list = state.namespaceList;
			if (list && 'names' in list && !list.names.includes(name))
				return fail(bar, `no namespace ${JSON.stringify(name)} in context ${JSON.stringify(state.context)} (Tab lists them)`);
			if (name === state.namespace) return close(`already in namespace ${name}`);
			return {...close(), ...effect({type: 'switch', namespace: name})};
		}
		case 'ctx': {
			const name = arg ?? '';
			if (!state.contexts.includes(name))
				return fail(bar, `no context ${JSON.stringify(name)} in the kubeconfig (Tab lists them: ${state.contexts.join(', ')})`);
			if (name === state.context) return close(`already on context ${name}`);
			return {...close(), ...effect({type: 'switch', context: name})};
		}
	}
}

// A key at the filter: it edits the filter, which applies as it is typed; Enter keeps it (unless it is no
// valid filter), Esc puts back the one before.
export function filterBarKey(bar: FilterBar, input: string, key: KeyInfo): Transition {
	const edited = editLine(bar.value, input, key);
	if (edited.type === 'cancel') return act({type: 'bar', bar: undefined});
	const parsed = filterOf(edited.value);
	const error = parsed.ok ? undefined : parsed.error;
	if (edited.type === 'edit')
		return edited.value === bar.value ? NONE : act({type: 'bar', bar: {kind: 'filter', value: edited.value, error}});
	if (error) return act({type: 'bar', bar: {kind: 'filter', value: edited.value, error}});
	return act({type: 'bar', bar: undefined}, {type: 'filter', filter: edited.value});
}
