// The RBAC objects a new cluster has, as kube-apiserver's bootstrap policy creates them (cluster-admin, admin,
// edit, view and the aggregate-to-* roles they gather, system:basic-user, system:discovery,
// system:public-info-viewer, with their bindings), trimmed to the API groups the sim serves; kubeadm's binding for
// its admin certificate; and the sim's own users' bindings. The aggregated roles get their rules from the
// clusterrole-aggregation controller, as in Kubernetes.
import type {KubeObject, Store} from '../store.js';
import type {PolicyRule} from './rbac.js';
import {simUsers} from './users.js';

const rbac = 'rbac.authorization.k8s.io';
const read = ['get', 'list', 'watch'];
const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const all = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const rule = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRule => ({apiGroups, resources, verbs});
const urls = (nonResourceURLs: string[], verbs: string[]): PolicyRule => ({nonResourceURLs, verbs});

const bootstrapMeta = (name: string, labels: Record<string, string> = {}) => ({
	name,
	labels: {'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels},
	annotations: {'rbac.authorization.kubernetes.io/autoupdate': 'true'},
});

const clusterRole = (meta: KubeObject['metadata'], rules: PolicyRule[], aggregateLabel?: string): KubeObject => ({
	apiVersion: `${rbac}/v1`,
	kind: 'ClusterRole',
	metadata: meta,
	...(aggregateLabel ? {aggregationRule: {clusterRoleSelectors: [{matchLabels: {[aggregateLabel]: 'true'}}]}} : {}),
	rules,
});

type SubjectSpec = {kind: 'User' | 'Group'; name: string};

const clusterRoleBinding = (meta: KubeObject['metadata'], role: string, subjects: SubjectSpec[]): KubeObject => ({
	apiVersion: `${rbac}/v1`,
	kind: 'ClusterRoleBinding',
	metadata: meta,
	roleRef: {apiGroup: rbac, kind: 'ClusterRole', name: role},
	subjects: subjects.map((s) => ({kind: s.kind, apiGroup: rbac, name: s.name})),
});

const aggregateTo = (role: string) => `rbac.authorization.k8s.io/aggregate-to-${role}`;

/** The default ClusterRoles (bootstrappolicy's, the rules of the groups the sim serves) and the sim's own. */
export const defaultClusterRoles: KubeObject[] = [
	clusterRole(bootstrapMeta('admin'), [], aggregateTo('admin')),
	clusterRole(bootstrapMeta('cluster-admin'), [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
	clusterRole(bootstrapMeta('edit', {[aggregateTo('admin')]: 'true'}), [], aggregateTo('edit')),
	clusterRole(bootstrapMeta('system:aggregate-to-admin', {[aggregateTo('admin')]: 'true'}), [
		rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
		rule([rbac], ['rolebindings', 'roles'], all),
	]),
	clusterRole(bootstrapMeta('system:aggregate-to-edit', {[aggregateTo('edit')]: 'true'}), [
		rule([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], read),
		rule([''], ['serviceaccounts'], ['impersonate']),
		rule([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], write),
		rule([''], ['pods/eviction'], ['create']),
		rule(
			[''],
			[
				'configmaps',
				'events',
				'persistentvolumeclaims',
				'replicationcontrollers',
				'replicationcontrollers/scale',
				'secrets',
				'serviceaccounts',
				'services',
				'services/proxy',
			],
			write,
		),
		rule([''], ['serviceaccounts/token'], ['create']),
		rule(
			['apps'],
			[
				'daemonsets',
				'deployments',
				'deployments/rollback',
				'deployments/scale',
				'replicasets',
				'replicasets/scale',
				'statefulsets',
				'statefulsets/scale',
			],
			write,
		),
		rule(['policy'], ['poddisruptionbudgets'], write),
	]),
	clusterRole(bootstrapMeta('system:aggregate-to-view', {[aggregateTo('view')]: 'true'}), [
		rule(
			[''],
			[
				'configmaps',
				'endpoints',
				'persistentvolumeclaims',
				'persistentvolumeclaims/status',
				'pods',
				'replicationcontrollers',
				'replicationcontrollers/scale',
				'serviceaccounts',
				'services',
				'services/status',
			],
			read,
		),
		rule(
			[''],
			[
				'bindings',
				'events',
				'limitranges',
				'namespaces/status',
				'pods/log',
				'pods/status',
				'replicationcontrollers/status',
				'resourcequotas',
				'resourcequotas/status',
			],
			read,
		),
		rule([''], ['namespaces'], read),
		rule(
			['apps'],
			[
				'controllerrevisions',
				'daemonsets',
				'daemonsets/status',
				'deployments',
				'deployments/scale',
				'deployments/status',
				'replicasets',
				'replicasets/scale',
				'replicasets/status',
				'statefulsets',
				'statefulsets/scale',
				'statefulsets/status',
			],
			read,
		),
		rule(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], read),
	]),
	clusterRole(bootstrapMeta('system:basic-user'), [
		rule(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
		rule(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
	]),
	clusterRole(bootstrapMeta('system:discovery'), [
		urls(
			['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'],
			['get'],
		),
	]),
	clusterRole(bootstrapMeta('system:public-info-viewer'), [urls(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get'])]),
	clusterRole(bootstrapMeta('view', {[aggregateTo('edit')]: 'true'}), [], aggregateTo('view')),
	// The sim's own: nodes for the read-only users (view has none), and a role like edit's for the rollout's
	// resources without events (core or events.k8s.io).
	clusterRole({name: 'rollout-cockpit:node-viewer'}, [rule([''], ['nodes'], read)]),
	clusterRole({name: 'rollout-cockpit:no-events'}, [
		rule([''], ['pods', 'pods/log', 'pods/status', 'services', 'endpoints', 'namespaces', 'configmaps'], read),
		rule([''], ['pods', 'services', 'endpoints'], write),
		rule(
			['apps'],
			['deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status'],
			read,
		),
		rule(['apps'], ['deployments', 'deployments/scale', 'deployments/rollback', 'replicasets', 'replicasets/scale'], write),
	]),
];

/** The default ClusterRoleBindings, kubeadm's for its admin certificate's group, and the sim users'. */
export const defaultClusterRoleBindings: KubeObject[] = [
	clusterRoleBinding(bootstrapMeta('cluster-admin'), 'cluster-admin', [{kind: 'Group', name: 'system:masters'}]),
	clusterRoleBinding(bootstrapMeta('system:basic-user'), 'system:basic-user', [{kind: 'Group', name: 'system:authenticated'}]),
	clusterRoleBinding(bootstrapMeta('system:discovery'), 'system:discovery', [{kind: 'Group', name: 'system:authenticated'}]),
	clusterRoleBinding(bootstrapMeta('system:public-info-viewer'), 'system:public-info-viewer', [
		{kind: 'Group', name: 'system:authenticated'},
		{kind: 'Group', name: 'system:unauthenticated'},
	]),
	clusterRoleBinding({name: 'kubeadm:cluster-admins'}, 'cluster-admin', [{kind: 'Group', name: simUsers.cert.groups[0]}]),
	clusterRoleBinding({name: 'rollout-cockpit:exec-admins'}, 'cluster-admin', [{kind: 'Group', name: simUsers.exec.groups[0]}]),
	clusterRoleBinding({name: 'rollout-cockpit:viewer'}, 'view', [{kind: 'User', name: simUsers.readonly.name}]),
	clusterRoleBinding({name: 'rollout-cockpit:node-viewers'}, 'rollout-cockpit:node-viewer', [
		{kind: 'User', name: simUsers.readonly.name},
		{kind: 'User', name: simUsers.noEvents.name},
	]),
	clusterRoleBinding({name: 'rollout-cockpit:no-events'}, 'rollout-cockpit:no-events', [{kind: 'User', name: simUsers.noEvents.name}]),
];

/** Writes the default RBAC objects into a new store (the apiserver's RBAC post-start hook). */
export function bootstrapRbac(store: Store): void {
	for (const role of defaultClusterRoles) store.create('clusterroles', structuredClone(role));
	for (const binding of defaultClusterRoleBindings) store.create('clusterrolebindings', structuredClone(binding));
}
