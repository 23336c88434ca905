// The embedded cluster's etcd: objects per resource, one global resourceVersion, and a retained window of
// changes so that watches can resume from a resourceVersion, or learn with 410 that it is too old.
import {randomUUID} from 'node:crypto';
import {alreadyExists, conflict, expired, notFound} from './errors.js';
import {findResource, type ResourceInfo} from './resources.js';

/** A Kubernetes object as JSON. Controllers and routes work on plain objects. */
export type KubeObject = {
	apiVersion?: string;
	kind?: string;
	metadata: ObjectMeta;
	[key: string]: any;
};

export type ObjectMeta = {
	name?: string;
	generateName?: string;
	namespace?: string;
	uid?: string;
	resourceVersion?: string;
	generation?: number;
	creationTimestamp?: string;
	deletionTimestamp?: string;
	deletionGracePeriodSeconds?: number;
	labels?: Record<string, string>;
	annotations?: Record<string, string>;
	ownerReferences?: OwnerReference[];
	finalizers?: string[];
	[key: string]: any;
};

export type OwnerReference = {
	apiVersion: string;
	kind: string;
	name: string;
	uid: string;
	controller?: boolean;
	blockOwnerDeletion?: boolean;
};

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as a watch delivers it. `object` is shared: treat it as read-only. */
export type StoreEvent = {
	type: WatchEventType;
	resource: string;
	object: KubeObject;
	/** The resourceVersion this change was written at. */
	rv: number;
	/** For MODIFIED: the object as it was before (shared, read-only), so filtered watches see selection changes. */
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

export type StoreOptions = {
	/** How many changes are kept for watch resumption; older resourceVersions get 410 Expired. @default 5000 */
	historyLimit?: number;
	/** Wall-clock source for creationTimestamp. @default Date.now */
	now?: () => number;
};

/** Resources whose spec changes bump metadata.generation (and whose status is a subresource). */
const generationTracked = new Set(['deployments', 'replicasets']);

// Kubernetes' name suffix alphabet (no vowels, no ambiguous characters).
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Five random characters, as generateName appends. */
export function randomSuffix(length = 5): string {
	let s = '';
	for (let i = 0; i < length; i++) s += suffixAlphabet[Math.floor(Math.random() * suffixAlphabet.length)];
	return s;
}

const keyOf = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

// etcd lists in byte order of keys; localeCompare would also be slow for thousands of objects.
const byKey = (a: KubeObject, b: KubeObject) => {
	const ka = keyOf(a.metadata.namespace, a.metadata.name!);
	const kb = keyOf(b.metadata.namespace, b.metadata.name!);
	return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/** Structural equality that ignores key order (clients and controllers build objects in any order). */
function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
	if (Array.isArray(b)) return false;
	const ka = Object.keys(a).filter((k) => (a as any)[k] !== undefined);
	const kb = Object.keys(b).filter((k) => (b as any)[k] !== undefined);
	return ka.length === kb.length && ka.every((k) => sameJson((a as any)[k], (b as any)[k]));
}

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

/** One store for every resource, like etcd behind the API server. */
export class Store {
	private rv = 1;
	private compacted = 0;
	private readonly objects = new Map<string, Map<string, KubeObject>>();
	private history: StoreEvent[] = [];
	private readonly historyLimit: number;
	private readonly now: () => number;
	private readonly watchers = new Set<Watcher>();
	private readonly pending: StoreEvent[] = [];
	private dispatching = false;

	constructor(options: StoreOptions = {}) {
		this.historyLimit = options.historyLimit ?? 5000;
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

	private table(resource: string): Map<string, KubeObject> {
		let t = this.objects.get(resource);
		if (!t) {
			t = new Map();
			this.objects.set(resource, t);
		}
		return t;
	}

	private info(resource: string): ResourceInfo | undefined {
		return findResource('', resource) ?? findResource('apps', resource);
	}

	private group(resource: string): string {
		return this.info(resource)?.group ?? '';
	}

	/** A copy of the object, or undefined. */
	get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
		const o = this.table(resource).get(keyOf(namespace, name));
		return o ? structuredClone(o) : undefined;
	}

	/** A copy of the object, or a 404 ApiError. */
	mustGet(resource: string, namespace: string | undefined, name: string): KubeObject {
		const o = this.get(resource, namespace, name);
		if (!o) throw notFound(resource, this.group(resource), name);
		return o;
	}

	/** Copies of the objects (in one namespace, or all), and the list resourceVersion. */
	list(resource: string, namespace?: string, filter?: (o: KubeObject) => boolean): {items: KubeObject[]; resourceVersion: string} {
		const items: KubeObject[] = [];
		for (const o of this.table(resource).values()) {
			if (namespace !== undefined && o.metadata.namespace !== namespace) continue;
			if (filter && !filter(o)) continue;
			items.push(structuredClone(o));
		}
		items.sort(byKey);
		return {items, resourceVersion: this.resourceVersion};
	}

	/**
	 * Like list, but the stored objects themselves, not copies: for serialising large lists fast. Callers must
	 * not modify them (the store replaces objects on write, it never changes one in place).
	 */
	listShared(
		resource: string,
		namespace?: string,
		filter?: (o: KubeObject) => boolean,
	): {items: readonly KubeObject[]; resourceVersion: string} {
		const items: KubeObject[] = [];
		for (const o of this.table(resource).values()) {
			if (namespace !== undefined && o.metadata.namespace !== namespace) continue;
			if (filter && !filter(o)) continue;
			items.push(o);
		}
		items.sort(byKey);
		return {items, resourceVersion: this.resourceVersion};
	}

	/** How many objects of a resource exist, without copying them. */
	count(resource: string): number {
		return this.table(resource).size;
	}

	/** Stores a new object: fills name (from generateName), uid, creationTimestamp, resourceVersion, generation. */
	create(resource: string, input: KubeObject): KubeObject {
		const o = structuredClone(input);
		const meta = o.metadata;
		if (!meta.name && meta.generateName) {
			do meta.name = meta.generateName + randomSuffix();
			while (this.table(resource).has(keyOf(meta.namespace, meta.name)));
		}
		if (!meta.name) throw new Error(`create ${resource}: metadata.name is required`);
		const key = keyOf(meta.namespace, meta.name);
		if (this.table(resource).has(key)) throw alreadyExists(resource, this.group(resource), meta.name);
		meta.uid = randomUUID();
		meta.creationTimestamp = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
		delete meta.deletionTimestamp;
		if (generationTracked.has(resource)) meta.generation = 1;
		else delete meta.generation;
		meta.resourceVersion = String(++this.rv);
		this.table(resource).set(key, o);
		this.emit({type: 'ADDED', resource, object: o, rv: this.rv});
		return structuredClone(o);
	}

	/**
	 * Replaces an object. A resourceVersion in the input must match the stored one (409 otherwise), as an
	 * optimistic-concurrency update does. `subresource: 'status'` takes only the status; a main update keeps the
	 * stored status for resources with a status subresource. Spec changes bump generation.
	 */
	update(resource: string, input: KubeObject, options: {subresource?: 'status'} = {}): KubeObject {
		const meta = input.metadata;
		const key = keyOf(meta.namespace, meta.name!);
		const old = this.table(resource).get(key);
		if (!old) throw notFound(resource, this.group(resource), meta.name!);
		if (meta.resourceVersion && meta.resourceVersion !== old.metadata.resourceVersion) {
			throw conflict(resource, this.group(resource), meta.name!);
		}
		let o: KubeObject;
		if (options.subresource === 'status') {
			o = structuredClone(old);
			o.status = structuredClone(input.status);
		} else {
			o = structuredClone(input);
			// Identity and bookkeeping fields are the server's, whatever the client sent.
			o.metadata.uid = old.metadata.uid;
			o.metadata.creationTimestamp = old.metadata.creationTimestamp;
			o.metadata.namespace = old.metadata.namespace;
			o.metadata.name = old.metadata.name;
			if (old.metadata.deletionTimestamp && !o.metadata.deletionTimestamp) {
				o.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
				o.metadata.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
			}
			if (generationTracked.has(resource)) {
				o.status = structuredClone(old.status);
				const specChanged = !sameJson(o.spec, old.spec);
				const deleting = !old.metadata.deletionTimestamp && !!o.metadata.deletionTimestamp;
				o.metadata.generation = (old.metadata.generation ?? 1) + (specChanged || deleting ? 1 : 0);
			} else if (old.metadata.generation !== undefined) {
				o.metadata.generation = old.metadata.generation;
			}
		}
		if (sameObject(o, old)) {
			// A no-op write keeps its resourceVersion and emits nothing, as the real server does.
			return structuredClone(old);
		}
		o.metadata.resourceVersion = String(++this.rv);
		this.table(resource).set(key, o);
		this.emit({type: 'MODIFIED', resource, object: o, rv: this.rv, previous: old});
		return structuredClone(o);
	}

	/** Removes an object now (graceful deletion is the caller's policy) and emits DELETED. */
	delete(resource: string, namespace: string | undefined, name: string): KubeObject {
		const key = keyOf(namespace, name);
		const old = this.table(resource).get(key);
		if (!old) throw notFound(resource, this.group(resource), name);
		this.table(resource).delete(key);
		const o = structuredClone(old);
		o.metadata.resourceVersion = String(++this.rv);
		this.emit({type: 'DELETED', resource, object: o, rv: this.rv});
		return structuredClone(o);
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
		const visible = (o: KubeObject) =>
			(options.namespace === undefined || o.metadata.namespace === options.namespace) && (!options.filter || options.filter(o));
		if (from === undefined || from === '' || from === '0') {
			for (const o of this.table(resource).values()) {
				if (visible(o)) cb({type: 'ADDED', resource, object: o, rv: Number(o.metadata.resourceVersion)});
			}
		} else {
			const since = Number(from);
			if (!Number.isInteger(since) || since < 0) throw expired(`invalid resource version ${JSON.stringify(from)}`);
			if (since < this.oldestResumable) throw expired(`too old resource version: ${since} (${this.oldestResumable})`);
			for (const e of this.history) {
				if (e.rv > since && e.resource === resource) this.deliver(watcher, e, true);
			}
			// Resuming from a version not written yet: deliver from there once it is.
			watcher.since = Math.max(this.rv, since);
		}
		this.watchers.add(watcher);
		return () => this.watchers.delete(watcher);
	}

	/** Every change to every resource, e.g. for the controllers' informers. */
	subscribe(cb: (event: StoreEvent) => void): () => void {
		const watcher: Watcher = {resource: '*', options: {}, cb, since: this.rv};
		this.watchers.add(watcher);
		return () => this.watchers.delete(watcher);
	}

	private deliver(w: Watcher, e: StoreEvent, replay = false): void {
		if (!replay && e.rv <= w.since) return;
		if (w.resource !== '*' && w.resource !== e.resource) return;
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
		if (this.history.length > this.historyLimit) this.history.splice(0, this.history.length - this.historyLimit);
		this.pending.push(e);
		if (this.dispatching) return;
		this.dispatching = true;
		try {
			while (this.pending.length > 0) {
				const next = this.pending.shift()!;
				for (const w of [...this.watchers]) {
					try {
						this.deliver(w, next);
					} catch (error) {
						// One broken watcher must not stop the others.
						console.error('store watcher failed:', error);
					}
				}
			}
		} finally {
			this.dispatching = false;
		}
	}
}
