// The endpoints controller, after pkg/controller/endpoint: for every Service with a selector, an Endpoints
// object listing the selected pods' IPs (ready ones under addresses, others under notReadyAddresses) with the
// Service's ports resolved against each pod. A terminating pod leaves the list only `lagMs` after its
// termination began (or after it vanished), standing in for the delay before kube-proxy on every node stops
// sending it traffic: the window in which a pod without a preStop delay drops requests.
//
// Each Service's members are kept from one sync to the next, in IP order, and a sync recomputes only the pods
// that changed since (and the leaving ones whose lag ran out): a readiness flap in a Service of 20,000 pods moves
// one address, it does not rebuild and sort 20,000. The whole Service is recomputed when its spec changes.
import {labelPairs} from '../indexer.js';
import type {KubeObject} from '../store.js';
import type {Informer} from './informer.js';
import type {Controller, ControllerManager, WorkQueue} from './manager.js';
import {isPodReady, isPodTerminal, isoSeconds, keyOf, mapSelectorMatches, simNow, splitKey} from './util.js';

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

/** One pod in a Service's endpoints: its address, where it sorts, and when a leaving pod drops out. */
type Member = {uid: string; ipKey: number; ready: boolean; portsKey: string; ports: EndpointPort[]; expires: number; address: any};

/** The addresses of one port set, ready and not, each in IP order. */
type Subset = {ports: EndpointPort[]; ready: Member[]; notReady: Member[]};

/** The members one subset of a written Endpoints lists (after truncation). */
type KeptList = {portsKey: string; ready: Member[]; notReady: Member[]};

/** What the controller keeps of one Service between syncs. */
type ServiceState = {
	/** The spec the members were computed for: when it changes, everything is recomputed. */
	specKey: string;
	members: Map<string, Member>;
	subsets: Map<string, Subset>;
	/** Pods changed since the last sync, by uid, as last seen. */
	dirty: Map<string, KubeObject>;
	/** Members with a lag running out. */
	expiring: Set<string>;
	/** The Endpoints last written (resourceVersion) and the members it lists, per subset. */
	written?: {rv: string; lists: KeptList[]};
	/** A change since the last write may show in the Endpoints (beyond maxCapacity, most cannot). */
	visibleChange: boolean;
};

/** Maintains Endpoints for Services. */
export class EndpointsController implements Controller {
	readonly name = 'endpoints';
	private readonly lagMs: number;
	private readonly leaving = new Map<string, Leaving>();
	private readonly states = new Map<string, ServiceState>();
	private readonly queue: WorkQueue;
	private readonly services: Informer;
	private readonly pods: Informer;
	private readonly endpoints: Informer;
	private lastSweep = Number.NEGATIVE_INFINITY;

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

	// A pod changed: the Services that select it (before or after the change) sync, and recompute it.
	private podChanged(old: KubeObject | undefined, pod: KubeObject, deleted: boolean): void {
		const uid = pod.metadata.uid!;
		if (pod.metadata.deletionTimestamp || deleted) {
			// Remember what the data plane still believes about the pod until the lag has passed.
			const known = this.leaving.get(uid);
			if (!known) this.leaving.set(uid, {since: simNow(this.m.clock), ready: isPodReady(pod), pod});
			else if (!deleted) known.pod = pod;
		}
		for (const svc of this.services.list(pod.metadata.namespace)) {
			const selector = svc.spec?.selector;
			if (mapSelectorMatches(selector, pod.metadata.labels) || (old && mapSelectorMatches(selector, old.metadata.labels))) {
				const key = keyOf(svc);
				this.states.get(key)?.dirty.set(uid, pod);
				this.queue.add(key);
			}
		}
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
			this.states.delete(key);
			if (this.endpoints.has(namespace, name)) this.store.delete('endpoints', namespace, name);
			return;
		}
		const selector: Record<string, string> | undefined = svc.spec?.selector;
		if (!selector || Object.keys(selector).length === 0) {
			this.states.delete(key);
			return;
		}
		const now = simNow(this.m.clock);
		const state = this.stateOf(svc, now);
		for (const [uid, pod] of state.dirty) this.refresh(svc, state, uid, pod, now);
		state.dirty.clear();
		let nextExpiry = Number.POSITIVE_INFINITY;
		for (const uid of [...state.expiring]) {
			const member = state.members.get(uid);
			if (!member || !Number.isFinite(member.expires)) state.expiring.delete(uid);
			else if (member.expires <= now) this.refresh(svc, state, uid, undefined, now);
			else nextExpiry = Math.min(nextExpiry, member.expires);
		}
		if (Number.isFinite(nextExpiry)) this.queue.addAfter(key, Math.max(1, nextExpiry - now));
		this.sweepLeaving(now);
		this.write(svc, state);
	}

	// The Service's state, recomputed from all its pods when it is new or its spec changed.
	private stateOf(svc: KubeObject, now: number): ServiceState {
		const key = keyOf(svc);
		const specKey = JSON.stringify([svc.spec?.selector, svc.spec?.ports, svc.spec?.publishNotReadyAddresses === true]);
		const known = this.states.get(key);
		if (known?.specKey === specKey) return known;
		const state: ServiceState = {
			specKey,
			members: new Map(),
			subsets: new Map(),
			dirty: new Map(),
			expiring: new Set(),
			visibleChange: true,
		};
		this.states.set(key, state);
		const seen = new Set<string>();
		for (const pod of this.selectedPods(svc.metadata.namespace, svc.spec.selector)) {
			seen.add(pod.metadata.uid!);
			this.refresh(svc, state, pod.metadata.uid!, pod, now);
		}
		// Pods already gone from the store, still inside the lag.
		for (const [uid, leaving] of this.leaving) {
			if (!seen.has(uid) && leaving.pod.metadata.namespace === svc.metadata.namespace) this.refresh(svc, state, uid, leaving.pod, now);
		}
		return state;
	}

	// Recomputes one pod's membership: from the stored pod, or (gone) from what is remembered of it leaving.
	private refresh(svc: KubeObject, state: ServiceState, uid: string, lastSeen: KubeObject | undefined, now: number): void {
		const before = state.members.get(uid);
		const ref = lastSeen ?? this.leaving.get(uid)?.pod;
		const stored = ref && this.pods.get(ref.metadata.namespace, ref.metadata.name!);
		const after = this.memberOf(svc, uid, stored?.metadata.uid === uid ? stored : undefined, now);
		if (before) removeMember(state, before);
		if (after) addMember(state, after);
		if (after && Number.isFinite(after.expires)) state.expiring.add(uid);
		else state.expiring.delete(uid);
	}

	// Whether and how a pod belongs in the Service's endpoints now.
	private memberOf(svc: KubeObject, uid: string, stored: KubeObject | undefined, now: number): Member | undefined {
		const selector: Record<string, string> = svc.spec.selector;
		const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
		let pod: KubeObject;
		let ready: boolean;
		let expires = Number.POSITIVE_INFINITY;
		if (stored) {
			pod = stored;
			if (!mapSelectorMatches(selector, pod.metadata.labels) || isPodTerminal(pod) || !pod.status?.podIP) return undefined;
			if (pod.metadata.deletionTimestamp && !publishNotReady) {
				const leaving = this.leaving.get(uid) ?? {since: now, ready: isPodReady(pod), pod};
				if (now >= leaving.since + this.lagMs) return undefined;
				ready = leaving.ready;
				expires = leaving.since + this.lagMs;
			} else {
				ready = publishNotReady || isPodReady(pod);
			}
		} else {
			// Gone from the store: listed until the lag has passed.
			const leaving = this.leaving.get(uid);
			if (!leaving || now >= leaving.since + this.lagMs) return undefined;
			pod = leaving.pod;
			if (!mapSelectorMatches(selector, pod.metadata.labels) || !pod.status?.podIP) return undefined;
			ready = leaving.ready;
			expires = leaving.since + this.lagMs;
		}
		const ports = endpointPorts(svc, pod);
		if (ports === undefined) return undefined;
		const address: any = {ip: pod.status.podIP};
		if (pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name) address.hostname = pod.spec.hostname;
		if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
		address.targetRef = Object.freeze({kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid});
		// Frozen, so that the store keeps the very object in every Endpoints written while the pod is a member: a write
		// copies and compares only the lists, not 1,000 addresses.
		Object.freeze(address);
		return {uid, ipKey: ipKey(pod.status.podIP), ready, portsKey: JSON.stringify(ports), ports, expires, address};
	}

	// Forgets leaving pods that are gone and past their lag (at most once a simulated second). A terminating pod
	// still in the store keeps its entry: without it, it would look as if it had only just started to leave.
	private sweepLeaving(now: number): void {
		if (now - this.lastSweep < 1000) return;
		this.lastSweep = now;
		for (const [uid, leaving] of this.leaving) {
			if (now < leaving.since + this.lagMs) continue;
			const stored = this.pods.get(leaving.pod.metadata.namespace, leaving.pod.metadata.name!);
			if (stored?.metadata.uid !== uid) this.leaving.delete(uid);
		}
	}

	// Writes the Endpoints when its addresses, labels or capacity mark differ from what is stored.
	private write(svc: KubeObject, state: ServiceState): void {
		const {namespace, name} = svc.metadata;
		const labels: Record<string, string> = {...svc.metadata.labels};
		if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
		const existing = this.endpoints.get(namespace, name!);
		const sameLabels =
			!!existing && JSON.stringify(sortedEntries(existing.metadata.labels ?? {})) === JSON.stringify(sortedEntries(labels));
		// Nothing that shows changed since our own last write: no need to build and compare the addresses.
		if (!state.visibleChange && sameLabels && existing?.metadata.resourceVersion === state.written?.rv) return;
		state.visibleChange = false;
		const subsets = [...state.subsets.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
		// How many of each list the Endpoints keeps is decided from the counts; only those addresses are read.
		const kept = truncateEndpoints(subsets.map(([, s]) => ({ready: s.ready.length, notReady: s.notReady.length})));
		const truncated = kept !== undefined;
		const lists: KeptList[] = subsets.map(([portsKey, s], i) => ({
			portsKey,
			ready: kept ? s.ready.slice(0, kept[i]!.ready) : s.ready.slice(),
			notReady: kept ? s.notReady.slice(0, kept[i]!.notReady) : s.notReady.slice(),
		}));
		const packed = () =>
			subsets.map(([, s], i) => {
				const out: any = {};
				const {ready, notReady} = lists[i]!;
				if (ready.length) out.addresses = ready.map((m) => m.address);
				if (notReady.length) out.notReadyAddresses = notReady.map((m) => m.address);
				if (s.ports.length) out.ports = s.ports;
				return out;
			});

		const annotations: Record<string, string> = {'endpoints.kubernetes.io/last-change-trigger-time': isoSeconds(this.m.clock.now())};
		if (truncated) annotations[overCapacityAnnotation] = 'truncated';
		if (existing) {
			// Our own last write is compared member by member (no text of 1,000 addresses per sync); anyone else's by
			// its addresses' signature.
			const last = state.written;
			const same =
				last && last.rv === existing.metadata.resourceVersion
					? sameLists(last.lists, lists)
					: subsetsSignature(existing.subsets ?? []) === subsetsSignature(packed());
			const sameCapacity = (existing.metadata.annotations?.[overCapacityAnnotation] === 'truncated') === truncated;
			if (same && sameLabels && sameCapacity) {
				state.written = {rv: existing.metadata.resourceVersion!, lists};
				return;
			}
			const {[overCapacityAnnotation]: _over, ...kept} = existing.metadata.annotations ?? {};
			const {resourceVersion: _rv, labels: _labels, ...metadata} = existing.metadata;
			const next: KubeObject = {
				...existing,
				metadata: {...metadata, ...(Object.keys(labels).length ? {labels} : {}), annotations: {...kept, ...annotations}},
			};
			const body = packed();
			if (body.length) next.subsets = body;
			else delete next.subsets;
			const updated = this.store.update('endpoints', next);
			state.written = {rv: updated.metadata.resourceVersion!, lists};
			return;
		}
		const wanted: KubeObject = {
			apiVersion: 'v1',
			kind: 'Endpoints',
			metadata: {name, namespace, ...(Object.keys(labels).length ? {labels} : {}), annotations},
		};
		const body = packed();
		if (body.length) wanted.subsets = body;
		const created = this.store.create('endpoints', wanted);
		state.written = {rv: created.metadata.resourceVersion!, lists};
	}
}

function addMember(state: ServiceState, m: Member): void {
	const total = state.members.size;
	state.members.set(m.uid, m);
	let subset = state.subsets.get(m.portsKey);
	if (!subset) {
		subset = {ports: m.ports, ready: [], notReady: []};
		state.subsets.set(m.portsKey, subset);
		state.visibleChange = true;
	}
	const list = m.ready ? subset.ready : subset.notReady;
	const i = memberPosition(list, m);
	list.splice(i, 0, m);
	noteChange(state, subset, m.ready, i, total);
}

function removeMember(state: ServiceState, m: Member): void {
	const total = state.members.size;
	state.members.delete(m.uid);
	const subset = state.subsets.get(m.portsKey);
	if (!subset) return;
	const list = m.ready ? subset.ready : subset.notReady;
	const i = memberPosition(list, m);
	if (list[i]?.uid === m.uid) list.splice(i, 1);
	noteChange(state, subset, m.ready, i, total);
	if (subset.ready.length === 0 && subset.notReady.length === 0) {
		state.subsets.delete(m.portsKey);
		state.visibleChange = true;
	}
}

// Whether a change at position `i` of a list can show in the Endpoints: with one subset, a ready address shows
// when among the first maxCapacity, a not-ready one while fewer than maxCapacity are ready; the capacity mark
// shows when the total crosses maxCapacity. With several subsets (shares in proportion) any change may show.
function noteChange(state: ServiceState, subset: Subset, ready: boolean, i: number, totalBefore: number): void {
	if (state.visibleChange) return;
	const crossed = totalBefore > maxCapacity !== state.members.size > maxCapacity;
	const shows = ready ? i < maxCapacity : subset.ready.length < maxCapacity;
	if (crossed || shows || state.subsets.size > 1) state.visibleChange = true;
}

// Where a member sorts in its list: by IP, then by pod uid (the order RepackSubsets leaves them in).
function memberPosition(list: Member[], m: Member): number {
	let lo = 0;
	let hi = list.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		const x = list[mid]!;
		if (x.ipKey < m.ipKey || (x.ipKey === m.ipKey && x.uid < m.uid)) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

function ipKey(ip: string): number {
	const p = ip.split('.').map(Number);
	return (((p[0] ?? 0) * 256 + (p[1] ?? 0)) * 256 + (p[2] ?? 0)) * 256 + (p[3] ?? 0);
}

// Whether two writes list the same addresses: the same port sets, and in each the same pods at the same ip, node
// and hostname, in the same order (what subsetsSignature compares, without building its text).
function sameLists(a: KeptList[], b: KeptList[]): boolean {
	if (a.length !== b.length) return false;
	const sameMembers = (x: Member[], y: Member[]) => {
		if (x.length !== y.length) return false;
		for (let i = 0; i < x.length; i++) {
			const p = x[i]!;
			const q = y[i]!;
			if (p === q) continue;
			if (
				p.uid !== q.uid ||
				p.address.ip !== q.address.ip ||
				p.address.nodeName !== q.address.nodeName ||
				p.address.hostname !== q.address.hostname
			)
				return false;
		}
		return true;
	};
	return a.every((l, i) => l.portsKey === b[i]!.portsKey && sameMembers(l.ready, b[i]!.ready) && sameMembers(l.notReady, b[i]!.notReady));
}

// What decides whether two Endpoints' subsets are the same: ports and each address's ip, pod, node and hostname.
function subsetsSignature(subsets: any[]): string {
	const addresses = (list: any[] | undefined) =>
		(list ?? []).map((a) => `${a.ip},${a.targetRef?.uid ?? ''},${a.nodeName ?? ''},${a.hostname ?? ''}`).join(';');
	return subsets.map((s) => `${JSON.stringify(s.ports ?? [])}|${addresses(s.addresses)}|${addresses(s.notReadyAddresses)}`).join('/');
}

function sortedEntries(o: Record<string, string>): [string, string][] {
	return Object.entries(o).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * How many ready and not-ready addresses of each subset to keep (undefined: all, no more than maxCapacity): at most
 * maxCapacity in all, shared out over the subsets in proportion to their sizes (rounded up, the last subset taking
 * what is left), ready ones first, as the real controller's truncateEndpoints does.
 */
function truncateEndpoints(subsets: {ready: number; notReady: number}[]): {ready: number; notReady: number}[] | undefined {
	let totalReady = 0;
	let totalNotReady = 0;
	for (const s of subsets) {
		totalReady += s.ready;
		totalNotReady += s.notReady;
	}
	if (totalReady + totalNotReady <= maxCapacity) return undefined;
	const truncateReady = totalReady > maxCapacity;
	const max = truncateReady ? maxCapacity : maxCapacity - totalReady;
	const numTotal = truncateReady ? totalReady : totalNotReady;
	let canBeAdded = max;
	return subsets.map((s) => {
		const inSubset = truncateReady ? s.ready : s.notReady;
		const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
		if (truncateReady) {
			const ready = Math.min(s.ready, toBeAdded);
			canBeAdded -= ready;
			return {ready, notReady: 0};
		}
		const notReady = Math.min(s.notReady, toBeAdded);
		canBeAdded -= notReady;
		return {ready: s.ready, notReady};
	});
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
