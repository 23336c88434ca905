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
