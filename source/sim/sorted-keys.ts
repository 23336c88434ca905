// Object keys (`namespace/name`) kept in etcd's order, so that a list is a walk from a position rather than a
// sort, a namespace is a contiguous range found by binary search, and a page starts where the last one ended.

/** Keys in byte order (ASCII names: JavaScript's string order is etcd's byte order). */
export class SortedKeys {
	private keys: string[] = [];

	get size(): number {
		return this.keys.length;
	}

	/** The first position whose key is not less than `key`. */
	lowerBound(key: string): number {
		let lo = 0;
		let hi = this.keys.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.keys[mid]! < key) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	/** The first position whose key is greater than `key`. */
	upperBound(key: string): number {
		let lo = 0;
		let hi = this.keys.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.keys[mid]! <= key) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	/** Adds a key that is not present. Appending in order (a bulk load) costs no search. */
	insert(key: string): void {
		const n = this.keys.length;
		if (n === 0 || this.keys[n - 1]! < key) {
			this.keys.push(key);
			return;
		}
		this.keys.splice(this.lowerBound(key), 0, key);
	}

	/** Removes a key if present. */
	remove(key: string): void {
		const i = this.lowerBound(key);
		if (this.keys[i] === key) this.keys.splice(i, 1);
	}

	at(i: number): string | undefined {
		return this.keys[i];
	}

	/**
	 * The positions [start, end) of the keys of one namespace (`ns/` up to, not including, `ns0`: '0' follows '/'),
	 * or of every key when namespace is undefined.
	 */
	range(namespace: string | undefined): [number, number] {
		if (namespace === undefined) return [0, this.keys.length];
		return [this.lowerBound(`${namespace}/`), this.lowerBound(`${namespace}0`)];
	}
}
