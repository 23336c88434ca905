// The rollout actions' interaction state (which prompt, which confirmation, the history overlay, what
// is being sent) as a typed reducer, and the hook that turns its commands into plans and runner calls.
// Plans are pure and made on the store's copies, so bad input is refused before any request; the
// runner re-plans on a fresh read when it sends; the result comes back through the watch.
import {useCallback, useReducer, useRef} from 'react';
import type {ActionPlan, Planned, PlanContext} from '../kube/actions/types.js';
import type {ActionRunner} from '../kube/actions/runner.js';
import {planRestart} from '../kube/actions/restart.js';
import {imageTargets, planSetImage, type ImageTarget} from '../kube/actions/set-image.js';
import {parseReplicas, planScale} from '../kube/actions/scale.js';
import {planUndo} from '../kube/actions/undo.js';
import {planTogglePause} from '../kube/actions/plan.js';
import {validateImageReference} from '../model/image-ref.js';
import {revisionHistory, type RevisionRow} from '../model/history.js';
import type {Deployment, ReplicaSet} from '../model/types.js';
import type {CockpitStore} from '../state/store.js';
import {selectDeployment, selectReplicaSets} from '../state/selectors.js';
import {ACTION_KEYS, type ActionKey, type FlowCommand} from './keymap.js';
import {textPromptHeight} from './TextPrompt.js';
import {confirmBarHeight} from './ConfirmBar.js';

// What the history overlay shows: the list, one revision's template, or its diff against the current one.
export type HistoryView = 'list' | 'template' | 'diff';

// The history overlay: the selected revision (undefined = the current one) and the scroll of its text.
export type HistoryFlow = {step: 'history'; revision?: number; view: HistoryView; scroll: number};

// Where the user is in an action.
export type Flow =
	| {step: 'idle'}
	// One prompt per container, init containers first; `images` holds the answers so far.
	| {step: 'image'; targets: readonly ImageTarget[]; at: number; images: Readonly<Record<string, string>>; error?: string}
	| {step: 'scale'; current: number; error?: string}
	| HistoryFlow
	// The change, spelled out, waiting for y; `back` is the history overlay it came from.
	| {step: 'confirm'; plan: ActionPlan; back?: HistoryFlow};

export type ActionFlowState = {
	flow: Flow;
	// The plan being sent (between y and the runner's answer).
	sending?: ActionPlan;
};

// Every transition of the action flow.
export type FlowAction =
	| {type: 'promptImages'; targets: readonly ImageTarget[]}
	| {type: 'imageEntered'; image: string}
	| {type: 'promptScale'; current: number}
	| {type: 'promptError'; message: string}
	| {type: 'openHistory'}
	| {type: 'historyMove'; delta: number; revisions: readonly number[]}
	| {type: 'historyMoveTo'; where: 'first' | 'last'; revisions: readonly number[]}
	| {type: 'historyShow'; view: HistoryView; revision?: number}
	| {type: 'scroll'; delta: number; max: number}
	| {type: 'confirm'; plan: ActionPlan}
	| {type: 'back'}
	| {type: 'close'}
	| {type: 'sent'; plan: ActionPlan}
	| {type: 'settled'};

// Nothing open, nothing being sent.
export function initialActionFlow(): ActionFlowState {
	return {flow: {step: 'idle'}};
}

// Where the selected revision is in the list (the last, i.e. current, when none was chosen yet or it is gone).
export function historyIndex(flow: HistoryFlow, revisions: readonly number[]): number {
	if (revisions.length === 0) return -1;
	const at = flow.revision === undefined ? -1 : revisions.indexOf(flow.revision);
	return at >= 0 ? at : revisions.length - 1;
}

const IDLE: Flow = {step: 'idle'};

// The reducer: pure, every transition of the prompts, the confirmation and the history overlay.
export function actionFlowReducer(state: ActionFlowState, action: FlowAction): ActionFlowState {
	const {flow} = state;
	const withFlow = (next: Flow): ActionFlowState => ({...state, flow: next});
	switch (action.type) {
		case 'promptImages':
			return action.targets.length === 0 ? state : withFlow({step: 'image', targets: action.targets, at: 0, images: {}});
		case 'imageEntered': {
			if (flow.step !== 'image') return state;
			const target = flow.targets[flow.at];
			const images = {...flow.images, [target.name]: action.image};
			return withFlow({...flow, images, at: Math.min(flow.at + 1, flow.targets.length - 1), error: undefined});
		}
		case 'promptScale':
			return withFlow({step: 'scale', current: action.current});
		case 'promptError':
			return flow.step === 'image' || flow.step === 'scale' ? withFlow({...flow, error: action.message}) : state;
		case 'openHistory':
			return withFlow({step: 'history', view: 'list', scroll: 0});
		case 'historyMove': {
			if (flow.step !== 'history' || flow.view !== 'list' || action.revisions.length === 0) return state;
			const at = Math.max(0, Math.min(action.revisions.length - 1, historyIndex(flow, action.revisions) + action.delta));
			return withFlow({...flow, revision: action.revisions[at]});
		}
		case 'historyMoveTo': {
			if (flow.step !== 'history' || flow.view !== 'list' || action.revisions.length === 0) return state;
			return withFlow({...flow, revision: action.where === 'first' ? action.revisions[0] : action.revisions.at(-1)});
		}
		case 'historyShow':
			if (flow.step !== 'history') return state;
			return withFlow({...flow, view: action.view, revision: action.revision ?? flow.revision, scroll: 0});
		case 'scroll': {
			if (flow.step !== 'history' || flow.view === 'list') return state;
			const scroll = Math.max(0, Math.min(action.max, flow.scroll + action.delta));
			return scroll === flow.scroll ? state : withFlow({...flow, scroll});
		}
		case 'confirm':
			return withFlow({
				step: 'confirm',
				plan: action.plan,
				back: flow.step === 'history' ? flow : flow.step === 'confirm' ? flow.back : undefined,
			});
		case 'back':
			// Esc: a revision's text goes back to the list; everything else closes (a confirmation
			// opened from the history goes back to it).
			if (flow.step === 'history' && flow.view !== 'list') return withFlow({...flow, view: 'list', scroll: 0});
			if (flow.step === 'confirm' && flow.back) return withFlow(flow.back);
			return flow.step === 'idle' ? state : withFlow(IDLE);
		case 'close':
			return flow.step === 'idle' ? state : withFlow(IDLE);
		case 'sent':
			return {flow: IDLE, sending: action.plan};
		case 'settled':
			return state.sending ? {...state, sending: undefined} : state;
	}
}

// Rows the bar under the panes takes for this flow (prompts and the confirmation; 0 otherwise).
export function actionBarHeight(flow: Flow): number {
	if (flow.step === 'image' || flow.step === 'scale') return textPromptHeight(flow.error);
	if (flow.step === 'confirm') return confirmBarHeight(flow.plan);
	return 0;
}

// True while a text prompt has the keyboard (the rest of the cockpit must not see the keys).
export function promptOpen(flow: Flow): boolean {
	return flow.step === 'image' || flow.step === 'scale';
}

// The deployment's revisions for the history overlay, oldest first as `kubectl rollout history` lists them.
export function historyRows(deployment: Deployment | undefined, replicaSets: readonly ReplicaSet[]): RevisionRow[] {
	return deployment ? revisionHistory(deployment, replicaSets) : [];
}

// What a finished action says: success in green, "nothing to do" as information, the rest as errors.
function toneOf(result: {ok: boolean; reason?: string}): 'success' | 'info' | 'error' {
	if (result.ok) return 'success';
	return result.reason === 'noop' ? 'info' : 'error';
}

export type ActionFlowOptions = {
	store: CockpitStore;
	// Sends confirmed plans; without one (e.g. a screenshot harness) changing keys say so and do nothing.
	runner?: ActionRunner;
	// --readonly: keys that change the cluster are refused with a message, and nothing is planned.
	readonly: boolean;
};

// The action flow for a cockpit: its state, and the commands keys and prompts call.
export function useActionFlow({store, runner, readonly}: ActionFlowOptions) {
	const [state, dispatch] = useReducer(actionFlowReducer, undefined, initialActionFlow);
	// The plan in flight, also as a ref: two key presses can come before React re-renders.
	const sending = useRef<ActionPlan | undefined>(undefined);

	const status = useCallback((text: string, tone: 'info' | 'error' | 'success' = 'info') => store.setStatus(text, tone), [store]);

	const context = useCallback((): PlanContext | undefined => {
		const s = store.getState();
		const deployment = selectDeployment(s);
		return deployment ? {deployment, replicaSets: selectReplicaSets(s)} : undefined;
	}, [store]);

	// Why a key that changes the cluster cannot start now, or undefined when it can.
	const refusal = useCallback(
		(key: ActionKey, ctx: PlanContext | undefined): string | undefined => {
			const {input, label} = ACTION_KEYS[key];
			if (readonly) return `read-only: ${input} (${label}) is disabled (started with --readonly)`;
			if (!runner) return `${input} (${label}) is not available here`;
			if (!ctx) return `no deployment to ${label}: it is not loaded (yet)`;
			const ns = ctx.deployment.metadata?.namespace ?? store.getState().namespace;
			const name = ctx.deployment.metadata?.name ?? '';
			if (sending.current || runner.inFlight(ns, name)) {
				const what = sending.current ? sending.current.command : `a change to deployment/${name}`;
				return `busy: ${what} is still being sent; nothing else was sent, wait for it to finish`;
			}
			return undefined;
		},
		[readonly, runner, store],
	);

	// A plan goes to the confirmation; a refusal (bad input, kubectl's own refusals, nothing to do) to the status line.
	const review = useCallback(
		(planned: Planned) => {
			if (planned.ok) {
				dispatch({type: 'confirm', plan: planned.plan});
				return;
			}
			status(planned.message, planned.reason === 'noop' ? 'info' : 'error');
		},
		[status],
	);

	// A key from the main view: r, i, s, h, u or p.
	const start = useCallback(
		(key: ActionKey) => {
			const ctx = context();
			if (key === 'history') {
				if (!ctx) {
					status('no deployment to show the history of: it is not loaded (yet)', 'error');
					return;
				}
				dispatch({type: 'openHistory'});
				return;
			}
			const refused = refusal(key, ctx);
			if (refused || !ctx) {
				status(refused ?? '', 'error');
				return;
			}
			switch (key) {
				case 'restart':
					review(planRestart(ctx));
					return;
				case 'set-image': {
					const targets = imageTargets(ctx.deployment);
					if (targets.length === 0) status(`deployment/${ctx.deployment.metadata?.name ?? ''} has no containers`, 'error');
					else dispatch({type: 'promptImages', targets});
					return;
				}
				case 'scale':
					dispatch({type: 'promptScale', current: ctx.deployment.spec?.replicas ?? 1});
					return;
				case 'undo':
					review(planUndo(ctx, 0));
					return;
				case 'pause':
					review(planTogglePause(ctx));
					return;
			}
		},
		[context, refusal, review, status],
	);

	// `u` in the history overlay: undo to the selected revision.
	const undoTo = useCallback(
		(revision: number | undefined) => {
			const ctx = context();
			const refused = refusal('undo', ctx);
			if (refused || !ctx) {
				status(refused ?? '', 'error');
				return;
			}
			if (revision === undefined) {
				status('no revision is selected', 'error');
				return;
			}
			review(planUndo(ctx, revision));
		},
		[context, refusal, review, status],
	);

	// Enter in an image prompt: the reference is checked at once; after the last container, the plan.
	const submitImage = useCallback(
		(image: string) => {
			const flow = state.flow;
			if (flow.step !== 'image') return;
			const target = flow.targets[flow.at];
			const verdict = validateImageReference(image);
			if (!verdict.ok) {
				dispatch({type: 'promptError', message: `${target.name}: ${verdict.reason}`});
				return;
			}
			if (flow.at < flow.targets.length - 1) {
				dispatch({type: 'imageEntered', image});
				return;
			}
			const answers = {...flow.images, [target.name]: image};
			const changed = Object.fromEntries(flow.targets.filter((t) => answers[t.name] !== t.image).map((t) => [t.name, answers[t.name]]));
			const ctx = context();
			dispatch({type: 'close'});
			if (!ctx) {
				status('the deployment is gone: nothing was sent', 'error');
				return;
			}
			if (Object.keys(changed).length === 0) {
				status('set image: every image is as it was; nothing to change, nothing was sent', 'info');
				return;
			}
			review(planSetImage(ctx, changed));
		},
		[state.flow, context, review, status],
	);

	// Enter in the scale prompt: a bad count stays in the prompt with the reason.
	const submitScale = useCallback(
		(text: string) => {
			const parsed = parseReplicas(text);
			if (!parsed.ok) {
				dispatch({type: 'promptError', message: parsed.message});
				return;
			}
			const ctx = context();
			dispatch({type: 'close'});
			if (!ctx) {
				status('the deployment is gone: nothing was sent', 'error');
				return;
			}
			review(planScale(ctx, parsed.value));
		},
		[context, review, status],
	);

	// Esc in a prompt, or n/Esc/any other key at the confirmation.
	const cancel = useCallback(() => {
		const flow = state.flow;
		if (flow.step === 'confirm') status(`cancelled: ${flow.plan.command} was not sent`, 'info');
		else if (flow.step === 'image' || flow.step === 'scale') status(`cancelled: nothing was sent`, 'info');
		dispatch({type: 'back'});
	}, [state.flow, status]);

	// y at the confirmation: exactly one apply; the status line says how it ended.
	const apply = useCallback(() => {
		const flow = state.flow;
		if (flow.step !== 'confirm') return;
		const {plan} = flow;
		const refused = refusal(ACTION_KEY_OF[plan.intent.action], context());
		if (refused || !runner) {
			dispatch({type: 'close'});
			status(refused ?? 'nothing was sent', 'error');
			return;
		}
		sending.current = plan;
		dispatch({type: 'sent', plan});
		status(`sending: ${plan.command}…`, 'info');
		runner.apply(plan).then(
			(result) => {
				sending.current = undefined;
				dispatch({type: 'settled'});
				status(result.message, toneOf(result));
			},
			(error: unknown) => {
				sending.current = undefined;
				dispatch({type: 'settled'});
				status(`${plan.command} failed: ${(error as Error)?.message ?? String(error)}`, 'error');
			},
		);
	}, [state.flow, refusal, context, runner, status]);

	// A key's command while the confirmation or the history is up (App handles quit itself).
	const run = useCallback(
		(command: Exclude<FlowCommand, {type: 'quit'}>, revisions: readonly number[]) => {
			switch (command.type) {
				case 'flow':
					dispatch(command.action);
					return;
				case 'apply':
					apply();
					return;
				case 'cancel':
					cancel();
					return;
				case 'undoSelected': {
					const flow = state.flow;
					if (flow.step === 'history') undoTo(revisions[historyIndex(flow, revisions)]);
					return;
				}
				case 'ignore':
					return;
			}
		},
		[apply, cancel, undoTo, state.flow],
	);

	return {state, start, run, submitImage, submitScale, cancel};
}

// The key an intent came from, for the read-only and busy checks at y.
const ACTION_KEY_OF: Record<ActionPlan['intent']['action'], ActionKey> = {
	restart: 'restart',
	'set-image': 'set-image',
	scale: 'scale',
	undo: 'undo',
	pause: 'pause',
	resume: 'pause',
};
