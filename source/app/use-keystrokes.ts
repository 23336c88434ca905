// Keys from the terminal, one keystroke at a time: Ink's stdin events (escape sequences already apart, runs of
// characters not) go through a KeystrokeReader, so "jjj" in one read is three presses of j and a bracketed paste
// is one paste. It replaces useInput, which hands a run of characters over as a single key.
import {useEffect} from 'react';
import {useStdin} from 'ink';
import {KeystrokeReader, type Keystroke} from '../commands/keystrokes.js';

/** Calls `onKeystroke` for every keystroke and paste, in order; raw mode is on while active. */
export function useKeystrokes(onKeystroke: (keystroke: Keystroke) => void, options: {isActive?: boolean} = {}): void {
	const {setRawMode, internal_eventEmitter: events} = useStdin();
	const active = options.isActive !== false;
	useEffect(() => {
		if (!active) return;
		setRawMode(true);
		return () => setRawMode(false);
	}, [active, setRawMode]);
	useEffect(() => {
		if (!active) return;
		// One reader per subscription: a paste cut between two reads continues in the next.
		const reader = new KeystrokeReader();
		const onInput = (data: string) => {
			for (const keystroke of reader.push(data)) onKeystroke(keystroke);
		};
		events.on('input', onInput);
		return () => {
			events.off('input', onInput);
		};
	}, [active, events, onKeystroke]);
}
