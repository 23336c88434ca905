// `kubectl rollout restart`: bump the pod template's restartedAt annotation so that every pod is replaced.
import {
	CHANGE_CAUSE_ANNOTATION,
	DEFAULT_PROGRAM,
	RESTARTED_AT_ANNOTATION,
	deploymentPath,
	formatRFC3339,
	identify,
	nextRevisionNote,
} from './common.js';
import type {ActionPlan, PlanContext, Planned} from './types.js';

// kubectl's own refusal (objectrestarter.go): a paused deployment would not roll the restart out.
export const RESTART_PAUSED_MESSAGE = "can't restart paused deployment (run rollout resume first)";

// Plans a restart: the strategic merge patch kubectl sends, plus the change-cause in the same request.
export function planRestart(ctx: PlanContext): Planned {
	const id = identify(ctx.deployment);
	if ('ok' in id) return id;
	const {deployment} = ctx;
	if (deployment.spec?.paused) return {ok: false, reason: 'refused', message: RESTART_PAUSED_MESSAGE};
	const at = formatRFC3339(ctx.now ?? new Date());
	// kubectl stamps whole seconds: a second restart within the same second would change nothing.
	if (deployment.spec?.template?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION] === at) {
		return {ok: false, reason: 'noop', message: `deployment/${id.name} was restarted at ${at} already; try again in a second`};
	}
	const command = `rollout restart deployment/${id.name}`;
	const changeCause = `${ctx.program ?? DEFAULT_PROGRAM} ${command}`;
	return {
		ok: true,
		plan: {
			intent: {action: 'restart'},
			...id,
			command,
			// The runner stamps the time it sends (stampRestart), as kubectl stamps the time it runs, so the
			// confirmation says what it will be rather than a time that would already be stale.
			changes: [`${id.name}: restart every pod (${RESTARTED_AT_ANNOTATION} set to the time you confirm)${nextRevisionNote(deployment)}`],
			changeCause,
			request: {
				method: 'PATCH',
				path: deploymentPath(id.namespace, id.name),
				contentType: 'application/strategic-merge-patch+json',
				body: {
					metadata: {annotations: {[CHANGE_CAUSE_ANNOTATION]: changeCause}},
					spec: {template: {metadata: {annotations: {[RESTARTED_AT_ANNOTATION]: at}}}},
				},
				verbOnResource: 'patch deployments.apps',
			},
			basedOn: deployment.metadata?.resourceVersion,
			done: 'restarted',
		},
	};
}

// A restart plan's patch with restartedAt set to `at` (the moment it is sent); other plans are returned as they are.
export function stampRestart(plan: ActionPlan, at: Date): ActionPlan {
	if (plan.intent.action !== 'restart') return plan;
	const body = plan.request.body as {metadata: unknown; spec: {template: {metadata: {annotations: Record<string, string>}}}};
	const annotations = {...body.spec.template.metadata.annotations, [RESTARTED_AT_ANNOTATION]: formatRFC3339(at)};
	return {...plan, request: {...plan.request, body: {...body, spec: {template: {metadata: {annotations}}}}}};
}
