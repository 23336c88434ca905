// The 'scale' scenario: a cluster that has been running for a while with N pods, one Deployment `big` (app=big)
// per namespace behind a NodePort Service, on enough nodes for about 100 pods each. Every object is what the
// controllers and the kubelet would have made (the ReplicaSet named by the template's hash, pods from its
// template with the API server's defaults, a pod status built by the kubelet's own status function,
// managedFields as a real cluster records them), so the controllers find nothing to change when they start.
// Pods of one ReplicaSet share their unchanging parts (frozen), which keeps 100,000 pods within memory.
import {applyDefaults, initialStatus} from './api/defaults.js';
import {lookupImage} from './controllers/images.js';
import {nodeSubnet} from './controllers/kubelet-start.js';
import {buildStatus} from './controllers/kubelet-status.js';
import type {Ctr, PodRt} from './controllers/kubelet-types.js';
import {podFromTemplate} from './controllers/replicaset.js';
import {newReplicaSetFor, setNewReplicaSetAnnotations, setReplicasAnnotations} from './controllers/deployment-util.js';
import {isoSeconds} from './controllers/util.js';
import {frozenCopy} from './frozen.js';
import type {KubeObject} from './object.js';
import {randomSuffix, type Store} from './store.js';

/** What the scale scenario holds. */
export type ScaleOptions = {
	/** Pods in all, shared out over the namespaces. */
	pods: number;
	/** Namespaces, each with Deployment `big`: `default` alone when 1, else scale-1 … scale-K. @default 1 */
	namespaces?: number;
	/** Pod changes per simulated second once the cluster runs (readiness flaps and container restarts). @default 0 */
	churn?: number;
	/** The pods' image. @default 'nginx:1.18' */
	image?: string;
};

/** Pods per node the scenario aims at (a node's capacity is 110). */
export const podsPerNode = 100;

/** The namespaces of a scale scenario with `k` namespaces. */
export function scaleNamespaces(k: number): string[] {
	return k === 1 ? ['default'] : Array.from({length: k}, (_, i) => `scale-${i + 1}`);
}

/** How many nodes a scale scenario of `pods` pods runs on (four at least, as the other scenarios). */
export function scaleNodeCount(pods: number): number {
	return Math.max(4, Math.ceil(pods / podsPerNode));
}

/** Checks the options; the error says what to change. */
export function checkScaleOptions(o: ScaleOptions): void {
	if (!Number.isInteger(o.pods) || o.pods < 1) throw new Error(`scale: pods must be a whole number of at least 1, got ${o.pods}`);
	const k = o.namespaces ?? 1;
	if (!Number.isInteger(k) || k < 1 || k > o.pods)
		throw new Error(`scale: namespaces must be a whole number from 1 to pods (${o.pods}), got ${k}`);
	const churn = o.churn ?? 0;
	if (!Number.isFinite(churn) || churn < 0) throw new Error(`scale: churn must be a number of changes per second, 0 or more, got ${churn}`);
	if (o.image !== undefined && !lookupImage(o.image))
		throw new Error(`scale: image ${JSON.stringify(o.image)} is not one the simulated nodes can pull`);
}

/** The Deployment `big`, as `kubectl apply` of a typical web deployment and the API server's defaults leave it. */
export function bigDeployment(namespace: string, replicas: number, image: string): KubeObject {
	const d: KubeObject = {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name: 'big', namespace, labels: {app: 'big'}},
		spec: {
			replicas,
			selector: {matchLabels: {app: 'big'}},
			template: {
				metadata: {labels: {app: 'big'}},
				spec: {
					containers: [
						{
							name: 'nginx',
							image,
							ports: [{name: 'http', containerPort: 80, protocol: 'TCP'}],
							resources: {requests: {cpu: '50m', memory: '64Mi'}, limits: {memory: '128Mi'}},
							readinessProbe: {httpGet: {path: '/', port: 80, scheme: 'HTTP'}, periodSeconds: 10},
							lifecycle: {preStop: {exec: {command: ['sh', '-c', 'sleep 5']}}},
						},
					],
				},
			},
		},
	};
	applyDefaults('Deployment', d);
	initialStatus('Deployment', d);
	return d;
}

/** Service `big`: NodePort 80 to the pods' port 80. */
function bigService(namespace: string, nodePort: number): KubeObject {
	const s: KubeObject = {
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {name: 'big', namespace, labels: {app: 'big'}},
		spec: {ports: [{name: 'http', port: 80, targetPort: 80, protocol: 'TCP', nodePort}], selector: {app: 'big'}, type: 'NodePort'},
	};
	applyDefaults('Service', s);
	initialStatus('Service', s);
	return s;
}

/** The ReplicaSet the deployment controller would have made for `d` (revision 1, all replicas). */
function replicaSetFor(d: KubeObject): KubeObject {
	const rs = newReplicaSetFor(d, d.spec.replicas);
	setNewReplicaSetAnnotations(d, rs, 1, false);
	setReplicasAnnotations(rs, d.spec.replicas, d.spec.replicas + Math.ceil(d.spec.replicas / 4));
	applyDefaults('ReplicaSet', rs);
	initialStatus('ReplicaSet', rs);
	return rs;
}

// managedFields as the API server records them for a controller-made pod and the kubelet's status writes. The
// same for every pod of a ReplicaSet (the uid of its owner is the only variable part), so they are shared.
function podManagedFields(rs: KubeObject, time: string): unknown[] {
	const container: Record<string, unknown> = {
		'.': {},
		'f:image': {},
		'f:imagePullPolicy': {},
		'f:lifecycle': {'.': {}, 'f:preStop': {}},
		'f:name': {},
		'f:ports': {'.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': {'.': {}, 'f:containerPort': {}, 'f:name': {}}},
		'f:readinessProbe': {'.': {}, 'f:httpGet': {}, 'f:periodSeconds': {}},
		'f:resources': {'.': {}, 'f:limits': {}, 'f:requests': {}},
	};
	const condition = (type: string) => ({[`k:{"type":"${type}"}`]: {'.': {}, 'f:lastTransitionTime': {}, 'f:status': {}, 'f:type': {}}});
	return [
		{
			manager: 'kube-controller-manager',
			operation: 'Update',
			apiVersion: 'v1',
			time,
			fieldsType: 'FieldsV1',
			fieldsV1: {
				'f:metadata': {
					'f:generateName': {},
					'f:labels': {'.': {}, 'f:app': {}, 'f:pod-template-hash': {}},
					'f:ownerReferences': {'.': {}, [`k:{"uid":"${rs.metadata.uid}"}`]: {}},
				},
				'f:spec': {
					'f:containers': {'k:{"name":"nginx"}': container},
					'f:dnsPolicy': {},
					'f:restartPolicy': {},
					'f:schedulerName': {},
					'f:terminationGracePeriodSeconds': {},
				},
			},
		},
		{
			manager: 'kubelet',
			operation: 'Update',
			apiVersion: 'v1',
			time,
			fieldsType: 'FieldsV1',
			fieldsV1: {
				'f:status': {
					'f:conditions': {...condition('ContainersReady'), ...condition('Ready')},
					'f:containerStatuses': {},
					'f:hostIP': {},
					'f:phase': {},
					'f:podIP': {},
					'f:startTime': {},
				},
			},
			subresource: 'status',
		},
	];
}

/** A running, ready pod of `rs` on `node` with `ip`, whose status is what the kubelet writes for it. */
function runningPod(base: KubeObject, name: string, node: string, ip: string, shared: {managedFields: unknown; since: number}): KubeObject {
	const spec = {...base.spec, nodeName: node};
	const scheduled = {type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: isoSeconds(shared.since)};
	const container = base.spec.containers[0];
	const info = lookupImage(container.image)!;
	const ctr: Ctr = {
		name: container.name,
		init: false,
		spec: container,
		info,
		phase: 'running',
		containerID: `containerd://${randomHex(64)}`,
		startedAt: shared.since,
		restartCount: 0,
		started: true,
		ready: true,
		everStarted: true,
		sigterm: false,
		timers: new Set(),
	};
	const rt: PodRt = {
		key: `${base.metadata.namespace}/${name}`,
		uid: '',
		namespace: base.metadata.namespace!,
		name,
		node,
		restartPolicy: 'Always',
		podIP: ip,
		startTime: shared.since,
		sandboxReady: true,
		init: [],
		app: [ctr],
		terminating: false,
		finished: false,
		gone: false,
		timers: new Set(),
	};
	const status = buildStatus(rt, {qosClass: base.status?.qosClass, conditions: [scheduled]}, shared.since);
	return {...base, metadata: {...base.metadata, name, managedFields: shared.managedFields}, spec, status};
}

function randomHex(n: number): string {
	let s = '';
	while (s.length < n)
		s += Math.floor(Math.random() * 2 ** 32)
			.toString(16)
			.padStart(8, '0');
	return s.slice(0, n);
}

/**
 * Writes the scale scenario into the store: nodes beyond the first four, and per namespace the Deployment, its
 * ReplicaSet, its running pods and the Service. `nodePort` picks a free nodePort for each Service. The caller
 * holds the controllers back meanwhile (they then find one consistent state).
 */
export async function applyScaleScenario(
	store: Store,
	options: ScaleOptions,
	env: {now: () => number; nodeNames: string[]; nodePort: () => Promise<number>; namespace: (name: string) => KubeObject},
): Promise<void> {
	checkScaleOptions(options);
	const image = options.image ?? 'nginx:1.18';
	const namespaces = scaleNamespaces(options.namespaces ?? 1);
	// The pods started a while ago, so that ages and conditions look settled.
	const since = Math.floor(env.now() / 1000) * 1000 - 3600_000;
	const nodes = env.nodeNames;
	const perNode = new Map<string, number>();
	let nextNode = 0;
	const placePod = (): {node: string; ip: string} => {
		const node = nodes[nextNode++ % nodes.length]!;
		const n = (perNode.get(node) ?? 0) + 2;
		perNode.set(node, n - 1);
		const ip = `${nodeSubnet(node)}.${n <= 254 ? n : 2 + ((n - 2) % 253)}`;
		return {node, ip};
	};
	for (let i = 0; i < namespaces.length; i++) {
		const namespace = namespaces[i]!;
		const replicas = Math.floor(options.pods / namespaces.length) + (i < options.pods % namespaces.length ? 1 : 0);
		if (!store.get('namespaces', undefined, namespace)) store.create('namespaces', env.namespace(namespace));
		const d = store.create('deployments', bigDeployment(namespace, replicas, image));
		const rs = store.create('replicasets', replicaSetFor(d));
		const base = frozenCopy(podFromTemplate(rs));
		const shared = {managedFields: frozenCopy(podManagedFields(rs, isoSeconds(since))), since};
		const names = new Set<string>();
		for (let p = 0; p < replicas; p++) {
			let name: string;
			do name = `${rs.metadata.name}-${randomSuffix()}`;
			while (names.has(name));
			names.add(name);
			const {node, ip} = placePod();
			store.create('pods', runningPod(base, name, node, ip, shared));
		}
		store.create('services', bigService(namespace, await env.nodePort()));
	}
}
