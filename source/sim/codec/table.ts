// Server-side printing: `kubectl get` asks for a meta.k8s.io/v1 Table (Accept: application/json;as=Table;...)
// and prints its columns as they come; without one it can only show NAME and AGE. These are the real API server's
// columns and cell rules (pkg/printers/internalversion in Kubernetes), written again here. The server always fills
// every column; kubectl hides priority-1 columns unless -o wide.
import type {KubeObject} from '../store.js';

/** What a row carries besides its cells, as the `includeObject` query parameter asks. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** How toTable fills the Table: the query's includeObject, the list's resourceVersion/continue, the clock. */
export type TableOptions = {
	includeObject: IncludeObject;
	listMeta: {resourceVersion: string; continue?: string};
	/** Wall-clock ms that ages are measured against. */
	now: number;
	/** Leave out columnDefinitions, as the server does for watch events after the first. @default false */
	noHeaders?: boolean;
};

/** A column as kubectl reads it: priority 1 columns appear only with -o wide. */
export type TableColumnDefinition = {name: string; type: string; format: string; description: string; priority: number};

/** Cells are strings, except the integer columns (DESIRED, COUNT, ...), as the server sends them. */
export type TableCell = string | number | boolean;

/** One row per object; `conditions` marks finished pods as Completed, as the server does. */
export type TableRow = {
	cells: TableCell[];
	conditions?: Array<{type: string; status: string; reason?: string; message?: string}>;
	object?: unknown;
};

/** The meta.k8s.io/v1 Table body. */
export type Table = {
	kind: 'Table';
	apiVersion: 'meta.k8s.io/v1';
	metadata: {resourceVersion: string; continue?: string};
	columnDefinitions: TableColumnDefinition[];
	rows: TableRow[];
};

type Printer = {columns: TableColumnDefinition[]; row: (o: KubeObject, now: number) => Pick<TableRow, 'cells' | 'conditions'>};

const column = (name: string, description: string, options: {type?: string; format?: string; priority?: number} = {}): TableColumnDefinition => ({
	name,
	type: options.type ?? 'string',
	format: options.format ?? '',
	description,
	priority: options.priority ?? 0,
});

const nameColumn = column('Name', 'Name must be unique within a namespace.', {format: 'name'});
const ageColumn = column('Age', 'When the object was created (CreationTimestamp).');
const wide = {priority: 1};

/** Kubernetes' HumanDuration: about two significant figures ("45s", "2m5s", "4h10m", "3d2h", "2y30d"). */
export function humanDuration(ms: number): string {
	const seconds = Math.trunc(ms / 1000);
	if (seconds < -1) return '<invalid>';
	if (seconds < 0) return '0s';
	if (seconds < 120) return `${seconds}s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
	if (minutes < 180) return `${minutes}m`;
	const hours = Math.floor(minutes / 60);
	if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
	if (hours < 48) return `${hours}h`;
	if (hours < 24 * 8) return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
	if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
	const days = Math.floor(hours / 24);
	if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
	return `${Math.floor(days / 365)}y`;
}

/** The age of a timestamp, or <unknown> when there is none. */
function since(timestamp: string | undefined, now: number): string {
	if (!timestamp) return '<unknown>';
	const t = Date.parse(timestamp);
	return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/** labels.FormatLabels: sorted k=v pairs, or <none>. */
function formatLabels(labels: Record<string, string> | undefined): string {
	const keys = Object.keys(labels ?? {}).sort();
	return keys.length === 0 ? '<none>' : keys.map(k => `${k}=${labels![k]}`).join(',');
}

type LabelSelector = {matchLabels?: Record<string, string>; matchExpressions?: Array<{key: string; operator: string; values?: string[]}>};

/** A LabelSelector as the label selector syntax (requirements sorted by key), '' for everything, undefined if invalid. */
function selectorString(selector: LabelSelector | undefined): string | undefined {
	if (!selector) return '';
	const parts: Array<[string, string]> = [];
	for (const [k, v] of Object.entries(selector.matchLabels ?? {})) parts.push([k, `${k}=${v}`]);
	for (const e of selector.matchExpressions ?? []) {
		const values = [...new Set(e.values ?? [])].sort().join(',');
		switch (e.operator) {
			case 'In':
				parts.push([e.key, `${e.key} in (${values})`]);
				break;
			case 'NotIn':
				parts.push([e.key, `${e.key} notin (${values})`]);
				break;
			case 'Exists':
				parts.push([e.key, e.key]);
				break;
			case 'DoesNotExist':
				parts.push([e.key, `!${e.key}`]);
				break;
			default:
				return undefined;
		}
	}
	// A stable sort by key keeps matchLabels ahead of expressions on the same key, as the Go sort does.
	return parts
		.map((p, i) => [p, i] as const)
		.sort(([a, i], [b, j]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : i - j))
		.map(([p]) => p[1])
		.join(',');
}

/** metav1.FormatLabelSelector: the selector, <none> when it selects everything, <error> when invalid. */
function formatLabelSelector(selector: LabelSelector | undefined): string {
	const s = selectorString(selector);
	if (s === undefined) return '<error>';
	return s === '' ? '<none>' : s;
}

/** Container names and images, comma-separated, for the wide CONTAINERS and IMAGES columns. */
function containerCells(containers: Array<{name?: string; image?: string}> | undefined): [string, string] {
	const list = containers ?? [];
	return [list.map(c => c.name ?? '').join(','), list.map(c => c.image ?? '').join(',')];
}

// ---- pods ----

type ContainerState = {
	waiting?: {reason?: string};
	running?: {startedAt?: string};
	terminated?: {exitCode?: number; signal?: number; reason?: string; finishedAt?: string};
};
type ContainerStatus = {name: string; ready?: boolean; started?: boolean; restartCount?: number; state?: ContainerState; lastState?: ContainerState};

function laterOf(a: string | undefined, b: string | undefined): string | undefined {
	if (!b) return a;
	if (!a) return b;
	return Date.parse(b) > Date.parse(a) ? b : a;
}

/** The pod printer's READY, STATUS and RESTARTS. */
export function podRowSummary(pod: KubeObject, now: number): {ready: string; status: string; restarts: string} {
	const spec = pod.spec ?? {};
	const status = pod.status ?? {};
	const initSpecs: Array<{name: string; restartPolicy?: string}> = spec.initContainers ?? [];
	const isSidecar = (name: string) => initSpecs.find(c => c.name === name)?.restartPolicy === 'Always';
	const total = (spec.containers ?? []).length + initSpecs.filter(c => c.restartPolicy === 'Always').length;
	let ready = 0;
	let restarts = 0;
	let sidecarRestarts = 0;
	let lastRestart: string | undefined;
	let lastSidecarRestart: string | undefined;
	const phase: string = status.phase ?? '';
	let reason: string = status.reason || phase;
	for (const c of status.conditions ?? []) {
		if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
	}

	let initializing = false;
	const initStatuses: ContainerStatus[] = status.initContainerStatuses ?? [];
	for (let i = 0; i < initStatuses.length; i++) {
		const c = initStatuses[i]!;
		restarts += c.restartCount ?? 0;
		lastRestart = laterOf(lastRestart, c.lastState?.terminated?.finishedAt);
		if (isSidecar(c.name)) {
			sidecarRestarts += c.restartCount ?? 0;
			lastSidecarRestart = laterOf(lastSidecarRestart, c.lastState?.terminated?.finishedAt);
		}
		const terminated = c.state?.terminated;
		const waiting = c.state?.waiting;
		if (terminated && (terminated.exitCode ?? 0) === 0) continue;
		if (isSidecar(c.name) && c.started) {
			if (c.ready) ready++;
			continue;
		}
		if (terminated) {
			reason = terminated.reason
				? `Init:${terminated.reason}`
				: terminated.signal
					? `Init:Signal:${terminated.signal}`
					: `Init:ExitCode:${terminated.exitCode ?? 0}`;
		} else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
			reason = `Init:${waiting.reason}`;
		} else {
			reason = `Init:${i}/${initSpecs.length}`;
		}
		initializing = true;
		break;
	}

	const initialized = (status.conditions ?? []).some((c: {type: string; status: string}) => c.type === 'Initialized' && c.status === 'True');
	if (!initializing || initialized) {
		restarts = sidecarRestarts;
		lastRestart = lastSidecarRestart;
		let hasRunning = false;
		const statuses: ContainerStatus[] = status.containerStatuses ?? [];
		for (let i = statuses.length - 1; i >= 0; i--) {
			const c = statuses[i]!;
			restarts += c.restartCount ?? 0;
			lastRestart = laterOf(lastRestart, c.lastState?.terminated?.finishedAt);
			const waiting = c.state?.waiting;
			const terminated = c.state?.terminated;
			if (waiting?.reason) reason = waiting.reason;
			else if (terminated?.reason) reason = terminated.reason;
			else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
			else if (c.ready && c.state?.running) {
				hasRunning = true;
				ready++;
			}
		}
		if (reason === 'Completed' && hasRunning) {
			const podReady = (status.conditions ?? []).some((c: {type: string; status: string}) => c.type === 'Ready' && c.status === 'True');
			reason = podReady ? 'Running' : 'NotReady';
		}
	}

	if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
	else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

	const restartsText = restarts !== 0 && lastRestart ? `${restarts} (${since(lastRestart, now)} ago)` : String(restarts);
	return {ready: `${ready}/${total}`, status: reason, restarts: restartsText};
}

const podPrinter: Printer = {
	columns: [
		nameColumn,
		column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
		column('Status', 'The aggregate status of the containers in this pod.'),
		column('Restarts', 'How many times the containers in this pod restarted, and when the last one did.'),
		ageColumn,
		column('IP', 'The IP address allocated to the pod.', wide),
		column('Node', 'The node the pod is scheduled onto.', wide),
		column('Nominated Node', 'The node where the pod may run after preemption.', wide),
		column('Readiness Gates', 'Extra conditions the pod waits for before it is ready.', wide),
	],
	row(pod, now) {
		const {ready, status, restarts} = podRowSummary(pod, now);
		const gates: Array<{conditionType: string}> = pod.spec?.readinessGates ?? [];
		const conditions: Array<{type: string; status: string}> = pod.status?.conditions ?? [];
		const readinessGates =
			gates.length === 0 ? '<none>' : `${gates.filter(g => conditions.find(c => c.type === g.conditionType)?.status === 'True').length}/${gates.length}`;
		const phase = pod.status?.phase;
		return {
			cells: [
				pod.metadata.name ?? '',
				ready,
				status,
				restarts,
				since(pod.metadata.creationTimestamp, now),
				pod.status?.podIPs?.[0]?.ip || '<none>',
				pod.spec?.nodeName || '<none>',
				pod.status?.nominatedNodeName || '<none>',
				readinessGates,
			],
			...(phase === 'Succeeded'
				? {conditions: [{type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.'}]}
				: phase === 'Failed'
					? {conditions: [{type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.'}]}
					: {}),
		};
	},
};

// ---- workloads ----

const containersColumn = column('Containers', 'Names of each container in the template.', wide);
const imagesColumn = column('Images', 'Images referenced by each container in the template.', wide);

const replicaSetPrinter: Printer = {
	columns: [
		nameColumn,
		column('Desired', 'How many pods the ReplicaSet wants.', {type: 'integer'}),
		column('Current', 'How many pods the ReplicaSet has.', {type: 'integer'}),
		column('Ready', 'How many of its pods are ready.', {type: 'integer'}),
		ageColumn,
		containersColumn,
		imagesColumn,
		column('Selector', 'The label query over the pods the ReplicaSet owns.', wide),
	],
	row(rs, now) {
		const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
		return {
			cells: [
				rs.metadata.name ?? '',
				rs.spec?.replicas ?? 1,
				rs.status?.replicas ?? 0,
				rs.status?.readyReplicas ?? 0,
				since(rs.metadata.creationTimestamp, now),
				names,
				images,
				formatLabelSelector(rs.spec?.selector),
			],
		};
	},
};

const deploymentPrinter: Printer = {
	columns: [
		nameColumn,
		column('Ready', 'Number of the pod with ready state'),
		column('Up-to-date', 'Total number of pods targeted by this deployment that have the desired template spec.'),
		column('Available', 'Total number of pods targeted by this deployment that have been available for minReadySeconds.'),
		ageColumn,
		containersColumn,
		imagesColumn,
		column('Selector', 'The label query over the pods the deployment manages.', wide),
	],
	row(d, now) {
		const [names, images] = containerCells(d.spec?.template?.spec?.containers);
		return {
			cells: [
				d.metadata.name ?? '',
				`${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
				d.status?.updatedReplicas ?? 0,
				d.status?.availableReplicas ?? 0,
				since(d.metadata.creationTimestamp, now),
				names,
				images,
				selectorString(d.spec?.selector) ?? '<invalid>',
			],
		};
	},
};

// ---- services and endpoints ----

function serviceExternalIP(svc: KubeObject): string {
	const spec = svc.spec ?? {};
	const externalIPs: string[] = spec.externalIPs ?? [];
	switch (spec.type ?? 'ClusterIP') {
		case 'ClusterIP':
		case 'NodePort':
			return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
		case 'LoadBalancer': {
			const ingress: Array<{ip?: string; hostname?: string}> = svc.status?.loadBalancer?.ingress ?? [];
			const lb = [...new Set(ingress.map(i => i.ip || i.hostname || '').filter(Boolean))].sort();
			const all = [...lb, ...externalIPs];
			return all.length > 0 ? all.join(',') : '<pending>';
		}
		case 'ExternalName':
			return spec.externalName ?? '';
		default:
			return '<unknown>';
	}
}

/** "80/TCP", or "80:30353/TCP" with a nodePort; comma-separated. */
function servicePorts(ports: Array<{port: number; nodePort?: number; protocol?: string}> | undefined): string {
	const text = (ports ?? []).map(p => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
	return text || '<none>';
}

const servicePrinter: Printer = {
	columns: [
		nameColumn,
		column('Type', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
		column('Cluster-IP', 'The IP address of the service inside the cluster.'),
		column('External-IP', 'IP addresses outside the cluster that reach the service.'),
		column('Port(s)', 'The ports the service exposes.'),
		ageColumn,
		column('Selector', 'The labels of the pods the service routes to.', wide),
	],
	row(svc, now) {
		return {
			cells: [
				svc.metadata.name ?? '',
				svc.spec?.type ?? 'ClusterIP',
				svc.spec?.clusterIPs?.[0] ?? (svc.spec?.clusterIP || '<none>'),
				serviceExternalIP(svc),
				servicePorts(svc.spec?.ports),
				since(svc.metadata.creationTimestamp, now),
				formatLabels(svc.spec?.selector),
			],
		};
	},
};

/** "10.244.1.5:80,10.244.2.7:80 + 1 more...", at most three addresses, or <none>. */
function formatEndpoints(endpoints: KubeObject): string {
	const subsets: Array<{addresses?: Array<{ip: string}>; ports?: Array<{port: number}>}> = endpoints.subsets ?? [];
	if (subsets.length === 0) return '<none>';
	const max = 3;
	const list: string[] = [];
	let count = 0;
	let more = false;
	for (const ss of subsets) {
		const addresses = ss.addresses ?? [];
		const ports = ss.ports ?? [];
		if (ports.length === 0) {
			count += addresses.length;
			for (const a of addresses) {
				if (list.length === max) {
					more = true;
					break;
				}
				list.push(a.ip);
			}
			continue;
		}
		for (const port of ports) {
			count += addresses.length;
			for (const a of addresses) {
				if (list.length === max) {
					more = true;
					break;
				}
				list.push(a.ip.includes(':') ? `[${a.ip}]:${port.port}` : `${a.ip}:${port.port}`);
			}
		}
	}
	const text = list.join(',');
	return more ? `${text} + ${count - max} more...` : text;
}

const endpointsPrinter: Printer = {
	columns: [nameColumn, column('Endpoints', 'The addresses and ports of the ready pods behind the service.'), ageColumn],
	row: (ep, now) => ({cells: [ep.metadata.name ?? '', formatEndpoints(ep), since(ep.metadata.creationTimestamp, now)]}),
};

// ---- nodes and namespaces ----

function nodeRoles(node: KubeObject): string {
	const roles = new Set<string>();
	for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
		if (k.startsWith('node-role.kubernetes.io/')) {
			const role = k.slice('node-role.kubernetes.io/'.length);
			if (role) roles.add(role);
		} else if (k === 'kubernetes.io/role' && v) roles.add(v);
	}
	return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(node: KubeObject, type: string): string {
	return (node.status?.addresses ?? []).find((a: {type: string}) => a.type === type)?.address ?? '<none>';
}

const nodePrinter: Printer = {
	columns: [
		nameColumn,
		column('Status', 'The status of the node'),
		column('Roles', 'The roles of the node'),
		ageColumn,
		column('Version', 'Kubelet Version reported by the node.'),
		column('Internal-IP', 'The node address of type InternalIP.', wide),
		column('External-IP', 'The node address of type ExternalIP.', wide),
		column('OS-Image', 'The OS image reported by the node.', wide),
		column('Kernel-Version', 'The kernel version reported by the node.', wide),
		column('Container-Runtime', 'The container runtime version reported by the node.', wide),
	],
	row(node, now) {
		const ready = (node.status?.conditions ?? []).find((c: {type: string}) => c.type === 'Ready');
		const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
		if (node.spec?.unschedulable) status.push('SchedulingDisabled');
		const info = node.status?.nodeInfo ?? {};
		return {
			cells: [
				node.metadata.name ?? '',
				status.join(','),
				nodeRoles(node),
				since(node.metadata.creationTimestamp, now),
				info.kubeletVersion ?? '',
				nodeAddress(node, 'InternalIP'),
				nodeAddress(node, 'ExternalIP'),
				info.osImage || '<unknown>',
				info.kernelVersion || '<unknown>',
				info.containerRuntimeVersion || '<unknown>',
			],
		};
	},
};

const namespacePrinter: Printer = {
	columns: [nameColumn, column('Status', 'The status of the namespace'), ageColumn],
	row: (ns, now) => ({cells: [ns.metadata.name ?? '', ns.status?.phase ?? '', since(ns.metadata.creationTimestamp, now)]}),
};

// ---- events ----

const eventPrinter: Printer = {
	columns: [
		column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
		column('Type', 'Type of this event (Normal, Warning).'),
		column('Reason', 'A short, machine understandable string that gives the reason for the transition.'),
		column('Object', 'The object that this event is about.'),
		column('Subobject', 'The part of the object the event is about, like a container.', wide),
		column('Source', 'The component reporting this event.', wide),
		column('Message', 'A human-readable description of the status of this operation.'),
		column('First Seen', 'The time at which the event was first recorded.', wide),
		column('Count', 'The number of times this event has occurred.', wide),
		column('Name', 'Name must be unique within a namespace.', {format: 'name', priority: 1}),
	],
	row(ev, now) {
		const firstSeen = ev.firstTimestamp ? since(ev.firstTimestamp, now) : since(ev.eventTime, now);
		let lastSeen = ev.lastTimestamp ? since(ev.lastTimestamp, now) : firstSeen;
		let count: number = ev.count ?? 0;
		if (ev.series) {
			lastSeen = since(ev.series.lastObservedTime, now);
			count = ev.series.count ?? 0;
		} else if (count === 0) {
			count = 1;
		}
		const involved = ev.involvedObject ?? {};
		const kind = String(involved.kind ?? '').toLowerCase();
		const target = involved.name ? `${kind}/${involved.name}` : kind;
		const component = ev.source?.component || ev.reportingComponent || '';
		const instance = ev.source?.host || ev.reportingInstance || '';
		return {
			cells: [
				lastSeen,
				ev.type ?? '',
				ev.reason ?? '',
				target,
				involved.fieldPath ?? '',
				instance ? `${component}, ${instance}` : component,
				String(ev.message ?? '').trim(),
				firstSeen,
				count,
				ev.metadata.name ?? '',
			],
		};
	},
};

// Resources without a printer of their own get the server's default columns.
const defaultPrinter: Printer = {
	columns: [nameColumn, column('Created At', 'When the object was created.', {type: 'date'})],
	row: o => ({cells: [o.metadata.name ?? '', o.metadata.creationTimestamp ?? '']}),
};

const printers: Record<string, Printer> = {
	pods: podPrinter,
	replicasets: replicaSetPrinter,
	deployments: deploymentPrinter,
	services: servicePrinter,
	endpoints: endpointsPrinter,
	nodes: nodePrinter,
	namespaces: namespacePrinter,
	events: eventPrinter,
};

/** The row's `object`: the object, its PartialObjectMetadata, or nothing. */
function rowObject(o: KubeObject, includeObject: IncludeObject): unknown {
	if (includeObject === 'None') return null;
	if (includeObject === 'Metadata') return {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata};
	return o;
}

/**
 * A meta.k8s.io/v1 Table of the objects of one resource (plural, e.g. 'pods'), with the real API server's
 * columns and cells. For a GET of one object, pass it alone. Objects should carry apiVersion and kind, as the
 * row's object is handed to the client as is.
 */
export function toTable(resource: string, objects: KubeObject[], options: TableOptions): Table {
	const printer = printers[resource] ?? defaultPrinter;
	return {
		kind: 'Table',
		apiVersion: 'meta.k8s.io/v1',
		metadata: {resourceVersion: options.listMeta.resourceVersion, ...(options.listMeta.continue ? {continue: options.listMeta.continue} : {})},
		columnDefinitions: options.noHeaders ? [] : printer.columns,
		rows: objects.map(o => ({...printer.row(o, options.now), object: rowObject(o, options.includeObject)})),
	};
}
