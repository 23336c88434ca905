import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {request as httpsRequest} from 'node:https';
import {connect} from 'node:net';
import {Store} from '../../../source/sim/store.js';
import {deployment, seededStore, startTestServer, storeSnapshot, waitFor, type TestServer} from './helpers.js';
import {bounded, within} from '../../helpers/wait.js';

const deployments = '/apis/apps/v1/namespaces/default/deployments';
const pods = '/api/v1/namespaces/default/pods';
const services = '/api/v1/namespaces/default/services';

const pod = (name: string, extra: {nodeName?: string; labels?: Record<string, string>; phase?: string} = {}) => ({
	apiVersion: 'v1',
	kind: 'Pod',
	metadata: {name, labels: extra.labels ?? {app: 'web'}},
	spec: {containers: [{name: 'c', image: 'nginx:1.18'}], ...(extra.nodeName ? {nodeName: extra.nodeName} : {})},
});

/** Opens a watch and collects its lines until the server ends the stream or `stop` is called. */
function openWatch(t: TestServer, path: string, accept = 'application/json') {
	const lines: any[] = [];
	let stop!: () => void;
	let status = 0;
	// wait-ok: every wait on it is within().
	const ended = new Promise<number>((resolve, reject) => {
		const req = httpsRequest(
			`${t.server.url}${path}`,
			{ca: t.server.caPem, headers: {Authorization: `Bearer ${t.server.token}`, Accept: accept}},
			(res) => {
				status = res.statusCode ?? 0;
				let buffer = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					buffer += chunk;
					for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
						lines.push(JSON.parse(buffer.slice(0, nl)));
						buffer = buffer.slice(nl + 1);
					}
				});
				res.on('end', () => resolve(res.statusCode ?? 0));
				res.on('error', () => resolve(res.statusCode ?? 0));
			},
		);
		req.on('error', reject);
		req.end();
		stop = () => req.destroy();
	});
	// open(): the response headers have arrived.
	return {lines, ended, stop: () => stop(), open: () => status !== 0};
}

describe('API server over HTTPS', () => {
	let t: TestServer;
	const reserved: number[] = [];
	const released: number[] = [];
	let refuse = new Set<number>();
	before(async () => {
		t = await startTestServer({
			bookmarkIntervalMs: 50,
			reserveNodePort: async (port) => {
				if (refuse.has(port)) return false;
				reserved.push(port);
				return true;
			},
			releaseNodePort: (port) => released.push(port),
		});
	});
	after(() => t.close());

	test('every path needs the bearer token: 401 Status without it or with a wrong one', async () => {
		for (const [path, token] of [
			['/version', ''],
			[deployments, ''],
			['/api', 'wrong-token'],
			[`${pods}/x`, `${t.server.token}x`],
		] as const) {
			const r = await t.call('GET', path, {token: token || ''});
			assert.equal(r.status, 401, path);
			assert.deepEqual(r.json, {
				kind: 'Status',
				apiVersion: 'v1',
				metadata: {},
				status: 'Failure',
				message: 'Unauthorized',
				reason: 'Unauthorized',
				code: 401,
			});
			assert.equal(r.text.includes(t.server.token), false);
		}
		assert.equal((await t.call('GET', '/version')).json.gitVersion, 'v1.32.4');
	});

	test('legacy discovery: /api, /apis, group versions with short names, categories and subresources', async () => {
		assert.deepEqual((await t.call('GET', '/api')).json.versions, ['v1']);
		const groups = (await t.call('GET', '/apis')).json;
		assert.deepEqual(
			groups.groups.map((g: any) => g.preferredVersion.groupVersion),
			// In the real server's order of groups.
			['apps/v1', 'events.k8s.io/v1', 'authentication.k8s.io/v1', 'authorization.k8s.io/v1', 'policy/v1', 'rbac.authorization.k8s.io/v1'],
		);
		const core = (await t.call('GET', '/api/v1')).json;
		const byName = Object.fromEntries(core.resources.map((r: any) => [r.name, r]));
		assert.deepEqual(
			['po', 'svc', 'ep', 'ev', 'no', 'ns'].map((s) => Object.values(byName).find((r: any) => r.shortNames?.includes(s)) !== undefined),
			[true, true, true, true, true, true],
		);
		assert.deepEqual(byName.pods.categories, ['all']);
		assert.equal(byName['pods/status'].kind, 'Pod');
		const apps = (await t.call('GET', '/apis/apps/v1')).json;
		const scale = apps.resources.find((r: any) => r.name === 'deployments/scale');
		assert.deepEqual([scale.group, scale.version, scale.kind], ['autoscaling', 'v1', 'Scale']);
		assert.equal((await t.call('GET', '/apis/batch/v1')).status, 404);
	});

	test('aggregated discovery answers with its own Content-Type, as kubectl 1.27+ requires', async () => {
		const accept =
			'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
		const r = await t.call('GET', '/apis', {accept});
		assert.equal(r.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
		assert.equal(r.json.kind, 'APIGroupDiscoveryList');
		const deploy = r.json.items[0].versions[0].resources.find((x: any) => x.resource === 'deployments');
		assert.deepEqual(deploy.shortNames, ['deploy']);
		assert.deepEqual(
			deploy.subresources.map((s: any) => s.subresource),
			['status', 'scale'],
		);
		const legacy = await t.call('GET', '/api', {accept});
		assert.equal(legacy.json.items[0].versions[0].resources.find((x: any) => x.resource === 'pods').scope, 'Namespaced');
	});

	test('create applies defaults and status, then get, list and labelSelector see it', async () => {
		const created = await t.call('POST', deployments, {body: deployment('web')});
		assert.equal(created.status, 201);
		assert.equal(created.json.kind, 'Deployment');
		assert.equal(created.json.metadata.generation, 1);
		assert.deepEqual(created.json.status, {});
		assert.equal(created.json.spec.template.spec.containers[0].terminationMessagePath, '/dev/termination-log');
		const got = await t.call('GET', `${deployments}/web`);
		assert.deepEqual(got.json, created.json);
		const list = await t.call('GET', `${deployments}?labelSelector=app%3Dweb`);
		assert.equal(list.json.kind, 'DeploymentList');
		assert.equal(list.json.metadata.resourceVersion, t.store.resourceVersion);
		assert.deepEqual(
			list.json.items.map((d: any) => d.metadata.name),
			['web'],
		);
		assert.deepEqual((await t.call('GET', `${deployments}?labelSelector=app%3Dother`)).json.items, []);
		assert.equal((await t.call('GET', '/apis/apps/v1/deployments')).json.items.length, 1, 'all namespaces');
	});

	test("a group or version the server does not serve answers Go's 404 page, whatever the method (not a 405, not a Status)", async () => {
		// kube-apiserver's handler chain ends in apiserver's notfoundhandler, which calls Go's http.NotFound once the
		// paths are installed; kubectl 1.27's auth whoami reads that 404 as "try the next version", a 405 stops it.
		const before = storeSnapshot(t.store);
		for (const [method, path] of [
			['POST', '/apis/authentication.k8s.io/v1beta1/selfsubjectreviews'],
			['POST', '/apis/authentication.k8s.io/v1alpha1/selfsubjectreviews'],
			['POST', '/apis/apps/v1beta1/namespaces/default/deployments'],
			['GET', '/apis/apps/v1beta1/namespaces/default/deployments'],
			['DELETE', '/apis/widgets.example.com/v1/namespaces/default/widgets/a'],
			['GET', '/apis/widgets.example.com'],
			['GET', '/api/v2'],
		] as const) {
			const r = await t.call(method, path, method === 'POST' ? {body: {kind: 'SelfSubjectReview'}} : {});
			assert.equal(r.status, 404, `${method} ${path}`);
			assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8', `${method} ${path}`);
			assert.equal(r.headers['x-content-type-options'], 'nosniff');
			assert.equal(r.text, '404 page not found\n', `${method} ${path}`);
		}
		assert.equal(storeSnapshot(t.store), before);
		// A served group/version keeps its own answers: discovery, and the 405 of a POST on it.
		assert.equal((await t.call('POST', '/apis/apps/v1', {body: {}})).status, 405);
		assert.equal((await t.call('GET', '/apis/authentication.k8s.io/v1')).json.kind, 'APIResourceList');
	});

	test('a resource or subresource a served group/version does not have: the NotFound Status the apiserver writes, details present and empty', async () => {
		// The body a real apiserver sends (its go-restful service error handler: NewGenericServerResponse with no
		// group, kind or name), as clients log it. Go's JSON encoder adds a newline after it (a Content-Length of 174);
		// the sim's JSON bodies end without one, which no JSON client reads.
		const real =
			'{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}';
		for (const path of [
			'/api/v1/widgets',
			'/api/v1/namespaces/default/widgets',
			'/apis/apps/v1/namespaces/default/widgets',
			'/apis/apps/v1/namespaces/default/deployments/nginx/widget',
			'/api/v1/namespaces/default/pods/x/widget',
			'/apis/events.k8s.io/v1/namespaces/default/widgets',
		]) {
			const r = await t.call('GET', path);
			assert.equal(r.status, 404, path);
			assert.equal(r.headers['content-type'], 'application/json', path);
			assert.equal(r.text, real, path);
		}
	});

	test('errors are metav1.Status with the real codes, and leave the store unchanged', async () => {
		await t.call('POST', deployments, {body: deployment('keep')});
		const cases: [
			what: string,
			method: string,
			path: string,
			options: Parameters<TestServer['call']>[2],
			code: number,
			reason: string,
			message?: RegExp | string,
		][] = [
			['malformed JSON', 'POST', deployments, {body: '{"metadata": {'}, 400, 'BadRequest', /json parse error/],
			[
				'an invalid Deployment',
				'POST',
				deployments,
				{body: deployment('bad', {spec: {...deployment('bad').spec, replicas: -1}})},
				422,
				'Invalid',
				'Deployment.apps "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
			],
			[
				'an unknown resource',
				'GET',
				'/apis/apps/v1/namespaces/default/widgets',
				{},
				404,
				'NotFound',
				'the server could not find the requested resource',
			],
			['a missing object', 'GET', `${deployments}/nope`, {}, 404, 'NotFound', 'deployments.apps "nope" not found'],
			[
				'a missing namespace',
				'POST',
				'/apis/apps/v1/namespaces/nope/deployments',
				{body: deployment('x')},
				404,
				'NotFound',
				'namespaces "nope" not found',
			],
			['an existing name', 'POST', deployments, {body: deployment('keep')}, 409, 'AlreadyExists', 'deployments.apps "keep" already exists'],
			['an unknown body type', 'POST', deployments, {body: 'x: 1', contentType: 'text/plain'}, 415, 'UnsupportedMediaType'],
			[
				'a patch sent as plain JSON',
				'PATCH',
				`${deployments}/keep`,
				{body: {spec: {replicas: 2}}, contentType: 'application/json'},
				415,
				'UnsupportedMediaType',
			],
			['only protobuf accepted', 'GET', `${deployments}/keep`, {accept: 'application/vnd.kubernetes.protobuf'}, 406, 'NotAcceptable'],
			['PUT on a collection', 'PUT', deployments, {body: deployment('keep')}, 405, 'MethodNotAllowed'],
			['POST to the all-namespaces path', 'POST', '/apis/apps/v1/deployments', {body: deployment('x')}, 405, 'MethodNotAllowed'],
			[
				'a kind that does not belong',
				'POST',
				deployments,
				{body: {...pod('p'), metadata: {name: 'p'}}},
				400,
				'BadRequest',
				'the API version in the data (v1) does not match the expected API version (apps/v1)',
			],
			[
				'a body namespace that differs from the path',
				'POST',
				deployments,
				{body: {...deployment('x'), metadata: {name: 'x', namespace: 'kube-system'}}},
				400,
				'BadRequest',
				'the namespace of the provided object does not match the namespace sent on the request',
			],
			[
				'a PUT whose name differs from the URL',
				'PUT',
				`${deployments}/keep`,
				{body: deployment('other')},
				400,
				'BadRequest',
				'the name of the object (other) does not match the name on the URL (keep)',
			],
			['a bad label selector', 'GET', `${deployments}?labelSelector=app%20in%20x`, {}, 400, 'BadRequest'],
			[
				'a field selector the resource does not index',
				'GET',
				`${deployments}?fieldSelector=status.phase%3DRunning`,
				{},
				400,
				'BadRequest',
				'field label not supported: status.phase',
			],
			[
				'a JSON patch whose test fails',
				'PATCH',
				`${deployments}/keep`,
				{body: [{op: 'test', path: '/spec/replicas', value: 7}], contentType: 'application/json-patch+json'},
				422,
				'Invalid',
			],
			[
				'a patch that makes it invalid',
				'PATCH',
				`${deployments}/keep`,
				{body: {spec: {replicas: -3}}, contentType: 'application/merge-patch+json'},
				422,
				'Invalid',
				/spec\.replicas: Invalid value: -3/,
			],
			[
				'a patch to a missing object',
				'PATCH',
				`${deployments}/nope`,
				{body: {spec: {replicas: 3}}, contentType: 'application/merge-patch+json'},
				404,
				'NotFound',
			],
			[
				'changing the selector',
				'PATCH',
				`${deployments}/keep`,
				{
					body: {spec: {selector: {matchLabels: {app: 'z'}}, template: {metadata: {labels: {app: 'z'}}}}},
					contentType: 'application/strategic-merge-patch+json',
				},
				422,
				'Invalid',
				/field is immutable/,
			],
		];
		for (const [what, method, path, options, code, reason, message] of cases) {
			const before = storeSnapshot(t.store);
			const r = await t.call(method, path, options);
			assert.equal(r.status, code, `${what}: ${r.text}`);
			assert.equal(r.json?.kind, 'Status', what);
			assert.equal(r.json.code, code, what);
			assert.equal(r.json.reason, reason, what);
			if (typeof message === 'string') assert.equal(r.json.message, message, what);
			else if (message) assert.match(r.json.message, message, what);
			assert.equal(storeSnapshot(t.store), before, `${what}: the store is unchanged`);
		}
	});

	test('YAML bodies are read; Accept */* gets JSON, YAML-only gets 406', async () => {
		const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: from-yaml\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n';
		// The first YAML body loads the parser (client-node, seconds on a loaded machine): this one request waits longer.
		const r = await t.call('POST', pods, {body: yaml, contentType: 'application/yaml', accept: '*/*', timeoutMs: 60_000});
		assert.equal(r.status, 201, r.text);
		assert.equal(r.headers['content-type'], 'application/json');
		assert.equal(r.json.spec.containers[0].image, 'busybox:1.36');
		const bad = await t.call('POST', pods, {body: 'metadata: [unclosed', contentType: 'application/yaml'});
		assert.equal(bad.status, 400);
		assert.equal((await t.call('GET', `${pods}/from-yaml`, {accept: 'application/yaml'})).status, 406);
	});

	test('422 Invalid carries details with causes', async () => {
		const r = await t.call('POST', deployments, {
			body: {
				...deployment('c'),
				spec: {...deployment('c').spec, template: {metadata: {labels: {app: 'x'}}, spec: {containers: [{name: 'n'}]}}},
			},
		});
		assert.equal(r.status, 422);
		assert.deepEqual(
			r.json.details.causes.map((c: any) => c.field),
			['spec.template.metadata.labels', 'spec.template.spec.containers[0].image'],
		);
		assert.equal(r.json.details.kind, 'Deployment');
		assert.equal(r.json.details.group, 'apps');
	});

	test('dryRun=All validates and answers but stores nothing; generateName makes a name', async () => {
		const before = storeSnapshot(t.store);
		const dry = await t.call('POST', `${deployments}?dryRun=All`, {body: deployment('dry')});
		assert.equal(dry.status, 201);
		assert.equal(dry.json.metadata.name, 'dry');
		assert.equal(dry.json.spec.replicas, 1);
		assert.equal(storeSnapshot(t.store), before);
		assert.equal(
			(await t.call('POST', `${deployments}?dryRun=All`, {body: {...deployment('dry'), spec: {...deployment('dry').spec, replicas: -1}}}))
				.status,
			422,
		);
		const gen = await t.call('POST', pods, {body: {...pod(''), metadata: {generateName: 'web-', labels: {app: 'web'}}}});
		assert.equal(gen.status, 201);
		assert.match(gen.json.metadata.name, /^web-[a-z0-9]{5}$/);
		assert.deepEqual(gen.json.status, {phase: 'Pending', qosClass: 'BestEffort'});
	});

	test('update: a stale resourceVersion is 409 Conflict; status cannot change through the main resource', async () => {
		const created = (await t.call('POST', deployments, {body: deployment('upd')})).json;
		const first = await t.call('PUT', `${deployments}/upd`, {body: {...created, spec: {...created.spec, replicas: 2}}});
		assert.equal(first.status, 200);
		assert.equal(first.json.metadata.generation, 2);
		const stale = await t.call('PUT', `${deployments}/upd`, {body: {...created, spec: {...created.spec, replicas: 5}}});
		assert.equal(stale.status, 409);
		assert.equal(stale.json.reason, 'Conflict');
		assert.equal(t.store.get('deployments', 'default', 'upd')!.spec.replicas, 2);
		// The status subresource writes status only.
		const st = await t.call('PUT', `${deployments}/upd/status`, {
			body: {...first.json, spec: {...first.json.spec, replicas: 9}, status: {replicas: 2, observedGeneration: 2}},
		});
		assert.equal(st.status, 200);
		assert.deepEqual(st.json.status, {replicas: 2, observedGeneration: 2});
		assert.equal(st.json.spec.replicas, 2);
		const main = await t.call('PUT', `${deployments}/upd`, {body: {...st.json, status: {replicas: 100}}});
		assert.deepEqual(main.json.status, {replicas: 2, observedGeneration: 2});
		// The same for pods, whose status the store does not guard.
		const p = (await t.call('POST', pods, {body: pod('status-guard')})).json;
		const patched = await t.call('PATCH', `${pods}/status-guard`, {
			body: {status: {phase: 'Running'}},
			contentType: 'application/merge-patch+json',
		});
		assert.equal(patched.json.status.phase, 'Pending');
		const viaStatus = await t.call('PATCH', `${pods}/status-guard/status`, {
			body: {status: {phase: 'Running'}},
			contentType: 'application/merge-patch+json',
		});
		assert.equal(viaStatus.json.status.phase, 'Running');
		assert.equal(viaStatus.json.metadata.uid, p.metadata.uid);
	});

	test('patch types over HTTP: strategic set image keeps other containers; merge; JSON patch', async () => {
		const body = deployment('pt');
		body.spec.template.spec.containers.push({name: 'side', image: 'busybox'});
		await t.call('POST', deployments, {body});
		const smp = await t.call('PATCH', `${deployments}/pt`, {
			body: {spec: {template: {spec: {containers: [{name: 'nginx', image: 'nginx:1.20.1'}]}}}},
			contentType: 'application/strategic-merge-patch+json',
		});
		assert.equal(smp.status, 200);
		assert.deepEqual(
			smp.json.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`),
			['nginx=nginx:1.20.1', 'side=busybox'],
		);
		assert.equal(smp.json.metadata.generation, 2);
		const merge = await t.call('PATCH', `${deployments}/pt`, {
			body: {metadata: {labels: {tier: 'web'}}},
			contentType: 'application/merge-patch+json',
		});
		assert.deepEqual(merge.json.metadata.labels, {app: 'pt', tier: 'web'});
		assert.equal(merge.json.metadata.generation, 2, 'a label change is not a spec change');
		const json = await t.call('PATCH', `${deployments}/pt`, {
			body: [{op: 'replace', path: '/spec/replicas', value: 4}],
			contentType: 'application/json-patch+json',
		});
		assert.equal(json.json.spec.replicas, 4);
		// A patch that carries an old resourceVersion is a conflict.
		const conflict = await t.call('PATCH', `${deployments}/pt`, {
			body: {metadata: {resourceVersion: smp.json.metadata.resourceVersion}, spec: {replicas: 1}},
			contentType: 'application/merge-patch+json',
		});
		assert.equal(conflict.status, 409);
		// A patch that changes nothing keeps the resourceVersion.
		const same = await t.call('PATCH', `${deployments}/pt`, {body: {spec: {replicas: 4}}, contentType: 'application/merge-patch+json'});
		assert.equal(same.json.metadata.resourceVersion, json.json.metadata.resourceVersion);
	});

	test('the scale subresource: autoscaling/v1 Scale on GET, PUT and PATCH', async () => {
		await t.call('POST', deployments, {body: deployment('sc')});
		const got = await t.call('GET', `${deployments}/sc/scale`);
		assert.deepEqual(
			{kind: got.json.kind, apiVersion: got.json.apiVersion, spec: got.json.spec, status: got.json.status},
			{kind: 'Scale', apiVersion: 'autoscaling/v1', spec: {replicas: 1}, status: {replicas: 0, selector: 'app=sc'}},
		);
		const put = await t.call('PUT', `${deployments}/sc/scale`, {body: {...got.json, spec: {replicas: 3}}});
		assert.equal(put.json.spec.replicas, 3);
		assert.equal(t.store.get('deployments', 'default', 'sc')!.spec.replicas, 3);
		assert.equal(
			(await t.call('PUT', `${deployments}/sc/scale`, {body: {...got.json, spec: {replicas: 4}}})).status,
			409,
			'stale resourceVersion',
		);
		const patch = await t.call('PATCH', `${deployments}/sc/scale`, {
			body: {spec: {replicas: 5}},
			contentType: 'application/merge-patch+json',
		});
		assert.equal(patch.json.spec.replicas, 5);
		const bad = await t.call('PATCH', `${deployments}/sc/scale`, {
			body: {spec: {replicas: -1}},
			contentType: 'application/merge-patch+json',
		});
		assert.equal(bad.status, 422);
		assert.equal(
			bad.json.message,
			'Scale.autoscaling "sc" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
		);
		assert.equal((await t.call('GET', `${pods}/x/scale`)).status, 404, 'pods have no scale');
	});

	test('pod DELETE is graceful for a scheduled pod: deletionTimestamp = now + grace; unscheduled pods go at once', async () => {
		await t.call('POST', pods, {body: pod('running', {nodeName: 'node1'})});
		await t.call('POST', pods, {body: pod('pending')});
		const start = Date.now();
		const graceful = await t.call('DELETE', `${pods}/running`, {body: {propagationPolicy: 'Background'}});
		assert.equal(graceful.status, 200);
		assert.equal(graceful.json.metadata.deletionGracePeriodSeconds, 30);
		const at = Date.parse(graceful.json.metadata.deletionTimestamp);
		assert.ok(at >= Math.floor(start / 1000) * 1000 + 29_000 && at <= Date.now() + 31_000, graceful.json.metadata.deletionTimestamp);
		assert.ok(t.store.get('pods', 'default', 'running')?.metadata.deletionTimestamp, 'still there, terminating');
		// A shorter grace period shortens it; grace 0 removes the pod.
		const shorter = await t.call('DELETE', `${pods}/running?gracePeriodSeconds=5`);
		assert.equal(shorter.json.metadata.deletionGracePeriodSeconds, 5);
		await t.call('DELETE', `${pods}/running`, {body: {gracePeriodSeconds: 0}});
		assert.equal(t.store.get('pods', 'default', 'running'), undefined);
		await t.call('DELETE', `${pods}/pending`);
		assert.equal(t.store.get('pods', 'default', 'pending'), undefined);
		// Other kinds go at once; preconditions are honoured.
		await t.call('POST', deployments, {body: deployment('gone')});
		const uidMismatch = await t.call('DELETE', `${deployments}/gone`, {body: {preconditions: {uid: 'not-it'}}});
		assert.equal(uidMismatch.status, 409);
		assert.equal((await t.call('DELETE', `${deployments}/gone`)).status, 200);
		assert.equal(t.store.get('deployments', 'default', 'gone'), undefined);
		assert.equal((await t.call('DELETE', `${deployments}/gone`)).status, 404);
	});

	test('propagationPolicy=Orphan strips the owner from dependents', async () => {
		const d = (await t.call('POST', deployments, {body: deployment('owner')})).json;
		const ref = {apiVersion: 'apps/v1', kind: 'Deployment', name: 'owner', uid: d.metadata.uid, controller: true};
		t.store.create('replicasets', {
			apiVersion: 'apps/v1',
			kind: 'ReplicaSet',
			metadata: {name: 'owner-abc', namespace: 'default', ownerReferences: [ref]},
			spec: {},
		});
		await t.call('DELETE', `${deployments}/owner`, {body: {propagationPolicy: 'Orphan'}});
		assert.equal(t.store.get('replicasets', 'default', 'owner-abc')!.metadata.ownerReferences, undefined);
	});

	test('namespace DELETE: Terminating at once, creates are refused, then its contents and itself go', async () => {
		await t.call('POST', '/api/v1/namespaces', {body: {metadata: {name: 'team'}}});
		const ns = t.store.get('namespaces', undefined, 'team')!;
		assert.equal(ns.metadata.labels!['kubernetes.io/metadata.name'], 'team');
		assert.equal(ns.status.phase, 'Active');
		await t.call('POST', '/api/v1/namespaces/team/pods', {body: pod('p', {nodeName: 'node2'})});
		const del = await t.call('DELETE', '/api/v1/namespaces/team');
		assert.equal(del.json.status.phase, 'Terminating');
		const refused = await t.call('POST', '/api/v1/namespaces/team/pods', {body: pod('late')});
		assert.equal(refused.status, 403);
		assert.equal(
			refused.json.message,
			'pods "late" is forbidden: unable to create new content in namespace team because it is being terminated',
		);
		await waitFor(() => t.store.get('namespaces', undefined, 'team') === undefined, 4000, 'namespace removal');
		assert.equal(t.store.list('pods', 'team').items.length, 0);
		assert.equal((await t.call('DELETE', '/api/v1/namespaces/default')).status, 403, 'default cannot be deleted');
	});

	test('services: cluster IP from 10.96.0.0/16; nodePorts asked of the hook, retried when refused, released on delete', async () => {
		const ip = await t.call('POST', services, {body: {metadata: {name: 'cip'}, spec: {selector: {app: 'web'}, ports: [{port: 80}]}}});
		assert.equal(ip.status, 201);
		assert.match(ip.json.spec.clusterIP, /^10\.96\.\d{1,3}\.\d{1,3}$/);
		assert.deepEqual(ip.json.spec.clusterIPs, [ip.json.spec.clusterIP]);
		assert.deepEqual(
			[ip.json.spec.ipFamilies, ip.json.spec.ipFamilyPolicy, ip.json.spec.ports[0].targetPort],
			[['IPv4'], 'SingleStack', 80],
		);
		assert.equal(ip.json.spec.ports[0].nodePort, undefined);
		// Refuse every port but one: the allocator keeps trying until the hook agrees.
		refuse = new Set(Array.from({length: 2768}, (_, i) => 30000 + i).filter((p) => p !== 31234));
		const np = await t.call('POST', services, {
			body: {metadata: {name: 'np'}, spec: {type: 'NodePort', selector: {app: 'web'}, ports: [{port: 80}]}},
		});
		refuse = new Set();
		assert.equal(np.status, 201, np.text);
		assert.equal(np.json.spec.ports[0].nodePort, 31234);
		assert.equal(np.json.spec.externalTrafficPolicy, 'Cluster');
		assert.ok(reserved.includes(31234));
		// The same port again is taken.
		const clash = await t.call('POST', services, {
			body: {metadata: {name: 'np2'}, spec: {type: 'NodePort', ports: [{port: 80, nodePort: 31234}]}},
		});
		assert.equal(clash.status, 422);
		assert.equal(
			clash.json.message,
			'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 31234: provided port is already allocated',
		);
		const range = await t.call('POST', services, {
			body: {metadata: {name: 'np3'}, spec: {type: 'NodePort', ports: [{port: 80, nodePort: 80}]}},
		});
		assert.equal(
			range.json.message,
			'Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
		);
		const ipClash = await t.call('POST', services, {
			body: {metadata: {name: 'ipc'}, spec: {clusterIP: ip.json.spec.clusterIP, ports: [{port: 80}]}},
		});
		assert.equal(ipClash.status, 422);
		assert.match(ipClash.json.message, /provided IP is already allocated/);
		// kubectl apply / replace send the object back without allocated values: they are kept.
		const {clusterIP: _c, clusterIPs: _cs, ...specWithoutIP} = np.json.spec;
		const replaced = await t.call('PUT', `${services}/np`, {body: {...np.json, spec: {...specWithoutIP, ports: [{port: 80}]}}});
		assert.equal(replaced.status, 200, replaced.text);
		assert.equal(replaced.json.spec.clusterIP, np.json.spec.clusterIP);
		assert.equal(replaced.json.spec.ports[0].nodePort, 31234);
		await t.call('DELETE', `${services}/np`);
		assert.ok(released.includes(31234));
		const reuse = await t.call('POST', services, {
			body: {metadata: {name: 'np4'}, spec: {type: 'NodePort', ports: [{port: 80, nodePort: 31234}]}},
		});
		assert.equal(reuse.status, 201, 'a released port can be requested again');
	});

	test('watch streams ADDED, MODIFIED, DELETED lines; filtered by label; a single object by fieldSelector', async () => {
		const rv = t.store.resourceVersion;
		const all = openWatch(t, `${pods}?watch=true&resourceVersion=${rv}`);
		const labelled = openWatch(t, `${pods}?watch=1&resourceVersion=${rv}&labelSelector=app%3Dwatched`);
		const one = openWatch(t, `${pods}?watch=true&fieldSelector=metadata.name%3Dw2`);
		await new Promise((r) => setTimeout(r, 50));
		await t.call('POST', pods, {body: pod('w1', {labels: {app: 'watched'}})});
		await t.call('POST', pods, {body: pod('w2', {labels: {app: 'other'}})});
		await t.call('PATCH', `${pods}/w2`, {body: {metadata: {labels: {app: 'watched'}}}, contentType: 'application/merge-patch+json'});
		await t.call('DELETE', `${pods}/w1`);
		await waitFor(() => all.lines.length >= 4 && labelled.lines.length >= 3 && one.lines.length >= 2, 3000, 'watch events');
		const summary = (lines: any[]) => lines.filter((l) => l.type !== 'BOOKMARK').map((l) => `${l.type} ${l.object.metadata.name}`);
		assert.deepEqual(summary(all.lines), ['ADDED w1', 'ADDED w2', 'MODIFIED w2', 'DELETED w1']);
		assert.deepEqual(summary(labelled.lines), ['ADDED w1', 'ADDED w2', 'DELETED w1']);
		assert.deepEqual(summary(one.lines), ['ADDED w2', 'MODIFIED w2']);
		assert.equal(all.lines[0].object.kind, 'Pod');
		assert.equal(all.lines[0].object.apiVersion, 'v1');
		for (const w of [all, labelled, one]) w.stop();
	});

	test('a watch from an expired resourceVersion gets one in-stream ERROR 410 and ends', async () => {
		const small = seededStore({historyLimit: 5});
		const s = await startTestServer({store: small});
		try {
			for (let i = 0; i < 10; i++) small.create('pods', {metadata: {name: `p${i}`, namespace: 'default'}, spec: {}});
			const w = openWatch(s, `${pods}?watch=true&resourceVersion=3`);
			assert.equal(await within(w.ended, 5000, 'the watch to end'), 200);
			assert.equal(w.lines.length, 1);
			assert.equal(w.lines[0].type, 'ERROR');
			assert.deepEqual(
				{kind: w.lines[0].object.kind, code: w.lines[0].object.code, reason: w.lines[0].object.reason},
				{kind: 'Status', code: 410, reason: 'Expired'},
			);
			assert.match(w.lines[0].object.message, /^too old resource version: 3 \(\d+\)$/);
		} finally {
			await s.close();
		}
	});

	test('timeoutSeconds ends a watch cleanly; bookmarks carry only kind, apiVersion and a resourceVersion', async () => {
		const started = Date.now();
		const w = openWatch(
			t,
			`${deployments}?watch=true&timeoutSeconds=1&allowWatchBookmarks=true&resourceVersion=${t.store.resourceVersion}`,
		);
		assert.equal(await within(w.ended, 5000, 'the watch to end'), 200);
		const elapsed = Date.now() - started;
		assert.ok(elapsed >= 900 && elapsed < 3000, `ended after ${elapsed} ms`);
		const bookmarks = w.lines.filter((l) => l.type === 'BOOKMARK');
		assert.ok(bookmarks.length >= 2, `${bookmarks.length} bookmarks at a 50 ms interval`);
		assert.deepEqual(bookmarks[0].object, {
			kind: 'Deployment',
			apiVersion: 'apps/v1',
			metadata: {resourceVersion: t.store.resourceVersion},
		});
		// Without allowWatchBookmarks there are none.
		const quiet = openWatch(t, `${deployments}?watch=true&timeoutSeconds=1&resourceVersion=${t.store.resourceVersion}`);
		await within(quiet.ended, 5000, 'the watch to end');
		assert.deepEqual(quiet.lines, []);
	});

	test('sendInitialEvents: current objects, then a bookmark marking the end of the initial events', async () => {
		const w = openWatch(
			t,
			`/api/v1/nodes?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1`,
		);
		await within(w.ended, 5000, 'the watch to end');
		const initial = w.lines.filter((l) => l.type === 'ADDED').map((l) => l.object.metadata.name);
		assert.deepEqual(initial, ['node1', 'node2', 'node3', 'node4']);
		const marker = w.lines.find((l) => l.type === 'BOOKMARK' && l.object.metadata.annotations);
		assert.deepEqual(marker.object.metadata.annotations, {'k8s.io/initial-events-end': 'true'});
		assert.ok(w.lines.indexOf(marker) === 4);
	});

	test('Accept as=Table answers a meta.k8s.io Table for list, get and watch (headers on the first event only)', async () => {
		const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
		await t.call('POST', deployments, {body: deployment('tbl')});
		const list = await t.call('GET', `${deployments}?labelSelector=app%3Dtbl`, {accept});
		assert.equal(list.json.kind, 'Table');
		assert.deepEqual(list.json.columnDefinitions.map((c: any) => c.name).slice(0, 5), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
		assert.deepEqual(
			list.json.rows.map((r: any) => r.cells.slice(0, 2)),
			[['tbl', '0/1']],
		);
		assert.equal(list.json.rows[0].object.kind, 'PartialObjectMetadata', 'includeObject defaults to Metadata');
		assert.equal(list.json.metadata.resourceVersion, t.store.resourceVersion);
		const full = await t.call('GET', `${deployments}/tbl?includeObject=Object`, {accept});
		assert.equal(full.json.rows[0].object.kind, 'Deployment');
		assert.equal(full.json.rows[0].object.spec.replicas, 1);
		assert.equal((await t.call('GET', `${deployments}/tbl?includeObject=Everything`, {accept})).status, 400);
		// A subresource is never a Table; a client that does not ask for one gets JSON objects.
		assert.equal((await t.call('GET', `${deployments}/tbl/scale`, {accept})).json.kind, 'Scale');
		assert.equal((await t.call('GET', `${deployments}/tbl`)).json.kind, 'Deployment');

		const w = openWatch(
			t,
			`${deployments}?watch=true&fieldSelector=metadata.name%3Dtbl&resourceVersion=${t.store.resourceVersion}`,
			accept,
		);
		await new Promise((r) => setTimeout(r, 50));
		await t.call('PATCH', `${deployments}/tbl/scale`, {body: {spec: {replicas: 2}}, contentType: 'application/merge-patch+json'});
		await t.call('PATCH', `${deployments}/tbl/scale`, {body: {spec: {replicas: 3}}, contentType: 'application/merge-patch+json'});
		await waitFor(() => w.lines.length >= 2, 3000, 'table watch events');
		w.stop();
		assert.deepEqual(
			w.lines.map((l) => [l.type, l.object.kind, l.object.rows[0].cells[1]]),
			[
				['MODIFIED', 'Table', '0/2'],
				['MODIFIED', 'Table', '0/3'],
			],
		);
		assert.ok(w.lines[0].object.columnDefinitions.length >= 5);
		assert.deepEqual(w.lines[1].object.columnDefinitions ?? [], []);
	});

	test('OpenAPI: v3 index and group-version documents, v2 as JSON or protobuf by Accept', async () => {
		const index = await t.call('GET', '/openapi/v3');
		assert.equal(index.status, 200);
		const appsURL = index.json.paths['apis/apps/v1'].serverRelativeURL;
		assert.match(appsURL, /^\/openapi\/v3\/apis\/apps\/v1/);
		const apps = await t.call('GET', appsURL);
		assert.equal(apps.status, 200);
		assert.ok(apps.json.components.schemas['io.k8s.api.apps.v1.Deployment']);
		assert.equal((await t.call('GET', '/openapi/v3/apis/batch/v1')).status, 404);
		const v2 = await t.call('GET', '/openapi/v2');
		assert.equal(v2.json.swagger, '2.0');
		const pb = await t.call('GET', '/openapi/v2', {accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf'});
		assert.match(String(pb.headers['content-type']), /protobuf/);
	});

	test('server-side apply (apply-patch+yaml): creates, then merges; needs a fieldManager', async () => {
		const yaml = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ssa
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ssa}
  template:
    metadata:
      labels: {app: ssa}
    spec:
      containers:
      - name: web
        image: nginx:1.18
`;
		const path = `${deployments}/ssa?fieldManager=test`;
		const created = await t.call('PATCH', path, {body: yaml(2), contentType: 'application/apply-patch+yaml'});
		assert.equal(created.status, 201, created.text);
		assert.equal(created.json.spec.replicas, 2);
		assert.equal(created.json.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
		const merged = await t.call('PATCH', path, {body: yaml(4), contentType: 'application/apply-patch+yaml'});
		assert.equal(merged.status, 200);
		assert.equal(merged.json.spec.replicas, 4);
		assert.equal(merged.json.metadata.uid, created.json.metadata.uid);
		const noManager = await t.call('PATCH', `${deployments}/ssa`, {body: yaml(5), contentType: 'application/apply-patch+yaml'});
		assert.equal(noManager.status, 400);
		assert.equal(t.store.get('deployments', 'default', 'ssa')!.spec.replicas, 4);
	});

	test('deletecollection deletes what the selector picks (scheduled pods gracefully); verbs a resource lacks are 405', async () => {
		for (const [name, app, nodeName] of [
			['dc-1', 'dc', 'node1'],
			['dc-2', 'dc', undefined],
			['dc-3', 'keep', undefined],
		] as const) {
			await t.call('POST', pods, {body: pod(name, {labels: {app}, nodeName})});
		}
		const r = await t.call('DELETE', `${pods}?labelSelector=app%3Ddc`);
		assert.equal(r.status, 200);
		assert.equal(r.json.kind, 'PodList');
		assert.deepEqual(
			r.json.items.map((p: any) => p.metadata.name),
			['dc-1', 'dc-2'],
		);
		assert.ok(t.store.get('pods', 'default', 'dc-1')!.metadata.deletionTimestamp, 'the scheduled pod terminates gracefully');
		assert.equal(t.store.get('pods', 'default', 'dc-2'), undefined);
		assert.ok(t.store.get('pods', 'default', 'dc-3'));
		const before = storeSnapshot(t.store);
		assert.equal((await t.call('DELETE', '/api/v1/namespaces')).status, 405, 'namespaces have no deletecollection');
		assert.equal(storeSnapshot(t.store), before);
	});

	test('limit and continue page through a list in key order', async () => {
		const names: string[] = [];
		let token = '';
		let pages = 0;
		do {
			const r = await t.call('GET', `/api/v1/nodes?limit=3${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
			names.push(...r.json.items.map((n: any) => n.metadata.name));
			token = r.json.metadata.continue ?? '';
			pages++;
		} while (token);
		assert.deepEqual(names, ['node1', 'node2', 'node3', 'node4']);
		assert.equal(pages, 2);
		assert.equal((await t.call('GET', '/api/v1/nodes?continue=garbage')).status, 400);
	});

	test('closing the server ends open watches', async () => {
		const s = await startTestServer();
		const w = openWatch(s, `${pods}?watch=true`);
		try {
			await waitFor(() => w.open(), 3000, 'the watch to open');
			// An HTTP server's close waits for its open connections: it returns only if the watches are ended.
			await within(s.close(), 3000, 'close() with a watch open');
			assert.equal(await within(w.ended, 3000, 'the open watch to end'), 200);
		} finally {
			// Should close() have left it open, the test still ends.
			w.stop();
		}
	});

	// A client caught in its TLS handshake (a reconnecting watch, on a loaded machine) is not yet an HTTP connection,
	// and closeAllConnections() does not know it: left alone it would finish the handshake, open a watch and hold
	// close() or the restart forever.
	for (const how of ['close', 'restart'] as const) {
		test(`${how === 'close' ? 'closing' : 'restarting'} the server cuts a connection still in its TLS handshake`, async () => {
			const s = await startTestServer();
			const raw = connect(s.server.port, '127.0.0.1');
			const cut = bounded(
				new Promise<void>((resolve) => raw.once('close', () => resolve())),
				3000,
				'the connection mid-handshake to be cut',
			);
			raw.on('error', () => {});
			try {
				await within(new Promise((resolve) => raw.once('connect', resolve)), 3000, 'a TCP connection to the server');
				await within(how === 'close' ? s.server.close() : s.server.restart(0), 3000, `${how} with a connection mid-handshake`);
				await cut;
			} finally {
				raw.destroy();
				await s.close();
			}
		});
	}
});

// Its speed is measured by npm run bench:sim (a page of 500 at 20,000 pods), not asserted here.
test('a list of 5,000 pods is served whole, as JSON and as a Table, and through selectors', async () => {
	const store = seededStore();
	for (let i = 0; i < 5000; i++) {
		store.create('pods', {
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {
				name: `web-${String(i).padStart(5, '0')}`,
				namespace: 'default',
				labels: {app: 'web', 'pod-template-hash': '6888c79454'},
				ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-6888c79454', uid: 'u', controller: true}],
			},
			spec: {
				nodeName: `node${(i % 4) + 1}`,
				containers: [{name: 'nginx', image: 'nginx:1.18', ports: [{containerPort: 80, protocol: 'TCP'}], imagePullPolicy: 'IfNotPresent'}],
				restartPolicy: 'Always',
			},
			status: {
				phase: 'Running',
				podIP: `10.244.${i >> 8}.${i & 255}`,
				conditions: [{type: 'Ready', status: 'True'}],
				containerStatuses: [
					{name: 'nginx', ready: true, restartCount: 0, image: 'nginx:1.18', state: {running: {startedAt: '2024-01-01T00:00:00Z'}}},
				],
			},
		});
	}
	const t = await startTestServer({store});
	try {
		const timed = async (accept?: string) => {
			const started = performance.now();
			const r = await t.call('GET', pods, accept ? {accept} : {});
			return {r, ms: performance.now() - started};
		};
		const cold = await timed();
		const warm = await timed();
		const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
		const table = await timed(tableAccept);
		assert.equal(cold.r.json.items.length, 5000);
		assert.equal(warm.r.json.items.length, 5000);
		assert.equal(table.r.json.rows.length, 5000);
		console.log(
			`# 5,000 pods (${(warm.r.text.length / 1e6).toFixed(1)} MB) listed over HTTPS: first ${cold.ms.toFixed(0)} ms, again ${warm.ms.toFixed(0)} ms, as a Table ${table.ms.toFixed(0)} ms`,
		);
		const selected = await t.call('GET', `${pods}?fieldSelector=spec.nodeName%3Dnode2&labelSelector=app%3Dweb`);
		assert.equal(selected.json.items.length, 1250);
	} finally {
		await t.close();
	}
});

test('a Store created elsewhere works unseeded (cluster-scoped resources only)', async () => {
	const t = await startTestServer({store: new Store()});
	try {
		const r = await t.call('POST', '/api/v1/namespaces', {body: {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'fresh'}}});
		assert.equal(r.status, 201);
		assert.equal((await t.call('POST', '/api/v1/nodes', {body: {metadata: {name: 'n1'}}})).status, 201);
		assert.deepEqual(
			(await t.call('GET', '/api/v1/nodes')).json.items.map((n: any) => n.metadata.name),
			['n1'],
		);
	} finally {
		await t.close();
	}
});
