// Keys as a terminal delivers them (Ink's Key, the part the cockpit reads), and key bindings: one binding says
// which keystroke it is and how the help names it, so the keymap that dispatches is the one the help lists.

// The subset of Ink's Key that the cockpit reads (structural, so tests build it by hand).
export type KeyInfo = {
	upArrow?: boolean;
	downArrow?: boolean;
	leftArrow?: boolean;
	rightArrow?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
	home?: boolean;
	end?: boolean;
	return?: boolean;
	escape?: boolean;
	tab?: boolean;
	backspace?: boolean;
	delete?: boolean;
	shift?: boolean;
	ctrl?: boolean;
	meta?: boolean;
};

type SpecialKey = Exclude<keyof KeyInfo, 'shift' | 'ctrl' | 'meta'>;

// One keystroke a command answers to: a printable input (with Ctrl or not), or a special key (with Shift or
// not). `label` is how the help writes it; an `alias` is listed after the row's text instead of in its keys.
export type Binding = {input?: string; key?: SpecialKey; ctrl?: boolean; shift?: boolean; label: string; alias?: boolean};

// True when the keystroke is this binding. A printable input never matches with Meta (Alt), nor with Ctrl
// unless the binding asks for it; Esc arrives with Meta set on some terminals, so special keys ignore Meta.
export function matches(binding: Binding, input: string, key: KeyInfo): boolean {
	if (binding.key) return key[binding.key] === true && (binding.shift === undefined || (key.shift === true) === binding.shift);
	return input === binding.input && (key.ctrl === true) === (binding.ctrl === true) && key.meta !== true;
}

// Bindings, written the way the help shows them.
export const plain = (input: string): Binding => ({input, label: input});
export const ctrl = (input: string, alias = false): Binding => ({input, ctrl: true, label: `Ctrl-${input.toUpperCase()}`, alias});
export const special = (key: SpecialKey, label: string, shift?: boolean): Binding => ({key, label, shift});
