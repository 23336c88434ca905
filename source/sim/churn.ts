// Churn for the scale scenario: R pod changes per simulated second, so that watchers (kubectl, the cockpit) see a
// busy cluster. The changes are what running pods go through: readiness flaps (an Unhealthy event, not ready,
// ready again: two status writes) and container restarts (OOMKilled, then restarted by the kubelet's usual path:
// about three status writes and their events). The kubelet makes each change, so pod status has one writer.
import type {Timer} from './clock.js';
import type {Kubelet} from './controllers/kubelet.js';
import type {ControllerManager} from './controllers/manager.js';

export type ChurnCounts = {readinessFlaps: number; restarts: number; changes: number};

// Ticks of this many simulated ms; each makes the changes due since the last one.
const tickMs = 100;
// Status writes one incident causes, to keep the rate in changes rather than incidents.
const costs = {'readiness-flap': 2, restart: 3} as const;
// One incident in this many is a restart; the others are readiness flaps.
const restartOneIn = 5;

/** Makes `rate` pod changes per simulated second until stopped. */
export class Churn {
	readonly counts: ChurnCounts = {readinessFlaps: 0, restarts: 0, changes: 0};
	private timer: Timer | undefined;
	private budget = 0;
	private seq = 0;

	constructor(
		private readonly m: ControllerManager,
		private readonly kubelet: Kubelet,
		readonly rate: number,
		private readonly random: () => number = Math.random,
	) {}

	start(): void {
		if (this.timer || this.rate <= 0) return;
		const tick = () => {
			this.tick();
			this.timer = this.m.after(tickMs, tick, 'churn');
		};
		this.timer = this.m.after(tickMs, tick, 'churn');
	}

	/** Stops making changes (start() resumes). */
	stop(): void {
		this.timer?.cancel();
		this.timer = undefined;
		this.budget = 0;
	}

	/** Whether changes are being made. */
	get running(): boolean {
		return this.timer !== undefined;
	}

	private tick(): void {
		// At most a second's worth waits (none is owed for the time no pod was ready).
		this.budget = Math.min(this.budget + (this.rate * tickMs) / 1000, Math.max(this.rate, 3));
		// Pods are picked at random among those the kubelet runs, never listed (a list of 20,000 held the event loop
		// for about 100 ms); disturb refuses one that is not running and ready, and another is tried.
		let tries = 0;
		while (tries++ < 100) {
			const incident = this.seq % restartOneIn === restartOneIn - 1 ? 'restart' : 'readiness-flap';
			if (this.budget < costs[incident]) break;
			const key = this.kubelet.randomPod(this.random);
			if (key === undefined) break;
			if (!this.kubelet.disturb(key, incident)) continue;
			this.seq++;
			this.budget -= costs[incident];
			this.counts.changes += costs[incident];
			if (incident === 'restart') this.counts.restarts++;
			else this.counts.readinessFlaps++;
		}
	}
}
