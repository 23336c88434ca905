// Objects as the API serves them, for a Deployment "nginx" half-way through the article's update
// from nginx:1.18 (revision 1) to nginx:1.20.1 (revision 2).
import type {Deployment, KubeEvent, Pod, ReplicaSet} from '../../source/model/types.js';
import {CockpitStore, type CockpitStoreOptions} from '../../source/state/store.js';

export const NOW = Date.parse('2024-05-01T12:00:00Z');
// A timestamp `s` seconds before NOW.
export const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

// The metadata of a ReplicaSet owned by deployment nginx, named <deployment>-<hash>, at a revision.
export function replicaSetMeta(
	name: string,
	revision: number,
	ageSeconds: number,
	annotations: Record<string, string> = {},
): ReplicaSet['metadata'] {
	const hash = name.split('-').pop() as string;
	return {
		name,
		namespace: 'default',
		uid: `rs-${hash}`,
		creationTimestamp: ago(ageSeconds),
		labels: {app: 'nginx', 'pod-template-hash': hash},
		annotations: {'deployment.kubernetes.io/revision': String(revision), ...annotations},
		ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx', uid: 'dep-uid', controller: true}],
	};
}

const template = (image: string, hash: string) => ({
	metadata: {labels: {app: 'nginx', 'pod-template-hash': hash}},
	spec: {containers: [{name: 'nginx', image}]},
});

export function deployment(
	over: {
		replicas?: number;
		image?: string;
		status?: Deployment['status'];
		strategy?: Deployment['spec'] extends infer S ? (S extends {strategy?: infer T} ? T : never) : never;
	} = {},
): Deployment {
	return {
		metadata: {
			name: 'nginx',
			namespace: 'default',
			uid: 'dep-uid',
			generation: 2,
			creationTimestamp: ago(3600),
			annotations: {'deployment.kubernetes.io/revision': '2'},
		},
		spec: {
			replicas: over.replicas ?? 3,
			selector: {matchLabels: {app: 'nginx'}},
			strategy: over.strategy ?? {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}},
			template: {metadata: {labels: {app: 'nginx'}}, spec: {containers: [{name: 'nginx', image: over.image ?? 'nginx:1.20.1'}]}},
		},
		status: over.status ?? {
			observedGeneration: 2,
			replicas: 5,
			updatedReplicas: 3,
			readyReplicas: 3,
			availableReplicas: 3,
			unavailableReplicas: 2,
		},
	};
}

export function replicaSet(
	name: string,
	revision: number,
	image: string,
	spec: number,
	status: {replicas: number; ready: number; available: number},
): ReplicaSet {
	const hash = name.split('-').pop() as string;
	return {
		metadata: replicaSetMeta(name, revision, revision === 1 ? 3600 : 60),
		spec: {replicas: spec, selector: {matchLabels: {app: 'nginx', 'pod-template-hash': hash}}, template: template(image, hash)},
		status: {replicas: status.replicas, readyReplicas: status.ready, availableReplicas: status.available},
	};
}

export const OLD_RS = 'nginx-6888c79454';
export const NEW_RS = 'nginx-648458674d';

export function pod(name: string, rs: string, image: string, state: 'running' | 'creating' | 'crash' | 'terminating', ip = ''): Pod {
	const hash = rs.split('-').pop() as string;
	const running = state === 'running' || state === 'terminating';
	return {
		metadata: {
			name,
			namespace: 'default',
			uid: `pod-${name}`,
			creationTimestamp: ago(state === 'creating' ? 3 : 50),
			labels: {app: 'nginx', 'pod-template-hash': hash},
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: `rs-${hash}`, controller: true}],
			...(state === 'terminating' ? {deletionTimestamp: ago(-30), deletionGracePeriodSeconds: 30} : {}),
		},
		spec: {nodeName: 'node4', containers: [{name: 'nginx', image}]},
		status: {
			phase: state === 'creating' ? 'Pending' : 'Running',
			podIP: ip || undefined,
			conditions: [
				{type: 'PodScheduled', status: 'True'},
				{type: 'Initialized', status: 'True'},
				{
					type: 'ContainersReady',
					status: running ? 'True' : 'False',
					reason: running ? undefined : 'ContainersNotReady',
					message: running ? undefined : 'containers with unready status: [nginx]',
				},
				{type: 'Ready', status: running ? 'True' : 'False'},
			],
			containerStatuses: [
				{
					name: 'nginx',
					image,
					ready: running,
					restartCount: state === 'crash' ? 4 : 0,
					state:
						state === 'creating'
							? {waiting: {reason: 'ContainerCreating'}}
							: state === 'crash'
								? {waiting: {reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=nginx'}}
								: {running: {startedAt: ago(45)}},
					lastState: state === 'crash' ? {terminated: {reason: 'OOMKilled', exitCode: 137, finishedAt: ago(20), startedAt: ago(25)}} : {},
				},
			],
		},
	};
}

export function event(i: number, kind: string, name: string, reason: string, message: string, over: Partial<KubeEvent> = {}): KubeEvent {
	return {
		metadata: {name: `${name}.${i}`, namespace: 'default', uid: `ev-${i}`},
		involvedObject: {kind, name, namespace: 'default'},
		reason,
		message,
		type: 'Normal',
		count: 1,
		firstTimestamp: ago(60 - i),
		lastTimestamp: ago(60 - i),
		source: {component: 'deployment-controller'},
		...over,
	};
}

export const PODS = [
	pod(`${NEW_RS}-gldmc`, NEW_RS, 'nginx:1.20.1', 'running', '10.244.41.18'),
	pod(`${NEW_RS}-kfgb4`, NEW_RS, 'nginx:1.20.1', 'creating'),
	pod(`${NEW_RS}-v4lwp`, NEW_RS, 'nginx:1.20.1', 'crash', '10.244.41.20'),
	pod(`${OLD_RS}-g24tx`, OLD_RS, 'nginx:1.18', 'terminating', '10.244.41.11'),
	pod(`${OLD_RS}-dhhts`, OLD_RS, 'nginx:1.18', 'running', '10.244.41.12'),
];

export const EVENTS = [
	event(1, 'Deployment', 'nginx', 'ScalingReplicaSet', `Scaled up replica set ${NEW_RS} to 1`),
	event(2, 'ReplicaSet', NEW_RS, 'SuccessfulCreate', `Created pod: ${NEW_RS}-gldmc`, {source: {component: 'replicaset-controller'}}),
	event(3, 'Pod', `${NEW_RS}-v4lwp`, 'BackOff', 'Back-off restarting failed container nginx in pod', {
		type: 'Warning',
		count: 5,
		firstTimestamp: ago(50),
		lastTimestamp: ago(5),
	}),
	event(4, 'Deployment', 'nginx', 'ScalingReplicaSet', `Scaled down replica set ${OLD_RS} to 2`),
	event(5, 'Pod', `${OLD_RS}-g24tx`, 'Killing', 'Stopping container nginx', {source: {component: 'kubelet'}}),
];

const watching = {phase: 'watching' as const, since: NOW, restarts: 0};

// A store holding the half-way rollout, flushed, with timers off (tests call flush themselves).
export function rolloutStore(deploymentName: string | null = 'nginx', options: CockpitStoreOptions = {}): CockpitStore {
	const store = new CockpitStore(
		{
			context: 'kind-sim',
			server: 'https://127.0.0.1:6443',
			namespace: 'default',
			deploymentName: deploymentName ?? undefined,
			serverVersion: 'v1.32.4',
		},
		{flushIntervalMs: false, tickMs: false, now: () => NOW, ...options},
	);
	store.sync('deployments', [deployment(), {...deployment(), metadata: {...deployment().metadata, name: 'api', uid: 'api-uid'}}]);
	store.sync('replicaSets', [
		replicaSet(OLD_RS, 1, 'nginx:1.18', 2, {replicas: 2, ready: 2, available: 2}),
		replicaSet(NEW_RS, 2, 'nginx:1.20.1', 3, {replicas: 3, ready: 1, available: 1}),
	]);
	store.sync('pods', PODS);
	store.sync('events', EVENTS);
	for (const kind of ['deployments', 'replicaSets', 'pods', 'events'] as const) store.setConnection(kind, watching);
	store.flush();
	return store;
}
