// Informer-like caches for the controllers, after client-go's SharedIndexInformer: one cache per resource,
// shared by every controller that reads it, kept in step with the store's events (the cache is updated
// before any handler runs), with indexers (by namespace always; by owner, by node, by label as controllers
// ask) so that a sync reads only what its key needs. Objects are the store's frozen objects: no copies.
//
// Every object a cache hands out is counted against the controller that is running (reads), so a test can
// show that the work one change causes does not grow with the size of the cluster.
import {Indexer, type IndexFunc, namespaceOf} from '../indexer.js';
import type {KubeObject, Store, StoreEvent} from '../store.js';
import {storeKey} from '../store.js';

/** What a controller does when a cached object changes: enqueue keys (never write from here). */
export type EventHandler = {
	add?: (object: KubeObject) => void;
	update?: (previous: KubeObject, current: KubeObject) => void;
	delete?: (object: KubeObject) => void;
};

/** Objects handed out by the caches, per reader (a controller's name, or 'other'). */
export class ReadCounter {
	private current = 'other';
	readonly counts = new Map<string, number>();

	/** Runs fn with its reads counted against `reader`. */
	as<T>(reader: string, fn: () => T): T {
		const outer = this.current;
		this.current = reader;
		try {
			return fn();
		} finally {
			this.current = outer;
		}
	}

	count(n: number): void {
		if (n > 0) this.counts.set(this.current, (this.counts.get(this.current) ?? 0) + n);
	}

	/** The sum over every reader. */
	total(): number {
		let n = 0;
		for (const v of this.counts.values()) n += v;
		return n;
	}

	reset(): void {
		this.counts.clear();
	}
}

/** A cache of one resource, with indexers and event handlers. */
export class Informer {
	private readonly objects = new Map<string, KubeObject>();
	private readonly indexer = new Indexer({namespace: namespaceOf});
	private readonly handlers: {handler: EventHandler; owner: string}[] = [];

	constructor(
		readonly resource: string,
		private readonly reads: ReadCounter,
	) {}

	/** Adds an index unless one of that name exists (informers are shared: the first definition serves all). */
	addIndexer(name: string, fn: IndexFunc): void {
		if (!this.indexer.has(name)) this.indexer.define(name, fn, this.objects);
	}

	/**
	 * Calls the handler for every later change, after an `add` for each object already cached (the initial list).
	 * What the handler reads is counted against `owner`, the controller that registered it.
	 */
	addEventHandler(handler: EventHandler, owner = 'other'): void {
		this.handlers.push({handler, owner});
		const add = handler.add;
		if (add)
			this.reads.as(owner, () => {
				for (const object of [...this.objects.values()]) add(object);
			});
	}

	/** The cached object, or undefined. */
	get(namespace: string | undefined, name: string): KubeObject | undefined {
		const o = this.objects.get(storeKey(namespace, name));
		if (o) this.reads.count(1);
		return o;
	}

	/** Whether an object is cached, without reading it. */
	has(namespace: string | undefined, name: string): boolean {
		return this.objects.has(storeKey(namespace, name));
	}

	/** The cached objects of one namespace (or all). */
	list(namespace?: string): KubeObject[] {
		if (namespace === undefined) return this.take(this.objects.keys());
		return this.byIndex('namespace', namespace);
	}

	/** The cached objects an index holds under `value`. */
	byIndex(index: string, value: string): KubeObject[] {
		return this.take(this.indexer.keys(index, value));
	}

	/** How many cached objects an index holds under `value`, without reading them. */
	countByIndex(index: string, value: string): number {
		return this.indexer.keys(index, value).size;
	}

	/** How many objects are cached. */
	get size(): number {
		return this.objects.size;
	}

	private take(keys: Iterable<string>): KubeObject[] {
		const out: KubeObject[] = [];
		for (const key of keys) out.push(this.objects.get(key)!);
		this.reads.count(out.length);
		return out;
	}

	/** Applies one store event to the cache, then tells the handlers. */
	apply(e: StoreEvent): void {
		const key = storeKey(e.object.metadata.namespace, e.object.metadata.name!);
		const previous = this.objects.get(key);
		if (e.type === 'DELETED') {
			if (!previous) return;
			this.objects.delete(key);
			this.indexer.update(key, previous, undefined);
			for (const {handler, owner} of this.handlers) if (handler.delete) this.reads.as(owner, () => handler.delete!(previous));
			return;
		}
		this.objects.set(key, e.object);
		this.indexer.update(key, previous, e.object);
		for (const {handler, owner} of this.handlers) {
			if (previous) {
				if (handler.update) this.reads.as(owner, () => handler.update!(previous, e.object));
			} else if (handler.add) this.reads.as(owner, () => handler.add!(e.object));
		}
	}
}

/** The informers of one controller manager, fed by one subscription to the store (SharedInformerFactory). */
export class InformerFactory {
	readonly reads = new ReadCounter();
	private readonly informers = new Map<string, Informer>();
	private unsubscribe: (() => void) | undefined;

	/** `afterEvent` runs once each store event has reached the caches and their handlers (the manager drains). */
	constructor(
		private readonly store: Store,
		private readonly afterEvent: () => void = () => {},
	) {
		this.unsubscribe = this.store.subscribe((e) => {
			const inf = this.informers.get(e.resource);
			if (!inf) return;
			inf.apply(e);
			this.afterEvent();
		});
	}

	/** The shared informer of a resource, filled from the store on first use. */
	informer(resource: string): Informer {
		let inf = this.informers.get(resource);
		if (!inf) {
			inf = new Informer(resource, this.reads);
			this.informers.set(resource, inf);
			for (const object of this.store.list(resource).items) {
				inf.apply({type: 'ADDED', resource, object, rv: Number(object.metadata.resourceVersion ?? 0)});
			}
		}
		return inf;
	}

	/** Stops following the store. */
	stop(): void {
		this.unsubscribe?.();
		this.unsubscribe = undefined;
	}
}
