// The `?` overlay: every key the cockpit understands, so nobody has to read the readme mid-rollout.

import {Box, Text} from 'ink';
import {KEY_HELP} from './keymap.js';
import {glyphs, useTheme} from './theme.js';

export type HelpOverlayProps = {
	width: number;
	height: number;
	readonly?: boolean;
	// Extra lines after the keys (e.g. how to drive the demo cluster).
	notes?: readonly string[];
};

// A bordered box listing the keys; Esc or ? closes it.
export function HelpOverlay({width, height, readonly, notes}: HelpOverlayProps) {
	const theme = useTheme();
	const keyWidth = Math.max(...KEY_HELP.map((k) => k.keys.length)) + 2;
	const shownNotes = fitNotes(notes ?? [], height - 2 - (1 + KEY_HELP.length + (readonly ? 1 : 0) + 1));
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle={glyphs(theme).border} paddingX={1}>
			<Text bold={theme.color}>Keys</Text>
			{KEY_HELP.map((k) => (
				<Box key={k.keys} flexShrink={0}>
					<Box width={keyWidth} flexShrink={0}>
						<Text color={theme.color ? 'cyan' : undefined}>{k.keys}</Text>
					</Box>
					<Text wrap="truncate-end" dimColor={theme.color && readonly && k.changes}>
						{readonly && k.changes ? `(disabled) ${k.does}` : k.does}
					</Text>
				</Box>
			))}
			{readonly ? <Text>Read-only mode: keys that change the cluster are disabled.</Text> : null}
			{shownNotes.length > 0 ? <Text> </Text> : null}
			{shownNotes.map((line, i) => (
				<Text key={i} wrap="truncate-end">
					{line}
				</Text>
			))}
			<Text dimColor={theme.color}>Esc or ? closes this help.</Text>
		</Box>
	);
}

// The notes that fit in `room` lines after a blank one; when some do not, the last line says how many.
export function fitNotes(notes: readonly string[], room: number): readonly string[] {
	const lines = room - 1;
	if (notes.length <= lines) return notes;
	if (lines <= 1) return [];
	const kept = notes.slice(0, lines - 1);
	const left = notes.length - kept.length;
	return [...kept, `… ${left} more line${left === 1 ? '' : 's'}: a taller terminal shows them`];
}
