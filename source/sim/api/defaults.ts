// The real API server's defaulters (core/v1 and apps/v1 defaults.go), applied to every object a client writes,
// so `kubectl get -o yaml` shows what a real cluster shows and a Deployment's template equals its ReplicaSet's.
import type {KubeObject} from '../store.js';
import {rbacDefaulters} from './rbac-objects.js';

type Json = any;

/** The image's tag decides the pull policy: Always for `:latest` or no tag, else IfNotPresent (digests too). */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
	if (!image) return 'IfNotPresent';
	if (image.includes('@')) return 'IfNotPresent';
	const lastSlash = image.lastIndexOf('/');
	const colon = image.lastIndexOf(':');
	if (colon <= lastSlash) return 'Always';
	return image.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHandler(handler: Json): void {
	if (!handler || typeof handler !== 'object') return;
	if (handler.httpGet) {
		handler.httpGet.path ??= '/';
		handler.httpGet.scheme ??= 'HTTP';
	}
}

function defaultProbe(probe: Json): void {
	if (!probe || typeof probe !== 'object') return;
	probe.timeoutSeconds ??= 1;
	probe.periodSeconds ??= 10;
	probe.successThreshold ??= 1;
	probe.failureThreshold ??= 3;
	defaultHandler(probe);
	if (probe.grpc) probe.grpc.service ??= '';
}

function defaultContainer(c: Json): void {
	if (!c || typeof c !== 'object') return;
	c.terminationMessagePath ??= '/dev/termination-log';
	c.terminationMessagePolicy ??= 'File';
	c.imagePullPolicy ??= defaultPullPolicy(c.image);
	// Go always serialises this struct, so real objects show `resources: {}`.
	c.resources ??= {};
	for (const p of Array.isArray(c.ports) ? c.ports : []) if (p && typeof p === 'object') p.protocol ??= 'TCP';
	for (const e of Array.isArray(c.env) ? c.env : []) {
		if (e?.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
	}
	defaultProbe(c.livenessProbe);
	defaultProbe(c.readinessProbe);
	defaultProbe(c.startupProbe);
	if (c.lifecycle) {
		defaultHandler(c.lifecycle.postStart);
		defaultHandler(c.lifecycle.preStop);
	}
}

function defaultVolume(v: Json): void {
	if (!v || typeof v !== 'object') return;
	const sources = Object.keys(v).filter((k) => k !== 'name');
	if (sources.length === 0) v.emptyDir = {};
	if (v.configMap) v.configMap.defaultMode ??= 420;
	if (v.secret) v.secret.defaultMode ??= 420;
	if (v.projected) v.projected.defaultMode ??= 420;
	if (v.downwardAPI) v.downwardAPI.defaultMode ??= 420;
	if (v.hostPath) v.hostPath.type ??= '';
}

/** PodSpec defaults (also for templates): restartPolicy, dnsPolicy, schedulerName, grace period, containers. */
export function defaultPodSpec(spec: Json): void {
	if (!spec || typeof spec !== 'object') return;
	spec.restartPolicy ??= 'Always';
	spec.terminationGracePeriodSeconds ??= 30;
	spec.dnsPolicy ??= 'ClusterFirst';
	spec.securityContext ??= {};
	spec.schedulerName ??= 'default-scheduler';
	for (const c of Array.isArray(spec.containers) ? spec.containers : []) defaultContainer(c);
	for (const c of Array.isArray(spec.initContainers) ? spec.initContainers : []) defaultContainer(c);
	for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) defaultVolume(v);
}

function defaultTemplate(template: Json): void {
	if (!template || typeof template !== 'object') return;
	defaultPodSpec(template.spec);
}

/** Guaranteed when every container has equal cpu and memory requests and limits, BestEffort with none at all. */
export function qosClass(spec: Json): 'Guaranteed' | 'Burstable' | 'BestEffort' {
	const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
	let any = false;
	let guaranteed = containers.length > 0;
	for (const c of containers) {
		const requests = c?.resources?.requests ?? {};
		const limits = c?.resources?.limits ?? {};
		for (const r of ['cpu', 'memory']) {
			if (requests[r] !== undefined || limits[r] !== undefined) any = true;
			if (limits[r] === undefined || (requests[r] !== undefined && String(requests[r]) !== String(limits[r]))) guaranteed = false;
		}
	}
	if (!any) return 'BestEffort';
	return guaranteed ? 'Guaranteed' : 'Burstable';
}

function defaultPod(o: KubeObject): void {
	o.spec ??= {};
	const spec = o.spec;
	// Requests default to limits when only limits are given (the Pod defaulter does this before QoS).
	for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
		const limits = c?.resources?.limits;
		if (limits && typeof limits === 'object') {
			c.resources.requests ??= {};
			for (const [k, v] of Object.entries(limits)) c.resources.requests[k] ??= v;
		}
	}
	defaultPodSpec(spec);
	spec.enableServiceLinks ??= true;
	// What admission plugins add on a real cluster (ServiceAccount, Priority, DefaultTolerationSeconds).
	spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
	spec.serviceAccount ??= spec.serviceAccountName;
	spec.priority ??= 0;
	spec.preemptionPolicy ??= 'PreemptLowerPriority';
	spec.tolerations ??= [];
	for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
		if (!spec.tolerations.some((t: Json) => t?.key === key)) {
			spec.tolerations.push({key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300});
		}
	}
}

function defaultDeployment(o: KubeObject): void {
	o.spec ??= {};
	const spec = o.spec;
	spec.replicas ??= 1;
	spec.strategy ??= {};
	spec.strategy.type ??= 'RollingUpdate';
	if (spec.strategy.type === 'RollingUpdate') {
		spec.strategy.rollingUpdate ??= {};
		spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
		spec.strategy.rollingUpdate.maxSurge ??= '25%';
	}
	spec.revisionHistoryLimit ??= 10;
	spec.progressDeadlineSeconds ??= 600;
	defaultTemplate(spec.template);
}

function defaultReplicaSet(o: KubeObject): void {
	o.spec ??= {};
	o.spec.replicas ??= 1;
	defaultTemplate(o.spec.template);
}

function defaultService(o: KubeObject): void {
	o.spec ??= {};
	const spec = o.spec;
	spec.type ??= 'ClusterIP';
	spec.sessionAffinity ??= 'None';
	if (spec.sessionAffinity === 'ClientIP') {
		spec.sessionAffinityConfig ??= {};
		spec.sessionAffinityConfig.clientIP ??= {};
		spec.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
	}
	for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
		if (!p || typeof p !== 'object') continue;
		p.protocol ??= 'TCP';
		if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
	}
	if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
	if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
	if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

function defaultNamespace(o: KubeObject): void {
	// The name label lets selectors pick namespaces by name; the defaulter always sets it.
	o.metadata.labels = {...o.metadata.labels, 'kubernetes.io/metadata.name': o.metadata.name!};
	o.spec ??= {};
	o.spec.finalizers ??= ['kubernetes'];
}

function defaultEndpoints(o: KubeObject): void {
	for (const subset of Array.isArray(o.subsets) ? o.subsets : []) {
		for (const p of Array.isArray(subset?.ports) ? subset.ports : []) if (p && typeof p === 'object') p.protocol ??= 'TCP';
	}
}

function defaultNode(o: KubeObject): void {
	if (o.status?.capacity && !o.status.allocatable) o.status.allocatable = {...o.status.capacity};
}

const defaulters: Record<string, (o: KubeObject) => void> = {
	Pod: defaultPod,
	Deployment: defaultDeployment,
	ReplicaSet: defaultReplicaSet,
	Service: defaultService,
	Namespace: defaultNamespace,
	Endpoints: defaultEndpoints,
	Node: defaultNode,
	...rbacDefaulters,
};

/**
 * Fills in defaults in place, as the API server's defaulters do on every decoded object. Exported so that
 * controllers that write to the store directly (pods made from a template) can produce the same objects.
 */
export function applyDefaults(kind: string, object: KubeObject): KubeObject {
	object.metadata ??= {};
	defaulters[kind]?.(object);
	return object;
}

/** The status a freshly created object starts with (the registry's PrepareForCreate). */
export function initialStatus(kind: string, object: KubeObject): void {
	switch (kind) {
		case 'Pod':
			object.status = {phase: 'Pending', qosClass: qosClass(object.spec)};
			break;
		case 'Deployment':
		case 'ReplicaSet':
			object.status = {};
			break;
		case 'Service':
			object.status = {loadBalancer: {}};
			break;
		case 'Namespace':
			object.status = {phase: 'Active'};
			break;
		case 'PodDisruptionBudget':
			object.status = {disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0};
			break;
		default:
			break;
	}
}
