// The plan step of every action: its validation, its wording, and the exact request it would send.
import {test, describe} from 'node:test';
import assert from 'node:assert/strict';
import {
	formatRFC3339,
	imageTargets,
	planAction,
	planPause,
	planRestart,
	planResume,
	planScale,
	planSetImage,
	planTogglePause,
	planUndo,
	type Planned,
} from '../../source/kube/actions/index.js';
import {deployment, replicaSets} from './actions-fixtures.js';
import {NOW} from '../helpers/objects.js';

function plan(p: Planned) {
	if (!p.ok) assert.fail(`expected a plan, got ${p.reason}: ${p.message}`);
	return p.plan;
}

function refusal(p: Planned) {
	if (p.ok) assert.fail(`expected a refusal, got a plan: ${p.plan.changes.join('; ')}`);
	return p;
}

describe('formatRFC3339 (kubectl restartedAt format)', () => {
	const at = new Date(Date.UTC(2024, 2, 5, 7, 8, 9, 654));
	for (const [tz, want] of [
		['UTC', '2024-03-05T07:08:09Z'],
		['Asia/Kolkata', '2024-03-05T12:38:09+05:30'],
		['America/New_York', '2024-03-05T02:08:09-05:00'],
	] as const) {
		test(`TZ=${tz}`, () => {
			const saved = process.env.TZ;
			process.env.TZ = tz;
			try {
				assert.equal(formatRFC3339(at), want);
			} finally {
				if (saved === undefined) delete process.env.TZ;
				else process.env.TZ = saved;
			}
		});
	}
});

describe('restart', () => {
	test('patches restartedAt in the pod template and records change-cause in the same body', () => {
		const now = new Date(NOW);
		const p = plan(planRestart({deployment: deployment(), now}));
		const at = formatRFC3339(now);
		assert.deepEqual(p.request, {
			method: 'PATCH',
			path: '/apis/apps/v1/namespaces/default/deployments/nginx',
			contentType: 'application/strategic-merge-patch+json',
			body: {
				metadata: {annotations: {'kubernetes.io/change-cause': 'rollout-cockpit rollout restart deployment/nginx'}},
				spec: {template: {metadata: {annotations: {'kubectl.kubernetes.io/restartedAt': at}}}},
			},
			verbOnResource: 'patch deployments.apps',
		});
		assert.deepEqual(p.changes, ['nginx: restart every pod (kubectl.kubernetes.io/restartedAt set to the time you confirm) (revision 4)']);
		assert.equal(p.basedOn, '1000');
		assert.equal(p.command, 'rollout restart deployment/nginx');
	});

	test("refuses a paused deployment with kubectl's message", () => {
		const r = refusal(planRestart({deployment: deployment({paused: true})}));
		assert.equal(r.reason, 'refused');
		assert.equal(r.message, "can't restart paused deployment (run rollout resume first)");
	});
});

describe('set image', () => {
	test('offers init containers first, then containers, with their current images', () => {
		assert.deepEqual(imageTargets(deployment({init: 'busybox:1.35'})), [
			{name: 'warmup', image: 'busybox:1.35', init: true},
			{name: 'nginx', image: 'nginx:1.20.1', init: false},
			{name: 'sidecar', image: 'busybox:1.36', init: false},
		]);
	});

	test("patches only the changed container by name, with kubectl's element order", () => {
		const p = plan(planSetImage({deployment: deployment()}, {nginx: 'nginx:1.18', sidecar: 'busybox:1.36'}));
		assert.deepEqual(p.changes, ['nginx: image nginx:1.20.1 -> nginx:1.18 (revision 4)']);
		assert.deepEqual(p.request.body, {
			metadata: {
				annotations: {'kubernetes.io/change-cause': 'rollout-cockpit set image deployment/nginx nginx=nginx:1.18 sidecar=busybox:1.36'},
			},
			spec: {
				template: {
					spec: {'$setElementOrder/containers': [{name: 'nginx'}, {name: 'sidecar'}], containers: [{image: 'nginx:1.18', name: 'nginx'}]},
				},
			},
		});
		assert.equal(p.request.contentType, 'application/strategic-merge-patch+json');
	});

	test('sets an init container image through initContainers', () => {
		const p = plan(planSetImage({deployment: deployment({init: 'busybox:1.35'})}, {warmup: 'busybox:1.36'}));
		assert.deepEqual(p.changes, ['warmup (init): image busybox:1.35 -> busybox:1.36 (revision 4)']);
		assert.deepEqual((p.request.body as {spec: unknown}).spec, {
			template: {spec: {'$setElementOrder/initContainers': [{name: 'warmup'}], initContainers: [{image: 'busybox:1.36', name: 'warmup'}]}},
		});
	});

	test('an unknown container name is refused and the real names are listed', () => {
		const r = refusal(planSetImage({deployment: deployment()}, {web: 'nginx:1.18'}));
		assert.equal(r.reason, 'invalid');
		assert.equal(r.message, 'unable to find container named "web" in deployment/nginx (containers: nginx, sidecar)');
	});

	for (const bad of ['', 'nginx:', 'NGINX:1.18', 'nginx:1.18 ', 'nginx@sha256:123', 'http://nginx:1.18']) {
		test(`an invalid image reference ${JSON.stringify(bad)} is refused`, () => {
			const r = refusal(planSetImage({deployment: deployment()}, {nginx: bad}));
			assert.equal(r.reason, 'invalid');
			assert.match(r.message, /^nginx: /);
		});
	}

	test('the same image again changes nothing', () => {
		const r = refusal(planSetImage({deployment: deployment()}, {nginx: 'nginx:1.20.1'}));
		assert.equal(r.reason, 'noop');
		assert.equal(r.message, 'nothing to change: nginx is already nginx:1.20.1');
	});

	test('no images at all is refused', () => {
		assert.equal(refusal(planSetImage({deployment: deployment()}, {})).reason, 'invalid');
	});
});

describe('scale', () => {
	test('patches the scale subresource with a merge patch, no change-cause', () => {
		const p = plan(planScale({deployment: deployment()}, ' 5 '));
		assert.deepEqual(p.request, {
			method: 'PATCH',
			path: '/apis/apps/v1/namespaces/default/deployments/nginx/scale',
			contentType: 'application/merge-patch+json',
			body: {spec: {replicas: 5}},
			verbOnResource: 'patch deployments.apps/scale',
		});
		assert.deepEqual(p.changes, ['nginx: replicas 3 -> 5']);
		assert.equal(p.changeCause, undefined);
		assert.deepEqual(p.intent, {action: 'scale', replicas: 5});
	});

	test('scaling to zero is allowed', () => {
		assert.deepEqual(plan(planScale({deployment: deployment()}, 0)).changes, ['nginx: replicas 3 -> 0']);
	});

	for (const [input, message] of [
		['-1', 'replicas must be 0 or more, not -1'],
		[-2, 'replicas must be 0 or more, not -2'],
		['abc', 'replicas must be a whole number (0 or more), not "abc"'],
		['1.5', 'replicas must be a whole number (0 or more), not "1.5"'],
		[2.5, 'replicas must be a whole number (0 or more), not "2.5"'],
		['', 'replicas must be a whole number (0 or more), not ""'],
		['3 pods', 'replicas must be a whole number (0 or more), not "3 pods"'],
		['2147483648', 'replicas must be at most 2147483647, not 2147483648'],
	] as const) {
		test(`refuses ${JSON.stringify(input)}`, () => {
			const r = refusal(planScale({deployment: deployment()}, input));
			assert.equal(r.reason, 'invalid');
			assert.equal(r.message, message);
		});
	}

	test('the current count is a no-op', () => {
		assert.equal(refusal(planScale({deployment: deployment()}, '3')).message, 'deployment/nginx already has 3 replicas');
	});
});

describe('undo', () => {
	const ctx = () => ({deployment: deployment(), replicaSets: replicaSets()});

	test("to a revision: kubectl's JSON patch of the template without pod-template-hash, and the rebuilt annotations", () => {
		const p = plan(planUndo(ctx(), 1));
		assert.deepEqual(p.changes, ['nginx: image nginx:1.20.1 -> nginx:1.18 (revision 1)']);
		assert.equal(p.request.contentType, 'application/json-patch+json');
		const [tmpl, annotations] = p.request.body as {op: string; path: string; value: any}[];
		assert.equal(tmpl.op, 'replace');
		assert.equal(tmpl.path, '/spec/template');
		assert.deepEqual(tmpl.value.metadata.labels, {app: 'nginx'});
		// As kubectl marshals the typed template: Go's zero time is written as null.
		assert.equal(tmpl.value.metadata.creationTimestamp, null);
		assert.equal(tmpl.value.spec.containers[0].image, 'nginx:1.18');
		assert.equal(tmpl.value.metadata.annotations, undefined, 'revision 1 had no restartedAt');
		assert.deepEqual(annotations, {
			op: 'replace',
			path: '/metadata/annotations',
			value: {
				// kept from the deployment
				'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
				'deployment.kubernetes.io/revision': '3',
				// Not kept: team (the deployment's own, absent from the ReplicaSet). Not copied from the
				// ReplicaSet: its desired-replicas/max-replicas. Its change-cause is replaced by ours.
				'kubernetes.io/change-cause': 'rollout-cockpit rollout undo deployment/nginx --to-revision=1',
			},
		});
		assert.deepEqual(p.intent, {action: 'undo', toRevision: 1});
	});

	test('to 0 goes to the previous revision (the second highest)', () => {
		const p = plan(planUndo(ctx(), 0));
		assert.equal(p.command, 'rollout undo deployment/nginx --to-revision=2');
		// Same image, the restart annotation goes away.
		assert.deepEqual(p.changes, [
			'nginx: pod template of revision 2 from revision 3, same images; differs in metadata.annotations.kubectl.kubernetes.io/restartedAt',
		]);
	});

	test("an unknown revision is refused with kubectl's message", () => {
		const r = refusal(planUndo(ctx(), '7'));
		assert.equal(r.message, 'unable to find specified revision 7 in history');
		assert.equal(refusal(planUndo(ctx(), -1)).message, 'unable to find specified revision -1 in history');
	});

	test("another deployment's ReplicaSets are not history", () => {
		const c = {deployment: deployment(), replicaSets: replicaSets().filter((rs) => rs.metadata?.name !== 'nginx-5d59d67564')};
		assert.equal(refusal(planUndo(c, 1)).message, 'unable to find specified revision 1 in history');
	});

	test('a revision that is not a number is refused', () => {
		assert.equal(refusal(planUndo(ctx(), 'two')).message, 'revision must be a whole number (0 = the previous one), not "two"');
	});

	test("a paused deployment is refused with kubectl's message", () => {
		const r = refusal(planUndo({deployment: deployment({paused: true}), replicaSets: replicaSets()}, 1));
		assert.equal(r.reason, 'refused');
		// kubectl 1.27-1.33 word it without the deployment's name.
		assert.equal(r.message, "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
	});

	test('the current revision is skipped', () => {
		const r = refusal(planUndo(ctx(), 3));
		assert.equal(r.reason, 'noop');
		assert.equal(r.message, 'skipped rollback (current template already matches revision 3)');
	});

	test('with a single revision there is nothing to go back to', () => {
		const only = replicaSets().filter((rs) => rs.metadata?.name === 'nginx-66b6c48dd5');
		assert.equal(
			refusal(planUndo({deployment: deployment(), replicaSets: only}, 0)).message,
			'no rollout history found for deployment "nginx"',
		);
	});
});

describe('pause and resume', () => {
	test('pause sets spec.paused, resume deletes it (as kubectl patches them)', () => {
		assert.deepEqual(plan(planPause({deployment: deployment()})).request.body, {spec: {paused: true}});
		assert.deepEqual(plan(planResume({deployment: deployment({paused: true})})).request.body, {spec: {paused: null}});
	});

	test("already paused / not paused, in kubectl's words", () => {
		assert.equal(refusal(planPause({deployment: deployment({paused: true})})).message, 'deployments.apps "nginx" is already paused');
		assert.equal(refusal(planResume({deployment: deployment()})).message, 'deployments.apps "nginx" is not paused');
	});

	test('the p key toggles', () => {
		assert.equal(plan(planTogglePause({deployment: deployment()})).done, 'paused');
		assert.equal(plan(planTogglePause({deployment: deployment({paused: true})})).done, 'resumed');
	});
});

test('planAction dispatches every intent', () => {
	const c = {deployment: deployment(), replicaSets: replicaSets()};
	assert.equal(plan(planAction({action: 'restart'}, c)).done, 'restarted');
	assert.equal(plan(planAction({action: 'set-image', images: {nginx: 'nginx:1.21'}}, c)).done, 'image updated');
	assert.equal(plan(planAction({action: 'scale', replicas: 1}, c)).done, 'scaled');
	assert.equal(plan(planAction({action: 'undo', toRevision: 2}, c)).done, 'rolled back');
	assert.equal(plan(planAction({action: 'pause'}, c)).done, 'paused');
	assert.equal(refusal(planAction({action: 'resume'}, c)).reason, 'noop');
});
