// The log lines the log view shows, held in one bounded ring outside the immutable state (like the event log): a
// flush inserts what the streams delivered, in time order, and drops the oldest lines past the capacity; the
// state only carries a read-only view and a revision. Lines from many pods arrive interleaved and a reconnected
// stream delivers what it missed late, so each line goes in at its time, not at the end. A filter keeps its own
// sorted run of matching lines, updated line by line, so neither a frame nor a keystroke rescans 10,000 lines.

// One line of the log view: a container's line, a probe failure at its time, or a note about a stream.
export type LogEntry = {
	// Arrival order; breaks ties between lines of the same time.
	seq: number;
	// Wall-clock ms (with the sub-millisecond part), from the kubelet's timestamp or the probe's start.
	at: number;
	pod: string;
	container: string;
	// The revision of the pod's ReplicaSet when its stream started (undefined: not known).
	revision?: number;
	text: string;
	kind: 'log' | 'probe' | 'note';
	// Set once the ring has dropped it (filters forget it lazily).
	dropped?: boolean;
};

// The default capacity: enough for a rollout's story, bounded whatever the streams write.
export const DEFAULT_LOG_CAPACITY = 10_000;

const before = (a: LogEntry, b: LogEntry) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

// An array sorted by (at, seq) with a moving start: batches are merged in near its end, the oldest dropped from its head.
class SortedRun {
	private items: LogEntry[] = [];
	private start = 0;

	get length(): number {
		return this.items.length - this.start;
	}

	at(i: number): LogEntry | undefined {
		return this.items[this.start + i];
	}

	first(): LogEntry | undefined {
		return this.items[this.start];
	}

	// Merges a sorted batch in. Lines arrive nearly in order, so only the run's tail after the batch's first line
	// is taken out and merged back: a flush costs its own lines and the few it interleaves with, not the run.
	merge(batch: readonly LogEntry[]): void {
		if (batch.length === 0) return;
		const items = this.items;
		const last = items[items.length - 1];
		if (items.length === this.start || !last || !before(batch[0] as LogEntry, last)) {
			for (const e of batch) items.push(e);
			return;
		}
		let lo = this.start;
		let hi = items.length;
		const head = batch[0] as LogEntry;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (before(head, items[mid] as LogEntry)) hi = mid;
			else lo = mid + 1;
		}
		const tail = items.splice(lo);
		let i = 0;
		let j = 0;
		while (i < tail.length && j < batch.length)
			items.push(before(batch[j] as LogEntry, tail[i] as LogEntry) ? (batch[j++] as LogEntry) : (tail[i++] as LogEntry));
		while (i < tail.length) items.push(tail[i++] as LogEntry);
		while (j < batch.length) items.push(batch[j++] as LogEntry);
	}

	shift(): LogEntry | undefined {
		const e = this.items[this.start];
		if (e === undefined) return undefined;
		this.start++;
		// Compact now and then rather than shifting the array on every line.
		if (this.start > 4096 && this.start * 2 > this.items.length) {
			this.items = this.items.slice(this.start);
			this.start = 0;
		}
		return e;
	}

	// The index of the last entry not after (at, seq), or -1.
	indexAtOrBefore(at: number, seq: number): number {
		let lo = this.start;
		let hi = this.items.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			const m = this.items[mid] as LogEntry;
			if (m.at < at || (m.at === at && m.seq <= seq)) lo = mid + 1;
			else hi = mid;
		}
		return lo - 1 - this.start;
	}
}

// A list of entries in time order, as the screen reads it.
export type LogList = {
	readonly length: number;
	at(i: number): LogEntry | undefined;
	// The index of the last entry at or before (at, seq), -1 when none: where a paused view's bottom line is now.
	indexAtOrBefore(at: number, seq: number): number;
};

// What the state carries: a read-only window on the ring as of one revision.
export type LogView = LogList & {
	readonly revision: number;
	readonly capacity: number;
	// Lines dropped because the ring was full (the note on screen says so).
	readonly dropped: number;
	// The lines matching a filter (the same key gives the same run; only one filter is kept at a time).
	matching(key: string, test: (e: LogEntry) => boolean): LogList;
};

const bySeqTime = (a: LogEntry, b: LogEntry) => a.at - b.at || a.seq - b.seq;

// The ring; the store owns one and hands out views. Lines added are merged in at the next view (once per flush).
export class LogRing {
	private run = new SortedRun();
	private pending: LogEntry[] = [];
	private filter?: {key: string; test: (e: LogEntry) => boolean; run: SortedRun};
	private seq = 0;
	revision = 0;
	dropped = 0;

	constructor(readonly capacity = DEFAULT_LOG_CAPACITY) {}

	// Adds a line (its seq is assigned here); it takes its place at the next view().
	add(at: number, pod: string, container: string, revision: number | undefined, text: string, kind: LogEntry['kind']): void {
		this.pending.push({seq: ++this.seq, at, pod, container, revision, text, kind});
		this.revision++;
	}

	// Merges what was added, in time order, and drops the oldest past the capacity (a line older than all the
	// ring keeps goes at once).
	private settle(): void {
		if (this.pending.length === 0) return;
		const batch = this.pending.sort(bySeqTime);
		this.pending = [];
		this.run.merge(batch);
		if (this.filter) {
			const test = this.filter.test;
			this.filter.run.merge(batch.filter(test));
		}
		while (this.run.length > this.capacity) {
			const gone = this.run.shift();
			if (gone) gone.dropped = true;
			this.dropped++;
		}
		if (this.filter) {
			const f = this.filter.run;
			while (f.first()?.dropped) f.shift();
		}
	}

	// Forgets every line (another log view opened).
	clear(): void {
		this.run = new SortedRun();
		this.pending = [];
		this.filter = undefined;
		this.dropped = 0;
		this.revision++;
	}

	get length(): number {
		this.settle();
		return this.run.length;
	}

	// A view for the state; valid until the next change (a new view is made per flush that changed the ring).
	view(): LogView {
		this.settle();
		const run = this.run;
		const ring = this;
		return {
			revision: this.revision,
			capacity: this.capacity,
			dropped: this.dropped,
			length: run.length,
			at: (i) => run.at(i),
			indexAtOrBefore: (at, seq) => run.indexAtOrBefore(at, seq),
			matching(key, test) {
				return ring.matching(key, test);
			},
		};
	}

	private matching(key: string, test: (e: LogEntry) => boolean): LogList {
		this.settle();
		if (this.filter?.key !== key) {
			const filtered: LogEntry[] = [];
			for (let i = 0; i < this.run.length; i++) {
				const e = this.run.at(i) as LogEntry;
				if (test(e)) filtered.push(e);
			}
			const run = new SortedRun();
			run.merge(filtered);
			this.filter = {key, test, run};
		}
		const f = this.filter.run;
		return {length: f.length, at: (i) => f.at(i), indexAtOrBefore: (at, seq) => f.indexAtOrBefore(at, seq)};
	}
}
