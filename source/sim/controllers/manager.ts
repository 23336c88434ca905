// The controller manager: one subscription to the store, one deduplicated work queue, one worker.
// Work runs synchronously, in order, to completion, like a single-worker kube-controller-manager whose
// informer caches are never stale. A write made by one sync is seen by the next; nothing runs reentrantly.
import type {Clock, Timer} from '../clock.js';
import type {Store, StoreEvent} from '../store.js';
import {simNow} from './util.js';

/** One controller: it turns store changes into keys, and reconciles one key at a time. */
export interface Controller {
	readonly name: string;
	/** Called for every store change; enqueue the keys affected (never write here). */
	handle(event: StoreEvent): void;
	/** Reconciles one key, reading the current state from the store. */
	sync(key: string): void;
}

export type ManagerOptions = {
	store: Store;
	clock: Clock;
	/** Reports a sync that threw; the key is retried after a short back-off. @default console.error */
	onError?: (controller: string, key: string, error: unknown) => void;
};

type Task = {id: string; run: () => void};

// A drain that runs this many tasks is a controller fighting itself; stop instead of hanging the process.
const maxTasksPerDrain = 200_000;

/** Runs controllers on the store, serialized through one queue. */
export class ControllerManager {
	readonly store: Store;
	readonly clock: Clock;
	private readonly controllers = new Map<string, Controller>();
	private readonly queue: Task[] = [];
	private readonly queued = new Set<string>();
	private readonly timers = new Set<Timer>();
	private readonly failures = new Map<string, number>();
	private readonly delayed = new Map<string, {at: number; timer: Timer}>();
	private readonly onError: (controller: string, key: string, error: unknown) => void;
	private unsubscribe: (() => void) | undefined;
	private draining = false;
	private stopped = false;

	constructor(options: ManagerOptions) {
		this.store = options.store;
		this.clock = options.clock;
		this.onError = options.onError ?? ((controller, key, error) => console.error(`${controller} sync ${key} failed:`, error));
	}

	/** Adds a controller; its handle() sees every change from now on. */
	add(controller: Controller): void {
		this.controllers.set(controller.name, controller);
	}

	/** Starts watching the store. */
	start(): void {
		if (this.unsubscribe) return;
		this.unsubscribe = this.store.subscribe((event) => this.dispatch(event));
	}

	/** Stops watching, cancels every timer the controllers set, drops queued work. */
	stop(): void {
		this.stopped = true;
		this.unsubscribe?.();
		this.unsubscribe = undefined;
		for (const t of this.timers) t.cancel();
		this.timers.clear();
		this.delayed.clear();
		this.queue.length = 0;
		this.queued.clear();
	}

	/** Hands an event to the controllers as if the store had sent it (the informers' initial list). */
	replay(event: StoreEvent): void {
		this.dispatch(event);
	}

	private dispatch(event: StoreEvent): void {
		if (this.stopped) return;
		for (const c of this.controllers.values()) {
			try {
				c.handle(event);
			} catch (error) {
				this.onError(c.name, `${event.type} ${event.resource}`, error);
			}
		}
		this.drain();
	}

	/** Queues a sync of `key` by controller `name` (deduplicated while it waits) and runs the queue. */
	enqueue(name: string, key: string): void {
		this.push({id: `${name}\u0000${key}`, run: () => this.runSync(name, key)});
		this.drain();
	}

	/**
	 * Like enqueue, after `simMs` simulated milliseconds (AddAfter). As in the delaying queue, one key waits
	 * once: an earlier request replaces a later one, a later one is dropped.
	 */
	enqueueAfter(name: string, key: string, simMs: number): void {
		const id = `${name}\u0000${key}`;
		const at = simNow(this.clock) + simMs;
		const waiting = this.delayed.get(id);
		if (waiting && waiting.at <= at) return;
		waiting?.timer.cancel();
		const timer = this.after(simMs, () => {
			this.delayed.delete(id);
			this.enqueue(name, key);
		});
		this.delayed.set(id, {at, timer});
	}

	/** Runs fn as queued work after `simMs`: its writes are seen by the controllers only after it returns. */
	after(simMs: number, fn: () => void): Timer {
		if (this.stopped) return {cancel() {}};
		let timer: Timer | undefined;
		let fired = false;
		timer = this.clock.after(simMs, () => {
			fired = true;
			if (timer) this.timers.delete(timer);
			if (this.stopped) return;
			this.run(fn);
		});
		if (!fired) this.timers.add(timer);
		return {
			cancel: () => {
				timer?.cancel();
				if (timer) this.timers.delete(timer);
			},
		};
	}

	/** Runs fn now as queued work (not deduplicated). */
	run(fn: () => void): void {
		this.push({id: '', run: fn});
		this.drain();
	}

	private push(task: Task): void {
		if (this.stopped) return;
		if (task.id) {
			if (this.queued.has(task.id)) return;
			this.queued.add(task.id);
		}
		this.queue.push(task);
	}

	private runSync(name: string, key: string): void {
		const c = this.controllers.get(name);
		if (!c) return;
		const id = `${name}\u0000${key}`;
		try {
			c.sync(key);
			this.failures.delete(id);
		} catch (error) {
			const n = (this.failures.get(id) ?? 0) + 1;
			this.failures.set(id, n);
			this.onError(name, key, error);
			// Retry with the work queue's exponential back-off (5 ms doubling, capped at 10 s).
			if (n < 20) this.enqueueAfter(name, key, Math.min(10_000, 5 * 2 ** n));
		}
	}

	/** Runs queued work until none is left; a no-op when already draining (the outer loop picks it up). */
	drain(): void {
		if (this.draining || this.stopped) return;
		this.draining = true;
		let n = 0;
		try {
			while (this.queue.length > 0 && !this.stopped) {
				const task = this.queue.shift()!;
				if (task.id) this.queued.delete(task.id);
				if (++n > maxTasksPerDrain) {
					this.onError('manager', task.id, new Error('controller loop: too much work in one drain; dropping the queue'));
					this.queue.length = 0;
					this.queued.clear();
					break;
				}
				try {
					task.run();
				} catch (error) {
					this.onError('manager', task.id || 'task', error);
				}
			}
		} finally {
			this.draining = false;
		}
	}
}
