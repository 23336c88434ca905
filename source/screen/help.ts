// The help's renderer (`?`): every key, generated from the command registry the keys dispatch through, then the
// notes the session brings (the demo's kubectl commands) as far as they fit.
import {COMMANDS, helpRows, type Command, type CommandId} from '../commands/registry.js';
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

// The help in a bordered box; under --readonly the keys that change the cluster are marked disabled, and those the
// access review denied are marked forbidden (`unavailable`: registry.unavailableCommands), with the reason below.
export function helpPane(o: {
	theme: Theme;
	width: number;
	height: number;
	readonly: boolean;
	notes: readonly string[];
	/** The registry the keys dispatch through. @default COMMANDS */
	registry?: readonly Command[];
	/** Commands the user may not run, with why (registry.unavailableCommands). */
	unavailable?: ReadonlyMap<CommandId, string>;
	/** What the access review denied, in one line (registry.accessNote). */
	accessNote?: string;
}): Pane {
	const registry = o.registry ?? COMMANDS;
	const rows = helpRows(registry);
	const keyWidth = Math.max(...rows.map((r) => r.keys.length)) + 2;
	const note = !o.readonly && o.accessNote && (o.unavailable?.size ?? 0) > 0 ? o.accessNote : undefined;
	const fixed = 1 + rows.length + (note ? 1 : 0) + 1;
	const label = (id: CommandId) => registry.find((c) => c.id === id)?.keys[0]?.label ?? id;
	const notes = fitNotes(o.notes, o.height - 2 - fixed);
	// Read-only mode is said in the title, so the help keeps its rows at 80x24.
	const title = o.readonly ? 'Keys (read-only mode: keys that change the cluster are disabled)' : 'Keys';
	const lines: Line[] = [line('keys', title, {bold: true})];
	for (const r of rows) {
		const changing = r.ids.filter((id) => registry.find((c) => c.id === id)?.changes);
		const denied = o.readonly ? [] : changing.filter((id) => o.unavailable?.has(id));
		const mark =
			o.readonly && r.changes
				? '(disabled) '
				: denied.length === 0
					? ''
					: denied.length === changing.length
						? '(forbidden) '
						: `(forbidden: ${denied.map(label).join(' ')}) `;
		lines.push({
			key: r.keys,
			segments: [
				{text: r.keys.padEnd(keyWidth), color: 'cyan'},
				{text: `${mark}${r.does}`, dim: mark !== ''},
			],
		});
	}
	if (note) lines.push(line('forbidden', note));
	if (notes.length > 0) lines.push(line('blank', ' '));
	for (const [i, note] of notes.entries()) lines.push(line(`note${i}`, note));
	lines.push(line('close', 'Esc or ? closes this help.', {dim: true}));
	return {width: o.width, height: o.height, lines, border: true};
}
