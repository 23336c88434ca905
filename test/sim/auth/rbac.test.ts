// The RBAC authorizer's rules, table by table: what a rule allows (verbs, groups, resources, subresources, names,
// URLs), which bindings apply to whom, the reasons it gives, and the apiserver's Forbidden wording.
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {forbidden, RbacAuthorizer, ruleAllows, type Attributes, type PolicyRule} from '../../../source/sim/auth/rbac.js';
import {bootstrapRbac} from '../../../source/sim/auth/bootstrap.js';
import {Store} from '../../../source/sim/store.js';

const res = (verb: string, resource: string, extra: Partial<Attributes> = {}): Attributes => ({
	isResourceRequest: true,
	verb,
	path: '',
	apiGroup: '',
	resource,
	subresource: '',
	namespace: 'default',
	name: '',
	...extra,
});
const url = (verb: string, path: string): Attributes => ({...res(verb, ''), isResourceRequest: false, path, namespace: ''});

describe('ruleAllows', () => {
	const cases: Array<[string, PolicyRule, Attributes, boolean]> = [
		[
			'exact verb, group and resource',
			{verbs: ['get'], apiGroups: ['apps'], resources: ['deployments']},
			res('get', 'deployments', {apiGroup: 'apps'}),
			true,
		],
		[
			'another verb',
			{verbs: ['get'], apiGroups: ['apps'], resources: ['deployments']},
			res('patch', 'deployments', {apiGroup: 'apps'}),
			false,
		],
		['another group', {verbs: ['get'], apiGroups: [''], resources: ['deployments']}, res('get', 'deployments', {apiGroup: 'apps'}), false],
		['wildcards', {verbs: ['*'], apiGroups: ['*'], resources: ['*']}, res('delete', 'pods'), true],
		[
			'a subresource needs resource/sub',
			{verbs: ['patch'], apiGroups: ['apps'], resources: ['deployments']},
			res('patch', 'deployments', {apiGroup: 'apps', subresource: 'scale'}),
			false,
		],
		[
			'resource/sub',
			{verbs: ['patch'], apiGroups: ['apps'], resources: ['deployments/scale']},
			res('patch', 'deployments', {apiGroup: 'apps', subresource: 'scale'}),
			true,
		],
		[
			'*/sub',
			{verbs: ['get'], apiGroups: ['*'], resources: ['*/scale']},
			res('get', 'replicasets', {apiGroup: 'apps', subresource: 'scale'}),
			true,
		],
		[
			'resourceNames match',
			{verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a']},
			res('get', 'pods', {name: 'a'}),
			true,
		],
		[
			'resourceNames miss',
			{verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a']},
			res('get', 'pods', {name: 'b'}),
			false,
		],
		['resourceNames and a list', {verbs: ['list'], apiGroups: [''], resources: ['pods'], resourceNames: ['a']}, res('list', 'pods'), false],
		['exact URL', {verbs: ['get'], nonResourceURLs: ['/version']}, url('get', '/version'), true],
		['URL prefix', {verbs: ['get'], nonResourceURLs: ['/apis/*']}, url('get', '/apis/apps/v1'), true],
		['URL miss', {verbs: ['get'], nonResourceURLs: ['/api']}, url('get', '/api/v1'), false],
		['a resource rule never allows a URL', {verbs: ['*'], apiGroups: ['*'], resources: ['*']}, url('get', '/version'), false],
	];
	for (const [name, rule, attributes, want] of cases) {
		test(name, () => assert.equal(ruleAllows(attributes, rule), want));
	}
});

describe('forbidden: the apiserver wording', () => {
	const viewer = {name: 'viewer', groups: ['system:authenticated']};
	test('a named, namespaced subresource', () => {
		const e = forbidden(viewer, res('patch', 'deployments', {apiGroup: 'apps', subresource: 'scale', name: 'nginx'}), '');
		assert.equal(e.code, 403);
		assert.deepEqual(e.toStatus(), {
			kind: 'Status',
			apiVersion: 'v1',
			metadata: {},
			status: 'Failure',
			message:
				'deployments.apps "nginx" is forbidden: User "viewer" cannot patch resource "deployments/scale" in API group "apps" in the namespace "default"',
			reason: 'Forbidden',
			details: {name: 'nginx', group: 'apps', kind: 'deployments'},
			code: 403,
		});
	});
	test('a core collection', () => {
		assert.equal(
			forbidden(viewer, res('list', 'events'), '').message,
			'events is forbidden: User "viewer" cannot list resource "events" in API group "" in the namespace "default"',
		);
	});
	test('cluster scope, with the RBAC reason', () => {
		assert.equal(
			forbidden(viewer, res('list', 'nodes', {namespace: ''}), 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found').message,
			'nodes is forbidden: User "viewer" cannot list resource "nodes" in API group "" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
		);
	});
	test('a non-resource URL', () => {
		assert.equal(forbidden(viewer, url('get', '/metrics'), '').message, 'forbidden: User "viewer" cannot get path "/metrics"');
	});
});

describe('RbacAuthorizer over the bootstrap policy', () => {
	const store = new Store();
	bootstrapRbac(store);
	const authz = new RbacAuthorizer(store);
	const viewer = {name: 'viewer', groups: ['system:authenticated']};
	const stranger = {name: 'stranger', groups: ['system:authenticated']};

	test('system:masters may do anything, with no RBAC reason', () => {
		assert.deepEqual(authz.authorize({name: 'x', groups: ['system:masters']}, res('delete', 'nodes', {namespace: ''})), {
			allowed: true,
			reason: '',
		});
	});

	test('the reason names the binding, the role and the subject', () => {
		assert.deepEqual(authz.authorize(stranger, url('get', '/version')), {
			allowed: true,
			reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"',
		});
	});

	test('a denial has no reason; a binding to a missing role says so', () => {
		assert.deepEqual(authz.authorize(stranger, res('get', 'pods')), {allowed: false, reason: ''});
		store.create('rolebindings', {
			metadata: {name: 'dangling', namespace: 'default'},
			roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gone'},
			subjects: [{kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'stranger'}],
		});
		assert.deepEqual(authz.authorize(stranger, res('get', 'pods')), {
			allowed: false,
			reason: 'RBAC: role.rbac.authorization.k8s.io "gone" not found',
		});
	});

	test('a RoleBinding grants only in its namespace, and its reason names it as name/namespace', () => {
		store.create('roles', {
			metadata: {name: 'pod-reader', namespace: 'team'},
			rules: [{verbs: ['get'], apiGroups: [''], resources: ['pods']}],
		});
		store.create('rolebindings', {
			metadata: {name: 'read-pods', namespace: 'team'},
			roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader'},
			subjects: [{kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated'}],
		});
		assert.deepEqual(authz.authorize(stranger, res('get', 'pods', {namespace: 'team'})), {
			allowed: true,
			reason: 'RBAC: allowed by RoleBinding "read-pods/team" of Role "pod-reader" to Group "system:authenticated"',
		});
		assert.equal(authz.authorize(stranger, res('get', 'pods', {namespace: 'other'})).allowed, false);
	});

	test('a ServiceAccount subject is its system:serviceaccount user name', () => {
		store.create('rolebindings', {
			metadata: {name: 'sa', namespace: 'team'},
			roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin'},
			subjects: [{kind: 'ServiceAccount', name: 'deployer'}],
		});
		const sa = {name: 'system:serviceaccount:team:deployer', groups: ['system:authenticated']};
		assert.deepEqual(authz.authorize(sa, res('delete', 'pods', {namespace: 'team'})), {
			allowed: true,
			reason: 'RBAC: allowed by RoleBinding "sa/team" of ClusterRole "cluster-admin" to ServiceAccount "deployer/team"',
		});
	});

	test('rulesFor lists the cluster-wide and the namespace rules', () => {
		const {rules} = authz.rulesFor(viewer, 'team');
		assert.ok(rules.some((r) => r.resources?.includes('selfsubjectaccessreviews')));
		assert.ok(rules.some((r) => r.resources?.includes('pods') && r.verbs.join() === 'get' && r.apiGroups?.join() === ''));
	});
});
