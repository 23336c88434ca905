// A terminal read split into keystrokes. Over SSH, and whenever a key is held down, several keystrokes arrive in
// one read ("jjj", "5\r", "nginx:1.20.1\r"); Ink 6's input parser splits escape sequences apart but hands a run
// of plain characters to useInput as one "key" (ink/build/input-parser.js parseKeypresses, then
// parse-keypress.js, which only names single characters). Here every keystroke of a read becomes its own
// (input, key), in order, as if typed alone, and a bracketed paste (ESC[200~ ... ESC[201~, which the cockpit asks
// the terminal for) stays whole, so pasted text is text and a newline in it is never an Enter.
import type {KeyInfo} from './keys.js';

// One keystroke as the commands read it, or a paste.
export type Keystroke = {kind: 'key'; input: string; key: KeyInfo} | {kind: 'paste'; text: string};

const ESC = '\u001B';
const PASTE_START = `${ESC}[200~`;
const PASTE_END = `${ESC}[201~`;

// Escape sequences of the keys the cockpit reads (xterm, screen/tmux, rxvt, the Linux console), without ESC.
const SEQUENCES: Record<string, KeyInfo> = {
	'[A': {upArrow: true},
	'[B': {downArrow: true},
	'[C': {rightArrow: true},
	'[D': {leftArrow: true},
	OA: {upArrow: true},
	OB: {downArrow: true},
	OC: {rightArrow: true},
	OD: {leftArrow: true},
	'[H': {home: true},
	'[F': {end: true},
	OH: {home: true},
	OF: {end: true},
	'[1~': {home: true},
	'[4~': {end: true},
	'[7~': {home: true},
	'[8~': {end: true},
	'[5~': {pageUp: true},
	'[6~': {pageDown: true},
	'[[5~': {pageUp: true},
	'[[6~': {pageDown: true},
	'[3~': {delete: true},
	'[Z': {tab: true, shift: true},
};

// xterm's modifier parameter (ESC[1;2A is Shift-Up): 1 + shift(1) + alt(2) + ctrl(4).
function modifiers(param: string | undefined): KeyInfo {
	const n = Number(param ?? '1') - 1;
	if (!Number.isInteger(n) || n <= 0) return {};
	const out: KeyInfo = {};
	if (n & 1) out.shift = true;
	if (n & 2) out.meta = true;
	if (n & 4) out.ctrl = true;
	return out;
}

// The keystroke of one escape sequence (ESC included), or undefined for sequences that mean nothing here
// (function keys, focus reports, mouse).
export function decodeEscape(sequence: string): Keystroke | undefined {
	if (sequence === ESC || sequence === ESC + ESC) return {kind: 'key', input: '', key: {escape: true, meta: true}};
	const body = sequence.slice(1);
	const known = SEQUENCES[body];
	if (known) return {kind: 'key', input: '', key: {...known}};
	// CSI 1;mod X and CSI n;mod ~: a special key with modifiers.
	const modified = /^\[(?:1;(\d+)([A-DFH])|(\d+);(\d+)~)$/.exec(body);
	if (modified) {
		const base = modified[2] ? SEQUENCES[`[${modified[2]}`] : SEQUENCES[`[${modified[3]}~`];
		const mods = modifiers(modified[1] ?? modified[4]);
		return base ? {kind: 'key', input: '', key: {...base, ...mods}} : undefined;
	}
	// ESC + a character: Alt (Meta) with that key, as Ink reports it.
	if ([...body].length === 1) {
		const single = decodeCharacter(body);
		return {kind: 'key', input: single.input, key: {...single.key, meta: true}};
	}
	return undefined;
}

// The keystroke of one character typed alone.
export function decodeCharacter(ch: string): {kind: 'key'; input: string; key: KeyInfo} {
	// Enter sends CR in raw mode; LF (Ctrl-J) is read as Enter too.
	if (ch === '\r' || ch === '\n') return {kind: 'key', input: '\r', key: {return: true}};
	if (ch === '\t') return {kind: 'key', input: '\t', key: {tab: true}};
	// DEL is what most terminals send for Backspace, BS (Ctrl-H) what some do.
	if (ch === '\u007F') return {kind: 'key', input: '', key: {delete: true}};
	if (ch === '\b') return {kind: 'key', input: '', key: {backspace: true}};
	const code = ch.codePointAt(0) ?? 0;
	// Ctrl-A .. Ctrl-Z (and Ctrl-C among them) arrive as 1..26; the input is the letter, as Ink gives it.
	if (code >= 1 && code <= 26) return {kind: 'key', input: String.fromCharCode(code + 96), key: {ctrl: true}};
	if (code < 32) return {kind: 'key', input: '', key: {}};
	return {kind: 'key', input: ch, key: /^[A-Z]$/.test(ch) ? {shift: true} : {}};
}

// The length of the escape sequence at `at` (ESC included): CSI (ESC [ params final), SS3 (ESC O x), a doubled
// ESC before either (Alt), ESC + one character, or a lone ESC at the end of the read.
function escapeLength(text: string, at: number): number {
	let i = at + 1;
	if (text[i] === ESC && (text[i + 1] === '[' || text[i + 1] === 'O')) i++;
	const kind = text[i];
	if (kind === undefined) return 1;
	if (kind === 'O') return Math.min(text.length, i + 2) - at;
	if (kind === '[') {
		let j = i + 1;
		// rxvt/putty's ESC[[5~ keeps a second bracket.
		if (text[j] === '[') j++;
		while (j < text.length) {
			const c = text.charCodeAt(j);
			j++;
			if (c >= 0x40 && c <= 0x7e) break;
		}
		return j - at;
	}
	const next = text.codePointAt(i) ?? 0;
	return i - at + (next > 0xffff ? 2 : 1);
}

// Splits reads into keystrokes; keeps the state a paste needs across reads (its text until ESC[201~ arrives).
export class KeystrokeReader {
	private paste: string | undefined;

	// The keystrokes of one read, in order.
	push(chunk: string): Keystroke[] {
		const out: Keystroke[] = [];
		let i = 0;
		while (i < chunk.length) {
			if (this.paste !== undefined) {
				const end = chunk.indexOf(PASTE_END, i);
				if (end < 0) {
					this.paste += chunk.slice(i);
					break;
				}
				out.push({kind: 'paste', text: this.paste + chunk.slice(i, end)});
				this.paste = undefined;
				i = end + PASTE_END.length;
				continue;
			}
			if (chunk[i] === ESC) {
				if (chunk.startsWith(PASTE_START, i)) {
					this.paste = '';
					i += PASTE_START.length;
					continue;
				}
				const length = escapeLength(chunk, i);
				const decoded = decodeEscape(chunk.slice(i, i + length));
				if (decoded) out.push(decoded);
				i += length;
				continue;
			}
			const code = chunk.codePointAt(i) ?? 0;
			const ch = String.fromCodePoint(code);
			out.push(decodeCharacter(ch));
			i += ch.length;
		}
		return out;
	}
}
