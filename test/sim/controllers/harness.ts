// A controller test bed: a store, a ManualClock, every controller and kubelet, and the 'empty' scenario's
// four nodes (or, with `scale`, the scale scenario's running pods). Time moves only when a test advances it,
// so every sequence is deterministic.
import {ManualClock} from '../../../source/sim/clock.js';
import {startControllers, type Controllers} from '../../../source/sim/controllers/index.js';
import type {ScaleOptions} from '../../../source/sim/scale-scenario.js';
import {applyScenario} from '../../../source/sim/scenarios.js';
import {Store, type KubeObject} from '../../../source/sim/store.js';

export type Harness = {
	store: Store;
	clock: ManualClock;
	controllers: Controllers;
	/** Events in the order they were created (a repeat bumps `count` on the same object). */
	events: () => KubeObject[];
	/** Every controller error (tests assert there were none). */
	errors: unknown[];
	/** Advances time in steps until `done()` holds; throws after `maxMs` simulated ms. Returns the ms used. */
	advanceUntil: (done: () => boolean, options?: {maxMs?: number; stepMs?: number; what?: string}) => number;
	deployment: (name: string, namespace?: string) => KubeObject;
	/** Replaces fields of a deployment's spec like `kubectl apply` would, through a main update. */
	updateDeployment: (name: string, change: (d: KubeObject) => void, namespace?: string) => KubeObject;
	pods: (filter?: (p: KubeObject) => boolean) => KubeObject[];
	replicaSets: (namespace?: string) => KubeObject[];
	stop: () => void;
};

export async function harness(options: {endpointLagMs?: number; scale?: ScaleOptions} = {}): Promise<Harness> {
	const clock = new ManualClock(Date.UTC(2024, 0, 1, 12, 0, 0));
	const store = new Store({now: () => clock.now()});
	const errors: unknown[] = [];
	const controllers = startControllers({store, clock, endpointLagMs: options.endpointLagMs ?? 0, onError: (_c, _k, e) => errors.push(e)});
	// As startCluster does: the controllers find the scenario as one state.
	controllers.manager.hold();
	await applyScenario(store, options.scale ? 'scale' : 'empty', {
		now: () => clock.now(),
		scale: options.scale,
		prePull: (node, image) => controllers.kubelet.prePull(node, image),
	});
	controllers.manager.release();
	const order: string[] = [];
	store.subscribe((e) => {
		if (e.resource === 'events' && e.type === 'ADDED') order.push(`${e.object.metadata.namespace}/${e.object.metadata.name}`);
	});
	const events = () =>
		order
			.map((k) => {
				const [ns, name] = k.split('/');
				return store.get('events', ns, name!);
			})
			.filter((e): e is KubeObject => !!e);
	const advanceUntil: Harness['advanceUntil'] = (done, o = {}) => {
		const max = o.maxMs ?? 120_000;
		const step = o.stepMs ?? 100;
		let used = 0;
		while (!done()) {
			if (used >= max) throw new Error(`not reached after ${max} simulated ms: ${o.what ?? 'condition'}`);
			clock.advance(step);
			used += step;
		}
		return used;
	};
	const deployment = (name: string, namespace = 'default') => store.mustGet('deployments', namespace, name);
	const updateDeployment = (name: string, change: (d: KubeObject) => void, namespace = 'default') => {
		const d = structuredClone(deployment(name, namespace));
		change(d);
		delete d.metadata.resourceVersion;
		return store.update('deployments', d);
	};
	return {
		store,
		clock,
		controllers,
		events,
		errors,
		advanceUntil,
		deployment,
		updateDeployment,
		pods: (filter) => store.list('pods').items.filter((p) => !filter || filter(p)),
		replicaSets: (namespace = 'default') => store.list('replicasets', namespace).items,
		stop: () => {
			controllers.stop();
			clock.stop();
		},
	};
}

/** A Deployment as `kubectl create deployment` and the API server's defaulting leave it. */
export function deploymentObject(
	name: string,
	options: {
		image?: string;
		replicas?: number;
		strategy?: any;
		minReadySeconds?: number;
		progressDeadlineSeconds?: number;
		revisionHistoryLimit?: number;
		container?: Record<string, unknown>;
		podSpec?: Record<string, unknown>;
	} = {},
): KubeObject {
	const spec: any = {
		replicas: options.replicas ?? 3,
		selector: {matchLabels: {app: name}},
		strategy: options.strategy ?? {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}},
		revisionHistoryLimit: options.revisionHistoryLimit ?? 10,
		progressDeadlineSeconds: options.progressDeadlineSeconds ?? 600,
		template: {
			metadata: {labels: {app: name}},
			spec: {
				containers: [
					{
						name: 'nginx',
						image: options.image ?? 'nginx:1.18',
						imagePullPolicy: 'IfNotPresent',
						resources: {},
						terminationMessagePath: '/dev/termination-log',
						terminationMessagePolicy: 'File',
						...options.container,
					},
				],
				restartPolicy: 'Always',
				terminationGracePeriodSeconds: 30,
				dnsPolicy: 'ClusterFirst',
				securityContext: {},
				schedulerName: 'default-scheduler',
				...options.podSpec,
			},
		},
	};
	if (options.minReadySeconds !== undefined) spec.minReadySeconds = options.minReadySeconds;
	return {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name, namespace: 'default', labels: {app: name}}, spec, status: {}};
}

/** kubectl's rollout status rule: the latest generation observed, every replica updated and available. */
export function rolledOut(d: KubeObject): boolean {
	const s = d.status ?? {};
	const want = d.spec.replicas;
	return (
		(s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
		(s.updatedReplicas ?? 0) === want &&
		(s.replicas ?? 0) === want &&
		(s.availableReplicas ?? 0) === want
	);
}

export function condition(o: KubeObject, type: string): any {
	return (o.status?.conditions ?? []).find((c: any) => c.type === type);
}
