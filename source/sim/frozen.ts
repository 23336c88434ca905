// Immutable JSON values: what the store holds is deep-frozen, so every reader (lists, watches, informers,
// controllers) shares the same objects without copies, and a write builds a new object around the parts that
// did not change. A reader that tries to change a stored object gets a TypeError at the line that tried.

/**
 * A deep-frozen copy of a JSON value. Parts already frozen are shared, not copied: an object built from a stored
 * one (`{...pod, status}`) costs only what is new.
 */
export function frozenCopy<T>(value: T): T {
	if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
	if (Array.isArray(value)) {
		const out = new Array(value.length);
		for (let i = 0; i < value.length; i++) out[i] = frozenCopy(value[i]);
		return Object.freeze(out) as T;
	}
	const out: Record<string, unknown> = {};
	for (const key in value as Record<string, unknown>) out[key] = frozenCopy((value as Record<string, unknown>)[key]);
	return Object.freeze(out) as T;
}

/**
 * Deep equality of JSON values, ignoring key order and undefined fields (as their JSON texts would compare, without
 * building them). Shared parts compare by identity first, so comparing a write with the stored object it was built
 * from costs only what is new.
 */
export function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a)) {
		if (!Array.isArray(b) || a.length !== b.length) return false;
		for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
		return true;
	}
	if (Array.isArray(b)) return false;
	const x = a as Record<string, unknown>;
	const y = b as Record<string, unknown>;
	let n = 0;
	for (const k in x) {
		if (x[k] === undefined) continue;
		if (!sameJson(x[k], y[k])) return false;
		n++;
	}
	for (const k in y) if (y[k] !== undefined) n--;
	return n === 0;
}
