// The `?` overlay: every key the cockpit understands, so nobody has to read the readme mid-rollout.
import React from 'react';
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
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle={glyphs(theme).border} paddingX={1}>
			<Text bold={theme.color}>Keys</Text>
			{KEY_HELP.map((k) => (
				<Box key={k.keys}>
					<Box width={keyWidth} flexShrink={0}>
						<Text color={theme.color ? 'cyan' : undefined}>{k.keys}</Text>
					</Box>
					<Text wrap="truncate-end">{k.does}</Text>
				</Box>
			))}
			{readonly ? <Text>Read-only mode: keys that change the cluster are disabled.</Text> : null}
			{notes && notes.length > 0 ? <Text> </Text> : null}
			{(notes ?? []).map((line, i) => (
				<Text key={i} wrap="truncate-end">
					{line}
				</Text>
			))}
			<Text dimColor={theme.color}>Esc or ? closes this help.</Text>
		</Box>
	);
}
