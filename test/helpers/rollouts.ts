// Recorded rollouts as the timeline reads them (model/timeline.ts TimelineInput), written by hand: a rolling update
// whose ready counts cross, and a Recreate whose old pods all go before any new one is ready, with the probe's
// failures inside the gap. Times are seconds from T0.
import type {Episode, ProbeSample, TimelineInput} from '../../source/model/timeline.js';

export const T0 = Date.parse('2025-06-01T12:00:00Z');
export const s = (sec: number) => T0 + sec * 1000;

// Probes every 200 ms from `from` to `to` (seconds), failing inside the given windows.
export function probes(from: number, to: number, failing: [number, number][] = [], latencyMs = 2): ProbeSample[] {
	const out: ProbeSample[] = [];
	for (let k = 0; from + k * 0.2 < to - 1e-9; k++) {
		const t = Math.round((from + k * 0.2) * 10) / 10;
		const at = s(t);
		const fails = failing.some(([a, b]) => t >= a && t < b);
		out.push(fails ? {at, ok: false, latencyMs: 1, error: 'refused'} : {at, ok: true, latencyMs});
	}
	return out;
}

// Revision 1 (3 ready) hands over to revision 2 one pod at a time from 10 s to 16 s; the rollout completes at 17 s.
export function rollingUpdate(): TimelineInput {
	return {
		deployment: 'nginx',
		series: [
			{
				replicaSet: 'nginx-1111111111',
				revision: 1,
				image: 'nginx:1.18',
				points: [
					{at: s(0), ready: 3},
					{at: s(12), ready: 2},
					{at: s(14), ready: 1},
					{at: s(16), ready: 0},
				],
			},
			{
				replicaSet: 'nginx-2222222222',
				revision: 2,
				image: 'nginx:1.20.1',
				points: [
					{at: s(0), ready: 0},
					{at: s(11), ready: 1},
					{at: s(13), ready: 2},
					{at: s(15), ready: 3},
				],
			},
		],
		markers: [
			{at: s(10), kind: 'started', text: 'revision 2 rollout started'},
			{at: s(10), kind: 'scaled', text: 'Scaled up replica set nginx-2222222222 to 1'},
			{at: s(12), kind: 'scaled', text: 'Scaled down replica set nginx-1111111111 to 2 from 3'},
			{at: s(17), kind: 'complete', text: 'revision 2 rolled out'},
		],
		probes: probes(0, 20),
		episodes: [],
		rollouts: [{revision: 2, from: s(10), to: s(17)}],
		since: s(0),
		now: s(20),
	};
}

// Revision 2 (3 ready) is replaced by revision 3 with Recreate: nothing is ready from 12 s to 15 s, and the probe
// fails in that gap.
export function recreate(): TimelineInput {
	const episode: Episode = {
		from: s(12),
		to: s(15),
		kind: 'outage',
		failed: 15,
		probes: 15,
		text: 'outage 3.0 s from 12:00:12: 15 failed (refused 15) while nginx-2222-aaaaa, nginx-2222-bbbbb, nginx-2222-ccccc were terminating',
		blame: 'while nginx-2222-aaaaa, nginx-2222-bbbbb, nginx-2222-ccccc were terminating',
	};
	return {
		deployment: 'nginx',
		series: [
			{
				replicaSet: 'nginx-2222222222',
				revision: 2,
				image: 'nginx:1.20.1',
				points: [
					{at: s(0), ready: 3},
					{at: s(11), ready: 0},
				],
			},
			{
				replicaSet: 'nginx-3333333333',
				revision: 3,
				image: 'nginx:1.21',
				points: [
					{at: s(0), ready: 0},
					{at: s(15), ready: 2},
					{at: s(16), ready: 3},
				],
			},
		],
		markers: [
			{at: s(10), kind: 'started', text: 'revision 3 rollout started'},
			{at: s(10), kind: 'scaled', text: 'Scaled down replica set nginx-2222222222 to 0 from 3'},
			{at: s(12), kind: 'scaled', text: 'Scaled up replica set nginx-3333333333 to 3'},
			{at: s(17), kind: 'complete', text: 'revision 3 rolled out'},
		],
		probes: probes(0, 20, [[12, 15]]),
		episodes: [episode],
		rollouts: [{revision: 3, from: s(10), to: s(17)}],
		since: s(0),
		now: s(20),
	};
}
