// The bottom line: the message the screen model chose (errors in red) and the key hint on the right.
import {Box, Text} from 'ink';
import type {StatusProps} from '../screen/screen.js';
import {useTheme} from './theme.js';

// One line, never wrapped.
export function StatusLine({width, text, color, hint, room}: StatusProps) {
	const theme = useTheme();
	return (
		<Box width={width} height={1}>
			<Box width={room} flexShrink={0}>
				<Text wrap="truncate-end" color={theme.color ? color : undefined}>
					{text}
				</Text>
			</Box>
			<Box flexGrow={1} justifyContent="flex-end">
				<Text dimColor={theme.color} wrap="truncate-end">
					{hint}
				</Text>
			</Box>
		</Box>
	);
}
