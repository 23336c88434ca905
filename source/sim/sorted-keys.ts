// Object keys (`namespace/name`) kept in etcd's order, so that a list is a walk from a position rather than a
// sort, a namespace is a contiguous range, and a page starts where the last one ended. The keys sit in chunks
// of a bounded size (a flat B-tree leaf level): adding or removing one key moves at most a chunk, not the whole
// resource (100,000 events with random names would otherwise cost a move of the array on every write).

// A chunk is split beyond this many keys.
const maxChunk = 512;

/** Keys in byte order (ASCII names: JavaScript's string order is etcd's byte order). */
export class SortedKeys {
	private chunks: string[][] = [];
	private count = 0;

	get size(): number {
		return this.count;
	}

	// The first chunk whose last key is not less than `key` (the chunk `key` belongs in), or chunks.length.
	private chunkFor(key: string): number {
		let lo = 0;
		let hi = this.chunks.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			const chunk = this.chunks[mid]!;
			if (chunk[chunk.length - 1]! < key) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	/** Adds a key that is not present. Appending in order (a bulk load) costs no search within a chunk. */
	insert(key: string): void {
		this.count++;
		if (this.chunks.length === 0) {
			this.chunks.push([key]);
			return;
		}
		let c = this.chunkFor(key);
		if (c === this.chunks.length) c--;
		const chunk = this.chunks[c]!;
		if (chunk[chunk.length - 1]! < key) chunk.push(key);
		else chunk.splice(lowerBound(chunk, key), 0, key);
		if (chunk.length > maxChunk) this.chunks.splice(c, 1, chunk.slice(0, chunk.length >> 1), chunk.slice(chunk.length >> 1));
	}

	/** Removes a key if present. */
	remove(key: string): void {
		const c = this.chunkFor(key);
		const chunk = this.chunks[c];
		if (!chunk) return;
		const i = lowerBound(chunk, key);
		if (chunk[i] !== key) return;
		chunk.splice(i, 1);
		this.count--;
		if (chunk.length === 0) this.chunks.splice(c, 1);
	}

	/** How many keys are less than `key`. */
	rank(key: string): number {
		const c = this.chunkFor(key);
		let n = 0;
		for (let i = 0; i < c; i++) n += this.chunks[i]!.length;
		const chunk = this.chunks[c];
		return chunk ? n + lowerBound(chunk, key) : n;
	}

	/** The keys from `from` on (or after it, when `exclusive`), in order, while `below` (if given) is not reached. */
	*from(from: string, exclusive: boolean, below?: string): Generator<string> {
		let c = this.chunkFor(from);
		if (c === this.chunks.length) return;
		let i = exclusive ? upperBound(this.chunks[c]!, from) : lowerBound(this.chunks[c]!, from);
		for (; c < this.chunks.length; c++, i = 0) {
			const chunk = this.chunks[c]!;
			for (; i < chunk.length; i++) {
				const key = chunk[i]!;
				if (below !== undefined && key >= below) return;
				yield key;
			}
		}
	}
}

/** The first position in `keys` (sorted) whose key is not less than `key`. */
export function lowerBound(keys: readonly string[], key: string): number {
	let lo = 0;
	let hi = keys.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (keys[mid]! < key) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** The first position in `keys` (sorted) whose key is greater than `key`. */
export function upperBound(keys: readonly string[], key: string): number {
	let lo = 0;
	let hi = keys.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (keys[mid]! <= key) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** The key range [lo, hi) of one namespace (`ns/` up to `ns0`: '0' follows '/'); everything when undefined. */
export function namespaceRange(namespace: string | undefined): {lo: string; hi: string | undefined} {
	return namespace === undefined ? {lo: '', hi: undefined} : {lo: `${namespace}/`, hi: `${namespace}0`};
}
