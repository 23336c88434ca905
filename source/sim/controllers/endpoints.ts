// The endpoints controller, after pkg/controller/endpoint: for every Service with a selector, an Endpoints
// object listing the selected pods' IPs (ready ones under addresses, others under notReadyAddresses) with the
// Service's ports resolved against each pod. A terminating pod leaves the list only `lagMs` after its
// termination began (or after it vanished), standing in for the delay before kube-proxy on every node stops
// sending it traffic: the window in which a pod without a preStop delay drops requests.
import type {Controller, ControllerManager} from './manager.js';
import type {KubeObject, StoreEvent} from '../store.js';
import {isPodReady, isPodTerminal, isoSeconds, jsonEqual, keyOf, mapSelectorMatches, simNow, splitKey} from './util.js';

export type EndpointsOptions = {
	/** Simulated ms between a pod's termination and its removal from endpoints. @default 0 */
	lagMs?: number;
};

type Leaving = {since: number; ready: boolean; pod: KubeObject};

type EndpointPort = {name?: string; port: number; protocol: string; appProtocol?: string};

/** Maintains Endpoints for Services. */
export class EndpointsController implements Controller {
	readonly name = 'endpoints';
	private readonly lagMs: number;
	private readonly leaving = new Map<string, Leaving>();

	constructor(
		private readonly m: ControllerManager,
		options: EndpointsOptions = {},
	) {
		this.lagMs = Math.max(0, options.lagMs ?? 0);
	}

	private get store() {
		return this.m.store;
	}

	handle(e: StoreEvent): void {
		if (e.resource === 'services') {
			this.m.enqueue(this.name, keyOf(e.object));
			return;
		}
		if (e.resource !== 'pods') return;
		const pod = e.object;
		const uid = pod.metadata.uid!;
		const now = simNow(this.m.clock);
		if (pod.metadata.deletionTimestamp || e.type === 'DELETED') {
			// Remember what the data plane still believes about the pod until the lag has passed.
			const known = this.leaving.get(uid);
			if (!known) this.leaving.set(uid, {since: now, ready: isPodReady(pod), pod: structuredClone(pod)});
			else if (e.type !== 'DELETED') known.pod = structuredClone(pod);
		}
		for (const svc of this.store.list('services', pod.metadata.namespace).items) {
			if (svc.spec?.selector && Object.keys(svc.spec.selector).length > 0) this.m.enqueue(this.name, keyOf(svc));
		}
	}

	sync(key: string): void {
		const {namespace, name} = splitKey(key);
		const svc = this.store.get('services', namespace, name);
		if (!svc) {
			if (this.store.get('endpoints', namespace, name)) this.store.delete('endpoints', namespace, name);
			return;
		}
		const selector: Record<string, string> | undefined = svc.spec?.selector;
		if (!selector || Object.keys(selector).length === 0) return;

		const now = simNow(this.m.clock);
		const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
		const candidates: {pod: KubeObject; ready: boolean}[] = [];
		const seen = new Set<string>();
		let nextExpiry = Number.POSITIVE_INFINITY;
		for (const pod of this.store.list('pods', namespace).items) {
			seen.add(pod.metadata.uid!);
			if (!mapSelectorMatches(selector, pod.metadata.labels)) continue;
			if (isPodTerminal(pod) || !pod.status?.podIP) continue;
			if (pod.metadata.deletionTimestamp && !publishNotReady) {
				const leaving = this.leaving.get(pod.metadata.uid!) ?? {since: now, ready: isPodReady(pod), pod};
				if (now >= leaving.since + this.lagMs) continue;
				nextExpiry = Math.min(nextExpiry, leaving.since + this.lagMs);
				candidates.push({pod, ready: leaving.ready});
				continue;
			}
			candidates.push({pod, ready: publishNotReady || isPodReady(pod)});
		}
		// Pods already gone from the store, still inside the lag.
		for (const [uid, leaving] of this.leaving) {
			if (now >= leaving.since + this.lagMs) {
				// Forget a pod only once it is gone: a terminating pod still in the store must stay out of the
				// endpoints, and without its entry the next sync would treat it as just starting to leave.
				if (!seen.has(uid)) this.leaving.delete(uid);
				continue;
			}
			if (seen.has(uid) || leaving.pod.metadata.namespace !== namespace) continue;
			if (!mapSelectorMatches(selector, leaving.pod.metadata.labels) || !leaving.pod.status?.podIP) continue;
			nextExpiry = Math.min(nextExpiry, leaving.since + this.lagMs);
			candidates.push({pod: leaving.pod, ready: leaving.ready});
		}
		if (Number.isFinite(nextExpiry)) this.m.enqueueAfter(this.name, key, Math.max(1, nextExpiry - now));

		const subsets = new Map<string, {addresses: any[]; notReadyAddresses: any[]; ports: EndpointPort[]}>();
		for (const {pod, ready} of candidates) {
			const ports = endpointPorts(svc, pod);
			if (ports === undefined) continue;
			const portKey = JSON.stringify(ports);
			let subset = subsets.get(portKey);
			if (!subset) {
				subset = {addresses: [], notReadyAddresses: [], ports};
				subsets.set(portKey, subset);
			}
			const address: any = {ip: pod.status.podIP};
			if (pod.spec?.hostname && pod.spec?.subdomain === name) address.hostname = pod.spec.hostname;
			if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
			address.targetRef = {kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid};
			(ready ? subset.addresses : subset.notReadyAddresses).push(address);
		}
		const byIP = (a: any, b: any) => compareIPs(a.ip, b.ip) || String(a.targetRef?.uid).localeCompare(String(b.targetRef?.uid));
		const packed = [...subsets.values()].map((s) => {
			const out: any = {};
			if (s.addresses.length) out.addresses = s.addresses.sort(byIP);
			if (s.notReadyAddresses.length) out.notReadyAddresses = s.notReadyAddresses.sort(byIP);
			if (s.ports.length) out.ports = s.ports;
			return out;
		});

		const labels: Record<string, string> = {...svc.metadata.labels};
		if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
		const existing = this.store.get('endpoints', namespace, name);
		const wanted: KubeObject = {
			apiVersion: 'v1',
			kind: 'Endpoints',
			metadata: {
				name,
				namespace,
				...(Object.keys(labels).length ? {labels} : {}),
				annotations: {'endpoints.kubernetes.io/last-change-trigger-time': isoSeconds(this.m.clock.now())},
			},
		};
		if (packed.length) wanted.subsets = packed;
		if (existing) {
			const sameSubsets = jsonEqual(existing.subsets ?? [], wanted.subsets ?? []);
			const sameLabels = jsonEqual(existing.metadata.labels ?? {}, labels);
			if (sameSubsets && sameLabels) return;
			const next: KubeObject = {
				...existing,
				metadata: {
					...existing.metadata,
					labels: wanted.metadata.labels,
					annotations: {...existing.metadata.annotations, ...wanted.metadata.annotations},
				},
			};
			if (!wanted.metadata.labels) delete next.metadata.labels;
			delete next.metadata.resourceVersion;
			if (wanted.subsets) next.subsets = wanted.subsets;
			else delete next.subsets;
			this.store.update('endpoints', next);
			return;
		}
		this.store.create('endpoints', wanted);
	}
}

/** The Service's ports resolved for one pod (named targetPorts look up the pod's container ports). */
function endpointPorts(svc: KubeObject, pod: KubeObject): EndpointPort[] | undefined {
	const ports: any[] = svc.spec?.ports ?? [];
	if (ports.length === 0) return [];
	const out: EndpointPort[] = [];
	for (const sp of ports) {
		const target = sp.targetPort ?? sp.port;
		let port: number | undefined;
		if (typeof target === 'number') {
			port = target;
		} else if (/^\d+$/.test(String(target))) {
			port = Number(target);
		} else {
			for (const c of pod.spec?.containers ?? []) {
				const found = (c.ports ?? []).find((p: any) => p.name === target && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'));
				if (found) {
					port = found.containerPort;
					break;
				}
			}
		}
		if (port === undefined) continue;
		const ep: EndpointPort = {port, protocol: sp.protocol ?? 'TCP'};
		if (sp.name) ep.name = sp.name;
		if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
		out.push(ep);
	}
	return out.length === 0 && ports.length > 0 ? undefined : out;
}

function compareIPs(a: string, b: string): number {
	const pa = a.split('.').map(Number);
	const pb = b.split('.').map(Number);
	for (let i = 0; i < 4; i++) {
		if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
	}
	return 0;
}
