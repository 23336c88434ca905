import {test} from 'node:test';
import assert from 'node:assert/strict';
import {route} from '../../../source/sim/api/router.js';

test('paths route as the real server lays them out', () => {
	const cases: [path: string, expected: string][] = [
		['/version', 'version'],
		['/healthz', 'health'],
		['/api', 'api'],
		['/apis/', 'apis'],
		['/apis/apps', 'group apps'],
		['/api/v1', 'groupVersion /v1'],
		['/apis/apps/v1', 'groupVersion apps/v1'],
		['/openapi/v2', 'openapiV2'],
		['/openapi/v3', 'openapiV3Index'],
		['/openapi/v3/apis/apps/v1', 'openapiV3 apis/apps/v1'],
		['/api/v1/namespaces', 'namespaces ns=- name=- sub=-'],
		['/api/v1/namespaces/default', 'namespaces ns=- name=default sub=-'],
		['/api/v1/namespaces/default/status', 'namespaces ns=- name=default sub=status'],
		['/api/v1/namespaces/default/pods', 'pods ns=default name=- sub=-'],
		['/api/v1/namespaces/default/pods/web-1', 'pods ns=default name=web-1 sub=-'],
		['/api/v1/namespaces/default/pods/web-1/status', 'pods ns=default name=web-1 sub=status'],
		['/api/v1/pods', 'pods ns=- name=- sub=-'],
		['/api/v1/nodes/node1', 'nodes ns=- name=node1 sub=-'],
		['/api/v1/nodes/node1/status', 'nodes ns=- name=node1 sub=status'],
		['/apis/apps/v1/namespaces/default/deployments/nginx/scale', 'deployments ns=default name=nginx sub=scale'],
		['/apis/apps/v1/replicasets', 'replicasets ns=- name=- sub=-'],
		['/api/v1/watch/namespaces/default/pods', 'pods ns=default name=- sub=- watch'],
		['/api/v1/namespaces/kube%2Dsystem/pods', 'pods ns=kube-system name=- sub=-'],
		// Not served: 404s.
		['/api/v1/pods/web-1', 'notFound'],
		['/api/v1/namespaces/default/nodes', 'notFound'],
		['/apis/batch/v1/jobs', 'unserved'],
		['/api/v1/namespaces/default/pods/a/b/c', 'notFound'],
		['/api/v1/namespaces/default/widgets', 'notFound'],
		['/nonsense', 'notFound'],
		// Groups and versions not served at all: past every API handler, Go's http.NotFound.
		['/api/v2/pods', 'unserved'],
		['/api/v2', 'unserved'],
		['/apis/apps/v1beta1/deployments', 'unserved'],
		['/apis/authentication.k8s.io/v1beta1/selfsubjectreviews', 'unserved'],
		['/apis/widgets.example.com', 'unserved'],
		['/apis/widgets.example.com/v1/namespaces/default/widgets', 'unserved'],
		['/api/v1/namespaces/%E0%A4%A/pods', 'notFound'],
	];
	for (const [path, expected] of cases) {
		const r = route(path);
		let actual: string;
		switch (r.type) {
			case 'resource':
				actual = `${r.info.resource} ns=${r.namespace ?? '-'} name=${r.name ?? '-'} sub=${r.subresource ?? '-'}${r.watchPath ? ' watch' : ''}`;
				break;
			case 'group':
				actual = `group ${r.group}`;
				break;
			case 'groupVersion':
				actual = `groupVersion ${r.group}/${r.version}`;
				break;
			case 'openapiV3':
				actual = `openapiV3 ${r.groupVersion}`;
				break;
			default:
				actual = r.type;
		}
		assert.equal(actual, expected, path);
	}
});
