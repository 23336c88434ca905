// The embedded cluster's etcd: objects per resource, one global resourceVersion, and a retained window of
// changes so that watches can resume from a resourceVersion, or learn with 410 that it is too old.
//
// Stored objects are immutable (deep-frozen): get, list and watch hand out the stored objects themselves, and a
// write replaces an object rather than changing it, sharing the parts that did not change. Keys are kept in
// etcd's order, so a list walks a namespace's range instead of sorting, and indexes (labels, owners, a pod's
// node) answer selectors without a scan. A continued list is served as of its first page's resourceVersion.
import {randomUUID} from 'node:crypto';
import {alreadyExists, conflict, expired, notFound} from './errors.js';
import {frozenCopy, sameJson} from './frozen.js';
import {Indexer, labelPairs, ownerUids, podNodeName} from './indexer.js';
import {findResource, resources, type ResourceInfo} from './resources.js';
import type {KubeObject} from './object.js';
import {namespaceRange, SortedKeys, upperBound} from './sorted-keys.js';

export type {KubeObject, ObjectMeta, OwnerReference} from './object.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as a watch delivers it. `object` is the stored (frozen) object. */
export type StoreEvent = {
	type: WatchEventType;
	resource: string;
	object: KubeObject;
	/** The resourceVersion this change was written at. */
	rv: number;
	/** For MODIFIED and DELETED: the object as it was before, so filtered watches see selection changes. */
	previous?: KubeObject;
};

export type WatchOptions = {
	/** Only objects in this namespace; undefined for all. */
	namespace?: string;
	/**
	 * Resume after this resourceVersion. Undefined or '0': first an ADDED for every current object, then changes.
	 */
	resourceVersion?: string;
	/** Only events whose object passes. A MODIFIED that stops passing is delivered as DELETED, as the server does. */
	filter?: (object: KubeObject) => boolean;
};

/** What a list selects. `labels` and `nodeName` only pick the index to read; `filter` decides. */
export type ListQuery = {
	/** Only this namespace; undefined for all. */
	namespace?: string;
	/** `key=value` pairs every selected object carries (from an equality label selector): read the label index. */
	labels?: readonly string[];
	/** Pods on this node (a spec.nodeName field selector): read the node index. */
	nodeName?: string;
	/** The full predicate; every object it accepts carries `labels` and `nodeName`. */
	filter?: (object: KubeObject) => boolean;
};

/** A list request with limit/continue. */
export type PageQuery = ListQuery & {
	/** At most this many objects; 0 or undefined for all. */
	limit?: number;
	/** Continue an earlier list: its resourceVersion, and the last key it returned. */
	continueFrom?: {rv: number; after: string};
};

/** One page of a list, as of `resourceVersion`. */
export type Page = {
	items: KubeObject[];
	resourceVersion: string;
	/** The key to continue after, when more objects remain. */
	next?: string;
	/** How many objects remain after this page (only for lists without a filter, as the real server counts). */
	remaining?: number;
};

export type StoreOptions = {
	/** How many changes are kept for watch resumption; older resourceVersions get 410 Expired. @default 5000 */
	historyLimit?: number;
	/** Wall-clock source for creationTimestamp. @default Date.now */
	now?: () => number;
};

/** Resources whose spec changes bump metadata.generation (and whose status is a subresource). */
const generationTracked = new Set(['deployments', 'replicasets', 'poddisruptionbudgets']);

// Kubernetes' name suffix alphabet (no vowels, no ambiguous characters).
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Five random characters, as generateName appends. */
export function randomSuffix(length = 5): string {
	let s = '';
	for (let i = 0; i < length; i++) s += suffixAlphabet[Math.floor(Math.random() * suffixAlphabet.length)];
	return s;
}

/** The store key of an object: `namespace/name` ('' namespace for cluster-scoped objects), in etcd's order. */
export const storeKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

/** Equal apart from metadata.resourceVersion: such a write is a no-op. */
function sameObject(a: KubeObject, b: KubeObject): boolean {
	const {resourceVersion: _a, ...ma} = a.metadata;
	const {resourceVersion: _b, ...mb} = b.metadata;
	return sameJson({...a, metadata: ma}, {...b, metadata: mb});
}

type Watcher = {
	resource: string;
	options: WatchOptions;
	cb: (event: StoreEvent) => void;
	/** Events at or below this resourceVersion were already delivered (replayed or listed) when it started. */
	since: number;
};

/** One resource's objects, their order, and their indexes. */
class Table {
	readonly objects = new Map<string, KubeObject>();
	readonly keys = new SortedKeys();
	readonly index: Indexer;

	constructor(resource: string) {
		this.index = new Indexer({label: labelPairs, owner: ownerUids});
		if (resource === 'pods') this.index.define('node', podNodeName);
	}

	set(key: string, object: KubeObject): void {
		const previous = this.objects.get(key);
		this.objects.set(key, object);
		if (!previous) this.keys.insert(key);
		this.index.update(key, previous, object);
	}

	remove(key: string): void {
		const previous = this.objects.get(key);
		if (!previous) return;
		this.objects.delete(key);
		this.keys.remove(key);
		this.index.update(key, previous, undefined);
	}
}

/** One store for every resource, like etcd behind the API server. */
export class Store {
	private rv = 1;
	private compacted = 0;
	private readonly tables = new Map<string, Table>();
	private history: StoreEvent[] = [];
	private readonly historyLimit: number;
	private readonly now: () => number;
	private readonly watchers = new Map<string, Set<Watcher>>();
	private readonly pending: StoreEvent[] = [];
	private dispatching = false;
	private idle: (() => void)[] = [];

	constructor(options: StoreOptions = {}) {
		this.historyLimit = Math.max(1, options.historyLimit ?? 5000);
		this.now = options.now ?? Date.now;
	}

	/** The latest resourceVersion, as a list carries it. */
	get resourceVersion(): string {
		return String(this.rv);
	}

	/** The oldest resourceVersion a watch can still resume from. */
	get oldestResumable(): number {
		return this.history.length > 0 ? this.history[0]!.rv - 1 : this.rv;
	}

	private table(resource: string): Table {
		let t = this.tables.get(resource);
		if (!t) {
			t = new Table(resource);
			this.tables.set(resource, t);
		}
		return t;
	}

	private info(resource: string): ResourceInfo | undefined {
		return findResource('', resource) ?? resources.find((r) => r.resource === resource);
	}

	private group(resource: string): string {
		return this.info(resource)?.group ?? '';
	}

	/** The stored object (frozen), or undefined. */
	get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
		return this.table(resource).objects.get(storeKey(namespace, name));
	}

	/** The stored object (frozen), or a 404 ApiError. */
	mustGet(resource: string, namespace: string | undefined, name: string): KubeObject {
		const o = this.get(resource, namespace, name);
		if (!o) throw notFound(resource, this.group(resource), name);
		return o;
	}

	/** The stored objects (frozen; in one namespace, or all) in key order, and the list resourceVersion. */
	list(resource: string, namespace?: string, filter?: (o: KubeObject) => boolean): {items: KubeObject[]; resourceVersion: string} {
		return this.page(resource, {namespace, filter});
	}

	/** Like list; kept for callers that serialise large lists (every list now shares the stored objects). */
	listShared(resource: string, namespace?: string, filter?: (o: KubeObject) => boolean): {items: KubeObject[]; resourceVersion: string} {
		return this.list(resource, namespace, filter);
	}

	/** How many objects of a resource exist, without listing them. */
	count(resource: string): number {
		return this.table(resource).objects.size;
	}

	/** Keys of the objects whose ownerReferences name `uid`, per resource (for deletion propagation). */
	dependents(uid: string): {resource: string; object: KubeObject}[] {
		const out: {resource: string; object: KubeObject}[] = [];
		for (const [resource, t] of this.tables) {
			for (const key of [...t.index.keys('owner', uid)]) out.push({resource, object: t.objects.get(key)!});
		}
		return out;
	}

	/**
	 * A list or one page of it, in key order. A continued list is served as of the resourceVersion of its first
	 * page (objects changed since are shown as they were), or 410 when that version has left the history window.
	 */
	page(resource: string, query: PageQuery): Page {
		const t = this.table(resource);
		const cont = query.continueFrom;
		const atRv = cont ? cont.rv : this.rv;
		if (cont && atRv < this.oldestResumable) {
			throw expired(
				'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
			);
		}
		const limit = query.limit && query.limit > 0 ? query.limit : Number.POSITIVE_INFINITY;
		const after = cont?.after;
		const {namespace, filter} = query;
		const accept = (key: string, o: KubeObject | undefined): o is KubeObject =>
			o !== undefined &&
			(namespace === undefined || o.metadata.namespace === namespace) &&
			(!filter || filter(o)) &&
			(!after || key > after);

		// Objects changed since atRv are read from the history, as they were then.
		const changed = atRv < this.rv ? this.stateAt(resource, atRv) : undefined;
		const past = changed ? [...changed].filter(([key, o]) => accept(key, o)).sort((a, b) => (a[0] < b[0] ? -1 : 1)) : [];
		let p = 0;

		const items: KubeObject[] = [];
		let next: string | undefined;
		let lastKey: string | undefined;
		const take = (key: string, o: KubeObject): boolean => {
			if (items.length >= limit) {
				next = lastKey;
				return false;
			}
			items.push(o);
			lastKey = key;
			return true;
		};
		const takePastBefore = (key: string | undefined): boolean => {
			while (p < past.length && (key === undefined || past[p]![0] < key)) {
				if (!take(past[p]![0], past[p]![1]!)) return false;
				p++;
			}
			return true;
		};

		let remaining = 0;
		const candidates = this.indexCandidates(t, query);
		if (candidates) {
			const keys = [...candidates].sort();
			for (let i = after ? upperBound(keys, after) : 0; i < keys.length; i++) {
				const key = keys[i]!;
				if (changed?.has(key)) continue;
				if (!accept(key, t.objects.get(key))) continue;
				if (!takePastBefore(key) || !take(key, t.objects.get(key)!)) break;
			}
		} else {
			const {lo, hi} = namespaceRange(namespace);
			const exclusive = after !== undefined && after >= lo;
			for (const key of t.keys.from(exclusive ? after! : lo, exclusive, hi)) {
				if (changed?.has(key)) continue;
				const o = t.objects.get(key)!;
				if (filter && !filter(o)) continue;
				if (!takePastBefore(key) || !take(key, o)) break;
			}
			// An estimate, as the real one: the current keys of the range after the last one returned.
			if (next !== undefined) remaining = (hi === undefined ? t.keys.size : t.keys.rank(hi)) - t.keys.rank(next) - 1;
		}
		if (next === undefined) takePastBefore(undefined);
		const page: Page = {items, resourceVersion: String(atRv)};
		if (next !== undefined) {
			page.next = next;
			if (!filter && !candidates) page.remaining = Math.max(1, remaining + (past.length - p));
		}
		return page;
	}

	// The smallest index set that holds every selected object, when one is smaller than a walk of the namespace.
	private indexCandidates(t: Table, query: ListQuery): ReadonlySet<string> | undefined {
		let best: ReadonlySet<string> | undefined;
		const consider = (set: ReadonlySet<string>) => {
			if (!best || set.size < best.size) best = set;
		};
		for (const pair of query.labels ?? []) consider(t.index.keys('label', pair));
		if (query.nodeName !== undefined && t.index.has('node')) consider(t.index.keys('node', query.nodeName));
		if (!best) return undefined;
		const {lo, hi} = namespaceRange(query.namespace);
		const inRange = (hi === undefined ? t.keys.size : t.keys.rank(hi)) - t.keys.rank(lo);
		return best.size < inRange ? best : undefined;
	}

	// For each key of `resource` changed after `rv`: the object as it was at rv (undefined: it did not exist).
	private stateAt(resource: string, rv: number): Map<string, KubeObject | undefined> {
		const out = new Map<string, KubeObject | undefined>();
		for (let i = lowerBoundRv(this.history, rv + 1); i < this.history.length; i++) {
			const e = this.history[i]!;
			if (e.resource !== resource) continue;
			const key = storeKey(e.object.metadata.namespace, e.object.metadata.name!);
			if (!out.has(key)) out.set(key, e.type === 'ADDED' ? undefined : e.previous);
		}
		return out;
	}

	/**
	 * Stores a new object: fills name (from generateName), uid, creationTimestamp, resourceVersion, generation.
	 * The input is not changed; the stored object is a frozen copy that shares the input's frozen parts.
	 */
	create(resource: string, input: KubeObject): KubeObject {
		const t = this.table(resource);
		const meta = {...input.metadata};
		if (!meta.name && meta.generateName) {
			do meta.name = meta.generateName + randomSuffix();
			while (t.objects.has(storeKey(meta.namespace, meta.name)));
		}
		if (!meta.name) throw new Error(`create ${resource}: metadata.name is required`);
		const key = storeKey(meta.namespace, meta.name);
		if (t.objects.has(key)) throw alreadyExists(resource, this.group(resource), meta.name);
		meta.uid = randomUUID();
		meta.creationTimestamp = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
		delete meta.deletionTimestamp;
		if (generationTracked.has(resource)) meta.generation = 1;
		else delete meta.generation;
		meta.resourceVersion = String(++this.rv);
		const o = frozenCopy({...input, metadata: meta});
		t.set(key, o);
		this.emit({type: 'ADDED', resource, object: o, rv: this.rv});
		return o;
	}

	/**
	 * Replaces an object. A resourceVersion in the input must match the stored one (409 otherwise), as an
	 * optimistic-concurrency update does. `subresource: 'status'` takes only the status; a main update keeps the
	 * stored status for resources with a status subresource. Spec changes bump generation.
	 */
	update(resource: string, input: KubeObject, options: {subresource?: 'status'} = {}): KubeObject {
		const t = this.table(resource);
		const meta = input.metadata;
		const key = storeKey(meta.namespace, meta.name!);
		const old = t.objects.get(key);
		if (!old) throw notFound(resource, this.group(resource), meta.name!);
		if (meta.resourceVersion && meta.resourceVersion !== old.metadata.resourceVersion) {
			throw conflict(resource, this.group(resource), meta.name!);
		}
		let o: KubeObject;
		if (options.subresource === 'status') {
			o = {...old, status: input.status};
		} else {
			const m = {...input.metadata};
			// Identity and bookkeeping fields are the server's, whatever the client sent.
			m.uid = old.metadata.uid;
			m.creationTimestamp = old.metadata.creationTimestamp;
			m.namespace = old.metadata.namespace;
			m.name = old.metadata.name;
			if (old.metadata.deletionTimestamp && !m.deletionTimestamp) {
				m.deletionTimestamp = old.metadata.deletionTimestamp;
				m.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
			}
			o = {...input, metadata: m};
			if (generationTracked.has(resource)) {
				o.status = old.status;
				const specChanged = !sameJson(o.spec, old.spec);
				const deleting = !old.metadata.deletionTimestamp && !!m.deletionTimestamp;
				m.generation = (old.metadata.generation ?? 1) + (specChanged || deleting ? 1 : 0);
			} else if (old.metadata.generation !== undefined) {
				m.generation = old.metadata.generation;
			}
		}
		if (sameObject(o, old)) {
			// A no-op write keeps its resourceVersion and emits nothing, as the real server does.
			return old;
		}
		o = frozenCopy({...o, metadata: {...o.metadata, resourceVersion: String(++this.rv)}});
		t.set(key, o);
		this.emit({type: 'MODIFIED', resource, object: o, rv: this.rv, previous: old});
		return o;
	}

	/** Removes an object now (graceful deletion is the caller's policy) and emits DELETED. */
	delete(resource: string, namespace: string | undefined, name: string): KubeObject {
		const t = this.table(resource);
		const key = storeKey(namespace, name);
		const old = t.objects.get(key);
		if (!old) throw notFound(resource, this.group(resource), name);
		t.remove(key);
		const o = Object.freeze({...old, metadata: Object.freeze({...old.metadata, resourceVersion: String(++this.rv)})});
		this.emit({type: 'DELETED', resource, object: o, rv: this.rv, previous: old});
		return o;
	}

	/**
	 * Forgets the change history, as etcd's compaction does: from now on a watch can resume only from the current
	 * resourceVersion, and older ones get 410 Expired (the faults' `expire`).
	 */
	compact(): void {
		this.history = [];
		this.compacted = this.rv;
	}

	/** The resourceVersion of the last compaction (0 before any): list continue tokens from before it are expired. */
	get compactedRevision(): number {
		return this.compacted;
	}

	/**
	 * Streams changes of one resource. Throws a 410 ApiError when `resourceVersion` is older than the retained
	 * window. Returns the function that stops the watch.
	 */
	watch(resource: string, options: WatchOptions, cb: (event: StoreEvent) => void): () => void {
		// Everything up to the current resourceVersion is delivered below (listed or replayed); events still
		// queued for dispatch (a write made from inside another watcher's callback) must not arrive twice.
		const watcher: Watcher = {resource, options, cb, since: this.rv};
		const from = options.resourceVersion;
		if (from === undefined || from === '' || from === '0') {
			for (const object of this.list(resource, options.namespace, options.filter).items) {
				cb({type: 'ADDED', resource, object, rv: Number(object.metadata.resourceVersion)});
			}
		} else {
			const since = Number(from);
			if (!Number.isInteger(since) || since < 0) throw expired(`invalid resource version ${JSON.stringify(from)}`);
			if (since < this.oldestResumable) throw expired(`too old resource version: ${since} (${this.oldestResumable})`);
			for (let i = lowerBoundRv(this.history, since + 1); i < this.history.length; i++) {
				const e = this.history[i]!;
				if (e.resource === resource) this.deliver(watcher, e, true);
			}
			// Resuming from a version not written yet: deliver from there once it is.
			watcher.since = Math.max(this.rv, since);
		}
		return this.addWatcher(watcher);
	}

	/**
	 * Runs fn once no event is being delivered: at once, or when the delivery in progress (and every delivery its
	 * callbacks caused) is over. Work that writes must not run inside a watcher's callback: the writes' events
	 * would wait behind the current one, and caches fed by them would be stale while it runs.
	 */
	whenIdle(fn: () => void): void {
		if (!this.dispatching) {
			fn();
			return;
		}
		this.idle.push(fn);
	}

	/** Every change to every resource, e.g. for the controllers' informers. */
	subscribe(cb: (event: StoreEvent) => void): () => void {
		return this.addWatcher({resource: '*', options: {}, cb, since: this.rv});
	}

	private addWatcher(watcher: Watcher): () => void {
		let set = this.watchers.get(watcher.resource);
		if (!set) {
			set = new Set();
			this.watchers.set(watcher.resource, set);
		}
		set.add(watcher);
		return () => set.delete(watcher);
	}

	private deliver(w: Watcher, e: StoreEvent, replay = false): void {
		if (!replay && e.rv <= w.since) return;
		const {namespace, filter} = w.options;
		if (namespace !== undefined && e.object.metadata.namespace !== namespace) return;
		if (!filter) {
			w.cb(e);
			return;
		}
		const passes = filter(e.object);
		if (e.type !== 'MODIFIED') {
			if (passes) w.cb(e);
			return;
		}
		// A MODIFIED object that enters or leaves the selection is ADDED or DELETED for this watcher.
		const passed = e.previous ? filter(e.previous) : false;
		if (passes) w.cb(passed ? e : {...e, type: 'ADDED'});
		else if (passed) w.cb({...e, type: 'DELETED'});
	}

	// Deliveries are queued so that a watcher that writes from its callback cannot reorder what others see.
	private emit(e: StoreEvent): void {
		this.history.push(e);
		// Trimmed in batches: dropping one entry from the front of a long array on every write would cost a move
		// of the whole window each time.
		if (this.history.length > this.historyLimit + Math.ceil(this.historyLimit / 4)) {
			this.history = this.history.slice(this.history.length - this.historyLimit);
		}
		this.pending.push(e);
		if (this.dispatching) return;
		this.dispatching = true;
		try {
			for (let i = 0; i < this.pending.length; i++) {
				const next = this.pending[i]!;
				for (const set of [this.watchers.get('*'), this.watchers.get(next.resource)]) {
					if (!set) continue;
					for (const w of [...set]) {
						try {
							this.deliver(w, next);
						} catch (error) {
							// One broken watcher must not stop the others.
							console.error('store watcher failed:', error);
						}
					}
				}
			}
		} finally {
			this.pending.length = 0;
			this.dispatching = false;
		}
		while (this.idle.length > 0 && !this.dispatching) {
			const fns = this.idle;
			this.idle = [];
			for (const fn of fns) fn();
		}
	}
}

/** The first position in the history (ordered by rv) whose rv is at least `rv`. */
function lowerBoundRv(history: readonly StoreEvent[], rv: number): number {
	let lo = 0;
	let hi = history.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (history[mid]!.rv < rv) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
