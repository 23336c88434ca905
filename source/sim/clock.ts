// Simulated time: controllers schedule work in simulated milliseconds; the speed factor maps it to real time.

/** A scheduled callback that can be cancelled. */
export type Timer = {cancel(): void};

/** What controllers see of time. Timestamps stay wall-clock, so ages printed by kubectl stay sane. */
export interface Clock {
	/** Wall-clock milliseconds since the epoch, for timestamps. */
	now(): number;
	/** Runs fn after `simMs` simulated milliseconds. */
	after(simMs: number, fn: () => void): Timer;
	/**
	 * Runs fn as soon as pending I/O has had its turn (setImmediate): the controllers yield through it. A clock
	 * without it (ManualClock) makes the controllers drain their work synchronously, for deterministic tests.
	 */
	defer?(fn: () => void): Timer;
	/** Cancels every pending timer; the cluster calls it on stop so the process can exit. */
	stop(): void;
}

/**
 * Real timers scaled by `speed`: at speed 10 a 30 s grace period takes 3 s.
 * @default speed 1
 */
export class ScaledClock implements Clock {
	private readonly pending = new Set<NodeJS.Timeout>();
	private readonly immediates = new Set<NodeJS.Immediate>();
	private stopped = false;

	constructor(readonly speed = 1) {
		if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`speed must be a positive number, got ${speed}`);
	}

	now(): number {
		return Date.now();
	}

	after(simMs: number, fn: () => void): Timer {
		if (this.stopped) return {cancel() {}};
		const handle = setTimeout(
			() => {
				this.pending.delete(handle);
				fn();
			},
			Math.max(0, simMs / this.speed),
		);
		this.pending.add(handle);
		return {
			cancel: () => {
				clearTimeout(handle);
				this.pending.delete(handle);
			},
		};
	}

	defer(fn: () => void): Timer {
		if (this.stopped) return {cancel() {}};
		const handle = setImmediate(() => {
			this.immediates.delete(handle);
			fn();
		});
		this.immediates.add(handle);
		return {
			cancel: () => {
				clearImmediate(handle);
				this.immediates.delete(handle);
			},
		};
	}

	stop(): void {
		this.stopped = true;
		for (const handle of this.pending) clearTimeout(handle);
		this.pending.clear();
		for (const handle of this.immediates) clearImmediate(handle);
		this.immediates.clear();
	}
}

/** A clock that moves only when a test calls advance(): deterministic controller tests. */
export class ManualClock implements Clock {
	private current: number;
	private seq = 0;
	private queue: {at: number; seq: number; fn: () => void; cancelled: boolean}[] = [];

	constructor(start = Date.UTC(2024, 0, 1)) {
		this.current = start;
	}

	now(): number {
		return this.current;
	}

	after(simMs: number, fn: () => void): Timer {
		const entry = {at: this.current + Math.max(0, simMs), seq: this.seq++, fn, cancelled: false};
		this.queue.push(entry);
		return {
			cancel: () => {
				entry.cancelled = true;
			},
		};
	}

	/** Moves time forward by ms, firing due timers in order (timers they schedule fire too if due). */
	advance(ms: number): void {
		const target = this.current + ms;
		for (;;) {
			this.queue = this.queue.filter((e) => !e.cancelled);
			this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const next = this.queue[0];
			if (!next || next.at > target) break;
			this.queue.shift();
			this.current = Math.max(this.current, next.at);
			next.fn();
		}
		this.current = target;
	}

	stop(): void {
		this.queue = [];
	}
}
