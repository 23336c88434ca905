// Pod start-up in the simulated kubelet: admission, sandbox and pod IP, image pulls (present, cached, failed,
// ErrImagePull/ImagePullBackOff, Never) and container creation; separate from running and stopping containers.
import {randomBytes} from 'node:crypto';
import type {KubeObject} from '../store.js';
import {lookupImage} from './images.js';
import {fullReference} from './kubelet-process.js';
import type {KubeletRuntime} from './kubelet-runtime.js';
import {type Ctr, initialBackOffMs, maxBackOffMs, type PodRt} from './kubelet-types.js';
import {goDuration, keyOf} from './util.js';

/** Takes on a pod bound to this node: its containers start after the sandbox is ready (unless it is already being deleted). */
export function admit(k: KubeletRuntime, pod: KubeObject): PodRt {
	const node = pod.spec.nodeName as string;
	const makeCtr = newCtr;
	const rt: PodRt = {
		key: keyOf(pod),
		uid: pod.metadata.uid!,
		namespace: pod.metadata.namespace!,
		name: pod.metadata.name!,
		node,
		restartPolicy: pod.spec.restartPolicy ?? 'Always',
		startTime: k.m.clock.now(),
		sandboxReady: false,
		init: (pod.spec.initContainers ?? []).map((c: any) => makeCtr(c, true)),
		app: (pod.spec.containers ?? []).map((c: any) => makeCtr(c, false)),
		terminating: false,
		finished: false,
		gone: false,
		timers: new Set(),
	};
	k.pods.set(rt.key, rt);
	k.writeStatus(rt);
	if (pod.metadata.deletionTimestamp) return rt;
	k.later(rt, undefined, k.timings.sandboxMs, () => {
		rt.sandboxReady = true;
		rt.podIP = allocateIP(k, node);
		k.writeStatus(rt);
		advance(k, rt);
	});
	return rt;
}

/**
 * The first three octets of a node's pod CIDR (a /24 per node, as kubeadm's node IPAM hands them out): node1 has
 * 10.244.1.0/24, node256 10.245.0.0/24. nodeObject writes the same CIDR into the Node's spec.podCIDR.
 */
export function nodeSubnet(node: string): string {
	const n = Number(/(\d+)$/.exec(node)?.[1] ?? '0');
	return `10.${244 + Math.floor(n / 256)}.${n % 256}`;
}

// The node's pool of pod IPs (.2 to .254 of its /24); a full pool hands out addresses again, as a node far over
// its 110 pods would have no more to give.
function ipPool(k: KubeletRuntime, node: string): {next: number; used: Set<string>} {
	let pool = k.ips.get(node);
	if (!pool) {
		pool = {next: 2, used: new Set()};
		k.ips.set(node, pool);
	}
	return pool;
}

function allocateIP(k: KubeletRuntime, node: string): string {
	const subnet = nodeSubnet(node);
	const pool = ipPool(k, node);
	for (let i = 0; i < 253 && pool.used.size < 253; i++) {
		const ip = `${subnet}.${pool.next}`;
		pool.next = pool.next >= 254 ? 2 : pool.next + 1;
		if (!pool.used.has(ip)) {
			pool.used.add(ip);
			return ip;
		}
	}
	const ip = `${subnet}.${pool.next}`;
	pool.next = pool.next >= 254 ? 2 : pool.next + 1;
	return ip;
}

/**
 * Takes on a pod that is already running on this node (the scale scenario's, as a restarted kubelet finds its
 * containers): its runtime is rebuilt from the status, its serving containers serve; nothing is written.
 */
export function adopt(k: KubeletRuntime, pod: KubeObject): PodRt {
	const status = pod.status ?? {};
	const statuses = new Map<string, any>((status.containerStatuses ?? []).map((s: any) => [s.name, s]));
	const rt: PodRt = {
		key: keyOf(pod),
		uid: pod.metadata.uid!,
		namespace: pod.metadata.namespace!,
		name: pod.metadata.name!,
		node: pod.spec.nodeName,
		restartPolicy: pod.spec.restartPolicy ?? 'Always',
		podIP: status.podIP,
		startTime: Date.parse(status.startTime ?? '') || k.m.clock.now(),
		sandboxReady: true,
		init: (pod.spec.initContainers ?? []).map((spec: any) => ({...newCtr(spec, true), phase: 'done' as const})),
		app: (pod.spec.containers ?? []).map((spec: any) => {
			const c = newCtr(spec, false);
			const s = statuses.get(spec.name);
			if (!s?.state?.running) return c;
			return {
				...c,
				phase: 'running' as const,
				containerID: s.containerID,
				startedAt: Date.parse(s.state.running.startedAt) || k.m.clock.now(),
				restartCount: s.restartCount ?? 0,
				started: s.started !== false,
				ready: s.ready === true,
				everStarted: true,
			};
		}),
		terminating: false,
		finished: false,
		gone: false,
		timers: new Set(),
	};
	k.pods.set(rt.key, rt);
	if (rt.podIP) ipPool(k, rt.node).used.add(rt.podIP);
	for (const c of rt.app) {
		if (c.phase !== 'running') continue;
		k.hooks.started(
			{uid: rt.uid, namespace: rt.namespace, name: rt.name, node: rt.node, podIP: rt.podIP},
			{name: c.name, image: c.spec.image, containerID: c.containerID ?? '', info: c.info, spec: c.spec},
		);
		k.life.onRunning(rt, c, {adopted: true});
	}
	return rt;
}

function newCtr(spec: any, init: boolean): Ctr {
	return {
		name: spec.name,
		init,
		spec,
		info: lookupImage(spec.image ?? ''),
		phase: 'new',
		restartCount: 0,
		started: false,
		ready: false,
		everStarted: false,
		sigterm: false,
		timers: new Set(),
	};
}

/** Starts whatever is next: init containers one by one to completion, then the app containers in order. */
export function advance(k: KubeletRuntime, rt: PodRt): void {
	if (rt.terminating || !rt.sandboxReady || rt.gone) return;
	for (const c of rt.init) {
		if (c.phase === 'done') continue;
		if (c.phase === 'new') startContainer(k, rt, c);
		return;
	}
	for (const c of rt.app) {
		if (c.phase === 'new') {
			startContainer(k, rt, c);
			return;
		}
		if (c.phase === 'pulling' || c.phase === 'creating') return;
	}
}

/** Pulls (or finds) a container's image by its pull policy, then creates it; failed pulls back off and retry. */
export function startContainer(k: KubeletRuntime, rt: PodRt, c: Ctr): void {
	const image: string = c.spec.image ?? '';
	const info = c.info;
	const policy: string = c.spec.imagePullPolicy ?? (/:latest$|^[^:]*$/.test(image) ? 'Always' : 'IfNotPresent');
	const present = !!info && !!k.images.get(rt.node)?.has(info.reference);
	c.phase = 'pulling';
	c.message = undefined;
	if (policy === 'Never' && !present) {
		c.phase = 'neverPull';
		c.message = `Container image "${image}" is not present with pull policy of Never`;
		k.record(rt, 'Warning', 'ErrImageNeverPull', c.message, c);
		k.writeStatus(rt);
		advanceAfterAttempt(k, rt, c);
		return;
	}
	if (present && policy !== 'Always') {
		k.record(rt, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, c);
		create(k, rt, c);
		return;
	}
	k.record(rt, 'Normal', 'Pulling', `Pulling image "${image}"`, c);
	if (!info) {
		k.later(rt, c, k.timings.pullFailMs, () => pullFailed(k, rt, c));
		return;
	}
	const ms = present ? k.timings.cachedPullMs : info.pullMs;
	k.later(rt, c, ms, () => {
		let set = k.images.get(rt.node);
		if (!set) {
			set = new Set();
			k.images.set(rt.node, set);
		}
		set.add(info.reference);
		c.pullBackOff = undefined;
		k.record(
			rt,
			'Normal',
			'Pulled',
			`Successfully pulled image "${image}" in ${goDuration(ms)} (${goDuration(ms)} including waiting). Image size: ${info.size} bytes.`,
			c,
		);
		create(k, rt, c);
	});
}

// A failed start attempt lets the next container start (the kubelet tries each container in a sync).
function advanceAfterAttempt(k: KubeletRuntime, rt: PodRt, c: Ctr): void {
	if (!c.init) advance(k, rt);
}

function pullFailed(k: KubeletRuntime, rt: PodRt, c: Ctr): void {
	const image: string = c.spec.image ?? '';
	const ref = fullReference(image);
	const detail = `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
	c.phase = 'pullError';
	c.message = detail;
	k.record(rt, 'Warning', 'Failed', `Failed to pull image "${image}": ${detail}`, c);
	k.record(rt, 'Warning', 'Failed', 'Error: ErrImagePull', c);
	k.writeStatus(rt);
	advanceAfterAttempt(k, rt, c);
	c.pullBackOff = c.pullBackOff === undefined ? initialBackOffMs : Math.min(c.pullBackOff * 2, maxBackOffMs);
	const backOff = c.pullBackOff;
	k.later(rt, c, k.timings.pullBackOffAfterMs, () => {
		c.phase = 'pullBackoff';
		c.message = `Back-off pulling image "${image}": ErrImagePull: ${detail}`;
		k.record(rt, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, c);
		k.record(rt, 'Warning', 'Failed', 'Error: ImagePullBackOff', c);
		k.writeStatus(rt);
		k.later(rt, c, Math.max(0, backOff - k.timings.pullBackOffAfterMs), () => startContainer(k, rt, c));
	});
}

function create(k: KubeletRuntime, rt: PodRt, c: Ctr): void {
	c.phase = 'creating';
	k.later(rt, c, k.timings.createMs, () => {
		c.containerID = `containerd://${randomBytes(32).toString('hex')}`;
		k.record(rt, 'Normal', 'Created', `Created container ${c.name}`, c);
		k.record(rt, 'Normal', 'Started', `Started container ${c.name}`, c);
		c.phase = 'running';
		c.startedAt = k.m.clock.now();
		c.everStarted = true;
		c.exited = undefined;
		c.sigterm = false;
		k.hooks.started(
			{uid: rt.uid, namespace: rt.namespace, name: rt.name, node: rt.node, podIP: rt.podIP},
			{name: c.name, image: c.spec.image, containerID: c.containerID, info: c.info, spec: c.spec},
		);
		k.life.onRunning(rt, c);
		k.writeStatus(rt);
		advance(k, rt);
	});
}
