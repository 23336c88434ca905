// The controller manager, shaped like kube-controller-manager with client-go's parts:
//   - informers: one cache per resource, shared by the controllers, updated from the store before any handler
//     runs (informer.ts), so a sync never reads a stale object;
//   - one work queue per controller: deduplicating (a key waits once), delayed adds (AddAfter), and rate-limited
//     retries of a sync that threw;
//   - one worker for all queues and timed tasks, in arrival order, in bounded slices: after `sliceMs` of work it
//     yields to the event loop (through the clock's defer), so the API server answers while controllers work.
//     A clock without defer (ManualClock) drains synchronously: controller tests stay deterministic.
//
// A new controller follows the same steps as the others (replicaset.ts is the reference):
//   1. implement Controller (a name and sync(key));
//   2. in the constructor take a queue (`m.queue(this)`) and the informers it reads (`m.informers.informer(r)`),
//      add the indexers its sync needs (`addIndexer`), and register handlers (`addEventHandler(h, this.name)`)
//      that only turn changes into keys (`queue.add`);
//   3. in sync(key) read from the informers (never scan what an index can answer), write through `m.store`, and
//      keep the work of one call bounded (a batch, then `queue.add(key)` again for the rest);
//   4. add it in startControllers (index.ts).
import type {Clock, Timer} from '../clock.js';
import type {Store} from '../store.js';
import {InformerFactory} from './informer.js';
import {simNow} from './util.js';

/** One controller: informer handlers turn changes into keys on its queue; sync reconciles one key. */
export interface Controller {
	readonly name: string;
	/** Reconciles one key, reading the current state from the informers. */
	sync(key: string): void;
}

export type ManagerOptions = {
	store: Store;
	clock: Clock;
	/** Reports a sync that threw; the key is retried after a back-off. @default console.error */
	onError?: (controller: string, key: string, error: unknown) => void;
	/**
	 * Longest run of work (real ms) before yielding to the event loop, for clocks that can defer: the API server
	 * waits at most this long plus one sync. @default 2
	 */
	sliceMs?: number;
};

// A synchronous drain that runs this many items is a controller fighting itself; stop instead of hanging.
const maxItemsPerSyncDrain = 2_000_000;
// Retries of a failing key: 5 ms doubling, capped at 10 s, given up after this many.
const maxRetries = 20;

/**
 * A sync that cannot go on until the caches catch up (a ReplicaSet's status still counts pods its last scale-down
 * removed): like client-go's controllers returning an error, the key is retried with back-off, but it is not
 * reported, since it is no fault.
 */
export class RetryLater extends Error {}

/** A controller's deduplicating, delaying, rate-limited queue of keys (client-go's workqueue). */
export class WorkQueue {
	private readonly waiting = new Set<string>();
	private readonly failures = new Map<string, number>();
	private readonly delayed = new Map<string, {at: number; timer: Timer}>();

	constructor(
		private readonly m: ControllerManager,
		readonly controller: Controller,
	) {}

	/** Queues a key unless it is already waiting. */
	add(key: string): void {
		if (this.waiting.has(key)) return;
		this.waiting.add(key);
		this.m.push({queue: this, key});
	}

	/**
	 * Queues a key after `simMs` simulated milliseconds. As in the delaying queue, one key waits once: an earlier
	 * request replaces a later one, a later one is dropped.
	 */
	addAfter(key: string, simMs: number): void {
		const at = simNow(this.m.clock) + simMs;
		const waiting = this.delayed.get(key);
		if (waiting && waiting.at <= at) return;
		waiting?.timer.cancel();
		const timer = this.m.after(simMs, () => {
			this.delayed.delete(key);
			this.add(key);
		});
		this.delayed.set(key, {at, timer});
	}

	/** Keys waiting to be synced now (not counting delayed ones). */
	get length(): number {
		return this.waiting.size;
	}

	/** Runs the controller's sync of a key taken off the queue; a throw is reported and retried with back-off. */
	process(key: string): void {
		if (!this.waiting.delete(key)) return;
		try {
			this.m.informers.reads.as(this.controller.name, () => this.controller.sync(key));
			this.failures.delete(key);
		} catch (error) {
			const n = (this.failures.get(key) ?? 0) + 1;
			this.failures.set(key, n);
			if (!(error instanceof RetryLater)) this.m.reportError(this.controller.name, key, error);
			if (n < maxRetries) this.addAfter(key, Math.min(10_000, 5 * 2 ** n));
			else this.failures.delete(key);
		}
	}

	/** Drops delayed adds (on stop). */
	clear(): void {
		for (const d of this.delayed.values()) d.timer.cancel();
		this.delayed.clear();
		this.waiting.clear();
		this.failures.clear();
	}
}

type Item = {queue: WorkQueue; key: string} | {run: () => void; name: string};

/** Runs controllers on the store: informers, queues, and one worker that yields. */
export class ControllerManager {
	readonly store: Store;
	readonly clock: Clock;
	readonly informers: InformerFactory;
	private readonly queues: WorkQueue[] = [];
	private items: Item[] = [];
	private head = 0;
	private readonly timers = new Set<Timer>();
	private readonly onError: (controller: string, key: string, error: unknown) => void;
	private readonly sliceMs: number;
	private draining = false;
	private scheduled: Timer | undefined;
	private started = false;
	private held = 0;
	private stopped = false;
	private idleDrain = false;
	/** Items run so far (for diagnostics and tests). */
	processed = 0;

	constructor(options: ManagerOptions) {
		this.store = options.store;
		this.clock = options.clock;
		this.sliceMs = options.sliceMs ?? 2;
		this.onError = options.onError ?? ((controller, key, error) => console.error(`${controller} sync ${key} failed:`, error));
		this.informers = new InformerFactory(this.store, () => this.kick());
	}

	/** A new work queue for a controller. */
	queue(controller: Controller): WorkQueue {
		const q = new WorkQueue(this, controller);
		this.queues.push(q);
		return q;
	}

	/** Starts running queued work: controllers are all constructed, their informers filled. */
	start(): void {
		this.started = true;
		this.kick();
	}

	/**
	 * Holds queued work back until release(): for writing a scenario's objects as one consistent state, which the
	 * controllers then find as they would after a restart of the controller manager.
	 */
	hold(): void {
		this.held++;
	}

	/** Lets held work run. */
	release(): void {
		if (this.held > 0) this.held--;
		this.kick();
	}

	/** Stops following the store, cancels every timer the controllers set, drops queued work. */
	stop(): void {
		this.stopped = true;
		this.informers.stop();
		for (const t of this.timers) t.cancel();
		this.timers.clear();
		this.scheduled?.cancel();
		this.scheduled = undefined;
		for (const q of this.queues) q.clear();
		this.items = [];
		this.head = 0;
	}

	/**
	 * Runs fn as queued work after `simMs`: its writes are seen by the controllers only after it returns. cancel()
	 * holds also once the time has come and fn waits in the queue behind other work (on a busy cluster, a while).
	 */
	after(simMs: number, fn: () => void, name = 'timer'): Timer {
		if (this.stopped) return {cancel() {}};
		let timer: Timer | undefined;
		let fired = false;
		let cancelled = false;
		timer = this.clock.after(simMs, () => {
			fired = true;
			if (timer) this.timers.delete(timer);
			if (this.stopped) return;
			this.run(() => {
				if (!cancelled) fn();
			}, name);
		});
		if (!fired) this.timers.add(timer);
		return {
			cancel: () => {
				cancelled = true;
				timer?.cancel();
				if (timer) this.timers.delete(timer);
			},
		};
	}

	/** Runs fn as queued work (not deduplicated), after what is already queued. */
	run(fn: () => void, name = 'task'): void {
		this.push({run: fn, name});
	}

	/** Items waiting to run. */
	get pending(): number {
		return this.items.length - this.head;
	}

	/** Reports an error of a controller (a sync or a task that threw). */
	reportError(controller: string, key: string, error: unknown): void {
		this.onError(controller, key, error);
	}

	/** Queues an item and makes sure a drain will run it. */
	push(item: Item): void {
		if (this.stopped) return;
		this.items.push(item);
		this.kick();
	}

	// Starts a drain now (synchronous clocks), or schedules the next slice once pending I/O has had its turn.
	private kick(): void {
		if (!this.started || this.held > 0 || this.stopped || this.draining || this.head >= this.items.length) return;
		if (!this.clock.defer) {
			// Synchronous: drain as soon as the store has delivered the current event to everyone.
			if (this.idleDrain) return;
			this.idleDrain = true;
			this.store.whenIdle(() => {
				this.idleDrain = false;
				this.drain(Number.POSITIVE_INFINITY);
			});
			return;
		}
		if (this.scheduled) return;
		this.scheduled = this.clock.defer(() => {
			this.scheduled = undefined;
			this.drain(this.sliceMs);
		});
	}

	/** Runs queued work for up to `budgetMs` (all of it on a synchronous clock); a no-op when already draining. */
	drain(budgetMs = Number.POSITIVE_INFINITY): void {
		if (this.draining || this.stopped) return;
		this.draining = true;
		const start = performance.now();
		let n = 0;
		try {
			while (this.head < this.items.length && !this.stopped && this.held === 0) {
				const item = this.items[this.head]!;
				this.items[this.head++] = undefined as unknown as Item;
				this.processed++;
				if (++n > maxItemsPerSyncDrain && budgetMs === Number.POSITIVE_INFINITY) {
					this.onError('manager', 'drain', new Error('controller loop: too much work in one drain; dropping the queue'));
					for (const q of this.queues) q.clear();
					this.items = [];
					this.head = 0;
					break;
				}
				try {
					if ('queue' in item) item.queue.process(item.key);
					else this.informers.reads.as(item.name, item.run);
				} catch (error) {
					this.onError('manager', 'queue' in item ? item.key : item.name, error);
				}
				// Checked after every item: one sync can take a millisecond, so eight of them could hold a whole slice.
				if (budgetMs !== Number.POSITIVE_INFINITY && performance.now() - start > budgetMs) break;
			}
		} finally {
			// Compact the consumed front now and then, so the array does not grow without bound.
			if (this.head === this.items.length) {
				this.items = [];
				this.head = 0;
			} else if (this.head > 1024 && this.head * 2 > this.items.length) {
				this.items = this.items.slice(this.head);
				this.head = 0;
			}
			this.draining = false;
		}
		if (this.head < this.items.length) this.kick();
	}
}
