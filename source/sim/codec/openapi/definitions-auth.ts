// The compact description of the access-control types: rbac.authorization.k8s.io/v1 (Role, ClusterRole and their
// bindings), authorization.k8s.io/v1 (the self access and rules reviews) and authentication.k8s.io/v1 (the self
// subject review); data only, merged into definitions.ts.
import type {DefSpec, Gvk} from './definitions.js';

export const rbacPkg = 'io.k8s.api.rbac.v1';
export const authorizationPkg = 'io.k8s.api.authorization.v1';
export const authenticationPkg = 'io.k8s.api.authentication.v1';

const gvk = (group: string, kind: string): Gvk[] => [{group, version: 'v1', kind}];
const rbac = (kind: string) => gvk('rbac.authorization.k8s.io', kind);
const strings = '[string] list=atomic';

/** The access-control definitions by package, then by short name. */
export const authDefinitions: Record<string, Record<string, DefSpec>> = {
	[rbacPkg]: {
		Role: {gvk: rbac('Role'), fields: {metadata: 'ObjectMeta', rules: '[PolicyRule] list=atomic'}},
		ClusterRole: {
			gvk: rbac('ClusterRole'),
			fields: {metadata: 'ObjectMeta', rules: '[PolicyRule] list=atomic', aggregationRule: 'AggregationRule'},
		},
		AggregationRule: {fields: {clusterRoleSelectors: '[LabelSelector] list=atomic'}},
		PolicyRule: {
			fields: {verbs: `${strings} req`, apiGroups: strings, resources: strings, resourceNames: strings, nonResourceURLs: strings},
		},
		RoleBinding: {gvk: rbac('RoleBinding'), fields: {metadata: 'ObjectMeta', subjects: '[Subject] list=atomic', roleRef: 'RoleRef req'}},
		ClusterRoleBinding: {
			gvk: rbac('ClusterRoleBinding'),
			fields: {metadata: 'ObjectMeta', subjects: '[Subject] list=atomic', roleRef: 'RoleRef req'},
		},
		RoleRef: {fields: {apiGroup: 'string req', kind: 'string req', name: 'string req'}},
		Subject: {fields: {kind: 'string req', apiGroup: 'string', name: 'string req', namespace: 'string'}},
	},
	[authorizationPkg]: {
		SelfSubjectAccessReview: {
			gvk: gvk('authorization.k8s.io', 'SelfSubjectAccessReview'),
			fields: {metadata: 'ObjectMeta', spec: 'SelfSubjectAccessReviewSpec req', status: 'SubjectAccessReviewStatus'},
		},
		SelfSubjectAccessReviewSpec: {fields: {resourceAttributes: 'ResourceAttributes', nonResourceAttributes: 'NonResourceAttributes'}},
		ResourceAttributes: {
			fields: {
				namespace: 'string',
				verb: 'string',
				group: 'string',
				version: 'string',
				resource: 'string',
				subresource: 'string',
				name: 'string',
				fieldSelector: 'object',
				labelSelector: 'object',
			},
		},
		NonResourceAttributes: {fields: {path: 'string', verb: 'string'}},
		SubjectAccessReviewStatus: {fields: {allowed: 'bool req', denied: 'bool', reason: 'string', evaluationError: 'string'}},
		SelfSubjectRulesReview: {
			gvk: gvk('authorization.k8s.io', 'SelfSubjectRulesReview'),
			fields: {metadata: 'ObjectMeta', spec: 'SelfSubjectRulesReviewSpec req', status: 'SubjectRulesReviewStatus'},
		},
		SelfSubjectRulesReviewSpec: {fields: {namespace: 'string'}},
		SubjectRulesReviewStatus: {
			fields: {
				resourceRules: '[ResourceRule] req list=atomic',
				nonResourceRules: '[NonResourceRule] req list=atomic',
				incomplete: 'bool req',
				evaluationError: 'string',
			},
		},
		ResourceRule: {fields: {verbs: `${strings} req`, apiGroups: strings, resources: strings, resourceNames: strings}},
		NonResourceRule: {fields: {verbs: `${strings} req`, nonResourceURLs: strings}},
	},
	[authenticationPkg]: {
		SelfSubjectReview: {
			gvk: gvk('authentication.k8s.io', 'SelfSubjectReview'),
			fields: {metadata: 'ObjectMeta', status: 'SelfSubjectReviewStatus'},
		},
		SelfSubjectReviewStatus: {fields: {userInfo: 'UserInfo'}},
		UserInfo: {fields: {username: 'string', uid: 'string', groups: strings, extra: '{[string]}'}},
	},
};
