// What the API server adds to a pod a controller creates (defaulting, admission, initial status). Pods made
// here bypass the HTTP layer, so the sim applies the API server's own defaulters to them.
import {applyDefaults, initialStatus} from '../api/defaults.js';
import type {KubeObject} from '../store.js';

/** Fills defaults and admission fields on a pod about to be created, in place; returns it. */
export function defaultPodForCreate(pod: KubeObject): KubeObject {
	pod.apiVersion ??= 'v1';
	pod.kind ??= 'Pod';
	applyDefaults('Pod', pod);
	initialStatus('Pod', pod);
	return pod;
}
