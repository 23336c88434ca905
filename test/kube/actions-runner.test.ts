// The apply step against a scripted API server: the confirmed plan is sent once, guarded by the resourceVersion
// it was planned on; only a 409 leads to a fresh read and a new plan; and the plain-words errors the status line shows.
import {test, describe} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {KubeConfig} from '@kubernetes/client-node';
import {connectionFrom} from '../../source/kube/connect.js';
import {
	createActionRunner,
	formatRFC3339,
	planRestart,
	planScale,
	planSetImage,
	planUndo,
	type ActionPlan,
	type Planned,
} from '../../source/kube/actions/index.js';
import {deployment, replicaSets} from './actions-fixtures.js';
import {NOW as CLOCK} from '../helpers/objects.js';
import {startScriptedApi, status, type Answer, type Recorded} from '../helpers/fake-api.js';
import {closeServer, listenOnLoopback} from '../helpers/ports.js';

const DEPLOYMENT_PATH = '/apis/apps/v1/namespaces/default/deployments/nginx';
const NOW = new Date(CLOCK);

function plan(p: Planned): ActionPlan {
	if (!p.ok) assert.fail(`expected a plan, got ${p.reason}: ${p.message}`);
	return p.plan;
}

// A server that serves the fixture deployment (at a given resourceVersion) and its ReplicaSets, and
// answers PATCH with the given function.
function cluster(opts: {rv?: () => string; paused?: boolean; patch?: (req: Recorded, n: number) => Answer | Promise<Answer>} = {}) {
	let patches = 0;
	return async (req: Recorded): Promise<Answer> => {
		if (req.method === 'GET' && req.path === DEPLOYMENT_PATH)
			return {status: 200, body: deployment({resourceVersion: opts.rv?.() ?? '1000', paused: opts.paused})};
		if (req.method === 'GET' && req.path === '/apis/apps/v1/namespaces/default/replicasets')
			return {status: 200, body: {kind: 'ReplicaSetList', items: replicaSets()}};
		if (req.method === 'PATCH') return opts.patch ? opts.patch(req, patches++) : {status: 200, body: deployment()};
		return {status: 404, body: status(404, 'NotFound', 'no route')};
	};
}

const summary = (reqs: Recorded[]) => reqs.map((r) => `${r.method} ${r.path}`);

const conflict = (): Answer => ({
	status: 409,
	body: status(
		409,
		'Conflict',
		'Operation cannot be fulfilled on deployments.apps "nginx": the object has been modified; please apply your changes to the latest version and try again',
	),
});

describe('what is sent', () => {
	test('restart: one PATCH of the confirmed plan, stamped when sent, guarded by the resourceVersion it was planned on', async (t) => {
		const api = await startScriptedApi(cluster());
		t.after(() => api.close());
		const runner = createActionRunner(api.conn, {now: () => NOW});
		// Planned on the cockpit's copy at 1007, confirmed a while later: restartedAt is the time it is sent.
		const confirmed = plan(planRestart({deployment: deployment({resourceVersion: '1007'}), now: new Date('2020-01-01T00:00:00Z')}));
		const result = await runner.apply(confirmed);
		assert.equal(result.ok, true, result.message);
		assert.equal(result.message, 'deployment.apps/nginx restarted');
		assert.deepEqual(summary(api.requests), [`PATCH ${DEPLOYMENT_PATH}`]);
		const patch = api.requests[0];
		assert.equal(patch.contentType, 'application/strategic-merge-patch+json');
		assert.equal(patch.query.get('fieldManager'), 'rollout-cockpit');
		assert.deepEqual(patch.body, {
			metadata: {annotations: {'kubernetes.io/change-cause': 'rollout-cockpit rollout restart deployment/nginx'}, resourceVersion: '1007'},
			spec: {template: {metadata: {annotations: {'kubectl.kubernetes.io/restartedAt': formatRFC3339(NOW)}}}},
		});
	});

	test('scale: one PATCH of the scale subresource, no read', async (t) => {
		const api = await startScriptedApi(cluster());
		t.after(() => api.close());
		const result = await createActionRunner(api.conn).apply(plan(planScale({deployment: deployment()}, 5)));
		assert.equal(result.message, 'deployment.apps/nginx scaled');
		assert.deepEqual(summary(api.requests), [`PATCH ${DEPLOYMENT_PATH}/scale`]);
		assert.equal(api.requests[0].contentType, 'application/merge-patch+json');
		assert.deepEqual(api.requests[0].body, {spec: {replicas: 5}});
	});

	test('undo: one JSON PATCH guarded by the resourceVersion, no reads first', async (t) => {
		const api = await startScriptedApi(cluster());
		t.after(() => api.close());
		const result = await createActionRunner(api.conn).apply(plan(planUndo({deployment: deployment(), replicaSets: replicaSets()}, 1)));
		assert.equal(result.message, 'deployment.apps/nginx rolled back');
		assert.deepEqual(summary(api.requests), [`PATCH ${DEPLOYMENT_PATH}`]);
		assert.equal(api.requests[0].contentType, 'application/json-patch+json');
		const ops = api.requests[0].body as {op: string; path: string; value: any}[];
		assert.deepEqual(
			ops.map((o) => `${o.op} ${o.path}`),
			['replace /spec/template', 'replace /metadata/annotations', 'replace /metadata/resourceVersion'],
		);
		assert.equal(ops[0].value.spec.containers[0].image, 'nginx:1.18');
		assert.equal(ops[1].value['kubernetes.io/change-cause'], 'rollout-cockpit rollout undo deployment/nginx --to-revision=1');
		// Planned on a copy that kept kubectl's last-applied configuration: the undo keeps it too.
		assert.equal(ops[1].value['kubectl.kubernetes.io/last-applied-configuration'], '{"kind":"Deployment"}');
		assert.equal(ops[2].value, '1000');
	});

	test('a deployment paused since the plan was made: the 409 leads to a fresh read, which refuses with no second PATCH', async (t) => {
		const api = await startScriptedApi(cluster({paused: true, patch: conflict}));
		t.after(() => api.close());
		const result = await createActionRunner(api.conn).apply(plan(planRestart({deployment: deployment()})));
		assert.equal(result.ok, false);
		assert.equal(result.message, "can't restart paused deployment (run rollout resume first)");
		assert.deepEqual(summary(api.requests), [`PATCH ${DEPLOYMENT_PATH}`, `GET ${DEPLOYMENT_PATH}`]);
	});
});

describe('409 conflict', () => {
	test('is retried on a fresh read, planned again, with the new resourceVersion', async (t) => {
		let rv = 1000;
		const api = await startScriptedApi(
			cluster({
				rv: () => String(rv),
				patch: (_req, n) => {
					if (n === 0) {
						rv = 1001; // someone else wrote in between
						return conflict();
					}
					return {status: 200, body: deployment()};
				},
			}),
		);
		t.after(() => api.close());
		const result = await createActionRunner(api.conn).apply(plan(planSetImage({deployment: deployment()}, {nginx: 'nginx:1.21'})));
		assert.equal(result.ok, true, result.message);
		assert.equal(result.attempts, 2);
		assert.deepEqual(summary(api.requests), [`PATCH ${DEPLOYMENT_PATH}`, `GET ${DEPLOYMENT_PATH}`, `PATCH ${DEPLOYMENT_PATH}`]);
		assert.equal((api.requests[0].body as any).metadata.resourceVersion, '1000');
		assert.equal((api.requests[2].body as any).metadata.resourceVersion, '1001');
	});

	test('is retried a bounded number of times, then reported', async (t) => {
		const api = await startScriptedApi(
			cluster({patch: () => ({status: 409, body: status(409, 'Conflict', 'the object has been modified')})}),
		);
		t.after(() => api.close());
		const result = await createActionRunner(api.conn, {maxAttempts: 3}).apply(plan(planRestart({deployment: deployment()})));
		assert.equal(result.ok, false);
		assert.equal(result.message, 'conflict: deployment/nginx kept changing while the change was sent; nothing was applied, try again');
		assert.equal(api.requests.filter((r) => r.method === 'PATCH').length, 3);
	});
});

describe('errors in plain words', () => {
	const cases: [string, Answer, string][] = [
		[
			'403',
			{
				status: 403,
				body: status(
					403,
					'Forbidden',
					'deployments.apps "nginx" is forbidden: User "dev" cannot patch resource "deployments" in API group "apps" in the namespace "default"',
				),
			},
			'forbidden: you may not patch deployments.apps in namespace default',
		],
		[
			'404',
			{status: 404, body: status(404, 'NotFound', 'deployments.apps "nginx" not found')},
			'not found: deployment/nginx in namespace default (was it deleted?)',
		],
		[
			'422 with causes',
			{
				status: 422,
				body: status(422, 'Invalid', 'Deployment.apps "nginx" is invalid: spec.template.spec.containers[0].image: Required value', [
					{field: 'spec.template.spec.containers[0].image', message: 'Required value', reason: 'FieldValueRequired'},
				]),
			},
			'invalid: the API server refused the change to deployment/nginx: spec.template.spec.containers[0].image: Required value',
		],
		[
			'500',
			{status: 500, body: status(500, 'InternalError', 'etcdserver: request timed out')},
			'the API server failed (HTTP 500): etcdserver: request timed out',
		],
	];
	for (const [what, answer, message] of cases) {
		test(`${what} on the PATCH`, async (t) => {
			const api = await startScriptedApi(cluster({patch: () => answer}));
			t.after(() => api.close());
			const result = await createActionRunner(api.conn).apply(plan(planSetImage({deployment: deployment()}, {nginx: 'nginx:1.21'})));
			assert.equal(result.ok, false);
			assert.equal(result.message, message);
			assert.equal(!result.ok && result.status, answer !== 'drop' && 'status' in answer ? answer.status : -1);
			assert.equal(api.requests.filter((r) => r.method === 'PATCH').length, 1, 'not resent');
		});
	}

	test('403 on the scale subresource names it', async (t) => {
		const api = await startScriptedApi(() => ({status: 403, body: status(403, 'Forbidden', 'forbidden')}));
		t.after(() => api.close());
		const result = await createActionRunner(api.conn).apply(plan(planScale({deployment: deployment()}, 1)));
		assert.equal(result.message, 'forbidden: you may not patch deployments.apps/scale in namespace default');
	});

	test('403 on the read after a 409 names the read', async (t) => {
		const api = await startScriptedApi((req) =>
			req.method === 'PATCH' ? conflict() : {status: 403, body: status(403, 'Forbidden', 'forbidden')},
		);
		t.after(() => api.close());
		const result = await createActionRunner(api.conn).apply(plan(planRestart({deployment: deployment()})));
		assert.equal(result.message, 'forbidden: you may not get deployments.apps in namespace default');
		assert.deepEqual(summary(api.requests), [`PATCH ${DEPLOYMENT_PATH}`, `GET ${DEPLOYMENT_PATH}`]);
	});

	test('403 on the ReplicaSet list (undo, after a 409) names the list', async (t) => {
		const api = await startScriptedApi((req) =>
			req.method === 'PATCH'
				? conflict()
				: req.path === DEPLOYMENT_PATH
					? {status: 200, body: deployment()}
					: {status: 403, body: status(403, 'Forbidden', 'forbidden')},
		);
		t.after(() => api.close());
		const result = await createActionRunner(api.conn).apply(plan(planUndo({deployment: deployment(), replicaSets: replicaSets()}, 1)));
		assert.equal(result.message, 'forbidden: you may not list replicasets.apps in namespace default');
		assert.equal(api.requests.filter((r) => r.method === 'PATCH').length, 1);
	});

	test('network failure names the server and the error', async () => {
		// A port that was just free: nothing listens there.
		const server = http.createServer();
		await listenOnLoopback(server);
		const port = (server.address() as AddressInfo).port;
		await closeServer(server);
		const kc = new KubeConfig();
		kc.loadFromOptions({
			clusters: [{name: 'c', server: `https://127.0.0.1:${port}`, skipTLSVerify: true}],
			users: [{name: 'u', token: 't'}],
			contexts: [{name: 'x', cluster: 'c', user: 'u'}],
			currentContext: 'x',
		});
		const result = await createActionRunner(connectionFrom(kc)).apply(plan(planScale({deployment: deployment()}, 1)));
		assert.equal(result.ok, false);
		// Refused means the request never left, so there is no "may have been applied" caveat: nothing was sent or kept.
		assert.equal(
			result.message,
			`cannot reach the API server at https://127.0.0.1:${port}: ECONNREFUSED; nothing was sent and nothing is queued: try again once the header says live`,
		);
	});

	test('a write that got no answer is not resent, and the message says it may have been applied', async (t) => {
		const api = await startScriptedApi(cluster({patch: () => 'drop'}));
		t.after(() => api.close());
		const result = await createActionRunner(api.conn).apply(plan(planRestart({deployment: deployment()})));
		assert.equal(result.ok, false);
		assert.match(
			result.message,
			/^cannot reach the API server at http:\/\/127\.0\.0\.1:\d+: ECONNRESET; the change may or may not have been applied, check the deployment$/,
		);
		assert.equal(api.requests.filter((r) => r.method === 'PATCH').length, 1);
	});

	test('a write that timed out is reported as maybe applied, and not sent again', async (t) => {
		// wait-ok: never answered on purpose: the runner's own timeout is under test.
		const api = await startScriptedApi(() => ({hold: new Promise(() => {})}));
		t.after(() => api.close());
		const result = await createActionRunner(api.conn, {timeoutMs: 200}).apply(plan(planRestart({deployment: deployment()})));
		assert.equal(
			result.message,
			`cannot reach the API server at ${api.url}: no answer within 200 ms; the change may or may not have been applied, check the deployment`,
		);
		assert.equal(api.requests.length, 1);
	});
});
