// Two lines at the top: where we are (context, server version, namespace, deployment) and how (strategy,
// the watch connection), so a glance says which cluster a rollout is happening on.
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import type {HeaderProps} from '../screen/header.js';
import {useTheme} from './theme.js';

function Field({label, value}: {label: string; value: string}) {
	const theme = useTheme();
	return (
		<Text>
			<Text dimColor={theme.color}>{label} </Text>
			<Text bold={theme.color} color={theme.color ? 'cyan' : undefined}>
				{value}
			</Text>
			{'  '}
		</Text>
	);
}

const TONE_COLOR = {ok: 'green', busy: 'yellow', bad: 'red'} as const;

// The header; the spinner turns while the connection is not yet live.
export function Header({width, context, serverVersion, namespace, deployment, strategy, connection, readonly, view}: HeaderProps) {
	const theme = useTheme();
	const spinning = connection.tone !== 'ok';
	// The connection keeps at most half the line; the strategy gets the rest.
	const connectionWidth = Math.min(connection.text.length + (spinning ? 2 : 0), Math.max(8, Math.floor(width / 2)));
	const color = theme.color ? TONE_COLOR[connection.tone] : undefined;
	return (
		<Box flexDirection="column" width={width} height={2} flexShrink={0}>
			<Box width={width} height={1}>
				<Text wrap="truncate-end">
					<Field label="ctx" value={context} />
					<Field label="server" value={serverVersion ?? '…'} />
					<Field label="ns" value={namespace} />
					<Field label="deploy" value={deployment ?? '(pick one)'} />
					{readonly ? <Text color={theme.color ? 'magenta' : undefined}>[read-only]</Text> : null}
				</Text>
			</Box>
			<Box width={width} height={1}>
				<Box flexGrow={1} flexShrink={1}>
					<Text wrap="truncate-end" dimColor={theme.color}>
						{strategy}
					</Text>
				</Box>
				{view ? (
					<Box flexShrink={0} marginLeft={1}>
						<Text color={theme.color ? 'cyan' : undefined}>{view}</Text>
					</Box>
				) : null}
				<Box flexShrink={0} marginLeft={1} width={connectionWidth} justifyContent="flex-end">
					{spinning ? (
						<Text color={color}>
							<Spinner type={theme.unicode ? 'dots' : 'line'} />{' '}
						</Text>
					) : null}
					<Text wrap="truncate-end" color={color} bold={theme.color}>
						{connection.text}
					</Text>
				</Box>
			</Box>
		</Box>
	);
}
