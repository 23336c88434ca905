// The cockpit's one store, outside React (Gatsby's ink reporter style): reflectors queue watch events
// here, and they are applied in batches with at most one notification per frame, so 5,000-20,000 pods
// do not re-render the screen per event.
import {EventLog, eventTime, type EventRow} from '../model/events.js';
import type {Deployment, KubeEvent, Pod, ReplicaSet} from '../model/types.js';
import type {WatchEventType, WatchState} from '../kube/watch.js';

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
	deployments: ReadonlyMap<string, Deployment>;
	replicaSets: ReadonlyMap<string, ReplicaSet>;
	pods: ReadonlyMap<string, Pod>;
	// Held events folded by object+reason+message, oldest first (model/events.ts collapseEvents); bounded.
	events: EventRow[];
	// The raw events behind `events` (bounded), for exact per-deployment or per-pod filtering in selectors.
	rawEvents: readonly KubeEvent[];
	connection: {overall: ConnectionOverall; byKind: Record<string, WatchState>};
	synced: {deployments: boolean; replicaSets: boolean; pods: boolean; events: boolean};
	statusLine?: {text: string; tone: 'info' | 'error' | 'success'};
	// Wall clock, ticking every second so ages move.
	now: number;
};

// Store tunables; tests turn the timers off and call flush() themselves.
export type CockpitStoreOptions = {
	/** Batch window for watch events; false = only flush() applies them. @default 33 */
	flushIntervalMs?: number | false;
	/** Period of the `now` tick; false = no tick. @default 1000 */
	tickMs?: number | false;
	/** Raw events kept (model EventLog). @default 500 */
	eventLimit?: number;
	now?: () => number;
};

// Where the cockpit starts: the connection's context, server and namespace, and maybe a deployment.
export type CockpitInit = {context: string; server: string; namespace: string; deploymentName?: string; serverVersion?: string};

type Op =
	| {op: 'sync'; kind: CockpitKind; items: unknown[]}
	| {op: 'event'; kind: CockpitKind; type: WatchEventType; obj: unknown}
	| {op: 'connection'; kind: CockpitKind; state: WatchState | undefined}
	| {op: 'reset'; kind: CockpitKind};

type Named = {metadata?: {name?: string} | null};

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

// The store; create one per cockpit, feed it with startCockpitData, read it with useCockpit.
export class CockpitStore {
	private state: CockpitState;
	private readonly listeners = new Set<() => void>();
	private queue: Op[] = [];
	private flushTimer: NodeJS.Timeout | undefined;
	private tickTimer: NodeJS.Timeout | undefined;
	private readonly flushIntervalMs: number | false;
	private readonly clock: () => number;
	private readonly eventLog: EventLog;
	private disposed = false;

	constructor(init: CockpitInit, options: CockpitStoreOptions = {}) {
		this.clock = options.now ?? Date.now;
		this.flushIntervalMs = options.flushIntervalMs ?? 33;
		this.eventLog = new EventLog(options.eventLimit ?? 500);
		this.state = {
			context: init.context,
			server: init.server,
			serverVersion: init.serverVersion,
			namespace: init.namespace,
			deploymentName: init.deploymentName || undefined,
			deployments: new Map(),
			replicaSets: new Map(),
			pods: new Map(),
			events: [],
			rawEvents: [],
			connection: {overall: 'connecting', byKind: {}},
			synced: {...NOT_SYNCED},
			now: this.clock(),
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

	// A reflector's full (re)list: replaces the kind's contents at the next flush.
	sync(kind: CockpitKind, items: unknown[], _resourceVersion?: string): void {
		this.enqueue({op: 'sync', kind, items});
	}

	// One watch event, applied at the next flush.
	event(kind: CockpitKind, type: WatchEventType, obj: unknown): void {
		this.enqueue({op: 'event', kind, type, obj});
	}

	// A reflector's state (undefined when it stopped), applied at the next flush.
	setConnection(kind: CockpitKind, state: WatchState | undefined): void {
		this.enqueue({op: 'connection', kind, state});
	}

	// Empties a kind (its watch is being re-scoped), at the next flush, in order with queued events.
	reset(kind: CockpitKind): void {
		this.enqueue({op: 'reset', kind});
	}

	// Moves `now` to the clock's time (the 1 s timer calls it; tests with tickMs: false call it by hand).
	tick(): void {
		this.set({now: this.clock()});
	}

	setServerVersion(version: string): void {
		this.set({serverVersion: version});
	}

	// A message for the status line (action results, errors); undefined clears it.
	setStatus(text: string | undefined, tone: 'info' | 'error' | 'success' = 'info'): void {
		this.set({statusLine: text === undefined ? undefined : {text, tone}});
	}

	// Chooses the deployment (undefined = back to the picker). Its ReplicaSets, pods and events are
	// dropped at once: they belong to the previous deployment until the re-scoped watches deliver.
	selectDeployment(name: string | undefined): void {
		const next = name || undefined;
		if (next === this.state.deploymentName) return;
		// Queued events of the old scope must not land after the switch.
		this.queue = this.queue.filter((op) => op.kind === 'deployments');
		this.eventLog.clear();
		const byKind = {...this.state.connection.byKind};
		this.set({
			deploymentName: next,
			replicaSets: new Map(),
			pods: new Map(),
			events: [],
			rawEvents: [],
			synced: {...this.state.synced, replicaSets: false, pods: false, events: false},
			connection: {overall: overallConnection(byKind, this.state.synced), byKind},
		});
	}

	// Applies every queued change now and notifies once (tests call it; the timer calls it otherwise).
	flush(): void {
		if (this.flushTimer) {
			clearTimeout(this.flushTimer);
			this.flushTimer = undefined;
		}
		if (this.queue.length === 0 || this.disposed) return;
		const ops = this.queue;
		this.queue = [];
		const prev = this.state;
		const maps: {deployments?: Map<string, Deployment>; replicaSets?: Map<string, ReplicaSet>; pods?: Map<string, Pod>} = {};
		const mapFor = (kind: 'deployments' | 'replicaSets' | 'pods'): Map<string, Named> => {
			maps[kind] ??= new Map(prev[kind] as Map<string, never>);
			return maps[kind] as Map<string, Named>;
		};
		let synced = prev.synced;
		let byKind = prev.connection.byKind;
		let eventsChanged = false;
		for (const op of ops) {
			if (op.op === 'connection') {
				if (byKind === prev.connection.byKind) byKind = {...byKind};
				if (op.state) byKind[op.kind] = op.state;
				else delete byKind[op.kind];
				continue;
			}
			if (op.op === 'reset') {
				if (op.kind === 'events') {
					this.eventLog.clear();
					eventsChanged = true;
				} else {
					maps[op.kind] = new Map();
				}
				synced = {...synced, [op.kind]: false};
				continue;
			}
			if (op.kind === 'events') {
				eventsChanged = true;
				if (op.op === 'sync') {
					this.eventLog.clear();
					// Oldest first, so that when there are more than the limit the newest are the ones kept.
					const items = [...(op.items as KubeEvent[])].sort((a, b) => (eventTime(a) ?? 0) - (eventTime(b) ?? 0));
					for (const ev of items) this.eventLog.upsert(ev);
					synced = {...synced, events: true};
				} else if (op.type === 'DELETED') {
					this.eventLog.remove(op.obj as KubeEvent);
				} else {
					this.eventLog.upsert(op.obj as KubeEvent);
				}
				continue;
			}
			if (op.op === 'sync') {
				const fresh = new Map<string, Named>();
				for (const item of op.items as Named[]) fresh.set(item.metadata?.name ?? '', item);
				maps[op.kind] = fresh as Map<string, never>;
				synced = {...synced, [op.kind]: true};
			} else {
				const obj = op.obj as Named;
				const name = obj.metadata?.name ?? '';
				const map = mapFor(op.kind);
				if (op.type === 'DELETED') map.delete(name);
				else map.set(name, obj);
			}
		}
		const next: CockpitState = {...prev, ...maps, synced};
		if (eventsChanged) {
			next.events = this.eventLog.rows();
			next.rawEvents = this.eventLog.events();
		}
		if (byKind !== prev.connection.byKind || synced !== prev.synced) {
			next.connection = {overall: overallConnection(byKind, synced), byKind};
		}
		this.state = next;
		this.notify();
	}

	// Stops the timers and forgets the listeners; later calls are ignored.
	dispose(): void {
		this.disposed = true;
		if (this.flushTimer) clearTimeout(this.flushTimer);
		if (this.tickTimer) clearInterval(this.tickTimer);
		this.flushTimer = undefined;
		this.tickTimer = undefined;
		this.queue = [];
		this.listeners.clear();
	}

	private enqueue(op: Op): void {
		if (this.disposed) return;
		this.queue.push(op);
		if (this.flushIntervalMs !== false && !this.flushTimer) {
			this.flushTimer = setTimeout(() => {
				this.flushTimer = undefined;
				this.flush();
			}, this.flushIntervalMs);
		}
	}

	private set(patch: Partial<CockpitState>): void {
		if (this.disposed) return;
		this.state = {...this.state, ...patch};
		this.notify();
	}

	private notify(): void {
		for (const fn of [...this.listeners]) fn();
	}
}
