// Objects to JSON text, with kind and apiVersion first. The text is not kept with the object: a watch shares
// each change's encoded line among its watchers (watch.ts), and keeping the text of every listed object would
// hold a second copy of the cluster (400 MB after one list of 100,000 pods).
import {apiVersionOf, type ResourceInfo} from '../resources.js';
import type {KubeObject} from '../store.js';
import {viewOf} from './views.js';

/** The object's JSON with kind/apiVersion of its resource. */
export function objectJson(info: ResourceInfo, object: KubeObject): string {
	return JSON.stringify(withType(info, object));
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
