// The cockpit screen: reads the store through selectors, lays the panes out for the terminal size,
// and turns keys into navigation (UI state in a reducer) or store commands. It never calls the API.
import {useCallback} from 'react';
import {Box, Text, useApp, useInput, useStdin} from 'ink';
import type {CockpitStore} from '../state/store.js';
import {useCockpit} from '../state/use-store.js';
import {
	selectDeployment,
	selectDeploymentRows,
	selectEventRows,
	selectPod,
	selectPodEventRows,
	selectPodRows,
	selectRollout,
	selectReplicaSets,
} from '../state/selectors.js';
import {revisionOf} from '../model/rollout-progress.js';
import {Header} from './Header.js';
import {RolloutPanel, rolloutPanelHeight} from './RolloutPanel.js';
import {PodsPane} from './PodsPane.js';
import {EventsPane} from './EventsPane.js';
import {PodDetail, podDetailMaxScroll} from './PodDetail.js';
import {HelpOverlay} from './HelpOverlay.js';
import {GracefulOverlay} from './GracefulOverlay.js';
import {ProbePanel, probePanelHeight} from './ProbePanel.js';
import {useProbe, type ProbeSource} from './use-probe.js';
import {formatVerdict} from '../probe/stats.js';
import {DeploymentPicker} from './DeploymentPicker.js';
import {StatusLine} from './StatusLine.js';
import {PaneTitle} from './PaneTitle.js';
import {connectionSummary, strategyText} from './format.js';
import {commandForKey, flowCommandForKey} from './keymap.js';
import type {ActionRunner} from '../kube/actions/runner.js';
import {actionBarHeight, historyIndex, historyRows, promptOpen, useActionFlow, type Flow} from './use-action-flow.js';
import {HistoryOverlay} from './HistoryOverlay.js';
import {TemplateView, revisionView, templateViewMaxScroll} from './TemplateView.js';
import {ConfirmBar} from './ConfirmBar.js';
import {TextPrompt} from './TextPrompt.js';
import {balanceLists, listRows, placeProbe} from './screen-plan.js';
import {MIN_COLUMNS, MIN_ROWS, screenLayout} from '../model/layout.js';
import {selectedIndex, useNavigation, type View} from './use-navigation.js';
import {useTerminalSize} from './use-terminal-size.js';
import {SPARE_ROWS} from './spare-rows.js';
import type {Key} from 'ink';

export type AppProps = {
	store: CockpitStore;
	/** Disables keys that change the cluster (r, i, s, u, p): they say so instead; shown in the header. @default false */
	readonly?: boolean;
	/** Sends confirmed changes (r, i, s, u, p); without it those keys say they are not available. */
	actions?: ActionRunner;
	/** Called when the user quits, before Ink exits. */
	onQuit?: () => void;
	/** Extra lines for the help overlay (the demo's kubectl commands). */
	notes?: readonly string[];
	/** The probe session (outside React, like the store); without it there is no probe panel (--no-probe). */
	probe?: ProbeSource;
};

// The whole state: the selectors below are memoised on its pieces, so this costs nothing extra.
const selectAll = (s: ReturnType<CockpitStore['getState']>) => s;

// The whole cockpit.
export function App({store, readonly = false, onQuit, notes, probe: probeSource, actions: runner}: AppProps) {
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const terminal = useTerminalSize();
	const state = useCockpit(store, selectAll);
	const probe = useProbe(probeSource);
	const deployment = selectDeployment(state);
	const rollout = selectRollout(state);
	const podRows = selectPodRows(state);
	const eventRows = selectEventRows(state);
	const deploymentRows = selectDeploymentRows(state);
	const [nav, dispatch] = useNavigation(state.deploymentName !== undefined);
	const view: View = state.deploymentName === undefined ? 'picker' : nav.view === 'picker' ? 'main' : nav.view;
	const actions = useActionFlow({store, runner, readonly});
	const flow = actions.state.flow;
	const columns = terminal.columns;
	const rows = Math.max(1, terminal.rows - SPARE_ROWS);
	// A prompt or confirmation takes its rows from the panes above it.
	const barHeight = actionBarHeight(flow);
	const screenRows = Math.max(1, rows - barHeight);
	const rolloutWanted = rollout ? rolloutPanelHeight(rollout.progress, rollout.sentence, columns) : 3;
	const probeWanted = probe && view === 'main' ? probePanelHeight(probe, columns) : 0;
	const fullLayout = screenLayout(columns, screenRows, {rolloutHeight: rolloutWanted});
	const listsNeed =
		fullLayout.arrangement === 'stacked'
			? listRows(podRows.length) + listRows(eventRows.length)
			: Math.max(listRows(podRows.length), listRows(eventRows.length));
	const {probe: probeRect, layout} = placeProbe(fullLayout, probeWanted, listsNeed);
	const lists = balanceLists(layout, podRows.length, eventRows.length);
	const bodyHeight = screenRows - layout.header.height - layout.status.height;
	const detailPod = view === 'detail' && nav.detailPod ? selectPod(state, nav.detailPod) : undefined;
	const detailEvents = view === 'detail' && nav.detailPod ? selectPodEventRows(state, nav.detailPod) : [];
	const podNames = podRows.map((r) => r.name);
	const eventKeys = eventRows.map((r) => r.key);
	const deploymentNames = deploymentRows.map((r) => r.name);
	// The history overlay (also behind a confirmation it opened), its rows and the revision's text.
	const historyFlow = flow.step === 'history' ? flow : flow.step === 'confirm' ? flow.back : undefined;
	const history = historyFlow ? historyRows(deployment, selectReplicaSets(state)) : [];
	const revisions = history.map((r) => r.revision);
	const historySelected = historyFlow ? historyIndex(historyFlow, revisions) : -1;
	const revisionText =
		historyFlow && historyFlow.view !== 'list' && deployment && historySelected >= 0
			? revisionView(historyFlow.view, deployment, selectReplicaSets(state), history, revisions[historySelected])
			: undefined;

	const onKey = useCallback(
		(input: string, key: Key) => {
			if (flow.step !== 'idle') {
				const scrollMax = revisionText ? templateViewMaxScroll(revisionText.lines.length, bodyHeight) : 0;
				const flowCommand = flowCommandForKey(input, key, flow, {revisions, pageSize: Math.max(1, bodyHeight - 4), scrollMax});
				if (flowCommand?.type === 'quit') {
					onQuit?.();
					exit();
					return;
				}
				if (flowCommand) {
					actions.run(flowCommand, revisions);
					return;
				}
			}
			const effective = {...nav, view};
			const pageSize = view === 'picker' ? bodyHeight - 3 : nav.focus === 'pods' ? lists.pods.height - 2 : lists.events.height - 2;
			const command = commandForKey(input, key, effective, {
				podNames,
				eventKeys,
				deploymentNames,
				pageSize: view === 'detail' ? bodyHeight - 1 : pageSize,
				detailMax: podDetailMaxScroll(detailPod, detailEvents, state.now, bodyHeight),
			});
			if (!command) return;
			switch (command.type) {
				case 'quit':
					onQuit?.();
					exit();
					return;
				case 'pick':
					store.selectDeployment(command.name);
					dispatch({type: 'picked'});
					return;
				case 'unpick':
					store.selectDeployment(undefined);
					dispatch({type: 'showPicker'});
					return;
				case 'nav':
					dispatch(command.action);
					return;
				case 'action':
					actions.start(command.action);
			}
		},
		[
			nav,
			view,
			podNames,
			eventKeys,
			deploymentNames,
			lists,
			bodyHeight,
			detailPod,
			detailEvents,
			state.now,
			store,
			exit,
			onQuit,
			dispatch,
			flow,
			revisions,
			revisionText,
			actions,
		],
	);
	// A text prompt reads the keys itself: typed letters must not also move, quit or start actions.
	useInput(onKey, {isActive: isRawModeSupported === true && !promptOpen(flow)});

	const connection = connectionSummary(state.connection, state.now);
	const header = (
		<Header
			width={columns}
			context={state.context}
			serverVersion={state.serverVersion}
			namespace={state.namespace}
			deployment={state.deploymentName}
			strategy={strategyText(deployment)}
			connection={connection}
			readonly={readonly}
		/>
	);
	let status = statusFor(state, view);
	const selectedEvent =
		view === 'main' && nav.focus === 'events' && !nav.help ? eventRows[selectedIndex(nav.events, eventKeys)] : undefined;
	// A selected event's whole text, which its row may have cut.
	if (selectedEvent && !state.statusLine)
		status = {text: `${selectedEvent.object}: ${selectedEvent.message}`, tone: selectedEvent.type === 'Normal' ? 'info' : 'error'};
	let hint =
		view === 'detail'
			? 'Esc back  ? help  q quit'
			: view === 'picker'
				? 'Enter open  ? help  q quit'
				: 'Tab pane  Enter detail  ? help  q quit';
	if (flow.step === 'confirm') hint = 'y apply  n cancel';
	else if (historyFlow) hint = historyFlow.view === 'list' ? 'Enter template  d diff  Esc close' : 'Enter template  d diff  Esc list';

	let body: React.ReactNode;
	if (layout.tooSmall) {
		body = (
			<Text wrap="wrap">{`The terminal is ${columns}x${terminal.rows}; the cockpit needs at least ${MIN_COLUMNS}x${MIN_ROWS + SPARE_ROWS}.`}</Text>
		);
	} else if (historyFlow) {
		body = revisionText ? (
			<TemplateView width={columns} height={bodyHeight} title={revisionText.title} lines={revisionText.lines} scroll={historyFlow.scroll} />
		) : (
			<HistoryOverlay
				width={columns}
				height={bodyHeight}
				deploymentName={state.deploymentName ?? ''}
				rows={history}
				selected={historySelected}
				now={state.now}
				readonly={readonly}
			/>
		);
	} else if (nav.help) {
		body = <HelpOverlay width={columns} height={bodyHeight} readonly={readonly} notes={notes} />;
	} else if (nav.graceful) {
		// The deployment under the cursor in the picker, else the one being watched; the probe's verdicts are about the latter only.
		const name = view === 'picker' ? deploymentNames[selectedIndex(nav.picker, deploymentNames)] : state.deploymentName;
		const checked = name === undefined ? undefined : state.deployments.get(name);
		const lastVerdict = name === state.deploymentName ? probe?.verdicts.at(-1) : undefined;
		body = (
			<GracefulOverlay
				width={columns}
				height={bodyHeight}
				deployment={checked}
				verdict={lastVerdict ? formatVerdict(lastVerdict) : undefined}
			/>
		);
	} else if (view === 'picker') {
		body = (
			<DeploymentPicker
				width={columns}
				height={bodyHeight}
				namespace={state.namespace}
				rows={deploymentRows.map((d) => ({...d, upToDate: String(d.upToDate), available: String(d.available)}))}
				selected={selectedIndex(nav.picker, deploymentNames)}
				loading={!state.synced.deployments}
			/>
		);
	} else if (view === 'detail' && nav.detailPod) {
		const revision = detailPod ? revisionFor(detailPod, selectReplicaSets(state)) : undefined;
		body = (
			<PodDetail
				width={columns}
				height={bodyHeight}
				podName={nav.detailPod}
				pod={detailPod}
				events={detailEvents}
				now={state.now}
				revision={revision}
				scroll={nav.detailScroll}
			/>
		);
	} else {
		const panes = [
			<PodsPane
				key="pods"
				rows={podRows}
				selected={selectedIndex(nav.pods, podNames)}
				focused={nav.focus === 'pods'}
				width={lists.pods.width}
				height={lists.pods.height}
				empty={state.synced.pods ? 'No pods.' : 'listing pods…'}
			/>,
			<EventsPane
				key="events"
				rows={eventRows}
				selected={selectedIndex(nav.events, eventKeys)}
				focused={nav.focus === 'events'}
				width={lists.events.width}
				height={lists.events.height}
				now={state.now}
				empty={state.synced.events ? 'No events for this deployment.' : 'listing events…'}
			/>,
		];
		const shown = lists.events.height > 0 ? panes : panes.slice(0, 1);
		body = (
			<Box flexDirection="column" height={bodyHeight}>
				{rollout && state.deploymentName ? (
					<RolloutPanel
						width={columns}
						height={layout.rollout.height}
						deploymentName={state.deploymentName}
						progress={rollout.progress}
						sentence={rollout.sentence}
						tone={rollout.status.error !== undefined ? 'error' : rollout.status.done ? 'done' : 'progress'}
						paused={deployment?.spec?.paused === true}
					/>
				) : (
					<Box flexDirection="column" height={layout.rollout.height}>
						<PaneTitle title="Rollout" width={columns} />
					</Box>
				)}
				{probe && probeRect.height > 0 ? <ProbePanel width={columns} height={probeRect.height} probe={probe} /> : null}
				{layout.arrangement === 'side-by-side' ? (
					<Box flexDirection="row" height={lists.pods.height}>
						{panes[0]}
						<Box width={1} />
						{panes[1]}
					</Box>
				) : (
					shown
				)}
			</Box>
		);
	}

	return (
		<Box flexDirection="column" width={columns} height={rows}>
			{header}
			<Box height={bodyHeight} flexDirection="column" overflow="hidden">
				{body}
			</Box>
			{actionBar(flow, columns, actions)}
			<StatusLine width={columns} text={status.text} tone={status.tone} hint={hint} />
		</Box>
	);
}

// The prompt or confirmation under the panes, if the flow has one.
function actionBar(flow: Flow, width: number, actions: ReturnType<typeof useActionFlow>): React.ReactNode {
	if (flow.step === 'confirm') return <ConfirmBar width={width} plan={flow.plan} />;
	if (flow.step === 'scale') {
		return (
			<TextPrompt
				key="scale"
				width={width}
				title="Scale"
				label="replicas"
				initial={String(flow.current)}
				error={flow.error}
				submitHint="review the change"
				onSubmit={actions.submitScale}
				onCancel={actions.cancel}
			/>
		);
	}
	if (flow.step === 'image') {
		const target = flow.targets[flow.at];
		const title = `Set image ${flow.at + 1}/${flow.targets.length}: ${target.init ? 'init container' : 'container'} ${target.name}`;
		const last = flow.at === flow.targets.length - 1;
		return (
			<TextPrompt
				key={`image-${flow.at}`}
				width={width}
				title={title}
				label="image"
				initial={target.image}
				error={flow.error}
				submitHint={last ? 'review the change' : 'next container'}
				onSubmit={actions.submitImage}
				onCancel={actions.cancel}
			/>
		);
	}
	return null;
}

function revisionFor(
	pod: {metadata?: {ownerReferences?: {uid?: string; controller?: boolean}[] | null} | null},
	replicaSets: ReturnType<typeof selectReplicaSets>,
): string | undefined {
	const owner = pod.metadata?.ownerReferences?.find((o) => o.controller);
	const rs = replicaSets.find((r) => r.metadata?.uid === owner?.uid);
	const rev = rs ? revisionOf(rs) : 0;
	return rev > 0 ? String(rev) : undefined;
}

// The status line: the store's message when there is one, else what the cockpit is waiting for.
function statusFor(state: ReturnType<CockpitStore['getState']>, view: string): {text?: string; tone?: 'info' | 'error' | 'success'} {
	if (state.statusLine) return state.statusLine;
	if (view === 'picker') return {text: state.synced.deployments ? undefined : 'listing deployments…'};
	if (!state.synced.deployments) return {text: 'listing deployments…'};
	if (state.deploymentName !== undefined && !state.deployments.has(state.deploymentName)) {
		return {text: `deployment "${state.deploymentName}" not found in namespace "${state.namespace}"`, tone: 'error'};
	}
	if (!state.synced.pods || !state.synced.replicaSets) return {text: 'listing pods and replica sets…'};
	return {};
}
