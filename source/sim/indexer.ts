// Secondary indexes over keyed objects, as client-go's cache.Indexer keeps them: each index function maps an
// object to the values it is found under (a label pair, an owner's uid, a node name), and a lookup by value
// answers the keys without a scan. The store indexes for the API's lists; the informers index for controllers.
import type {KubeObject} from './object.js';

/** The values an object is indexed under; none to leave it out of the index. */
export type IndexFunc = (object: KubeObject) => readonly string[];

const none: ReadonlySet<string> = new Set();

/** Several named indexes, kept in step with one keyed collection by update(). */
export class Indexer {
	private readonly funcs = new Map<string, IndexFunc>();
	private readonly indexes = new Map<string, Map<string, Set<string>>>();

	constructor(funcs: Record<string, IndexFunc> = {}) {
		for (const [name, fn] of Object.entries(funcs)) this.define(name, fn);
	}

	/** True when an index of that name exists. */
	has(name: string): boolean {
		return this.funcs.has(name);
	}

	/** Adds an index; `existing` fills it with what the collection already holds. */
	define(name: string, fn: IndexFunc, existing: Iterable<[string, KubeObject]> = []): void {
		if (this.funcs.has(name)) throw new Error(`index ${name} is already defined`);
		this.funcs.set(name, fn);
		const index = new Map<string, Set<string>>();
		this.indexes.set(name, index);
		for (const [key, object] of existing) for (const value of fn(object)) add(index, value, key);
	}

	/** Moves `key` from the values of `previous` to those of `next` (either may be undefined: add, delete). */
	update(key: string, previous: KubeObject | undefined, next: KubeObject | undefined): void {
		for (const [name, fn] of this.funcs) {
			const index = this.indexes.get(name)!;
			const before = previous ? fn(previous) : [];
			const after = next ? fn(next) : [];
			if (before.length === 1 && after.length === 1 && before[0] === after[0]) continue;
			for (const value of before) if (!after.includes(value)) remove(index, value, key);
			for (const value of after) if (!before.includes(value)) add(index, value, key);
		}
	}

	/** The keys indexed under `value` (a live view: copy it before changing the collection while iterating). */
	keys(name: string, value: string): ReadonlySet<string> {
		const index = this.indexes.get(name);
		if (!index) throw new Error(`no index named ${name}`);
		return index.get(value) ?? none;
	}

	/** The values an index currently holds, for tests and diagnostics. */
	values(name: string): string[] {
		return [...(this.indexes.get(name)?.keys() ?? [])];
	}
}

function add(index: Map<string, Set<string>>, value: string, key: string): void {
	let set = index.get(value);
	if (!set) {
		set = new Set();
		index.set(value, set);
	}
	set.add(key);
}

function remove(index: Map<string, Set<string>>, value: string, key: string): void {
	const set = index.get(value);
	if (!set) return;
	set.delete(key);
	if (set.size === 0) index.delete(value);
}

/** Index values of an object's labels: one `key=value` per label, for equality selectors. */
export function labelPairs(object: KubeObject): string[] {
	const labels = object.metadata.labels;
	if (!labels) return [];
	const out: string[] = [];
	for (const k in labels) out.push(`${k}=${labels[k]}`);
	return out;
}

/** Index values of an object's owners: the uid of every ownerReference (controller or not). */
export function ownerUids(object: KubeObject): string[] {
	const refs = object.metadata.ownerReferences;
	if (!refs || refs.length === 0) return [];
	return refs.map((r) => r.uid);
}

/** Index value of the controlling owner: the uid of the ownerReference with controller: true. */
export function controllerUid(object: KubeObject): string[] {
	const ref = object.metadata.ownerReferences?.find((r) => r.controller === true);
	return ref ? [ref.uid] : [];
}

/** Index value of a pod's node (spec.nodeName), none while it is unscheduled. */
export function podNodeName(object: KubeObject): string[] {
	const node = object.spec?.nodeName;
	return typeof node === 'string' && node !== '' ? [node] : [];
}

/** Index value of an object's namespace ('' for cluster-scoped objects). */
export function namespaceOf(object: KubeObject): string[] {
	return [object.metadata.namespace ?? ''];
}
