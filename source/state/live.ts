// The cockpit's live link to the cluster: the connection behind the store and everything that uses it (the
// watches, the log streams of the log view, the action runner, the probe, the namespace list for `:ns`). `:ns` and `:ctx` switch it in place,
// without a restart: the old watches stop, the store drops the old scope, and everything starts again on the
// new connection (a namespace reuses the kubeconfig's credentials, a context connects afresh, kubectl's way).
import {connect, withNamespace, type Connection, type ConnectOptions} from '../kube/connect.js';
import {describeError} from '../kube/errors.js';
import {requestJson} from '../kube/http.js';
import {listBudgets} from '../kube/budgets.js';
import {preflight} from '../kube/preflight.js';
import {createActionRunner, type ActionRunner} from '../kube/actions/runner.js';
import {startCockpitData, type CockpitDataOptions} from './cockpit-data.js';
import {startLogData, type LogDataOptions} from './log-data.js';
import type {CockpitStore} from './store.js';

export type LiveOptions = {
	store: CockpitStore;
	conn: Connection;
	/** How the first connection was made (the kubeconfig file): `:ctx` connects the same way. */
	connectOptions?: ConnectOptions;
	/** No runner: every change is refused (--readonly). */
	readonly?: boolean;
	/** Starts what else follows the connection (the probe); returns its stop. */
	attach?: (conn: Connection) => () => Promise<void> | void;
	data?: CockpitDataOptions;
	/** The chosen deployment as the start-up checks read it (CockpitDataOptions.seed), for the first connection only. */
	seed?: CockpitDataOptions['seed'];
	/** Its pods, asked for at start-up (CockpitDataOptions.earlyPods), for the first connection only. */
	earlyPods?: CockpitDataOptions['earlyPods'];
	logs?: LogDataOptions;
	env?: NodeJS.ProcessEnv;
	/** Check a new namespace or context before switching to it (kube/preflight.ts). @default true */
	check?: boolean;
};

// The switch a `:ns` or `:ctx` asks for.
export type SwitchTarget = {context?: string; namespace?: string};

export type Live = {
	readonly conn: Connection;
	readonly runner: ActionRunner | undefined;
	// Switches to another namespace and/or context; a failure (an unusable context) is said on the status line and
	// nothing changes.
	switchTo(target: SwitchTarget): Promise<void>;
	// Lists the namespaces for `:ns` (the answer, or why not, goes into the store); one request at a time.
	listNamespaces(): void;
	// Reads the namespace's PodDisruptionBudgets for the graceful check (the answer, or why not, goes into the store).
	listBudgets(): void;
	stop(): Promise<void>;
};

// The names of the cluster's namespaces.
export async function listNamespaceNames(conn: Connection): Promise<string[]> {
	const list = await requestJson<{items?: {metadata?: {name?: string}}[]}>(conn, '/api/v1/namespaces', {
		signal: AbortSignal.timeout(15_000),
	});
	return (list.items ?? []).map((n) => n.metadata?.name ?? '').filter((n) => n !== '');
}

// The kubeconfig's context names.
export function contextNames(conn: Connection): string[] {
	return conn.kubeConfig.getContexts().map((c) => c.name);
}

// Starts the watches, the log streams (and whatever `attach` starts) on `conn`.
export function startLive(options: LiveOptions): Live {
	const {store} = options;
	let conn = options.conn;
	let data = startCockpitData(conn, store, {...options.data, seed: options.seed, earlyPods: options.earlyPods});
	let logs = startLogData(conn, store, options.logs);
	let detach = options.attach?.(conn);
	let runner = options.readonly ? undefined : createActionRunner(conn);
	let listing: Promise<void> | undefined;
	let stopped = false;

	const stopParts = async () => {
		data.stop();
		logs.stop();
		const d = detach;
		detach = undefined;
		await d?.();
	};

	const live: Live = {
		get conn() {
			return conn;
		},
		get runner() {
			return runner;
		},
		async switchTo(target) {
			if (stopped) return;
			let next: Connection;
			const what =
				target.context !== undefined ? `context ${JSON.stringify(target.context)}` : `namespace ${JSON.stringify(target.namespace)}`;
			try {
				next =
					target.context !== undefined
						? connect({...options.connectOptions, context: target.context, namespace: target.namespace}, options.env)
						: withNamespace(conn, target.namespace ?? conn.namespace);
				// The same checks as at start (server, TLS, credentials, namespace, deployments), so a switch to a cluster
				// or namespace the cockpit cannot use is refused in one line and leaves everything as it was.
				if (options.check !== false) await preflight(next, {timeoutMs: 15_000});
			} catch (error) {
				store.setStatus(
					`cannot switch to ${what}: ${describeError(error, {context: target.context ?? conn.contextName, server: conn.clusterServer})}`,
					'error',
				);
				return;
			}
			if (stopped) return;
			await stopParts();
			if (stopped) return;
			conn = next;
			const how = target.context !== undefined ? `context ${next.contextName}, namespace ${next.namespace}` : `namespace ${next.namespace}`;
			store.switchScope(
				{context: next.contextName, server: next.clusterServer, namespace: next.namespace},
				`switched to ${how}: pick a deployment`,
			);
			listing = undefined;
			runner = options.readonly ? undefined : createActionRunner(next);
			data = startCockpitData(next, store, options.data);
			logs = startLogData(next, store, options.logs);
			detach = options.attach?.(next);
			live.listNamespaces();
		},
		listNamespaces() {
			if (listing || stopped) return;
			const from = conn;
			listing = listNamespaceNames(from)
				.then(
					(names) => {
						if (from === conn && !stopped) store.setNamespaces({names: names.sort()});
					},
					(error: unknown) => {
						if (from === conn && !stopped)
							store.setNamespaces({error: describeError(error, {context: from.contextName, server: from.clusterServer})});
					},
				)
				.finally(() => {
					if (from === conn) listing = undefined;
				});
		},
		listBudgets() {
			if (stopped) return;
			const from = conn;
			const namespace = from.namespace;
			listBudgets(from, namespace).then(
				(items) => {
					if (from === conn && !stopped) store.setBudgets({namespace, items});
				},
				(error: unknown) => {
					if (from === conn && !stopped)
						store.setBudgets({namespace, error: describeError(error, {context: from.contextName, server: from.clusterServer})});
				},
			);
		},
		async stop() {
			if (stopped) return;
			stopped = true;
			await stopParts();
		},
	};
	// Listed at once, so that `:ns` and Tab have them by the time they are typed.
	live.listNamespaces();
	return live;
}
