// `kubectl scale`: a merge patch of the scale subresource, after the count is checked.
import {deploymentPath, identify} from './common.js';
import type {PlanContext, Planned} from './types.js';

const MAX_REPLICAS = 2 ** 31 - 1; // spec.replicas is an int32

// A replica count typed into a prompt (or given as a number): a whole number from 0 up, or the reason it is not.
export function parseReplicas(input: number | string): {ok: true; value: number} | {ok: false; message: string} {
	const text = typeof input === 'number' ? String(input) : input.trim();
	if (typeof input === 'number' ? !Number.isInteger(input) : !/^[+-]?[0-9]+$/.test(text)) {
		return {
			ok: false,
			message: `replicas must be a whole number (0 or more), not ${JSON.stringify(typeof input === 'number' ? text : input)}`,
		};
	}
	const value = Number(text);
	if (value < 0) return {ok: false, message: `replicas must be 0 or more, not ${text}`};
	if (value > MAX_REPLICAS) return {ok: false, message: `replicas must be at most ${MAX_REPLICAS}, not ${text}`};
	return {ok: true, value};
}

// Plans a scale; refuses bad counts before any request. Scaling makes no revision, so it records no
// change-cause: the deployment controller would copy it onto the current ReplicaSet and overwrite the
// CHANGE-CAUSE of the revision that is running.
export function planScale(ctx: PlanContext, replicas: number | string): Planned {
	const id = identify(ctx.deployment);
	if ('ok' in id) return id;
	const parsed = parseReplicas(replicas);
	if (!parsed.ok) return {ok: false, reason: 'invalid', message: parsed.message};
	const current = ctx.deployment.spec?.replicas ?? 1;
	if (current === parsed.value)
		return {ok: false, reason: 'noop', message: `deployment/${id.name} already has ${current} replica${current === 1 ? '' : 's'}`};
	return {
		ok: true,
		plan: {
			intent: {action: 'scale', replicas: parsed.value},
			...id,
			command: `scale deployment/${id.name} --replicas=${parsed.value}`,
			changes: [`${id.name}: replicas ${current} -> ${parsed.value}`],
			request: {
				method: 'PATCH',
				path: `${deploymentPath(id.namespace, id.name)}/scale`,
				contentType: 'application/merge-patch+json',
				body: {spec: {replicas: parsed.value}},
				verbOnResource: 'patch deployments.apps/scale',
			},
			done: 'scaled',
		},
	};
}
