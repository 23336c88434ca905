// Seeded randomness for the faults: the same seed gives the same draws, so a failing soak can be replayed.
// Each rule draws from its own stream, so adding a rule does not shift the draws of the others.

/** A deterministic source of numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: a small, fast 32-bit generator; plenty for choosing when faults fire. */
export function seededRandom(seed: number): Random {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The seed of stream `index` under `seed`: well mixed, so neighbouring streams do not correlate. */
export function streamSeed(seed: number, index: number): number {
	let h = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
	return (h ^ (h >>> 16)) >>> 0;
}

/** An exponentially distributed interval with the given mean: the gaps between events of a Poisson process. */
export function exponential(random: Random, mean: number): number {
	return Math.max(1, Math.round(-Math.log(1 - random()) * mean));
}

/** A fresh seed when the user gave none; printed so that the run can be replayed. */
export function randomSeed(): number {
	return Math.floor(Math.random() * 0x100000000) >>> 0;
}
