// A Deployment "nginx" half-way through the article's update from nginx:1.18 (revision 1) to nginx:1.20.1
// (revision 2), built with test/helpers/objects.ts, and the store that holds it.
import type {KubeEvent, Pod} from '../../source/model/types.js';
import {CockpitStore, type CockpitStoreOptions} from '../../source/state/store.js';
import {NOW, deployment, event, pod, replicaSet} from '../helpers/objects.js';

export {NOW};

export const OLD_RS = 'nginx-6888c79454';
export const NEW_RS = 'nginx-648458674d';

// Revision 2 has 3 pods, 1 ready; revision 1 still has 2.
export const HALFWAY = {
	deployment: () => deployment({image: 'nginx:1.20.1', replicas: 3, total: 5, updated: 3, ready: 3, available: 3}),
	oldReplicaSet: replicaSet({hash: '6888c79454', revision: 1, image: 'nginx:1.18', replicas: 2, createdAgo: 3600}),
	newReplicaSet: replicaSet({hash: '648458674d', revision: 2, image: 'nginx:1.20.1', replicas: 3, ready: 1, available: 1, createdAgo: 60}),
};

const on = (rs: ReturnType<typeof replicaSet>, suffix: string, o: Omit<Parameters<typeof pod>[0], 'rs' | 'suffix'>): Pod =>
	pod({rs, suffix, node: 'node4', createdAgo: 50, startedAgo: 45, ...o});

export const PODS: Pod[] = [
	on(HALFWAY.newReplicaSet, 'gldmc', {ip: '10.244.41.18'}),
	on(HALFWAY.newReplicaSet, 'kfgb4', {phase: 'Pending-creating', createdAgo: 3}),
	on(HALFWAY.newReplicaSet, 'v4lwp', {
		phase: 'Crash',
		ip: '10.244.41.20',
		restarts: 4,
		waitingMessage: 'back-off 40s restarting failed container=nginx',
		lastTermination: {reason: 'OOMKilled', exitCode: 137, agoS: 20},
	}),
	on(HALFWAY.oldReplicaSet, 'g24tx', {phase: 'Terminating', ip: '10.244.41.11'}),
	on(HALFWAY.oldReplicaSet, 'dhhts', {ip: '10.244.41.12'}),
];

export const EVENTS: KubeEvent[] = [
	event({kind: 'Deployment', name: 'nginx', reason: 'ScalingReplicaSet', message: `Scaled up replica set ${NEW_RS} to 1`, agoS: 59}),
	event({
		kind: 'ReplicaSet',
		name: NEW_RS,
		reason: 'SuccessfulCreate',
		message: `Created pod: ${NEW_RS}-gldmc`,
		agoS: 58,
		component: 'replicaset-controller',
	}),
	event({
		kind: 'Pod',
		name: `${NEW_RS}-v4lwp`,
		reason: 'BackOff',
		message: 'Back-off restarting failed container nginx in pod',
		type: 'Warning',
		count: 5,
		firstAgoS: 50,
		agoS: 5,
	}),
	event({kind: 'Deployment', name: 'nginx', reason: 'ScalingReplicaSet', message: `Scaled down replica set ${OLD_RS} to 2`, agoS: 56}),
	event({kind: 'Pod', name: `${OLD_RS}-g24tx`, reason: 'Killing', message: 'Stopping container nginx', agoS: 55, component: 'kubelet'}),
];

// A store holding the half-way rollout (and a second deployment, "api"), flushed, with timers off.
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
	store.sync('deployments', [HALFWAY.deployment(), deployment({name: 'api', image: 'nginx:1.20.1'})]);
	store.sync('replicaSets', [HALFWAY.oldReplicaSet, HALFWAY.newReplicaSet]);
	store.sync('pods', PODS);
	store.sync('events', EVENTS);
	for (const kind of ['deployments', 'replicaSets', 'pods', 'events'] as const)
		store.setConnection(kind, {phase: 'watching', since: NOW, restarts: 0});
	store.flush();
	return store;
}
