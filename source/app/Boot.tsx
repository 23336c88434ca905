// The first frame, drawn before the heavy modules (client-node, the embedded cluster) are loaded:
// the header's shape and a spinner that says what is being waited for.
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {SPARE_ROWS} from '../screen/layout.js';
import {Header} from './Header.js';
import {StatusLine} from './StatusLine.js';
import {useTheme} from './theme.js';
import {useTerminalSize} from './use-terminal-size.js';

export type BootProps = {
	context?: string;
	namespace?: string;
	deployment?: string;
	// What is being waited for, e.g. "starting the embedded cluster".
	step: string;
};

// The boot screen.
export function Boot({context, namespace, deployment, step}: BootProps) {
	const theme = useTheme();
	const {columns, rows} = useTerminalSize();
	const height = Math.max(10, rows - SPARE_ROWS);
	const hint = '? help  q quit';
	return (
		<Box flexDirection="column" width={columns} height={height}>
			<Header
				width={columns}
				context={context ?? '…'}
				namespace={namespace ?? '…'}
				deployment={deployment}
				strategy=""
				connection={{text: 'connecting', tone: 'busy'}}
				readonly={false}
				view=""
			/>
			<Box flexGrow={1} paddingLeft={2} paddingTop={1}>
				<Text color={theme.color ? 'yellow' : undefined}>
					<Spinner type={theme.unicode ? 'dots' : 'line'} /> {step}
				</Text>
			</Box>
			<StatusLine width={columns} text={step} color="cyan" hint={hint} room={Math.max(0, columns - hint.length - 1)} />
		</Box>
	);
}
