// The cockpit's one store, outside React (Gatsby's ink reporter style): the cluster cache the reflectors feed,
// the UI state the keys change, and the probe's snapshot. Every change is an Action through one reducer.
// Watch events, connection states, probe snapshots and the 1 s clock are queued and applied together on
// one frame clock, so 5,000-20,000 pods and a fast probe cost at most one notification per frame; a key's
// action is applied at once, so the next key sees it. A frame changes only what changed: each kind's index is
// changed in place and gets one new view per frame, which names the keys changed since the view before (so
// selectors update their results instead of recomputing them), and a flood of events is folded into rows at
// most twice a second.
import {EventLog, type EventRow} from '../model/events.js';
import type {Deployment, KubeEvent, Pod, PodDisruptionBudget, ReplicaSet} from '../model/types.js';
import type {WatchEventType, WatchState} from '../kube/watch.js';
import type {ProbeSnapshot} from '../probe/session.js';
import type {AccessReview} from '../kube/access.js';
import {initialUi, type Session, type UiState} from './ui.js';
import {reduceUi, type UiAction} from './ui-reducer.js';
import {LogKeeper, type LogAction, type LogsState, type LogStreamInfo} from './log-state.js';
import type {StreamLine} from '../kube/logs.js';
import {TimelineRecorder, type TimelineView} from './timeline-recorder.js';

export {startCockpitData} from './cockpit-data.js';

// The four collections the cockpit watches.
export type CockpitKind = 'deployments' | 'replicaSets' | 'pods' | 'events';

export const COCKPIT_KINDS: readonly CockpitKind[] = ['deployments', 'replicaSets', 'pods', 'events'];

// Overall health of the watches, for the header: live only when every running watch is streaming.
export type ConnectionOverall = 'connecting' | 'live' | 'degraded' | 'offline';

// Everything the screen shows comes from here. Objects are the API's JSON (timestamps are RFC 3339
// strings), typed with model/types.ts; never mutate them.
export type CockpitState = {
	context: string;
	server: string;
	serverVersion?: string;
	namespace: string;
	// undefined => the picker shows the namespace's deployments.
	deploymentName?: string;
	// The kubeconfig's contexts, for `:ctx` and its completion.
	contexts: readonly string[];
	// The cluster's namespaces for `:ns` (listed when the command line first opens), or why they could not be.
	namespaceList?: NamespaceList;
	// Read when `g` opens (kube/budgets.ts); undefined until then.
	budgets?: BudgetList;
	deployments: ReadonlyMap<string, Deployment>;
	replicaSets: ReadonlyMap<string, ReplicaSet>;
	pods: ReadonlyMap<string, Pod>;
	// Held events folded by object+reason+message, oldest first (model/events.ts collapseEvents); bounded.
	events: EventRow[];
	// The raw events behind `events` (bounded), for exact per-deployment or per-pod filtering in selectors.
	rawEvents: readonly KubeEvent[];
	connection: {overall: ConnectionOverall; byKind: Record<string, WatchState>};
	synced: {deployments: boolean; replicaSets: boolean; pods: boolean; events: boolean};
	// Wall clock, ticking every second so ages move.
	now: number;
	// The probe panel's data; undefined without a probe (--no-probe).
	probe?: ProbeSnapshot;
	// The log view's lines (a bounded ring) and its streams (state/log-state.ts).
	logs: LogsState;
	// The rollout's recording for the timeline (state/timeline-recorder.ts).
	timeline: TimelineView;
	// What the access review at start said the user may do (undefined until it answered).
	access?: AccessReview;
	ui: UiState;
};

// The answer to listing the namespaces: their names, or the error (a user may not list them, and still switch).
export type NamespaceList = {names: readonly string[]} | {error: string};

// The namespace's PodDisruptionBudgets as the graceful check read them (or why they could not be read).
export type BudgetList = {namespace: string} & ({items: readonly PodDisruptionBudget[]} | {error: string});

// What the reflectors and the probe report; queued, and applied once per frame.
export type ClusterAction =
	| {type: 'namespaces'; list: NamespaceList}
	| {type: 'budgets'; list: BudgetList}
	| {type: 'sync'; kind: CockpitKind; items: unknown[]; resourceVersion?: string}
	| {type: 'event'; kind: CockpitKind; event: WatchEventType; obj: unknown}
	| {type: 'connection'; kind: CockpitKind; state: WatchState | undefined}
	| {type: 'reset'; kind: CockpitKind}
	| {type: 'serverVersion'; version: string}
	| {type: 'probe'; snapshot: ProbeSnapshot | undefined}
	| {type: 'access'; review: AccessReview}
	| {type: 'tick'; now: number}
	| LogAction;

// Every change to the state.
export type Action = ClusterAction | UiAction;

// Store tunables; tests turn the timers off and call flush() themselves.
export type CockpitStoreOptions = {
	/**
	 * The frame: queued changes are applied at most this often; false = only flush() applies them. 100 ms keeps
	 * change-to-screen latency near 100-150 ms while a churning cluster costs at most ten frames a second.
	 * @default 100
	 */
	flushIntervalMs?: number | false;
	/**
	 * Events are folded into the events pane's rows at most this often (a lone event at once, a flood twice a
	 * second); false = at every flush. @default 500 with the frame timer on, else false
	 */
	eventsIntervalMs?: number | false;
	/** Period of the `now` tick (applied on the next frame); false = no tick. @default 1000 */
	tickMs?: number | false;
	/** Raw events kept (model EventLog). @default 500 */
	eventLimit?: number;
	/** Log lines kept for the log view (state/log-ring.ts). @default 10000 */
	logLimit?: number;
	now?: () => number;
	/** How the session was started (--readonly, a runner, the demo's notes, the theme). */
	session?: Partial<Session>;
	/** The terminal's size until the app reports it. @default 80x24 */
	terminal?: {columns: number; rows: number};
	/**
	 * A tap on the cluster's changes as they arrive, once queued and before a frame batches them (the tap may flush()
	 * to apply them at once): the headless `status` reports every change of the Deployment, as kubectl does, not
	 * once per frame.
	 */
	onClusterAction?: (action: ClusterAction) => void;
};

// Where the cockpit starts: the connection's context, server and namespace, and maybe a deployment.
export type CockpitInit = {
	context: string;
	server: string;
	namespace: string;
	deploymentName?: string;
	serverVersion?: string;
	/** The kubeconfig's contexts. @default [context] */
	contexts?: readonly string[];
};

type Named = {metadata?: {name?: string; resourceVersion?: string} | null};

// Derives the header's connection word from the per-kind watch states.
export function overallConnection(byKind: Record<string, WatchState>, synced: Partial<Record<string, boolean>>): ConnectionOverall {
	const entries = Object.entries(byKind);
	if (entries.length === 0) return 'connecting';
	const phases = entries.map(([, s]) => s.phase);
	if (phases.every((p) => p === 'watching')) return 'live';
	const failing = (p: WatchState['phase']) => p === 'backoff' || p === 'error';
	if (phases.every(failing)) return 'offline';
	const initial = entries.some(([kind, s]) => !synced[kind] && (s.phase === 'connecting' || s.phase === 'listing'));
	if (initial && !phases.some((p) => failing(p) || p === 'stalled')) return 'connecting';
	return 'degraded';
}

const NOT_SYNCED = {deployments: false, replicaSets: false, pods: false, events: false};

// What changed between two views of a kind: the keys added, changed or removed since `previous`.
export type KindDelta = {previous: ReadonlyMap<string, unknown>; keys: ReadonlySet<string>};

// The delta of a kind's view, when the store knows it (undefined after a list or a reset: compute afresh).
export function deltaOf(view: ReadonlyMap<string, unknown>): KindDelta | undefined {
	return view instanceof KindView ? view.delta : undefined;
}

// One kind's objects by name, as an informer's indexer holds them: the store changes the Map in place and
// hands out a fresh read-only view after each flush that changed it, so a flush costs what changed, not a
// copy of 20,000 pods, while memoised selectors still see a new identity. Only the latest view is current.
class KindView<T> implements ReadonlyMap<string, T> {
	constructor(
		private readonly map: Map<string, T>,
		readonly delta?: KindDelta,
	) {}
	get size(): number {
		return this.map.size;
	}
	get(key: string): T | undefined {
		return this.map.get(key);
	}
	has(key: string): boolean {
		return this.map.has(key);
	}
	forEach(fn: (value: T, key: string, map: ReadonlyMap<string, T>) => void): void {
		for (const [k, v] of this.map) fn(v, k, this);
	}
	entries(): MapIterator<[string, T]> {
		return this.map.entries();
	}
	keys(): MapIterator<string> {
		return this.map.keys();
	}
	values(): MapIterator<T> {
		return this.map.values();
	}
	[Symbol.iterator](): MapIterator<[string, T]> {
		return this.map.entries();
	}
}

type MapKind = 'deployments' | 'replicaSets' | 'pods';

// The store; create one per cockpit, feed it with startCockpitData, read it with useCockpit.
export class CockpitStore {
	private state: CockpitState;
	private readonly listeners = new Set<() => void>();
	private queue: ClusterAction[] = [];
	private flushTimer: NodeJS.Timeout | undefined;
	private tickTimer: NodeJS.Timeout | undefined;
	private readonly flushIntervalMs: number | false;
	private readonly clock: () => number;
	private readonly onClusterAction?: (action: ClusterAction) => void;
	private readonly eventLog: EventLog;
	private readonly logs: LogKeeper;
	private readonly timeline = new TimelineRecorder();
	private readonly maps: Record<MapKind, Map<string, Named>> = {deployments: new Map(), replicaSets: new Map(), pods: new Map()};
	// The event log's revision that state.events was folded at.
	private eventsAt = 0;
	// The resourceVersion of the newest list or watch event applied, per kind.
	private readonly versions: Partial<Record<CockpitKind, string>> = {};
	// Keys changed in the flush being applied, per kind; 'all' after a list or a reset.
	private dirty: Partial<Record<MapKind, Set<string> | 'all'>> = {};
	private readonly eventsIntervalMs: number | false;
	private foldedAt = Number.NEGATIVE_INFINITY;
	private foldTimer: NodeJS.Timeout | undefined;
	private disposed = false;

	constructor(init: CockpitInit, options: CockpitStoreOptions = {}) {
		this.clock = options.now ?? Date.now;
		this.flushIntervalMs = options.flushIntervalMs ?? 100;
		this.eventsIntervalMs = options.eventsIntervalMs ?? (this.flushIntervalMs === false ? false : 500);
		this.onClusterAction = options.onClusterAction;
		this.eventLog = new EventLog(options.eventLimit ?? 500);
		this.logs = new LogKeeper(options.logLimit);
		const deploymentName = init.deploymentName || undefined;
		this.state = {
			context: init.context,
			server: init.server,
			serverVersion: init.serverVersion,
			namespace: init.namespace,
			deploymentName,
			contexts: init.contexts ?? [init.context],
			deployments: this.view('deployments'),
			replicaSets: this.view('replicaSets'),
			pods: this.view('pods'),
			events: [],
			rawEvents: [],
			connection: {overall: 'connecting', byKind: {}},
			synced: {...NOT_SYNCED},
			now: this.clock(),
			logs: this.logs.initial(),
			timeline: this.timeline.view(),
			ui: initialUi(deploymentName !== undefined, options.session, options.terminal),
		};
		const tickMs = options.tickMs ?? 1000;
		if (tickMs !== false) {
			this.tickTimer = setInterval(() => this.tick(), tickMs);
			this.tickTimer.unref();
		}
	}

	// The current snapshot; a new object after every change, the same object otherwise.
	getState = (): CockpitState => this.state;

	// Calls fn after every applied change; returns the unsubscribe function.
	subscribe = (fn: () => void): (() => void) => {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	};

	// A reflector's full (re)list: replaces the kind's contents at the next flush. A kind's first list is what the
	// screen waits on (thousands of pods): it is applied as soon as the reflector's callback returns, not a frame later.
	sync(kind: CockpitKind, items: unknown[], resourceVersion?: string): void {
		this.enqueue({type: 'sync', kind, items, resourceVersion});
		if (this.state.synced[kind] || this.flushIntervalMs === false || this.disposed) return;
		clearTimeout(this.flushTimer);
		this.flushTimer = setTimeout(() => {
			this.flushTimer = undefined;
			this.flush();
		}, 0);
	}

	// The resourceVersion of the newest change of `kind` in the state (the benchmark matches it to the cluster's
	// changes to time change-to-screen latency).
	appliedVersion(kind: CockpitKind): string | undefined {
		return this.versions[kind];
	}

	// One watch event, applied at the next flush.
	event(kind: CockpitKind, type: WatchEventType, obj: unknown): void {
		this.enqueue({type: 'event', kind, event: type, obj});
	}

	// A reflector's state (undefined when it stopped), applied at the next flush.
	setConnection(kind: CockpitKind, state: WatchState | undefined): void {
		this.enqueue({type: 'connection', kind, state});
	}

	// Empties a kind (its watch is being re-scoped), at the next flush, in order with queued events.
	reset(kind: CockpitKind): void {
		this.enqueue({type: 'reset', kind});
	}

	setServerVersion(version: string): void {
		this.enqueue({type: 'serverVersion', version});
	}

	// The probe session's latest snapshot (undefined: no probe panel), applied at the next flush.
	setProbe(snapshot: ProbeSnapshot | undefined): void {
		this.enqueue({type: 'probe', snapshot});
	}

	// The access review's answer (the keys the user may not use are marked), at the next flush.
	setAccess(review: AccessReview): void {
		this.enqueue({type: 'access', review});
	}

	// One need the API server refused (403) after the review: it is marked denied from now on, at once (not at the
	// next flush), so that the key is marked before the refusal's message shows and the next keystroke sees it.
	denyAccess(key: string, namespace: string): void {
		if (this.disposed) return;
		const known = this.state.access?.namespace === namespace ? this.state.access.verdicts : {};
		const verdicts = {
			...known,
			[key]: {allowed: false, reason: 'the API server answered 403', fromServer: true},
		};
		this.apply([{type: 'access', review: {namespace, verdicts}}]);
	}

	// Moves `now` to the clock's time on the next frame (the 1 s timer calls it).
	tick(): void {
		this.enqueue({type: 'tick', now: this.clock()});
	}

	// Lines a log stream read (or a note about the stream), for the log view with target `key`; applied at the next flush.
	logLines(key: string, source: {pod: string; container: string; revision?: number}, lines: readonly StreamLine[], kind?: 'note'): void {
		this.enqueue({type: 'logLines', key, ...source, lines, ...(kind ? {kind} : {})});
	}

	// How a log stream stands; applied at the next flush.
	logStream(key: string, stream: string, info: LogStreamInfo): void {
		this.enqueue({type: 'logStream', key, stream, info});
	}

	// How many pods are not streamed because of the stream cap; applied at the next flush.
	logWaiting(key: string, waiting: number, cap: number): void {
		this.enqueue({type: 'logWaiting', key, waiting, cap});
	}

	// A message for the status line (the program's notes, console output while the screen is up).
	setStatus(text: string, tone: 'info' | 'error' | 'success' = 'info'): void {
		this.dispatch({type: 'message', message: {text, tone}});
	}

	// Chooses the deployment (undefined: back to the picker); its watches follow (cockpit-data reconciles).
	selectDeployment(name: string | undefined): void {
		this.dispatch({type: 'pick', name});
	}

	// The namespaces for `:ns` (or why they could not be listed), applied at the next flush.
	setNamespaces(list: NamespaceList): void {
		this.enqueue({type: 'namespaces', list});
	}

	// The PodDisruptionBudgets for the graceful check (or why they could not be read), applied at the next flush.
	setBudgets(list: BudgetList): void {
		this.enqueue({type: 'budgets', list});
	}

	// Another context or namespace: every object of the old scope is dropped at once (queued changes too), and
	// the deployment list of the new one opens. The caller has stopped the old watches and starts the new ones.
	switchScope(to: {context: string; server: string; namespace: string}, message: string): void {
		this.dispatch({type: 'switch', ...to, deployment: this.state.deploymentName, message: {text: message, tone: 'info'}});
	}

	// Applies UI actions at once, in order, and notifies once.
	dispatch(...actions: UiAction[]): void {
		if (!this.disposed) this.apply(actions);
	}

	// Reduces the actions in order and notifies once, if anything changed.
	private apply(actions: readonly Action[]): void {
		let next = this.state;
		for (const action of actions) next = this.reduce(next, action);
		next = this.newViews(next);
		next = this.foldEvents(next);
		next = this.foldLogs(next);
		next = this.foldTimeline(next);
		if (next === this.state) return;
		this.state = next;
		this.notify();
	}

	// One new view per kind the flush changed, naming the keys it changed.
	private newViews(state: CockpitState): CockpitState {
		const dirty = this.dirty;
		this.dirty = {};
		let next = state;
		for (const kind of Object.keys(dirty) as MapKind[]) {
			const keys = dirty[kind]!;
			const delta = keys === 'all' ? undefined : {previous: state[kind], keys};
			next = {...next, [kind]: new KindView(this.maps[kind], delta)};
		}
		return next;
	}

	// The folded event rows, once per flush however many events arrived in it, and with the frame timer on at
	// most once per eventsIntervalMs: a lone event shows at the next frame, a flood scrolls the pane twice a second.
	private foldEvents(state: CockpitState): CockpitState {
		if (this.eventLog.revision === this.eventsAt) return state;
		if (this.eventsIntervalMs !== false) {
			const wait = this.foldedAt + this.eventsIntervalMs - performance.now();
			if (wait > 0) {
				this.foldTimer ??= setTimeout(() => {
					this.foldTimer = undefined;
					if (!this.disposed) this.apply([]);
				}, wait);
				return state;
			}
			this.foldedAt = performance.now();
		}
		this.eventsAt = this.eventLog.revision;
		return {...state, events: this.eventLog.rows(), rawEvents: this.eventLog.events()};
	}

	// The log part once per flush: the ring follows the log view on screen, and a new view of it when it changed.
	private foldLogs(state: CockpitState): CockpitState {
		this.logs.follow(state.ui, state.probe);
		const logs = this.logs.fold();
		return logs === state.logs ? state : {...state, logs};
	}

	// The timeline's recording once per flush: a new view when it recorded something.
	private foldTimeline(state: CockpitState): CockpitState {
		this.timeline.observe(state, this.clock);
		return this.timeline.revision === state.timeline.revision ? state : {...state, timeline: this.timeline.view()};
	}

	// Applies every queued change now and notifies once (tests call it; the frame timer calls it otherwise).
	flush(): void {
		if (this.flushTimer) {
			clearTimeout(this.flushTimer);
			this.flushTimer = undefined;
		}
		if (this.queue.length === 0 || this.disposed) return;
		const actions = this.queue;
		this.queue = [];
		this.apply(actions);
	}

	// Stops the timers and forgets the listeners; later calls are ignored.
	dispose(): void {
		this.disposed = true;
		if (this.flushTimer) clearTimeout(this.flushTimer);
		if (this.tickTimer) clearInterval(this.tickTimer);
		if (this.foldTimer) clearTimeout(this.foldTimer);
		this.foldTimer = undefined;
		this.flushTimer = undefined;
		this.tickTimer = undefined;
		this.queue = [];
		this.listeners.clear();
	}

	// The one reducer: cluster actions change the kind's index in place (and give it a new view); UI actions
	// go through reduceUi, except choosing a deployment, which also drops the previous deployment's objects.
	private reduce(state: CockpitState, action: Action): CockpitState {
		switch (action.type) {
			case 'sync':
			case 'event':
			case 'reset':
				return this.reduceObjects(state, action);
			case 'connection': {
				const byKind = {...state.connection.byKind};
				if (action.state) byKind[action.kind] = action.state;
				else delete byKind[action.kind];
				return {...state, connection: {overall: overallConnection(byKind, state.synced), byKind}};
			}
			case 'serverVersion':
				return action.version === state.serverVersion ? state : {...state, serverVersion: action.version};
			case 'probe':
				if (action.snapshot === state.probe) return state;
				this.logs.probe(action.snapshot);
				return {...state, probe: action.snapshot};
			case 'logLines':
			case 'logStream':
			case 'logWaiting':
				// The ring changes in place; foldLogs gives the state a new view at the end of the flush.
				this.logs.follow(state.ui, state.probe);
				this.logs.reduce(action);
				return state;
			case 'access': {
				// An answer about another namespace than the one shown is late (the scope switched since): dropped.
				if (action.review.namespace !== state.namespace) return state;
				// A refusal the API server gave to a real request outranks a review that answered later (in the same
				// namespace: rights in one namespace say nothing about another).
				const sameNamespace = state.access?.namespace === action.review.namespace;
				const refused = sameNamespace ? Object.entries(state.access?.verdicts ?? {}).filter(([, v]) => v.fromServer) : [];
				const verdicts = {...action.review.verdicts, ...Object.fromEntries(refused)};
				return {...state, access: {namespace: action.review.namespace, verdicts}};
			}
			case 'tick':
				return action.now === state.now ? state : {...state, now: action.now};
			case 'pick':
				return this.pick(state, action.name);
			case 'switch':
				return this.switchTo(state, action);
			case 'namespaces':
				return {...state, namespaceList: action.list};
			case 'budgets':
				return {...state, budgets: action.list};
			default: {
				const ui = reduceUi(state.ui, action);
				return ui === state.ui ? state : {...state, ui};
			}
		}
	}

	private reduceObjects(state: CockpitState, action: Extract<ClusterAction, {type: 'sync' | 'event' | 'reset'}>): CockpitState {
		const {kind} = action;
		let synced = state.synced;
		if (action.type === 'sync') this.versions[kind] = action.resourceVersion;
		else if (action.type === 'event') this.versions[kind] = (action.obj as Named).metadata?.resourceVersion ?? undefined;
		if (kind === 'events') {
			if (action.type === 'reset') this.eventLog.clear();
			else if (action.type === 'sync') this.eventLog.replaceAll(action.items as KubeEvent[]);
			else if (action.event === 'DELETED') this.eventLog.remove(action.obj as KubeEvent);
			else this.eventLog.upsert(action.obj as KubeEvent);
			if (action.type !== 'event') synced = {...synced, events: action.type === 'sync'};
			// The rows are folded once at the end of the flush (foldEvents).
			return this.withSynced(state, synced);
		}
		if (action.type === 'reset' || action.type === 'sync') {
			const fresh = new Map<string, Named>();
			if (action.type === 'sync') for (const item of action.items as Named[]) fresh.set(item.metadata?.name ?? '', item);
			this.maps[kind] = fresh;
			this.dirty[kind] = 'all';
			synced = {...synced, [kind]: action.type === 'sync'};
		} else {
			const obj = action.obj as Named;
			const name = obj.metadata?.name ?? '';
			if (action.event === 'DELETED') this.maps[kind].delete(name);
			else this.maps[kind].set(name, obj);
			const dirty = this.dirty[kind];
			if (dirty === undefined) this.dirty[kind] = new Set([name]);
			else if (dirty !== 'all') dirty.add(name);
		}
		// The kind's new view is made once, at the end of the flush (newViews).
		return this.withSynced(state, synced);
	}

	private withSynced(state: CockpitState, synced: CockpitState['synced']): CockpitState {
		if (synced === state.synced) return state;
		return {...state, synced, connection: {...state.connection, overall: overallConnection(state.connection.byKind, synced)}};
	}

	// Chooses the deployment (undefined = back to the picker). Its ReplicaSets, pods and events are dropped at
	// once, and so are queued events of the old scope: they belong to the previous deployment until the
	// re-scoped watches deliver.
	private pick(state: CockpitState, name: string | undefined): CockpitState {
		const next = name || undefined;
		const ui = reduceUi(state.ui, {type: 'pick', name: next});
		if (next === state.deploymentName) return ui === state.ui ? state : {...state, ui};
		this.queue = this.queue.filter((a) => !('kind' in a) || a.kind === 'deployments');
		this.eventLog.clear();
		this.maps.replicaSets = new Map();
		this.maps.pods = new Map();
		delete this.dirty.replicaSets;
		delete this.dirty.pods;
		const synced = {...state.synced, replicaSets: false, pods: false, events: false};
		return {
			...state,
			deploymentName: next,
			replicaSets: this.view('replicaSets'),
			pods: this.view('pods'),
			synced,
			connection: {overall: overallConnection(state.connection.byKind, state.synced), byKind: state.connection.byKind},
			ui,
		};
	}

	// Everything of the old scope goes: objects, queued changes, watch states; the server's version and the
	// namespaces stay only when the context (the cluster) does.
	private switchTo(state: CockpitState, action: Extract<UiAction, {type: 'switch'}>): CockpitState {
		this.queue = [];
		this.eventLog.clear();
		this.eventsAt = this.eventLog.revision;
		this.maps.deployments = new Map();
		this.maps.replicaSets = new Map();
		this.maps.pods = new Map();
		this.dirty = {};
		const sameCluster = action.context === state.context;
		return {
			...state,
			context: action.context,
			server: action.server,
			namespace: action.namespace,
			serverVersion: sameCluster ? state.serverVersion : undefined,
			namespaceList: sameCluster ? state.namespaceList : undefined,
			budgets: undefined,
			deploymentName: undefined,
			deployments: this.view('deployments'),
			replicaSets: this.view('replicaSets'),
			pods: this.view('pods'),
			events: [],
			rawEvents: [],
			synced: {...NOT_SYNCED},
			connection: {overall: 'connecting', byKind: {}},
			// The old scope's rights (and 403s) say nothing about the new one; its own review marks the keys again.
			access: undefined,
			ui: reduceUi(state.ui, action),
		};
	}

	private view<K extends MapKind>(kind: K): CockpitState[K] {
		return new KindView(this.maps[kind]) as unknown as CockpitState[K];
	}

	private enqueue(action: ClusterAction): void {
		if (this.disposed) return;
		this.queue.push(action);
		this.onClusterAction?.(action);
		if (this.flushIntervalMs !== false && !this.flushTimer) {
			this.flushTimer = setTimeout(() => {
				this.flushTimer = undefined;
				this.flush();
			}, this.flushIntervalMs);
		}
	}

	private notify(): void {
		for (const fn of [...this.listeners]) fn();
	}
}
