// The server as @kubernetes/client-node 1.4 sees it: the kubeconfig it writes, typed clients, informers, watches.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {request as httpsRequest, type RequestOptions} from 'node:https';
import {
	ApiException,
	AppsV1Api,
	CoreV1Api,
	KubeConfig,
	makeInformer,
	PatchStrategy,
	setHeaderOptions,
	Watch,
	type V1Deployment,
} from '@kubernetes/client-node';
import {deployment as deploymentObject, seededStore, startTestServer, storeSnapshot, waitFor, type TestServer} from './helpers.js';
import {within} from '../../helpers/wait.js';

const deployment = (name: string) => deploymentObject(name) as V1Deployment & {spec: any};

function kubeConfig(t: TestServer, token?: string): KubeConfig {
	const kc = new KubeConfig();
	kc.loadFromString(t.server.kubeconfig());
	if (token !== undefined) kc.users[0] = {...kc.users[0]!, token};
	return kc;
}

async function apiError(promise: Promise<unknown>): Promise<{code: number; status: any}> {
	try {
		await within(promise, 10_000, 'the failing call to be answered');
	} catch (error) {
		assert.ok(error instanceof ApiException, `expected an ApiException, got ${String(error)}`);
		return {code: error.code, status: typeof error.body === 'string' && error.body ? JSON.parse(error.body) : error.body};
	}
	assert.fail('expected the call to fail');
}

describe('@kubernetes/client-node 1.4 against the API server', () => {
	let t: TestServer;
	let kc: KubeConfig;
	let apps: AppsV1Api;
	let core: CoreV1Api;
	before(async () => {
		t = await startTestServer({store: seededStore({historyLimit: 50})});
		kc = kubeConfig(t);
		apps = kc.makeApiClient(AppsV1Api);
		core = kc.makeApiClient(CoreV1Api);
	});
	after(() => t.close());

	test('the kubeconfig verifies TLS with its CA and authenticates with the token', async () => {
		assert.equal(kc.getCurrentCluster()!.server, t.server.url);
		const namespaces = await within(core.listNamespace(), 10_000, 'core.listNamespace to be answered');
		assert.deepEqual(
			namespaces.items.map((n) => n.metadata!.name),
			['default', 'kube-node-lease', 'kube-public', 'kube-system'],
		);
		const nodes = await within(core.listNode(), 10_000, 'core.listNode to be answered');
		assert.equal(nodes.items.length, 4);
	});

	test('a request without the right token is 401', async () => {
		const bad = kubeConfig(t, 'not-the-token').makeApiClient(CoreV1Api);
		const {code} = await apiError(bad.listNamespace());
		assert.equal(code, 401);
		// The generated client drops the 401 body (no schema for it); the Status is there on the wire.
		const raw = await rawRequest(kubeConfig(t, 'not-the-token'), 'GET', `${t.server.url}/api/v1/namespaces`);
		assert.equal(raw.status, 401);
		assert.equal(JSON.parse(raw.body).reason, 'Unauthorized');
	});

	test('an informer lists, then sees adds, updates and deletes through its watch', async () => {
		const informer = makeInformer<V1Deployment>(kc, '/apis/apps/v1/namespaces/default/deployments', () =>
			apps.listNamespacedDeployment({namespace: 'default'}),
		);
		const seen: string[] = [];
		informer.on('add', (d) => seen.push(`add ${d.metadata!.name} ${d.spec!.replicas}`));
		informer.on('update', (d) => seen.push(`update ${d.metadata!.name} ${d.spec!.replicas}`));
		informer.on('delete', (d) => seen.push(`delete ${d.metadata!.name}`));
		await within(
			apps.createNamespacedDeployment({namespace: 'default', body: deployment('before')}),
			10_000,
			'apps.createNamespacedDeployment to be answered',
		);
		await within(informer.start(), 10_000, 'the informer to start');
		try {
			await waitFor(() => seen.includes('add before 1'), 5000, 'the listed deployment');
			await within(
				apps.createNamespacedDeployment({namespace: 'default', body: deployment('during')}),
				10_000,
				'apps.createNamespacedDeployment to be answered',
			);
			await within(
				apps.patchNamespacedDeploymentScale(
					{namespace: 'default', name: 'during', body: {spec: {replicas: 3}}},
					setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
				),
				10_000,
				'apps.patchNamespacedDeploymentScale to be answered',
			);
			await within(
				apps.deleteNamespacedDeployment({namespace: 'default', name: 'before'}),
				10_000,
				'apps.deleteNamespacedDeployment to be answered',
			);
			await waitFor(() => seen.length >= 4, 5000, 'watch events');
			assert.deepEqual(seen, ['add before 1', 'add during 1', 'update during 3', 'delete before']);
			assert.deepEqual(
				informer.list('default').map((d) => d.metadata!.name),
				['during'],
			);
		} finally {
			await within(informer.stop(), 10_000, 'the informer to stop');
		}
	});

	test('a watch resumed from an expired resourceVersion gets the in-stream 410 ERROR', async () => {
		const first = t.store.resourceVersion;
		for (let i = 0; i < 60; i++) t.store.create('pods', {metadata: {name: `churn-${i}`, namespace: 'default'}, spec: {}});
		const events: {type: string; object: any}[] = [];
		const done = within(
			new Promise<unknown>((resolve) => {
				void new Watch(kc).watch(
					'/api/v1/namespaces/default/pods',
					{resourceVersion: first},
					(type, object) => events.push({type, object}),
					resolve,
				);
			}),
			10_000,
			'the watch from an expired resourceVersion to end',
		);
		await done;
		assert.equal(events.length, 1);
		assert.equal(events[0]!.type, 'ERROR');
		assert.equal(events[0]!.object.code, 410);
		assert.equal(events[0]!.object.reason, 'Expired');
	});

	test('replace with an old resourceVersion is 409 Conflict and changes nothing', async () => {
		const created = await within(
			apps.createNamespacedDeployment({namespace: 'default', body: deployment('conflict')}),
			10_000,
			'apps.createNamespacedDeployment to be answered',
		);
		await within(
			apps.replaceNamespacedDeployment({
				namespace: 'default',
				name: 'conflict',
				body: {...created, spec: {...created.spec!, replicas: 2}},
			}),
			10_000,
			'apps.replaceNamespacedDeployment to be answered',
		);
		const before = storeSnapshot(t.store);
		const {code, status} = await apiError(
			apps.replaceNamespacedDeployment({namespace: 'default', name: 'conflict', body: {...created, spec: {...created.spec!, replicas: 7}}}),
		);
		assert.equal(code, 409);
		assert.equal(status.reason, 'Conflict');
		assert.equal(
			status.message,
			'Operation cannot be fulfilled on deployments.apps "conflict": the object has been modified; please apply your changes to the latest version and try again',
		);
		assert.equal(storeSnapshot(t.store), before);
	});

	test('an invalid Deployment is 422 with causes, and changes nothing', async () => {
		const before = storeSnapshot(t.store);
		const bad = deployment('invalid');
		bad.spec.replicas = -1;
		bad.spec.template.metadata.labels = {app: 'other'};
		const {code, status} = await apiError(apps.createNamespacedDeployment({namespace: 'default', body: bad}));
		assert.equal(code, 422);
		assert.equal(status.reason, 'Invalid');
		assert.equal(
			status.message,
			'Deployment.apps "invalid" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`]',
		);
		assert.deepEqual(
			status.details.causes.map((c: any) => c.field),
			['spec.replicas', 'spec.template.metadata.labels'],
		);
		assert.equal(storeSnapshot(t.store), before);
	});

	test('an unknown resource or object is 404, and changes nothing', async () => {
		const before = storeSnapshot(t.store);
		const missing = await apiError(apps.readNamespacedDeployment({namespace: 'default', name: 'nope'}));
		assert.equal(missing.code, 404);
		assert.equal(missing.status.message, 'deployments.apps "nope" not found');
		const noNamespace = await apiError(apps.createNamespacedDeployment({namespace: 'nowhere', body: deployment('x')}));
		assert.equal(noNamespace.code, 404);
		assert.equal(noNamespace.status.message, 'namespaces "nowhere" not found');
		// A group/version the server does not serve (batch/v1 jobs), through the same kubeconfig: past every API
		// handler, kube-apiserver answers with Go's plain 404 page, not a Status.
		const raw = await rawRequest(kc, 'GET', `${t.server.url}/apis/batch/v1/namespaces/default/jobs`);
		assert.equal(raw.status, 404);
		assert.equal(raw.body, '404 page not found\n');
		// A resource missing from a served group/version is the API's own NotFound Status.
		const unknown = await rawRequest(kc, 'GET', `${t.server.url}/apis/apps/v1/namespaces/default/widgets`);
		assert.equal(unknown.status, 404);
		assert.equal(JSON.parse(unknown.body).reason, 'NotFound');
		assert.equal(storeSnapshot(t.store), before);
	});

	test('a malformed body is 400 BadRequest, and changes nothing', async () => {
		const before = storeSnapshot(t.store);
		const r = await rawRequest(
			kc,
			'POST',
			`${t.server.url}/apis/apps/v1/namespaces/default/deployments`,
			'{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"half"',
		);
		assert.equal(r.status, 400);
		const status = JSON.parse(r.body);
		assert.equal(status.kind, 'Status');
		assert.equal(status.reason, 'BadRequest');
		assert.match(status.message, /json parse error/);
		assert.equal(storeSnapshot(t.store), before);
	});
});

/** A raw HTTPS request with client-node's own TLS and auth settings from the kubeconfig. */
async function rawRequest(kc: KubeConfig, method: string, url: string, body?: string): Promise<{status: number; body: string}> {
	const options: RequestOptions = {method, headers: {'Content-Type': 'application/json', Accept: 'application/json'}};
	await kc.applyToHTTPSOptions(options);
	return within(
		new Promise((resolve, reject) => {
			const req = httpsRequest(url, options, (res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (c) => (text += c));
				res.on('end', () => resolve({status: res.statusCode ?? 0, body: text}));
			});
			req.on('error', reject);
			req.end(body);
		}),
		10_000,
		`${method} ${url}`,
	);
}
