import {test} from 'node:test';
import assert from 'node:assert/strict';
import {describeProbe, describeTemplate, expandTabs} from '../../source/model/describe-template.js';
import {revisionDetails, revisionHistory} from '../../source/model/history.js';
import {historyPane} from '../../source/screen/history.js';
import {DEFAULT_THEME} from '../../source/state/ui.js';
import {formatDiff, templateDiff, templateLines} from '../../source/model/template-diff.js';
import {undoPlan} from '../../source/model/undo.js';
import type {PodTemplateSpec} from '../../source/model/types.js';
import {deployment, NOW, replicaSet, template} from '../helpers/objects.js';

const LAST_APPLIED = '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx"}}';
const SET_IMAGE_CAUSE = 'kubectl set image deployment/nginx nginx=nginx:1.29';

// Three revisions, as after: apply v1 (annotated), set image 1.28, set image 1.29 (annotated).
function scenario(o: {paused?: boolean} = {}) {
	const dep = deployment({
		image: 'nginx:1.29',
		revision: 3,
		paused: o.paused,
		annotations: {
			'kubectl.kubernetes.io/last-applied-configuration': LAST_APPLIED,
			'kubernetes.io/change-cause': SET_IMAGE_CAUSE,
			'team.example.com/owner': 'web',
		},
	});
	const rs1 = replicaSet({hash: '7c974c65c6', revision: 1, image: 'nginx:1.27', changeCause: 'v1 initial', createdAgo: 3000});
	const rs2 = replicaSet({hash: '5488545dcf', revision: 2, image: 'nginx:1.28', createdAgo: 2000});
	const rs3 = replicaSet({
		hash: '6f86b7df6b',
		revision: 3,
		image: 'nginx:1.29',
		replicas: 3,
		changeCause: SET_IMAGE_CAUSE,
		createdAgo: 1000,
		annotations: {'team.example.com/owner': 'web'},
	});
	const foreign = replicaSet({hash: '999999999a', revision: 4, image: 'nginx:1.30', ownerUid: 'other-deployment'});
	return {dep, rss: [rs3, foreign, rs1, rs2]};
}

test('revisionHistory lists owned ReplicaSets by revision with change-cause or <none>', () => {
	const {dep, rss} = scenario();
	const rows = revisionHistory(dep, rss);
	assert.deepEqual(
		rows.map((r) => [r.revision, r.changeCause, r.images.join(','), r.replicaSetName, r.replicas, r.current]),
		[
			[1, 'v1 initial', 'nginx:1.27', 'nginx-7c974c65c6', 0, false],
			[2, '<none>', 'nginx:1.28', 'nginx-5488545dcf', 0, false],
			[3, SET_IMAGE_CAUSE, 'nginx:1.29', 'nginx-6f86b7df6b', 3, true],
		],
	);
	assert.equal(rows[0].template.metadata?.labels?.['pod-template-hash'], '7c974c65c6');
});

test('the history pane shows the rows kubectl rollout history lists, REVISION and CHANGE-CAUSE first', () => {
	const {dep, rss} = scenario();
	const pane = historyPane({
		theme: DEFAULT_THEME,
		width: 160,
		height: 10,
		deploymentName: 'nginx',
		rows: revisionHistory(dep, rss),
		selected: 2,
		windowStart: 0,
		now: NOW,
		readonly: false,
	});
	const text = pane.lines.map((l) =>
		l.segments
			.map((x) => x.text)
			.join('')
			.trimEnd(),
	);
	assert.match(text[1], /^ {2}REVISION\s+CHANGE-CAUSE\s+IMAGES\s+AGE\s+REPLICASET\s+PODS$/);
	assert.match(text[2], /^ {2}1\s+v1 initial\s+nginx:1\.27\s+\S+\s+nginx-7c974c65c6\s+0$/);
	assert.match(text[3], /^ {2}2\s+<none>\s+nginx:1\.28\s/);
	assert.match(text[4], new RegExp(`^› 3 \\(current\\)\\s+${SET_IMAGE_CAUSE.replace(/[./]/g, '\\$&')}\\s+nginx:1\\.29`));
	assert.equal(pane.title?.segments[0].text.startsWith('› History deployment/nginx (3 revisions)'), true);
});

test('revisionHistory: malformed revision annotations are skipped, a missing one counts as revision 0', () => {
	const dep = deployment({image: 'nginx:1.28'});
	const rows = revisionHistory(dep, [
		replicaSet({hash: 'aaaaaaaaa1', revision: 'x', image: 'nginx:1.26'}),
		replicaSet({hash: 'aaaaaaaaa2', image: 'nginx:1.27'}),
		replicaSet({hash: 'aaaaaaaaa3', revision: 2, image: 'nginx:1.28'}),
	]);
	assert.deepEqual(
		rows.map((r) => [r.revision, r.replicaSetName]),
		[
			[0, 'nginx-aaaaaaaaa2'],
			[2, 'nginx-aaaaaaaaa3'],
		],
	);
});

test("undoPlan (toRevision 0) restores the previous revision with kubectl's JSON patch", () => {
	const {dep, rss} = scenario();
	const plan = undoPlan(dep, rss);
	assert.equal(plan.kind, 'patch');
	if (plan.kind !== 'patch') return;
	assert.equal(plan.revision, 2);
	assert.equal(plan.replicaSetName, 'nginx-5488545dcf');
	assert.equal(plan.message, 'rolled back');
	const expectedTemplate = template({image: 'nginx:1.28'});
	assert.deepEqual(plan.patch, [
		{op: 'replace', path: '/spec/template', value: expectedTemplate},
		{
			op: 'replace',
			path: '/metadata/annotations',
			// Kept from the Deployment: revision and last-applied. The Deployment's own change-cause and
			// team annotation are dropped because revision 2's ReplicaSet does not carry them.
			value: {
				'deployment.kubernetes.io/revision': '3',
				'kubectl.kubernetes.io/last-applied-configuration': LAST_APPLIED,
			},
		},
	]);
	// The template sent has no pod-template-hash label, and the ReplicaSet itself is untouched.
	assert.equal((plan.patch[0].value as PodTemplateSpec).metadata?.labels?.['pod-template-hash'], undefined);
	assert.equal(rss[3].spec?.template?.metadata?.labels?.['pod-template-hash'], '5488545dcf');
	// Annotation keys come out sorted, as Go's encoding/json writes a map.
	assert.deepEqual(Object.keys(plan.patch[1].value as object), [
		'deployment.kubernetes.io/revision',
		'kubectl.kubernetes.io/last-applied-configuration',
	]);
});

test("undoPlan --to-revision=1 copies the ReplicaSet's change-cause back onto the Deployment", () => {
	const {dep, rss} = scenario();
	const plan = undoPlan(dep, rss, 1);
	assert.equal(plan.kind, 'patch');
	if (plan.kind !== 'patch') return;
	assert.equal(plan.revision, 1);
	assert.deepEqual(plan.patch[1].value, {
		'deployment.kubernetes.io/revision': '3',
		'kubectl.kubernetes.io/last-applied-configuration': LAST_APPLIED,
		'kubernetes.io/change-cause': 'v1 initial',
	});
	assert.equal((plan.patch[0].value as PodTemplateSpec).spec?.containers?.[0].image, 'nginx:1.27');
});

const undoErrors: [string, ReturnType<typeof scenario> & {to?: number}, string][] = [
	['unknown revision', {...scenario(), to: 7}, 'unable to find specified revision 7 in history'],
	['negative revision', {...scenario(), to: -1}, 'unable to find specified revision -1 in history'],
	[
		'paused deployment',
		{...scenario({paused: true}), to: 1},
		"you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
	],
	// kubectl looks the revision up before it checks paused.
	['paused deployment and unknown revision', {...scenario({paused: true}), to: 9}, 'unable to find specified revision 9 in history'],
];

for (const [name, s, message] of undoErrors) {
	test(`undoPlan error: ${name}`, () => {
		assert.deepEqual(undoPlan(s.dep, s.rss, s.to), {kind: 'error', message});
	});
}

test('undoPlan with a single revision: no rollout history found', () => {
	const dep = deployment({image: 'nginx:1.27', revision: 1});
	const only = replicaSet({hash: '7c974c65c6', revision: 1, image: 'nginx:1.27', replicas: 3});
	assert.deepEqual(undoPlan(dep, [only]), {kind: 'error', message: 'no rollout history found for deployment "nginx"'});
	assert.deepEqual(undoPlan(dep, []), {kind: 'error', message: 'no rollout history found for deployment "nginx"'});
	// A ReplicaSet of another Deployment does not count as history.
	const foreign = replicaSet({hash: '5488545dcf', revision: 2, image: 'nginx:1.28', ownerUid: 'x'});
	assert.equal(undoPlan(dep, [only, foreign]).kind, 'error');
});

test("undoPlan to the revision already running is skipped with kubectl's message (revision as asked)", () => {
	const {dep, rss} = scenario();
	assert.deepEqual(undoPlan(dep, rss, 3), {
		kind: 'skip',
		message: 'skipped rollback (current template already matches revision 3)',
		revision: 3,
		replicaSetName: 'nginx-6f86b7df6b',
	});
	// Previous revision with the same template (e.g. only an annotation changed): kubectl says "revision 0".
	const dep2 = deployment({image: 'nginx:1.28', revision: 5});
	const a = replicaSet({hash: 'aaaaaaaaa4', revision: 4, image: 'nginx:1.28', createdAgo: 100});
	const b = replicaSet({hash: 'aaaaaaaaa5', revision: 5, image: 'nginx:1.28', createdAgo: 50});
	assert.deepEqual(undoPlan(dep2, [a, b]), {
		kind: 'skip',
		message: 'skipped rollback (current template already matches revision 0)',
		revision: 4,
		replicaSetName: 'nginx-aaaaaaaaa4',
	});
});

test('undoPlan keeps every skip-listed Deployment annotation and ignores the same keys on the ReplicaSet', () => {
	const dep = deployment({
		image: 'nginx:1.28',
		revision: 6,
		annotations: {
			'deployment.kubernetes.io/revision-history': '1,3',
			'deployment.kubernetes.io/desired-replicas': '3',
			'deployment.kubernetes.io/max-replicas': '4',
			'deprecated.deployment.rollback.to': '2',
		},
	});
	const target = replicaSet({
		hash: 'aaaaaaaaa2',
		revision: 2,
		image: 'nginx:1.27',
		annotations: {
			'deployment.kubernetes.io/revision-history': '9',
			'kubectl.kubernetes.io/last-applied-configuration': '{}',
			'note/x': 'y',
		},
	});
	const current = replicaSet({hash: 'aaaaaaaaa6', revision: 6, image: 'nginx:1.28'});
	const plan = undoPlan(dep, [target, current], 2);
	assert.equal(plan.kind, 'patch');
	if (plan.kind !== 'patch') return;
	assert.deepEqual(plan.patch[1].value, {
		'deployment.kubernetes.io/desired-replicas': '3',
		'deployment.kubernetes.io/max-replicas': '4',
		'deployment.kubernetes.io/revision': '6',
		'deployment.kubernetes.io/revision-history': '1,3',
		'deprecated.deployment.rollback.to': '2',
		'note/x': 'y',
	});
});

test('revisionDetails prints the revision like kubectl rollout history --revision=N (raw tabs)', () => {
	const {dep, rss} = scenario();
	const d = revisionDetails(dep, rss, 1);
	assert.deepEqual(d, {
		ok: true,
		text:
			'Pod Template:\n' +
			'  Labels:\tapp=nginx\n' +
			'\tpod-template-hash=7c974c65c6\n' +
			'  Annotations:\tkubernetes.io/change-cause: v1 initial\n' +
			'  Containers:\n' +
			'   nginx:\n' +
			'    Image:\tnginx:1.27\n' +
			'    Port:\t80/TCP\n' +
			'    Host Port:\t0/TCP\n' +
			'    Environment:\t<none>\n' +
			'    Mounts:\t<none>\n' +
			'  Volumes:\t<none>\n' +
			'  Node-Selectors:\t<none>\n' +
			'  Tolerations:\t<none>\n',
	});
	assert.deepEqual(revisionDetails(dep, rss, 42), {ok: false, error: 'unable to find the specified revision'});
	// What the terminal shows once tabs expand to 8-column stops.
	if (d.ok) assert.equal(expandTabs(d.text).split('\n')[1], '  Labels:       app=nginx');
});

test('describeTemplate covers probes, resources, env sources, mounts, volumes, selectors and tolerations', () => {
	const t: PodTemplateSpec = {
		metadata: {
			labels: {app: 'api', tier: 'backend'},
			annotations: {'prometheus.io/scrape': 'true', 'kubectl.kubernetes.io/last-applied-configuration': '{}'},
		},
		spec: {
			serviceAccountName: 'api',
			initContainers: [{name: 'migrate', image: 'api:2.1', command: ['/bin/migrate', '--up']}],
			containers: [
				{
					name: 'api',
					image: 'registry.example.com/api:2.1',
					args: ['--port=8080', 'line1\nline2'],
					ports: [
						{containerPort: 8080, protocol: 'TCP', name: 'web'},
						{containerPort: 9090, protocol: 'TCP'},
					],
					resources: {limits: {memory: '256Mi', cpu: '500m'}, requests: {cpu: '100m'}},
					livenessProbe: {
						httpGet: {path: '/healthz', port: 8080, scheme: 'HTTP'},
						initialDelaySeconds: 5,
						timeoutSeconds: 1,
						periodSeconds: 10,
						successThreshold: 1,
						failureThreshold: 3,
					},
					readinessProbe: {tcpSocket: {port: 'http'}, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3},
					startupProbe: {
						exec: {command: ['cat', '/tmp/ready']},
						timeoutSeconds: 1,
						periodSeconds: 2,
						successThreshold: 1,
						failureThreshold: 30,
					},
					envFrom: [{configMapRef: {name: 'api-config'}}, {secretRef: {name: 'api-secrets', optional: true}, prefix: 'SECRET_'}],
					env: [
						{name: 'MODE', value: 'prod'},
						{name: 'PASSWORD', valueFrom: {secretKeyRef: {name: 'db', key: 'password'}}},
						{name: 'LEVEL', valueFrom: {configMapKeyRef: {name: 'cfg', key: 'level', optional: true}}},
						{name: 'POD_NAME', valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.name'}}},
						{name: 'MEM_LIMIT', valueFrom: {resourceFieldRef: {resource: 'limits.memory', divisor: '1Mi'}}},
						{name: 'CPU_REQ', valueFrom: {resourceFieldRef: {resource: 'requests.cpu', divisor: '1m'}}},
					],
					volumeMounts: [
						{name: 'data', mountPath: '/var/data'},
						{name: 'config', mountPath: '/etc/api', readOnly: true, subPath: 'api.yaml'},
					],
				},
			],
			volumes: [
				{name: 'config', configMap: {name: 'api-config'}},
				{name: 'data', emptyDir: {}},
				{name: 'creds', secret: {secretName: 'api-creds', optional: false}},
			],
			priorityClassName: 'high',
			nodeSelector: {'kubernetes.io/os': 'linux'},
			tolerations: [
				{key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
				{key: 'dedicated', operator: 'Equal', value: 'api', effect: 'NoSchedule'},
			],
		},
	};
	const want = [
		'Pod Template:',
		'  Labels:\tapp=api',
		'\ttier=backend',
		'  Annotations:\tprometheus.io/scrape: true',
		'  Service Account:\tapi',
		'  Init Containers:',
		'   migrate:',
		'    Image:\tapi:2.1',
		'    Port:\t<none>',
		'    Host Port:\t<none>',
		'    Command:',
		'      /bin/migrate',
		'      --up',
		'    Environment:\t<none>',
		'    Mounts:\t<none>',
		'  Containers:',
		'   api:',
		'    Image:\tregistry.example.com/api:2.1',
		// kubectl 1.34 names named ports, on both lines (describeContainerPorts / describeContainerHostPorts).
		'    Ports:\t8080/TCP (web), 9090/TCP',
		'    Host Ports:\t0/TCP (web), 0/TCP',
		'    Args:',
		'      --port=8080',
		'      line1',
		'      line2',
		'    Limits:',
		'      cpu:\t500m',
		'      memory:\t256Mi',
		'    Requests:',
		'      cpu:\t100m',
		'    Liveness:\thttp-get http://:8080/healthz delay=5s timeout=1s period=10s #success=1 #failure=3',
		'    Readiness:\ttcp-socket :http delay=0s timeout=1s period=5s #success=1 #failure=3',
		'    Startup:\texec [cat /tmp/ready] delay=0s timeout=1s period=2s #success=1 #failure=30',
		'    Environment Variables from:',
		'      api-config\tConfigMap\tOptional: false',
		"      api-secrets\tSecret with prefix 'SECRET_'\tOptional: true",
		'    Environment:',
		'      MODE:\tprod',
		"      PASSWORD:\t<set to the key 'password' in secret 'db'>\tOptional: false",
		"      LEVEL:\t<set to the key 'level' of config map 'cfg'>\tOptional: true",
		'      POD_NAME:\t (v1:metadata.name)',
		'      MEM_LIMIT:\t256 (limits.memory)',
		'      CPU_REQ:\t100 (requests.cpu)',
		'    Mounts:',
		'      /etc/api from config (ro,path="api.yaml")',
		'      /var/data from data (rw)',
		'  Volumes:',
		'   config:',
		'    Type:\tConfigMap (a volume populated by a ConfigMap)',
		'    Name:\tapi-config',
		'    Optional:\tfalse',
		'   data:',
		"    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)",
		'    Medium:\t',
		'    SizeLimit:\t<unset>',
		'   creds:',
		'    Type:\tSecret (a volume populated by a Secret)',
		'    SecretName:\tapi-creds',
		'    Optional:\tfalse',
		'  Priority Class Name:\thigh',
		'  Node-Selectors:\tkubernetes.io/os=linux',
		'  Tolerations:\tdedicated=api:NoSchedule',
		'\tnode.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
		'',
	].join('\n');
	assert.equal(describeTemplate(t), want);
});

test('describeTemplate: a single named port, and a named host port', () => {
	const text = describeTemplate({
		spec: {containers: [{name: 'web', image: 'nginx', ports: [{containerPort: 8080, hostPort: 80, protocol: 'TCP', name: 'http'}]}]},
	});
	assert.ok(text.includes('    Port:\t8080/TCP (http)\n    Host Port:\t80/TCP (http)\n'), text);
});

test("describeTemplate: projected sources print kubectl 1.33's Optional (false when unset)", () => {
	const text = describeTemplate({
		spec: {
			containers: [],
			volumes: [
				{
					name: 'token',
					projected: {
						sources: [
							{serviceAccountToken: {expirationSeconds: 3607, path: 'token'}},
							{configMap: {name: 'ca'}},
							{downwardAPI: {}},
							{secret: {name: 's', optional: true}},
						],
					},
				},
			],
		},
	});
	assert.ok(
		text.includes(
			'   token:\n' +
				'    Type:\tProjected (a volume that contains injected data from multiple sources)\n' +
				'    TokenExpirationSeconds:\t3607\n' +
				'    ConfigMapName:\tca\n' +
				'    Optional:\tfalse\n' +
				'    DownwardAPI:\ttrue\n' +
				'    SecretName:\ts\n' +
				'    Optional:\ttrue\n',
		),
		text,
	);
});

test('describeTemplate: long and multi-line annotations, no containers, nil template', () => {
	const long = 'x'.repeat(150);
	const text = describeTemplate({metadata: {annotations: {a: long, b: 'one\ntwo\n'}}, spec: {}});
	assert.equal(
		text,
		'Pod Template:\n' +
			'  Labels:\t<none>\n' +
			`  Annotations:\ta:\n\t  ${'x'.repeat(138)}...\n` +
			'\tb:\n\t  one\n\t  two\n' +
			'  Containers: <none>\n' +
			'  Volumes:\t<none>\n' +
			'  Node-Selectors:\t<none>\n' +
			'  Tolerations:\t<none>\n',
	);
	assert.equal(describeTemplate(undefined), 'Pod Template:\n  <unset>');
});

const probes: [string, Parameters<typeof describeProbe>[0], string][] = [
	[
		'https with host',
		{httpGet: {host: '10.0.0.1', port: 443, path: '/ready', scheme: 'HTTPS'}, periodSeconds: 10},
		'http-get https://10.0.0.1:443/ready delay=0s timeout=0s period=10s #success=0 #failure=0',
	],
	[
		'named port',
		{httpGet: {port: 'http', path: '/', scheme: 'HTTP'}},
		'http-get http://:http/ delay=0s timeout=0s period=0s #success=0 #failure=0',
	],
	['grpc', {grpc: {port: 9000, service: ''}, timeoutSeconds: 1}, 'grpc <pod>:9000  delay=0s timeout=1s period=0s #success=0 #failure=0'],
	['nothing set', {}, 'unknown delay=0s timeout=0s period=0s #success=0 #failure=0'],
];

for (const [name, p, want] of probes) {
	test(`describeProbe: ${name}`, () => assert.equal(describeProbe(p), want));
}

test('templateDiff shows the image change between two revisions with context', () => {
	const {dep, rss} = scenario();
	const rows = revisionHistory(dep, rss);
	const diff = templateDiff(rows[0].template, dep.spec?.template, 1);
	assert.equal(
		formatDiff(diff),
		[
			'… 5 unchanged lines',
			'    - name: nginx',
			'-     image: nginx:1.27',
			'+     image: nginx:1.29',
			'      imagePullPolicy: IfNotPresent',
			'… 9 unchanged lines',
		].join('\n'),
	);
	// Identical templates (hash label aside): no change lines at all.
	const same = templateDiff(rows[2].template, dep.spec?.template);
	assert.ok(same.every((l) => l.op === '…'));
	assert.deepEqual(same, [{op: '…', text: '17 unchanged lines'}]);
});

test('templateDiff: added env and annotation appear as + lines, full diff with context -1', () => {
	const a = template({});
	const b = template({
		env: [{name: 'VERSION', value: 'v2'}],
		templateAnnotations: {'kubectl.kubernetes.io/restartedAt': '2025-06-01T11:00:00Z'},
	});
	const diff = templateDiff(a, b, -1);
	assert.deepEqual(
		diff.filter((l) => l.op !== ' '),
		[
			{op: '+', text: '  annotations:'},
			{op: '+', text: '    kubectl.kubernetes.io/restartedAt: "2025-06-01T11:00:00Z"'},
			{op: '+', text: '    env:'},
			{op: '+', text: '    - name: VERSION'},
			{op: '+', text: '      value: v2'},
		],
	);
	assert.equal(diff.length, templateLines(b).length);
});
