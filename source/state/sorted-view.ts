// A sorted, filtered list of a kind's objects that follows the store's views by their deltas: a flush that changed
// k pods costs k binary searches and one array copy, not a sort of all 20,000. Any other change of its inputs (a
// list, a reset, another entry function or order) recomputes it from scratch, so it always equals a full sort.
import {deltaOf} from './store.js';

// How entries are made and ordered; `entry` returns undefined for objects left out. `compare` must order entries
// totally (break ties by key), so that an entry can be found again by binary search.
export type SortSpec<T, E> = {entry: (obj: T) => E | undefined; compare: (a: E, b: E) => number};

// The sorted entries, and the view and spec they were computed from.
type Sorted<T, E> = {view: ReadonlyMap<string, T>; spec: SortSpec<T, E>; entries: E[]; byKey: Map<string, E>; members: number};

// Where `e` is in `entries` (sorted by compare), or where it would go.
function search<E>(entries: readonly E[], e: E, compare: (a: E, b: E) => number): number {
	let lo = 0;
	let hi = entries.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (compare(entries[mid], e) < 0) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

// Keeps one sorted list up to date.
export class SortedView<T, E> {
	private last: Sorted<T, E> | undefined;
	// Bumped when an entry is added or removed.
	private membership = 0;
	private keyList: {membership: number; keys: readonly string[]} = {membership: -1, keys: []};

	// The keys of the entries of `view` by `spec`, in no particular order: a new array only when entries come or go
	// (a pod's status changing keeps it), for what depends on which objects exist.
	keys(view: ReadonlyMap<string, T>, spec: SortSpec<T, E>): readonly string[] {
		this.entries(view, spec);
		if (this.keyList.membership !== this.membership) this.keyList = {membership: this.membership, keys: [...this.last!.byKey.keys()]};
		return this.keyList.keys;
	}

	// The entries of `view` by `spec`, sorted; the same array as before when nothing in it changed.
	entries(view: ReadonlyMap<string, T>, spec: SortSpec<T, E>): E[] {
		const last = this.last;
		if (last && last.view === view && last.spec === spec) return last.entries;
		const delta = deltaOf(view);
		if (last && last.spec === spec && delta && delta.previous === last.view) {
			this.last = this.update(last, view, delta.keys, spec);
			return this.last.entries;
		}
		const byKey = new Map<string, E>();
		const entries: E[] = [];
		for (const [key, obj] of view) {
			const e = spec.entry(obj);
			if (e === undefined) continue;
			byKey.set(key, e);
			entries.push(e);
		}
		entries.sort(spec.compare);
		this.membership++;
		this.last = {view, spec, entries, byKey, members: entries.length};
		return entries;
	}

	private update(last: Sorted<T, E>, view: ReadonlyMap<string, T>, keys: ReadonlySet<string>, spec: SortSpec<T, E>): Sorted<T, E> {
		const entries = last.entries.slice();
		const byKey = last.byKey;
		let changed = false;
		let membership = false;
		for (const key of keys) {
			const old = byKey.get(key);
			const obj = view.get(key);
			const e = obj === undefined ? undefined : spec.entry(obj);
			if (old === undefined && e === undefined) continue;
			changed = true;
			if (old !== undefined && e !== undefined && spec.compare(old, e) === 0 && spec.compare(e, old) === 0) {
				// Same place in the order: replace it there.
				entries[search(entries, old, spec.compare)] = e;
				byKey.set(key, e);
				continue;
			}
			if (old !== undefined) {
				entries.splice(search(entries, old, spec.compare), 1);
				byKey.delete(key);
			}
			if (e !== undefined) {
				entries.splice(search(entries, e, spec.compare), 0, e);
				byKey.set(key, e);
			}
			if ((old === undefined) !== (e === undefined)) membership = true;
		}
		if (membership) this.membership++;
		return {view, spec, entries: changed ? entries : last.entries, byKey, members: entries.length};
	}
}

// The objects of a kind's view that pass `keep`, followed by the store's deltas in the same way: a flush that changed
// k objects costs k tests, not a pass over all 20,000 (a full pass when the view is not the next of the last one, or
// `keep` is another function). The list is in no particular order, and a new array only when it changed.
export class FilteredView<T> {
	private last: {view: ReadonlyMap<string, T>; keep: (obj: T) => boolean; byKey: Map<string, T>; list: readonly T[]} | undefined;

	list(view: ReadonlyMap<string, T>, keep: (obj: T) => boolean): readonly T[] {
		const last = this.last;
		if (last && last.view === view && last.keep === keep) return last.list;
		const delta = deltaOf(view);
		if (last && last.keep === keep && delta && delta.previous === last.view) {
			let changed = false;
			for (const key of delta.keys) {
				const obj = view.get(key);
				if (obj !== undefined && keep(obj)) {
					if (last.byKey.get(key) === obj) continue;
					last.byKey.set(key, obj);
					changed = true;
				} else if (last.byKey.delete(key)) changed = true;
			}
			this.last = {view, keep, byKey: last.byKey, list: changed ? [...last.byKey.values()] : last.list};
			return this.last.list;
		}
		const byKey = new Map<string, T>();
		for (const [key, obj] of view) if (keep(obj)) byKey.set(key, obj);
		this.last = {view, keep, byKey, list: [...byKey.values()]};
		return this.last.list;
	}
}
