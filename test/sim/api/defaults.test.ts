import {test} from 'node:test';
import assert from 'node:assert/strict';
import {applyDefaults, defaultPullPolicy, initialStatus, qosClass} from '../../../source/sim/api/defaults.js';
import type {KubeObject} from '../../../source/sim/store.js';

test('imagePullPolicy follows the tag: Always for latest or none, IfNotPresent otherwise', () => {
	const cases: [image: string, policy: string][] = [
		['nginx', 'Always'],
		['nginx:latest', 'Always'],
		['nginx:1.18', 'IfNotPresent'],
		['docker.io/library/nginx:1.20.1', 'IfNotPresent'],
		['localhost:5000/nginx', 'Always'],
		['localhost:5000/nginx:1.2', 'IfNotPresent'],
		['nginx@sha256:abc', 'IfNotPresent'],
	];
	for (const [image, policy] of cases) assert.equal(defaultPullPolicy(image), policy, image);
});

test('a Deployment gets the apps/v1 defaults and its template the PodSpec defaults', () => {
	const d: KubeObject = applyDefaults('Deployment', {
		metadata: {name: 'nginx'},
		spec: {
			selector: {matchLabels: {app: 'nginx'}},
			template: {
				metadata: {labels: {app: 'nginx'}},
				spec: {
					containers: [
						{
							name: 'nginx',
							image: 'nginx:1.18',
							ports: [{containerPort: 80}],
							readinessProbe: {httpGet: {port: 80}},
							env: [{name: 'NODE', valueFrom: {fieldRef: {fieldPath: 'spec.nodeName'}}}],
						},
					],
				},
			},
		},
	});
	assert.deepEqual(d.spec.strategy, {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: '25%', maxSurge: '25%'}});
	assert.equal(d.spec.replicas, 1);
	assert.equal(d.spec.revisionHistoryLimit, 10);
	assert.equal(d.spec.progressDeadlineSeconds, 600);
	const spec = d.spec.template.spec;
	assert.deepEqual(
		{
			restartPolicy: spec.restartPolicy,
			grace: spec.terminationGracePeriodSeconds,
			dns: spec.dnsPolicy,
			scheduler: spec.schedulerName,
			sc: spec.securityContext,
		},
		{restartPolicy: 'Always', grace: 30, dns: 'ClusterFirst', scheduler: 'default-scheduler', sc: {}},
	);
	const c = spec.containers[0];
	assert.equal(c.terminationMessagePath, '/dev/termination-log');
	assert.equal(c.terminationMessagePolicy, 'File');
	assert.equal(c.imagePullPolicy, 'IfNotPresent');
	assert.deepEqual(c.resources, {});
	assert.deepEqual(c.ports, [{containerPort: 80, protocol: 'TCP'}]);
	assert.deepEqual(c.readinessProbe, {
		httpGet: {port: 80, path: '/', scheme: 'HTTP'},
		timeoutSeconds: 1,
		periodSeconds: 10,
		successThreshold: 1,
		failureThreshold: 3,
	});
	assert.equal(c.env[0].valueFrom.fieldRef.apiVersion, 'v1');
	// Pod-only defaults stay off templates, as on a real cluster.
	assert.equal(spec.enableServiceLinks, undefined);
	assert.equal(spec.tolerations, undefined);
});

test('given values are kept; Recreate gets no rollingUpdate', () => {
	const d = applyDefaults('Deployment', {
		metadata: {name: 'x'},
		spec: {
			replicas: 0,
			revisionHistoryLimit: 2,
			strategy: {type: 'Recreate'},
			template: {
				spec: {restartPolicy: 'Always', terminationGracePeriodSeconds: 5, containers: [{name: 'a', image: 'a', imagePullPolicy: 'Never'}]},
			},
		},
	});
	assert.equal(d.spec.replicas, 0);
	assert.equal(d.spec.revisionHistoryLimit, 2);
	assert.deepEqual(d.spec.strategy, {type: 'Recreate'});
	assert.equal(d.spec.template.spec.terminationGracePeriodSeconds, 5);
	assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'Never');
	const partial = applyDefaults('Deployment', {metadata: {name: 'y'}, spec: {strategy: {rollingUpdate: {maxSurge: 1}}}});
	assert.deepEqual(partial.spec.strategy, {rollingUpdate: {maxSurge: 1, maxUnavailable: '25%'}, type: 'RollingUpdate'});
});

test('a Pod gets pod-only defaults (service links, tolerations, priority, service account) and Pending status', () => {
	const p = applyDefaults('Pod', {
		metadata: {name: 'p'},
		spec: {containers: [{name: 'a', image: 'nginx', resources: {limits: {cpu: '1', memory: '1Gi'}}}]},
	});
	assert.equal(p.spec.enableServiceLinks, true);
	assert.equal(p.spec.serviceAccountName, 'default');
	assert.equal(p.spec.priority, 0);
	assert.deepEqual(
		p.spec.tolerations.map((t: any) => `${t.key}:${t.effect}:${t.tolerationSeconds}`),
		['node.kubernetes.io/not-ready:NoExecute:300', 'node.kubernetes.io/unreachable:NoExecute:300'],
	);
	assert.deepEqual(p.spec.containers[0].resources.requests, {cpu: '1', memory: '1Gi'});
	assert.equal(p.spec.containers[0].imagePullPolicy, 'Always');
	initialStatus('Pod', p);
	assert.deepEqual(p.status, {phase: 'Pending', qosClass: 'Guaranteed'});
});

test('QoS class from requests and limits', () => {
	assert.equal(qosClass({containers: [{name: 'a'}]}), 'BestEffort');
	assert.equal(qosClass({containers: [{resources: {requests: {cpu: '100m'}}}]}), 'Burstable');
	assert.equal(
		qosClass({containers: [{resources: {requests: {cpu: '1', memory: '1Gi'}, limits: {cpu: '1', memory: '1Gi'}}}]}),
		'Guaranteed',
	);
	assert.equal(qosClass({containers: [{resources: {limits: {cpu: '1', memory: '1Gi'}}}, {name: 'b'}]}), 'Burstable');
});

test('a Service gets ClusterIP type, TCP ports with targetPort = port, and traffic policies', () => {
	const s = applyDefaults('Service', {metadata: {name: 's'}, spec: {ports: [{port: 80}, {port: 53, protocol: 'UDP', targetPort: 'dns'}]}});
	assert.deepEqual(s.spec, {
		ports: [
			{port: 80, protocol: 'TCP', targetPort: 80},
			{port: 53, protocol: 'UDP', targetPort: 'dns'},
		],
		type: 'ClusterIP',
		sessionAffinity: 'None',
		internalTrafficPolicy: 'Cluster',
	});
	const n = applyDefaults('Service', {metadata: {name: 'n'}, spec: {type: 'NodePort', ports: [{port: 80}]}});
	assert.equal(n.spec.externalTrafficPolicy, 'Cluster');
	const ext = applyDefaults('Service', {metadata: {name: 'e'}, spec: {type: 'ExternalName', externalName: 'x.example'}});
	assert.equal(ext.spec.internalTrafficPolicy, undefined);
});

test('a Namespace gets its name label and the kubernetes finalizer; a ReplicaSet one replica', () => {
	const ns = applyDefaults('Namespace', {metadata: {name: 'team-a', labels: {x: 'y'}}});
	assert.deepEqual(ns.metadata.labels, {x: 'y', 'kubernetes.io/metadata.name': 'team-a'});
	assert.deepEqual(ns.spec, {finalizers: ['kubernetes']});
	initialStatus('Namespace', ns);
	assert.deepEqual(ns.status, {phase: 'Active'});
	assert.equal(applyDefaults('ReplicaSet', {metadata: {name: 'r'}, spec: {}}).spec.replicas, 1);
});
