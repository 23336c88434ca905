// The cockpit: wiring only. The store holds every piece of state; screen() turns it into what is drawn and the frame
// writer draws it (use-frame.ts); a key becomes a command's actions and effects (source/commands/). App subscribes
// to the screen model, not the state, and renders nothing into Ink's tree: Ink hosts React and reads the keys.
import {useEffect, useMemo} from 'react';
import {useApp, useStdin} from 'ink';
import {keyHandler} from '../commands/effects.js';
import type {ActionRunner} from '../kube/actions/runner.js';
import type {Live} from '../state/live.js';
import {screen} from '../screen/screen.js';
import type {CockpitStore} from '../state/store.js';
import {useCockpit} from '../state/use-store.js';
import {useFrame} from './use-frame.js';
import {useKeystrokes} from './use-keystrokes.js';
import {useTerminalSize} from './use-terminal-size.js';

export type AppProps = {
	store: CockpitStore;
	/** Sends confirmed changes (r, i, s, u, p); the store's session says whether there is one. */
	runner?: ActionRunner;
	/** The live link to the cluster: its runner, `:ns`/`:ctx` switches, the namespaces for completion. */
	live?: Live;
	/** Called when the user quits, before Ink exits. */
	onQuit?: () => void;
};

// The whole cockpit.
export function App({store, runner, live, onQuit}: AppProps) {
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const size = useTerminalSize();
	// The keys page by what is on screen: the store knows the terminal's size too.
	useEffect(() => store.dispatch({type: 'resize', columns: size.columns, rows: size.rows}), [store, size]);
	const model = useCockpit(store, (state) => screen(state, size));
	const onKey = useMemo(
		() =>
			keyHandler({
				store,
				runner,
				live,
				quit: () => {
					onQuit?.();
					exit();
				},
			}),
		[store, runner, live, onQuit, exit],
	);
	// Every keystroke of a read on its own, pastes whole (Ink's useInput would merge "jj" into one key).
	useKeystrokes(onKey, {isActive: isRawModeSupported === true});
	useFrame(model);
	return null;
}
