// The store's log part: the ring of lines the log view shows, which target it belongs to, and how each stream
// stands. The streams (state/log-data.ts) report through queued actions, applied once per frame like watch
// events; the ring changes in place and the state gets a fresh read-only view only when a flush changed it.
import type {StreamLine} from '../kube/logs.js';
import type {ProbeSnapshot} from '../probe/session.js';
import {LogRing, type LogView} from './log-ring.js';
import {logTargetKey, shownLogTarget, type UiState} from './ui.js';

// One stream as the log view's header counts it.
export type LogStreamInfo = {
	pod: string;
	container: string;
	phase: 'connecting' | 'streaming' | 'backoff' | 'ended';
	reconnects: number;
	error?: string;
	end?: 'completed' | 'gone' | 'error';
};

// What the state carries about logs.
export type LogsState = {
	// The key of the target the ring holds lines of (ui.ts logTargetKey), undefined when no log view is open.
	key?: string;
	lines: LogView;
	streams: ReadonlyMap<string, LogStreamInfo>;
	// Pods not streamed because the cap was reached, and the cap.
	waiting: number;
	cap: number;
};

// What the log streams report; each names the target key it was started for, so late reports of a closed view drop.
export type LogAction =
	| {type: 'logLines'; key: string; pod: string; container: string; revision?: number; lines: readonly StreamLine[]; kind?: 'note'}
	| {type: 'logStream'; key: string; stream: string; info: LogStreamInfo}
	| {type: 'logWaiting'; key: string; waiting: number; cap: number};

// The store's log keeper.
export class LogKeeper {
	readonly ring: LogRing;
	private key?: string;
	private streams = new Map<string, LogStreamInfo>();
	private waiting = 0;
	private cap = 0;
	private streamsChanged = false;
	// The last probe result put into the ring, so each failure goes in once.
	private probeSeq = 0;
	private shown?: LogsState;

	constructor(capacity?: number) {
		this.ring = new LogRing(capacity);
	}

	// The first state.
	initial(): LogsState {
		this.shown = {lines: this.ring.view(), streams: new Map(), waiting: 0, cap: 0};
		return this.shown;
	}

	// Follows the UI: a log view with another target starts an empty ring (with the probe's recent failures);
	// closing the log view empties it.
	follow(ui: UiState, probe: ProbeSnapshot | undefined): void {
		const target = shownLogTarget(ui);
		const key = target ? logTargetKey(target) : undefined;
		if (key === this.key) return;
		this.key = key;
		this.ring.clear();
		this.streams = new Map();
		this.streamsChanged = true;
		this.waiting = 0;
		this.probeSeq = 0;
		if (key === undefined) return;
		this.addProbeFailures(probe?.failures ?? []);
		this.probeSeq = Math.max(0, ...(probe?.recent ?? []).map((r) => r.seq));
	}

	// Applies one report of the streams.
	reduce(action: LogAction): void {
		if (action.key !== this.key) return;
		switch (action.type) {
			case 'logLines':
				for (const l of action.lines) this.ring.add(l.at, action.pod, action.container, action.revision, l.text, action.kind ?? 'log');
				return;
			case 'logStream':
				this.streams.set(action.stream, action.info);
				this.streamsChanged = true;
				return;
			case 'logWaiting':
				if (action.waiting !== this.waiting || action.cap !== this.cap) {
					this.waiting = action.waiting;
					this.cap = action.cap;
					this.streamsChanged = true;
				}
				return;
		}
	}

	// New probe failures go into the ring at their time, so a reset lines up with the pod that was stopping.
	probe(snapshot: ProbeSnapshot | undefined): void {
		if (!snapshot || this.key === undefined) return;
		const fresh = snapshot.recent.filter((r) => r.seq > this.probeSeq && !r.ok);
		const last = snapshot.recent.at(-1);
		if (last) this.probeSeq = Math.max(this.probeSeq, last.seq);
		this.addProbeFailures(fresh);
	}

	private addProbeFailures(failures: ProbeSnapshot['failures']): void {
		for (const r of failures) {
			const status = r.status !== undefined ? ` ${r.status}` : '';
			const text = `probe ${r.error ?? 'failed'}${status}${r.detail ? `: ${r.detail}` : ''}`;
			this.ring.add(r.at, '', '', undefined, text, 'probe');
		}
	}

	// The state's log part after a flush: the same object when nothing changed.
	fold(): LogsState {
		const shown = this.shown ?? this.initial();
		if (!this.streamsChanged && shown.lines.revision === this.ring.revision && shown.key === this.key) return shown;
		this.shown = {
			key: this.key,
			lines: shown.lines.revision === this.ring.revision ? shown.lines : this.ring.view(),
			streams: this.streamsChanged ? new Map(this.streams) : shown.streams,
			waiting: this.waiting,
			cap: this.cap,
		};
		this.streamsChanged = false;
		return this.shown;
	}
}
