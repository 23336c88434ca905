// Sends planned actions: a fresh read, the plan re-made on it, one PATCH guarded by the read's
// resourceVersion, and a bounded retry only after a 409 (which by definition applied nothing).
import type {Connection} from '../connect.js';
import {ApiRequestError, openRequest, readBody} from '../http.js';
import type {Deployment, ReplicaSet} from '../../model/types.js';
import {controllerOf} from '../../model/util.js';
import {describeApiError, type ApiFailure} from './api-errors.js';
import {deploymentPath, replicaSetsPath, selectorString} from './common.js';
import {planAction} from './plan.js';
import type {ActionPlan, ActionResult, Intent, PlanContext, PlannedRequest} from './types.js';

// Tunables; the defaults suit an interactive cockpit.
export type RunnerOptions = {
	/** The fieldManager the API server records for our writes. @default 'rollout-cockpit' */
	fieldManager?: string;
	/** The program name change-cause starts with. @default 'rollout-cockpit' */
	program?: string;
	/** Attempts in all when the server answers 409 Conflict. @default 5 */
	maxAttempts?: number;
	/** Per-request timeout. @default 30000 */
	timeoutMs?: number;
	/** The clock restarts are stamped with. @default () => new Date() */
	now?: () => Date;
	/** --readonly: every apply is refused without a request, whatever the UI lets through. @default false */
	readonly?: boolean;
};

// Applies plans for one connection. Holds the in-flight guard: one change per deployment at a time.
export type ActionRunner = {
	// Sends the plan's intent against a fresh read; never throws, the result says how it ended.
	apply(plan: ActionPlan): Promise<ActionResult>;
	// Plans the intent on the caller's view (e.g. the cockpit store) and applies it if there is a plan:
	// bad input is answered without any request. For callers that need no confirmation step.
	run(intent: Intent, ctx: PlanContext): Promise<ActionResult>;
	// The fresh read apply() plans on: the Deployment and the ReplicaSets it controls.
	read(
		namespace: string,
		name: string,
	): Promise<{ok: true; deployment: Deployment; replicaSets: ReplicaSet[]} | {ok: false; message: string; status: number}>;
	// True while a change to this deployment is being sent (the UI can grey out its keys).
	inFlight(namespace: string, name: string): boolean;
};

type Sent<T> = {ok: true; value: T} | {ok: false; failure: ApiFailure};

// A runner over a connection (its kubeconfig's TLS and credentials are used for every request).
export function createActionRunner(conn: Connection, options: RunnerOptions = {}): ActionRunner {
	const fieldManager = options.fieldManager ?? 'rollout-cockpit';
	const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
	const timeoutMs = options.timeoutMs ?? 30_000;
	const now = options.now ?? (() => new Date());
	const busy = new Set<string>();

	async function send<T>(
		method: string,
		path: string,
		init: {query?: Record<string, string>; body?: unknown; contentType?: string} = {},
	): Promise<Sent<T>> {
		const signal = AbortSignal.timeout(timeoutMs);
		try {
			const res = await openRequest(conn, path, {
				method,
				signal,
				query: init.query,
				body: init.body === undefined ? undefined : JSON.stringify(init.body),
				contentType: init.contentType,
			});
			const text = await readBody(conn, res);
			const status = res.statusCode ?? 0;
			let parsed: unknown;
			try {
				parsed = text === '' ? undefined : JSON.parse(text);
			} catch {
				parsed = undefined;
			}
			if (status >= 200 && status < 300) return {ok: true, value: parsed as T};
			const body =
				parsed && typeof parsed === 'object' && (parsed as {kind?: string}).kind === 'Status' ? (parsed as ApiFailure['body']) : undefined;
			return {ok: false, failure: {status, body}};
		} catch (error) {
			if (signal.aborted)
				return {
					ok: false,
					failure: {status: 0, code: `no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`},
				};
			const code = error instanceof ApiRequestError ? error.code : (error as NodeJS.ErrnoException)?.code;
			return {ok: false, failure: {status: 0, code: code ?? (error as Error)?.message ?? String(error)}};
		}
	}

	function fail(plan: ActionPlan, failure: ApiFailure, verbOnResource: string, attempts: number, sentWrite: boolean): ActionResult {
		let message = describeApiError(failure, {verbOnResource, namespace: plan.namespace, name: plan.name, server: conn.clusterServer});
		// A write that got no answer may have been applied: say so rather than guess (and never resend it).
		if (sentWrite && failure.status === 0 && !NEVER_CONNECTED.has(failure.code ?? ''))
			message += '; the change may or may not have been applied, check the deployment';
		return {ok: false, reason: 'api', message, status: failure.status, plan, attempts};
	}

	type State = {ok: true; deployment: Deployment; replicaSets?: ReplicaSet[]} | {ok: false; failure: ApiFailure; verbOnResource: string};

	async function readState(namespace: string, name: string, withReplicaSets: boolean): Promise<State> {
		const read = await send<Deployment>('GET', deploymentPath(namespace, name));
		if (!read.ok) return {ok: false, failure: read.failure, verbOnResource: 'get deployments.apps'};
		const deployment = read.value;
		if (!withReplicaSets) return {ok: true, deployment};
		// kubectl's GetAllReplicaSets: list by the deployment's selector, keep those it controls.
		const listed = await send<{items?: ReplicaSet[]}>('GET', replicaSetsPath(namespace), {
			query: {labelSelector: selectorString(deployment.spec?.selector)},
		});
		if (!listed.ok) return {ok: false, failure: listed.failure, verbOnResource: 'list replicasets.apps'};
		const uid = deployment.metadata?.uid;
		return {ok: true, deployment, replicaSets: (listed.value?.items ?? []).filter((rs) => controllerOf(rs.metadata)?.uid === uid)};
	}

	async function applyOnce(plan: ActionPlan, attempt: number): Promise<ActionResult | 'conflict'> {
		const {namespace, name, intent} = plan;
		let current = plan;
		if (needsRead(intent)) {
			const state = await readState(namespace, name, intent.action === 'undo');
			if (!state.ok) return fail(plan, state.failure, state.verbOnResource, attempt, false);
			const replanned = planAction(intent, {
				deployment: state.deployment,
				replicaSets: state.replicaSets,
				now: now(),
				program: options.program,
			});
			if (!replanned.ok) return {...replanned, attempts: attempt, plan};
			current = replanned.plan;
		}
		const request = withPrecondition(current.request, current.basedOn);
		const written = await send<unknown>(request.method, request.path, {
			query: {fieldManager},
			body: request.body,
			contentType: request.contentType,
		});
		if (written.ok) return {ok: true, message: `deployment.apps/${name} ${current.done}`, plan: current, attempts: attempt};
		if (written.failure.status === 409) return 'conflict';
		return fail(current, written.failure, request.verbOnResource, attempt, true);
	}

	const runner: ActionRunner = {
		inFlight: (namespace, name) => busy.has(`${namespace}/${name}`),
		async read(namespace, name) {
			const state = await readState(namespace, name, true);
			if (!state.ok) {
				return {
					ok: false,
					status: state.failure.status,
					message: describeApiError(state.failure, {verbOnResource: state.verbOnResource, namespace, name, server: conn.clusterServer}),
				};
			}
			return {ok: true, deployment: state.deployment, replicaSets: state.replicaSets ?? []};
		},
		async run(intent, ctx) {
			const planned = planAction(intent, {program: options.program, ...ctx});
			if (!planned.ok) return {...planned, attempts: 0};
			return runner.apply(planned.plan);
		},
		async apply(plan) {
			if (options.readonly) {
				return {
					ok: false,
					reason: 'refused',
					message: `read-only mode: ${plan.command} was not sent (started with --readonly)`,
					plan,
					attempts: 0,
				};
			}
			const key = `${plan.namespace}/${plan.name}`;
			if (busy.has(key)) {
				return {
					ok: false,
					reason: 'busy',
					message: `a change to deployment/${plan.name} is still being sent; wait for it to finish`,
					plan,
					attempts: 0,
				};
			}
			busy.add(key);
			try {
				for (let attempt = 1; attempt <= maxAttempts; attempt++) {
					const result = await applyOnce(plan, attempt);
					if (result !== 'conflict') return result;
				}
				return fail(plan, {status: 409}, plan.request.verbOnResource, maxAttempts, false);
			} finally {
				busy.delete(key);
			}
		},
	};
	return runner;
}

// Network errors that mean the request never left: nothing can have been applied.
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

// Scale needs no read: kubectl's scale patch carries only the new count, which cannot be stale.
function needsRead(intent: Intent): boolean {
	return intent.action !== 'scale';
}

// The request with the read's resourceVersion added, so that the server answers 409 (and applies
// nothing) if the deployment changed since it was read, instead of applying a plan made on old data.
export function withPrecondition(request: PlannedRequest, resourceVersion: string | undefined): PlannedRequest {
	if (!resourceVersion) return request;
	if (request.contentType === 'application/json-patch+json') {
		const ops = Array.isArray(request.body) ? request.body : [];
		return {...request, body: [...ops, {op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion}]};
	}
	const body = (request.body ?? {}) as {metadata?: Record<string, unknown>};
	return {...request, body: {...body, metadata: {...(body.metadata ?? {}), resourceVersion}}};
}
