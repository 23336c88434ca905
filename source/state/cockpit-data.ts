// Wires the reflectors to the store: deployments of the namespace always; ReplicaSets and pods scoped
// by the chosen deployment's label selector; events of the namespace, kept only when they can concern it.
// It follows the store's deploymentName (a reconcile on every change), so choosing a deployment re-scopes.
import {serverVersion, type Connection} from '../kube/connect.js';
import {reviewAccess, type AccessNeed} from '../kube/access.js';
import {leanPod} from '../kube/lean-pod.js';
import {listOffThread, startListWorker} from '../kube/list-off-thread.js';
import {reflect, stripManagedFields, type EarlyList, type Reflector, type ReflectorTiming} from '../kube/watch.js';
import type {Deployment, KubeEvent} from '../model/types.js';
import {labelSelectorString} from '../model/util.js';
import type {CockpitKind, CockpitStore} from './store.js';

// Knobs for tests and benchmarks.
export type CockpitDataOptions = {
	timing?: ReflectorTiming;
	/** List page size (0 = one request). @default 0 */
	pageSize?: number;
	/** Ask /version for the header. @default true */
	fetchServerVersion?: boolean;
	/**
	 * The chosen deployment as the start-up checks read it: until the deployments' list has arrived, its selector
	 * scopes the pod and ReplicaSet watches, so the pods are listed at once instead of after that list.
	 */
	seed?: Deployment;
	/** What the keys that change things need: reviewed once (SelfSubjectAccessReview each) when the deployments are first watched. */
	accessNeeds?: readonly AccessNeed[];
	/** The seed's pods, asked for before the data started (listPodsEarly): the pods reflector's first list if it scopes the same. */
	earlyPods?: EarlyList<unknown>;
};

// The collections the cockpit watches in a namespace.
function collectionPaths(namespace: string): Record<CockpitKind, string> {
	const ns = encodeURIComponent(namespace);
	return {
		deployments: `/apis/apps/v1/namespaces/${ns}/deployments`,
		replicaSets: `/apis/apps/v1/namespaces/${ns}/replicasets`,
		pods: `/api/v1/namespaces/${ns}/pods`,
		events: `/api/v1/namespaces/${ns}/events`,
	};
}

// Asks for the deployment's pods as the pods reflector will, before the cockpit's data starts: at start-up, as soon as
// the checks have read the chosen deployment, so the server builds the longest answer while the screens load. The
// list is read and parsed on a worker thread (list-off-thread.ts) as it arrives.
export function listPodsEarly(conn: Connection, deployment: Deployment, options: Pick<CockpitDataOptions, 'timing'> = {}) {
	return listOffThread<unknown>({
		conn,
		path: collectionPaths(conn.namespace).pods,
		labelSelector: labelSelectorString(deployment.spec?.selector) || undefined,
		transform: 'pod',
		requestTimeoutMs: options.timing?.requestTimeoutMs,
	});
}

// Starts the thread listPodsEarly lists on, while the checks that read the deployment are answered.
export const prepareListPodsEarly = startListWorker;

// Events about a deployment's objects name them "<deployment>", "<deployment>-<hash>" or
// "<deployment>-<hash>-<suffix>": a cheap test that keeps the bounded event log for this deployment.
export function mayConcernDeployment(event: KubeEvent, deploymentName: string): boolean {
	const obj = event.involvedObject;
	if (!obj?.name) return false;
	if (obj.kind !== 'Deployment' && obj.kind !== 'ReplicaSet' && obj.kind !== 'Pod') return false;
	return obj.name === deploymentName || obj.name.startsWith(`${deploymentName}-`);
}

// Whether the pods' first list has been answered: listed, or failed (the reflector is retrying or gave up).
function podsAnswered(state: ReturnType<CockpitStore['getState']>): boolean {
	const phase = state.connection.byKind.pods?.phase;
	return state.synced.pods || phase === 'backoff' || phase === 'error' || phase === 'stalled';
}

// Starts the watches the store needs and follows the chosen deployment; stop() ends them all.
export function startCockpitData(conn: Connection, store: CockpitStore, options: CockpitDataOptions = {}): {stop(): void} {
	const paths = collectionPaths(conn.namespace);
	// The early pod list is the pods reflector's first list while the seed still scopes it; else it is dropped.
	let early = options.earlyPods;
	const takeEarlyPods = (labelSelector: string | undefined) => {
		const list = early;
		early = undefined;
		if (list && list.labelSelector === labelSelector) return list.answer;
		list?.abort();
		return undefined;
	};
	const running = new Map<CockpitKind, Reflector>();
	const tokens = new Map<CockpitKind, symbol>();
	let stopped = false;
	let podScope: string | undefined;
	let eventScope: string | undefined;
	let versionKnown = false;
	let versionInFlight = false;
	const versionAbort = new AbortController();
	let accessAsked = false;

	// The access review at start: once, when the deployments watch first works (the server is reachable then).
	const askAccess = () => {
		if (accessAsked || stopped || !options.accessNeeds || options.accessNeeds.length === 0) return;
		accessAsked = true;
		void reviewAccess(conn, conn.namespace, options.accessNeeds, versionAbort.signal).then((review) => {
			if (!stopped) store.setAccess(review);
		});
	};

	const fetchVersion = () => {
		if (options.fetchServerVersion === false || versionKnown || versionInFlight || stopped) return;
		versionInFlight = true;
		serverVersion(conn, versionAbort.signal).then(
			(v) => {
				versionKnown = true;
				versionInFlight = false;
				if (!stopped) store.setServerVersion(v);
			},
			() => {
				// Retried when the deployments watch is next established; the watch reports the failure.
				versionInFlight = false;
			},
		);
	};

	const stopKind = (kind: CockpitKind) => {
		const r = running.get(kind);
		if (!r) return;
		r.stop();
		running.delete(kind);
		tokens.delete(kind);
		store.setConnection(kind, undefined);
		store.reset(kind);
	};

	const startKind = (kind: CockpitKind, scope: {labelSelector?: string; keep?: (obj: unknown) => boolean}) => {
		stopKind(kind);
		// Callbacks from a reflector that has been replaced must not touch the store.
		const token = Symbol(kind);
		tokens.set(kind, token);
		const live = () => !stopped && tokens.get(kind) === token;
		const keep = scope.keep;
		const reflector = reflect<unknown>({
			conn,
			path: paths[kind],
			labelSelector: scope.labelSelector || undefined,
			pageSize: options.pageSize,
			timing: options.timing,
			// An undo is planned on the store's copy of the deployment and replaces all its annotations: keep them.
			transform: kind === 'deployments' ? stripManagedFields : kind === 'pods' ? leanPod : undefined,
			first: kind === 'pods' ? takeEarlyPods(scope.labelSelector || undefined) : undefined,
			onSync: (items, rv) => {
				if (live()) store.sync(kind, keep ? items.filter(keep) : items, rv);
			},
			onEvent: (type, obj) => {
				if (live() && (!keep || keep(obj))) store.event(kind, type, obj);
			},
			onState: (state) => {
				if (!live()) return;
				store.setConnection(kind, state);
				if (kind === 'deployments' && state.phase === 'watching') {
					fetchVersion();
					askAccess();
				}
			},
		});
		running.set(kind, reflector);
	};

	const reconcile = () => {
		if (stopped) return;
		const state = store.getState();
		const name = state.deploymentName;
		if (!name) {
			early?.abort();
			early = undefined;
			podScope = undefined;
			eventScope = undefined;
			stopKind('replicaSets');
			stopKind('pods');
			stopKind('events');
			return;
		}
		// Until the deployment is there its selector is unknown: the screen says it is not found, and waits.
		const seed = !state.synced.deployments && options.seed?.metadata?.name === name ? options.seed : undefined;
		const deployment: Deployment | undefined = state.deployments.get(name) ?? seed;
		if (deployment) {
			const selector = labelSelectorString(deployment.spec?.selector);
			const scope = `${name}\u0000${deployment.metadata?.uid ?? ''}\u0000${selector ?? '*'}`;
			if (scope !== podScope) {
				podScope = scope;
				startKind('replicaSets', {labelSelector: selector});
				startKind('pods', {labelSelector: selector});
			}
		}
		// The events list (thousands of them in a busy namespace) waits for the pods' first answer, which the first
		// complete frame waits on: both parsed at once on the one thread would hold that frame back. Another
		// deployment's events stop at once.
		if (eventScope === name) return;
		if (eventScope !== undefined) {
			eventScope = undefined;
			stopKind('events');
		}
		if (!deployment || podsAnswered(store.getState())) {
			eventScope = name;
			startKind('events', {keep: (ev) => mayConcernDeployment(ev as KubeEvent, name)});
		}
	};

	startKind('deployments', {});
	fetchVersion();
	const unsubscribe = store.subscribe(reconcile);
	reconcile();

	return {
		stop() {
			if (stopped) return;
			stopped = true;
			early?.abort();
			unsubscribe();
			versionAbort.abort();
			for (const r of running.values()) r.stop();
			running.clear();
		},
	};
}
