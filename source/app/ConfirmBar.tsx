// The y/N question before anything is sent: the kubectl command it amounts to and one line per change,
// e.g. "nginx: image nginx:1.20.1 -> nginx:1.18 (revision 2)". Only y sends; anything else cancels.

import {Box, Text} from 'ink';
import type {ActionPlan} from '../kube/actions/types.js';
import {PaneTitle} from './PaneTitle.js';
import {useTheme} from './theme.js';

// Change lines shown at most; more are summed up in one line (a template diff can be long).
const MAX_CHANGES = 6;

// Lines the bar takes: the title, the changes (at most MAX_CHANGES + 1), the change-cause, the question.
export function confirmBarHeight(plan: ActionPlan): number {
	const changes = plan.changes.length > MAX_CHANGES ? MAX_CHANGES + 1 : plan.changes.length;
	return 2 + changes + (plan.changeCause ? 1 : 0);
}

export type ConfirmBarProps = {
	width: number;
	plan: ActionPlan;
};

// The confirmation; the keys are read by the cockpit's keymap (y applies, anything else cancels).
export function ConfirmBar({width, plan}: ConfirmBarProps) {
	const theme = useTheme();
	const shown = plan.changes.length > MAX_CHANGES ? plan.changes.slice(0, MAX_CHANGES) : plan.changes;
	const more = plan.changes.length - shown.length;
	return (
		<Box flexDirection="column" width={width} height={confirmBarHeight(plan)} flexShrink={0}>
			<PaneTitle title="Confirm" detail={`kubectl ${plan.command}`} width={width} focused />
			{shown.map((line, i) => (
				<Text key={i} wrap="truncate-end">
					{`  ${line}`}
				</Text>
			))}
			{more > 0 ? <Text wrap="truncate-end">{`  … and ${more} more change${more === 1 ? '' : 's'}`}</Text> : null}
			{plan.changeCause ? <Text dimColor={theme.color} wrap="truncate-end">{`  change-cause: ${plan.changeCause}`}</Text> : null}
			<Text wrap="truncate-end">
				<Text bold={theme.color} color={theme.color ? 'yellow' : undefined}>
					{`Apply to deployment/${plan.name} in ${plan.namespace}? [y/N]`}
				</Text>
				{'  y sends it; n, Esc or any other key cancels'}
			</Text>
		</Box>
	);
}
