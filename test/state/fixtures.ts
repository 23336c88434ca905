// Small builders for the API JSON the store holds (timestamps as RFC 3339 strings, as served).
import type {Deployment, KubeEvent, Pod, ReplicaSet} from '../../source/model/types.js';

export const NOW = Date.parse('2025-06-01T12:00:00Z');

export function ago(seconds: number): string {
	return new Date(NOW - seconds * 1000).toISOString();
}

const LABELS = {app: 'nginx'};

export function deployment(
	o: {
		name?: string;
		uid?: string;
		image?: string;
		replicas?: number;
		generation?: number;
		observed?: number;
		updated?: number;
		total?: number;
		ready?: number;
		available?: number;
		revision?: number;
		conditions?: {type: string; status: string; reason: string}[];
		createdAgo?: number;
	} = {},
): Deployment {
	const name = o.name ?? 'nginx';
	return {
		metadata: {
			name,
			namespace: 'default',
			uid: o.uid ?? `uid-${name}`,
			generation: o.generation ?? 2,
			creationTimestamp: ago(o.createdAgo ?? 3600),
			annotations: {'deployment.kubernetes.io/revision': String(o.revision ?? 2)},
			labels: {app: name},
		},
		spec: {
			replicas: o.replicas ?? 3,
			selector: {matchLabels: {app: name}},
			template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'nginx', image: o.image ?? 'nginx:1.19'}]}},
			strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}},
		},
		status: {
			observedGeneration: o.observed ?? o.generation ?? 2,
			replicas: o.total ?? o.replicas ?? 3,
			updatedReplicas: o.updated ?? o.replicas ?? 3,
			readyReplicas: o.ready ?? o.replicas ?? 3,
			availableReplicas: o.available ?? o.replicas ?? 3,
			conditions: o.conditions ?? [],
		},
	};
}

export function replicaSet(o: {
	deployment?: string;
	ownerUid?: string;
	hash: string;
	revision: number;
	image: string;
	replicas: number;
	ready?: number;
	available?: number;
	createdAgo?: number;
}): ReplicaSet {
	const dep = o.deployment ?? 'nginx';
	return {
		metadata: {
			name: `${dep}-${o.hash}`,
			namespace: 'default',
			uid: `uid-rs-${o.hash}`,
			creationTimestamp: ago(o.createdAgo ?? 600),
			labels: {app: dep, 'pod-template-hash': o.hash},
			annotations: {'deployment.kubernetes.io/revision': String(o.revision)},
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: dep, uid: o.ownerUid ?? `uid-${dep}`, controller: true}],
		},
		spec: {
			replicas: o.replicas,
			selector: {matchLabels: {app: dep, 'pod-template-hash': o.hash}},
			template: {metadata: {labels: {app: dep, 'pod-template-hash': o.hash}}, spec: {containers: [{name: 'nginx', image: o.image}]}},
		},
		status: {replicas: o.replicas, readyReplicas: o.ready ?? o.replicas, availableReplicas: o.available ?? o.replicas},
	};
}

export type PodPhase = 'Running' | 'Pending-creating' | 'Pending-pull' | 'Terminating' | 'Crash';

export function pod(o: {
	rs: ReplicaSet;
	suffix: string;
	phase?: PodPhase;
	createdAgo?: number;
	restarts?: number;
	node?: string;
	ip?: string;
}): Pod {
	const rsName = o.rs.metadata!.name!;
	const hash = o.rs.metadata!.labels!['pod-template-hash']!;
	const phase = o.phase ?? 'Running';
	const image = o.rs.spec!.template!.spec!.containers![0]!.image!;
	const running = phase === 'Running' || phase === 'Terminating';
	const waiting =
		phase === 'Pending-creating'
			? {reason: 'ContainerCreating'}
			: phase === 'Pending-pull'
				? {reason: 'ImagePullBackOff', message: 'Back-off pulling image'}
				: phase === 'Crash'
					? {reason: 'CrashLoopBackOff'}
					: undefined;
	return {
		metadata: {
			name: `${rsName}-${o.suffix}`,
			namespace: 'default',
			uid: `uid-pod-${rsName}-${o.suffix}`,
			creationTimestamp: ago(o.createdAgo ?? 120),
			labels: {...LABELS, app: o.rs.metadata!.labels!.app!, 'pod-template-hash': hash},
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: o.rs.metadata!.uid!, controller: true}],
			...(phase === 'Terminating' ? {deletionTimestamp: ago(-30), deletionGracePeriodSeconds: 30} : {}),
		},
		spec: {nodeName: o.node ?? 'node2', containers: [{name: 'nginx', image}]},
		status: {
			phase: running || phase === 'Crash' ? 'Running' : 'Pending',
			podIP: running ? (o.ip ?? '10.244.1.5') : undefined,
			conditions: [{type: 'Ready', status: running ? 'True' : 'False'}],
			containerStatuses: [
				{
					name: 'nginx',
					image,
					ready: running,
					restartCount: o.restarts ?? 0,
					state: waiting ? {waiting} : {running: {startedAt: ago(60)}},
					...(o.restarts ? {lastState: {terminated: {exitCode: 1, reason: 'Error', finishedAt: ago(90)}}} : {}),
				},
			],
		},
	};
}

let eventSeq = 0;

export function event(o: {
	kind: string;
	name: string;
	reason: string;
	message: string;
	type?: string;
	agoS?: number;
	count?: number;
	firstAgoS?: number;
	uid?: string;
	component?: string;
}): KubeEvent {
	eventSeq++;
	return {
		metadata: {
			name: `${o.name}.${eventSeq.toString(16)}`,
			namespace: 'default',
			uid: o.uid ?? `ev-${eventSeq}`,
			resourceVersion: String(eventSeq),
		},
		involvedObject: {kind: o.kind, name: o.name, namespace: 'default'},
		reason: o.reason,
		message: o.message,
		type: o.type ?? 'Normal',
		count: o.count ?? 1,
		firstTimestamp: ago(o.firstAgoS ?? o.agoS ?? 10),
		lastTimestamp: ago(o.agoS ?? 10),
		source: {component: o.component ?? 'deployment-controller'},
	};
}
