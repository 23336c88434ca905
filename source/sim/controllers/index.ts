// Starts the embedded control plane's controllers and the kubelets on one store and one clock.
import type {Clock} from '../clock.js';
import type {Store} from '../store.js';
import {DeploymentController} from './deployment.js';
import {DisruptionController} from './disruption.js';
import {EndpointsController} from './endpoints.js';
import {EventRecorder} from './events.js';
import {GarbageCollector} from './garbage-collector.js';
import {Kubelet, type KubeletTimings} from './kubelet.js';
import {ControllerManager} from './manager.js';
import {ClusterRoleAggregationController} from './clusterrole-aggregation.js';
import {ReplicaSetController} from './replicaset.js';
import {Scheduler} from './scheduler.js';
import {ServingPods} from './serving.js';
import {ContainerLogs} from './container-logs.js';
import {NodeLeases} from './node-leases.js';
import {NodeLifecycleController} from './node-lifecycle.js';
import {TaintEvictionController} from './taint-eviction.js';
import type {NodeFacts} from './container-output.js';

export {ServingPods} from './serving.js';
export {ContainerLogs} from './container-logs.js';
export type {ServingPod, ServingContainer} from './serving.js';
export {lookupImage, normalizeImage, isCrashImage, knownImages} from './images.js';
export type {KubeletTimings} from './kubelet.js';
export {deletePodGracefully} from './util.js';

export type ControllersOptions = {
	store: Store;
	clock: Clock;
	/** Simulated ms before a terminating pod leaves the endpoints (kube-proxy propagation). @default 0 */
	endpointLagMs?: number;
	/** Overrides of the kubelet's step durations (simulated ms). */
	kubeletTimings?: Partial<KubeletTimings>;
	/** Where sync errors go. @default console.error */
	onError?: (controller: string, key: string, error: unknown) => void;
	/** How long a node's kubelet may be silent before the node is Unknown (simulated ms). @default 50000 */
	nodeMonitorGracePeriodMs?: number;
};

/** The running controllers. */
export type Controllers = {
	manager: ControllerManager;
	kubelet: Kubelet;
	events: EventRecorder;
	/** What the containers printed (pods/log reads it; the NodePort router adds access-log lines). */
	containerLogs: ContainerLogs;
	/** Pods that accept connections now; the NodePort router reads it. */
	servingPods: ServingPods;
	/** The kubelets' heartbeats (which kubelets are stopped). */
	leases: NodeLeases;
	stop(): void;
};

// What a container sees of its node: the kernel and the CPU count (nginx prints both at start-up).
function nodeFacts(store: Store, name: string): NodeFacts {
	const node = store.get('nodes', undefined, name);
	return {kernel: node?.status?.nodeInfo?.kernelVersion || 'unknown', cpus: Number.parseInt(node?.status?.capacity?.cpu ?? '1', 10) || 1};
}

/** Starts every controller; objects already in the store are reconciled at once. */
export function startControllers(options: ControllersOptions): Controllers {
	const {store, clock} = options;
	const manager = new ControllerManager({store, clock, onError: options.onError});
	const events = new EventRecorder(store, clock);
	const servingPods = new ServingPods();
	// Each controller registers its informers and handlers; the informers' initial lists queue the existing objects.
	new DeploymentController(manager, events);
	new ReplicaSetController(manager, events);
	new Scheduler(manager, events);
	const containerLogs = new ContainerLogs(clock, (name) => nodeFacts(store, name));
	const leases = new NodeLeases();
	const kubelet = new Kubelet(manager, events, {servingPods, timings: options.kubeletTimings, containerHooks: containerLogs, leases});
	new EndpointsController(manager, {lagMs: options.endpointLagMs});
	new DisruptionController(manager, events);
	new GarbageCollector(manager);
	new ClusterRoleAggregationController(manager);
	new NodeLifecycleController(manager, events, leases, {gracePeriodMs: options.nodeMonitorGracePeriodMs});
	new TaintEvictionController(manager, events);
	manager.start();
	return {manager, kubelet, events, containerLogs, servingPods, leases, stop: () => manager.stop()};
}
