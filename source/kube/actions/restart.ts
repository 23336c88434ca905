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
import type {PlanContext, Planned} from './types.js';

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
			// The stamp is taken again when the change is sent (the runner re-plans on a fresh read), so the
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
