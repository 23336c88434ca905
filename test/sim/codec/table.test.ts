// `kubectl get` prints the server's Table as it comes, so every column and cell rule here is something a user
// reads: the article's `get po -o wide`, `get rs -o wide`, `get deploy -o wide` and `get events`.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {humanDuration, podRowSummary, toTable, type TableOptions} from '../../../source/sim/codec/table.js';
import type {KubeObject} from '../../../source/sim/store.js';
import {kubectl132, kubectlVersion, startCaptureServer, type CaptureServer} from './capture-server.js';

const now = Date.parse('2025-03-01T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const options: TableOptions = {includeObject: 'Object', listMeta: {resourceVersion: '42'}, now};

test('humanDuration follows apimachinery: about two significant figures', () => {
	const s = 1000;
	const m = 60 * s;
	const h = 60 * m;
	const d = 24 * h;
	const cases: Array<[number, string]> = [
		[0, '0s'],
		[-1500, '0s'],
		[-2500, '<invalid>'],
		[59 * s, '59s'],
		[119 * s + 999, '119s'],
		[2 * m, '2m'],
		[2 * m + 5 * s, '2m5s'],
		[9 * m + 59 * s, '9m59s'],
		[10 * m + 30 * s, '10m'],
		[179 * m, '179m'],
		[3 * h, '3h'],
		[3 * h + 5 * m, '3h5m'],
		[8 * h + 5 * m, '8h'],
		[47 * h, '47h'],
		[48 * h, '2d'],
		[50 * h, '2d2h'],
		[8 * d + 5 * h, '8d'],
		[729 * d, '729d'],
		[730 * d, '2y'],
		[800 * d, '2y70d'],
		[9 * 365 * d, '9y'],
	];
	for (const [ms, text] of cases) assert.equal(humanDuration(ms), text, `${ms} ms`);
});

// ---- pods ----

type PodInput = {status?: Record<string, unknown>; spec?: Record<string, unknown>; deleting?: boolean};
const pod = ({status = {}, spec = {}, deleting}: PodInput): KubeObject => ({
	apiVersion: 'v1',
	kind: 'Pod',
	metadata: {name: 'p', namespace: 'default', creationTimestamp: ago(600), ...(deleting ? {deletionTimestamp: ago(-30)} : {})},
	spec: {containers: [{name: 'app', image: 'nginx:1.18'}], ...spec},
	status,
});
const running = (name = 'app', ready = true, restartCount = 0) => ({name, ready, restartCount, state: {running: {startedAt: ago(500)}}});
const waiting = (reason: string, name = 'app') => ({name, ready: false, restartCount: 0, state: {waiting: {reason}}});
const terminated = (t: Record<string, unknown>, name = 'app') => ({name, ready: false, restartCount: 0, state: {terminated: t}});
const readyCondition = {type: 'Ready', status: 'True'};
const twoContainers = {
	containers: [
		{name: 'app', image: 'a'},
		{name: 'side', image: 'b'},
	],
};
const oneInit = {initContainers: [{name: 'init', image: 'busybox'}]};

const podCases: Array<[string, PodInput, {ready: string; status: string; restarts: string}]> = [
	['a new pod is Pending', {status: {phase: 'Pending'}}, {ready: '0/1', status: 'Pending', restarts: '0'}],
	[
		'a pulling pod shows its waiting reason',
		{status: {phase: 'Pending', containerStatuses: [waiting('ContainerCreating')]}},
		{ready: '0/1', status: 'ContainerCreating', restarts: '0'},
	],
	[
		'a ready container is Running 1/1',
		{status: {phase: 'Running', conditions: [readyCondition], containerStatuses: [running()]}},
		{ready: '1/1', status: 'Running', restarts: '0'},
	],
	[
		'a running container that is not ready is 0/1',
		{status: {phase: 'Running', containerStatuses: [running('app', false)]}},
		{ready: '0/1', status: 'Running', restarts: '0'},
	],
	[
		'a crash loop shows restarts and when the last one ended',
		{
			status: {
				phase: 'Running',
				containerStatuses: [
					{...waiting('CrashLoopBackOff'), restartCount: 4, lastState: {terminated: {exitCode: 1, reason: 'Error', finishedAt: ago(75)}}},
				],
			},
		},
		{ready: '0/1', status: 'CrashLoopBackOff', restarts: '4 (75s ago)'},
	],
	[
		'restarts without a last termination show no age',
		{status: {phase: 'Running', containerStatuses: [running('app', true, 3)]}},
		{ready: '1/1', status: 'Running', restarts: '3'},
	],
	[
		'a bad image is ImagePullBackOff',
		{status: {phase: 'Pending', containerStatuses: [waiting('ImagePullBackOff')]}},
		{ready: '0/1', status: 'ImagePullBackOff', restarts: '0'},
	],
	[
		'a terminated container without reason shows its exit code',
		{status: {phase: 'Running', containerStatuses: [terminated({exitCode: 137})]}},
		{ready: '0/1', status: 'ExitCode:137', restarts: '0'},
	],
	[
		'... or its signal',
		{status: {phase: 'Running', containerStatuses: [terminated({exitCode: 0, signal: 9})]}},
		{ready: '0/1', status: 'Signal:9', restarts: '0'},
	],
	[
		'a completed container next to a running one is Running when the pod is ready',
		{
			spec: twoContainers,
			status: {
				phase: 'Running',
				conditions: [readyCondition],
				containerStatuses: [running(), terminated({exitCode: 0, reason: 'Completed'}, 'side')],
			},
		},
		{ready: '1/2', status: 'Running', restarts: '0'},
	],
	[
		'... and NotReady when it is not',
		{
			spec: twoContainers,
			status: {phase: 'Running', containerStatuses: [running(), terminated({exitCode: 0, reason: 'Completed'}, 'side')]},
		},
		{ready: '1/2', status: 'NotReady', restarts: '0'},
	],
	[
		'a pod being deleted is Terminating',
		{deleting: true, status: {phase: 'Running', conditions: [readyCondition], containerStatuses: [running()]}},
		{ready: '1/1', status: 'Terminating', restarts: '0'},
	],
	[
		'a finished pod being deleted keeps its reason',
		{deleting: true, status: {phase: 'Succeeded', containerStatuses: [terminated({exitCode: 0, reason: 'Completed'})]}},
		{ready: '0/1', status: 'Completed', restarts: '0'},
	],
	[
		'a pod on a lost node being deleted is Unknown',
		{deleting: true, status: {phase: 'Running', reason: 'NodeLost', containerStatuses: [running()]}},
		{ready: '1/1', status: 'Unknown', restarts: '0'},
	],
	['an evicted pod shows the pod reason', {status: {phase: 'Failed', reason: 'Evicted'}}, {ready: '0/1', status: 'Evicted', restarts: '0'}],
	[
		'a scheduling-gated pod says so',
		{status: {phase: 'Pending', conditions: [{type: 'PodScheduled', status: 'False', reason: 'SchedulingGated'}]}},
		{ready: '0/1', status: 'SchedulingGated', restarts: '0'},
	],
	[
		'an init container still running is Init:0/1',
		{
			spec: oneInit,
			status: {phase: 'Pending', initContainerStatuses: [running('init', false)], containerStatuses: [waiting('PodInitializing')]},
		},
		{ready: '0/1', status: 'Init:0/1', restarts: '0'},
	],
	[
		'a crashing init container is Init:CrashLoopBackOff with its restarts',
		{
			spec: oneInit,
			status: {
				phase: 'Pending',
				initContainerStatuses: [{...waiting('CrashLoopBackOff', 'init'), restartCount: 2}],
				containerStatuses: [waiting('PodInitializing')],
			},
		},
		{ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '2'},
	],
	[
		'a failed init container shows Init:<reason>',
		{spec: oneInit, status: {phase: 'Pending', initContainerStatuses: [terminated({exitCode: 1, reason: 'Error'}, 'init')]}},
		{ready: '0/1', status: 'Init:Error', restarts: '0'},
	],
	[
		'... Init:ExitCode:N without a reason',
		{spec: oneInit, status: {phase: 'Pending', initContainerStatuses: [terminated({exitCode: 2}, 'init')]}},
		{ready: '0/1', status: 'Init:ExitCode:2', restarts: '0'},
	],
	[
		'... Init:Signal:N for a signal',
		{spec: oneInit, status: {phase: 'Pending', initContainerStatuses: [terminated({exitCode: 143, signal: 15}, 'init')]}},
		{ready: '0/1', status: 'Init:Signal:15', restarts: '0'},
	],
	[
		'a finished init container lets the main container speak',
		{
			spec: oneInit,
			status: {
				phase: 'Running',
				conditions: [readyCondition],
				initContainerStatuses: [terminated({exitCode: 0, reason: 'Completed'}, 'init')],
				containerStatuses: [running()],
			},
		},
		{ready: '1/1', status: 'Running', restarts: '0'},
	],
	[
		'a started sidecar counts as a container, and its restarts count',
		{
			spec: {initContainers: [{name: 'proxy', image: 'envoy', restartPolicy: 'Always'}]},
			status: {
				phase: 'Running',
				conditions: [readyCondition, {type: 'Initialized', status: 'True'}],
				initContainerStatuses: [
					{...running('proxy', true, 1), started: true, lastState: {terminated: {exitCode: 1, finishedAt: ago(300)}}},
				],
				containerStatuses: [running()],
			},
		},
		{ready: '2/2', status: 'Running', restarts: '1 (5m ago)'},
	],
];

describe('pod READY, STATUS and RESTARTS follow the server printer', () => {
	for (const [name, input, expected] of podCases) {
		test(name, () => assert.deepEqual(podRowSummary(pod(input), now), expected));
	}
});

test('pod rows: wide cells, <none> placeholders, readiness gates, and Completed row conditions', () => {
	const p = pod({
		spec: {nodeName: 'node2', readinessGates: [{conditionType: 'example.com/lb'}, {conditionType: 'example.com/dns'}]},
		status: {
			phase: 'Running',
			podIPs: [{ip: '10.244.2.7'}],
			conditions: [readyCondition, {type: 'example.com/lb', status: 'True'}],
			containerStatuses: [running()],
		},
	});
	const table = toTable('pods', [p, pod({status: {phase: 'Succeeded'}})], options);
	assert.deepEqual(
		table.columnDefinitions.map((c) => [c.name, c.priority]),
		[
			['Name', 0],
			['Ready', 0],
			['Status', 0],
			['Restarts', 0],
			['Age', 0],
			['IP', 1],
			['Node', 1],
			['Nominated Node', 1],
			['Readiness Gates', 1],
		],
	);
	assert.deepEqual(table.rows[0]!.cells, ['p', '1/1', 'Running', '0', '10m', '10.244.2.7', 'node2', '<none>', '1/2']);
	assert.deepEqual(table.rows[1]!.cells.slice(5), ['<none>', '<none>', '<none>', '<none>']);
	assert.equal(table.rows[0]!.conditions, undefined);
	assert.deepEqual(table.rows[1]!.conditions, [
		{type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.'},
	]);
});

// ---- workloads, services, nodes, namespaces, events ----

const template = {
	metadata: {labels: {app: 'nginx'}},
	spec: {
		containers: [
			{name: 'nginx', image: 'nginx:1.18'},
			{name: 'log', image: 'busybox'},
		],
	},
};
const deployment: KubeObject = {
	apiVersion: 'apps/v1',
	kind: 'Deployment',
	metadata: {name: 'nginx', namespace: 'default', creationTimestamp: ago(3 * 3600 + 300)},
	spec: {replicas: 3, selector: {matchLabels: {app: 'nginx'}}, template},
	status: {replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3},
};
const replicaSet = (name: string, hash: string, replicas: number, ready: number, age: number): KubeObject => ({
	apiVersion: 'apps/v1',
	kind: 'ReplicaSet',
	metadata: {name, namespace: 'default', creationTimestamp: ago(age)},
	spec: {replicas, selector: {matchLabels: {app: 'nginx', 'pod-template-hash': hash}}, template},
	status: {replicas, readyReplicas: ready},
});

test('deployments: READY is ready/desired, wide adds containers, images and the selector', () => {
	const t = toTable(
		'deployments',
		[
			deployment,
			{...deployment, metadata: {...deployment.metadata, name: 'empty'}, spec: {template: {spec: {containers: []}}}, status: {}},
		],
		options,
	);
	assert.deepEqual(
		t.columnDefinitions.map((c) => c.name),
		['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector'],
	);
	assert.deepEqual(t.rows[0]!.cells, ['nginx', '3/3', 1, 3, '3h5m', 'nginx,log', 'nginx:1.18,busybox', 'app=nginx']);
	// Unset replicas default to 1 and a missing selector prints as nothing, as for a defaulted object.
	assert.deepEqual(t.rows[1]!.cells.slice(1, 4), ['0/1', 0, 0]);
	assert.equal(t.rows[1]!.cells[7], '');
});

test('replicasets: integer DESIRED/CURRENT/READY and a sorted selector', () => {
	const t = toTable('replicasets', [replicaSet('nginx-6888c79454', '6888c79454', 0, 0, 7200)], options);
	assert.deepEqual(t.rows[0]!.cells, [
		'nginx-6888c79454',
		0,
		0,
		0,
		'120m',
		'nginx,log',
		'nginx:1.18,busybox',
		'app=nginx,pod-template-hash=6888c79454',
	]);
	assert.deepEqual(
		t.columnDefinitions.filter((c) => c.type === 'integer').map((c) => c.name),
		['Desired', 'Current', 'Ready'],
	);
});

test('selectors with expressions print in the label selector syntax, sorted by key', () => {
	const rs = replicaSet('x', 'h', 1, 1, 60);
	rs.spec.selector = {
		matchLabels: {tier: 'web'},
		matchExpressions: [
			{key: 'env', operator: 'In', values: ['prod', 'dev']},
			{key: 'canary', operator: 'DoesNotExist'},
			{key: 'zone', operator: 'Exists'},
			{key: 'app', operator: 'NotIn', values: ['db']},
		],
	};
	assert.equal(toTable('replicasets', [rs], options).rows[0]!.cells[7], 'app notin (db),!canary,env in (dev,prod),tier=web,zone');
	rs.spec.selector = {};
	assert.equal(toTable('replicasets', [rs], options).rows[0]!.cells[7], '<none>');
});

test('services: node ports in PORT(S), <none> and <pending> external IPs, the selector when wide', () => {
	const svc = (name: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject => ({
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {name, namespace: 'default', creationTimestamp: ago(90)},
		spec,
		status,
	});
	const t = toTable(
		'services',
		[
			svc('nginx', {
				type: 'NodePort',
				clusterIP: '10.96.12.34',
				clusterIPs: ['10.96.12.34'],
				selector: {app: 'nginx'},
				ports: [{port: 80, targetPort: 80, nodePort: 30353, protocol: 'TCP'}],
			}),
			svc('kubernetes', {
				type: 'ClusterIP',
				clusterIP: '10.96.0.1',
				clusterIPs: ['10.96.0.1'],
				ports: [{name: 'https', port: 443, targetPort: 6443, protocol: 'TCP'}],
			}),
			svc('lb', {
				type: 'LoadBalancer',
				clusterIPs: ['10.96.1.1'],
				ports: [
					{port: 80, nodePort: 31000, protocol: 'TCP'},
					{port: 53, protocol: 'UDP'},
				],
			}),
			svc(
				'lb2',
				{type: 'LoadBalancer', clusterIPs: ['10.96.1.2'], ports: [{port: 80, protocol: 'TCP'}]},
				{loadBalancer: {ingress: [{ip: '203.0.113.9'}, {hostname: 'a.example'}]}},
			),
			svc('db', {type: 'ExternalName', externalName: 'db.example.com'}),
		],
		options,
	);
	assert.deepEqual(
		t.rows.map((r) => r.cells),
		[
			['nginx', 'NodePort', '10.96.12.34', '<none>', '80:30353/TCP', '90s', 'app=nginx'],
			['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '90s', '<none>'],
			['lb', 'LoadBalancer', '10.96.1.1', '<pending>', '80:31000/TCP,53/UDP', '90s', '<none>'],
			['lb2', 'LoadBalancer', '10.96.1.2', '203.0.113.9,a.example', '80/TCP', '90s', '<none>'],
			['db', 'ExternalName', '<none>', 'db.example.com', '<none>', '90s', '<none>'],
		],
	);
});

test('endpoints: at most three address:port pairs, then "+ N more..."', () => {
	const ep = (name: string, subsets: unknown[]): KubeObject => ({
		apiVersion: 'v1',
		kind: 'Endpoints',
		metadata: {name, creationTimestamp: ago(30)},
		subsets,
	});
	const addresses = (n: number) => Array.from({length: n}, (_, i) => ({ip: `10.244.${i + 1}.5`}));
	const t = toTable(
		'endpoints',
		[
			ep('none', []),
			ep('two', [{addresses: addresses(2), ports: [{port: 80}]}]),
			ep('five', [{addresses: addresses(5), ports: [{port: 80}]}]),
			ep('headless', [{addresses: addresses(1)}]),
		],
		options,
	);
	assert.deepEqual(
		t.rows.map((r) => r.cells[1]),
		['<none>', '10.244.1.5:80,10.244.2.5:80', '10.244.1.5:80,10.244.2.5:80,10.244.3.5:80 + 2 more...', '10.244.1.5'],
	);
});

const node = (name: string, labels: Record<string, string>, ready: string | undefined, unschedulable = false): KubeObject => ({
	apiVersion: 'v1',
	kind: 'Node',
	metadata: {name, labels, creationTimestamp: ago(3 * 86400)},
	spec: unschedulable ? {unschedulable: true} : {},
	status: {
		conditions: ready
			? [
					{type: 'MemoryPressure', status: 'False'},
					{type: 'Ready', status: ready},
				]
			: [],
		addresses: [
			{type: 'InternalIP', address: '127.0.0.1'},
			{type: 'Hostname', address: name},
		],
		nodeInfo: {
			kubeletVersion: 'v1.32.4',
			osImage: 'Ubuntu 24.04 LTS',
			kernelVersion: '6.8.0',
			containerRuntimeVersion: 'containerd://1.7.24',
		},
	},
});

test('nodes: status from the Ready condition, roles from labels, addresses and versions when wide', () => {
	const t = toTable(
		'nodes',
		[
			node('node1', {'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': 'node1'}, 'True'),
			node('node2', {'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/infra': ''}, 'False', true),
			node('node3', {}, undefined),
		],
		options,
	);
	assert.deepEqual(
		t.rows.map((r) => r.cells),
		[
			['node1', 'Ready', 'control-plane', '3d', 'v1.32.4', '127.0.0.1', '<none>', 'Ubuntu 24.04 LTS', '6.8.0', 'containerd://1.7.24'],
			[
				'node2',
				'NotReady,SchedulingDisabled',
				'infra,worker',
				'3d',
				'v1.32.4',
				'127.0.0.1',
				'<none>',
				'Ubuntu 24.04 LTS',
				'6.8.0',
				'containerd://1.7.24',
			],
			['node3', 'Unknown', '<none>', '3d', 'v1.32.4', '127.0.0.1', '<none>', 'Ubuntu 24.04 LTS', '6.8.0', 'containerd://1.7.24'],
		],
	);
});

test('namespaces: NAME, STATUS, AGE', () => {
	const t = toTable(
		'namespaces',
		[{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'default', creationTimestamp: ago(86400 * 40)}, status: {phase: 'Active'}}],
		options,
	);
	assert.deepEqual(
		t.columnDefinitions.map((c) => c.name),
		['Name', 'Status', 'Age'],
	);
	assert.deepEqual(t.rows[0]!.cells, ['default', 'Active', '40d']);
});

const event = (name: string, fields: Record<string, unknown>): KubeObject => ({
	apiVersion: 'v1',
	kind: 'Event',
	metadata: {name, namespace: 'default', creationTimestamp: ago(200)},
	type: 'Normal',
	...fields,
});

test('events: LAST SEEN from lastTimestamp (or first, or eventTime), lower-case kind/name, count at least 1', () => {
	const t = toTable(
		'events',
		[
			event('nginx.1', {
				reason: 'ScalingReplicaSet',
				message: 'Scaled up replica set nginx-6888c79454 to 3 ',
				involvedObject: {kind: 'Deployment', name: 'nginx'},
				source: {component: 'deployment-controller'},
				firstTimestamp: ago(300),
				lastTimestamp: ago(40),
				count: 2,
			}),
			event('p.2', {
				type: 'Warning',
				reason: 'BackOff',
				message: 'Back-off restarting failed container',
				involvedObject: {kind: 'Pod', name: 'p', fieldPath: 'spec.containers{app}'},
				source: {component: 'kubelet', host: 'node2'},
				firstTimestamp: ago(100),
			}),
			event('p.3', {
				reason: 'Scheduled',
				message: 'Successfully assigned default/p to node2',
				involvedObject: {kind: 'Pod', name: 'p'},
				eventTime: '2025-03-01T11:59:30.000000Z',
				reportingComponent: 'default-scheduler',
				reportingInstance: 'default-scheduler-node1',
			}),
			event('x.4', {
				reason: 'Odd',
				message: 'no kind name',
				involvedObject: {kind: 'Node'},
				series: {count: 7, lastObservedTime: '2025-03-01T11:59:50.000000Z'},
				firstTimestamp: ago(3600),
			}),
		],
		options,
	);
	assert.deepEqual(
		t.columnDefinitions.map((c) => `${c.name}:${c.priority}`),
		['Last Seen:0', 'Type:0', 'Reason:0', 'Object:0', 'Subobject:1', 'Source:1', 'Message:0', 'First Seen:1', 'Count:1', 'Name:1'],
	);
	assert.deepEqual(
		t.rows.map((r) => r.cells),
		[
			[
				'40s',
				'Normal',
				'ScalingReplicaSet',
				'deployment/nginx',
				'',
				'deployment-controller',
				'Scaled up replica set nginx-6888c79454 to 3',
				'5m',
				2,
				'nginx.1',
			],
			[
				'100s',
				'Warning',
				'BackOff',
				'pod/p',
				'spec.containers{app}',
				'kubelet, node2',
				'Back-off restarting failed container',
				'100s',
				1,
				'p.2',
			],
			[
				'30s',
				'Normal',
				'Scheduled',
				'pod/p',
				'',
				'default-scheduler, default-scheduler-node1',
				'Successfully assigned default/p to node2',
				'30s',
				1,
				'p.3',
			],
			['10s', 'Normal', 'Odd', 'node', '', '', 'no kind name', '60m', 7, 'x.4'],
		],
	);
});

test('rows carry the object, its metadata only, or nothing, as includeObject asks', () => {
	const p = pod({status: {phase: 'Pending'}});
	assert.deepEqual(toTable('pods', [p], {...options, includeObject: 'Object'}).rows[0]!.object, p);
	assert.deepEqual(toTable('pods', [p], {...options, includeObject: 'Metadata'}).rows[0]!.object, {
		kind: 'PartialObjectMetadata',
		apiVersion: 'meta.k8s.io/v1',
		metadata: p.metadata,
	});
	assert.equal(toTable('pods', [p], {...options, includeObject: 'None'}).rows[0]!.object, null);
	const t = toTable('pods', [], {...options, listMeta: {resourceVersion: '7', continue: 'abc'}, noHeaders: true});
	assert.deepEqual(t, {
		kind: 'Table',
		apiVersion: 'meta.k8s.io/v1',
		metadata: {resourceVersion: '7', continue: 'abc'},
		columnDefinitions: [],
		rows: [],
	});
});

test('a resource without a printer gets the server default NAME and CREATED AT', () => {
	const t = toTable('configmaps', [{apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c', creationTimestamp: ago(5)}}], options);
	assert.deepEqual(
		t.columnDefinitions.map((c) => c.name),
		['Name', 'Created At'],
	);
	assert.deepEqual(t.rows[0]!.cells, ['c', '2025-03-01T11:59:55Z']);
});

// ---- what real kubectl prints from these Tables ----

describe('kubectl prints our Tables', () => {
	let server: CaptureServer;
	const podObject = (
		name: string,
		node: string,
		ip: string,
		status: Record<string, unknown>,
		hash = '6888c79454',
	): [string, KubeObject] => [
		'pods',
		{
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {name, namespace: 'default', creationTimestamp: ago(330), labels: {app: 'nginx', 'pod-template-hash': hash}},
			spec: {nodeName: node, containers: [{name: 'nginx', image: 'nginx:1.18'}]},
			status: {podIPs: [{ip}], ...status},
		},
	];
	before(async () => {
		server = await startCaptureServer({
			now: () => now,
			objects: [
				podObject('nginx-6888c79454-4xkqz', 'node2', '10.244.2.5', {
					phase: 'Running',
					conditions: [readyCondition],
					containerStatuses: [running('nginx')],
				}),
				podObject('nginx-6888c79454-d8vnb', 'node3', '10.244.3.4', {
					phase: 'Running',
					containerStatuses: [
						{
							...waiting('CrashLoopBackOff', 'nginx'),
							restartCount: 3,
							lastState: {terminated: {exitCode: 1, reason: 'Error', finishedAt: ago(42)}},
						},
					],
				}),
				podObject(
					'nginx-7c5ddbdf54-zq2lp',
					'node4',
					'10.244.4.9',
					{phase: 'Pending', containerStatuses: [waiting('ContainerCreating', 'nginx')]},
					'7c5ddbdf54',
				),
				['replicasets', replicaSet('nginx-6888c79454', '6888c79454', 2, 1, 330)],
				['replicasets', replicaSet('nginx-7c5ddbdf54', '7c5ddbdf54', 1, 0, 20)],
				[
					'deployments',
					{
						...deployment,
						metadata: {...deployment.metadata, creationTimestamp: ago(330)},
						status: {replicas: 3, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1},
					},
				],
				[
					'events',
					event('nginx.1', {
						reason: 'ScalingReplicaSet',
						message: 'Scaled up replica set nginx-7c5ddbdf54 to 1',
						involvedObject: {kind: 'Deployment', name: 'nginx', namespace: 'default'},
						source: {component: 'deployment-controller'},
						firstTimestamp: ago(20),
						lastTimestamp: ago(20),
						count: 1,
					}),
				],
				[
					'events',
					event('nginx-6888c79454-d8vnb.2', {
						type: 'Warning',
						reason: 'BackOff',
						message: 'Back-off restarting failed container nginx in pod nginx-6888c79454-d8vnb_default(uid)',
						involvedObject: {kind: 'Pod', name: 'nginx-6888c79454-d8vnb', namespace: 'default', fieldPath: 'spec.containers{nginx}'},
						source: {component: 'kubelet', host: 'node3'},
						firstTimestamp: ago(200),
						lastTimestamp: ago(12),
						count: 9,
					}),
				],
			],
		});
	});
	after(() => server.close());

	const get = async (args: string[], binary = kubectl132) => {
		const result = await server.kubectl(['get', ...args], {binary});
		assert.equal(result.code, 0, result.stderr);
		return result.stdout;
	};
	const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

	test('kubectl get pods', async () => {
		assert.equal(
			await get(['pods']),
			lines(
				'NAME                     READY   STATUS              RESTARTS      AGE',
				'nginx-6888c79454-4xkqz   1/1     Running             0             5m30s',
				'nginx-6888c79454-d8vnb   0/1     CrashLoopBackOff    3 (42s ago)   5m30s',
				'nginx-7c5ddbdf54-zq2lp   0/1     ContainerCreating   0             5m30s',
			),
		);
	});

	test('kubectl get pods -o wide (1.32 and the JSON-speaking 1.28)', async () => {
		const expected = lines(
			'NAME                     READY   STATUS              RESTARTS      AGE     IP           NODE    NOMINATED NODE   READINESS GATES',
			'nginx-6888c79454-4xkqz   1/1     Running             0             5m30s   10.244.2.5   node2   <none>           <none>',
			'nginx-6888c79454-d8vnb   0/1     CrashLoopBackOff    3 (42s ago)   5m30s   10.244.3.4   node3   <none>           <none>',
			'nginx-7c5ddbdf54-zq2lp   0/1     ContainerCreating   0             5m30s   10.244.4.9   node4   <none>           <none>',
		);
		assert.equal(await get(['pods', '-o', 'wide']), expected);
		assert.equal(await get(['pods', '-o', 'wide'], kubectlVersion(28)), expected);
	});

	test('kubectl get rs -o wide', async () => {
		assert.equal(
			await get(['rs', '-o', 'wide']),
			lines(
				'NAME               DESIRED   CURRENT   READY   AGE     CONTAINERS   IMAGES               SELECTOR',
				'nginx-6888c79454   2         2         1       5m30s   nginx,log    nginx:1.18,busybox   app=nginx,pod-template-hash=6888c79454',
				'nginx-7c5ddbdf54   1         1         0       20s     nginx,log    nginx:1.18,busybox   app=nginx,pod-template-hash=7c5ddbdf54',
			),
		);
	});

	test('kubectl get deploy -o wide', async () => {
		assert.equal(
			await get(['deploy', '-o', 'wide']),
			lines(
				'NAME    READY   UP-TO-DATE   AVAILABLE   AGE     CONTAINERS   IMAGES               SELECTOR',
				'nginx   1/3     1            1           5m30s   nginx,log    nginx:1.18,busybox   app=nginx',
			),
		);
	});

	test('kubectl get events, and -o wide', async () => {
		assert.equal(
			await get(['events']),
			lines(
				'LAST SEEN   TYPE      REASON              OBJECT                       MESSAGE',
				'20s         Normal    ScalingReplicaSet   deployment/nginx             Scaled up replica set nginx-7c5ddbdf54 to 1',
				'12s         Warning   BackOff             pod/nginx-6888c79454-d8vnb   Back-off restarting failed container nginx in pod nginx-6888c79454-d8vnb_default(uid)',
			),
		);
		const wide = (await get(['events', '-o', 'wide'])).split('\n');
		assert.match(wide[0]!, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME$/);
		assert.match(
			wide[2]!,
			/^12s\s+Warning\s+BackOff\s+pod\/nginx-6888c79454-d8vnb\s+spec\.containers\{nginx\}\s+kubelet, node3\s+Back-off .*\(uid\)\s+3m20s\s+9\s+nginx-6888c79454-d8vnb\.2$/,
		);
	});

	test('kubectl get pod <name> (a single GET) and --show-labels use the row metadata', async () => {
		assert.equal(
			await get(['pod', 'nginx-7c5ddbdf54-zq2lp', '--show-labels']),
			lines(
				'NAME                     READY   STATUS              RESTARTS   AGE     LABELS',
				'nginx-7c5ddbdf54-zq2lp   0/1     ContainerCreating   0          5m30s   app=nginx,pod-template-hash=7c5ddbdf54',
			),
		);
	});
});

test('kubectl get pods -w prints a row for each watch event whose object is a one-row Table', async () => {
	const p = pod({status: {phase: 'Pending', containerStatuses: [waiting('ContainerCreating')]}});
	p.metadata.resourceVersion = '5';
	const next = structuredClone(p);
	next.metadata.resourceVersion = '6';
	next.status = {phase: 'Running', conditions: [readyCondition], containerStatuses: [running()]};
	const server = await startCaptureServer({
		now: () => now,
		objects: [['pods', p]],
		// One MODIFIED event (without headers, as after the first event of a stream), then the stream ends.
		handle: (r) =>
			r.query.get('watch') === 'true'
				? {
						status: 200,
						body: Buffer.from(
							`${JSON.stringify({type: 'MODIFIED', object: toTable('pods', [next], {...options, includeObject: 'Metadata', noHeaders: true})})}\n`,
						),
					}
				: undefined,
	});
	try {
		const result = await server.kubectl(['get', 'pods', '-w', '--request-timeout=5s']);
		assert.equal(result.code, 0, result.stderr);
		assert.equal(
			result.stdout,
			[
				'NAME   READY   STATUS              RESTARTS   AGE',
				'p      0/1     ContainerCreating   0          10m',
				'p      1/1     Running             0          10m',
				'',
			].join('\n'),
		);
	} finally {
		await server.close();
	}
});
