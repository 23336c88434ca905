// The clusterrole-aggregation controller: view, edit and admin gather the rules of the ClusterRoles labelled
// aggregate-to-view/edit/admin (view into edit into admin), and follow when such a role comes or goes.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {startCluster} from '../../helpers/sim-cluster.js';
import {waitFor} from '../api/helpers.js';

test('view, edit and admin gather the labelled roles, and follow a new one and its removal', async () => {
	const c = await startCluster({scenario: 'empty'});
	try {
		const rules = (name: string) =>
			(c.store.get('clusterroles', undefined, name)?.rules ?? []) as Array<{resources?: string[]; verbs: string[]}>;
		const grants = (name: string, resource: string, verb: string) =>
			rules(name).some((r) => r.resources?.includes(resource) && r.verbs.includes(verb));
		assert.ok(grants('view', 'pods', 'list'));
		assert.ok(!grants('view', 'pods', 'delete'));
		assert.ok(grants('edit', 'pods', 'list'), 'edit gathers view');
		assert.ok(grants('edit', 'deployments/scale', 'patch'));
		assert.ok(grants('admin', 'rolebindings', 'create'));
		assert.ok(grants('admin', 'pods', 'list'), 'admin gathers edit, which gathers view');

		c.store.create('clusterroles', {
			apiVersion: 'rbac.authorization.k8s.io/v1',
			kind: 'ClusterRole',
			metadata: {name: 'widgets-viewer', labels: {'rbac.authorization.k8s.io/aggregate-to-view': 'true'}},
			rules: [{apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list', 'watch']}],
		});
		await waitFor(() => grants('view', 'widgets', 'list') && grants('admin', 'widgets', 'list'), 5000, 'view and admin to gather widgets');
		c.store.delete('clusterroles', undefined, 'widgets-viewer');
		await waitFor(() => !grants('view', 'widgets', 'list') && !grants('admin', 'widgets', 'list'), 5000, 'widgets to leave view and admin');
	} finally {
		await c.stop();
	}
});
