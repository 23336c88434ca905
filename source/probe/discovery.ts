// Where to probe a deployment from the cockpit's machine: the Services that select its pods, and for a
// NodePort (or LoadBalancer) Service the URL of a Ready node's port; a ClusterIP-only Service is not
// reachable from outside the cluster, and the user is told what to do instead.
// The choice is a pure function over Service and Node objects; fetchProbeTarget is the thin I/O around it.
import type {Connection} from '../kube/connect.js';
import {ApiRequestError, requestJson} from '../kube/http.js';
import type {Deployment} from '../model/types.js';

// The parts of a core/v1 ServicePort discovery reads.
export type ServicePortLike = {name?: string; protocol?: string; port?: number; nodePort?: number};

// The parts of a core/v1 Service discovery reads.
export type ServiceLike = {
	metadata?: {name?: string; namespace?: string} | null;
	spec?: {
		type?: string;
		selector?: Record<string, string> | null;
		clusterIP?: string;
		ports?: ServicePortLike[] | null;
	} | null;
	status?: {loadBalancer?: {ingress?: Array<{ip?: string; hostname?: string}> | null} | null} | null;
};

// The parts of a core/v1 Node discovery reads.
export type NodeLike = {
	metadata?: {name?: string} | null;
	status?: {
		conditions?: Array<{type?: string; status?: string}> | null;
		addresses?: Array<{type?: string; address?: string}> | null;
	} | null;
};

// A URL to probe and how it was found, or why there is none and what the user can do.
export type ProbeTarget =
	| {kind: 'url'; url: string; service: string; how: string}
	| {kind: 'unreachable'; service?: string; message: string};

// The Services whose selector picks the deployment's pods (every selector label is on the pod template),
// by name. A Service without a selector selects nothing: its endpoints are managed by hand.
export function matchingServices(deployment: Deployment, services: readonly ServiceLike[]): ServiceLike[] {
	const labels = deployment.spec?.template?.metadata?.labels ?? {};
	return services
		.filter((svc) => {
			const selector = svc.spec?.selector ?? {};
			const keys = Object.keys(selector);
			return svc.spec?.type !== 'ExternalName' && keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
		})
		.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

function isReady(node: NodeLike): boolean {
	return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function hostPart(address: string): string {
	return address.includes(':') ? `[${address}]` : address;
}

// A Ready node's address to reach a NodePort on: an ExternalIP when some Ready node has one (the cockpit
// usually runs outside the cluster's network), else an InternalIP; nodes by name, so the choice is stable.
export function nodeAddress(nodes: readonly NodeLike[]): {node: string; address: string} | undefined {
	const ready = nodes.filter(isReady).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
	for (const type of ['ExternalIP', 'InternalIP']) {
		for (const node of ready) {
			const addr = (node.status?.addresses ?? []).find((a) => a.type === type && a.address);
			if (addr?.address) return {node: node.metadata?.name ?? '', address: addr.address};
		}
	}
	return undefined;
}

// The port a person would curl: one named http, else 80, else 8080, else the first TCP port.
function preferredPort(ports: readonly ServicePortLike[]): ServicePortLike | undefined {
	const tcp = ports.filter((p) => (p.protocol ?? 'TCP') === 'TCP');
	return tcp.find((p) => p.name === 'http') ?? tcp.find((p) => p.port === 80) ?? tcp.find((p) => p.port === 8080) ?? tcp[0];
}

function schemeOf(port: ServicePortLike): string {
	return port.name === 'https' || port.port === 443 ? 'https' : 'http';
}

// What can be probed through one Service, given the cluster's nodes.
export function targetForService(svc: ServiceLike, nodes: readonly NodeLike[]): ProbeTarget {
	const name = svc.metadata?.name ?? '';
	const type = svc.spec?.type ?? 'ClusterIP';
	const port = preferredPort(svc.spec?.ports ?? []);
	if (!port) return {kind: 'unreachable', service: name, message: `service ${name} has no TCP port to probe; pass --probe URL`};
	const ingress = (svc.status?.loadBalancer?.ingress ?? []).find((i) => i.ip || i.hostname);
	if (type === 'LoadBalancer' && ingress && port.port) {
		const host = ingress.ip ? hostPart(ingress.ip) : ingress.hostname;
		return {
			kind: 'url',
			url: `${schemeOf(port)}://${host}:${port.port}/`,
			service: name,
			how: `load balancer of service ${name}, port ${port.port}`,
		};
	}
	if ((type === 'NodePort' || type === 'LoadBalancer') && port.nodePort) {
		const node = nodeAddress(nodes);
		if (!node) {
			return {
				kind: 'unreachable',
				service: name,
				message: `service ${name} has NodePort ${port.nodePort}, but no Ready node has an address; pass --probe URL`,
			};
		}
		return {
			kind: 'url',
			url: `${schemeOf(port)}://${hostPart(node.address)}:${port.nodePort}/`,
			service: name,
			how: `NodePort ${port.nodePort} of service ${name} on node ${node.node}`,
		};
	}
	const local = port.port === 80 || port.port === undefined ? 8080 : port.port;
	return {
		kind: 'unreachable',
		service: name,
		message:
			`service ${name} is ${type} only: not reachable from here. Pass --probe URL, or run ` +
			`\`kubectl port-forward svc/${name} ${local}:${port.port ?? 80}\` and probe http://127.0.0.1:${local}/ ` +
			'(a port-forward goes to one pod, so it will not show endpoints changing)',
	};
}

// The probe target of a deployment: the first matching Service (by name) that gives a URL, else the reason
// the first one cannot be reached, else a message that no Service selects the pods.
export function discoverProbeTarget(deployment: Deployment, services: readonly ServiceLike[], nodes: readonly NodeLike[]): ProbeTarget {
	const matching = matchingServices(deployment, services);
	const targets = matching.map((svc) => targetForService(svc, nodes));
	const reachable = targets.find((t) => t.kind === 'url');
	if (reachable) return reachable;
	if (targets.length > 0) return targets[0];
	const name = deployment.metadata?.name ?? '';
	const labels = Object.entries(deployment.spec?.template?.metadata?.labels ?? {})
		.map(([k, v]) => `${k}=${v}`)
		.join(',');
	return {
		kind: 'unreachable',
		message:
			`no Service selects the pods of deployment ${name} (${labels || 'no labels'}); ` +
			`run \`kubectl expose deployment ${name} --type=NodePort --port=80\` or pass --probe URL`,
	};
}

// Reads the deployment, the namespace's Services and the nodes through the data layer, and discovers the
// probe target. Nodes may be forbidden to a namespaced user: then a NodePort cannot be placed, and the message says so.
export async function fetchProbeTarget(conn: Connection, deployment: Deployment | string, signal?: AbortSignal): Promise<ProbeTarget> {
	const ns = encodeURIComponent(conn.namespace);
	const dep =
		typeof deployment === 'string'
			? await requestJson<Deployment>(conn, `/apis/apps/v1/namespaces/${ns}/deployments/${encodeURIComponent(deployment)}`, {signal})
			: deployment;
	const services = (await requestJson<{items?: ServiceLike[]}>(conn, `/api/v1/namespaces/${ns}/services`, {signal})).items ?? [];
	let nodes: NodeLike[] = [];
	let nodeError: string | undefined;
	try {
		nodes = (await requestJson<{items?: NodeLike[]}>(conn, '/api/v1/nodes', {signal})).items ?? [];
	} catch (err) {
		nodeError = err instanceof ApiRequestError && err.status === 403 ? 'listing nodes is forbidden' : (err as Error).message;
	}
	const target = discoverProbeTarget(dep, services, nodes);
	if (target.kind === 'unreachable' && nodeError && /no Ready node/.test(target.message)) {
		return {...target, message: `${target.message.replace(/; pass --probe URL$/, '')} (${nodeError}); pass --probe URL`};
	}
	return target;
}
