// The one place tests build Kubernetes objects (and probe results), on one clock: Deployments, ReplicaSets, pods and Events as the
// API server serves them (RFC 3339 timestamps, defaulted pod templates, ReplicaSets named <deployment>-<hash> and
// owned by their deployment's uid, pods by their ReplicaSet's). Scenarios (test/app/fixtures.ts and the others)
// are built from these.
import type {Container, Deployment, DeploymentCondition, KubeEvent, Pod, PodTemplateSpec, ReplicaSet} from '../../source/model/types.js';
import type {ProbeResult} from '../../source/probe/prober.js';

// The tests' now: ages and times are relative to it.
export const NOW = Date.parse('2025-06-01T12:00:00Z');

// An RFC 3339 timestamp `seconds` before NOW, to the second as the API server writes it.
export function ago(seconds: number): string {
	return new Date(NOW - seconds * 1000).toISOString().replace('.000Z', 'Z');
}

// A deployment's uid: ReplicaSets find their owner by it.
export const deploymentUid = (name = 'nginx') => `uid-${name}`;

// A ReplicaSet's uid: pods find their owner by it.
export const replicaSetUid = (hash: string) => `rs-${hash}`;

export type TemplateOptions = {
	/** The app label (and the deployment's name). @default 'nginx' */
	app?: string;
	/** The main container's image. @default 'nginx:1.27' */
	image?: string;
	/** An init container "warmup" with this image. */
	init?: string;
	env?: {name: string; value: string}[];
	/** Pod template annotations, e.g. kubectl.kubernetes.io/restartedAt. */
	templateAnnotations?: Record<string, string>;
	extraContainers?: Container[];
};

// A pod template as the API server returns it after defaulting; with `hash`, as its ReplicaSet carries it.
export function template(o: TemplateOptions = {}, hash?: string): PodTemplateSpec {
	const app = o.app ?? 'nginx';
	return {
		metadata: {
			creationTimestamp: null,
			labels: hash ? {app, 'pod-template-hash': hash} : {app},
			...(o.templateAnnotations ? {annotations: {...o.templateAnnotations}} : {}),
		},
		spec: {
			...(o.init ? {initContainers: [{name: 'warmup', image: o.init}]} : {}),
			containers: [
				{
					name: 'nginx',
					image: o.image ?? 'nginx:1.27',
					ports: [{containerPort: 80, protocol: 'TCP'}],
					...(o.env ? {env: o.env.map((e) => ({...e}))} : {}),
					resources: {},
					terminationMessagePath: '/dev/termination-log',
					terminationMessagePolicy: 'File',
					imagePullPolicy: 'IfNotPresent',
				} as Container,
				...(o.extraContainers ?? []),
			],
			restartPolicy: 'Always',
			terminationGracePeriodSeconds: 30,
			dnsPolicy: 'ClusterFirst',
			securityContext: {},
			schedulerName: 'default-scheduler',
		} as PodTemplateSpec['spec'],
	};
}

export type DeploymentOptions = TemplateOptions & {
	name?: string;
	/** @default 3 */
	replicas?: number;
	/** The deployment.kubernetes.io/revision annotation. @default 2 */
	revision?: number;
	paused?: boolean;
	annotations?: Record<string, string>;
	resourceVersion?: string;
	/** @default 2 */
	generation?: number;
	/** @default 3600 */
	createdAgo?: number;
	strategy?: NonNullable<Deployment['spec']>['strategy'];
	// Status counts (each defaults to replicas; observed to generation), or the whole status.
	observed?: number;
	updated?: number;
	total?: number;
	ready?: number;
	available?: number;
	conditions?: DeploymentCondition[];
	status?: Deployment['status'];
};

export function deployment(o: DeploymentOptions = {}): Deployment {
	const name = o.name ?? 'nginx';
	const replicas = o.replicas ?? 3;
	const generation = o.generation ?? 2;
	return {
		metadata: {
			name,
			namespace: 'default',
			uid: deploymentUid(name),
			generation,
			creationTimestamp: ago(o.createdAgo ?? 3600),
			labels: {app: name},
			annotations: {'deployment.kubernetes.io/revision': String(o.revision ?? 2), ...(o.annotations ?? {})},
			...(o.resourceVersion ? {resourceVersion: o.resourceVersion} : {}),
		},
		spec: {
			replicas,
			selector: {matchLabels: {app: name}},
			template: template({app: name, ...o}),
			strategy: o.strategy ?? {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}},
			revisionHistoryLimit: 10,
			progressDeadlineSeconds: 600,
			...(o.paused ? {paused: true} : {}),
		},
		status: o.status ?? {
			observedGeneration: o.observed ?? generation,
			replicas: o.total ?? replicas,
			updatedReplicas: o.updated ?? replicas,
			readyReplicas: o.ready ?? replicas,
			availableReplicas: o.available ?? replicas,
			...(o.conditions ? {conditions: o.conditions} : {}),
		},
	};
}

export type ReplicaSetOptions = TemplateOptions & {
	/** The owning deployment's name. @default 'nginx' */
	deployment?: string;
	hash: string;
	/** The revision annotation (a string to test malformed ones); none when undefined. */
	revision?: number | string;
	/** spec.replicas. @default 0 */
	replicas?: number;
	// status.replicas, readyReplicas, availableReplicas (each defaults to replicas).
	current?: number;
	ready?: number;
	available?: number;
	/** @default 600 */
	createdAgo?: number;
	changeCause?: string;
	annotations?: Record<string, string>;
	/** The owner's uid. @default the deployment's */
	ownerUid?: string;
	/** @default true */
	controller?: boolean;
};

export function replicaSet(o: ReplicaSetOptions): ReplicaSet {
	const dep = o.deployment ?? 'nginx';
	const replicas = o.replicas ?? 0;
	return {
		metadata: {
			name: `${dep}-${o.hash}`,
			namespace: 'default',
			uid: replicaSetUid(o.hash),
			generation: 1,
			creationTimestamp: ago(o.createdAgo ?? 600),
			labels: {app: dep, 'pod-template-hash': o.hash},
			annotations: {
				'deployment.kubernetes.io/desired-replicas': '3',
				'deployment.kubernetes.io/max-replicas': '4',
				...(o.revision === undefined ? {} : {'deployment.kubernetes.io/revision': String(o.revision)}),
				...(o.changeCause ? {'kubernetes.io/change-cause': o.changeCause} : {}),
				...(o.annotations ?? {}),
			},
			ownerReferences: [
				{
					apiVersion: 'apps/v1',
					kind: 'Deployment',
					name: dep,
					uid: o.ownerUid ?? deploymentUid(dep),
					controller: o.controller ?? true,
					blockOwnerDeletion: true,
				},
			],
		},
		spec: {
			replicas,
			selector: {matchLabels: {app: dep, 'pod-template-hash': o.hash}},
			template: template({app: dep, ...o}, o.hash),
		},
		status: {
			replicas: o.current ?? replicas,
			fullyLabeledReplicas: o.current ?? replicas,
			readyReplicas: o.ready ?? o.current ?? replicas,
			availableReplicas: o.available ?? o.current ?? replicas,
			observedGeneration: 1,
		},
	};
}

export type PodPhase = 'Running' | 'Pending-creating' | 'Pending-pull' | 'Terminating' | 'Crash';

export type PodOptions = {
	rs: ReplicaSet;
	suffix: string;
	/** @default 'Running' */
	phase?: PodPhase;
	/** @default 120 */
	createdAgo?: number;
	restarts?: number;
	/** The last termination of a restarted container. @default Error, exit 1, 90 s ago */
	lastTermination?: {reason: string; exitCode: number; agoS: number};
	/** The waiting container's message (CrashLoopBackOff, ImagePullBackOff). */
	waitingMessage?: string;
	/** @default 'node2' */
	node?: string;
	/** The pod IP. @default '10.244.1.5' while running, none otherwise */
	ip?: string;
	/** Seconds since the container started. @default 60 */
	startedAgo?: number;
};

// A pod of a ReplicaSet, in one of the phases a rollout goes through.
export function pod(o: PodOptions): Pod {
	const rsName = o.rs.metadata?.name ?? '';
	const hash = o.rs.metadata?.labels?.['pod-template-hash'] ?? '';
	const app = o.rs.metadata?.labels?.app ?? '';
	const phase = o.phase ?? 'Running';
	const image = o.rs.spec?.template?.spec?.containers?.[0]?.image ?? '';
	const running = phase === 'Running' || phase === 'Terminating';
	const waiting =
		phase === 'Pending-creating'
			? {reason: 'ContainerCreating'}
			: phase === 'Pending-pull'
				? {reason: 'ImagePullBackOff', message: o.waitingMessage ?? 'Back-off pulling image'}
				: phase === 'Crash'
					? {reason: 'CrashLoopBackOff', ...(o.waitingMessage ? {message: o.waitingMessage} : {})}
					: undefined;
	const last = o.lastTermination ?? {reason: 'Error', exitCode: 1, agoS: 90};
	return {
		metadata: {
			name: `${rsName}-${o.suffix}`,
			namespace: 'default',
			uid: `uid-pod-${rsName}-${o.suffix}`,
			creationTimestamp: ago(o.createdAgo ?? 120),
			labels: {app, 'pod-template-hash': hash},
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: o.rs.metadata?.uid ?? '', controller: true}],
			...(phase === 'Terminating' ? {deletionTimestamp: ago(-30), deletionGracePeriodSeconds: 30} : {}),
		},
		spec: {nodeName: o.node ?? 'node2', containers: [{name: 'nginx', image}]},
		status: {
			phase: running || phase === 'Crash' ? 'Running' : 'Pending',
			podIP: o.ip ?? (running ? '10.244.1.5' : undefined),
			conditions: [
				{type: 'PodScheduled', status: 'True'},
				{type: 'Initialized', status: 'True'},
				{
					type: 'ContainersReady',
					status: running ? 'True' : 'False',
					...(running ? {} : {reason: 'ContainersNotReady', message: 'containers with unready status: [nginx]'}),
				},
				{type: 'Ready', status: running ? 'True' : 'False'},
			],
			containerStatuses: [
				{
					name: 'nginx',
					image,
					ready: running,
					restartCount: o.restarts ?? 0,
					state: waiting ? {waiting} : {running: {startedAt: ago(o.startedAgo ?? 60)}},
					...(o.restarts
						? {
								lastState: {
									terminated: {exitCode: last.exitCode, reason: last.reason, finishedAt: ago(last.agoS), startedAt: ago(last.agoS + 5)},
								},
							}
						: {}),
				},
			],
		},
	};
}

let eventSeq = 0;

export type EventOptions = {
	kind: string;
	name: string;
	reason: string;
	message: string;
	/** @default 'Normal' */
	type?: string;
	/** Seconds since it was last seen. @default 10 */
	agoS?: number;
	/** @default 1 */
	count?: number;
	/** Seconds since it was first seen. @default agoS */
	firstAgoS?: number;
	uid?: string;
	/** @default 'deployment-controller' */
	component?: string;
};

// A core/v1 Event about an object.
export function event(o: EventOptions): KubeEvent {
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

let probeSeq = 0;

// A probe answered 200 at NOW + ms, served by `servedBy`.
export function probeOk(ms: number, latencyMs: number, servedBy = 'nginx/1.18.0'): ProbeResult {
	return {seq: ++probeSeq, at: NOW + ms, ok: true, status: 200, latencyMs, servedBy};
}

// A probe refused at NOW + ms: nothing listened on the NodePort.
export function probeRefused(ms: number): ProbeResult {
	return {seq: ++probeSeq, at: NOW + ms, ok: false, latencyMs: 0.4, error: 'refused', detail: 'connect ECONNREFUSED 127.0.0.1:30353'};
}

// A probe answered 503 at NOW + ms.
export function probeUnavailable(ms: number): ProbeResult {
	return {
		seq: ++probeSeq,
		at: NOW + ms,
		ok: false,
		status: 503,
		latencyMs: 1,
		error: '5xx',
		detail: '503 Service Unavailable',
		servedBy: 'nginx/1.18.0',
	};
}

// A deployment as a probe session observes it: at a revision and generation, its rollout done or not.
export function rolloutAt(revision: string, generation: number, done: boolean): Deployment {
	return {
		metadata: {name: 'nginx', generation, annotations: {'deployment.kubernetes.io/revision': revision}},
		spec: {replicas: 3},
		status: {observedGeneration: generation, replicas: 3, updatedReplicas: done ? 3 : 1, availableReplicas: 3},
	};
}
