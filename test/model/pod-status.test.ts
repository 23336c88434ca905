import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {podAge, podInfo, podIP, podNode, podRestartsText} from '../../source/model/pod-status.js';
import type {Pod} from '../../source/model/types.js';
import {podRow} from '../../source/screen/pods.js';
import {NOW} from '../helpers/objects.js';

const fixturesDir = fileURLToPath(new URL('./fixtures/pods/', import.meta.url));

function fixture(name: string): Pod {
	return JSON.parse(readFileSync(`${fixturesDir}${name}.json`, 'utf8')) as Pod;
}

// Expected columns worked out by hand from kubernetes printers.go printPod (NOW = 2025-06-01T12:00:00Z).
const table: {file: string; status: string; ready: string; restarts: string; age?: string}[] = [
	{file: 'pending-unschedulable', status: 'Pending', ready: '0/1', restarts: '0'},
	{file: 'scheduling-gated', status: 'SchedulingGated', ready: '0/1', restarts: '0'},
	{file: 'container-creating', status: 'ContainerCreating', ready: '0/1', restarts: '0', age: '5s'},
	{file: 'err-image-pull', status: 'ErrImagePull', ready: '0/1', restarts: '0', age: '90s'},
	{file: 'image-pull-backoff', status: 'ImagePullBackOff', ready: '0/1', restarts: '0'},
	{file: 'invalid-image-name', status: 'InvalidImageName', ready: '0/1', restarts: '0'},
	{file: 'crash-loop-backoff', status: 'CrashLoopBackOff', ready: '0/1', restarts: '4 (2m10s ago)', age: '11m'},
	{file: 'running-ready', status: 'Running', ready: '1/1', restarts: '0', age: '10m'},
	{file: 'running-not-ready', status: 'Running', ready: '0/1', restarts: '0'},
	{file: 'running-after-oom-restart', status: 'Running', ready: '1/1', restarts: '1 (50m ago)', age: '66m'},
	{file: 'init-running', status: 'Init:0/2', ready: '0/1', restarts: '0'},
	{file: 'init-second-running', status: 'Init:1/2', ready: '0/1', restarts: '0'},
	{file: 'init-error', status: 'Init:Error', ready: '0/1', restarts: '0'},
	// While initializing, init-container restarts are what RESTARTS counts.
	{file: 'init-crash-loop-backoff', status: 'Init:CrashLoopBackOff', ready: '0/1', restarts: '3 (45s ago)'},
	{file: 'init-signal', status: 'Init:Signal:9', ready: '0/1', restarts: '0'},
	{file: 'init-exit-code', status: 'Init:ExitCode:2', ready: '0/1', restarts: '0'},
	{file: 'pod-initializing', status: 'PodInitializing', ready: '0/1', restarts: '0'},
	{file: 'completed', status: 'Completed', ready: '0/1', restarts: '0', age: '15m'},
	{file: 'oom-killed', status: 'OOMKilled', ready: '0/1', restarts: '0'},
	{file: 'error', status: 'Error', ready: '0/1', restarts: '0'},
	{file: 'signal', status: 'Signal:15', ready: '0/1', restarts: '0'},
	{file: 'exit-code', status: 'ExitCode:3', ready: '0/1', restarts: '0'},
	// A finished pod that is being deleted keeps its final status instead of Terminating.
	{file: 'completed-being-deleted', status: 'Completed', ready: '0/1', restarts: '0'},
	{file: 'terminating', status: 'Terminating', ready: '1/1', restarts: '0'},
	{file: 'node-lost-deleting', status: 'Unknown', ready: '1/1', restarts: '0'},
	// Without a deletionTimestamp kubectl prints the NodeLost reason itself.
	{file: 'node-lost', status: 'NodeLost', ready: '1/1', restarts: '0'},
	{file: 'unknown-phase', status: 'Unknown', ready: '0/1', restarts: '0'},
	{file: 'evicted', status: 'Evicted', ready: '0/1', restarts: '0', age: '3d'},
	// When the kubelet recorded a terminated state, the container reason hides "Evicted" (kubectl does the same).
	{file: 'evicted-container-status-unknown', status: 'ContainerStatusUnknown', ready: '0/1', restarts: '0'},
	// A still-ready container next to a Completed one: Running if the pod is Ready, NotReady otherwise.
	{file: 'completed-and-running-ready', status: 'Running', ready: '1/2', restarts: '0'},
	{file: 'completed-and-running-not-ready', status: 'NotReady', ready: '1/2', restarts: '0'},
	// Statuses are walked backwards, so the first listed container's reason is shown.
	{file: 'first-container-reason-wins', status: 'CrashLoopBackOff', ready: '0/2', restarts: '2 (30s ago)'},
	// A started sidecar (restartPolicy: Always init container) counts in READY and RESTARTS.
	{file: 'sidecar-running', status: 'Running', ready: '2/2', restarts: '3 (9m11s ago)'},
	{file: 'sidecar-starting', status: 'Init:0/1', ready: '0/2', restarts: '0'},
];

test('every pod fixture has a row in the table', () => {
	const files = readdirSync(fixturesDir)
		.filter((f) => f.endsWith('.json'))
		.map((f) => f.replace(/\.json$/, ''));
	assert.deepEqual(files.sort(), table.map((r) => r.file).sort());
});

// Each fixture through the pods pane's row, the one the screen shows: kubectl's columns, worked out from printPod.
for (const row of table) {
	test(`pod ${row.file}: ${row.status} ${row.ready} restarts=${row.restarts}`, () => {
		const pod = fixture(row.file);
		const shown = podRow(pod, undefined, undefined, NOW);
		assert.deepEqual([shown.status, shown.ready, shown.restarts], [row.status, row.ready, row.restarts]);
		assert.equal(podInfo(pod).restarts, Number(row.restarts.split(' ')[0]));
		if (row.age) assert.equal(shown.age, row.age);
	});
}

test('the pods row gathers the -o wide columns, with <none> for an unscheduled pod', () => {
	assert.deepEqual(podRow(fixture('crash-loop-backoff'), undefined, undefined, NOW), {
		name: 'web-6f86b7df6b-crash',
		ready: '0/1',
		status: 'CrashLoopBackOff',
		restarts: '4 (2m10s ago)',
		age: '11m',
		node: 'node-1',
		ip: '10.244.1.23',
		revision: '',
		current: false,
	});
	const pending = fixture('pending-unschedulable');
	assert.equal(podNode(pending), '<none>');
	assert.equal(podIP(pending), '<none>');
});

test('a pod with no status at all reads as an empty status with 0/N ready (no crash on sparse JSON)', () => {
	const info = podInfo({metadata: {name: 'bare'}, spec: {containers: [{name: 'a'}, {name: 'b'}]}});
	assert.deepEqual(info, {status: '', readyContainers: 0, totalContainers: 2, restarts: 0, lastRestartMs: undefined});
	assert.equal(podAge({metadata: {name: 'bare'}}, NOW), '<unknown>');
});

test('Go zero time for finishedAt does not produce a "(... ago)" suffix', () => {
	const pod = fixture('crash-loop-backoff');
	pod.status!.containerStatuses![0].lastState = {terminated: {exitCode: 1, reason: 'Error', finishedAt: '0001-01-01T00:00:00Z'}};
	assert.equal(podRestartsText(podInfo(pod), NOW), '4');
});
