// The model against the real kubectl (1.32 and 1.31; every release from 1.27 with KUBECTL_VERSIONS=all): the same objects are served by the embedded cluster's API server
// (over a bare store: no controller changes them), and kubectl's output, and the PATCH it sends (read from its
// -v=9 log), must equal what model/ computes on the objects as served.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {basename, join} from 'node:path';
import {ScaledClock} from '../../source/sim/clock.js';
import {startApiServer, type ApiServer} from '../../source/sim/server.js';
import {Store} from '../../source/sim/store.js';
import type {KubeObject} from '../../source/sim/object.js';
import {kubectl, kubectlOf, kubectlVersions} from '../helpers/kubectl.js';
import {revisionDetails, revisionHistory} from '../../source/model/history.js';
import {undoPlan} from '../../source/model/undo.js';
import {rolloutStatus} from '../../source/model/rollout-status.js';
import type {Deployment, KubeEvent, PodTemplateSpec, ReplicaSet} from '../../source/model/types.js';
import {semanticEqual} from '../../source/model/util.js';
import {collapseEvents} from '../../source/model/events.js';
import {eventLine} from '../../source/screen/events.js';
import {deployment, deploymentUid, replicaSet} from '../helpers/objects.js';
import {within} from '../helpers/wait.js';

// The newest installed kubectl judges the template description, whose wording the model follows (1.33: projected
// sources' Optional; 1.34's port names are checked against its source, see below).
const KUBECTL_133 = kubectlOf(33);
let store: Store;
let clock: ScaledClock;
let server: ApiServer;
let dir: string;
let kubeconfig: string;
// The store's clock: objects are created at the creationTimestamp their fixture gives them.
let now = Date.now();

before(async () => {
	for (const k of kubectlVersions) assert.ok(existsSync(k.bin), `${k.bin} is needed to compare the model with ${k.name}`);
	assert.ok(existsSync(KUBECTL_133), `${KUBECTL_133} is needed to compare the template description with kubectl 1.33`);
	store = new Store({now: () => now});
	store.create('namespaces', {
		apiVersion: 'v1',
		kind: 'Namespace',
		metadata: {name: 'default'},
		spec: {},
		status: {phase: 'Active'},
	} as KubeObject);
	clock = new ScaledClock(1);
	server = await within(startApiServer({store, clock}), 10_000, 'the API server to listen');
	dir = mkdtempSync(join(tmpdir(), 'kubectl-compare-'));
	kubeconfig = join(dir, 'kubeconfig');
	writeFileSync(kubeconfig, server.kubeconfig(), {mode: 0o600});
});
after(async () => {
	await within(server.close(), 10_000, 'the API server to close');
	clock.stop();
	rmSync(dir, {recursive: true, force: true});
});

type Run = {code: number; stdout: string; stderr: string; bodies: unknown[]};

// kubectl with -v=9: its own stderr without the log lines, and the bodies it sent (JSON), in order.
async function run(bin: string, args: string[]): Promise<Run> {
	// A cache per binary: releases write their discovery caches differently.
	const r = await kubectl(bin, kubeconfig, ['--cache-dir', join(dir, 'cache', basename(bin)), '-v=9', ...args], 30_000);
	const lines = r.stderr.split('\n');
	const log = /^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ [\w.-]+:\d+\] /;
	// 1.32 on logs structured (`"Request Body" body="<quoted JSON>"`); 1.31 and older plainly (`Request Body: <JSON>`).
	const bodies = lines
		.map((l) => {
			const structured = /\] "Request Body" body="(.+)"$/.exec(l)?.[1];
			if (structured !== undefined) return JSON.parse(`"${structured}"`) as string;
			return /\] Request Body: (.+)$/.exec(l)?.[1];
		})
		.filter((b): b is string => b !== undefined)
		.map((b) => JSON.parse(b) as unknown);
	return {code: r.code, stdout: r.stdout, stderr: lines.filter((l) => !log.test(l) && !/^\s/.test(l)).join('\n'), bodies};
}

const ms = (t: string | null | undefined) => (t ? Date.parse(t) : Date.now());

// Replaces what the server holds with these objects (created at their creationTimestamp, status as given, the
// ReplicaSets owned by the served deployment's uid) and returns them as served.
function serve(dep: Deployment, rss: ReplicaSet[]): {dep: Deployment; rss: ReplicaSet[]} {
	for (const resource of ['deployments', 'replicasets'])
		for (const o of store.list(resource, 'default').items) store.delete(resource, 'default', o.metadata.name!);
	now = ms(dep.metadata?.creationTimestamp);
	const created = store.create('deployments', {apiVersion: 'apps/v1', kind: 'Deployment', ...dep} as KubeObject);
	store.update('deployments', {...created, status: dep.status} as KubeObject, {subresource: 'status'});
	for (const rs of rss) {
		now = ms(rs.metadata?.creationTimestamp);
		const owners = (rs.metadata?.ownerReferences ?? []).map((o) => (o.uid === deploymentUid() ? {...o, uid: created.metadata.uid} : o));
		const made = store.create('replicasets', {
			apiVersion: 'apps/v1',
			kind: 'ReplicaSet',
			...rs,
			metadata: {...rs.metadata, ownerReferences: owners},
		} as KubeObject);
		store.update('replicasets', {...made, status: rs.status} as KubeObject, {subresource: 'status'});
	}
	now = Date.now();
	const served = (o: KubeObject) => structuredClone(o) as unknown;
	return {
		dep: served(store.get('deployments', 'default', dep.metadata?.name ?? '')!) as Deployment,
		rss: store.list('replicasets', 'default').items.map(served) as ReplicaSet[],
	};
}

// A template using most of what DescribePodTemplate prints.
const rich: PodTemplateSpec = {
	metadata: {
		labels: {app: 'nginx', 'pod-template-hash': 'aaaaaaaaa1', tier: 'web'},
		annotations: {
			'kubectl.kubernetes.io/restartedAt': '2025-06-01T11:00:00Z',
			'example.com/long': 'y'.repeat(150),
			'example.com/multi': 'a\nb',
		},
	},
	spec: {
		serviceAccountName: 'web',
		initContainers: [{name: 'init', image: 'busybox:1.36', command: ['sh', '-c', 'echo hi'], resources: {}}],
		containers: [
			{
				name: 'nginx',
				image: 'nginx:1.27',
				args: ['-g', 'daemon off;'],
				ports: [
					{containerPort: 80, protocol: 'TCP'},
					{containerPort: 443, hostPort: 8443, protocol: 'TCP'},
				],
				resources: {limits: {cpu: '500m', memory: '128Mi'}, requests: {cpu: '250m', memory: '64Mi'}},
				livenessProbe: {
					httpGet: {path: '/healthz', port: 80, scheme: 'HTTP'},
					initialDelaySeconds: 3,
					timeoutSeconds: 1,
					periodSeconds: 10,
					successThreshold: 1,
					failureThreshold: 3,
				},
				readinessProbe: {tcpSocket: {port: 80}, timeoutSeconds: 2, periodSeconds: 5, successThreshold: 1, failureThreshold: 3},
				startupProbe: {
					exec: {command: ['cat', '/tmp/started']},
					timeoutSeconds: 1,
					periodSeconds: 1,
					successThreshold: 1,
					failureThreshold: 30,
				},
				lifecycle: {preStop: {sleep: {seconds: 5}}},
				envFrom: [{configMapRef: {name: 'web-config'}}, {prefix: 'S_', secretRef: {name: 'web-secret', optional: true}}],
				env: [
					{name: 'PLAIN', value: 'two\nlines'},
					{name: 'FROM_SECRET', valueFrom: {secretKeyRef: {name: 'db', key: 'password', optional: false}}},
					{name: 'FROM_CM', valueFrom: {configMapKeyRef: {name: 'cfg', key: 'level'}}},
					{name: 'POD_IP', valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath: 'status.podIP'}}},
					{name: 'MEM', valueFrom: {resourceFieldRef: {containerName: 'nginx', resource: 'limits.memory', divisor: '1Mi'}}},
					{
						name: 'CPU_LIMIT_ON_INIT_LESS',
						valueFrom: {resourceFieldRef: {containerName: 'nginx', resource: 'requests.cpu', divisor: '1m'}},
					},
				],
				volumeMounts: [
					{name: 'html', mountPath: '/usr/share/nginx/html', readOnly: true},
					{name: 'cache', mountPath: '/var/cache/nginx'},
					{name: 'conf', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf'},
				],
			},
		],
		volumes: [
			{name: 'html', configMap: {name: 'html', optional: true}},
			{name: 'cache', emptyDir: {medium: 'Memory', sizeLimit: '64Mi'}},
			{name: 'conf', secret: {secretName: 'conf'}},
			{name: 'host', hostPath: {path: '/var/log', type: 'Directory'}},
			{name: 'data', persistentVolumeClaim: {claimName: 'data', readOnly: true}},
			{name: 'share', nfs: {server: 'nfs.example.com', path: '/exports'}},
			{
				name: 'info',
				downwardAPI: {
					items: [
						{path: 'labels', fieldRef: {fieldPath: 'metadata.labels'}},
						{path: 'mem', resourceFieldRef: {containerName: 'nginx', resource: 'limits.memory', divisor: '1Mi'}},
					],
				},
			},
			{
				name: 'token',
				projected: {
					sources: [
						{serviceAccountToken: {expirationSeconds: 3607, path: 'token'}},
						{configMap: {name: 'kube-root-ca.crt'}},
						{downwardAPI: {}},
						{secret: {name: 'extra', optional: true}},
					],
				},
			},
		],
		topologySpreadConstraints: [
			{
				maxSkew: 1,
				topologyKey: 'topology.kubernetes.io/zone',
				whenUnsatisfiable: 'ScheduleAnyway',
				labelSelector: {matchLabels: {app: 'nginx'}},
			},
			{
				maxSkew: 2,
				topologyKey: 'kubernetes.io/hostname',
				whenUnsatisfiable: 'DoNotSchedule',
				labelSelector: {matchExpressions: [{key: 'tier', operator: 'In', values: ['web', 'api']}]},
			},
		],
		priorityClassName: 'high-priority',
		nodeSelector: {'kubernetes.io/os': 'linux', disktype: 'ssd'},
		tolerations: [
			{operator: 'Exists'},
			{key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule'},
			{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
		],
	},
};

function scenario(o: {paused?: boolean} = {}): [Deployment, ReplicaSet[]] {
	const dep = deployment({
		image: 'nginx:1.29',
		revision: 4,
		paused: o.paused,
		annotations: {
			'kubernetes.io/change-cause': 'set image 1.29',
			'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
			'team.example.com/owner': 'web',
		},
	});
	const richRS = replicaSet({hash: 'aaaaaaaaa1', revision: 1, changeCause: 'initial\nrelease', createdAgo: 4000});
	richRS.spec!.template = rich;
	const rss = [
		replicaSet({
			hash: 'aaaaaaaaa4',
			revision: 4,
			image: 'nginx:1.29',
			replicas: 3,
			changeCause: 'set image 1.29',
			createdAgo: 100,
			annotations: {'team.example.com/owner': 'web'},
		}),
		richRS,
		replicaSet({
			hash: 'aaaaaaaaa3',
			revision: 3,
			image: 'nginx:1.28',
			createdAgo: 1000,
			annotations: {'deployment.kubernetes.io/revision-history': '2'},
		}),
		replicaSet({hash: 'bbbbbbbbbb', revision: 9, image: 'nginx:1.30', ownerUid: 'someone-else'}),
	];
	return [dep, rss];
}

for (const k of kubectlVersions) {
	test(`${k.name}: kubectl rollout history lists the model's revisions and change-causes, in its order`, async () => {
		const {dep, rss} = serve(...scenario());
		const r = await run(k.bin, ['rollout', 'history', 'deployment/nginx']);
		assert.equal(r.stderr, '');
		const [title, header, ...rows] = r.stdout.trimEnd().split('\n');
		assert.deepEqual([title, header.trimEnd()], ['deployment.apps/nginx ', 'REVISION  CHANGE-CAUSE']);
		// A line starting with a number starts a revision; others carry on a multi-line change-cause.
		const listed: [number, string][] = [];
		for (const line of rows) {
			const m = /^(\d+)\s+(.*)$/.exec(line);
			if (m) listed.push([Number(m[1]), m[2]]);
			else listed[listed.length - 1][1] += `\n${line}`;
		}
		assert.deepEqual(
			listed,
			revisionHistory(dep, rss).map((row) => [row.revision, row.changeCause]),
		);
	});
}

for (const revision of [1, 3, 4]) {
	test(`kubectl 1.33 rollout history --revision=${revision} prints the model's template description`, async () => {
		const {dep, rss} = serve(...scenario());
		const r = await run(KUBECTL_133, ['rollout', 'history', 'deployment/nginx', `--revision=${revision}`]);
		const mine = revisionDetails(dep, rss, revision);
		assert.ok(mine.ok);
		assert.equal(r.stderr, '');
		assert.equal(r.stdout, `deployment.apps/nginx with revision #${revision}\n${mine.text}\n`);
	});
}

test('named ports: kubectl 1.33 prints the same template but for the names, which 1.34 adds as "8080/TCP (web)"', async () => {
	const [given, rss] = scenario();
	const withNames = structuredClone(rss);
	withNames[0]!.spec!.template!.spec!.containers![0]!.ports = [
		{containerPort: 8080, protocol: 'TCP', name: 'web'},
		{containerPort: 9090, hostPort: 9090, protocol: 'TCP', name: 'metrics'},
		{containerPort: 53, protocol: 'UDP'},
	];
	const {dep, rss: named} = serve(given, withNames);
	const r = await run(KUBECTL_133, ['rollout', 'history', 'deployment/nginx', '--revision=4']);
	assert.equal(r.stderr, '');
	const mine = revisionDetails(dep, named, 4);
	assert.ok(mine.ok);
	// describeContainerPorts/describeContainerHostPorts in kubectl 1.34 append " (name)" to a named port: that is
	// the only difference from 1.33's text.
	const kubectl133 = r.stdout.split('\n');
	const ours = `deployment.apps/nginx with revision #4\n${mine.text}\n`.split('\n');
	assert.deepEqual(
		ours.filter((l, i) => l !== kubectl133[i]),
		['    Ports:\t8080/TCP (web), 9090/TCP (metrics), 53/UDP', '    Host Ports:\t0/TCP (web), 9090/TCP (metrics), 0/UDP'],
	);
	assert.deepEqual(
		kubectl133.filter((l, i) => l !== ours[i]),
		['    Ports:\t8080/TCP, 9090/TCP, 53/UDP', '    Host Ports:\t0/TCP, 9090/TCP, 0/UDP'],
	);
});

for (const k of kubectlVersions) {
	test(`${k.name}: kubectl rollout history --revision of a missing revision fails with the model's message`, async () => {
		const {dep, rss} = serve(...scenario());
		const r = await run(k.bin, ['rollout', 'history', 'deployment/nginx', '--revision=2']);
		const mine = revisionDetails(dep, rss, 2);
		assert.ok(!mine.ok);
		assert.equal(r.code, 1);
		assert.equal(r.stderr, `error: ${mine.error}\n`);
	});
}

const undoCases: {name: string; to?: number; paused?: boolean}[] = [
	{name: 'previous revision', to: undefined},
	{name: '--to-revision=1 (rich template, multi-line change-cause)', to: 1},
	{name: '--to-revision=3', to: 3},
	{name: '--to-revision=4 (already running)', to: 4},
	{name: '--to-revision=7 (unknown)', to: 7},
	{name: 'paused', to: 3, paused: true},
	{name: 'paused and unknown revision', to: 8, paused: true},
];

for (const k of kubectlVersions) {
	for (const c of undoCases) {
		test(`${k.name}: rollout undo, ${c.name}: same outcome and same PATCH as undoPlan`, async () => {
			const {dep, rss} = serve(...scenario({paused: c.paused}));
			const r = await run(k.bin, ['rollout', 'undo', 'deployment/nginx', ...(c.to === undefined ? [] : [`--to-revision=${c.to}`])]);
			const plan = undoPlan(dep, rss, c.to ?? 0);
			switch (plan.kind) {
				case 'error':
					assert.equal(r.code, 1);
					assert.equal(r.stderr, `error: ${plan.message}\n`);
					assert.deepEqual(r.bodies, []);
					break;
				case 'skip':
					assert.equal(r.code, 0, r.stderr);
					assert.equal(r.stdout, `deployment.apps/nginx ${plan.message}\n`);
					assert.deepEqual(r.bodies, []);
					break;
				case 'patch': {
					assert.equal(r.code, 0, r.stderr);
					assert.equal(r.stdout, `deployment.apps/nginx ${plan.message}\n`);
					assert.equal(r.bodies.length, 1);
					// kubectl re-encodes the template through Go structs (omitting empty fields, adding
					// creationTimestamp: null), so compare the way the API server would: semantically.
					const sent = r.bodies[0] as {op: string; path: string; value: unknown}[];
					assert.deepEqual(
						sent.map((op) => [op.op, op.path]),
						plan.patch.map((op) => [op.op, op.path]),
					);
					const expected = JSON.parse(JSON.stringify(plan.patch[0].value));
					// kubectl re-encodes through its own Go types, so a release older than a field drops it: 1.27 and 1.28
					// predate the preStop sleep action (1.29), and send the template without it.
					if (k.minor < 29) for (const c of expected.spec.containers) delete c.lifecycle?.preStop?.sleep;
					assert.ok(semanticEqual(sent[0].value, expected), JSON.stringify(sent[0].value));
					// Annotations are a plain map: they must match exactly.
					assert.deepEqual(sent[1].value, plan.patch[1].value);
					break;
				}
			}
		});
	}
}

for (const k of kubectlVersions) {
	test(`${k.name}: kubectl rollout undo with a single revision: no rollout history found`, async () => {
		const dep = deployment({image: 'nginx:1.27', revision: 1});
		const served = serve(dep, [replicaSet({hash: 'aaaaaaaaa1', revision: 1, image: 'nginx:1.27', replicas: 3})]);
		const r = await run(k.bin, ['rollout', 'undo', 'deployment/nginx']);
		const plan = undoPlan(served.dep, served.rss);
		assert.equal(plan.kind, 'error');
		assert.equal(r.stderr, `error: ${plan.kind === 'error' ? plan.message : ''}\n`);
	});
}

const statusCases: {name: string; tweak: (d: Deployment) => void; revision?: number}[] = [
	{name: 'rolled out', tweak: () => {}},
	{name: 'new replicas being created', tweak: (d) => Object.assign(d.status!, {updatedReplicas: 1, replicas: 4, availableReplicas: 3})},
	{
		name: 'old replicas pending termination',
		tweak: (d) => Object.assign(d.status!, {updatedReplicas: 3, replicas: 5, availableReplicas: 2}),
	},
	{name: 'updated replicas not available', tweak: (d) => Object.assign(d.status!, {updatedReplicas: 3, replicas: 3, availableReplicas: 1})},
	// The server numbers generations itself (from 1): an older observedGeneration is what a controller lagging behind leaves.
	{name: 'spec update not observed', tweak: (d) => Object.assign(d.status!, {observedGeneration: 0})},
	{
		name: 'progress deadline exceeded',
		tweak: (d) =>
			Object.assign(d.status!, {
				updatedReplicas: 1,
				conditions: [{type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded'}],
			}),
	},
	{name: '--revision mismatch', tweak: () => {}, revision: 3},
	{name: '--revision match', tweak: () => {}, revision: 4},
];

for (const k of kubectlVersions) {
	for (const c of statusCases) {
		test(`${k.name}: rollout status --watch=false, ${c.name}: same words as rolloutStatus`, async () => {
			const [given, replicaSets] = scenario();
			c.tweak(given);
			const {dep} = serve(given, replicaSets);
			const r = await run(k.bin, [
				'rollout',
				'status',
				'deployment/nginx',
				'--watch=false',
				...(c.revision ? [`--revision=${c.revision}`] : []),
			]);
			const mine = rolloutStatus(dep, c.revision ?? 0);
			if (mine.error !== undefined) {
				assert.equal(r.code, 1);
				assert.equal(r.stderr, `error: ${mine.error}\n`);
			} else {
				assert.equal(r.code, 0, r.stderr);
				assert.equal(r.stdout, mine.message);
			}
		});
	}
}

for (const k of kubectlVersions) {
	test(`${k.name}: kubectl events lists the same rows, order and LAST SEEN text as the events pane`, async () => {
		// Ages sit mid-bucket ("10m", "20m", "3h", "5d") so the few ms between our clock and kubectl's do not matter.
		const now = Date.now();
		const seconds = (s: number) => new Date(now - s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
		const micro = (s: number) => new Date(now - s * 1000).toISOString().replace('Z', '000Z');
		const events: KubeEvent[] = [
			{
				metadata: {name: 'nginx-5488545dcf-q8v2n.17d1', namespace: 'default'},
				involvedObject: {kind: 'Pod', name: 'nginx-5488545dcf-q8v2n', namespace: 'default'},
				reason: 'BackOff',
				message: 'Back-off pulling image "nginx:1.277"',
				type: 'Normal',
				count: 4,
				firstTimestamp: seconds(5 * 86400 + 1800),
				lastTimestamp: seconds(630),
				source: {component: 'kubelet', host: 'node-1'},
			},
			{
				metadata: {name: 'nginx.17d2', namespace: 'default'},
				involvedObject: {kind: 'Deployment', name: 'nginx', namespace: 'default'},
				reason: 'ScalingReplicaSet',
				message: 'Scaled up replica set nginx-5488545dcf to 1 from 0',
				type: 'Normal',
				eventTime: micro(3 * 3600 + 30),
				reportingComponent: 'deployment-controller',
			},
			{
				metadata: {name: 'nginx-5488545dcf-q8v2n.17d3', namespace: 'default'},
				involvedObject: {kind: 'Pod', name: 'nginx-5488545dcf-q8v2n', namespace: 'default'},
				reason: 'Failed',
				message: '  Error: ImagePullBackOff  ',
				type: 'Warning',
				eventTime: micro(5 * 86400 + 1800),
				series: {count: 12, lastObservedTime: micro(1230)},
				reportingComponent: 'kubelet',
			},
		];
		for (const e of store.list('events', 'default').items) store.delete('events', 'default', e.metadata.name!);
		for (const e of events) store.create('events', {apiVersion: 'v1', kind: 'Event', ...e} as KubeObject);
		const r = await run(k.bin, ['events']);
		assert.equal(r.stderr, '');
		// kubectl events writes through a tabwriter with 3 spaces of padding: columns are split at runs of 3 or more.
		const [header, ...lines] = r.stdout.trimEnd().split('\n');
		assert.deepEqual(header.split(/ {3,}/), ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
		// What the events pane shows for the same events: LAST SEEN, TYPE, REASON, OBJECT (lower-cased kind) and MESSAGE.
		const shown = collapseEvents(events).map((row) => eventLine(row, now));
		assert.deepEqual(
			lines
				.map((l) => l.split(/ {3,}/))
				.map(([lastSeen, type, reason, object, message]) => [lastSeen, type, reason, object.toLowerCase(), message]),
			shown.map((e) => [e.lastSeen, e.type, e.reason, e.object, e.message]),
		);
		assert.deepEqual(
			shown.map((e) => e.lastSeen),
			['3h', '20m (x12 over 5d)', '10m (x4 over 5d)'],
		);
	});
}
