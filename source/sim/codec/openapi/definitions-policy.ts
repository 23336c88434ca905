// The compact description of policy/v1 (PodDisruptionBudget) and the meta/v1 Condition its status carries; data
// only, merged into definitions.ts.
import type {DefSpec} from './definitions.js';

export const policyPkg = 'io.k8s.api.policy.v1';

/** The policy definitions by package, then by short name. */
export const policyDefinitions: Record<string, Record<string, DefSpec>> = {
	[policyPkg]: {
		PodDisruptionBudget: {
			gvk: [{group: 'policy', version: 'v1', kind: 'PodDisruptionBudget'}],
			fields: {metadata: 'ObjectMeta', spec: 'PodDisruptionBudgetSpec', status: 'PodDisruptionBudgetStatus'},
		},
		PodDisruptionBudgetSpec: {
			fields: {minAvailable: 'IntOrString', selector: 'LabelSelector', maxUnavailable: 'IntOrString', unhealthyPodEvictionPolicy: 'string'},
		},
		PodDisruptionBudgetStatus: {
			fields: {
				observedGeneration: 'int64',
				disruptedPods: '{Time}',
				disruptionsAllowed: 'int32 req',
				currentHealthy: 'int32 req',
				desiredHealthy: 'int32 req',
				expectedPods: 'int32 req',
				conditions: '[Condition] patch=merge key=type list=map:type',
			},
		},
		Condition: {
			fullName: 'io.k8s.apimachinery.pkg.apis.meta.v1.Condition',
			fields: {
				type: 'string req',
				status: 'string req',
				observedGeneration: 'int64',
				lastTransitionTime: 'Time req',
				reason: 'string req',
				message: 'string req',
			},
		},
	},
};
