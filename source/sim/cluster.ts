// The embedded cluster in one call: store, clock, controllers and kubelets, the NodePort router, the HTTPS
// API server, a scenario, and a kubeconfig file for kubectl and the cockpit.
import {chmod, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {ScaledClock, type Clock} from './clock.js';
import {startControllers, type Controllers, type KubeletTimings} from './controllers/index.js';
import {NodePortRouter} from './nodeport-router.js';
import {Churn} from './churn.js';
import {checkScaleOptions, type ScaleOptions} from './scale-scenario.js';
import {applyScenario, type ScenarioName} from './scenarios.js';
import type {ServingCerts} from './api/certs.js';
import {startApiServer, type ApiServer} from './server.js';
import {Store} from './store.js';
import {Faults, type FaultEvent} from './faults/faults.js';
import {parseFaultSpec, type FaultSpec} from './faults/spec.js';
import {RequestLog} from './request-log.js';
import {bootstrapRbac} from './auth/bootstrap.js';

export type ClusterOptions = {
	/** API server port on 127.0.0.1. @default 0 (random) */
	port?: number;
	/** How much faster than real time the cluster runs (ignored when `clock` is given). @default 1 */
	speed?: number;
	/** @default 'nginx' */
	scenario?: ScenarioName;
	/**
	 * The 'scale' scenario's size: `{pods: 20000, namespaces: 1, churn: 100}` (churn in pod changes per simulated
	 * second). Required with scenario 'scale'.
	 */
	scale?: ScaleOptions;
	/** Where to write the kubeconfig; a private temporary file by default (removed on stop). */
	kubeconfigOut?: string;
	/** A clock to run on instead of ScaledClock(speed), e.g. a ManualClock in tests. */
	clock?: Clock;
	/** Simulated ms before a terminating pod leaves its Service's endpoints (kube-proxy propagation). @default 0 */
	endpointLagMs?: number;
	/** Bearer token for the kubeconfig. @default random */
	token?: string;
	/** Overrides of the kubelet's step durations (simulated ms). */
	kubeletTimings?: Partial<KubeletTimings>;
	/** Where controller errors go. @default console.error */
	onError?: (controller: string, key: string, error: unknown) => void;
	/** Faults to inject from the start: a SPEC (see faults/spec.ts) or its parsed form; its seed seeds every draw. */
	faults?: string | FaultSpec;
	/** Called for each injected fault. */
	onFault?: (event: FaultEvent) => void;
	/** How long a node's kubelet may be silent before the node is Unknown (simulated ms). @default 50000 */
	nodeMonitorGracePeriodMs?: number;
	/** The CA and serving certificates (tests that sign client certificates of their own: issueClientCertificate). */
	certs?: ServingCerts;
};

export type SimCluster = {
	url: string;
	token: string;
	kubeconfigPath: string;
	kubeconfig: string;
	store: Store;
	clock: Clock;
	/** The controllers and kubelets (serving pods, event recorder), for tests and the demo. */
	controllers: Controllers;
	/** The NodePort router (which ports are bound). */
	router: NodePortRouter;
	/** The fault injector: `inject(kind)` now, `add(spec)` rules, `counts` and `log` of what was injected. */
	faults: Faults;
	/** Every request the API server received, with its user, status and times. */
	requests: RequestLog;
	/** The scale scenario's churn (its counts), when it runs one. */
	churn?: Churn;
	/** Restarts the API server on the same port (every connection reset); the store and credentials stay. Down for
	 * `down` ms, or until the promise settles. */
	restartApiServer(down?: number | Promise<unknown>): Promise<void>;
	/**
	 * Kills a node: its kubelet stops (its containers are gone, its lease is not renewed), so after the grace period
	 * the node lifecycle controller marks it Unknown and taints it, and the taint eviction controller evicts its pods.
	 */
	killNode(node: string): void;
	/** Starts a killed node's kubelet again: the node turns Ready, its taints go, its remaining pods run again. */
	reviveNode(node: string): void;
	stop(): Promise<void>;
};

/** Starts the embedded cluster; resolves once the API server listens and the scenario is in the store. */
export async function startCluster(options: ClusterOptions = {}): Promise<SimCluster> {
	if (options.scenario === 'scale') {
		if (!options.scale) throw new Error("scenario 'scale' needs scale options: {pods, namespaces?, churn?}");
		checkScaleOptions(options.scale);
	}
	const spec = typeof options.faults === 'string' ? parseFaultSpec(options.faults) : options.faults;
	const clock = options.clock ?? new ScaledClock(options.speed ?? 1);
	const store = new Store({now: () => clock.now()});
	// The default roles and bindings exist before anything else, as the apiserver's RBAC bootstrap makes them.
	bootstrapRbac(store);
	const faults = new Faults({seed: spec?.seed, onFault: options.onFault});
	const requests = new RequestLog();
	const controllers = startControllers({
		store,
		clock,
		endpointLagMs: options.endpointLagMs ?? 0,
		kubeletTimings: options.kubeletTimings,
		onError: options.onError,
		nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs,
	});
	// Nodes whose kubelet runs, by name.
	const liveNodes = () => {
		const stopped = new Set(controllers.kubelet.stoppedNodes());
		return store
			.list('nodes')
			.items.map((n) => n.metadata.name!)
			.filter((n) => !stopped.has(n));
	};
	const router = new NodePortRouter({
		store,
		servingPods: controllers.servingPods,
		accessLog: (uid, container, entry) => controllers.containerLogs.served(uid, container, {...entry, at: clock.now()}),
	});
	router.start();
	let server: ApiServer | undefined;
	let tempDir: string | undefined;
	let churn: Churn | undefined;
	const stopParts = async () => {
		churn?.stop();
		faults.stop();
		controllers.stop();
		await Promise.allSettled([server?.close(), router.close()]);
		if (!options.clock) clock.stop();
		if (tempDir) await rm(tempDir, {recursive: true, force: true});
	};
	try {
		server = await startApiServer({
			store,
			clock,
			port: options.port ?? 0,
			token: options.token,
			reserveNodePort: (port) => router.reserveNodePort(port),
			releaseNodePort: (port) => router.releaseNodePort(port),
			faults,
			requests,
			containerLogs: controllers.containerLogs,
			certs: options.certs,
		});
		const api = server;
		faults.attach({
			restart: (downMs) => api.restart(downMs),
			compact: () => store.compact(),
			liveNodes: () => liveNodes(),
			killNode: (node) => controllers.kubelet.stopNode(node),
			reviveNode: (node) => controllers.kubelet.startNode(node),
		});
		// The controllers find the scenario as one consistent state, as after a restart of the controller manager.
		controllers.manager.hold();
		try {
			await applyScenario(store, options.scenario ?? 'nginx', {
				apiPort: server.port,
				now: () => clock.now(),
				reserveNodePort: (port) => router.reserveNodePort(port),
				prePull: (node, image) => controllers.kubelet.prePull(node, image),
				scale: options.scale,
			});
		} finally {
			controllers.manager.release();
		}
		if (options.scenario === 'scale' && (options.scale?.churn ?? 0) > 0) {
			churn = new Churn(controllers.manager, controllers.kubelet, options.scale!.churn!);
			churn.start();
		}
		const kubeconfig = server.kubeconfig();
		let kubeconfigPath = options.kubeconfigOut;
		if (!kubeconfigPath) {
			tempDir = await mkdtemp(join(tmpdir(), 'rollout-cockpit-sim-'));
			kubeconfigPath = join(tempDir, 'kubeconfig');
		}
		await writeFile(kubeconfigPath, kubeconfig, {mode: 0o600});
		await chmod(kubeconfigPath, 0o600);
		// The scenario is in place: the faults start now, so none hits the set-up.
		if (spec) faults.add(spec);
		let stopped: Promise<void> | undefined;
		return {
			url: server.url,
			token: server.token,
			kubeconfigPath,
			kubeconfig,
			store,
			clock,
			controllers,
			router,
			faults,
			requests,
			churn,
			restartApiServer: (down) => api.restart(down),
			killNode: (node) => {
				if (!store.get('nodes', undefined, node)) throw new Error(`no node ${JSON.stringify(node)} in the cluster`);
				controllers.kubelet.stopNode(node);
			},
			reviveNode: (node) => controllers.kubelet.startNode(node),
			stop: () => (stopped ??= stopParts()),
		};
	} catch (error) {
		await stopParts();
		throw error;
	}
}
