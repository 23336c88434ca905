// What the cockpit keeps of a pod: its metadata (without managedFields and kubectl's last-applied copy), its whole
// status, and of its spec only what the cockpit reads: the node, the containers' names, images, restart policies
// and preStop hooks (pod-status.ts, detail.ts, log-data.ts, blame.ts), the readiness gates and the grace period.
// A pod of a realistic Deployment is about 3.6 KB of JSON, half of it spec (volumes, env, probes, tolerations) that
// no screen shows; at 20,000 pods that half is what the heap would hold for nothing, and what a first list would
// copy from the thread that parsed it (list-worker.ts).
import type {Container, Pod, PodSpec} from '../model/types.js';
import {stripNoise} from './watch.js';

// The lean copy of a pod as served; every list and watch event of the cockpit's pods goes through it.
export function leanPod(raw: unknown): Pod {
	const pod = stripNoise<Pod>(raw);
	if (!pod || typeof pod !== 'object') return pod;
	const spec = pod.spec;
	if (!spec) return pod;
	const lean: PodSpec = {};
	if (spec.nodeName !== undefined) lean.nodeName = spec.nodeName;
	if (spec.containers !== undefined) lean.containers = spec.containers.map(leanContainer);
	if (spec.initContainers !== undefined) lean.initContainers = spec.initContainers.map(leanContainer);
	if (spec.readinessGates !== undefined) lean.readinessGates = spec.readinessGates;
	if (spec.terminationGracePeriodSeconds !== undefined) lean.terminationGracePeriodSeconds = spec.terminationGracePeriodSeconds;
	return {...pod, spec: lean};
}

// The transforms a list read on another thread can name (list-off-thread.ts; a function cannot cross threads).
export const LIST_TRANSFORMS = {pod: leanPod, noise: stripNoise<unknown>} as const;
export type ListTransform = keyof typeof LIST_TRANSFORMS;

function leanContainer(c: Container): Container {
	const lean: Container = {name: c.name, image: c.image};
	if (c.restartPolicy !== undefined) lean.restartPolicy = c.restartPolicy;
	const preStop = c.lifecycle?.preStop;
	if (preStop) lean.lifecycle = {preStop};
	return lean;
}
