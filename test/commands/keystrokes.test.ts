// Terminal reads split into keystrokes: what a user over SSH types fast (or holds down) arrives in one read, and
// every keystroke of it must do what it does typed alone; a bracketed paste stays text.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {applyKeystroke, type Effect} from '../../source/commands/commands.js';
import type {KeyInfo} from '../../source/commands/keys.js';
import {KeystrokeReader, type Keystroke} from '../../source/commands/keystrokes.js';
import type {CockpitState} from '../../source/state/store.js';
import {rolloutStore, NEW_RS, OLD_RS} from '../app/fixtures.js';
import {actionStore} from '../app/action-fixtures.js';

const key = (input: string, info: KeyInfo = {}): Keystroke => ({
	kind: 'key',
	input,
	key: info,
});

test('a read of several keys is several keystrokes, in order; escape sequences, Enter, Backspace, Ctrl keys and UTF-8 each one keystroke', () => {
	const table: [string, string, Keystroke[]][] = [
		['jjj in one read', 'jjj', [key('j'), key('j'), key('j')]],
		['two Down arrows', '\u001B[B\u001B[B', [key('', {downArrow: true}), key('', {downArrow: true})]],
		['5 then Enter', '5\r', [key('5'), key('\r', {return: true})]],
		['an image then Enter', 'nginx:1.2\r', [...'nginx:1.2'].map((c) => key(c)).concat(key('\r', {return: true}))],
		['Shift letters are shifted', 'GA', [key('G', {shift: true}), key('A', {shift: true})]],
		['Backspace (DEL and BS)', '\u007F\b', [key('', {delete: true}), key('', {backspace: true})]],
		['Ctrl-U and Ctrl-C', '\u0015\u0003', [key('u', {ctrl: true}), key('c', {ctrl: true})]],
		['Tab and Shift-Tab', '\t\u001B[Z', [key('\t', {tab: true}), key('', {tab: true, shift: true})]],
		['a lone Esc', '\u001B', [key('', {escape: true, meta: true})]],
		['SS3 arrows (application cursor mode)', '\u001BOA\u001BOB', [key('', {upArrow: true}), key('', {downArrow: true})]],
		[
			'Home, End, PgUp, PgDn in xterm and rxvt forms',
			'\u001B[H\u001B[4~\u001B[5~\u001B[[6~',
			[key('', {home: true}), key('', {end: true}), key('', {pageUp: true}), key('', {pageDown: true})],
		],
		['Shift-Up with the xterm modifier', '\u001B[1;2A', [key('', {upArrow: true, shift: true})]],
		['Alt-x', '\u001Bx', [key('x', {meta: true})]],
		['a function key is no keystroke the cockpit reads', '\u001B[15~j', [key('j')]],
		['UTF-8 and astral characters', 'é🙂', [key('é'), key('🙂')]],
		['keys around an arrow', 'j\u001B[Ak', [key('j'), key('', {upArrow: true}), key('k')]],
	];
	for (const [name, read, want] of table) assert.deepEqual(new KeystrokeReader().push(read), want, name);
});

test('a bracketed paste is one paste, with its newlines, also when split across reads and around keys', () => {
	const reader = new KeystrokeReader();
	assert.deepEqual(reader.push('j\u001B[200~nginx:1.20.1\ny\u001B[201~k'), [key('j'), {kind: 'paste', text: 'nginx:1.20.1\ny'}, key('k')]);
	// Ink delivers the markers as reads of their own; the paste goes on until its end marker.
	assert.deepEqual(reader.push('\u001B[200~'), []);
	assert.deepEqual(reader.push('ngi'), []);
	assert.deepEqual(reader.push('nx\r'), []);
	assert.deepEqual(reader.push('\u001B[201~'), [{kind: 'paste', text: 'nginx\r'}]);
	assert.deepEqual(reader.push('q'), [key('q')], 'after the paste, keys are keys again');
});

// Feeds reads through a reader into the commands, as the App does; returns the state and every effect.
function type(state: CockpitState, ...reads: string[]): {state: CockpitState; effects: Effect[]} {
	const reader = new KeystrokeReader();
	const effects: Effect[] = [];
	for (const read of reads) {
		for (const k of reader.push(read)) {
			const next = applyKeystroke(state, k);
			state = next.state;
			effects.push(...next.effects);
		}
	}
	return {state, effects};
}

test('jjj in one read moves the selection three rows; 5 and Enter at the scale prompt opens the review', () => {
	const size = {columns: 120, rows: 40};
	const moved = type(rolloutStore('nginx', {terminal: size}).getState(), 'jjj').state;
	assert.equal(moved.ui.selection.pods.name, `${OLD_RS}-dhhts`, `from ${NEW_RS}-gldmc down three rows`);
	assert.equal(moved.ui.selection.pods.index, 3);
	const store = actionStore();
	const scaled = type(store.getState(), 's', '\u0015', '5\r').state;
	assert.equal(scaled.ui.bar?.kind, 'confirm');
	assert.match(scaled.ui.bar?.kind === 'confirm' ? scaled.ui.bar.plan.command : '', /scale deployment\/nginx --replicas=5/);
	const imaged = type(store.getState(), 'i\u0015nginx:1.21.0\r').state;
	assert.equal(imaged.ui.bar?.kind, 'confirm');
	assert.match(imaged.ui.bar?.kind === 'confirm' ? imaged.ui.bar.plan.changes.join('\n') : '', /nginx:1\.20\.1 -> nginx:1\.21\.0/);
});

test('a paste into the image prompt is inserted as text: its newline and a following y send nothing', () => {
	const store = actionStore();
	const {state, effects} = type(store.getState(), 'i', '\u0015', '\u001B[200~nginx:1.21.0\ny\r\u001B[201~');
	assert.equal(state.ui.bar?.kind, 'image');
	assert.equal(state.ui.bar?.kind === 'image' ? state.ui.bar.value : '', 'nginx:1.21.0y');
	assert.deepEqual(effects, []);
	// A paste outside any prompt is not taken as keys: no quit, no change.
	const outside = type(store.getState(), '\u001B[200~qry\u001B[201~');
	assert.deepEqual(outside.effects, []);
	assert.equal(outside.state.ui.bar, undefined);
	assert.match(outside.state.ui.message?.text ?? '', /pasted text is only read by a prompt/);
});
