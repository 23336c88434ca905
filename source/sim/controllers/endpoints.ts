// The endpoints controller, after pkg/controller/endpoint: for every Service with a selector, an Endpoints
// object listing the selected pods' IPs (ready ones under addresses, others under notReadyAddresses) with the
// Service's ports resolved against each pod. A terminating pod leaves the list only `lagMs` after its
// termination began (or after it vanished), standing in for the delay before kube-proxy on every node stops
// sending it traffic: the window in which a pod without a preStop delay drops requests.
import {labelPairs} from '../indexer.js';
import type {KubeObject} from '../store.js';
import type {Informer} from './informer.js';
import type {Controller, ControllerManager, WorkQueue} from './manager.js';
import {isPodReady, isPodTerminal, isoSeconds, jsonEqual, keyOf, mapSelectorMatches, simNow, splitKey} from './util.js';

export type EndpointsOptions = {
	/** Simulated ms between a pod's termination and its removal from endpoints. @default 0 */
	lagMs?: number;
};

type Leaving = {since: number; ready: boolean; pod: KubeObject};

/** Objects by label pair (`app=web`): the pods a Service's selector picks, without a walk of the namespace. */
export const byLabel = 'byLabel';

// An Endpoints object holds at most this many addresses; beyond it the controller truncates and says so in
// the endpoints.kubernetes.io/over-capacity annotation, as the real one does (EndpointSlices hold the rest).
export const maxCapacity = 1000;
const overCapacityAnnotation = 'endpoints.kubernetes.io/over-capacity';

type EndpointPort = {name?: string; port: number; protocol: string; appProtocol?: string};

/** Maintains Endpoints for Services. */
export class EndpointsController implements Controller {
	readonly name = 'endpoints';
	private readonly lagMs: number;
	private readonly leaving = new Map<string, Leaving>();
	private readonly queue: WorkQueue;
	private readonly services: Informer;
	private readonly pods: Informer;
	private readonly endpoints: Informer;

	constructor(
		private readonly m: ControllerManager,
		options: EndpointsOptions = {},
	) {
		this.lagMs = Math.max(0, options.lagMs ?? 0);
		this.queue = m.queue(this);
		this.services = m.informers.informer('services');
		this.pods = m.informers.informer('pods');
		this.pods.addIndexer(byLabel, labelPairs);
		this.endpoints = m.informers.informer('endpoints');
		const serviceChanged = (svc: KubeObject) => this.queue.add(keyOf(svc));
		this.services.addEventHandler({add: serviceChanged, update: (_old, svc) => serviceChanged(svc), delete: serviceChanged}, this.name);
		this.pods.addEventHandler(
			{
				add: (pod) => this.podChanged(undefined, pod, false),
				update: (old, pod) => this.podChanged(old, pod, false),
				delete: (pod) => this.podChanged(undefined, pod, true),
			},
			this.name,
		);
	}

	private get store() {
		return this.m.store;
	}

	// A pod changed: the Services that select it (before or after the change) sync.
	private podChanged(old: KubeObject | undefined, pod: KubeObject, deleted: boolean): void {
		const uid = pod.metadata.uid!;
		const now = simNow(this.m.clock);
		if (pod.metadata.deletionTimestamp || deleted) {
			// Remember what the data plane still believes about the pod until the lag has passed.
			const known = this.leaving.get(uid);
			if (!known) this.leaving.set(uid, {since: now, ready: isPodReady(pod), pod});
			else if (!deleted) known.pod = pod;
		}
		for (const svc of this.services.list(pod.metadata.namespace)) {
			const selector = svc.spec?.selector;
			if (mapSelectorMatches(selector, pod.metadata.labels) || (old && mapSelectorMatches(selector, old.metadata.labels))) {
				this.queue.add(keyOf(svc));
			}
		}
	}

	// Whether a pod remembered as leaving is still stored (terminating, not yet removed).
	private stillStored(pod: KubeObject): boolean {
		return this.pods.get(pod.metadata.namespace, pod.metadata.name!)?.metadata.uid === pod.metadata.uid;
	}

	// The pods a selector picks, read through the label index of its rarest pair.
	private selectedPods(namespace: string | undefined, selector: Record<string, string>): KubeObject[] {
		let best: string | undefined;
		let size = Number.POSITIVE_INFINITY;
		for (const [k, v] of Object.entries(selector)) {
			const n = this.pods.countByIndex(byLabel, `${k}=${v}`);
			if (n < size) {
				size = n;
				best = `${k}=${v}`;
			}
		}
		if (best === undefined) return [];
		return this.pods
			.byIndex(byLabel, best)
			.filter((p) => p.metadata.namespace === namespace && mapSelectorMatches(selector, p.metadata.labels));
	}

	sync(key: string): void {
		const {namespace, name} = splitKey(key);
		const svc = this.services.get(namespace, name);
		if (!svc) {
			if (this.endpoints.has(namespace, name)) this.store.delete('endpoints', namespace, name);
			return;
		}
		const selector: Record<string, string> | undefined = svc.spec?.selector;
		if (!selector || Object.keys(selector).length === 0) return;

		const now = simNow(this.m.clock);
		const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
		const candidates: {pod: KubeObject; ready: boolean}[] = [];
		const seen = new Set<string>();
		let nextExpiry = Number.POSITIVE_INFINITY;
		for (const pod of this.selectedPods(namespace, selector)) {
			seen.add(pod.metadata.uid!);
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
				if (!this.stillStored(leaving.pod)) this.leaving.delete(uid);
				continue;
			}
			if (seen.has(uid) || leaving.pod.metadata.namespace !== namespace || this.stillStored(leaving.pod)) continue;
			if (!mapSelectorMatches(selector, leaving.pod.metadata.labels) || !leaving.pod.status?.podIP) continue;
			nextExpiry = Math.min(nextExpiry, leaving.since + this.lagMs);
			candidates.push({pod: leaving.pod, ready: leaving.ready});
		}
		if (Number.isFinite(nextExpiry)) this.queue.addAfter(key, Math.max(1, nextExpiry - now));

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
		for (const s of subsets.values()) {
			s.addresses.sort(byIP);
			s.notReadyAddresses.sort(byIP);
		}
		const truncated = truncateEndpoints([...subsets.values()]);
		const packed = [...subsets.values()].map((s) => {
			const out: any = {};
			if (s.addresses.length) out.addresses = s.addresses;
			if (s.notReadyAddresses.length) out.notReadyAddresses = s.notReadyAddresses;
			if (s.ports.length) out.ports = s.ports;
			return out;
		});

		const labels: Record<string, string> = {...svc.metadata.labels};
		if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
		const existing = this.endpoints.get(namespace, name);
		const annotations: Record<string, string> = {'endpoints.kubernetes.io/last-change-trigger-time': isoSeconds(this.m.clock.now())};
		if (truncated) annotations[overCapacityAnnotation] = 'truncated';
		const wanted: KubeObject = {
			apiVersion: 'v1',
			kind: 'Endpoints',
			metadata: {name, namespace, ...(Object.keys(labels).length ? {labels} : {}), annotations},
		};
		if (packed.length) wanted.subsets = packed;
		if (existing) {
			const sameSubsets = jsonEqual(existing.subsets ?? [], wanted.subsets ?? []);
			const sameLabels = jsonEqual(existing.metadata.labels ?? {}, labels);
			const sameCapacity = (existing.metadata.annotations?.[overCapacityAnnotation] === 'truncated') === truncated;
			if (sameSubsets && sameLabels && sameCapacity) return;
			const {[overCapacityAnnotation]: _over, ...kept} = existing.metadata.annotations ?? {};
			const next: KubeObject = {
				...existing,
				metadata: {
					...existing.metadata,
					labels: wanted.metadata.labels,
					annotations: {...kept, ...annotations},
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

/**
 * Keeps at most maxCapacity addresses, shared out over the subsets in proportion to their sizes (rounded up,
 * the last subset taking what is left), ready ones first, as the real controller's truncateEndpoints does.
 * Returns whether anything was cut.
 */
function truncateEndpoints(subsets: {addresses: any[]; notReadyAddresses: any[]}[]): boolean {
	let totalReady = 0;
	let totalNotReady = 0;
	for (const s of subsets) {
		totalReady += s.addresses.length;
		totalNotReady += s.notReadyAddresses.length;
	}
	if (totalReady + totalNotReady <= maxCapacity) return false;
	const truncateReady = totalReady > maxCapacity;
	const max = truncateReady ? maxCapacity : maxCapacity - totalReady;
	const numTotal = truncateReady ? totalReady : totalNotReady;
	let canBeAdded = max;
	for (const s of subsets) {
		const inSubset = truncateReady ? s.addresses.length : s.notReadyAddresses.length;
		const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
		if (truncateReady) {
			s.addresses = s.addresses.slice(0, toBeAdded);
			s.notReadyAddresses = [];
			canBeAdded -= s.addresses.length;
		} else {
			s.notReadyAddresses = s.notReadyAddresses.slice(0, toBeAdded);
			canBeAdded -= s.notReadyAddresses.length;
		}
	}
	return true;
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
