// The kubelet of every simulated node: it runs the pods bound to its node through the phases and container
// states a real kubelet reports (ContainerCreating, pulls, Created, Started, Running, readiness, ErrImagePull
// and ImagePullBackOff, CrashLoopBackOff with growing back-off, init containers), and stops them gracefully
// (Killing, preStop, SIGTERM, SIGKILL at the end of the grace period) before removing the pod.
// Time passes only through the manager's clock, so a ManualClock makes every step deterministic.
import {randomBytes} from 'node:crypto';
import type {Timer} from '../clock.js';
import type {EventRecorder} from './events.js';
import {lookupImage, type ImageInfo} from './images.js';
import type {Controller, ControllerManager} from './manager.js';
import type {ServingPods} from './serving.js';
import type {KubeObject, StoreEvent} from '../store.js';
import {goDuration, isoSeconds, jsonEqual, keyOf, simNow, splitKey} from './util.js';

/** How long the simulated steps take, in simulated milliseconds. */
export type KubeletTimings = {
	/** Pod sandbox (network) setup before the first container. */
	sandboxMs: number;
	/** From pulled to Created/Started. */
	createMs: number;
	/** A pull of an image already on the node (imagePullPolicy Always). */
	cachedPullMs: number;
	/** Until an unknown image's pull fails. */
	pullFailMs: number;
	/** From ErrImagePull to ImagePullBackOff. */
	pullBackOffAfterMs: number;
	/** How long a crashing container runs before exiting 1. */
	crashAfterMs: number;
	/** From a container's exit to the kubelet's restart decision (the pod shows Error or Completed meanwhile). */
	restartDecisionMs: number;
	/** How long a server takes to exit after SIGTERM. */
	stopMs: number;
	/** How long a command without a sleep runs (`sh`, `echo hi`). */
	commandMs: number;
};

export const defaultKubeletTimings: KubeletTimings = {
	sandboxMs: 300,
	createMs: 150,
	cachedPullMs: 400,
	pullFailMs: 800,
	pullBackOffAfterMs: 1000,
	crashAfterMs: 1500,
	restartDecisionMs: 500,
	stopMs: 100,
	commandMs: 100,
};

const initialBackOffMs = 10_000;
const maxBackOffMs = 300_000;
// When preStop uses up the grace period, the container still gets this long after SIGTERM.
const minimumGracePeriodMs = 2000;

type CtrPhase = 'new' | 'pulling' | 'creating' | 'running' | 'exited' | 'done' | 'backoff' | 'pullError' | 'pullBackoff' | 'neverPull';

type Terminated = {exitCode: number; reason: string; startedAt: string; finishedAt: string; containerID: string};

type Ctr = {
	name: string;
	init: boolean;
	spec: any;
	info: ImageInfo | undefined;
	phase: CtrPhase;
	message?: string;
	containerID?: string;
	startedAt?: number;
	exited?: Terminated;
	last?: Terminated;
	restartCount: number;
	started: boolean;
	ready: boolean;
	everStarted: boolean;
	crashBackOff?: number;
	/** Simulated time of the last exit, for the back-off window. */
	exitedSim?: number;
	pullBackOff?: number;
	sigterm: boolean;
	timers: Set<Timer>;
};

type PodRt = {
	key: string;
	uid: string;
	namespace: string;
	name: string;
	node: string;
	restartPolicy: string;
	podIP?: string;
	startTime: number;
	sandboxReady: boolean;
	init: Ctr[];
	app: Ctr[];
	terminating: boolean;
	/** The grace period in force. */
	graceSeconds?: number;
	finished: boolean;
	gone: boolean;
	timers: Set<Timer>;
};

export type KubeletOptions = {
	servingPods: ServingPods;
	timings?: Partial<KubeletTimings>;
};

const fieldPath = (c: Ctr) => `spec.${c.init ? 'initContainers' : 'containers'}{${c.name}}`;

/** Runs the pods bound to any node in the store. */
export class Kubelet implements Controller {
	readonly name = 'kubelet';
	private readonly timings: KubeletTimings;
	private readonly serving: ServingPods;
	private readonly pods = new Map<string, PodRt>();
	private readonly images = new Map<string, Set<string>>();
	private readonly ips = new Map<string, {next: number; used: Set<string>}>();

	constructor(
		private readonly m: ControllerManager,
		private readonly events: EventRecorder,
		options: KubeletOptions,
	) {
		this.timings = {...defaultKubeletTimings, ...options.timings};
		this.serving = options.servingPods;
	}

	private get store() {
		return this.m.store;
	}

	/** True when the node already holds the image (for tests and scenarios that pre-pull). */
	hasImage(node: string, image: string): boolean {
		const info = lookupImage(image);
		return !!info && !!this.images.get(node)?.has(info.reference);
	}

	/** Puts an image on a node without a pull event, like an image baked into the node. */
	prePull(node: string, image: string): void {
		const info = lookupImage(image);
		if (!info) return;
		let set = this.images.get(node);
		if (!set) this.images.set(node, (set = new Set()));
		set.add(info.reference);
	}

	handle(e: StoreEvent): void {
		if (e.resource !== 'pods') return;
		const key = keyOf(e.object);
		if (e.type === 'DELETED' || e.object.spec?.nodeName || this.pods.has(key)) this.m.enqueue(this.name, key);
	}

	sync(key: string): void {
		const {namespace, name} = splitKey(key);
		const pod = this.store.get('pods', namespace, name);
		let rt = this.pods.get(key);
		if (rt && (!pod || pod.metadata.uid !== rt.uid)) {
			this.forget(rt);
			rt = undefined;
		}
		if (!pod || !pod.spec?.nodeName) return;
		if (!this.store.get('nodes', undefined, pod.spec.nodeName)) return;
		if (!rt) {
			if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
				if (pod.metadata.deletionTimestamp) this.store.delete('pods', namespace, name);
				return;
			}
			rt = this.admit(pod);
		}
		if (pod.metadata.deletionTimestamp && !rt.terminating) this.terminate(rt, pod);
		else if (pod.metadata.deletionTimestamp && rt.terminating) this.shortenGrace(rt, pod);
	}

	// Pod start

	private admit(pod: KubeObject): PodRt {
		const node = pod.spec.nodeName as string;
		const makeCtr = (spec: any, init: boolean): Ctr => ({
			name: spec.name, init, spec, info: lookupImage(spec.image ?? ''), phase: 'new', restartCount: 0, started: false, ready: false,
			everStarted: false, sigterm: false, timers: new Set(),
		});
		const rt: PodRt = {
			key: keyOf(pod), uid: pod.metadata.uid!, namespace: pod.metadata.namespace!, name: pod.metadata.name!, node,
			restartPolicy: pod.spec.restartPolicy ?? 'Always', startTime: this.m.clock.now(), sandboxReady: false,
			init: (pod.spec.initContainers ?? []).map((c: any) => makeCtr(c, true)),
			app: (pod.spec.containers ?? []).map((c: any) => makeCtr(c, false)),
			terminating: false, finished: false, gone: false, timers: new Set(),
		};
		this.pods.set(rt.key, rt);
		this.writeStatus(rt);
		if (pod.metadata.deletionTimestamp) return rt;
		this.later(rt, undefined, this.timings.sandboxMs, () => {
			rt.sandboxReady = true;
			rt.podIP = this.allocateIP(node);
			this.writeStatus(rt);
			this.advance(rt);
		});
		return rt;
	}

	private allocateIP(node: string): string {
		const n = Number(/(\d+)$/.exec(node)?.[1] ?? '0') % 250;
		let pool = this.ips.get(node);
		if (!pool) this.ips.set(node, (pool = {next: 2, used: new Set()}));
		for (let i = 0; i < 253; i++) {
			const ip = `10.244.${n}.${pool.next}`;
			pool.next = pool.next >= 254 ? 2 : pool.next + 1;
			if (!pool.used.has(ip)) {
				pool.used.add(ip);
				return ip;
			}
		}
		return `10.244.${n}.${pool.next}`;
	}

	/** Starts whatever is next: init containers one by one to completion, then the app containers in order. */
	private advance(rt: PodRt): void {
		if (rt.terminating || !rt.sandboxReady || rt.gone) return;
		for (const c of rt.init) {
			if (c.phase === 'done') continue;
			if (c.phase === 'new') this.startContainer(rt, c);
			return;
		}
		for (const c of rt.app) {
			if (c.phase === 'new') {
				this.startContainer(rt, c);
				return;
			}
			if (c.phase === 'pulling' || c.phase === 'creating') return;
		}
	}

	private startContainer(rt: PodRt, c: Ctr): void {
		const image: string = c.spec.image ?? '';
		const info = c.info;
		const policy: string = c.spec.imagePullPolicy ?? (/:latest$|^[^:]*$/.test(image) ? 'Always' : 'IfNotPresent');
		const present = !!info && !!this.images.get(rt.node)?.has(info.reference);
		c.phase = 'pulling';
		c.message = undefined;
		if (policy === 'Never' && !present) {
			c.phase = 'neverPull';
			c.message = `Container image "${image}" is not present with pull policy of Never`;
			this.record(rt, 'Warning', 'ErrImageNeverPull', c.message, c);
			this.writeStatus(rt);
			this.advanceAfterAttempt(rt, c);
			return;
		}
		if (present && policy !== 'Always') {
			this.record(rt, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, c);
			this.create(rt, c);
			return;
		}
		this.record(rt, 'Normal', 'Pulling', `Pulling image "${image}"`, c);
		if (!info) {
			this.later(rt, c, this.timings.pullFailMs, () => this.pullFailed(rt, c));
			return;
		}
		const ms = present ? this.timings.cachedPullMs : info.pullMs;
		this.later(rt, c, ms, () => {
			let set = this.images.get(rt.node);
			if (!set) this.images.set(rt.node, (set = new Set()));
			set.add(info.reference);
			c.pullBackOff = undefined;
			this.record(rt, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${goDuration(ms)} (${goDuration(ms)} including waiting). Image size: ${info.size} bytes.`, c);
			this.create(rt, c);
		});
	}

	// A failed start attempt lets the next container start (the kubelet tries each container in a sync).
	private advanceAfterAttempt(rt: PodRt, c: Ctr): void {
		if (!c.init) this.advance(rt);
	}

	private pullFailed(rt: PodRt, c: Ctr): void {
		const image: string = c.spec.image ?? '';
		const ref = fullReference(image);
		const detail = `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
		c.phase = 'pullError';
		c.message = detail;
		this.record(rt, 'Warning', 'Failed', `Failed to pull image "${image}": ${detail}`, c);
		this.record(rt, 'Warning', 'Failed', 'Error: ErrImagePull', c);
		this.writeStatus(rt);
		this.advanceAfterAttempt(rt, c);
		c.pullBackOff = c.pullBackOff === undefined ? initialBackOffMs : Math.min(c.pullBackOff * 2, maxBackOffMs);
		const backOff = c.pullBackOff;
		this.later(rt, c, this.timings.pullBackOffAfterMs, () => {
			c.phase = 'pullBackoff';
			c.message = `Back-off pulling image "${image}": ErrImagePull: ${detail}`;
			this.record(rt, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, c);
			this.record(rt, 'Warning', 'Failed', 'Error: ImagePullBackOff', c);
			this.writeStatus(rt);
			this.later(rt, c, Math.max(0, backOff - this.timings.pullBackOffAfterMs), () => this.startContainer(rt, c));
		});
	}

	private create(rt: PodRt, c: Ctr): void {
		c.phase = 'creating';
		this.later(rt, c, this.timings.createMs, () => {
			c.containerID = `containerd://${randomBytes(32).toString('hex')}`;
			this.record(rt, 'Normal', 'Created', `Created container ${c.name}`, c);
			this.record(rt, 'Normal', 'Started', `Started container ${c.name}`, c);
			c.phase = 'running';
			c.startedAt = this.m.clock.now();
			c.everStarted = true;
			c.exited = undefined;
			c.sigterm = false;
			this.onRunning(rt, c);
			this.writeStatus(rt);
			this.advance(rt);
		});
	}

	// What the process does once running: serve, run its command, or crash; and when it counts as started/ready.
	private onRunning(rt: PodRt, c: Ctr): void {
		const info = c.info!;
		if (c.init) {
			const ms = info.behaviour === 'command' ? commandRunMs(c.spec, this.timings.commandMs) : info.behaviour === 'crash' ? this.timings.crashAfterMs : 500;
			if (info.behaviour === 'crash') this.later(rt, c, ms, () => this.exitContainer(rt, c, 1, 'Error'));
			else if (Number.isFinite(ms)) this.later(rt, c, ms, () => this.exitContainer(rt, c, 0, 'Completed'));
			return;
		}
		if (info.behaviour === 'serve') {
			this.serving.start({namespace: rt.namespace, name: rt.name, uid: rt.uid, podIP: rt.podIP ?? '', nodeName: rt.node},
				{name: c.name, image: c.spec.image, server: info.server ?? '', ports: info.ports});
		} else if (info.behaviour === 'crash') {
			this.later(rt, c, this.timings.crashAfterMs, () => this.exitContainer(rt, c, 1, 'Error'));
		} else {
			const ms = commandRunMs(c.spec, this.timings.commandMs);
			const code = commandExitCode(c.spec);
			if (Number.isFinite(ms)) this.later(rt, c, ms, () => this.exitContainer(rt, c, code, code === 0 ? 'Completed' : 'Error'));
		}
		const startup = c.spec.startupProbe;
		if (startup) {
			this.later(rt, c, (startup.initialDelaySeconds ?? 0) * 1000, () => {
				if (c.phase !== 'running') return;
				c.started = true;
				this.writeStatus(rt);
				this.scheduleReadiness(rt, c);
			});
		} else {
			c.started = true;
			this.scheduleReadiness(rt, c);
		}
	}

	private scheduleReadiness(rt: PodRt, c: Ctr): void {
		const probe = c.spec.readinessProbe;
		if (!probe) {
			c.ready = true;
			return;
		}
		const check = () => {
			if (c.phase !== 'running' || rt.terminating) return;
			const failure = this.probeFailure(rt, c, probe);
			if (!failure) {
				if (!c.ready) {
					c.ready = true;
					this.writeStatus(rt);
				}
				return;
			}
			this.record(rt, 'Warning', 'Unhealthy', `Readiness probe failed: ${failure}`, c);
			this.later(rt, c, (probe.periodSeconds ?? 10) * 1000, check);
		};
		this.later(rt, c, (probe.initialDelaySeconds ?? 0) * 1000, check);
	}

	// An HTTP or TCP probe fails when the process does not listen on the port (or has had SIGTERM).
	private probeFailure(rt: PodRt, c: Ctr, probe: any): string | undefined {
		const action = probe.httpGet ?? probe.tcpSocket;
		if (!action) return undefined;
		let port = action.port;
		if (typeof port === 'string' && !/^\d+$/.test(port)) port = (c.spec.ports ?? []).find((p: any) => p.name === port)?.containerPort;
		port = Number(port);
		const listening = c.info?.behaviour === 'serve' && c.info.ports.includes(port) && !c.sigterm;
		if (listening) return undefined;
		const dial = `dial tcp ${rt.podIP}:${port}: connect: connection refused`;
		if (probe.httpGet) {
			const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
			return `Get "${scheme}://${rt.podIP}:${port}${probe.httpGet.path ?? '/'}": ${dial}`;
		}
		return dial;
	}

	private exitContainer(rt: PodRt, c: Ctr, exitCode: number, reason: string): void {
		if (c.phase !== 'running') return;
		this.cancelTimers(c, rt);
		const now = this.m.clock.now();
		c.exited = {exitCode, reason, startedAt: isoSeconds(c.startedAt ?? now), finishedAt: isoSeconds(now), containerID: c.containerID ?? ''};
		c.phase = 'exited';
		c.exitedSim = simNow(this.m.clock);
		c.ready = false;
		c.started = false;
		this.serving.stop(rt.namespace, rt.name, rt.uid, c.name);
		if (rt.terminating) {
			this.writeStatus(rt);
			this.finishIfStopped(rt);
			return;
		}
		if (c.init && exitCode === 0) {
			c.phase = 'done';
			this.writeStatus(rt);
			this.advance(rt);
			return;
		}
		this.writeStatus(rt);
		if (!this.willRestart(rt, c)) return;
		this.later(rt, c, this.timings.restartDecisionMs, () => this.restart(rt, c));
	}

	private willRestart(rt: PodRt, c: Ctr): boolean {
		if (rt.terminating) return false;
		const code = c.exited?.exitCode ?? 0;
		return rt.restartPolicy === 'Always' || (rt.restartPolicy === 'OnFailure' && code !== 0);
	}

	// doBackOff: the first restart is at once; each later one waits 10 s, 20 s, 40 s … up to 5 min after the exit.
	private restart(rt: PodRt, c: Ctr): void {
		if (rt.terminating || !c.exited) return;
		const now = simNow(this.m.clock);
		const finishedAt = c.exitedSim ?? now;
		if (c.crashBackOff !== undefined && now - finishedAt < c.crashBackOff) {
			c.phase = 'backoff';
			c.message = `back-off ${goDuration(c.crashBackOff)} restarting failed container=${c.name} pod=${rt.name}_${rt.namespace}(${rt.uid})`;
			this.record(rt, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${rt.name}_${rt.namespace}(${rt.uid})`, c);
			this.writeStatus(rt);
			this.later(rt, c, finishedAt + c.crashBackOff - now, () => this.restart(rt, c));
			return;
		}
		c.crashBackOff = c.crashBackOff === undefined ? initialBackOffMs : Math.min(c.crashBackOff * 2, maxBackOffMs);
		c.last = c.exited;
		c.restartCount++;
		this.startContainer(rt, c);
	}

	// Termination

	// A second delete with a shorter grace period (kubectl delete --grace-period=N) brings the kill forward.
	private shortenGrace(rt: PodRt, pod: KubeObject): void {
		const grace = pod.metadata.deletionGracePeriodSeconds;
		if (typeof grace !== 'number' || rt.graceSeconds === undefined || grace >= rt.graceSeconds) return;
		rt.graceSeconds = grace;
		// The kubelet re-issues the kill with the new grace period, counted from now.
		const left = grace * 1000;
		for (const c of [...rt.init, ...rt.app]) {
			if (c.phase !== 'running') continue;
			this.cancelTimers(c, rt);
			if (!c.sigterm) {
				c.sigterm = true;
				this.serving.stop(rt.namespace, rt.name, rt.uid, c.name);
			}
			this.later(rt, c, left, () => this.exitContainer(rt, c, 137, 'Error'));
		}
	}

	private terminate(rt: PodRt, pod: KubeObject): void {
		rt.terminating = true;
		const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
		rt.graceSeconds = grace;
		const graceMs = Math.max(0, grace * 1000);
		const running: Ctr[] = [];
		for (const c of [...rt.init, ...rt.app]) {
			if (c.phase === 'running') {
				running.push(c);
				continue;
			}
			this.cancelTimers(c, rt);
		}
		for (const t of rt.timers) t.cancel();
		rt.timers.clear();
		if (running.length === 0) {
			this.later(rt, undefined, this.timings.stopMs, () => this.finishIfStopped(rt));
			return;
		}
		for (const c of running) {
			this.cancelTimers(c, rt);
			this.record(rt, 'Normal', 'Killing', `Stopping container ${c.name}`, c);
			const hook = preStopMs(c.spec.lifecycle?.preStop);
			let sigtermAt = 0;
			let remaining = graceMs;
			if (hook !== undefined) {
				sigtermAt = Math.min(hook, graceMs);
				remaining = Math.max(graceMs - sigtermAt, minimumGracePeriodMs);
			}
			// Without a hook, SIGTERM goes at once: the process stops listening while the endpoints may still list it.
			if (hook === undefined) this.sigterm(rt, c, remaining);
			else this.later(rt, c, sigtermAt, () => this.sigterm(rt, c, remaining));
		}
	}

	private sigterm(rt: PodRt, c: Ctr, remainingMs: number): void {
		if (c.phase !== 'running') return;
		c.sigterm = true;
		this.serving.stop(rt.namespace, rt.name, rt.uid, c.name);
		if (c.info?.ignoresSigterm) {
			this.later(rt, c, remainingMs, () => this.exitContainer(rt, c, 137, 'Error'));
		} else {
			this.later(rt, c, Math.min(this.timings.stopMs, remainingMs), () => this.exitContainer(rt, c, 0, 'Completed'));
		}
	}

	private finishIfStopped(rt: PodRt): void {
		if (rt.finished || rt.gone) return;
		if ([...rt.init, ...rt.app].some(c => c.phase === 'running')) return;
		rt.finished = true;
		this.writeStatus(rt);
		const pod = this.store.get('pods', rt.namespace, rt.name);
		if (pod && pod.metadata.uid === rt.uid) this.store.delete('pods', rt.namespace, rt.name);
		this.forget(rt);
	}

	private forget(rt: PodRt): void {
		rt.gone = true;
		for (const c of [...rt.init, ...rt.app]) this.cancelTimers(c, rt);
		for (const t of rt.timers) t.cancel();
		rt.timers.clear();
		this.serving.remove(rt.namespace, rt.name, rt.uid);
		if (rt.podIP) this.ips.get(rt.node)?.used.delete(rt.podIP);
		if (this.pods.get(rt.key) === rt) this.pods.delete(rt.key);
	}

	// Plumbing

	private later(rt: PodRt, c: Ctr | undefined, ms: number, fn: () => void): void {
		const set = c ? c.timers : rt.timers;
		const timer: Timer = this.m.after(Math.max(0, ms), () => {
			set.delete(timer);
			if (rt.gone) return;
			fn();
		});
		set.add(timer);
	}

	private cancelTimers(c: Ctr, _rt: PodRt): void {
		for (const t of c.timers) t.cancel();
		c.timers.clear();
	}

	private record(rt: PodRt, type: 'Normal' | 'Warning', reason: string, message: string, c?: Ctr): void {
		const pod = this.store.get('pods', rt.namespace, rt.name);
		const ref: KubeObject = pod && pod.metadata.uid === rt.uid ? pod : {apiVersion: 'v1', kind: 'Pod', metadata: {name: rt.name, namespace: rt.namespace, uid: rt.uid}};
		ref.kind ??= 'Pod';
		ref.apiVersion ??= 'v1';
		this.events.record({component: 'kubelet', host: rt.node}, ref, type, reason, message, c ? fieldPath(c) : undefined);
	}

	private writeStatus(rt: PodRt): void {
		if (rt.gone) return;
		const pod = this.store.get('pods', rt.namespace, rt.name);
		if (!pod || pod.metadata.uid !== rt.uid) return;
		const status = this.buildStatus(rt, pod.status ?? {});
		if (jsonEqual(pod.status ?? {}, status)) return;
		this.store.update('pods', {...pod, status}, {subresource: 'status'});
	}

	private phaseOf(rt: PodRt): string {
		const initPending = rt.init.some(c => c.phase !== 'done');
		if (initPending) {
			const failed = rt.init.some(c => c.phase === 'exited' && !this.willRestart(rt, c));
			if (failed && !rt.terminating) return 'Failed';
			if (rt.finished) return 'Failed';
			return 'Pending';
		}
		const everStarted = rt.app.some(c => c.everStarted);
		const succeeded = rt.app.every(c => c.phase === 'exited' && c.exited?.exitCode === 0);
		// A pod the kubelet has stopped for good ends in a terminal phase, whatever its restartPolicy.
		if (rt.finished) return succeeded ? 'Succeeded' : 'Failed';
		const allStopped = rt.app.length > 0 && rt.app.every(c => c.phase === 'exited' && !this.willRestart(rt, c));
		if (allStopped) return succeeded ? 'Succeeded' : 'Failed';
		return everStarted ? 'Running' : 'Pending';
	}

	private ctrStatus(rt: PodRt, c: Ctr, initPending: boolean): any {
		const image: string = c.spec.image ?? '';
		const s: any = {
			name: c.name,
			image: c.everStarted && c.info ? c.info.fullName : image,
			imageID: c.everStarted && c.info ? c.info.imageID : '',
			lastState: c.last ? {terminated: {...c.last}} : {},
			ready: c.init ? c.phase === 'done' : c.ready,
			restartCount: c.restartCount,
			started: c.phase === 'running' && c.started,
		};
		if (c.containerID) s.containerID = c.containerID;
		switch (c.phase) {
			case 'running':
				s.state = {running: {startedAt: isoSeconds(c.startedAt!)}};
				break;
			case 'exited':
			case 'done':
				s.state = {terminated: {...c.exited!}};
				break;
			case 'backoff':
				s.state = {waiting: {reason: 'CrashLoopBackOff', message: c.message}};
				break;
			case 'pullError':
				s.state = {waiting: {reason: 'ErrImagePull', message: c.message}};
				break;
			case 'pullBackoff':
				s.state = {waiting: {reason: 'ImagePullBackOff', message: c.message}};
				break;
			case 'neverPull':
				s.state = {waiting: {reason: 'ErrImageNeverPull', message: c.message}};
				break;
			default:
				s.state = {waiting: {reason: !c.init && initPending ? 'PodInitializing' : 'ContainerCreating'}};
		}
		return s;
	}

	private buildStatus(rt: PodRt, previous: any): any {
		const now = this.m.clock.now();
		const prev: any[] = previous.conditions ?? [];
		const condition = (type: string, ok: boolean, reason?: string, message?: string) => {
			const status = ok ? 'True' : 'False';
			const old = prev.find(c => c.type === type);
			const c: any = {type, status, lastProbeTime: null, lastTransitionTime: old && old.status === status ? old.lastTransitionTime : isoSeconds(now)};
			if (!ok && reason) c.reason = reason;
			if (!ok && message) c.message = message;
			return c;
		};
		const initPending = rt.init.some(c => c.phase !== 'done');
		const phase = this.phaseOf(rt);
		const incompleteInit = rt.init.filter(c => c.phase !== 'done').map(c => c.name);
		const unready = rt.app.filter(c => !c.ready).map(c => c.name);
		const completed = phase === 'Succeeded' || phase === 'Failed';
		const readyReason = completed ? 'PodCompleted' : 'ContainersNotReady';
		const readyMessage = completed ? undefined : `containers with unready status: [${unready.join(' ')}]`;
		const conditions = [
			condition('PodReadyToStartContainers', rt.sandboxReady && !rt.finished),
			condition('Initialized', !initPending || phase === 'Succeeded', 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`),
			condition('Ready', unready.length === 0 && !completed, readyReason, readyMessage),
			condition('ContainersReady', unready.length === 0 && !completed, readyReason, readyMessage),
		];
		const scheduled = prev.find(c => c.type === 'PodScheduled');
		if (scheduled) conditions.push(scheduled);
		const status: any = {
			phase,
			conditions,
			hostIP: '127.0.0.1',
			hostIPs: [{ip: '127.0.0.1'}],
		};
		if (rt.podIP) {
			status.podIP = rt.podIP;
			status.podIPs = [{ip: rt.podIP}];
		}
		status.startTime = isoSeconds(rt.startTime);
		if (rt.init.length) status.initContainerStatuses = rt.init.map(c => this.ctrStatus(rt, c, false));
		status.containerStatuses = rt.app.map(c => this.ctrStatus(rt, c, initPending));
		status.qosClass = previous.qosClass ?? 'BestEffort';
		return status;
	}
}

/** `docker.io/library/nginx:9.9` for an image as the user wrote it. */
function fullReference(image: string): string {
	let s = image.trim();
	if (!/:[^/]+$/.test(s) && !s.includes('@')) s += ':latest';
	const first = s.split('/')[0]!;
	if (s.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return s;
	return s.includes('/') ? `docker.io/${s}` : `docker.io/library/${s}`;
}

/** How long a preStop hook runs: a sleep action or an exec of `sleep N`; other hooks are quick; none is undefined. */
export function preStopMs(preStop: any): number | undefined {
	if (!preStop) return undefined;
	if (preStop.sleep && typeof preStop.sleep.seconds === 'number') return preStop.sleep.seconds * 1000;
	const command: string[] = preStop.exec?.command ?? [];
	const m = /(?:^|[\s;&|/])sleep\s+(\d+(?:\.\d+)?)/.exec(command.join(' '));
	if (m) return Number(m[1]) * 1000;
	return 50;
}

/** How long a command-running container (busybox) runs: `sleep N`, forever for loops and `sleep infinity`. */
export function commandRunMs(spec: any, quickMs: number): number {
	const text = [...(spec.command ?? []), ...(spec.args ?? [])].join(' ');
	if (/sleep\s+inf(inity)?\b|tail\s+-f|while\s+(true|:)|for\s*\(\(\s*;\s*;\s*\)\)/.test(text)) return Number.POSITIVE_INFINITY;
	const m = /(?:^|[\s;&|/])sleep\s+(\d+(?:\.\d+)?)/.exec(text);
	if (m) return Number(m[1]) * 1000;
	return quickMs;
}

function commandExitCode(spec: any): number {
	const text = [...(spec.command ?? []), ...(spec.args ?? [])].join(' ');
	const m = /\bexit\s+(\d+)/.exec(text);
	return m ? Number(m[1]) : 0;
}
