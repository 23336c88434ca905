// `kubectl set image`: new images for containers named by the user, init containers included,
// sent as the strategic merge patch of the containers by name that kubectl computes.
import type {Container, Deployment} from '../../model/types.js';
import {validateImageReference} from '../../model/image-ref.js';
import {CHANGE_CAUSE_ANNOTATION, DEFAULT_PROGRAM, deploymentPath, identify, nextRevisionNote} from './common.js';
import type {PlanContext, Planned} from './types.js';

// One container an image prompt is shown for, in the order `kubectl set image` walks them.
export type ImageTarget = {name: string; image: string; init: boolean};

// The containers a set-image prompt offers, init containers first (as the pod starts them), each
// prefilled with its current image.
export function imageTargets(deployment: Deployment | undefined | null): ImageTarget[] {
	const spec = deployment?.spec?.template?.spec;
	const list = (cs: Container[] | undefined, init: boolean) => (cs ?? []).map((c) => ({name: c.name ?? '', image: c.image ?? '', init}));
	return [...list(spec?.initContainers, true), ...list(spec?.containers, false)];
}

// Plans new images; every reference is checked and every name must be a container (or init container)
// of the deployment, before any request. Unchanged images are left out, as kubectl's patch leaves them.
export function planSetImage(ctx: PlanContext, images: Readonly<Record<string, string>>): Planned {
	const id = identify(ctx.deployment);
	if ('ok' in id) return id;
	const entries = Object.entries(images);
	if (entries.length === 0) return {ok: false, reason: 'invalid', message: 'at least one image update is required'};
	const targets = imageTargets(ctx.deployment);
	const problems: string[] = [];
	for (const [name, image] of entries) {
		if (!targets.some((t) => t.name === name)) {
			problems.push(`unable to find container named ${JSON.stringify(name)} in deployment/${id.name} (${describeContainers(targets)})`);
			continue;
		}
		const verdict = validateImageReference(image);
		if (!verdict.ok) problems.push(`${name}: ${verdict.reason}`);
	}
	if (problems.length > 0) return {ok: false, reason: 'invalid', message: problems.join('; ')};

	const changes: string[] = [];
	const changed = {init: [] as {image: string; name: string}[], main: [] as {image: string; name: string}[]};
	for (const t of targets) {
		const wanted = images[t.name];
		if (wanted === undefined || wanted === t.image) continue;
		changes.push(`${t.name}${t.init ? ' (init)' : ''}: image ${t.image || '<none>'} -> ${wanted}`);
		(t.init ? changed.init : changed.main).push({image: wanted, name: t.name});
	}
	if (changes.length === 0) {
		const same = entries.map(([name, image]) => `${name} is already ${image}`).join(', ');
		return {ok: false, reason: 'noop', message: `nothing to change: ${same}`};
	}
	changes[changes.length - 1] += nextRevisionNote(ctx.deployment);

	// kubectl's two-way merge patch: the changed containers by name, with the list's order kept.
	const podSpec: Record<string, unknown> = {};
	const spec = ctx.deployment.spec?.template?.spec;
	if (changed.main.length > 0) {
		podSpec['$setElementOrder/containers'] = (spec?.containers ?? []).map((c) => ({name: c.name}));
		podSpec.containers = changed.main;
	}
	if (changed.init.length > 0) {
		podSpec['$setElementOrder/initContainers'] = (spec?.initContainers ?? []).map((c) => ({name: c.name}));
		podSpec.initContainers = changed.init;
	}
	// The pairs in the deployment's container order, as the change-cause and command line show them.
	const pairs = targets.filter((t) => images[t.name] !== undefined).map((t) => `${t.name}=${images[t.name]}`);
	const command = `set image deployment/${id.name} ${pairs.join(' ')}`;
	const changeCause = `${ctx.program ?? DEFAULT_PROGRAM} ${command}`;
	return {
		ok: true,
		plan: {
			intent: {action: 'set-image', images: {...images}},
			...id,
			command,
			changes,
			changeCause,
			request: {
				method: 'PATCH',
				path: deploymentPath(id.namespace, id.name),
				contentType: 'application/strategic-merge-patch+json',
				body: {metadata: {annotations: {[CHANGE_CAUSE_ANNOTATION]: changeCause}}, spec: {template: {spec: podSpec}}},
				verbOnResource: 'patch deployments.apps',
			},
			basedOn: ctx.deployment.metadata?.resourceVersion,
			done: 'image updated',
		},
	};
}

function describeContainers(targets: ImageTarget[]): string {
	const main = targets.filter((t) => !t.init).map((t) => t.name);
	const init = targets.filter((t) => t.init).map((t) => t.name);
	const parts = [`containers: ${main.join(', ') || 'none'}`];
	if (init.length > 0) parts.push(`init containers: ${init.join(', ')}`);
	return parts.join('; ');
}
