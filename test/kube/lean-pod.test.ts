// leanPod keeps what the cockpit shows of a pod and drops the rest: a pod as the API server serves it comes out as
// exactly its metadata (less managedFields and the last-applied copy), its status, and the few spec fields read; and
// every pod fixture shows the same row, the same detail and the same preStop verdict lean as whole.
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, test} from 'node:test';
import {leanPod} from '../../source/kube/lean-pod.js';
import type {Pod} from '../../source/model/types.js';
import {PodHistory} from '../../source/probe/blame.js';
import {podDetailLines} from '../../source/screen/detail.js';
import {podRow} from '../../source/screen/pods.js';
import {NOW, ago} from '../helpers/objects.js';

const fixturesDir = fileURLToPath(new URL('../model/fixtures/pods/', import.meta.url));

const clone = <T>(o: T): T => structuredClone(o);

// A pod of a Deployment as `kubectl get pod -o json` shows it: a sidecar, a preStop hook, probes, env, volumes.
function served(): Pod & Record<string, unknown> {
	return {
		kind: 'Pod',
		apiVersion: 'v1',
		metadata: {
			name: 'web-7d9c8b6f4-x2x9q',
			generateName: 'web-7d9c8b6f4-',
			namespace: 'shop',
			uid: 'uid-pod-1',
			resourceVersion: '4242',
			creationTimestamp: ago(300),
			labels: {app: 'web', 'pod-template-hash': '7d9c8b6f4'},
			annotations: {'kubectl.kubernetes.io/last-applied-configuration': '{"big":"copy"}', 'prometheus.io/scrape': 'true'},
			ownerReferences: [
				{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9c8b6f4', uid: 'uid-rs', controller: true, blockOwnerDeletion: true},
			],
			managedFields: [{manager: 'kube-controller-manager', operation: 'Update', fieldsV1: {'f:metadata': {}}}],
		} as Pod['metadata'],
		spec: {
			volumes: [
				{name: 'cache', emptyDir: {}},
				{name: 'kube-api-access-abcde', projected: {sources: [{serviceAccountToken: {path: 'token'}}]}},
			],
			initContainers: [{name: 'proxy', image: 'envoy:1.30', restartPolicy: 'Always', ports: [{containerPort: 15001}]}],
			containers: [
				{
					name: 'web',
					image: 'nginx:1.27',
					ports: [{containerPort: 80, protocol: 'TCP'}],
					env: [{name: 'MODE', value: 'prod'}],
					resources: {requests: {cpu: '100m'}},
					readinessProbe: {httpGet: {path: '/healthz', port: 80}},
					livenessProbe: {httpGet: {path: '/live', port: 80}},
					lifecycle: {preStop: {sleep: {seconds: 5}}, postStart: {exec: {command: ['true']}}},
					volumeMounts: [{name: 'cache', mountPath: '/cache'}],
				},
			],
			nodeName: 'node-3',
			serviceAccountName: 'default',
			tolerations: [{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300}],
			readinessGates: [{conditionType: 'example.com/lb-ready'}],
			terminationGracePeriodSeconds: 45,
		},
		status: {
			phase: 'Running',
			podIP: '10.244.3.7',
			podIPs: [{ip: '10.244.3.7'}],
			hostIP: '172.18.0.4',
			conditions: [
				{type: 'Ready', status: 'True', lastTransitionTime: ago(200)},
				{type: 'example.com/lb-ready', status: 'True', lastTransitionTime: ago(190)},
			],
			initContainerStatuses: [{name: 'proxy', ready: true, started: true, restartCount: 0, state: {running: {startedAt: ago(290)}}}],
			containerStatuses: [
				{
					name: 'web',
					ready: true,
					started: true,
					restartCount: 1,
					image: 'nginx:1.27',
					state: {running: {startedAt: ago(250)}},
					lastState: {terminated: {exitCode: 137, reason: 'OOMKilled', finishedAt: ago(251)}},
				},
			],
		},
	};
}

describe('leanPod', () => {
	test('keeps metadata (less managedFields and last-applied), the whole status and the spec fields the cockpit reads', () => {
		const pod = served();
		const lean = leanPod(clone(pod));
		const {managedFields: _m, ...metadata} = pod.metadata as Record<string, unknown>;
		assert.deepEqual(lean, {
			kind: 'Pod',
			apiVersion: 'v1',
			metadata: {...metadata, annotations: {'prometheus.io/scrape': 'true'}},
			spec: {
				nodeName: 'node-3',
				containers: [{name: 'web', image: 'nginx:1.27', lifecycle: {preStop: {sleep: {seconds: 5}}}}],
				initContainers: [{name: 'proxy', image: 'envoy:1.30', restartPolicy: 'Always'}],
				readinessGates: [{conditionType: 'example.com/lb-ready'}],
				terminationGracePeriodSeconds: 45,
			},
			status: pod.status,
		});
		assert.ok(JSON.stringify(lean).length < JSON.stringify(pod).length * 0.7, 'most of the spec is gone');
	});

	test('a pod without a spec, or not an object, comes through as it is', () => {
		assert.deepEqual(leanPod({metadata: {name: 'a'}, status: {phase: 'Pending'}}), {metadata: {name: 'a'}, status: {phase: 'Pending'}});
		assert.equal(leanPod(null), null);
	});

	const fixtures = readdirSync(fixturesDir)
		.filter((f) => f.endsWith('.json'))
		.map((f) => ({name: f.replace(/\.json$/, ''), pod: JSON.parse(readFileSync(`${fixturesDir}${f}`, 'utf8')) as Pod}));
	fixtures.push({name: 'served (sidecar, preStop, readiness gate)', pod: served()});

	for (const {name, pod} of fixtures) {
		test(`${name}: the same row, detail and preStop verdict lean as whole`, () => {
			const lean = leanPod(clone(pod));
			assert.deepEqual(podRow(lean, undefined, undefined, NOW), podRow(pod, undefined, undefined, NOW));
			assert.deepEqual(podDetailLines(lean, [], NOW, '3'), podDetailLines(pod, [], NOW, '3'));
			const whole = new PodHistory();
			const thin = new PodHistory();
			whole.observe([pod], NOW);
			thin.observe([lean], NOW);
			assert.deepEqual(thin.all(), whole.all());
		});
	}
});
