// kubectl 1.32 sends typed-client bodies as protobuf, and does not retry as JSON; the simulator must read them
// into exactly the object kubectl 1.31 sends as JSON for the same command.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {decodeKubeProtobuf, isKubeProtobuf, kubeProtobufMagic} from '../../../source/sim/codec/protobuf.js';
import {ApiError} from '../../../source/sim/errors.js';
import type {KubeObject} from '../../../source/sim/store.js';
import {kubectl132, kubectlVersion, startCaptureServer} from './capture-server.js';
import {captureWrite, comparableJson, fixturesDir, protobufCommands, richPod} from './captures.js';
import {kubectlRoot} from './kubectl-descriptors.js';

describe('bodies captured from kubectl 1.32 (fixtures)', () => {
	for (const command of protobufCommands) {
		test(`${command.name}: decodes to what kubectl 1.31 sends as JSON`, () => {
			const pb = readFileSync(join(fixturesDir, `${command.name}.1.32.pb`));
			const json = readFileSync(join(fixturesDir, `${command.name}.1.31.json`));
			assert.deepEqual(decodeKubeProtobuf(pb), comparableJson(json));
		});
	}

	test('the copied pod keeps its probes, lifecycle hooks, env sources, volumes, and explicit zero/false values', () => {
		const pod = decodeKubeProtobuf(readFileSync(join(fixturesDir, 'debug-copy-pod.1.32.pb')));
		const web = pod.spec.containers[0];
		assert.deepEqual(web.livenessProbe.httpGet.port, 'http');
		assert.equal(web.readinessProbe.tcpSocket.port, 80);
		assert.deepEqual(web.lifecycle.preStop, {sleep: {seconds: 5}});
		assert.equal(web.securityContext.runAsUser, 0);
		assert.equal(web.securityContext.privileged, false);
		assert.equal(pod.spec.priority, 0);
		assert.equal(pod.spec.terminationGracePeriodSeconds, 45);
		assert.deepEqual(pod.spec.volumes.find((v: {name: string}) => v.name === 'cfg').configMap.name, 'web-cfg');
		assert.deepEqual(web.resources.limits, {cpu: '500m', memory: '128Mi'});
		assert.deepEqual(
			pod.spec.containers.map((c: {name: string}) => c.name),
			['web', 'side', 'debugger'],
		);
		assert.equal(richPod.spec.containers.length, 2);
	});
});

describe('bodies kubectl sends now', () => {
	for (const command of protobufCommands) {
		test(`kubectl ${command.args.slice(0, 3).join(' ')}: 1.32 protobuf equals 1.31 JSON`, async () => {
			const [pb, json] = await Promise.all([captureWrite(command, kubectl132), captureWrite(command, kubectlVersion(31))]);
			assert.ok(isKubeProtobuf(pb.contentType), `1.32 sent ${pb.contentType}`);
			assert.ok(pb.body.subarray(0, 4).equals(kubeProtobufMagic));
			assert.equal(json.contentType, 'application/json');
			assert.deepEqual(decodeKubeProtobuf(pb.body), comparableJson(json.body));
		});
	}

	test('kubectl 1.33 sends protobuf too, and it decodes to the same deployment as 1.31 JSON', async () => {
		const command = protobufCommands[0]!;
		const [pb, json] = await Promise.all([captureWrite(command, kubectlVersion(33)), captureWrite(command, kubectlVersion(31))]);
		assert.ok(isKubeProtobuf(pb.contentType), `1.33 sent ${pb.contentType}`);
		assert.deepEqual(decodeKubeProtobuf(pb.body), comparableJson(json.body));
	});

	const deployment: KubeObject = {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name: 'nginx', namespace: 'default', labels: {app: 'nginx'}},
		spec: {
			replicas: 3,
			selector: {matchLabels: {app: 'nginx'}},
			template: {
				metadata: {labels: {app: 'nginx'}},
				spec: {containers: [{name: 'nginx', image: 'nginx:1.18', ports: [{containerPort: 80}]}]},
			},
		},
	};
	const revision = (name: string, rev: string, image: string): KubeObject => ({
		apiVersion: 'apps/v1',
		kind: 'ReplicaSet',
		metadata: {
			name,
			namespace: 'default',
			annotations: {'deployment.kubernetes.io/revision': rev},
			labels: {app: 'nginx'},
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx', uid: 'd-uid', controller: true}],
		},
		spec: {
			replicas: 0,
			selector: {matchLabels: {app: 'nginx'}},
			template: {metadata: {labels: {app: 'nginx'}}, spec: {containers: [{name: 'nginx', image}]}},
		},
	});
	const ownedDeployment: KubeObject = {
		...deployment,
		metadata: {...deployment.metadata, uid: 'd-uid', annotations: {'deployment.kubernetes.io/revision': '2'}},
	};
	const jsonCommands: Array<{args: string[]; seed: Array<[string, KubeObject]>}> = [
		{args: ['run', 'web', '--image=nginx', '--port=80'], seed: []},
		{args: ['expose', 'deployment', 'nginx', '--type=NodePort', '--port=80'], seed: [['deployments', deployment]]},
		{args: ['scale', 'deployment', 'nginx', '--replicas=5'], seed: [['deployments', deployment]]},
		{args: ['set', 'image', 'deployment/nginx', 'nginx=nginx:1.20.1'], seed: [['deployments', deployment]]},
		{args: ['delete', 'pod', 'web', '--wait=false'], seed: [['pods', richPod]]},
		{
			args: ['rollout', 'undo', 'deployment/nginx', '--to-revision=1'],
			seed: [
				['deployments', ownedDeployment],
				['replicasets', revision('nginx-a', '1', 'nginx:1.18')],
				['replicasets', revision('nginx-b', '2', 'nginx:1.20.1')],
			],
		},
	];
	for (const {args, seed} of jsonCommands) {
		test(`kubectl 1.32 ${args.slice(0, 2).join(' ')} sends JSON or a JSON patch (the API must take both)`, async () => {
			const server = await startCaptureServer({objects: seed});
			try {
				const result = await server.kubectl(args);
				assert.equal(result.code, 0, result.stderr);
				const writes = server.requests.filter((r) => r.method !== 'GET');
				assert.ok(writes.length > 0);
				for (const w of writes) assert.match(w.contentType, /json/, `${w.method} ${w.path}`);
			} finally {
				await server.close();
			}
		});
	}
});

describe('kinds laid out with kubectl’s own descriptors', () => {
	const root = kubectlRoot(kubectl132, [
		'k8s.io/api/core/v1/generated.proto',
		'k8s.io/api/apps/v1/generated.proto',
		'k8s.io/api/autoscaling/v1/generated.proto',
	]);
	const body = (apiVersion: string, kind: string, type: string, object: Record<string, unknown>) => {
		const T = root.lookupType(type);
		const U = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
		const raw = T.encode(T.fromObject(object)).finish();
		return Buffer.concat([
			kubeProtobufMagic,
			U.encode(U.fromObject({typeMeta: {apiVersion, kind}, raw, contentEncoding: '', contentType: ''})).finish(),
		]);
	};

	test('DeleteOptions: a zero grace period and a propagation policy survive', () => {
		const b = body('v1', 'DeleteOptions', 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions', {
			gracePeriodSeconds: 0,
			propagationPolicy: 'Foreground',
			dryRun: ['All'],
			preconditions: {uid: 'u-1'},
		});
		assert.deepEqual(decodeKubeProtobuf(b), {
			apiVersion: 'v1',
			kind: 'DeleteOptions',
			gracePeriodSeconds: 0,
			propagationPolicy: 'Foreground',
			dryRun: ['All'],
			preconditions: {uid: 'u-1'},
		});
	});

	test('Event: times become RFC 3339 (MicroTime to the microsecond), counts and references come through', () => {
		const seconds = Date.parse('2025-03-01T12:00:00Z') / 1000;
		const b = body('v1', 'Event', 'k8s.io.api.core.v1.Event', {
			metadata: {name: 'nginx.1', namespace: 'default', creationTimestamp: {seconds}},
			involvedObject: {kind: 'Deployment', namespace: 'default', name: 'nginx', uid: 'u-2', apiVersion: 'apps/v1', resourceVersion: '7'},
			reason: 'ScalingReplicaSet',
			message: 'Scaled up replica set nginx-6888c79454 to 3',
			source: {component: 'deployment-controller'},
			firstTimestamp: {seconds},
			lastTimestamp: {seconds: seconds + 90},
			count: 2,
			type: 'Normal',
			eventTime: {seconds, nanos: 123456789},
			reportingComponent: '',
			reportingInstance: '',
		});
		assert.deepEqual(decodeKubeProtobuf(b), {
			apiVersion: 'v1',
			kind: 'Event',
			metadata: {name: 'nginx.1', namespace: 'default', creationTimestamp: '2025-03-01T12:00:00Z'},
			involvedObject: {kind: 'Deployment', namespace: 'default', name: 'nginx', uid: 'u-2', apiVersion: 'apps/v1', resourceVersion: '7'},
			reason: 'ScalingReplicaSet',
			message: 'Scaled up replica set nginx-6888c79454 to 3',
			source: {component: 'deployment-controller'},
			firstTimestamp: '2025-03-01T12:00:00Z',
			lastTimestamp: '2025-03-01T12:01:30Z',
			count: 2,
			type: 'Normal',
			eventTime: '2025-03-01T12:00:00.123456Z',
			reportingComponent: '',
			reportingInstance: '',
		});
	});

	test('Deployment: int and percent maxSurge/maxUnavailable, replicas 0, and owner references', () => {
		const b = body('apps/v1', 'Deployment', 'k8s.io.api.apps.v1.Deployment', {
			metadata: {name: 'web', ownerReferences: [{apiVersion: 'v1', kind: 'Foo', name: 'f', uid: 'u', controller: false}]},
			spec: {
				replicas: 0,
				selector: {matchExpressions: [{key: 'app', operator: 'In', values: ['web']}]},
				strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: {type: 0, intVal: 2}, maxUnavailable: {type: 1, strVal: '25%'}}},
				revisionHistoryLimit: 10,
				progressDeadlineSeconds: 600,
				paused: true,
			},
		});
		assert.deepEqual(decodeKubeProtobuf(b), {
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: {name: 'web', ownerReferences: [{apiVersion: 'v1', kind: 'Foo', name: 'f', uid: 'u', controller: false}]},
			spec: {
				replicas: 0,
				selector: {matchExpressions: [{key: 'app', operator: 'In', values: ['web']}]},
				strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 2, maxUnavailable: '25%'}},
				revisionHistoryLimit: 10,
				progressDeadlineSeconds: 600,
				paused: true,
			},
		});
	});

	test('ReplicaSet and Scale decode too', () => {
		const rs = body('apps/v1', 'ReplicaSet', 'k8s.io.api.apps.v1.ReplicaSet', {
			metadata: {name: 'web-1'},
			spec: {replicas: 2, minReadySeconds: 5},
		});
		assert.deepEqual(decodeKubeProtobuf(rs), {
			apiVersion: 'apps/v1',
			kind: 'ReplicaSet',
			metadata: {name: 'web-1'},
			spec: {replicas: 2, minReadySeconds: 5},
		});
		const scale = body('autoscaling/v1', 'Scale', 'k8s.io.api.autoscaling.v1.Scale', {metadata: {name: 'web'}, spec: {replicas: 4}});
		assert.deepEqual(decodeKubeProtobuf(scale), {
			apiVersion: 'autoscaling/v1',
			kind: 'Scale',
			metadata: {name: 'web'},
			spec: {replicas: 4},
		});
	});

	test('a kind the simulator does not decode is a 415, so the client learns to send JSON', () => {
		const b = body('v1', 'ConfigMap', 'k8s.io.api.core.v1.ConfigMap', {metadata: {name: 'c'}, data: {a: 'b'}});
		assert.throws(
			() => decodeKubeProtobuf(b),
			(e: unknown) => e instanceof ApiError && e.code === 415 && /ConfigMap/.test(e.message) && /application\/json/.test(e.message),
		);
	});

	test('a served kind in a version the simulator does not serve is a 415', () => {
		const b = body('apps/v1beta2', 'Deployment', 'k8s.io.api.apps.v1.Deployment', {metadata: {name: 'web'}});
		assert.throws(
			() => decodeKubeProtobuf(b),
			(e: unknown) => e instanceof ApiError && e.code === 415,
		);
	});
});

describe('malformed bodies are 400 Bad Request', () => {
	const cases: Array<[string, Buffer, RegExp]> = [
		['JSON sent with a protobuf content type', Buffer.from('{"kind":"Deployment"}'), /expected prefix \[107 56 115 0\]/],
		['an empty body', Buffer.alloc(0), /expected prefix/],
		['the magic alone', kubeProtobufMagic, /no kind/],
		[
			'a truncated envelope',
			Buffer.concat([kubeProtobufMagic, Buffer.from([0x0a, 0x20, 0x0a])]),
			/unable to decode the protobuf runtime\.Unknown/,
		],
		[
			'a raw object that is not protobuf',
			Buffer.concat([
				kubeProtobufMagic,
				Buffer.from([
					0x0a,
					0x15,
					0x0a,
					0x07,
					...Buffer.from('apps/v1'),
					0x12,
					0x0a,
					...Buffer.from('Deployment'),
					0x12,
					0x03,
					0x0a,
					0x09,
					0x01,
				]),
			]),
			/unable to decode the protobuf Deployment/,
		],
	];
	for (const [name, bytes, message] of cases) {
		test(name, () => {
			assert.throws(
				() => decodeKubeProtobuf(bytes),
				(e: unknown) => e instanceof ApiError && e.code === 400 && e.reason === 'BadRequest' && message.test(e.message),
			);
		});
	}
});

test('isKubeProtobuf reads the Content-Type header, parameters and case aside', () => {
	assert.equal(isKubeProtobuf('application/vnd.kubernetes.protobuf'), true);
	assert.equal(isKubeProtobuf('Application/Vnd.Kubernetes.Protobuf; charset=binary'), true);
	assert.equal(isKubeProtobuf('application/json'), false);
	assert.equal(isKubeProtobuf(undefined), false);
});
