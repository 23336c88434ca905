// A one-line text prompt (the image of a container, a replica count): typed text, Backspace,
// Ctrl-U to clear, Enter to submit, Esc to cancel. No new package for something this small.
import {useRef, useState} from 'react';
import {Box, Text, useInput} from 'ink';
import {PaneTitle} from './PaneTitle.js';
import {useTheme} from './theme.js';

// The keys a line editor reads (structural, so tests build them by hand).
export type EditKey = {
	return?: boolean;
	escape?: boolean;
	backspace?: boolean;
	delete?: boolean;
	ctrl?: boolean;
	meta?: boolean;
	tab?: boolean;
	upArrow?: boolean;
	downArrow?: boolean;
	leftArrow?: boolean;
	rightArrow?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
};

// What a key does to the line: the new text, a submit, or a cancel.
export type EditResult = {type: 'edit'; value: string} | {type: 'submit'; value: string} | {type: 'cancel'};

// One key applied to the line. Pasted text arrives as one multi-character input and is kept whole;
// control characters and keys that mean nothing here leave the line as it was.
export function editLine(value: string, input: string, key: EditKey): EditResult {
	if (key.return) return {type: 'submit', value};
	if (key.escape) return {type: 'cancel'};
	if (key.backspace || key.delete) return {type: 'edit', value: [...value].slice(0, -1).join('')};
	if (key.ctrl && input === 'u') return {type: 'edit', value: ''};
	if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown)
		return {type: 'edit', value};
	// eslint-disable-next-line no-control-regex
	const printable = input.replace(/[\u0000-\u001F\u007F]/g, '');
	return {type: 'edit', value: value + printable};
}

export type TextPromptProps = {
	width: number;
	// The rule line above the prompt, e.g. "Set image 1/2: init container warmup".
	title: string;
	// The label before the text, e.g. "image".
	label: string;
	// The text the prompt starts with (the current image, the current replica count).
	initial: string;
	// Why the last submitted text was refused; shown under the line until the next Enter.
	error?: string;
	// What Enter does, for the hint line, e.g. "next container" or "review the change".
	submitHint: string;
	onSubmit: (value: string) => void;
	onCancel: () => void;
	/** Whether this prompt receives keys. @default true */
	isActive?: boolean;
};

// Lines the prompt takes: title, the text, the error (if any) and the hint.
export function textPromptHeight(error?: string): number {
	return error ? 4 : 3;
}

// The prompt; keep a `key` per question so that the next question starts from its own initial text.
export function TextPrompt({width, title, label, initial, error, submitHint, onSubmit, onCancel, isActive = true}: TextPromptProps) {
	const theme = useTheme();
	const [value, setValue] = useState(initial);
	// Keys can arrive faster than renders: each one edits the latest text, not the last drawn one.
	const latest = useRef(initial);
	useInput(
		(input, key) => {
			const result = editLine(latest.current, input, key);
			if (result.type === 'submit') onSubmit(result.value);
			else if (result.type === 'cancel') onCancel();
			else if (result.value !== latest.current) {
				latest.current = result.value;
				setValue(result.value);
			}
		},
		{isActive},
	);
	const cursor = theme.unicode ? '█' : '_';
	return (
		<Box flexDirection="column" width={width} height={textPromptHeight(error)} flexShrink={0}>
			<PaneTitle title={title} width={width} focused />
			<Text wrap="truncate-start">
				<Text bold={theme.color}>{`${label}: `}</Text>
				{value}
				<Text color={theme.color ? 'cyan' : undefined}>{cursor}</Text>
			</Text>
			{error ? (
				<Text color={theme.color ? 'red' : undefined} wrap="truncate-end">
					{theme.color ? error : `error: ${error}`}
				</Text>
			) : null}
			<Text dimColor={theme.color} wrap="truncate-end">{`Enter ${submitHint}  Esc cancel (nothing is sent)  Ctrl-U clear`}</Text>
		</Box>
	);
}
