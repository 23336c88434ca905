// The rbac.authorization.k8s.io/v1 objects' defaulting and validation (rbac/v1 defaults.go, rbac/validation): a
// binding's roleRef and subjects get their API group, rules must name verbs and what they apply to, and a
// binding's roleRef never changes. Separate from validation.ts so access control stays in one place.
import type {KubeObject} from '../store.js';
import type {FieldErrors} from './validation.js';

type Json = any;

const rbacGroup = 'rbac.authorization.k8s.io';

function defaultBinding(o: KubeObject): void {
	if (o.roleRef && typeof o.roleRef === 'object' && !o.roleRef.apiGroup) o.roleRef.apiGroup = rbacGroup;
	for (const s of Array.isArray(o.subjects) ? o.subjects : []) {
		if (s && typeof s === 'object' && !s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = rbacGroup;
	}
}

/** Defaulters by kind, merged into defaults.ts's table. */
export const rbacDefaulters: Record<string, (o: KubeObject) => void> = {
	RoleBinding: defaultBinding,
	ClusterRoleBinding: defaultBinding,
};

// path.IsValidPathSegmentName: RBAC names may hold ':' (system:basic-user), unlike most names.
function pathSegmentProblems(name: string): string[] {
	if (name === '.') return [`may not be '.'`];
	if (name === '..') return [`may not be '..'`];
	const out: string[] = [];
	if (name.includes('/')) out.push(`may not contain '/'`);
	if (name.includes('%')) out.push(`may not contain '%'`);
	return out;
}

function validateMeta(errors: FieldErrors, meta: Json, namespaced: boolean): void {
	const name = meta?.name;
	if (!name) {
		if (!meta?.generateName) errors.required('metadata.name', 'name or generateName is required');
	} else {
		for (const problem of pathSegmentProblems(name)) errors.invalid('metadata.name', name, problem);
	}
	if (!namespaced && meta?.namespace) errors.forbidden('metadata.namespace', 'not allowed on this type');
}

function validateRules(errors: FieldErrors, rules: Json, namespaced: boolean): void {
	(Array.isArray(rules) ? rules : []).forEach((rule: Json, i: number) => {
		const path = `rules[${i}]`;
		if (!Array.isArray(rule?.verbs) || rule.verbs.length === 0) errors.required(`${path}.verbs`, 'verbs must contain at least one value');
		if (Array.isArray(rule?.nonResourceURLs) && rule.nonResourceURLs.length > 0) {
			if (namespaced) errors.invalid(`${path}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs');
			if (rule.apiGroups?.length > 0 || rule.resources?.length > 0)
				errors.invalid(
					`${path}.nonResourceURLs`,
					rule.nonResourceURLs,
					'rules cannot apply to both regular resources and non-resource URLs',
				);
			return;
		}
		if (!Array.isArray(rule?.apiGroups) || rule.apiGroups.length === 0)
			errors.required(`${path}.apiGroups`, 'resource rules must supply at least one api group');
		if (!Array.isArray(rule?.resources) || rule.resources.length === 0)
			errors.required(`${path}.resources`, 'resource rules must supply at least one resource');
	});
}

const roleRefGo = (r: Json) =>
	`rbac.RoleRef{APIGroup:${JSON.stringify(r?.apiGroup ?? '')}, Kind:${JSON.stringify(r?.kind ?? '')}, Name:${JSON.stringify(r?.name ?? '')}}`;

function validateBinding(errors: FieldErrors, o: KubeObject, old: KubeObject | undefined, namespaced: boolean): void {
	validateMeta(errors, o.metadata, namespaced);
	const ref = o.roleRef;
	if (ref?.apiGroup !== rbacGroup) errors.unsupported('roleRef.apiGroup', ref?.apiGroup ?? '', [rbacGroup]);
	const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
	if (!kinds.includes(ref?.kind)) errors.unsupported('roleRef.kind', ref?.kind ?? '', kinds);
	if (!ref?.name) errors.required('roleRef.name');
	else for (const problem of pathSegmentProblems(ref.name)) errors.invalid('roleRef.name', ref.name, problem);
	(Array.isArray(o.subjects) ? o.subjects : []).forEach((s: Json, i: number) => {
		const path = `subjects[${i}]`;
		if (!s?.name) errors.required(`${path}.name`);
		if (!['ServiceAccount', 'User', 'Group'].includes(s?.kind))
			errors.unsupported(`${path}.kind`, s?.kind ?? '', ['ServiceAccount', 'User', 'Group']);
		else if (s.kind === 'ServiceAccount' && s.apiGroup) errors.unsupported(`${path}.apiGroup`, s.apiGroup, ['']);
		else if (s.kind !== 'ServiceAccount' && s.apiGroup !== rbacGroup) errors.unsupported(`${path}.apiGroup`, s.apiGroup ?? '', [rbacGroup]);
	});
	if (old && JSON.stringify(old.roleRef) !== JSON.stringify(ref)) errors.invalid('roleRef', ref, 'cannot change roleRef', roleRefGo(ref));
}

/** Validators by kind, merged into validation.ts's table. */
export const rbacValidators: Record<string, (errors: FieldErrors, o: KubeObject, old?: KubeObject) => void> = {
	Role: (errors, o) => {
		validateMeta(errors, o.metadata, true);
		validateRules(errors, o.rules, true);
	},
	ClusterRole: (errors, o) => {
		validateMeta(errors, o.metadata, false);
		validateRules(errors, o.rules, false);
		if (o.aggregationRule && !(o.aggregationRule.clusterRoleSelectors?.length > 0))
			errors.required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil');
	},
	RoleBinding: (errors, o, old) => validateBinding(errors, o, old, true),
	ClusterRoleBinding: (errors, o, old) => validateBinding(errors, o, old, false),
};
