// The whole frame as the screen model lays it out: header, body, the bar under it, the status line.
import {Box, Text} from 'ink';
import type {Body, Screen} from '../screen/screen.js';
import {Header} from './Header.js';
import {PaneView} from './PaneView.js';
import {StatusLine} from './StatusLine.js';
import {ThemeContext} from './theme.js';

function BodyView({body, height}: {body: Body; height: number}) {
	if (body.kind === 'message') return <Text wrap="wrap">{body.text}</Text>;
	if (body.kind === 'pane') return <PaneView pane={body.pane} />;
	return (
		<Box flexDirection="column" height={height}>
			<PaneView pane={body.rollout} />
			{body.probe ? <PaneView pane={body.probe} /> : null}
			{body.arrangement === 'side-by-side' && body.events ? (
				<Box flexDirection="row" height={body.pods.height}>
					<PaneView pane={body.pods} />
					<Box width={1} />
					<PaneView pane={body.events} />
				</Box>
			) : (
				<>
					<PaneView pane={body.pods} />
					{body.events ? <PaneView pane={body.events} /> : null}
				</>
			)}
		</Box>
	);
}

// The frame.
export function Frame({screen}: {screen: Screen}) {
	return (
		<ThemeContext.Provider value={screen.theme}>
			<Box flexDirection="column" width={screen.width} height={screen.height}>
				<Header {...screen.header} />
				<Box height={screen.bodyHeight} flexDirection="column" overflow="hidden">
					<BodyView body={screen.body} height={screen.bodyHeight} />
				</Box>
				{screen.bar ? <PaneView pane={screen.bar} /> : null}
				<StatusLine {...screen.status} />
			</Box>
		</ThemeContext.Provider>
	);
}
