// The RBAC authorizer, as kube-apiserver runs it: members of system:masters may do anything; everyone else may do
// what a rule of a role bound to them allows (ClusterRoleBindings first, then the RoleBindings of the request's
// namespace). It reads the bindings and roles from the store on every request, so a `kubectl apply` of a Role
// takes effect at once. The answers carry the real server's reasons and its Forbidden wording.
import {ApiError} from '../errors.js';
import type {KubeObject, Store} from '../store.js';
import type {UserInfo} from './users.js';

/** What a request asks, in the authorizer's terms (the apiserver's authorizer.Attributes). */
export type Attributes = {
	isResourceRequest: boolean;
	verb: string;
	/** Non-resource requests: the URL path. */
	path: string;
	apiGroup: string;
	resource: string;
	subresource: string;
	namespace: string;
	name: string;
};

/** A role's rule (rbac/v1 PolicyRule). */
export type PolicyRule = {
	verbs: string[];
	apiGroups?: string[];
	resources?: string[];
	resourceNames?: string[];
	nonResourceURLs?: string[];
};

type Subject = {kind: string; apiGroup?: string; name: string; namespace?: string};

/** The decision and the reason the server reports (an SSAR's status.reason). */
export type Decision = {allowed: boolean; reason: string};

/** The group whose members the apiserver never asks RBAC about. */
export const privilegedGroup = 'system:masters';

const has = (list: string[] | undefined, value: string) => !!list && (list.includes('*') || list.includes(value));

/** rbac's RuleAllows: verb, API group, resource (with subresource and `*\/subresource`), resource names, or URL. */
export function ruleAllows(a: Attributes, rule: PolicyRule): boolean {
	if (!has(rule.verbs, a.verb)) return false;
	if (!a.isResourceRequest) {
		return (rule.nonResourceURLs ?? []).some(
			(url) => url === '*' || url === a.path || (url.endsWith('*') && a.path.startsWith(url.slice(0, -1))),
		);
	}
	if (!has(rule.apiGroups, a.apiGroup)) return false;
	const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
	const resourceOk = (rule.resources ?? []).some(
		(r) => r === '*' || r === combined || (a.subresource !== '' && r === `*/${a.subresource}`),
	);
	if (!resourceOk) return false;
	return !rule.resourceNames?.length || rule.resourceNames.includes(a.name);
}

/** Whether a binding's subject is this user (ServiceAccounts by their system:serviceaccount:NS:NAME user name). */
function appliesTo(user: UserInfo, s: Subject, bindingNamespace: string): boolean {
	switch (s.kind) {
		case 'User':
			return s.name === user.name;
		case 'Group':
			return user.groups.includes(s.name);
		case 'ServiceAccount': {
			const ns = s.namespace || bindingNamespace;
			return ns !== '' && user.name === `system:serviceaccount:${ns}:${s.name}`;
		}
		default:
			return false;
	}
}

function describeSubject(s: Subject, bindingNamespace: string): string {
	if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
	return `${s.kind} ${JSON.stringify(s.name)}`;
}

type Visitor = (source: string, rule: PolicyRule | undefined, error: string | undefined) => boolean;

/** The RBAC rule resolver over the store. */
export class RbacAuthorizer {
	constructor(private readonly store: Store) {}

	/** Decides one request, as the union of the privileged-group and RBAC authorizers does. */
	authorize(user: UserInfo, a: Attributes): Decision {
		if (user.groups.includes(privilegedGroup)) return {allowed: true, reason: ''};
		let decision: Decision | undefined;
		const errors: string[] = [];
		this.visitRulesFor(user, a.namespace, (source, rule, error) => {
			if (error) errors.push(error);
			if (rule && ruleAllows(a, rule)) {
				decision = {allowed: true, reason: `RBAC: allowed by ${source}`};
				return false;
			}
			return true;
		});
		// A denial says nothing unless a binding pointed at a role that is not there.
		return decision ?? {allowed: false, reason: errors.length === 0 ? '' : `RBAC: ${aggregate(errors)}`};
	}

	/** Every rule that applies to the user in the namespace ('' for cluster-wide only), and the errors met (missing roles). */
	rulesFor(user: UserInfo, namespace: string): {rules: PolicyRule[]; errors: string[]} {
		const rules: PolicyRule[] = [];
		const errors: string[] = [];
		if (user.groups.includes(privilegedGroup)) {
			rules.push({verbs: ['*'], apiGroups: ['*'], resources: ['*']}, {verbs: ['*'], nonResourceURLs: ['*']});
		}
		this.visitRulesFor(user, namespace, (_source, rule, error) => {
			if (rule) rules.push(rule);
			if (error) errors.push(error);
			return true;
		});
		return {rules, errors};
	}

	private roleRules(kind: string, name: string, namespace: string): {rules?: PolicyRule[]; error?: string} {
		if (kind === 'ClusterRole') {
			const role = this.store.get('clusterroles', undefined, name);
			return role ? {rules: role.rules ?? []} : {error: `clusterrole.rbac.authorization.k8s.io ${JSON.stringify(name)} not found`};
		}
		if (kind === 'Role') {
			const role = this.store.get('roles', namespace, name);
			return role ? {rules: role.rules ?? []} : {error: `role.rbac.authorization.k8s.io ${JSON.stringify(name)} not found`};
		}
		return {error: `unsupported role reference kind: ${JSON.stringify(kind)}`};
	}

	// VisitRulesFor: the cluster role bindings, then the namespace's role bindings; stops when the visitor says so.
	private visitRulesFor(user: UserInfo, namespace: string, visit: Visitor): void {
		const walk = (binding: KubeObject, kindWord: string, bindingNamespace: string): boolean => {
			const subject = ((binding.subjects ?? []) as Subject[]).find((s) => appliesTo(user, s, bindingNamespace));
			if (!subject) return true;
			const ref = binding.roleRef ?? {};
			const bindingName = bindingNamespace ? `${binding.metadata.name}/${bindingNamespace}` : binding.metadata.name;
			const source = `${kindWord} ${JSON.stringify(bindingName)} of ${ref.kind} ${JSON.stringify(ref.name)} to ${describeSubject(subject, bindingNamespace)}`;
			const {rules, error} = this.roleRules(ref.kind, ref.name, bindingNamespace);
			if (error) return visit(source, undefined, error);
			for (const rule of rules ?? []) if (!visit(source, rule, undefined)) return false;
			return true;
		};
		for (const b of this.store.listShared('clusterrolebindings').items) if (!walk(b, 'ClusterRoleBinding', '')) return;
		if (namespace === '') return;
		for (const b of this.store.listShared('rolebindings', namespace).items) if (!walk(b, 'RoleBinding', namespace)) return;
	}
}

/** utilerrors.NewAggregate's message: one error as is, several as [a, b]. */
function aggregate(errors: string[]): string {
	return errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
}

/**
 * The 403 the apiserver answers a denied request with (responsewriters.Forbidden and apierrors.NewForbidden):
 * `deployments.apps "nginx" is forbidden: User "viewer" cannot patch resource "deployments/scale" in API group "apps" in the namespace "default"`.
 */
export function forbidden(user: UserInfo, a: Attributes, reason: string): ApiError {
	let detail: string;
	if (!a.isResourceRequest) {
		detail = `User ${JSON.stringify(user.name)} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
	} else {
		const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
		const scope = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : 'at the cluster scope';
		detail = `User ${JSON.stringify(user.name)} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)} ${scope}`;
	}
	if (reason) detail += `: ${reason}`;
	if (!a.isResourceRequest) return new ApiError(403, 'Forbidden', `forbidden: ${detail}`, {});
	const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
	const message = a.name ? `${qualified} ${JSON.stringify(a.name)} is forbidden: ${detail}` : `${qualified} is forbidden: ${detail}`;
	return new ApiError(403, 'Forbidden', message, {
		...(a.name ? {name: a.name} : {}),
		...(a.apiGroup ? {group: a.apiGroup} : {}),
		kind: a.resource,
	});
}
