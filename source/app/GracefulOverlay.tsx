// The `g` overlay: "Was it graceful?" before the rollout. Each setting of the selected deployment that lets
// a rollout drop requests, with a one-line why and the fix (model/graceful.ts), next to what the probe saw.
import {useMemo} from 'react';
import {Box, Text} from 'ink';
import {gracefulCheck, type GracefulFinding} from '../model/graceful.js';
import type {Deployment} from '../model/types.js';
import {glyphs, useTheme} from './theme.js';

export type GracefulOverlayProps = {
	width: number;
	height: number;
	/** The selected deployment as the watch has it; undefined when none is selected. */
	deployment: Deployment | undefined;
	/** The probe's last verdict line for this deployment (formatVerdict), shown as the evidence. */
	verdict?: string;
};

// A short name for each finding, in the words of the issue and of `kubectl explain`.
export const FINDING_TITLES: Record<GracefulFinding['id'], string> = {
	'recreate-strategy': 'strategy Recreate',
	'single-replica': 'a single replica',
	'max-unavailable-all': 'maxUnavailable leaves no ready pod',
	'invalid-rolling-update': 'rollingUpdate cannot be resolved',
	'no-readiness-probe': 'no readinessProbe',
	'no-prestop': 'no preStop delay',
	'grace-period-too-short': 'terminationGracePeriodSeconds not longer than the preStop sleep',
};

// Lines a text takes when wrapped at width (Ink wraps at word boundaries; this is close enough to budget).
function wrappedLines(text: string, width: number): number {
	return Math.max(1, Math.ceil(text.length / Math.max(1, width)));
}

// A bordered box; Esc or g closes it (the app's keymap decides).
export function GracefulOverlay({width, height, deployment, verdict}: GracefulOverlayProps) {
	const theme = useTheme();
	const g = glyphs(theme);
	const c = (color: string) => (theme.color ? color : undefined);
	const findings = useMemo(() => (deployment ? gracefulCheck(deployment) : []), [deployment]);
	const inner = Math.max(10, width - 4);
	const name = deployment?.metadata?.name;
	const cross = theme.unicode ? '✗' : 'x';
	const tick = theme.unicode ? '✓' : 'ok';
	// Border (2) + title + summary + blank + verdict (maybe) + closing hint.
	const fixed = 2 + 3 + (verdict ? wrappedLines(`Probe: ${verdict}`, inner) : 0) + 1;
	let room = Math.max(0, height - fixed);
	const shown: GracefulFinding[] = [];
	for (const f of findings) {
		const need = 1 + wrappedLines(f.why, inner - 7) + wrappedLines(f.fix, inner - 7);
		const reserve = shown.length + 1 < findings.length ? 1 : 0;
		if (need + reserve > room) break;
		shown.push(f);
		room -= need;
	}
	const hidden = findings.length - shown.length;
	const summary = !deployment
		? 'Select a deployment to check its rollout settings.'
		: findings.length === 0
			? `${tick} nothing in these settings lets a rollout drop requests; the probe has the last word.`
			: `${findings.length} setting${findings.length === 1 ? '' : 's'} let${findings.length === 1 ? 's' : ''} a rollout drop requests:`;
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle={g.border} paddingX={1} overflow="hidden">
			<Text bold={theme.color} wrap="truncate-end">{`Was it graceful?${name ? ` deployment ${name}` : ''}`}</Text>
			<Text color={c(findings.length === 0 ? 'green' : 'yellow')} wrap="wrap">
				{summary}
			</Text>
			<Text> </Text>
			{shown.map((f) => (
				<Box key={`${f.id}/${f.container ?? ''}`} flexDirection="column" width={inner}>
					<Text color={c('red')} bold={theme.color} wrap="truncate-end">
						{`${cross} ${FINDING_TITLES[f.id]}${f.container ? ` (container ${f.container})` : ''}`}
					</Text>
					<Box paddingLeft={2}>
						<Box width={5} flexShrink={0}>
							<Text dimColor={theme.color}>why:</Text>
						</Box>
						<Text wrap="wrap">{f.why}</Text>
					</Box>
					<Box paddingLeft={2}>
						<Box width={5} flexShrink={0}>
							<Text dimColor={theme.color}>fix:</Text>
						</Box>
						<Text color={c('green')} wrap="wrap">
							{f.fix}
						</Text>
					</Box>
				</Box>
			))}
			{hidden > 0 ? <Text dimColor={theme.color} wrap="truncate-end">{`+${hidden} more: enlarge the terminal to see them`}</Text> : null}
			{verdict ? <Text color={c(/: 0 failed/.test(verdict) ? 'green' : 'red')} wrap="wrap">{`Probe: ${verdict}`}</Text> : null}
			<Text dimColor={theme.color}>Esc or g closes this check.</Text>
		</Box>
	);
}
