// The rollback the cockpit exists for, end to end on the embedded cluster: a typo'd image is set through
// the cockpit's `i` prompt; the new pod cannot pull it (ErrImagePull, ImagePullBackOff) and the rollout
// stalls, then exceeds its progress deadline; `h`, the last good revision, `u`, `y` brings the rollout
// back to nginx:1.18, which the frames and the API server both show.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {requestJson} from '../../source/kube/http.js';
import type {Deployment, Pod, ReplicaSet} from '../../source/model/types.js';
import {KEYS, lineWith, plain, tick} from '../app/harness.js';
import {openCockpitOnSim, podRows} from './cockpit-on-sim.js';
import {within} from '../helpers/wait.js';

const BAD_IMAGE = 'nginx:1.201'; // a typo of nginx:1.20.1: a valid reference that no registry has
const DEPLOYMENT = '/apis/apps/v1/namespaces/default/deployments/nginx';
function statusLine(frame: string): string {
	return frame.trimEnd().split('\n').at(-1) ?? '';
}

test('a bad image stalls the rollout in ImagePullBackOff; h, the last good revision, u, y rolls back to nginx:1.18', async (t) => {
	// Speed 4: the pull fails within a second, the back-off lasts seconds, and a 12 s (simulated)
	// progress deadline passes in about 3 s.
	const {conn, frames, stdin, frameWhere} = await openCockpitOnSim(t, {cluster: {speed: 4}, actions: true, columns: 130, rows: 50});
	const press = async (key: string, check: (frame: string) => boolean, what: string) => {
		await tick();
		stdin.write(key);
		return frameWhere(check, what);
	};

	const before = await frameWhere(
		(f) => podRows(f).filter((p) => p.status === 'Running' && p.ready === '1/1').length === 3 && /successfully rolled out/.test(f),
		"the article's three nginx:1.18 pods, rolled out",
	);
	assert.match(before, /Rollout nginx rev 1 nginx:1\.18/);
	const goodPods = new Set(podRows(before).map((p) => p.name));
	// A short progress deadline (the default is 600 s), so that the stall is also reported as kubectl does.
	await within(
		requestJson(conn, DEPLOYMENT, {
			method: 'PATCH',
			contentType: 'application/merge-patch+json',
			body: JSON.stringify({spec: {progressDeadlineSeconds: 12}}),
		}),
		20_000,
		'the API request to be answered',
	);

	// 1. The typo, through the cockpit: i, the prompt prefilled with nginx:1.18, the new image, Enter, y.
	let frame = await press('i', (f) => f.includes('Set image 1/1: container nginx'), 'the image prompt');
	assert.match(lineWith(frame, 'image: ') ?? '', /image: nginx:1\.18█/);
	await press('\u0015', (f) => /image: █/.test(f), 'the cleared prompt');
	await press(BAD_IMAGE, (f) => f.includes(`image: ${BAD_IMAGE}█`), 'the typed image');
	frame = await press(KEYS.enter, (f) => f.includes('[y/N]'), 'the confirmation');
	assert.match(frame, /nginx: image nginx:1\.18 -> nginx:1\.201 \(revision 2\)/);
	await press('y', (f) => statusLine(f).includes('deployment.apps/nginx image updated'), 'the set image to be applied');

	// 2. The new pod cannot pull the image; the rollout waits, then exceeds its progress deadline.
	const pulling = await frameWhere(
		(f) => podRows(f).some((p) => !goodPods.has(p.name) && /^(ErrImagePull|ImagePullBackOff)$/.test(p.status)),
		'a new pod failing to pull',
	);
	assert.match(pulling, /Rollout nginx rev 2 nginx:1\.201/);
	await frameWhere((f) => podRows(f).some((p) => p.status === 'ImagePullBackOff'), 'ImagePullBackOff');
	const seen = frames.map(plain);
	assert.ok(
		seen.some((f) => /Waiting for deployment "nginx" rollout to finish: 1 out of 3 new replicas have been updated\.\.\./.test(f)),
		'the rollout panel said it was waiting for the new replicas',
	);
	frame = await frameWhere((f) => /deployment "nginx" exceeded its progress deadline/.test(f), 'the progress deadline to be exceeded');
	// maxUnavailable 25% of 3 rounds down to 0: the three good pods keep serving throughout.
	assert.deepEqual(
		new Set(
			podRows(frame)
				.filter((p) => p.status === 'Running')
				.map((p) => p.name),
		),
		goodPods,
	);
	assert.match(frame, /Failed\s+pod\/nginx-\S+\s+Failed to pull image "nginx:1\.201"/);

	// 3. h: the history; the last good revision is the one before the current one.
	frame = await press('h', (f) => f.includes('History deployment/nginx'), 'the history');
	assert.match(lineWith(frame, '2 (current)') ?? '', /rollout-cockpit set image deployment\/nginx nginx=nginx:1\.201\s+nginx:1\.201/);
	assert.match(lineWith(frame, 'nginx:1.18') ?? '', /^\s+1\s+<none>\s+nginx:1\.18\s/);
	frame = await press('k', (f) => /^›\s+1\s/m.test(f), 'revision 1 selected');
	frame = await press('u', (f) => f.includes('[y/N]'), 'the undo confirmation');
	assert.match(frame, /Confirm kubectl rollout undo deployment\/nginx --to-revision=1/);
	assert.match(frame, /nginx: image nginx:1\.201 -> nginx:1\.18 \(revision 1\)/);
	await press('y', (f) => statusLine(f).includes('deployment.apps/nginx rolled back'), 'the undo to be applied');

	// 4. The rollout completes on nginx:1.18 (as revision 3), the broken pod goes away.
	const done = await frameWhere(
		(f) =>
			/Rollout nginx rev 3 nginx:1\.18/.test(f) &&
			/successfully rolled out/.test(f) &&
			podRows(f).length === 3 &&
			podRows(f).every((p) => p.status === 'Running' && p.ready === '1/1'),
		'the rollback to complete',
	);
	// Revision 1's ReplicaSet is revision 3 now: the pods that served all along are the ones left.
	assert.deepEqual(new Set(podRows(done).map((p) => p.name)), goodPods);

	// The API server agrees: template, revision, change-cause, ReplicaSets and pods.
	const deployment = (await within(requestJson(conn, DEPLOYMENT), 20_000, 'the API request to be answered')) as Deployment;
	assert.equal(deployment.spec?.template?.spec?.containers?.[0]?.image, 'nginx:1.18');
	assert.equal(deployment.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
	assert.equal(
		deployment.metadata?.annotations?.['kubernetes.io/change-cause'],
		'rollout-cockpit rollout undo deployment/nginx --to-revision=1',
	);
	assert.equal(deployment.status?.updatedReplicas, 3);
	assert.equal(deployment.status?.availableReplicas, 3);
	const replicaSets = (
		(await within(requestJson(conn, '/apis/apps/v1/namespaces/default/replicasets'), 20_000, 'the API request to be answered')) as {
			items: ReplicaSet[];
		}
	).items;
	const byImage = new Map(replicaSets.map((rs) => [rs.spec?.template?.spec?.containers?.[0]?.image, rs]));
	assert.equal(
		byImage.get('nginx:1.18')?.metadata?.annotations?.['deployment.kubernetes.io/revision'],
		'3',
		'the nginx:1.18 ReplicaSet is revision 3 now',
	);
	assert.equal(byImage.get('nginx:1.18')?.spec?.replicas, 3);
	assert.equal(byImage.get(BAD_IMAGE)?.spec?.replicas, 0);
	const pods = (
		(await within(requestJson(conn, '/api/v1/namespaces/default/pods'), 20_000, 'the API request to be answered')) as {items: Pod[]}
	).items.filter((p) => !p.metadata?.deletionTimestamp);
	assert.equal(pods.length, 3);
	for (const pod of pods) {
		assert.equal(pod.spec?.containers?.[0]?.image, 'nginx:1.18');
		assert.equal(pod.status?.phase, 'Running');
	}

	// The history now says what happened.
	frame = await press('h', (f) => f.includes('History deployment/nginx'), 'the history after the rollback');
	assert.match(lineWith(frame, '3 (current)') ?? '', /rollout-cockpit rollout undo deployment\/nginx --to-revision=1\s+nginx:1\.18/);
	await press(KEYS.escape, (f) => !f.includes('History deployment/nginx'), 'the history to close');
});
