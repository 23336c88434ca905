// Sends planned actions: the plan the user confirmed, once, guarded by the resourceVersion it was planned on;
// only after a 409 (which by definition applied nothing) a fresh read, the intent planned again on it, and a
// bounded retry. Read-only mode and the one-change-at-a-time rule are the commands' (source/commands/).
import type {Connection} from '../connect.js';
import {ApiRequestError, openRequest, readBody} from '../http.js';
import type {Deployment, ReplicaSet} from '../../model/types.js';
import {controllerOf} from '../../model/util.js';
import {describeApiError, type ApiFailure} from './api-errors.js';
import {deploymentPath, replicaSetsPath} from './common.js';
import {labelSelectorString} from '../../model/util.js';
import {planAction} from './plan.js';
import {stampRestart} from './restart.js';
import type {ActionPlan, ActionResult, PlannedRequest} from './types.js';

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
	/** The clock restarts are stamped with when sent. @default () => new Date() */
	now?: () => Date;
};

// Applies plans for one connection.
export type ActionRunner = {
	// Sends the plan; never throws, the result says how it ended.
	apply(plan: ActionPlan): Promise<ActionResult>;
};

type Sent<T> = {ok: true; value: T} | {ok: false; failure: ApiFailure};

// A runner over a connection (its kubeconfig's TLS and credentials are used for every request).
export function createActionRunner(conn: Connection, options: RunnerOptions = {}): ActionRunner {
	const fieldManager = options.fieldManager ?? 'rollout-cockpit';
	const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
	const timeoutMs = options.timeoutMs ?? 30_000;
	const now = options.now ?? (() => new Date());

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
			const text = await readBody(conn.clusterServer, res);
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
		// Refused before it left: nothing was applied, and nothing is kept to be sent later.
		else if (failure.status === 0) message += '; nothing was sent and nothing is queued: try again once the header says live';
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
			query: {labelSelector: labelSelectorString(deployment.spec?.selector) ?? ''},
		});
		if (!listed.ok) return {ok: false, failure: listed.failure, verbOnResource: 'list replicasets.apps'};
		const uid = deployment.metadata?.uid;
		return {ok: true, deployment, replicaSets: (listed.value?.items ?? []).filter((rs) => controllerOf(rs.metadata)?.uid === uid)};
	}

	// The intent planned again on a fresh read, after a 409: the deployment changed since it was planned.
	async function replan(plan: ActionPlan, attempt: number): Promise<ActionPlan | ActionResult> {
		const {namespace, name, intent} = plan;
		const state = await readState(namespace, name, intent.action === 'undo');
		if (!state.ok) return fail(plan, state.failure, state.verbOnResource, attempt, false);
		const replanned = planAction(intent, {
			deployment: state.deployment,
			replicaSets: state.replicaSets,
			now: now(),
			program: options.program,
		});
		return replanned.ok ? replanned.plan : {...replanned, attempts: attempt, plan};
	}

	// One PATCH, guarded by the resourceVersion the plan was made on; 'conflict' when the server answered 409.
	async function send1(plan: ActionPlan, attempt: number): Promise<ActionResult | 'conflict'> {
		const request = withPrecondition(plan.request, plan.basedOn);
		const written = await send<unknown>(request.method, request.path, {
			query: {fieldManager},
			body: request.body,
			contentType: request.contentType,
		});
		if (written.ok) return {ok: true, message: `deployment.apps/${plan.name} ${plan.done}`, plan, attempts: attempt};
		if (written.failure.status === 409) return 'conflict';
		return fail(plan, written.failure, request.verbOnResource, attempt, true);
	}

	return {
		async apply(confirmed) {
			let plan = stampRestart(confirmed, now());
			for (let attempt = 1; attempt <= maxAttempts; attempt++) {
				if (attempt > 1) {
					const fresh = await replan(plan, attempt);
					if ('ok' in fresh) return fresh;
					plan = fresh;
				}
				const result = await send1(plan, attempt);
				if (result !== 'conflict') return result;
			}
			return fail(plan, {status: 409}, plan.request.verbOnResource, maxAttempts, false);
		},
	};
}

// Network errors that mean the request never left: nothing can have been applied.
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

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
