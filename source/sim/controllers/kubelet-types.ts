// The simulated kubelet's timings, its runtime view of pods and containers (the state the start, run, stop
// and status files share), and the lifecycle steps those files call on one another; separate so that they
// depend on plain types, not on each other or on the Kubelet class (kubelet.ts wires the steps together).
import type {Timer} from '../clock.js';
import type {ImageInfo} from './images.js';

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

/** The first crash-loop or image-pull back-off; it doubles per retry. */
export const initialBackOffMs = 10_000;
/** The longest back-off, as the kubelet caps it (5 minutes). */
export const maxBackOffMs = 300_000;
/** When preStop uses up the grace period, the container still gets this long after SIGTERM. */
export const minimumGracePeriodMs = 2000;

/** Where a container is in its life, as the kubelet tracks it (the status shows it as waiting/running/terminated). */
export type CtrPhase =
	| 'new'
	| 'pulling'
	| 'creating'
	| 'running'
	| 'exited'
	| 'done'
	| 'backoff'
	| 'pullError'
	| 'pullBackoff'
	| 'neverPull';

/** A container's terminated state, as the status shows it (state or lastState). */
export type Terminated = {exitCode: number; reason: string; startedAt: string; finishedAt: string; containerID: string};

/** One container of a pod the kubelet runs, with its pending timers. */
export type Ctr = {
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

/** One pod the kubelet runs, with its containers and pending pod-level timers. */
export type PodRt = {
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

/** The field path an event names for a container (spec.containers{name}). */
export const fieldPath = (c: Ctr) => `spec.${c.init ? 'initContainers' : 'containers'}{${c.name}}`;

/**
 * The steps of a pod's life that call one another across files: start-up leads to running, running to an exit,
 * an exit to a restart or to the end of a terminating pod. Each file calls the others only through this object,
 * which kubelet.ts builds, so the files import none of each other.
 */
export type PodLifecycle = {
	/** Starts whatever container of the pod is next (kubelet-start). */
	advance(rt: PodRt): void;
	/** Starts (or restarts) one container, from its image pull on (kubelet-start). */
	startContainer(rt: PodRt, c: Ctr): void;
	/**
	 * What a container does once running: serve, run a command, crash; probes (kubelet-run). An adopted container
	 * (running before the kubelet took it on) keeps the readiness it had.
	 */
	onRunning(rt: PodRt, c: Ctr, options?: {adopted?: boolean}): void;
	/** A running container exits (kubelet-run). */
	exitContainer(rt: PodRt, c: Ctr, exitCode: number, reason: string): void;
	/** Removes a terminating pod once none of its containers runs (kubelet-stop). */
	finishIfStopped(rt: PodRt): void;
};
