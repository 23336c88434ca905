// The garbage collector: when an owner is gone, its dependents go too (background propagation), unless
// another owner of theirs still exists (then only the dangling reference is dropped). An owner being deleted
// in the foreground (finalizer foregroundDeletion) waits until its dependents are gone; one with the orphan
// finalizer releases its dependents first. Dependents and owners are found through the informers' owner and
// uid indexes, never by a scan.
import type {Clock} from '../clock.js';
import {ownerUids} from '../indexer.js';
import {resourceForKind, resources} from '../resources.js';
import type {KubeObject} from '../store.js';
import type {Informer} from './informer.js';
import type {Controller, ControllerManager, WorkQueue} from './manager.js';
import {deletePodGracefully} from './util.js';

const dependentResources = resources.filter((r) => r.resource !== 'events').map((r) => r.resource);

/** Objects by the uid of each of their owners (controller or not). */
const byAnyOwner = 'byAnyOwner';
/** Objects by their own uid. */
const byUid = 'byUid';

/** Deletes dependents of deleted owners. */
export class GarbageCollector implements Controller {
	readonly name = 'garbage-collector';
	private readonly queue: WorkQueue;
	private readonly informers: Map<string, Informer>;

	constructor(private readonly m: ControllerManager) {
		this.queue = m.queue(this);
		this.informers = new Map(dependentResources.map((r) => [r, m.informers.informer(r)]));
		for (const [resource, inf] of this.informers) {
			inf.addIndexer(byAnyOwner, ownerUids);
			inf.addIndexer(byUid, (o) => (o.metadata.uid ? [o.metadata.uid] : []));
			inf.addEventHandler(
				{
					add: (o) => this.changed(resource, o),
					update: (_old, o) => this.changed(resource, o),
					delete: (o) => this.deleted(o),
				},
				this.name,
			);
		}
	}

	private get store() {
		return this.m.store;
	}

	private get clock(): Clock {
		return this.m.clock;
	}

	private changed(resource: string, o: KubeObject): void {
		const finalizers = o.metadata.finalizers ?? [];
		if (o.metadata.deletionTimestamp && (finalizers.includes('foregroundDeletion') || finalizers.includes('orphan'))) {
			this.queue.add(`finalize\u0000${resource}\u0000${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`);
		}
	}

	private deleted(o: KubeObject): void {
		// Only an object that owns something leaves dependents to collect.
		if (this.dependentsOf(o.metadata.uid!, false).length > 0) this.queue.add(`owner\u0000${o.metadata.uid}`);
		// A dependent's disappearance may let an owner deleted in the foreground go.
		for (const ref of o.metadata.ownerReferences ?? []) {
			const info = resourceForKind(ref.kind);
			if (info)
				this.queue.add(`finalize\u0000${info.resource}\u0000${info.namespaced ? (o.metadata.namespace ?? '') : ''}\u0000${ref.name}`);
		}
	}

	sync(key: string): void {
		const [what, ...rest] = key.split('\u0000');
		if (what === 'owner') this.collect(rest[0]!);
		else if (what === 'finalize') this.finalize(rest[0]!, rest[1] || undefined, rest[2]!);
	}

	// The objects that name `uid` among their owners (keys only when `read` is false: a cheap existence check).
	private dependentsOf(uid: string, read = true): {resource: string; object: KubeObject}[] {
		const out: {resource: string; object: KubeObject}[] = [];
		for (const [resource, inf] of this.informers) {
			if (!read) {
				if (inf.countByIndex(byAnyOwner, uid) > 0) out.push({resource, object: {metadata: {}}});
				continue;
			}
			for (const object of inf.byIndex(byAnyOwner, uid)) out.push({resource, object});
		}
		return out;
	}

	private exists(uid: string): boolean {
		for (const inf of this.informers.values()) if (inf.countByIndex(byUid, uid) > 0) return true;
		return false;
	}

	// Background propagation for a deleted owner.
	private collect(ownerUid: string): void {
		if (this.exists(ownerUid)) return;
		for (const {resource, object} of this.dependentsOf(ownerUid)) {
			const others = (object.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid && this.exists(r.uid));
			if (others.length > 0) {
				const {resourceVersion: _rv, ...metadata} = object.metadata;
				const ownerReferences = object.metadata.ownerReferences!.filter((r) => r.uid !== ownerUid);
				this.store.update(resource, {...object, metadata: {...metadata, ownerReferences}});
				continue;
			}
			this.deleteDependent(resource, object);
		}
	}

	private deleteDependent(resource: string, object: KubeObject): void {
		const {namespace, name} = object.metadata;
		if (resource === 'pods') {
			deletePodGracefully(this.store, this.clock, namespace!, name!);
			return;
		}
		if (this.informers.get(resource)?.has(namespace, name!)) this.store.delete(resource, namespace, name!);
	}

	private finalize(resource: string, namespace: string | undefined, name: string): void {
		const owner = this.informers.get(resource)?.get(namespace, name);
		if (!owner?.metadata.deletionTimestamp) return;
		const finalizers = owner.metadata.finalizers ?? [];
		const uid = owner.metadata.uid!;
		if (finalizers.includes('orphan')) {
			for (const {resource: r, object} of this.dependentsOf(uid)) {
				const {resourceVersion: _rv, ownerReferences: refs, ...metadata} = object.metadata;
				const ownerReferences = (refs ?? []).filter((ref) => ref.uid !== uid);
				this.store.update(r, {...object, metadata: ownerReferences.length ? {...metadata, ownerReferences} : metadata});
			}
			this.removeFinalizer(resource, owner, 'orphan');
			return;
		}
		if (finalizers.includes('foregroundDeletion')) {
			const dependents = this.dependentsOf(uid);
			if (dependents.length > 0) {
				for (const {resource: r, object} of dependents) {
					if (!object.metadata.deletionTimestamp) this.deleteDependent(r, object);
				}
				return;
			}
			this.removeFinalizer(resource, owner, 'foregroundDeletion');
		}
	}

	private removeFinalizer(resource: string, owner: KubeObject, finalizer: string): void {
		const rest = (owner.metadata.finalizers ?? []).filter((f) => f !== finalizer);
		if (rest.length === 0) {
			this.store.delete(resource, owner.metadata.namespace, owner.metadata.name!);
			return;
		}
		const {resourceVersion: _rv, ...metadata} = owner.metadata;
		this.store.update(resource, {...owner, metadata: {...metadata, finalizers: rest}});
	}
}
