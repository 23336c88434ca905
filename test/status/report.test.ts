// What `status` concludes and records, on objects as the API server serves them: kubectl's sentences for done and
// the progress deadline, the fail-fast verdict naming the pod and its reason, and the JSON records' fields.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {RolloutDiagnosis} from '../../source/model/stuck-pods.js';
import {judge, progressRecord, sameProgress, STATUS_JSON_VERSION, verdictRecord} from '../../source/status/report.js';
import {deployment, NOW, replicaSet} from '../helpers/objects.js';

const deadline = {
	type: 'Progressing',
	status: 'False',
	reason: 'ProgressDeadlineExceeded',
	message: 'ReplicaSet "nginx-new" has timed out progressing.',
};
const stuck: RolloutDiagnosis = {
	pod: 'nginx-new-x1',
	container: 'nginx',
	reason: 'ImagePullBackOff',
	message: 'Back-off pulling image "nginx:nope"',
	sinceMs: NOW - 20_000,
	forMs: 20_000,
};

describe('judge', () => {
	test('complete: exit 0 with kubectl\'s "successfully rolled out"', () => {
		assert.deepEqual(judge(deployment(), undefined), {
			result: 'complete',
			exitCode: 0,
			message: 'deployment "nginx" successfully rolled out',
		});
	});
	test('still rolling, nothing stuck: no verdict yet', () => {
		assert.equal(judge(deployment({updated: 1}), undefined), undefined);
	});
	test("progress deadline: exit 1 with kubectl's error, even when a pod is stuck too", () => {
		const d = deployment({updated: 1, conditions: [deadline]});
		const expected = {
			result: 'progress-deadline-exceeded',
			exitCode: 1,
			message: 'error: deployment "nginx" exceeded its progress deadline',
		};
		assert.deepEqual(judge(d, undefined), expected);
		assert.deepEqual(judge(d, stuck), expected);
	});
	test('a stuck new pod: exit 1 naming the pod, its reason, for how long and the event', () => {
		assert.deepEqual(judge(deployment({updated: 1}), stuck), {
			result: 'will-not-progress',
			exitCode: 1,
			message:
				'error: deployment "nginx" will not progress: pod nginx-new-x1 is ImagePullBackOff (container nginx) for 20s: Back-off pulling image "nginx:nope"',
			stuck,
		});
	});
	test('complete wins over a stale diagnosis', () => {
		assert.equal(judge(deployment(), stuck)?.result, 'complete');
	});
});

describe('JSON records', () => {
	const d = deployment({image: 'nginx:1.28', revision: 3, total: 4, updated: 2, ready: 3, available: 3});
	d.status = {...d.status, unavailableReplicas: 1};
	const rss = [
		replicaSet({hash: 'new', revision: 3, image: 'nginx:1.28', replicas: 2, ready: 1, available: 1}),
		replicaSet({hash: 'old', revision: 2, image: 'nginx:1.27', replicas: 2}),
		replicaSet({hash: 'older', revision: 1, image: 'nginx:1.26', replicas: 0}),
	];

	test("progress: the sentence, the Deployment's counts, the new ReplicaSet and the old ones holding pods", () => {
		assert.deepEqual(progressRecord(d, rss, NOW), {
			version: STATUS_JSON_VERSION,
			type: 'progress',
			time: '2025-06-01T12:00:00.000Z',
			namespace: 'default',
			deployment: 'nginx',
			revision: 3,
			message: 'Waiting for deployment "nginx" rollout to finish: 2 out of 3 new replicas have been updated...',
			done: false,
			replicas: {desired: 3, updated: 2, ready: 3, available: 3, unavailable: 1},
			newReplicaSet: {name: 'nginx-new', revision: 3, images: ['nginx:1.28'], desired: 2, current: 2, ready: 1, available: 1},
			oldReplicaSets: [{name: 'nginx-old', revision: 2, images: ['nginx:1.27'], desired: 2, current: 2, ready: 2, available: 2}],
		});
	});
	test("progress at the deadline carries kubectl's error as its message", () => {
		const late = deployment({updated: 1, conditions: [deadline]});
		assert.equal(progressRecord(late, [], NOW).message, 'error: deployment "nginx" exceeded its progress deadline');
		assert.equal(progressRecord(late, [], NOW).newReplicaSet, null);
	});
	test('sameProgress ignores the time only', () => {
		const a = progressRecord(d, rss, NOW);
		assert.ok(sameProgress(a, progressRecord(d, rss, NOW + 5000)));
		assert.ok(!sameProgress(a, progressRecord(deployment({updated: 3}), rss, NOW)));
		assert.ok(!sameProgress(undefined, a));
	});
	test('verdict: result, exit status, last line, elapsed time, the stuck pod and the probe tally', () => {
		const v = judge(deployment({updated: 1}), stuck);
		assert.ok(v);
		const probe = {
			url: 'http://127.0.0.1:30353/',
			probes: 10,
			failed: 1,
			byReason: {reset: 1},
			p50Ms: 2.1,
			p99Ms: 40,
			maxMs: 41,
			servedBy: ['nginx/1.18.0'],
		};
		assert.deepEqual(verdictRecord(v, {namespace: 'default', deployment: 'nginx'}, {now: NOW, startedAt: NOW - 21_500}, probe), {
			version: STATUS_JSON_VERSION,
			type: 'verdict',
			time: '2025-06-01T12:00:00.000Z',
			namespace: 'default',
			deployment: 'nginx',
			result: 'will-not-progress',
			exitCode: 1,
			message: v.message,
			elapsedMs: 21_500,
			stuck: {
				pod: 'nginx-new-x1',
				container: 'nginx',
				reason: 'ImagePullBackOff',
				message: 'Back-off pulling image "nginx:nope"',
				forMs: 20_000,
			},
			probe,
			timeline: null,
		});
		const done = verdictRecord(judge(deployment(), undefined)!, {namespace: 'default', deployment: 'nginx'}, {now: NOW, startedAt: NOW});
		assert.equal(done.stuck, null);
		assert.equal(done.probe, null);
		assert.equal(done.timeline, null, 'no timeline without one given');
		assert.equal(done.exitCode, 0);
	});
});
