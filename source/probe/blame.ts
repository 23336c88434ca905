// Who was in the way when the probe failed: the deployment's pods as the watch saw them over time (when each
// began terminating, was gone, became ready), and for each failure episode the pods that were terminating (or
// had just stopped, while proxies still routed to them) or not yet ready at that moment. A rolling update
// without preStop drops requests exactly while an old pod shuts down, so naming that pod is the explanation.
// Pure data and functions; the session feeds it the pods the cockpit's watch delivers.
import type {Pod} from '../model/types.js';
import {toMillis} from '../model/util.js';
import type {Outage} from './stats.js';

// One pod's life as seen through the watch (wall-clock ms); undefined: not (yet) seen.
export type PodLife = {
	name: string;
	firstSeen: number;
	readyAt?: number;
	// When it was told to stop: deletionTimestamp minus its grace period (to the second), or when the watch said so.
	terminatingAt?: number;
	// When the watch last had it (it was deleted).
	goneAt?: number;
	// Every container has a preStop hook: the pod keeps serving a moment after it is told to stop.
	preStop: boolean;
};

// How long after a pod is gone the proxies may still route to it (kube-proxy's propagation, load balancers):
// a failure this soon after still belongs to it.
export const STOPPED_GRACE_MS = 5000;

// How many pod lives are remembered (the oldest gone ones are forgotten first).
export const MAX_LIVES = 2000;

function isReady(pod: Pod): boolean {
	return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

function readySince(pod: Pod): number | undefined {
	const c = pod.status?.conditions?.find((x) => x.type === 'Ready' && x.status === 'True');
	return c ? toMillis(c.lastTransitionTime) : undefined;
}

function terminatingSince(pod: Pod, seenAt: number): number | undefined {
	const meta = pod.metadata;
	if (!meta?.deletionTimestamp) return undefined;
	const at = toMillis(meta.deletionTimestamp);
	const grace = meta.deletionGracePeriodSeconds ?? 0;
	return at === undefined ? seenAt : Math.min(seenAt, at - grace * 1000);
}

// The deployment's pods over time: observe() the current set whenever it changes.
export class PodHistory {
	private readonly lives = new Map<string, PodLife>();
	private last: readonly Pod[] | undefined;
	// Bumped on every change, so that derived blame can be cached.
	revision = 0;

	// Records what changed since the last call: new pods, ready, terminating, and pods no longer there (gone).
	observe(pods: readonly Pod[], at: number): void {
		if (pods === this.last) return;
		this.last = pods;
		const present = new Set<string>();
		for (const pod of pods) {
			const name = pod.metadata?.name;
			if (!name) continue;
			present.add(name);
			let life = this.lives.get(name);
			if (!life || life.goneAt !== undefined) {
				const containers = pod.spec?.containers ?? [];
				life = {name, firstSeen: at, preStop: containers.length > 0 && containers.every((c) => Boolean(c.lifecycle?.preStop))};
				this.lives.set(name, life);
				this.revision++;
			}
			if (life.readyAt === undefined && isReady(pod)) {
				life.readyAt = readySince(pod) ?? at;
				this.revision++;
			}
			if (life.terminatingAt === undefined) {
				const since = terminatingSince(pod, at);
				if (since !== undefined) {
					life.terminatingAt = since;
					this.revision++;
				}
			}
		}
		for (const life of this.lives.values()) {
			if (life.goneAt === undefined && !present.has(life.name)) {
				life.goneAt = at;
				life.terminatingAt ??= at;
				this.revision++;
			}
		}
		this.trim();
	}

	// Every life remembered, oldest first.
	all(): PodLife[] {
		return [...this.lives.values()];
	}

	private trim(): void {
		if (this.lives.size <= MAX_LIVES) return;
		for (const [name, life] of this.lives) {
			if (this.lives.size <= MAX_LIVES) break;
			if (life.goneAt !== undefined) this.lives.delete(name);
		}
	}
}

// The pods an episode is blamed on: those stopping (terminating, or gone within STOPPED_GRACE_MS) and those not
// yet ready at some moment of it.
export type Blame = {stopping: {name: string; preStop: boolean}[]; starting: string[]};

// The blame of an episode from `from` to `to` (ms).
export function blameEpisode(o: {from: number; to: number}, lives: readonly PodLife[]): Blame {
	const stopping: Blame['stopping'] = [];
	const starting: string[] = [];
	for (const life of lives) {
		if (life.terminatingAt !== undefined) {
			const end = life.goneAt === undefined ? Number.POSITIVE_INFINITY : life.goneAt + STOPPED_GRACE_MS;
			// Terminating at some moment of the episode (the deletion time is known to the second: allow that).
			if (life.terminatingAt <= o.to && end >= o.from) {
				stopping.push({name: life.name, preStop: life.preStop});
				continue;
			}
		}
		const alive = life.firstSeen <= o.to && (life.goneAt === undefined || life.goneAt >= o.from);
		if (alive && (life.readyAt === undefined || life.readyAt > o.from) && life.terminatingAt === undefined) starting.push(life.name);
	}
	// The latest to start terminating first: an episode is told by the pods its rollout stops, not by an earlier
	// rollout's, still terminating or gone seconds before. Whether a pod is still there does not rank it: a
	// Recreate's own pods may be gone a moment before the probe's first failure (the proxies still route to them)
	// while a pod of the rollout before still terminates, and ranking the present first named that one first.
	const lifeOf = new Map(lives.map((l) => [l.name, l]));
	const since = (name: string) => lifeOf.get(name)?.terminatingAt ?? 0;
	stopping.sort((a, b) => since(b.name) - since(a.name));
	return {stopping, starting};
}

// "nginx-84b4-xq5tc" for "nginx-84b4b9f45b-xq5tc": a ReplicaSet pod's name with the hash cut to 4 characters,
// short enough for a verdict line and still unique among a deployment's pods in practice.
export function shortPodName(name: string): string {
	const m = /^(.*)-([a-z0-9]{6,10})-([a-z0-9]{5})$/.exec(name);
	return m ? `${m[1]}-${m[2].slice(0, 4)}-${m[3]}` : name;
}

// Up to three names, then "+N".
function names(list: readonly string[]): string {
	const shown = list.slice(0, 3).map(shortPodName).join(', ');
	return list.length > 3 ? `${shown} +${list.length - 3}` : shown;
}

// "while nginx-84b4-xq5tc was terminating (no preStop)", "while nginx-84b4-xq5tc, nginx-84b4-ab12c were
// terminating", "while nginx-9f1c-zz9zz was not yet ready"; "" when nothing explains it.
export function formatBlame(b: Blame | undefined): string {
	if (!b) return '';
	if (b.stopping.length > 0) {
		const verb = b.stopping.length === 1 ? 'was' : 'were';
		const noPreStop = b.stopping.every((s) => !s.preStop) ? ' (no preStop)' : '';
		return `while ${names(b.stopping.map((s) => s.name))} ${verb} terminating${noPreStop}`;
	}
	if (b.starting.length > 0) return `while ${names(b.starting)} ${b.starting.length === 1 ? 'was' : 'were'} not yet ready`;
	return '';
}

// What kind of episode it was, as the graceful check's predictions name them.
export type EpisodeKind = 'outage' | 'scale-down-drops' | 'scale-up-drops' | 'drops';

export function episodeKind(o: Outage): EpisodeKind {
	if (o.failed === o.probes) return 'outage';
	if (o.blame?.stopping.length) return 'scale-down-drops';
	if (o.blame?.starting.length) return 'scale-up-drops';
	return 'drops';
}
