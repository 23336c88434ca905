// The screen as a pure function of the state and the terminal's size: every pane's lines, where each pane goes,
// the status line with its hint, and what the keys need to know about the lists on screen (names, rows in view,
// the first row shown). Components only draw what this returns; keys and tests read the same model.
import type {EventRow} from '../model/events.js';
import type {GracefulContext} from '../model/graceful.js';
import type {Deployment, Pod} from '../model/types.js';
import {
	memoizeLast,
	selectDeployment,
	selectDeploymentList,
	selectEventRows,
	selectHistory,
	selectPodEventRows,
	selectPodOwners,
	selectPods,
	selectReplicaSets,
	selectDiagnosis,
	selectRollout,
} from '../state/selectors.js';
import {diagnosisSummary} from '../model/stuck-pods.js';
import type {CockpitState} from '../state/store.js';
import {selectedIndex, topView, type PodSort, type Theme, type Tone} from '../state/ui.js';
import {filterList, logFilter, shownFilter, type ParsedFilter} from './filter.js';
import {barPane, barRows} from './bar.js';
import {detailPane} from './detail.js';
import {eventFilterText, eventLine, eventsPane, type EventLine} from './events.js';
import {gracefulPane} from './graceful.js';
import {headerProps, isForbidden, watchReason, type HeaderProps} from './header.js';
import {accessNote, command, unavailableCommands} from '../commands/registry.js';
import {helpPane} from './help.js';
import {HISTORY_CHROME, historyIndex, historyPane, revisionView, textMaxScroll, textPane} from './history.js';
import {balanceLists, listRows, MIN_COLUMNS, MIN_ROWS, placeProbe, rolloutPanelHeight, screenLayout, SPARE_ROWS} from './layout.js';
import type {Pane} from './lines.js';
import {PICKER_CHROME, pickerPane} from './picker.js';
import {podRow, podsInView, podsPane} from './pods.js';
import {probePane, probeWanted} from './probe.js';
import {drainingReplicaSets, rolloutPane} from './rollout.js';
import {logsPane, type LogsNav} from './logs.js';
import {timelineColumns, timelinePane} from './timeline.js';
import {timelineData} from '../model/timeline.js';
import type {TimelineView} from '../state/timeline-recorder.js';

export type Size = {columns: number; rows: number};

// A list the keys move in: its row names, the rows in view, the first row shown.
export type ListNav = {names: readonly string[]; rows: number; start: number};

// What the keys need to know about the screen.
export type Nav = {
	pods?: ListNav;
	events?: ListNav;
	picker?: ListNav;
	history?: ListNav & {revisions: readonly number[]};
	// A scrolled text (a pod's detail, a revision): how far it scrolls, and the rows of a page.
	text?: {max: number; page: number};
	// The log view: its lines after the filter, the bottom one, a page.
	logs?: LogsNav;
};

// The body between the header and the bar: one pane, the deployment's panes, or why nothing fits.
export type Body =
	| {kind: 'message'; text: string}
	| {kind: 'pane'; pane: Pane}
	| {kind: 'deployment'; rollout: Pane; probe?: Pane; arrangement: 'stacked' | 'side-by-side'; pods: Pane; events?: Pane};

// The status line: a message (cut to leave room for the hint) and the hint on the right.
export type StatusProps = {width: number; text: string; color?: string; hint: string; room: number};

export type Screen = {
	theme: Theme;
	width: number;
	// The frame's rows (one is kept spare below it).
	height: number;
	header: HeaderProps;
	bodyHeight: number;
	body: Body;
	bar?: Pane;
	status: StatusProps;
	nav: Nav;
};

const STATUS_COLOR: Record<Tone, string> = {info: 'cyan', error: 'red', success: 'green'};

const podNames = memoizeLast((pods: readonly Pod[]) => pods.map((p) => p.metadata?.name ?? ''));
const eventKeys = memoizeLast((rows: readonly EventRow[]) => rows.map((r) => r.key));

// The lists as shown: filtered by `/` and (the pods) sorted, each memoised on its inputs, so neither a tick of
// the clock nor a key that changes neither the list, the filter nor the sort re-filters 20,000 pods.
const podsShown = memoizeLast(
	(pods: Pod[], filter: ParsedFilter, sort: PodSort | undefined, owners: ReturnType<typeof selectPodOwners>): readonly Pod[] =>
		podsInView(pods, filter, sort, (pod) => owners(pod)?.revision ?? 0),
);
const eventsShown = memoizeLast((rows: EventRow[], filter: ParsedFilter) => filterList(rows, filter, eventFilterText));
const deploymentsShown = memoizeLast((list: Deployment[], filter: ParsedFilter) => filterList(list, filter, (d) => d.metadata?.name ?? ''));

// The deployment list the picker shows (and the graceful check picks from): the namespace's, filtered.
export function pickerList(state: CockpitState): readonly Deployment[] {
	return deploymentsShown(selectDeploymentList(state), shownFilter(state));
}

const built = memoizeLast(build);

// The graceful check's context: the budgets `g` read, when they are this namespace's (a read that failed says
// nothing about them, so no finding is made either way).
function budgetsOf(state: CockpitState): GracefulContext {
	const b = state.budgets;
	return b && b.namespace === state.namespace && 'items' in b ? {pdbs: b.items} : {};
}
const timelineOf = memoizeLast((view: TimelineView, _revision: number, now: number, columns: number) =>
	timelineData(view.input(now), columns),
);

// The screen for the state at this size; the same object again for the same state and size (App and the keys ask alike).
export function screen(state: CockpitState, size: Size): Screen {
	return built(state, size.columns, size.rows);
}

function build(state: CockpitState, columns: number, terminalRows: number): Screen {
	const {ui} = state;
	const theme = ui.session.theme;
	const view = topView(ui);
	const deployment = selectDeployment(state);
	const rollout = selectRollout(state);
	const rows = Math.max(1, terminalRows - SPARE_ROWS);
	// A prompt or confirmation takes its rows from the panes above it.
	const screenRows = Math.max(1, rows - barRows(ui.bar));
	const filter = shownFilter(state);
	const allPods = selectPods(state);
	const allEvents = selectEventRows(state);
	const owners = selectPodOwners(selectReplicaSets(state));
	const pods = podsShown(allPods, filter, ui.sort, owners);
	const events = eventsShown(allEvents, filter);
	const draining = rollout ? drainingReplicaSets(rollout.progress).length : 0;
	const stuck = view.kind === 'deployment' ? selectDiagnosis(state) : undefined;
	const diagnosis = stuck ? `will not progress: ${diagnosisSummary(stuck)}` : undefined;
	const rolloutWanted = rollout ? rolloutPanelHeight(draining, rollout.sentence, columns, diagnosis) : 3;
	const probeRows = state.probe && view.kind === 'deployment' ? probeWanted(state.probe, columns) : 0;
	const full = screenLayout(columns, screenRows, {rolloutHeight: rolloutWanted});
	const listsNeed =
		full.arrangement === 'stacked'
			? listRows(pods.length) + listRows(events.length)
			: Math.max(listRows(pods.length), listRows(events.length));
	const {probe: probeRect, layout} = placeProbe(full, probeRows, listsNeed);
	const lists = balanceLists(layout, pods.length, events.length);
	const bodyHeight = screenRows - layout.header.height - layout.status.height;
	const nav: Nav = {};
	let body: Body;
	let selectedEvent: EventLine | undefined;

	if (layout.tooSmall) {
		body = {
			kind: 'message',
			text: `The terminal is ${columns}x${terminalRows}; the cockpit needs at least ${MIN_COLUMNS}x${MIN_ROWS + SPARE_ROWS}.`,
		};
	} else if (ui.overlay?.kind === 'help') {
		body = {
			kind: 'pane',
			pane: helpPane({
				theme,
				width: columns,
				height: bodyHeight,
				readonly: ui.session.readonly,
				notes: ui.session.notes,
				unavailable: unavailableCommands(state),
				accessNote: accessNote(state.access),
			}),
		};
	} else if (ui.overlay?.kind === 'graceful') {
		// The deployment under the cursor in the picker, else the one being watched; the probe's verdicts are about the latter only.
		const list = pickerList(state);
		const name =
			view.kind === 'picker'
				? list[
						selectedIndex(
							ui.selection.picker,
							list.map((d) => d.metadata?.name ?? ''),
						)
					]?.metadata?.name
				: state.deploymentName;
		const checked = name === undefined ? undefined : state.deployments.get(name);
		const last = name === state.deploymentName ? state.probe?.verdicts.at(-1) : undefined;
		body = {
			kind: 'pane',
			pane: gracefulPane({theme, width: columns, height: bodyHeight, deployment: checked, verdict: last, context: budgetsOf(state)}),
		};
	} else if (view.kind === 'history') {
		const history = selectHistory(state);
		const revisions = history.map((r) => r.revision);
		const selected = historyIndex(view.revision, revisions);
		if (view.show !== 'list' && deployment && selected >= 0) {
			const text = revisionView(view.show, deployment, selectReplicaSets(state), history, revisions[selected]);
			body = {kind: 'pane', pane: textPane(theme, columns, bodyHeight, text.title, text.lines, view.scroll)};
			nav.text = {max: textMaxScroll(text.lines.length, bodyHeight), page: Math.max(1, bodyHeight - 4)};
		} else {
			const pane = historyPane({
				theme,
				width: columns,
				height: bodyHeight,
				deploymentName: state.deploymentName ?? '',
				rows: history,
				selected,
				windowStart: ui.windows.history,
				now: state.now,
				readonly: ui.session.readonly,
			});
			body = {kind: 'pane', pane};
			nav.history = {names: revisions.map(String), revisions, rows: Math.max(0, bodyHeight - HISTORY_CHROME), start: pane.start};
		}
	} else if (view.kind === 'picker') {
		const list = pickerList(state);
		const names = list.map((d) => d.metadata?.name ?? '');
		const pane = pickerPane({
			theme,
			width: columns,
			height: bodyHeight,
			namespace: state.namespace,
			deployments: list,
			now: state.now,
			selected: selectedIndex(ui.selection.picker, names),
			windowStart: ui.windows.picker,
			loading: !state.synced.deployments,
			of: selectDeploymentList(state).length,
			filter: filter.text || undefined,
		});
		body = {kind: 'pane', pane};
		nav.picker = {names, rows: Math.max(0, bodyHeight - PICKER_CHROME), start: pane.start};
	} else if (view.kind === 'timeline') {
		const timeline = timelineOf(state.timeline, state.timeline.revision, state.now, timelineColumns(columns));
		body = {kind: 'pane', pane: timelinePane({theme, width: columns, height: bodyHeight, timeline})};
	} else if (view.kind === 'logs') {
		const shown = logsPane({
			theme,
			width: columns,
			height: bodyHeight,
			target: view.target,
			lines: state.logs.lines,
			filter: logFilter(state, view),
			anchor: view.anchor,
			streams: state.logs.streams,
			waiting: state.logs.waiting,
			cap: state.logs.cap,
			currentRevision: rollout?.progress.newReplicaSet?.revision,
		});
		body = {kind: 'pane', pane: shown.pane};
		nav.logs = shown.nav;
	} else if (view.kind === 'pod') {
		const pod = state.pods.get(view.pod);
		const owner = pod ? selectPodOwners(selectReplicaSets(state))(pod) : undefined;
		const pane = detailPane({
			theme,
			width: columns,
			height: bodyHeight,
			podName: view.pod,
			pod,
			events: selectPodEventRows(state, view.pod).map((r) => eventLine(r, state.now)),
			now: state.now,
			revision: owner && owner.revision > 0 ? String(owner.revision) : undefined,
			scroll: view.scroll,
		});
		body = {kind: 'pane', pane};
		nav.text = {max: pane.maxScroll, page: Math.max(1, bodyHeight - 1)};
	} else {
		const names = podNames(pods);
		const keys = eventKeys(events);
		const podsShown = podsPane({
			theme,
			pods,
			row: (pod) => podRow(pod, owners(pod), rollout?.newReplicaSetUid, state.now),
			selected: selectedIndex(ui.selection.pods, names),
			windowStart: ui.windows.pods,
			focused: ui.focus === 'pods',
			width: lists.pods.width,
			height: lists.pods.height,
			empty:
				forbiddenText(state, 'pods') ??
				(!state.synced.pods
					? 'listing pods…'
					: filter.text
						? `No pod matches the filter ${JSON.stringify(filter.text)} (Esc clears it).`
						: 'No pods.'),
			of: allPods.length,
		});
		const eventSelected = selectedIndex(ui.selection.events, keys);
		const eventsShown = eventsPane({
			theme,
			rows: events,
			line: (row) => eventLine(row, state.now),
			selected: eventSelected,
			windowStart: ui.windows.events,
			focused: ui.focus === 'events',
			width: lists.events.width,
			height: lists.events.height,
			now: state.now,
			empty:
				forbiddenText(state, 'events') ??
				(!state.synced.events
					? 'listing events…'
					: filter.text
						? `No event matches the filter ${JSON.stringify(filter.text)}.`
						: 'No events for this deployment.'),
			of: allEvents.length,
		});
		if (ui.focus === 'events' && eventSelected >= 0) selectedEvent = eventLine(events[eventSelected], state.now);
		body = {
			kind: 'deployment',
			rollout: rolloutPane({
				theme,
				width: columns,
				height: layout.rollout.height,
				deploymentName: state.deploymentName,
				rollout: rollout && {
					progress: rollout.progress,
					sentence: rollout.sentence,
					tone: rollout.status.error !== undefined ? 'error' : rollout.status.done ? 'done' : 'progress',
				},
				paused: deployment?.spec?.paused === true,
				diagnosis,
			}),
			probe:
				state.probe && probeRect.height > 0 ? probePane({theme, probe: state.probe, width: columns, height: probeRect.height}) : undefined,
			arrangement: layout.arrangement,
			pods: podsShown,
			events: layout.arrangement === 'side-by-side' || lists.events.height > 0 ? eventsShown : undefined,
		};
		nav.pods = {names, rows: Math.max(0, lists.pods.height - 2), start: podsShown.start};
		nav.events = {names: keys, rows: Math.max(0, lists.events.height - 2), start: eventsShown.start};
	}
	return {
		theme,
		width: columns,
		height: rows,
		header: headerProps(state, deployment, columns),
		bodyHeight,
		body,
		bar: ui.bar ? barPane(theme, columns, ui.bar, view.kind === 'logs' ? 'log lines' : undefined) : undefined,
		status: statusLine(state, columns, selectedEvent),
		nav,
	};
}

// What a pane says when the user may not list its kind (403): the apiserver's sentence, naming verb and resource.
function forbiddenText(state: CockpitState, kind: 'pods' | 'events'): string | undefined {
	const watch = state.connection.byKind[kind];
	return watch && isForbidden(watch) ? watchReason(watch) : undefined;
}

// The status line's one rule: a problem with what is on screen (the deployment is not there), else the last
// message (an action's result, a refusal), else the selected event in full, else what the cockpit waits for.
function statusLine(state: CockpitState, width: number, selectedEvent: EventLine | undefined): StatusProps {
	const {ui} = state;
	const view = topView(ui);
	const name = state.deploymentName;
	let status: {text: string; tone: Tone} | undefined;
	if (view.kind === 'picker') {
		status = ui.message ?? (state.synced.deployments ? undefined : {text: 'listing deployments…', tone: 'info'});
	} else {
		const problem =
			state.synced.deployments && name !== undefined && !state.deployments.has(name)
				? {
						text: `deployment "${name}" not found in namespace "${state.namespace}" (waiting for it to appear; Esc lists the deployments)`,
						tone: 'error' as const,
					}
				: undefined;
		const event =
			selectedEvent && ui.overlay?.kind !== 'help'
				? {
						text: `${selectedEvent.object}: ${selectedEvent.message}`,
						tone: selectedEvent.type === 'Normal' ? ('info' as const) : ('error' as const),
					}
				: undefined;
		const waiting = !state.synced.deployments
			? 'listing deployments…'
			: !state.synced.pods || !state.synced.replicaSets
				? 'listing pods and replica sets…'
				: undefined;
		status = problem ?? ui.message ?? event ?? (waiting ? {text: waiting, tone: 'info'} : undefined);
	}
	let hint =
		view.kind === 'logs'
			? `Esc back  / filter  ${view.anchor ? 'G follow' : '↑ scroll back'}${view.target.kind === 'pod' ? '  p previous' : ''}  ? help`
			: view.kind === 'timeline'
				? 'Esc back  T save SVG  ? help  q quit'
				: view.kind === 'pod'
					? 'Esc back  l logs  ? help  q quit'
					: view.kind === 'picker'
						? 'Enter open  ? help  q quit'
						: 'Tab pane  Enter detail  ? help  q quit';
	// Keys the access review denied are named before anyone presses them.
	const denied = [...unavailableCommands(state)].filter(([, why]) => why !== 'read-only').map(([id]) => command(id).keys[0].label);
	if (denied.length > 0 && (view.kind === 'deployment' || view.kind === 'pod')) hint = `${denied.join(' ')} forbidden  ${hint}`;
	if (ui.bar?.kind === 'confirm') hint = 'y apply  n cancel';
	else if (view.kind === 'history') hint = view.show === 'list' ? 'Enter template  d diff  Esc close' : 'Enter template  d diff  Esc list';
	const text = status?.text ?? '';
	// A message that needs the room gets it: the hint shrinks to its last resort.
	if (text && text.length + hint.length + 1 > width) hint = '? help';
	const shown = status?.tone === 'error' && !ui.session.theme.color && text ? `error: ${text}` : text;
	return {width, text: shown, color: status ? STATUS_COLOR[status.tone] : undefined, hint, room: Math.max(0, width - hint.length - 1)};
}
