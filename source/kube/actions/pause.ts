// `kubectl rollout pause` / `resume`: flip spec.paused with the patch kubectl computes.
import {deploymentPath, identify} from './common.js';
import type {PlanContext, Planned} from './types.js';

// Plans a pause; kubectl's objectpauser refuses an already paused deployment with "is already paused".
export function planPause(ctx: PlanContext): Planned {
	const id = identify(ctx.deployment);
	if ('ok' in id) return id;
	if (ctx.deployment.spec?.paused)
		return {ok: false, reason: 'noop', message: `deployments.apps ${JSON.stringify(id.name)} is already paused`};
	return {
		ok: true,
		plan: {
			intent: {action: 'pause'},
			...id,
			command: `rollout pause deployment/${id.name}`,
			changes: [`${id.name}: pause the rollout (template changes wait until it is resumed)`],
			request: {
				method: 'PATCH',
				path: deploymentPath(id.namespace, id.name),
				contentType: 'application/strategic-merge-patch+json',
				body: {spec: {paused: true}},
				verbOnResource: 'patch deployments.apps',
			},
			basedOn: ctx.deployment.metadata?.resourceVersion,
			done: 'paused',
		},
	};
}

// Plans a resume; kubectl's objectresumer refuses a deployment that is not paused with "is not paused".
export function planResume(ctx: PlanContext): Planned {
	const id = identify(ctx.deployment);
	if ('ok' in id) return id;
	if (!ctx.deployment.spec?.paused)
		return {ok: false, reason: 'noop', message: `deployments.apps ${JSON.stringify(id.name)} is not paused`};
	return {
		ok: true,
		plan: {
			intent: {action: 'resume'},
			...id,
			command: `rollout resume deployment/${id.name}`,
			changes: [`${id.name}: resume the rollout (pending template changes roll out now)`],
			request: {
				method: 'PATCH',
				path: deploymentPath(id.namespace, id.name),
				contentType: 'application/strategic-merge-patch+json',
				// paused=false is Go's omitted zero value, so kubectl's two-way merge patch deletes the field.
				body: {spec: {paused: null}},
				verbOnResource: 'patch deployments.apps',
			},
			basedOn: ctx.deployment.metadata?.resourceVersion,
			done: 'resumed',
		},
	};
}
