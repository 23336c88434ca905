// The probe as the cockpit runs it: a prober, the recent results, and the rollout windows of the selected
// deployment, held outside React (like the cockpit store) so that probing never waits on rendering and
// rendering never waits on a probe. Components read plain snapshots through subscribe/getSnapshot.
import {startProber} from './prober.js';
import type {Prober, ProberOptions, ProbeResult} from './prober.js';
import {addProbeToWindows, initialWindows, observeRollout, percentile, settleWindows} from './stats.js';
import type {Outage, Tally, Verdict, WindowState} from './stats.js';
import {blameEpisode, PodHistory} from './blame.js';
import {rolloutStatus} from '../model/rollout-status.js';
import {REVISION_ANNOTATION} from '../model/util.js';
import type {Deployment, Pod} from '../model/types.js';

// What the probe panel shows; a new object whenever anything changed (safe for useSyncExternalStore).
export type ProbeSnapshot = {
	/** 'off': nothing to probe yet; 'unreachable': discovery found no URL (see message). */
	phase: 'off' | 'probing' | 'unreachable';
	url?: string;
	/** How the URL was found ("NodePort 30353 of service nginx on node node1"), or why there is none. */
	message?: string;
	last?: ProbeResult;
	/** The most recent results, oldest first (for the sparkline). */
	recent: readonly ProbeResult[];
	p50?: number;
	p99?: number;
	probes: number;
	failed: number;
	/** The most recent failures, newest first. */
	failures: readonly ProbeResult[];
	/** The rollout window being tallied now, if a rollout is in progress (settlingSince: done, still counting). */
	open?: Tally & {revision?: string; openedAt: number; settlingSince?: number};
	/** One per finished rollout, oldest first; their episodes name the pods to blame (when pods are observed). */
	verdicts: readonly Verdict[];
	skipped: number;
};

// Options of a session; the prober's own options pass through to it.
export type ProbeSessionOptions = {
	/** How many results the sparkline and percentiles look back over. @default 300 (a minute at 5/s) */
	recent?: number;
	/** How many failures are kept for the list. @default 20 */
	failures?: number;
	/** Wall clock for rollout windows. @default Date.now */
	now?: () => number;
	/** How long a window stays open after rollout status says done, for drops while proxies catch up. @default 2000 */
	settleMs?: number;
	/** Every result as it is recorded (the headless status keeps them all for its tally). */
	onResult?: (r: ProbeResult) => void;
};

// Long enough for kube-proxy and cloud load balancers to stop sending traffic to a pod that just stopped.
export const DEFAULT_SETTLE_MS = 2000;

// How many of these pods are terminating (have a deletionTimestamp): the second argument of observeDeployment.
export function terminatingCount(pods: Iterable<Pod>): number {
	let n = 0;
	for (const p of pods) if (p.metadata?.deletionTimestamp) n++;
	return n;
}

// One probe session per cockpit; start() it with a URL, feed it the selected deployment and its pods.
export class ProbeSession {
	private prober?: Prober;
	private listeners = new Set<() => void>();
	private windows: WindowState;
	private settleTimer?: NodeJS.Timeout;
	private recent: ProbeResult[] = [];
	private failures: ProbeResult[] = [];
	private probes = 0;
	private failed = 0;
	private snapshot: ProbeSnapshot;
	private phase: ProbeSnapshot['phase'] = 'off';
	private url?: string;
	private message?: string;
	private readonly keepRecent: number;
	private readonly keepFailures: number;
	private readonly now: () => number;
	private readonly onResult?: (r: ProbeResult) => void;
	private readonly pods = new PodHistory();
	// Blamed copies of outages, recomputed when the pod history changed.
	private blamed = new WeakMap<Outage, {revision: number; outage: Outage}>();

	constructor(options: ProbeSessionOptions = {}) {
		this.keepRecent = options.recent ?? 300;
		this.keepFailures = options.failures ?? 20;
		this.now = options.now ?? Date.now;
		this.onResult = options.onResult;
		this.windows = initialWindows({settleMs: options.settleMs ?? DEFAULT_SETTLE_MS});
		this.snapshot = this.build();
	}

	// Starts probing url (replacing any earlier prober); throws ProbeUrlError for a URL that cannot be probed.
	start(options: Omit<ProberOptions, 'onResult' | 'onDone'> & {how?: string}): void {
		const old = this.prober;
		this.prober = undefined;
		void old?.stop();
		const prober = startProber({
			ref: false,
			...options,
			onResult: (r) => {
				if (this.prober === prober) this.add(r);
			},
		});
		this.prober = prober;
		this.phase = 'probing';
		this.url = prober.url.href;
		this.message = options.how;
		this.changed();
	}

	// No URL to probe, and why (a ClusterIP-only Service, no Service at all): shown instead of results.
	setUnreachable(message: string): void {
		const old = this.prober;
		this.prober = undefined;
		void old?.stop();
		this.phase = 'unreachable';
		this.url = undefined;
		this.message = message;
		this.changed();
	}

	// Nothing to probe (no deployment selected): stops probing and says how to start.
	setOff(): void {
		const old = this.prober;
		this.prober = undefined;
		void old?.stop();
		this.phase = 'off';
		this.url = undefined;
		this.message = undefined;
		this.changed();
	}

	// Forgets the rollout windows and verdicts: another deployment was selected, and they were about the last one.
	resetWindows(): void {
		if (
			this.windows.open === undefined &&
			this.windows.verdicts.length === 0 &&
			this.windows.lastRevision === undefined &&
			this.windows.lastGeneration === undefined
		)
			return;
		this.windows = initialWindows({settleMs: this.windows.settleMs});
		this.changed();
	}

	// Stops probing; resolves when the probes in flight have finished.
	async stop(): Promise<void> {
		clearTimeout(this.settleTimer);
		this.settleTimer = undefined;
		const p = this.prober;
		this.prober = undefined;
		await p?.stop();
	}

	// Feeds the selected deployment as the watch sees it: rollout windows open and close from it.
	// terminatingPods: its pods with a deletionTimestamp. `rollout status` says done while the last old pod
	// is still terminating, and that pod's SIGTERM is exactly when requests get dropped, so the window
	// stays open until the old pods are gone.
	observeDeployment(deployment: Deployment, terminatingPods = 0): void {
		const next = observeRollout(this.windows, {
			revision: deployment.metadata?.annotations?.[REVISION_ANNOTATION],
			generation: deployment.metadata?.generation,
			done: rolloutStatus(deployment).done && terminatingPods === 0,
			at: this.now(),
		});
		if (next !== this.windows) {
			const before = this.windows;
			this.windows = next;
			if (before.open !== next.open || before.verdicts !== next.verdicts) this.changed();
		}
	}

	// Feeds the deployment's pods as the watch sees them, so that each failure episode can name the pods that were
	// terminating or not yet ready meanwhile (probe/blame.ts). The same array again is a no-op.
	observePods(pods: readonly Pod[]): void {
		const before = this.pods.revision;
		this.pods.observe(pods, this.now());
		if (this.pods.revision !== before && this.hasOutages()) this.changed();
	}

	private hasOutages(): boolean {
		return (this.windows.open?.outages.length ?? 0) > 0 || this.windows.verdicts.some((v) => v.outages.length > 0);
	}

	// An outage with its blame, as of the current pod history (the same object while nothing changed).
	private blame = (o: Outage): Outage => {
		const cached = this.blamed.get(o);
		if (cached && cached.revision === this.pods.revision) return cached.outage;
		const outage = {...o, blame: blameEpisode(o, this.pods.all())};
		this.blamed.set(o, {revision: this.pods.revision, outage});
		return outage;
	};

	private blameAll<T extends {outages: Outage[]}>(t: T): T {
		if (t.outages.length === 0) return t;
		const outages = t.outages.map(this.blame);
		return outages.every((o, i) => o === t.outages[i]) ? t : {...t, outages};
	}

	// Records one probe result (the prober calls this; tests may too).
	add(r: ProbeResult): void {
		this.onResult?.(r);
		this.probes++;
		if (!r.ok) {
			this.failed++;
			this.failures = [r, ...this.failures].slice(0, this.keepFailures);
		}
		this.recent.push(r);
		if (this.recent.length > this.keepRecent) this.recent.splice(0, this.recent.length - this.keepRecent);
		this.windows = addProbeToWindows(this.windows, r);
		this.changed();
	}

	// The latest snapshot; the same object until something changes.
	getSnapshot = (): ProbeSnapshot => this.snapshot;

	// Calls fn after every change; returns the unsubscribe function.
	subscribe = (fn: () => void): (() => void) => {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	};

	private changed(): void {
		this.armSettleTimer();
		this.snapshot = this.build();
		for (const fn of [...this.listeners]) fn();
	}

	// A settling window must close on time even when no probe runs (discovery found nothing to probe).
	private armSettleTimer(): void {
		const since = this.windows.open?.settlingSince;
		if (since === undefined || this.settleTimer !== undefined) return;
		this.settleTimer = setTimeout(
			() => {
				this.settleTimer = undefined;
				const next = settleWindows(this.windows, this.now());
				if (next !== this.windows) {
					this.windows = next;
					this.changed();
				} else {
					this.armSettleTimer();
				}
			},
			Math.max(1, since + this.windows.settleMs - this.now()),
		);
		this.settleTimer.unref();
	}

	private verdictsCache?: {verdicts: readonly Verdict[]; revision: number; blamed: readonly Verdict[]};

	// The verdicts with their episodes blamed; the same array while neither changed.
	private blamedVerdicts(): readonly Verdict[] {
		const c = this.verdictsCache;
		if (c && c.verdicts === this.windows.verdicts && c.revision === this.pods.revision) return c.blamed;
		const blamed = this.windows.verdicts.map((v) => this.blameAll(v));
		this.verdictsCache = {verdicts: this.windows.verdicts, revision: this.pods.revision, blamed};
		return blamed;
	}

	private build(): ProbeSnapshot {
		const latencies = this.recent.filter((r) => r.ok).map((r) => r.latencyMs);
		const open = this.windows.open;
		return {
			phase: this.phase,
			url: this.url,
			message: this.message,
			last: this.recent[this.recent.length - 1],
			recent: [...this.recent],
			p50: percentile(latencies, 50),
			p99: percentile(latencies, 99),
			probes: this.probes,
			failed: this.failed,
			failures: this.failures,
			open: open
				? {
						probes: open.probes,
						failed: open.failed,
						byReason: open.byReason,
						maxLatencyMs: open.maxLatencyMs,
						servedBy: open.servedBy,
						outages: open.outages.map(this.blame),
						revision: open.revision,
						openedAt: open.openedAt,
						settlingSince: open.settlingSince,
					}
				: undefined,
			verdicts: this.blamedVerdicts(),
			skipped: this.prober?.skipped ?? 0,
		};
	}
}
