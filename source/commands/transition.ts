// What a key amounts to: reducer actions for the store, then effects for the wiring (source/commands/effects.ts).
import type {ActionPlan} from '../kube/actions/types.js';
import type {Tone} from '../state/ui.js';
import type {UiAction} from '../state/ui-reducer.js';

// What the wiring does after a key: send a confirmed plan, watch another deployment (undefined: the picker),
// switch to another namespace or context (re-scoping or reconnecting the watches, no restart), list the
// namespaces for `:ns`'s completion, quit.
export type Effect =
	| {type: 'apply'; plan: ActionPlan}
	| {type: 'scope'; deployment: string | undefined}
	| {type: 'switch'; context?: string; namespace?: string}
	| {type: 'namespaces'}
	// g: read the namespace's PodDisruptionBudgets for the check.
	| {type: 'budgets'}
	| {type: 'quit'}
	// T: the timeline as an SVG picture and its data as JSON, in the working directory.
	| {type: 'timeline-svg'};

// A key's outcome: the actions to apply, in order, and the effects to run after them.
export type Transition = {actions: UiAction[]; effects: Effect[]};

export const NONE: Transition = {actions: [], effects: []};
export const act = (...actions: UiAction[]): Transition => ({actions, effects: []});
export const say = (text: string, tone: Tone): Transition => act({type: 'message', message: {text, tone}});
export const effect = (...effects: Effect[]): Transition => ({actions: [], effects});
