// The soak: the cockpit's data layer (startCockpitData and its store, over HTTPS) against the embedded cluster under
// random, seeded faults, mixed with rollouts, scale changes, restarts and a node loss. It alternates chaos periods
// (fault rules on, a change to the deployment every second) with quiet periods (faults off), and after each quiet
// period compares what the cockpit holds with what the cluster holds: the same deployments, ReplicaSets, pods and
// events, at the same resourceVersions (no ghost, no missing object, every event once). It also judges the client
// from the server's side, through the sim's request log: after a failed request the next one for the same resource
// comes no sooner than the reflector's first backoff, and no resource sees a burst of requests. Used by the short
// soak in the suite (test/soak/soak.test.ts) and the long one on demand (npm run soak, scripts/soak.ts).
import {KubeConfig} from '@kubernetes/client-node';
import v8 from 'node:v8';
import vm from 'node:vm';
import {connectionFrom} from '../../source/kube/connect.js';
import type {ReflectorTiming} from '../../source/kube/watch.js';
import type {KubeEvent} from '../../source/model/types.js';
import {mayConcernDeployment} from '../../source/state/cockpit-data.js';
import {CockpitStore, startCockpitData} from '../../source/state/store.js';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import type {KubeObject} from '../../source/sim/store.js';
import {seededRandom} from '../../source/sim/faults/random.js';

export type SoakOptions = {
	/** Chaos and quiet periods, in order, until this long has passed (wall ms). */
	durationMs: number;
	/** The sim's clock speed: the node loss's 50 s grace and 300 s toleration pass this much faster. */
	speed: number;
	seed: number;
	/** A chaos period (wall ms). @default 3000 */
	chaosMs?: number;
	/** A quiet period: faults off, then the comparison (wall ms). @default 3000 */
	quietMs?: number;
	/** The node killed during the soak comes back after this long (wall ms). @default 25000 */
	nodeDownMs?: number;
	/** Progress lines. */
	log?: (line: string) => void;
};

export type SoakReport = {
	faults: number;
	faultCounts: Record<string, number>;
	periods: number;
	/** From the end of each chaos period to the first moment the cockpit equalled the cluster (ms). */
	convergenceMs: number[];
	p50: number;
	p99: number;
	/** Quiet periods after which the cockpit still differed from the cluster 2 s past the period's end. */
	divergences: string[];
	requests: number;
	requestsPerFault: number;
	/** Requests for one resource within any one second, at most. */
	maxPerSecond: number;
	/** Retries that came sooner after a failure than the backoff allows. */
	backoffViolations: string[];
	/** Unhandled rejections, uncaught exceptions, reflector failures (a throw inside a step). */
	crashes: string[];
	/** Errors of the sim's controllers. */
	simErrors: string[];
	workload: Record<string, number>;
	heapStartMb: number;
	heapEndMb: number;
	rssEndMb: number;
	pods: number;
	events: number;
	/** Pods the taint eviction controller evicted from the killed node. */
	evictions: number;
};

// The reflector's tuning for the soak: the same rules as in the cockpit, in shorter times (backoff 100 ms doubling to
// 1 s, a stall after 2 s, a request abandoned after 2 s), so that a quiet period of seconds covers a full backoff.
export const SOAK_TIMING: ReflectorTiming = {
	backoffInitialMs: 100,
	backoffMaxMs: 1000,
	stallMs: 2000,
	requestTimeoutMs: 2000,
	minWatchTimeoutSeconds: 20,
	healthyWatchMs: 5000,
};

// The faults of a chaos period: dropped, stalled and expired watches, 500s and 429s on lists and watches, latency, and
// now and then an API server restart.
const CHAOS = [
	'drop-watches:mean=300ms',
	'expire:mean=1s,as=event',
	'expire:mean=2s,as=http',
	'error:p=0.15,code=500,verbs=list+watch',
	'error:p=0.1,code=429,retry-after=1,verbs=list+watch',
	'latency:ms=50,jitter=100,p=0.3',
	'stall-watches:p=0.1',
	'stall-watches:mean=1.5s',
	'restart:mean=6s,down=300ms',
].join('; ');

const IMAGES = ['nginx:1.18', 'nginx:1.19', 'nginx:1.20.1', 'nginx:1.21', 'nginx:1.25'];
const NS = 'default';
const NAME = 'web';

// A GC now (the soak runs in the test runner, without --expose-gc).
function collectGarbage(): void {
	v8.setFlagsFromString('--expose_gc');
	(vm.runInNewContext('gc') as () => void)();
}

const heapMb = () => Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;

function percentile(values: number[], p: number): number {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function webDeployment(): KubeObject {
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name: NAME, namespace: NS, labels: {app: NAME}},
		spec: {
			replicas: 6,
			selector: {matchLabels: {app: NAME}},
			strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}},
			template: {metadata: {labels: {app: NAME}}, spec: {containers: [{name: 'nginx', image: IMAGES[0]}]}},
		},
	};
}

// What the cluster holds that the cockpit should hold: by kind, name -> resourceVersion.
function clusterView(cluster: SimCluster): Record<string, Map<string, string>> {
	const byLabel = (resource: string) =>
		new Map(
			cluster.store
				.list(resource, NS)
				.items.filter((o) => o.metadata.labels?.app === NAME)
				.map((o) => [o.metadata.name!, o.metadata.resourceVersion!]),
		);
	return {
		deployments: new Map(cluster.store.list('deployments', NS).items.map((o) => [o.metadata.name!, o.metadata.resourceVersion!])),
		replicaSets: byLabel('replicasets'),
		pods: byLabel('pods'),
		events: new Map(
			cluster.store
				.list('events', NS)
				.items.filter((e) => mayConcernDeployment(e as unknown as KubeEvent, NAME))
				.map((o) => [o.metadata.name!, o.metadata.resourceVersion!]),
		),
	};
}

type Named = {metadata?: {name?: string; resourceVersion?: string; uid?: string} | null};

// What the cockpit holds, in the same shape; events that appear twice are reported.
function cockpitView(store: CockpitStore): {view: Record<string, Map<string, string>>; duplicates: number} {
	const s = store.getState();
	const of = (m: ReadonlyMap<string, Named>) =>
		new Map([...m.values()].map((o) => [o.metadata?.name ?? '', o.metadata?.resourceVersion ?? '']));
	const events = new Map<string, string>();
	let duplicates = 0;
	for (const e of s.rawEvents as Named[]) {
		const name = e.metadata?.name ?? '';
		if (events.has(name)) duplicates++;
		events.set(name, e.metadata?.resourceVersion ?? '');
	}
	return {view: {deployments: of(s.deployments), replicaSets: of(s.replicaSets), pods: of(s.pods), events}, duplicates};
}

// The differences between the two views, in a few words (empty when equal).
function differences(cluster: SimCluster, store: CockpitStore): string[] {
	const want = clusterView(cluster);
	const {view: have, duplicates} = cockpitView(store);
	const out: string[] = [];
	if (duplicates > 0) out.push(`${duplicates} duplicate events`);
	for (const kind of Object.keys(want)) {
		const w = want[kind]!;
		const h = have[kind]!;
		const missing = [...w.keys()].filter((k) => !h.has(k));
		const ghosts = [...h.keys()].filter((k) => !w.has(k));
		const stale = [...w.keys()].filter((k) => h.has(k) && h.get(k) !== w.get(k));
		if (missing.length)
			out.push(`${kind}: missing ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` (+${missing.length - 3})` : ''}`);
		if (ghosts.length) out.push(`${kind}: ghosts ${ghosts.slice(0, 3).join(', ')}${ghosts.length > 3 ? ` (+${ghosts.length - 3})` : ''}`);
		if (stale.length) out.push(`${kind}: stale ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ` (+${stale.length - 3})` : ''}`);
	}
	return out;
}

// The request log judged against the backoff: the reflectors' list and watch requests per resource, in order.
function judgeRequests(
	cluster: SimCluster,
	since: number,
	user: string,
	minGapMs: number,
): {violations: string[]; maxPerSecond: number; count: number} {
	const records = cluster.requests.entries(since).filter((r) => r.user === user && (r.verb === 'list' || r.verb === 'watch'));
	const byResource = new Map<string, typeof records>();
	for (const r of records) {
		const list = byResource.get(r.resource) ?? [];
		list.push(r);
		byResource.set(r.resource, list);
	}
	const violations: string[] = [];
	let maxPerSecond = 0;
	for (const [resource, list] of byResource) {
		for (let i = 1; i < list.length; i++) {
			const prev = list[i - 1]!;
			const failed = prev.status === 500 || prev.status === 429;
			// After a 500 or a 429 (the request ended at `end`) the reflector waits its backoff before the next request.
			if (failed && prev.end !== undefined && list[i]!.time - prev.end < minGapMs * 0.9)
				violations.push(`${resource}: ${list[i]!.time - prev.end} ms after a ${prev.status} (backoff starts at ${minGapMs} ms)`);
		}
		let start = 0;
		for (let i = 0; i < list.length; i++) {
			while (list[i]!.time - list[start]!.time >= 1000) start++;
			maxPerSecond = Math.max(maxPerSecond, i - start + 1);
		}
	}
	return {violations, maxPerSecond, count: records.length};
}

// One change to the deployment, as kubectl would make it: a new image, a scale, or a restart.
function change(cluster: SimCluster, random: () => number, counts: Record<string, number>): void {
	const d = structuredClone(cluster.store.mustGet('deployments', NS, NAME));
	delete d.metadata.resourceVersion;
	const roll = random();
	if (roll < 0.4) {
		const current = d.spec.template.spec.containers[0].image;
		const next = IMAGES.filter((i) => i !== current)[Math.floor(random() * (IMAGES.length - 1))]!;
		d.spec.template.spec.containers[0].image = next;
		counts.rollouts = (counts.rollouts ?? 0) + 1;
	} else if (roll < 0.75) {
		d.spec.replicas = 3 + Math.floor(random() * 6);
		counts.scales = (counts.scales ?? 0) + 1;
	} else {
		d.spec.template.metadata.annotations = {
			...d.spec.template.metadata.annotations,
			'kubectl.kubernetes.io/restartedAt': new Date().toISOString(),
		};
		counts.restarts = (counts.restarts ?? 0) + 1;
	}
	cluster.store.update('deployments', d);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a soak; never throws for what it measures (the report says it), only for a broken set-up. */
export async function runSoak(o: SoakOptions): Promise<SoakReport> {
	const chaosMs = o.chaosMs ?? 3000;
	const quietMs = o.quietMs ?? 3000;
	const log = o.log ?? (() => {});
	const crashes: string[] = [];
	const onRejection = (reason: unknown) => crashes.push(`unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`);
	const onException = (error: Error) => crashes.push(`uncaught exception: ${error.stack ?? error.message}`);
	process.on('unhandledRejection', onRejection);
	process.on('uncaughtException', onException);
	const simErrors: string[] = [];
	const random = seededRandom(o.seed);
	// The spec's rules run only during chaos periods; its seed seeds every draw of the injector.
	const cluster = await startCluster({
		scenario: 'empty',
		speed: o.speed,
		faults: `seed=${o.seed}; ${CHAOS}`,
		onError: (controller, key, error) => simErrors.push(`${controller} ${key}: ${(error as Error)?.message ?? String(error)}`),
	});
	cluster.faults.clear();
	const kc = new KubeConfig();
	kc.loadFromString(cluster.kubeconfig);
	const conn = connectionFrom(kc, NS);
	const store = new CockpitStore(
		{context: conn.contextName, server: conn.clusterServer, namespace: NS, deploymentName: NAME},
		{flushIntervalMs: 20, tickMs: false, eventLimit: 1_000_000},
	);
	store.subscribe(() => {
		for (const [kind, state] of Object.entries(store.getState().connection.byKind))
			if (state.error?.startsWith('the reflector for')) crashes.push(`${kind}: ${state.error}`);
	});
	const data = startCockpitData(conn, store, {timing: SOAK_TIMING, fetchServerVersion: false});
	const convergenceMs: number[] = [];
	const divergences: string[] = [];
	const workload: Record<string, number> = {};
	const backoffViolations: string[] = [];
	let maxPerSecond = 0;
	let requests = 0;
	let periods = 0;
	try {
		cluster.store.create('deployments', webDeployment());
		const until = async (what: string, ms: number) => {
			const deadline = Date.now() + ms;
			for (;;) {
				store.flush();
				if (differences(cluster, store).length === 0 && store.getState().synced.pods) return;
				if (Date.now() > deadline) throw new Error(`soak set-up: ${what} not reached: ${differences(cluster, store).join('; ')}`);
				await sleep(25);
			}
		};
		await until('the first sync', 20_000);
		collectGarbage();
		const heapStartMb = heapMb();
		const started = Date.now();
		const killAt = 1 + Math.floor(random() * 2);
		log(`soak: seed ${o.seed}, speed ${o.speed}x, chaos ${chaosMs} ms / quiet ${quietMs} ms for ${Math.round(o.durationMs / 1000)} s`);
		while (Date.now() - started < o.durationMs) {
			periods++;
			const periodStart = Date.now();
			const remove = cluster.faults.add(CHAOS);
			if (periods === killAt) {
				await cluster.faults.inject('kill-node', {down: o.nodeDownMs ?? 25_000});
				workload.nodeLosses = (workload.nodeLosses ?? 0) + 1;
			}
			for (let t = 0; t < chaosMs; t += 1000) {
				change(cluster, random, workload);
				await sleep(Math.min(1000, chaosMs - t));
			}
			remove();
			// Quiet: how long until the cockpit equals the cluster again; it must by the end of the period (+2 s).
			const quietStart = Date.now();
			let converged: number | undefined;
			let last: string[] = [];
			while (Date.now() - quietStart < quietMs + 2000) {
				store.flush();
				last = differences(cluster, store);
				if (last.length === 0) {
					converged ??= Date.now() - quietStart;
					if (Date.now() - quietStart >= quietMs) break;
				} else converged = undefined;
				await sleep(25);
			}
			if (converged === undefined) divergences.push(`period ${periods}: ${last.join('; ')}`);
			else convergenceMs.push(converged);
			const judged = judgeRequests(cluster, periodStart, 'admin', SOAK_TIMING.backoffInitialMs ?? 800);
			backoffViolations.push(...judged.violations.map((v) => `period ${periods}: ${v}`));
			maxPerSecond = Math.max(maxPerSecond, judged.maxPerSecond);
			requests += judged.count;
			// The log is judged per period and then forgotten, so that it does not weigh on the memory figure.
			cluster.requests.clear();
			log(
				`period ${periods}: ${cluster.faults.total} faults so far, converged ${converged === undefined ? 'NOT' : `in ${converged} ms`}, ${judged.count} requests, ${heapMb()} MB heap`,
			);
		}
		// Let a revival that is due come, so that the end state includes it.
		collectGarbage();
		const heapEndMb = heapMb();
		const faults = cluster.faults.total;
		const s = store.getState();
		return {
			faults,
			faultCounts: {...cluster.faults.counts},
			periods,
			convergenceMs,
			p50: percentile(convergenceMs, 50),
			p99: percentile(convergenceMs, 99),
			divergences,
			requests,
			requestsPerFault: Math.round((requests / Math.max(1, faults)) * 100) / 100,
			maxPerSecond,
			backoffViolations,
			crashes,
			simErrors,
			workload,
			heapStartMb,
			heapEndMb,
			rssEndMb: Math.round(process.memoryUsage().rss / 2 ** 20),
			pods: s.pods.size,
			events: s.rawEvents.length,
			evictions: cluster.store
				.list('events', NS)
				.items.filter(
					(e) =>
						(e as unknown as KubeEvent).reason === 'TaintManagerEviction' && /^Marking/.test((e as unknown as KubeEvent).message ?? ''),
				).length,
		};
	} finally {
		data.stop();
		store.dispose();
		await cluster.stop();
		process.off('unhandledRejection', onRejection);
		process.off('uncaughtException', onException);
	}
}
