// The garbage collector: when an owner is gone, its dependents go too (background propagation), unless
// another owner of theirs still exists (then only the dangling reference is dropped). An owner being deleted
// in the foreground (finalizer foregroundDeletion) waits until its dependents are gone; one with the orphan
// finalizer releases its dependents first.
import type {Clock} from '../clock.js';
import type {Controller, ControllerManager} from './manager.js';
import {resourceForKind, resources} from '../resources.js';
import type {KubeObject, StoreEvent} from '../store.js';
import {deletePodGracefully} from './util.js';

const dependentResources = resources.filter((r) => r.resource !== 'events').map((r) => r.resource);

/** Deletes dependents of deleted owners. */
export class GarbageCollector implements Controller {
	readonly name = 'garbage-collector';

	constructor(private readonly m: ControllerManager) {}

	private get store() {
		return this.m.store;
	}

	private get clock(): Clock {
		return this.m.clock;
	}

	handle(e: StoreEvent): void {
		const o = e.object;
		if (e.resource === 'events') return;
		if (e.type === 'DELETED') {
			this.m.enqueue(this.name, `owner\u0000${o.metadata.uid}`);
			// A dependent's disappearance may let an owner deleted in the foreground go.
			for (const ref of o.metadata.ownerReferences ?? []) {
				const info = resourceForKind(ref.kind);
				if (info)
					this.m.enqueue(
						this.name,
						`finalize\u0000${info.resource}\u0000${info.namespaced ? (o.metadata.namespace ?? '') : ''}\u0000${ref.name}`,
					);
			}
			return;
		}
		const finalizers = o.metadata.finalizers ?? [];
		if (o.metadata.deletionTimestamp && (finalizers.includes('foregroundDeletion') || finalizers.includes('orphan'))) {
			this.m.enqueue(this.name, `finalize\u0000${e.resource}\u0000${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`);
		}
	}

	sync(key: string): void {
		const [what, ...rest] = key.split('\u0000');
		if (what === 'owner') this.collect(rest[0]!);
		else if (what === 'finalize') this.finalize(rest[0]!, rest[1] || undefined, rest[2]!);
	}

	private dependentsOf(uid: string): {resource: string; object: KubeObject}[] {
		const out: {resource: string; object: KubeObject}[] = [];
		for (const resource of dependentResources) {
			for (const object of this.store.list(resource).items) {
				if (object.metadata.ownerReferences?.some((r) => r.uid === uid)) out.push({resource, object: structuredClone(object)});
			}
		}
		return out;
	}

	private exists(uid: string): boolean {
		for (const resource of dependentResources) {
			if (this.store.list(resource, undefined, (o) => o.metadata.uid === uid).items.length > 0) return true;
		}
		return false;
	}

	// Background propagation for a deleted owner.
	private collect(ownerUid: string): void {
		if (this.exists(ownerUid)) return;
		for (const {resource, object} of this.dependentsOf(ownerUid)) {
			const others = (object.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid && this.exists(r.uid));
			if (others.length > 0) {
				object.metadata.ownerReferences = object.metadata.ownerReferences!.filter((r) => r.uid !== ownerUid);
				delete object.metadata.resourceVersion;
				this.store.update(resource, object);
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
		if (this.store.get(resource, namespace, name!)) this.store.delete(resource, namespace, name!);
	}

	private finalize(resource: string, namespace: string | undefined, name: string): void {
		const owner = structuredClone(this.store.get(resource, namespace, name));
		if (!owner?.metadata.deletionTimestamp) return;
		const finalizers = owner.metadata.finalizers ?? [];
		const uid = owner.metadata.uid!;
		if (finalizers.includes('orphan')) {
			for (const {resource: r, object} of this.dependentsOf(uid)) {
				object.metadata.ownerReferences = object.metadata.ownerReferences!.filter((ref) => ref.uid !== uid);
				if (object.metadata.ownerReferences.length === 0) delete object.metadata.ownerReferences;
				delete object.metadata.resourceVersion;
				this.store.update(r, object);
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
		owner.metadata.finalizers = rest;
		delete owner.metadata.resourceVersion;
		this.store.update(resource, owner);
	}
}
