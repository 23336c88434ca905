// The help's renderer (`?`): every key, generated from the command registry the keys dispatch through, then the
// notes the session brings (the demo's kubectl commands) as far as they fit.
import {COMMANDS, helpRows, type Command} from '../commands/registry.js';
import type {Theme} from '../state/ui.js';
import {line, type Line, type Pane} from './lines.js';

// The notes that fit in `room` lines after a blank one; when some do not, the last line says how many.
export function fitNotes(notes: readonly string[], room: number): readonly string[] {
	const lines = room - 1;
	if (notes.length <= lines) return notes;
	if (lines <= 1) return [];
	const kept = notes.slice(0, lines - 1);
	const left = notes.length - kept.length;
	return [...kept, `… ${left} more line${left === 1 ? '' : 's'}: a taller terminal shows them`];
}

// The help in a bordered box; under --readonly the keys that change the cluster are marked disabled.
export function helpPane(o: {
	theme: Theme;
	width: number;
	height: number;
	readonly: boolean;
	notes: readonly string[];
	/** The registry the keys dispatch through. @default COMMANDS */
	registry?: readonly Command[];
}): Pane {
	const rows = helpRows(o.registry ?? COMMANDS);
	const keyWidth = Math.max(...rows.map((r) => r.keys.length)) + 2;
	const fixed = 1 + rows.length + 1;
	const notes = fitNotes(o.notes, o.height - 2 - fixed);
	// Read-only mode is said in the title, so the help keeps its rows at 80x24.
	const title = o.readonly ? 'Keys (read-only mode: keys that change the cluster are disabled)' : 'Keys';
	const lines: Line[] = [line('keys', title, {bold: true})];
	for (const r of rows) {
		const disabled = o.readonly && r.changes;
		lines.push({
			key: r.keys,
			segments: [
				{text: r.keys.padEnd(keyWidth), color: 'cyan'},
				{text: disabled ? `(disabled) ${r.does}` : r.does, dim: disabled},
			],
		});
	}
	if (notes.length > 0) lines.push(line('blank', ' '));
	for (const [i, note] of notes.entries()) lines.push(line(`note${i}`, note));
	lines.push(line('close', 'Esc or ? closes this help.', {dim: true}));
	return {width: o.width, height: o.height, lines, border: true};
}
