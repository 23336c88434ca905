// Runs what a key asks for beyond the UI state: the key's actions go into the store, then its effects run:
// a confirmed plan goes to the runner (its answer comes back as a message, its change through the watch), the
// watches re-scope to another deployment, the live link switches namespace or context, the namespaces are
// listed for `:ns`, or the cockpit quits.
import type {ActionResult} from '../kube/actions/types.js';
import type {ActionRunner} from '../kube/actions/runner.js';
import type {Live} from '../state/live.js';
import type {CockpitStore} from '../state/store.js';
import type {Tone} from '../state/ui.js';
import {keystrokeTransition, type Effect} from './commands.js';
import {saveTimeline} from './save-timeline.js';
import type {Keystroke} from './keystrokes.js';

// What a finished action says: success in green, "nothing to do" as information, the rest as errors.
function toneOf(result: ActionResult): Tone {
	if (result.ok) return 'success';
	return result.reason === 'noop' ? 'info' : 'error';
}

// What the effects act on: the store, the live link to the cluster (or just a runner, in tests), and how to quit.
export type Wiring = {
	store: CockpitStore;
	runner?: ActionRunner;
	live?: Pick<Live, 'runner' | 'switchTo' | 'listNamespaces' | 'listBudgets'>;
	quit(): void;
};

// One effect.
export function runEffect(effect: Effect, wiring: Wiring): void {
	const {store} = wiring;
	// The live link's runner follows its connection (a context switch makes a new one).
	const runner = wiring.live ? wiring.live.runner : wiring.runner;
	switch (effect.type) {
		case 'quit':
			wiring.quit();
			return;
		case 'scope':
			store.selectDeployment(effect.deployment);
			return;
		case 'switch':
			if (!wiring.live) {
				store.setStatus('switching namespace or context is not available here', 'error');
				return;
			}
			void wiring.live.switchTo({context: effect.context, namespace: effect.namespace});
			return;
		case 'namespaces':
			if (wiring.live) wiring.live.listNamespaces();
			else store.setNamespaces({error: 'not connected'});
			return;
		case 'budgets':
			if (wiring.live) wiring.live.listBudgets();
			else store.setBudgets({namespace: store.getState().namespace, error: 'not connected'});
			return;
		case 'timeline-svg':
			saveTimeline(store.getState(), process.cwd()).then(
				(files) => store.setStatus(`timeline saved: ${files.svg} (data: ${files.json})`, 'success'),
				(error: unknown) => store.setStatus(`the timeline could not be saved: ${(error as Error).message}`, 'error'),
			);
			return;
		case 'apply': {
			const {plan} = effect;
			if (!runner) {
				store.dispatch({type: 'settled', message: {text: `${plan.command} was not sent: no runner`, tone: 'error'}});
				return;
			}
			runner.apply(plan).then(
				(result) => {
					// A 403 teaches what the access review could not know (rights changed since): the key is marked.
					if (!result.ok && result.status === 403) store.denyAccess(plan.request.verbOnResource, plan.namespace);
					store.dispatch({type: 'settled', message: {text: result.message, tone: toneOf(result)}});
				},
				(error: unknown) =>
					store.dispatch({
						type: 'settled',
						message: {text: `${plan.command} failed: ${(error as Error)?.message ?? String(error)}`, tone: 'error'},
					}),
			);
		}
	}
}

// The handler for keystrokes and pastes: applies each one to the store, in order, and runs its effects, so the
// next keystroke of the same read already sees the state this one left.
export function keyHandler(wiring: Wiring): (keystroke: Keystroke) => void {
	return (keystroke) => {
		const {actions, effects} = keystrokeTransition(wiring.store.getState(), keystroke);
		wiring.store.dispatch(...actions);
		for (const effect of effects) runEffect(effect, wiring);
	};
}
