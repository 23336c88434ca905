// The line editor of every prompt: one key applied to a line of text.
import type {KeyInfo} from './keys.js';

// The keys a line editor reads (structural, so tests build them by hand).
export type EditKey = KeyInfo;

// What a key does to the line: the new text, a submit, or a cancel.
export type EditResult = {type: 'edit'; value: string} | {type: 'submit'; value: string} | {type: 'cancel'};

// One keystroke applied to the line (a paste is inserted by pasteTransition, without its line breaks); control
// characters and keys that mean nothing here leave the line as it was.
export function editLine(value: string, input: string, key: EditKey): EditResult {
	if (key.return) return {type: 'submit', value};
	if (key.escape) return {type: 'cancel'};
	if (key.backspace || key.delete) return {type: 'edit', value: [...value].slice(0, -1).join('')};
	if (key.ctrl && input === 'u') return {type: 'edit', value: ''};
	if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown)
		return {type: 'edit', value};
	const printable = input.replace(/[\u0000-\u001F\u007F]/g, '');
	return {type: 'edit', value: value + printable};
}
