// What the embedded cluster holds when it starts. 'empty' is a fresh four-node cluster like the article's
// (node1-3 control-plane, node4 worker, all on loopback); 'nginx' adds the article's starting point:
// deployment nginx (nginx:1.18, 3 replicas) exposed on a NodePort; 'scale' is a cluster that has run N pods for
// a while (scale-scenario.ts).
import {applyDefaults, initialStatus} from './api/defaults.js';
import {nodeSubnet} from './controllers/kubelet-start.js';
import {applyScaleScenario, type ScaleOptions, scaleNodeCount} from './scale-scenario.js';
import type {KubeObject, Store} from './store.js';

export type ScenarioName = 'empty' | 'nginx' | 'scale';

export const scenarioNames: readonly ScenarioName[] = ['empty', 'nginx', 'scale'];

export const kubeletVersion = 'v1.32.2';

export type ScenarioOptions = {
	/** The API server's port, for the `kubernetes` Endpoints (127.0.0.1:port). */
	apiPort?: number;
	/** Binds a nodePort for a Service the scenario creates; false when the port is taken. */
	reserveNodePort?: (port: number) => Promise<boolean>;
	/** Puts an image on a node as if it had been pulled long ago (the kubelet's cache). */
	prePull?: (node: string, image: string) => void;
	/** Wall clock for timestamps. @default Date.now */
	now?: () => number;
	/** nodePorts tried first for the nginx Service (the article's is 30353). */
	preferredNodePorts?: number[];
	/** What the 'scale' scenario holds (required for it). */
	scale?: ScaleOptions;
};

const nodeNames = ['node1', 'node2', 'node3', 'node4'];

function iso(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function namespace(name: string): KubeObject {
	const o: KubeObject = {apiVersion: 'v1', kind: 'Namespace', metadata: {name}};
	applyDefaults('Namespace', o);
	initialStatus('Namespace', o);
	return o;
}

/** A Ready node on loopback, labelled like a kubeadm cluster's. */
export function nodeObject(name: string, index: number, now: number): KubeObject {
	const controlPlane = index < 3;
	const labels: Record<string, string> = {
		'beta.kubernetes.io/arch': 'amd64',
		'beta.kubernetes.io/os': 'linux',
		'kubernetes.io/arch': 'amd64',
		'kubernetes.io/hostname': name,
		'kubernetes.io/os': 'linux',
	};
	if (controlPlane) {
		labels['node-role.kubernetes.io/control-plane'] = '';
		labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
	} else {
		labels['node-role.kubernetes.io/worker'] = '';
	}
	const stamp = iso(now);
	const condition = (type: string, status: string, reason: string, message: string) => ({
		type,
		status,
		lastHeartbeatTime: stamp,
		lastTransitionTime: stamp,
		reason,
		message,
	});
	const capacity = {
		cpu: '4',
		'ephemeral-storage': '51287520Ki',
		'hugepages-1Gi': '0',
		'hugepages-2Mi': '0',
		memory: '8008716Ki',
		pods: '110',
	};
	const id = (n: number) => `${(0x5a1ce000 + index * 16 + n).toString(16)}c0ffee${String(index + 1).padStart(2, '0')}`.padEnd(32, '0');
	return {
		apiVersion: 'v1',
		kind: 'Node',
		metadata: {
			name,
			labels,
			annotations: {
				'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
				'node.alpha.kubernetes.io/ttl': '0',
				'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
			},
		},
		spec: {podCIDR: `${nodeSubnet(name)}.0/24`, podCIDRs: [`${nodeSubnet(name)}.0/24`]},
		status: {
			capacity,
			allocatable: {...capacity, cpu: '4', memory: '7906316Ki', 'ephemeral-storage': '47266578354'},
			conditions: [
				condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
				condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
				condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
				condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
			],
			addresses: [
				{type: 'InternalIP', address: '127.0.0.1'},
				{type: 'Hostname', address: name},
			],
			daemonEndpoints: {kubeletEndpoint: {Port: 10250}},
			nodeInfo: {
				machineID: id(1),
				systemUUID: id(2),
				bootID: id(3),
				kernelVersion: '5.15.0-122-generic',
				osImage: 'Ubuntu 22.04.5 LTS',
				containerRuntimeVersion: 'containerd://1.7.22',
				kubeletVersion,
				kubeProxyVersion: kubeletVersion,
				operatingSystem: 'linux',
				architecture: 'amd64',
			},
		},
	};
}

/** The `kubernetes` Service (10.96.0.1:443) in default, as the API server keeps it. */
function kubernetesService(apiPort: number): KubeObject {
	const o: KubeObject = {
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {name: 'kubernetes', namespace: 'default', labels: {component: 'apiserver', provider: 'kubernetes'}},
		spec: {
			clusterIP: '10.96.0.1',
			clusterIPs: ['10.96.0.1'],
			ipFamilies: ['IPv4'],
			ipFamilyPolicy: 'SingleStack',
			ports: [{name: 'https', port: 443, protocol: 'TCP', targetPort: apiPort}],
			type: 'ClusterIP',
		},
	};
	applyDefaults('Service', o);
	initialStatus('Service', o);
	return o;
}

function kubernetesEndpoints(apiPort: number): KubeObject {
	return {
		apiVersion: 'v1',
		kind: 'Endpoints',
		metadata: {name: 'kubernetes', namespace: 'default', labels: {'endpointslice.kubernetes.io/skip-mirror': 'true'}},
		subsets: [{addresses: [{ip: '127.0.0.1'}], ports: [{name: 'https', port: apiPort, protocol: 'TCP'}]}],
	};
}

/** Deployment nginx as `kubectl create deployment nginx --image=nginx:1.18 --replicas=3` leaves it. */
export function nginxDeployment(image = 'nginx:1.18', replicas = 3): KubeObject {
	const o: KubeObject = {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name: 'nginx', namespace: 'default', labels: {app: 'nginx'}},
		spec: {
			replicas,
			selector: {matchLabels: {app: 'nginx'}},
			strategy: {},
			template: {
				metadata: {labels: {app: 'nginx'}},
				spec: {containers: [{name: 'nginx', image, resources: {}}]},
			},
		},
	};
	applyDefaults('Deployment', o);
	initialStatus('Deployment', o);
	return o;
}

/** Service nginx as `kubectl expose deployment nginx --type=NodePort --port=80` leaves it. */
function nginxService(nodePort: number): KubeObject {
	const o: KubeObject = {
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {name: 'nginx', namespace: 'default', labels: {app: 'nginx'}},
		spec: {
			clusterIP: '10.96.24.248',
			clusterIPs: ['10.96.24.248'],
			ipFamilies: ['IPv4'],
			ipFamilyPolicy: 'SingleStack',
			ports: [{nodePort, port: 80, protocol: 'TCP', targetPort: 80}],
			selector: {app: 'nginx'},
			type: 'NodePort',
		},
	};
	applyDefaults('Service', o);
	initialStatus('Service', o);
	return o;
}

async function pickNodePort(reserve: ((port: number) => Promise<boolean>) | undefined, preferred: number[]): Promise<number> {
	if (!reserve) return preferred[0] ?? 30353;
	for (const port of preferred) if (await reserve(port)) return port;
	for (let i = 0; i < 200; i++) {
		const port = 30000 + Math.floor(Math.random() * 2768);
		if (await reserve(port)) return port;
	}
	throw new Error('no free nodePort in 30000-32767 on 127.0.0.1');
}

/** Writes a scenario's objects into the store (controllers, if running, take it from there). */
export async function applyScenario(store: Store, name: ScenarioName, options: ScenarioOptions = {}): Promise<void> {
	if (!scenarioNames.includes(name)) throw new Error(`unknown scenario ${JSON.stringify(name)} (want ${scenarioNames.join(' or ')})`);
	const now = options.now ?? Date.now;
	for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
		if (!store.get('namespaces', undefined, ns)) store.create('namespaces', namespace(ns));
	}
	const nodes = name === 'scale' ? Array.from({length: scaleNodeCount(options.scale?.pods ?? 0)}, (_, i) => `node${i + 1}`) : nodeNames;
	nodes.forEach((node, i) => {
		if (!store.get('nodes', undefined, node)) store.create('nodes', nodeObject(node, i, now()));
	});
	const apiPort = options.apiPort ?? 6443;
	if (!store.get('services', 'default', 'kubernetes')) store.create('services', kubernetesService(apiPort));
	if (!store.get('endpoints', 'default', 'kubernetes')) store.create('endpoints', kubernetesEndpoints(apiPort));
	if (name === 'empty') return;
	if (name === 'scale') {
		if (!options.scale) throw new Error("the 'scale' scenario needs its options (pods, namespaces, churn)");
		for (const node of nodes) options.prePull?.(node, options.scale.image ?? 'nginx:1.18');
		await applyScaleScenario(store, options.scale, {
			now,
			nodeNames: nodes,
			nodePort: () => pickNodePort(options.reserveNodePort, []),
			namespace,
		});
		return;
	}

	// The article's cluster had been running for months: nginx:1.18 is on every node already.
	for (const node of nodeNames) options.prePull?.(node, 'nginx:1.18');
	const nodePort = await pickNodePort(options.reserveNodePort, options.preferredNodePorts ?? [30353]);
	store.create('deployments', nginxDeployment());
	store.create('services', nginxService(nodePort));
}
