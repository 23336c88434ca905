// The bottom line: the last message (errors in red) and a reminder of the help key.

import {Box, Text} from 'ink';
import {useTheme} from './theme.js';

export type StatusTone = 'info' | 'error' | 'success';

export type StatusLineProps = {
	width: number;
	text?: string;
	tone?: StatusTone;
	// Short hint shown on the right, e.g. "? help  q quit".
	hint?: string;
};

const TONE_COLOR: Record<StatusTone, string> = {info: 'cyan', error: 'red', success: 'green'};

// One line, never wrapped: the message is cut to leave room for the hint.
export function StatusLine({width, text, tone = 'info', hint: fullHint = '? help  q quit'}: StatusLineProps) {
	const theme = useTheme();
	// A message that needs the room gets it: the hint shrinks to its last resort.
	const hint = text && text.length + fullHint.length + 1 > width ? '? help' : fullHint;
	const room = Math.max(0, width - hint.length - 1);
	const message = tone === 'error' && !theme.color && text ? `error: ${text}` : (text ?? '');
	return (
		<Box width={width} height={1}>
			<Box width={room} flexShrink={0}>
				<Text wrap="truncate-end" color={theme.color ? TONE_COLOR[tone] : undefined}>
					{message}
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
