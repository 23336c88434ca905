import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {COCKPIT_WATCHES, preflight} from '../../source/kube/preflight.js';
import type {Deployment} from '../../source/model/types.js';
import {startFakeApi, type FakeApi} from '../helpers/fake-api.js';
import {deployment} from '../helpers/objects.js';
import {waitFor, within} from '../helpers/wait.js';

const DEPLOYMENT = '/apis/apps/v1/namespaces/default/deployments/nginx';

// Answers the other checks: the server's version, the namespace, the deployments' list and the watch reviews (allowed).
async function answerTheRest(api: FakeApi): Promise<void> {
	(await api.next((r) => r.path === '/version')).json(200, {gitVersion: 'v1.32.4'});
	(await api.next((r) => r.path === '/api/v1/namespaces/default')).json(200, {kind: 'Namespace', metadata: {name: 'default'}});
	(await api.next((r) => r.path === '/apis/apps/v1/namespaces/default/deployments')).json(200, {items: []});
	for (let i = 0; i < COCKPIT_WATCHES.length; i++)
		(await api.next((r) => r.path.endsWith('/selfsubjectaccessreviews'))).json(201, {status: {allowed: true}});
}

describe('preflight onDeployment (the cockpit lists the pods as soon as the deployment is read)', () => {
	test('is called with the named deployment as soon as its answer arrives, before the other checks have answered', async (t) => {
		const api = await startFakeApi();
		t.after(() => api.close());
		const seen: Deployment[] = [];
		const checking = preflight(api.connection('default'), {deployment: 'nginx', onDeployment: (d) => seen.push(d)});
		checking.catch(() => {});
		(await api.next((r) => r.path === DEPLOYMENT)).json(200, deployment());
		await waitFor(() => seen.length === 1, 15_000, 'onDeployment');
		assert.equal(seen[0]!.metadata?.name, 'nginx');
		// The others are still unanswered: preflight itself has not finished.
		await answerTheRest(api);
		const result = await within(checking, 15_000, 'preflight');
		assert.equal(result.deployment?.metadata?.name, 'nginx');
		assert.equal(seen.length, 1);
	});

	test('is not called when the deployment is not there (preflight then says so)', async (t) => {
		const api = await startFakeApi();
		t.after(() => api.close());
		let called = false;
		const checking = preflight(api.connection('default'), {
			deployment: 'nginx',
			onDeployment: () => {
				called = true;
			},
		});
		checking.catch(() => {});
		(await api.next((r) => r.path === DEPLOYMENT)).json(404, {kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404});
		await answerTheRest(api);
		await assert.rejects(within(checking, 15_000, 'preflight'), /deployment "nginx" not found in namespace "default"/);
		assert.equal(called, false);
	});
});
