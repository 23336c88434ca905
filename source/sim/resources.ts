// The resources the embedded cluster serves, with the names discovery and kubectl expect.

export type ResourceInfo = {
	/** '' for the core group. */
	group: string;
	version: string;
	/** Plural, as in the URL: 'pods', 'deployments'. */
	resource: string;
	singular: string;
	kind: string;
	namespaced: boolean;
	shortNames: string[];
	verbs: string[];
	/** Subresources served, e.g. ['status', 'scale']. */
	subresources: string[];
	categories?: string[];
	/** The short name of its OpenAPI definition when the kind's name is taken by another group (events.k8s.io). */
	schema?: string;
	/** Created and answered at once, never stored (the access and identity reviews): only `create` is served. */
	review?: boolean;
};

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const resources: ResourceInfo[] = [
	{
		group: '',
		version: 'v1',
		resource: 'namespaces',
		singular: 'namespace',
		kind: 'Namespace',
		namespaced: false,
		shortNames: ['ns'],
		verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
		subresources: ['status'],
	},
	{
		group: '',
		version: 'v1',
		resource: 'nodes',
		singular: 'node',
		kind: 'Node',
		namespaced: false,
		shortNames: ['no'],
		verbs: allVerbs,
		subresources: ['status'],
	},
	{
		group: '',
		version: 'v1',
		resource: 'pods',
		singular: 'pod',
		kind: 'Pod',
		namespaced: true,
		shortNames: ['po'],
		verbs: allVerbs,
		subresources: ['status', 'log'],
		categories: ['all'],
	},
	{
		group: '',
		version: 'v1',
		resource: 'services',
		singular: 'service',
		kind: 'Service',
		namespaced: true,
		shortNames: ['svc'],
		verbs: allVerbs,
		subresources: ['status'],
		categories: ['all'],
	},
	{
		group: '',
		version: 'v1',
		resource: 'endpoints',
		singular: 'endpoints',
		kind: 'Endpoints',
		namespaced: true,
		shortNames: ['ep'],
		verbs: allVerbs,
		subresources: [],
	},
	{
		group: '',
		version: 'v1',
		resource: 'events',
		singular: 'event',
		kind: 'Event',
		namespaced: true,
		shortNames: ['ev'],
		verbs: allVerbs,
		subresources: [],
	},
	{
		group: 'apps',
		version: 'v1',
		resource: 'deployments',
		singular: 'deployment',
		kind: 'Deployment',
		namespaced: true,
		shortNames: ['deploy'],
		verbs: allVerbs,
		subresources: ['status', 'scale'],
		categories: ['all'],
	},
	{
		group: 'apps',
		version: 'v1',
		resource: 'replicasets',
		singular: 'replicaset',
		kind: 'ReplicaSet',
		namespaced: true,
		shortNames: ['rs'],
		verbs: allVerbs,
		subresources: ['status', 'scale'],
		categories: ['all'],
	},
	// The same stored Events as core/v1, in the newer API's shape (api/views.ts converts at the edges).
	{
		group: 'events.k8s.io',
		version: 'v1',
		resource: 'events',
		singular: 'event',
		kind: 'Event',
		namespaced: true,
		shortNames: ['ev'],
		verbs: allVerbs,
		subresources: [],
		schema: 'EventsV1Event',
	},
	// Who am I, and what may I do: `kubectl auth can-i` (--list) and `kubectl auth whoami`.
	...(
		[
			['authentication.k8s.io', 'SelfSubjectReview'],
			['authorization.k8s.io', 'SelfSubjectAccessReview'],
			['authorization.k8s.io', 'SelfSubjectRulesReview'],
		] as const
	).map(
		([group, kind]): ResourceInfo => ({
			group,
			version: 'v1',
			resource: `${kind.toLowerCase()}s`,
			singular: kind.toLowerCase(),
			kind,
			namespaced: false,
			shortNames: [],
			verbs: ['create'],
			subresources: [],
			review: true,
		}),
	),
	// After the reviews' groups and before RBAC, as kube-apiserver orders /apis. How many of a workload's pods may be disrupted at once (a node drain, an eviction): controllers/disruption.ts.
	{
		group: 'policy',
		version: 'v1',
		resource: 'poddisruptionbudgets',
		singular: 'poddisruptionbudget',
		kind: 'PodDisruptionBudget',
		namespaced: true,
		shortNames: ['pdb'],
		verbs: allVerbs,
		subresources: ['status'],
	},
	// Role-based access control: the objects the authorizer reads (auth/rbac.ts).
	...(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'] as const).map(
		(kind): ResourceInfo => ({
			group: 'rbac.authorization.k8s.io',
			version: 'v1',
			resource: `${kind.toLowerCase()}s`,
			singular: kind.toLowerCase(),
			kind,
			namespaced: !kind.startsWith('Cluster'),
			shortNames: [],
			verbs: allVerbs,
			subresources: [],
		}),
	),
];

/** Finds a resource by group and plural; undefined means the server answers 404. */
export function findResource(group: string, resource: string): ResourceInfo | undefined {
	return resources.find((r) => r.group === group && r.resource === resource);
}

/** Finds a resource by its kind, for objects that carry apiVersion/kind. */
export function resourceForKind(kind: string): ResourceInfo | undefined {
	return resources.find((r) => r.kind === kind);
}

/** 'apps/v1' or 'v1'. */
export function apiVersionOf(info: ResourceInfo): string {
	return info.group ? `${info.group}/${info.version}` : info.version;
}
