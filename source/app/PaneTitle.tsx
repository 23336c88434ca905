// The rule line above a pane, with its name and count; the focused pane's title stands out,
// and is marked with the selection marker so focus is visible without colour too.

import {Text} from 'ink';
import {glyphs, useTheme} from './theme.js';

export type PaneTitleProps = {
	title: string;
	width: number;
	focused?: boolean;
	// Extra text after the title, e.g. "3 of 120".
	detail?: string;
};

// "─ Pods 3 ──────" (or "- Pods 3 ------" on ASCII terminals).
export function PaneTitle({title, width, focused = false, detail}: PaneTitleProps) {
	const theme = useTheme();
	const rule = theme.unicode ? '─' : '-';
	const lead = focused ? `${glyphs(theme).marker} ` : `${rule} `;
	const label = `${lead}${title}${detail ? ` ${detail}` : ''} `;
	const text = label.length >= width ? label.slice(0, width) : label + rule.repeat(width - label.length);
	return (
		<Text bold={theme.color && focused} color={theme.color ? (focused ? 'cyan' : 'gray') : undefined} wrap="truncate-end">
			{text}
		</Text>
	);
}
