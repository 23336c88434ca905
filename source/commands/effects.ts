// Runs what a key asks for beyond the UI state: the key's actions go into the store, then its effects run:
// a confirmed plan goes to the runner (its answer comes back as a message, its change through the watch), the
// watches re-scope to another deployment, or the cockpit quits.
import type {ActionResult} from '../kube/actions/types.js';
import type {ActionRunner} from '../kube/actions/runner.js';
import type {CockpitStore} from '../state/store.js';
import type {Tone} from '../state/ui.js';
import {keyTransition, type Effect} from './commands.js';
import type {KeyInfo} from './keys.js';

// What a finished action says: success in green, "nothing to do" as information, the rest as errors.
function toneOf(result: ActionResult): Tone {
	if (result.ok) return 'success';
	return result.reason === 'noop' ? 'info' : 'error';
}

// One effect.
export function runEffect(effect: Effect, wiring: {store: CockpitStore; runner?: ActionRunner; quit(): void}): void {
	const {store, runner} = wiring;
	switch (effect.type) {
		case 'quit':
			wiring.quit();
			return;
		case 'scope':
			store.selectDeployment(effect.deployment);
			return;
		case 'apply': {
			const {plan} = effect;
			if (!runner) {
				store.dispatch({type: 'settled', message: {text: `${plan.command} was not sent: no runner`, tone: 'error'}});
				return;
			}
			runner.apply(plan).then(
				(result) => store.dispatch({type: 'settled', message: {text: result.message, tone: toneOf(result)}}),
				(error: unknown) =>
					store.dispatch({
						type: 'settled',
						message: {text: `${plan.command} failed: ${(error as Error)?.message ?? String(error)}`, tone: 'error'},
					}),
			);
		}
	}
}

// The handler for keystrokes: applies each one to the store and runs its effects.
export function keyHandler(wiring: {store: CockpitStore; runner?: ActionRunner; quit(): void}): (input: string, key: KeyInfo) => void {
	return (input, key) => {
		const {actions, effects} = keyTransition(wiring.store.getState(), input, key);
		wiring.store.dispatch(...actions);
		for (const effect of effects) runEffect(effect, wiring);
	};
}
