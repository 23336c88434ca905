// Without OpenAPI, `kubectl create -f` and `kubectl apply -f` stop with "failed to download openapi". kubectl
// 1.29+ reads the v3 documents, 1.27/1.28 the v2 document as gnostic protobuf; apply computes its strategic merge
// patch from the schemas' merge keys.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {describe, test} from 'node:test';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor.js';
import {
	openapiV2,
	openapiV2Document,
	openapiV2Protobuf,
	openapiV2ProtobufContentType,
	openapiV2ProtobufType,
	openapiV3Document,
	openapiV3Index,
} from '../../../source/sim/codec/openapi.js';
import {resources} from '../../../source/sim/resources.js';
import {kubectl132, kubectlVersion, startCaptureServer} from './capture-server.js';
import {kubectlFileDescriptors} from './kubectl-descriptors.js';

type Obj = Record<string, any>;

/** Every "$ref" string anywhere in a document. */
function refs(node: unknown, out: string[] = []): string[] {
	if (Array.isArray(node)) for (const n of node) refs(n, out);
	else if (node && typeof node === 'object') {
		for (const [k, v] of Object.entries(node)) {
			if (k === '$ref' && typeof v === 'string') out.push(v);
			else refs(v, out);
		}
	}
	return out;
}

const groupVersions = [
	'api/v1',
	'apis/apps/v1',
	'apis/authentication.k8s.io/v1',
	'apis/authorization.k8s.io/v1',
	'apis/events.k8s.io/v1',
	'apis/policy/v1',
	'apis/rbac.authorization.k8s.io/v1',
];

// The apiserver lists pods/log in both documents: one GET (readCoreV1NamespacedPodLog) answering a plain string,
// with PodLogOptions' query parameters at the path's level, sorted by name as its document sorts them.
describe('pods/log in OpenAPI, as the apiserver lists it', () => {
	const path = '/api/v1/namespaces/{namespace}/pods/{name}/log';
	const parameterNames = [
		'container',
		'follow',
		'insecureSkipTLSVerifyBackend',
		'limitBytes',
		'name',
		'namespace',
		'pretty',
		'previous',
		'sinceSeconds',
		'stream',
		'tailLines',
		'timestamps',
	];
	const gvk = {group: '', version: 'v1', kind: 'Pod'};

	test('v2: a GET of a string, text/plain first among what it produces', () => {
		const item = (openapiV2Document() as Obj).paths[path];
		assert.ok(item, `${path} is in /openapi/v2`);
		assert.deepEqual(Object.keys(item).sort(), ['get', 'parameters']);
		assert.deepEqual(
			item.parameters.map((p: Obj) => p.name),
			parameterNames,
		);
		assert.deepEqual(
			item.parameters.filter((p: Obj) => p.in === 'path').map((p: Obj) => [p.name, p.required]),
			[
				['name', true],
				['namespace', true],
			],
		);
		const types = Object.fromEntries(item.parameters.map((p: Obj) => [p.name, p.type]));
		assert.deepEqual([types.follow, types.tailLines, types.limitBytes, types.container], ['boolean', 'integer', 'integer', 'string']);
		assert.equal(item.get.operationId, 'readCoreV1NamespacedPodLog');
		assert.equal(item.get.description, 'read log of the specified Pod');
		assert.deepEqual(item.get.produces, ['text/plain', 'application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']);
		assert.deepEqual(item.get.responses['200'], {description: 'OK', schema: {type: 'string'}});
		assert.equal(item.get['x-kubernetes-action'], 'get');
		assert.deepEqual(item.get['x-kubernetes-group-version-kind'], gvk);
	});

	test('v3 (api/v1): the same GET, its string answered as */*', () => {
		const item = (openapiV3Document('api/v1') as Obj).paths[path];
		assert.ok(item, `${path} is in /openapi/v3/api/v1`);
		assert.deepEqual(
			item.parameters.map((p: Obj) => p.name),
			parameterNames,
		);
		assert.deepEqual(
			item.parameters.find((p: Obj) => p.name === 'tailLines'),
			{
				name: 'tailLines',
				in: 'query',
				description: item.parameters.find((p: Obj) => p.name === 'tailLines').description,
				uniqueItems: true,
				schema: {type: 'integer'},
			},
		);
		assert.equal(item.get.operationId, 'readCoreV1NamespacedPodLog');
		assert.deepEqual(item.get.responses['200'], {description: 'OK', content: {'*/*': {schema: {type: 'string'}}}});
		assert.deepEqual(item.get['x-kubernetes-group-version-kind'], gvk);
	});
});

describe('OpenAPI v3', () => {
	test('the index names a document per served group version, with a hash of its content', () => {
		const index = openapiV3Index();
		assert.deepEqual(Object.keys(index.paths).sort(), groupVersions);
		for (const gv of groupVersions) {
			const url = index.paths[gv]!.serverRelativeURL;
			const hash = createHash('sha512')
				.update(JSON.stringify(openapiV3Document(gv)))
				.digest('hex')
				.toUpperCase();
			assert.equal(url, `/openapi/v3/${gv}?hash=${hash}`);
		}
		assert.equal(openapiV3Document('apis/batch/v1'), undefined);
		assert.equal(openapiV3Document('/apis/apps/v1?hash=whatever'), openapiV3Document('apis/apps/v1'));
	});

	for (const gv of groupVersions) {
		test(`${gv}: every $ref resolves, and every kind has a schema with its group-version-kind`, () => {
			const doc = openapiV3Document(gv) as Obj;
			const schemas = doc.components.schemas as Obj;
			const missing = refs(doc).filter((r) => !schemas[r.replace('#/components/schemas/', '')]);
			assert.deepEqual(missing, []);
			for (const r of resources.filter((x) => (x.group ? `apis/${x.group}/${x.version}` : `api/${x.version}`) === gv)) {
				const pkg = {
					'': 'io.k8s.api.core.v1',
					apps: 'io.k8s.api.apps.v1',
					'events.k8s.io': 'io.k8s.api.events.v1',
					'rbac.authorization.k8s.io': 'io.k8s.api.rbac.v1',
					'authorization.k8s.io': 'io.k8s.api.authorization.v1',
					'authentication.k8s.io': 'io.k8s.api.authentication.v1',
					policy: 'io.k8s.api.policy.v1',
				}[r.group]!;
				assert.deepEqual(schemas[`${pkg}.${r.kind}`]['x-kubernetes-group-version-kind'], [
					{group: r.group, version: r.version, kind: r.kind},
				]);
			}
		});
	}

	test('each served resource has a PATCH with its GVK, fieldValidation, and strategic merge patch, so kubectl validates server-side', () => {
		// The reviews are only created, never patched.
		for (const r of resources.filter((r) => !r.review)) {
			const doc = openapiV3Document(r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`) as Obj;
			const patches = Object.values(doc.paths as Obj)
				.map((p) => p.patch)
				.filter(Boolean);
			const patch = patches.find((op) => op['x-kubernetes-group-version-kind'].kind === r.kind);
			assert.ok(patch, `no PATCH for ${r.kind}`);
			assert.deepEqual(patch['x-kubernetes-group-version-kind'], {group: r.group, version: r.version, kind: r.kind});
			assert.ok(
				patch.parameters.some((p: Obj) => p.name === 'fieldValidation' && p.in === 'query'),
				r.kind,
			);
			assert.ok(patch.requestBody.content['application/strategic-merge-patch+json'], r.kind);
		}
	});

	test('the merge keys apply and set image rely on are there', () => {
		const schemas = (openapiV3Document('apis/apps/v1') as Obj).components.schemas as Obj;
		const containers = schemas['io.k8s.api.core.v1.PodSpec'].properties.containers;
		assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
		assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
		assert.deepEqual(schemas['io.k8s.api.core.v1.Container'].properties.ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
		assert.equal(schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy['x-kubernetes-patch-strategy'], 'retainKeys');
		assert.equal(schemas['io.k8s.api.core.v1.PodSpec'].properties.volumes['x-kubernetes-patch-strategy'], 'merge,retainKeys');
	});
});

describe('OpenAPI v2', () => {
	test('every $ref resolves to a definition', () => {
		const doc = openapiV2Document() as Obj;
		assert.deepEqual(
			refs(doc).filter((r) => !doc.definitions[r.replace('#/definitions/', '')]),
			[],
		);
	});

	test('content negotiation: gnostic protobuf for kubectl, JSON for JSON clients, 406 otherwise', () => {
		const pb = openapiV2(openapiV2ProtobufType);
		assert.ok(Buffer.isBuffer(pb?.body));
		// Go's mime parser rejects the "@" that kubectl puts in its Accept header; the answer spells it with a dot.
		assert.equal(pb?.contentType, openapiV2ProtobufContentType);
		assert.doesNotMatch(openapiV2ProtobufContentType, /@/);
		assert.equal(openapiV2('application/json')?.contentType, 'application/json');
		assert.equal(openapiV2('application/json')?.body, openapiV2Document());
		assert.equal(openapiV2('text/html'), undefined);
	});

	test('the protobuf document decodes, with kubectl 1.27’s own gnostic descriptor, into the JSON document', () => {
		const gnostic = kubectlFileDescriptors(kubectlVersion(27)).find((f) => f.name === 'openapiv2/OpenAPIv2.proto')!;
		// gnostic imports google/protobuf/any.proto; describe the two fields of Any ourselves.
		const any = {
			name: 'google/protobuf/any.proto',
			package: 'google.protobuf',
			messageType: [
				{
					name: 'Any',
					field: [
						{name: 'type_url', number: 1, label: 1, type: 9, jsonName: 'typeUrl'},
						{name: 'value', number: 2, label: 1, type: 12, jsonName: 'value'},
					],
				},
			],
		};
		const set: descriptor.IFileDescriptorSet = {
			file: [any, descriptor.FileDescriptorProto.toObject(gnostic as unknown as protobuf.Message)],
		};
		const root = protobuf.Root.fromDescriptor(set);
		const Document = root.lookupType('openapi.v2.Document');
		const decoded = Document.toObject(Document.decode(openapiV2Protobuf()), {defaults: false}) as Obj;
		const json = openapiV2Document() as Obj;
		assert.equal(decoded.swagger, '2.0');
		assert.deepEqual(
			decoded.paths.path.map((p: Obj) => p.name),
			Object.keys(json.paths),
		);
		assert.deepEqual(
			decoded.definitions.additionalProperties.map((d: Obj) => d.name),
			Object.keys(json.definitions),
		);
		const patch = decoded.paths.path.find((p: Obj) => p.name === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}').value.patch;
		const gvk = patch.vendorExtension.find((e: Obj) => e.name === 'x-kubernetes-group-version-kind');
		assert.deepEqual(JSON.parse(gvk.value.yaml), {group: 'apps', version: 'v1', kind: 'Deployment'});
		const names = patch.parameters.map((p: Obj) => p.parameter.nonBodyParameter?.queryParameterSubSchema?.name).filter(Boolean);
		assert.ok(names.includes('fieldValidation'));
		const containers = decoded.definitions.additionalProperties
			.find((d: Obj) => d.name === 'io.k8s.api.core.v1.PodSpec')
			.value.properties.additionalProperties.find((p: Obj) => p.name === 'containers').value;
		assert.deepEqual(Object.fromEntries(containers.vendorExtension.map((e: Obj) => [e.name, JSON.parse(e.value.yaml)])), {
			'x-kubernetes-patch-strategy': 'merge',
			'x-kubernetes-patch-merge-key': 'name',
			'x-kubernetes-list-type': 'map',
			'x-kubernetes-list-map-keys': ['name'],
		});
	});
});

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.18
        env: [{name: A, value: "1"}, {name: B, value: "2"}]
        ports: [{containerPort: 80}, {containerPort: 443}]
      - name: side
        image: busybox
`;

describe('kubectl against our OpenAPI', () => {
	for (const minor of [27, 28, 29, 30, 31, 32, 33]) {
		test(`kubectl 1.${minor} create -f gets as far as POSTing the deployment`, async () => {
			const server = await startCaptureServer();
			try {
				const result = await server.kubectl(['create', '-f', server.writeFile('web.yaml', manifest)], {binary: kubectlVersion(minor)});
				assert.equal(result.code, 0, result.stderr);
				assert.equal(result.stdout, 'deployment.apps/web created\n');
				const post = server.requests.find((r) => r.method === 'POST');
				assert.equal(post?.path, '/apis/apps/v1/namespaces/default/deployments');
				assert.equal(post?.query.get('fieldValidation'), 'Strict');
				assert.ok(
					server.requests.some((r) => r.path.startsWith('/openapi/')),
					'kubectl read our OpenAPI',
				);
			} finally {
				await server.close();
			}
		});
	}

	test('without OpenAPI the same command fails the way the issue describes (the control case)', async () => {
		const server = await startCaptureServer({openapi: false});
		try {
			const result = await server.kubectl(['create', '-f', server.writeFile('web.yaml', manifest)]);
			assert.notEqual(result.code, 0);
			assert.match(result.stderr, /failed to download openapi/);
		} finally {
			await server.close();
		}
	});

	// Changing an image, dropping an env var and a port, switching strategy: the patch needs merge keys,
	// $setElementOrder, $patch: delete and $retainKeys, all read from the schemas.
	const changed = manifest
		.replace('nginx:1.18', 'nginx:1.20.1')
		.replace('{name: A, value: "1"}, ', '')
		.replace(', {containerPort: 443}', '')
		.replace('{type: RollingUpdate, rollingUpdate: {maxSurge: 1}}', '{type: Recreate}');
	for (const [minor, binary, document] of [
		[32, kubectl132, '/openapi/v3/apis/apps/v1'],
		[27, kubectlVersion(27), '/openapi/v2'],
	] as const) {
		test(`kubectl 1.${minor} apply computes from our schemas the same patch as from its compiled-in types`, async () => {
			const patchBody = async (extra: string[]) => {
				const server = await startCaptureServer();
				try {
					const first = await server.kubectl(['apply', '-f', server.writeFile('v1.yaml', manifest)], {binary});
					assert.equal(first.code, 0, first.stderr);
					const second = await server.kubectl(['apply', '-f', server.writeFile('v2.yaml', changed), ...extra], {binary});
					assert.equal(second.code, 0, second.stderr);
					assert.equal(second.stdout, 'deployment.apps/web configured\n');
					assert.doesNotMatch(second.stderr, /warning/i);
					const patch = server.requests.find((r) => r.method === 'PATCH');
					assert.equal(patch?.contentType, 'application/strategic-merge-patch+json');
					return {patch: JSON.parse(patch!.body.toString('utf8')), readDocument: server.requests.some((r) => r.path === document)};
				} finally {
					await server.close();
				}
			};
			const fromOpenapi = await patchBody([]);
			const fromBuiltins = await patchBody(['--openapi-patch=false']);
			assert.ok(fromOpenapi.readDocument, `kubectl 1.${minor} read ${document}`);
			assert.deepEqual(fromOpenapi.patch, fromBuiltins.patch);
			assert.deepEqual(fromOpenapi.patch.spec.strategy, {$retainKeys: ['type'], rollingUpdate: null, type: 'Recreate'});
		});
	}

	test('kubectl explain walks our schemas', async () => {
		const server = await startCaptureServer();
		try {
			const result = await server.kubectl(['explain', 'deployment.spec.strategy']);
			assert.equal(result.code, 0, result.stderr);
			assert.match(result.stdout, /KIND:\s+Deployment/);
			assert.match(result.stdout, /FIELD: strategy <DeploymentStrategy>/);
			assert.match(result.stdout, /rollingUpdate\s+<RollingUpdateDeployment>/);
			assert.match(result.stdout, /type\s+<string>/);
		} finally {
			await server.close();
		}
	});
});
