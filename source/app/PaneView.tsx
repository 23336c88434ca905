// Draws a pane of the screen model: its title rule and its lines of styled text. Colour, bold, dim and inverse
// only when the theme has colour, so NO_COLOR draws plain text with the same content.
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import type {Line, Pane} from '../screen/lines.js';
import {useTheme} from './theme.js';

// One line: its segments in one Text, cut or wrapped; indented or with a lead column when it says so.
export function LineView({line}: {line: Line}) {
	const theme = useTheme();
	const inverse = theme.color && line.inverse === true;
	const text = (
		<Text wrap={line.wrap ? 'wrap' : line.cutStart ? 'truncate-start' : 'truncate-end'} inverse={inverse}>
			{line.segments.map((s, i) =>
				s.spinner ? (
					<Spinner key={i} type={theme.unicode ? 'dots' : 'line'} />
				) : (
					<Text key={i} color={theme.color && !inverse ? s.color : undefined} bold={theme.color && s.bold} dimColor={theme.color && s.dim}>
						{s.text}
					</Text>
				),
			)}
		</Text>
	);
	if (!line.indent && !line.lead && line.rows === undefined) return text;
	return (
		<Box paddingLeft={line.indent ?? 0} height={line.rows} flexShrink={0}>
			{line.lead ? (
				<Box width={line.lead.width} flexShrink={0}>
					<Text dimColor={theme.color && line.lead.dim}>{line.lead.text}</Text>
				</Box>
			) : null}
			{text}
		</Box>
	);
}

// A pane: a box of its size with the title rule and the lines (or a border around them).
export function PaneView({pane}: {pane: Pane}) {
	const theme = useTheme();
	const lines = pane.lines.map((l) => <LineView key={l.key} line={l} />);
	if (pane.border) {
		return (
			<Box
				flexDirection="column"
				width={pane.width}
				height={pane.height}
				borderStyle={theme.unicode ? 'single' : 'classic'}
				paddingX={1}
				overflow="hidden"
			>
				{lines}
			</Box>
		);
	}
	return (
		<Box flexDirection="column" width={pane.width} height={pane.height} flexShrink={0} overflow="hidden">
			{pane.title ? <LineView line={pane.title} /> : null}
			{lines}
		</Box>
	);
}
