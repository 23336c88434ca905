import {test} from 'node:test';
import assert from 'node:assert/strict';
import {invalid} from '../../../source/sim/errors.js';
import {applyDefaults} from '../../../source/sim/api/defaults.js';
import {validateObject, validateScale} from '../../../source/sim/api/validation.js';
import type {KubeObject} from '../../../source/sim/store.js';

const deployment = (mutate: (d: any) => void = () => {}): KubeObject => {
	const d: KubeObject = {
		metadata: {name: 'nginx'},
		spec: {
			replicas: 1,
			selector: {matchLabels: {app: 'nginx'}},
			template: {metadata: {labels: {app: 'nginx'}}, spec: {containers: [{name: 'nginx', image: 'nginx:1.18'}]}},
		},
	};
	mutate(d);
	return applyDefaults('Deployment', d);
};

/** The whole Status message, as kubectl prints it after "The Deployment "nginx" is invalid:" / "Error from server". */
function message(kind: string, group: string, o: KubeObject, old?: KubeObject): string {
	const causes = validateObject(kind, o, old);
	return causes.length === 0 ? '' : invalid(kind, group, o.metadata.name ?? '', causes).message;
}

test('a valid Deployment has no errors', () => {
	assert.deepEqual(validateObject('Deployment', deployment()), []);
});

test("Deployment errors read exactly like the real server's", () => {
	const cases: [what: string, mutate: (d: any) => void, expected: string][] = [
		[
			'negative replicas',
			(d) => (d.spec.replicas = -1),
			'Deployment.apps "nginx" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
		],
		[
			'no containers',
			(d) => (d.spec.template.spec.containers = []),
			'Deployment.apps "nginx" is invalid: spec.template.spec.containers: Required value',
		],
		[
			'container without image',
			(d) => delete d.spec.template.spec.containers[0].image,
			'Deployment.apps "nginx" is invalid: spec.template.spec.containers[0].image: Required value',
		],
		[
			'container without name',
			(d) => delete d.spec.template.spec.containers[0].name,
			'Deployment.apps "nginx" is invalid: spec.template.spec.containers[0].name: Required value',
		],
		[
			'selector does not match the template',
			(d) => (d.spec.template.metadata.labels = {app: 'web'}),
			'Deployment.apps "nginx" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
		],
		['no selector', (d) => delete d.spec.selector, 'Deployment.apps "nginx" is invalid: spec.selector: Required value'],
		[
			'empty selector',
			(d) => (d.spec.selector = {}),
			'Deployment.apps "nginx" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
		],
		[
			'maxSurge and maxUnavailable both 0',
			(d) => (d.spec.strategy = {type: 'RollingUpdate', rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}),
			'Deployment.apps "nginx" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
		],
		[
			'a percent that is not one',
			(d) => (d.spec.strategy = {type: 'RollingUpdate', rollingUpdate: {maxSurge: 'lots', maxUnavailable: 1}}),
			`Deployment.apps "nginx" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: "lots": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
		],
		[
			'maxUnavailable over 100%',
			(d) => (d.spec.strategy = {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: '150%'}}),
			'Deployment.apps "nginx" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
		],
		[
			'Recreate with rollingUpdate',
			(d) => (d.spec.strategy = {type: 'Recreate', rollingUpdate: {maxSurge: 1}}),
			'Deployment.apps "nginx" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is \'Recreate\'',
		],
		[
			'unknown strategy',
			(d) => (d.spec.strategy = {type: 'BlueGreen'}),
			'Deployment.apps "nginx" is invalid: spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"',
		],
		[
			'template restartPolicy other than Always',
			(d) => (d.spec.template.spec.restartPolicy = 'Never'),
			'Deployment.apps "nginx" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
		],
		[
			'progress deadline not above minReadySeconds',
			(d) => Object.assign(d.spec, {minReadySeconds: 10, progressDeadlineSeconds: 10}),
			'Deployment.apps "nginx" is invalid: spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds',
		],
		[
			'no name',
			(d) => delete d.metadata.name,
			'Deployment.apps "" is invalid: metadata.name: Required value: name or generateName is required',
		],
		[
			'an upper-case name',
			(d) => (d.metadata.name = 'Nginx'),
			`Deployment.apps "Nginx" is invalid: metadata.name: Invalid value: "Nginx": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
		],
		[
			'duplicate container names',
			(d) => d.spec.template.spec.containers.push({name: 'nginx', image: 'x'}),
			'Deployment.apps "nginx" is invalid: spec.template.spec.containers[1].name: Duplicate value: "nginx"',
		],
		[
			'container port out of range',
			(d) => (d.spec.template.spec.containers[0].ports = [{containerPort: 70000}]),
			'Deployment.apps "nginx" is invalid: spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
		],
		[
			'two problems at once print as a bracketed list',
			(d) => {
				d.spec.replicas = -2;
				delete d.spec.template.spec.containers[0].image;
			},
			'Deployment.apps "nginx" is invalid: [spec.replicas: Invalid value: -2: must be greater than or equal to 0, spec.template.spec.containers[0].image: Required value]',
		],
	];
	for (const [what, mutate, expected] of cases) assert.equal(message('Deployment', 'apps', deployment(mutate)), expected, what);
});

test('causes carry the reason, the field and the message body', () => {
	const causes = validateObject(
		'Deployment',
		deployment((d) => (d.spec.replicas = -1)),
	);
	assert.deepEqual(causes, [
		{reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas'},
	]);
});

test('the selector of a Deployment or ReplicaSet cannot change on update', () => {
	const old = deployment();
	const next = deployment((d) => {
		d.spec.selector = {matchLabels: {app: 'nginx2'}};
		d.spec.template.metadata.labels = {app: 'nginx2'};
	});
	assert.equal(
		message('Deployment', 'apps', next, old),
		'Deployment.apps "nginx" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
	);
	assert.equal(
		message(
			'Deployment',
			'apps',
			deployment((d) => (d.spec.replicas = 5)),
			old,
		),
		'',
	);
	const rs = applyDefaults('ReplicaSet', {
		metadata: {name: 'rs'},
		spec: {selector: {matchLabels: {a: 'b'}}, template: {metadata: {labels: {a: 'b'}}, spec: {containers: [{name: 'c', image: 'i'}]}}},
	});
	const rs2 = structuredClone(rs);
	rs2.spec.selector.matchLabels = {a: 'b', c: 'd'};
	rs2.spec.template.metadata.labels = {a: 'b', c: 'd'};
	assert.match(message('ReplicaSet', 'apps', rs2, rs), /^ReplicaSet\.apps "rs" is invalid: spec\.selector: .*field is immutable$/);
});

test('Service errors: ports required, port range, NodePort on ClusterIP, names, type', () => {
	const svc = (spec: object, name = 'web'): KubeObject => applyDefaults('Service', {metadata: {name}, spec: structuredClone(spec)});
	const cases: [spec: object, expected: string, name?: string][] = [
		[{selector: {app: 'x'}}, 'Service "web" is invalid: spec.ports: Required value'],
		[
			{ports: [{port: 0, targetPort: 80}]},
			'Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
		],
		[
			{ports: [{port: 80, nodePort: 30080}]},
			'Service "web" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is \'ClusterIP\'',
		],
		[
			{ports: [{port: 80}, {port: 81}]},
			'Service "web" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]',
		],
		[
			{type: 'Magic', ports: [{port: 80}]},
			'Service "web" is invalid: spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
		],
		[
			{ports: [{port: 80}]},
			`Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
			'1web',
		],
		[{type: 'NodePort', ports: [{port: 80}]}, ''],
		[{clusterIP: 'None', selector: {app: 'x'}}, ''],
	];
	for (const [spec, expected, name] of cases) assert.equal(message('Service', '', svc(spec, name)), expected, JSON.stringify(spec));
});

test('Pod errors and the pod update rule', () => {
	const pod = (spec: object): KubeObject => applyDefaults('Pod', {metadata: {name: 'p'}, spec: structuredClone(spec)});
	assert.equal(message('Pod', '', pod({containers: []})), 'Pod "p" is invalid: spec.containers: Required value');
	assert.equal(
		message('Pod', '', pod({restartPolicy: 'Sometimes', containers: [{name: 'a', image: 'b'}]})),
		'Pod "p" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
	);
	const old = pod({containers: [{name: 'a', image: 'nginx:1.18'}]});
	assert.equal(message('Pod', '', pod({containers: [{name: 'a', image: 'nginx:1.20.1'}]}), old), '', 'the image may change');
	assert.match(
		message('Pod', '', pod({containers: [{name: 'a', image: 'nginx:1.18', args: ['x']}]}), old),
		/^Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/,
	);
});

test('Namespace names are DNS-1123 labels; Scale replicas must not be negative', () => {
	assert.match(
		message('Namespace', '', applyDefaults('Namespace', {metadata: {name: 'a.b'}})),
		/^Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist of/,
	);
	assert.equal(message('Namespace', '', applyDefaults('Namespace', {metadata: {name: 'team-a'}})), '');
	assert.deepEqual(validateScale(-1), [
		{reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas'},
	]);
	assert.deepEqual(validateScale(0), []);
});

test('bad labels are reported with the label rules', () => {
	const d = deployment((x) => (x.metadata.labels = {'bad key!': 'v', ok: 'bad value!'}));
	const m = message('Deployment', 'apps', d);
	assert.match(m, /metadata\.labels: Invalid value: "bad key!": name part must consist of alphanumeric characters/);
	assert.match(
		m,
		/metadata\.labels: Invalid value: "bad value!": a valid label must be an empty string or consist of alphanumeric characters/,
	);
});
