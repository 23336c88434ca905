// Objects to JSON text, with kind and apiVersion first. Stored objects never change, so the text of a listed one
// is kept with it (a WeakMap: it goes with the object) and the next list of it costs a join, not an encoding; the
// price is memory, about the size of the JSON for each object listed (4 KB a pod). Watches share each change's
// line among their watchers instead (watch.ts).
import {apiVersionOf, type ResourceInfo} from '../resources.js';
import type {KubeObject} from '../store.js';
import {viewOf} from './views.js';

// One cache per served form: a stored object has one text as itself and another through a view.
const cache = new WeakMap<object, string>();
const viewCache = new WeakMap<object, string>();

/** The object's JSON with kind/apiVersion of its resource. Pass `shared: true` only for stored (frozen) objects. */
export function objectJson(info: ResourceInfo, object: KubeObject, shared = false): string {
	const texts = viewOf(info) ? viewCache : cache;
	if (shared) {
		const hit = texts.get(object);
		if (hit !== undefined) return hit;
	}
	const text = JSON.stringify(withType(info, object));
	if (shared) texts.set(object, text);
	return text;
}

/** The object with kind/apiVersion set (first, as the real server prints them), in the resource's version. */
export function withType(info: ResourceInfo, object: KubeObject): KubeObject {
	const view = viewOf(info);
	if (view) return view.fromStored(object);
	const {kind: _kind, apiVersion: _apiVersion, ...rest} = object;
	return {kind: info.kind, apiVersion: apiVersionOf(info), ...rest};
}

type ListMeta = {resourceVersion: string; continue?: string; remainingItemCount?: number};

/** `{"kind":"PodList",...,"items":[...]}` from item texts, without parsing them again. */
export function listJson(info: ResourceInfo, itemTexts: string[], metadata: ListMeta): string {
	return `${listHead(info, metadata)}${itemTexts.join(',')}]}`;
}

/** A list's text up to its first item: `{"kind":"PodList",...,"items":[`. */
export function listHead(info: ResourceInfo, metadata: ListMeta): string {
	return `{"kind":${JSON.stringify(`${info.kind}List`)},"apiVersion":${JSON.stringify(apiVersionOf(info))},"metadata":${JSON.stringify(metadata)},"items":[`;
}
