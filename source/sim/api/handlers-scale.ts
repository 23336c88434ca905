// The autoscaling/v1 Scale subresource of Deployments and ReplicaSets: the Scale view and writing replicas
// through it; separate because get, update and patch all reach it and it has its own validation.
import {badRequest, conflict, invalid} from '../errors.js';
import type {ResourceInfo} from '../resources.js';
import type {KubeObject} from '../store.js';
import {sendJson} from './content.js';
import {formatLabelSelector, labelSelectorRequirements} from './selectors.js';
import {validateScale} from './validation.js';
import {isDryRun, type Request} from './handlers-request.js';

/** The autoscaling/v1 Scale view of a Deployment or ReplicaSet. */
export function toScale(_info: ResourceInfo, o: KubeObject): KubeObject {
	return {
		kind: 'Scale',
		apiVersion: 'autoscaling/v1',
		metadata: {
			name: o.metadata.name,
			namespace: o.metadata.namespace,
			uid: o.metadata.uid,
			resourceVersion: o.metadata.resourceVersion,
			creationTimestamp: o.metadata.creationTimestamp,
		},
		spec: {replicas: o.spec?.replicas ?? 0},
		status: {replicas: o.status?.replicas ?? 0, selector: formatLabelSelector(labelSelectorRequirements(o.spec?.selector))},
	};
}

/** Writes a Scale's replicas into its target (name, value and resourceVersion checked) and answers the new Scale. */
export async function writeScale(r: Request, target: KubeObject, scale: KubeObject): Promise<void> {
	const name = target.metadata.name!;
	if (scale.metadata?.name && scale.metadata.name !== name) {
		throw badRequest(`the name of the object (${scale.metadata.name}) does not match the name on the URL (${name})`);
	}
	const replicas = scale.spec?.replicas ?? 0;
	const causes = validateScale(replicas);
	if (causes.length > 0) throw invalid('Scale', 'autoscaling', name, causes);
	const rv = scale.metadata?.resourceVersion;
	if (rv && rv !== target.metadata.resourceVersion) throw conflict(r.info.resource, r.info.group, name);
	const next = structuredClone(target);
	next.spec.replicas = replicas;
	const updated = isDryRun(r.query) ? next : r.ctx.store.update(r.info.resource, next);
	sendJson(r.res, 200, toScale(r.info, updated));
}
