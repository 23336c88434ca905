import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ApiError} from '../../../source/sim/errors.js';
import {applyPatch, jsonPatch, mergePatch, patchTypeOf, strategicMergePatch, patchSchemas} from '../../../source/sim/api/patch.js';

test('JSON merge patch (RFC 7386 examples)', () => {
	const cases: [target: unknown, patch: unknown, expected: unknown][] = [
		[{a: 'b'}, {a: 'c'}, {a: 'c'}],
		[{a: 'b'}, {b: 'c'}, {a: 'b', b: 'c'}],
		[{a: 'b'}, {a: null}, {}],
		[{a: 'b', b: 'c'}, {a: null}, {b: 'c'}],
		[{a: ['b']}, {a: 'c'}, {a: 'c'}],
		[{a: 'c'}, {a: ['b']}, {a: ['b']}],
		[{a: {b: 'c'}}, {a: {b: 'd', c: null}}, {a: {b: 'd'}}],
		[{a: [{b: 'c'}]}, {a: [1]}, {a: [1]}],
		[
			['a', 'b'],
			['c', 'd'],
			['c', 'd'],
		],
		[{a: 'b'}, ['c'], ['c']],
		[{a: 'foo'}, null, null],
		[{e: null}, {a: 1}, {e: null, a: 1}],
		[[1, 2], {a: 'b', c: null}, {a: 'b'}],
		[{}, {a: {bb: {ccc: null}}}, {a: {bb: {}}}],
	];
	for (const [target, patch, expected] of cases) {
		assert.deepEqual(mergePatch(target, patch), expected, `merge ${JSON.stringify(patch)} into ${JSON.stringify(target)}`);
	}
});

test('JSON patch (RFC 6902): add, remove, replace, move, copy, test, and "-" to append', () => {
	const doc = {
		spec: {replicas: 1, template: {spec: {containers: [{name: 'a', image: 'nginx:1.18'}]}}},
		metadata: {labels: {'a/b': 'x', 'm~n': 'y'}},
	};
	const cases: [ops: unknown[], check: (out: any) => void][] = [
		[[{op: 'replace', path: '/spec/replicas', value: 3}], (o) => assert.equal(o.spec.replicas, 3)],
		[[{op: 'add', path: '/spec/paused', value: true}], (o) => assert.equal(o.spec.paused, true)],
		[[{op: 'remove', path: '/spec/replicas'}], (o) => assert.equal('replicas' in o.spec, false)],
		[
			[{op: 'add', path: '/spec/template/spec/containers/-', value: {name: 'b', image: 'busybox'}}],
			(o) =>
				assert.deepEqual(
					o.spec.template.spec.containers.map((c: any) => c.name),
					['a', 'b'],
				),
		],
		[
			[{op: 'add', path: '/spec/template/spec/containers/0', value: {name: 'z', image: 'x'}}],
			(o) =>
				assert.deepEqual(
					o.spec.template.spec.containers.map((c: any) => c.name),
					['z', 'a'],
				),
		],
		[
			[{op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.20.1'}],
			(o) => assert.equal(o.spec.template.spec.containers[0].image, 'nginx:1.20.1'),
		],
		[
			[{op: 'move', from: '/spec/replicas', path: '/spec/count'}],
			(o) => assert.deepEqual([o.spec.count, 'replicas' in o.spec], [1, false]),
		],
		[[{op: 'copy', from: '/spec/replicas', path: '/spec/count'}], (o) => assert.deepEqual([o.spec.count, o.spec.replicas], [1, 1])],
		[
			[
				{op: 'test', path: '/spec/replicas', value: 1},
				{op: 'replace', path: '/spec/replicas', value: 2},
			],
			(o) => assert.equal(o.spec.replicas, 2),
		],
		[
			[
				{op: 'remove', path: '/metadata/labels/a~1b'},
				{op: 'replace', path: '/metadata/labels/m~0n', value: 'z'},
			],
			(o) => assert.deepEqual(o.metadata.labels, {'m~n': 'z'}),
		],
	];
	for (const [ops, check] of cases) {
		const out = jsonPatch(doc, ops);
		check(out);
	}
	assert.equal(doc.spec.replicas, 1, 'the input document is not modified');
	assert.equal(doc.spec.template.spec.containers.length, 1);
});

test('JSON patch failures: a failed test or a missing path is 422, a malformed patch 400', () => {
	const doc = {spec: {replicas: 1}};
	const cases: [ops: unknown, code: number][] = [
		[[{op: 'test', path: '/spec/replicas', value: 2}], 422],
		[[{op: 'replace', path: '/spec/missing', value: 2}], 422],
		[[{op: 'remove', path: '/nope/deeper'}], 422],
		[[{op: 'add', path: '/spec/list/5', value: 1}], 422],
		[{op: 'add'}, 400],
		[[{op: 'frobnicate', path: '/spec'}], 400],
		[[{op: 'add', path: 'spec', value: 1}], 400],
	];
	for (const [ops, code] of cases) {
		assert.throws(
			() => jsonPatch(doc, ops),
			(e: unknown) => e instanceof ApiError && e.code === code,
			JSON.stringify(ops),
		);
	}
});

const deployment = () => ({
	apiVersion: 'apps/v1',
	kind: 'Deployment',
	metadata: {name: 'nginx', labels: {app: 'nginx'}, finalizers: ['a']},
	spec: {
		replicas: 3,
		strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}},
		template: {
			metadata: {labels: {app: 'nginx'}},
			spec: {
				containers: [
					{
						name: 'nginx',
						image: 'nginx:1.18',
						ports: [{containerPort: 80, protocol: 'TCP'}],
						env: [
							{name: 'A', value: '1'},
							{name: 'B', value: '2'},
						],
					},
					{name: 'sidecar', image: 'busybox', args: ['sleep', '3600']},
				],
				volumes: [{name: 'data', emptyDir: {}}],
				tolerations: [{key: 'x', operator: 'Exists'}],
			},
		},
	},
});

const containers = (o: any) => o.spec.template.spec.containers;

test('strategic merge patch merges containers by name, ports by containerPort, env by name', () => {
	const schema = patchSchemas.Deployment;
	const cases: [what: string, patch: object, check: (o: any) => void][] = [
		[
			'kubectl set image: one container changes, the other stays',
			{spec: {template: {spec: {containers: [{name: 'nginx', image: 'nginx:1.20.1'}]}}}},
			(o) => {
				assert.deepEqual(
					containers(o).map((c: any) => `${c.name}=${c.image}`),
					['nginx=nginx:1.20.1', 'sidecar=busybox'],
				);
				assert.deepEqual(containers(o)[0].ports, [{containerPort: 80, protocol: 'TCP'}]);
			},
		],
		[
			'a new container name is appended',
			{spec: {template: {spec: {containers: [{name: 'log', image: 'fluentd'}]}}}},
			(o) =>
				assert.deepEqual(
					containers(o).map((c: any) => c.name),
					['nginx', 'sidecar', 'log'],
				),
		],
		[
			'$patch: delete removes one container',
			{spec: {template: {spec: {containers: [{name: 'sidecar', $patch: 'delete'}]}}}},
			(o) =>
				assert.deepEqual(
					containers(o).map((c: any) => c.name),
					['nginx'],
				),
		],
		[
			'$patch: replace in a list replaces the whole list',
			{spec: {template: {spec: {containers: [{name: 'only', image: 'x'}, {$patch: 'replace'}]}}}},
			(o) => assert.deepEqual(containers(o), [{name: 'only', image: 'x'}]),
		],
		[
			'env merges by name: change one, add one, delete one with null-less $patch',
			{
				spec: {
					template: {
						spec: {
							containers: [
								{
									name: 'nginx',
									env: [
										{name: 'B', value: '20'},
										{name: 'C', value: '3'},
										{name: 'A', $patch: 'delete'},
									],
								},
							],
						},
					},
				},
			},
			(o) =>
				assert.deepEqual(containers(o)[0].env, [
					{name: 'B', value: '20'},
					{name: 'C', value: '3'},
				]),
		],
		[
			'ports merge by containerPort',
			{spec: {template: {spec: {containers: [{name: 'nginx', ports: [{containerPort: 443}]}]}}}},
			(o) =>
				assert.deepEqual(
					containers(o)[0].ports.map((p: any) => p.containerPort),
					[80, 443],
				),
		],
		[
			'lists without a merge key (args, tolerations) are replaced',
			{spec: {template: {spec: {tolerations: [{key: 'y', operator: 'Exists'}], containers: [{name: 'sidecar', args: ['true']}]}}}},
			(o) => {
				assert.deepEqual(o.spec.template.spec.tolerations, [{key: 'y', operator: 'Exists'}]);
				assert.deepEqual(containers(o)[1].args, ['true']);
			},
		],
		[
			'null deletes a field',
			{spec: {template: {spec: {containers: [{name: 'nginx', ports: null}]}}}},
			(o) => assert.equal('ports' in containers(o)[0], false),
		],
		[
			'kubectl rollout restart annotation',
			{spec: {template: {metadata: {annotations: {'kubectl.kubernetes.io/restartedAt': '2024-01-01T00:00:00Z'}}}}},
			(o) => {
				assert.deepEqual(o.spec.template.metadata, {
					labels: {app: 'nginx'},
					annotations: {'kubectl.kubernetes.io/restartedAt': '2024-01-01T00:00:00Z'},
				});
			},
		],
		[
			'$patch: replace on a map (kubectl rollout undo) replaces the template',
			{
				spec: {
					template: {$patch: 'replace', metadata: {labels: {app: 'nginx'}}, spec: {containers: [{name: 'nginx', image: 'nginx:1.18'}]}},
				},
			},
			(o) => {
				assert.deepEqual(o.spec.template, {metadata: {labels: {app: 'nginx'}}, spec: {containers: [{name: 'nginx', image: 'nginx:1.18'}]}});
			},
		],
		[
			'$retainKeys drops keys it does not list (strategy type switch)',
			{spec: {strategy: {$retainKeys: ['type'], type: 'Recreate', rollingUpdate: null}}},
			(o) => assert.deepEqual(o.spec.strategy, {type: 'Recreate'}),
		],
		[
			'$setElementOrder orders the merged list',
			{
				spec: {
					template: {
						spec: {'$setElementOrder/containers': [{name: 'sidecar'}, {name: 'nginx'}], containers: [{name: 'nginx', image: 'nginx:1.21'}]},
					},
				},
			},
			(o) => {
				assert.deepEqual(
					containers(o).map((c: any) => `${c.name}=${c.image}`),
					['sidecar=busybox', 'nginx=nginx:1.21'],
				);
			},
		],
		[
			'finalizers merge as a set of primitives; $deleteFromPrimitiveList removes',
			{metadata: {finalizers: ['b', 'a'], '$deleteFromPrimitiveList/finalizers': ['a']}},
			(o) => assert.deepEqual(o.metadata.finalizers, ['b']),
		],
		['$patch: delete on a map removes it', {spec: {strategy: {$patch: 'delete'}}}, (o) => assert.equal('strategy' in o.spec, false)],
	];
	for (const [what, patch, check] of cases) {
		const original = deployment();
		const out = strategicMergePatch(original, patch, schema);
		check(out);
		assert.deepEqual(original, deployment(), `${what}: the original is not modified`);
		assert.equal(JSON.stringify(out).includes('$'), false, `${what}: no directive is left in the result`);
	}
});

test('strategic merge patch errors: a keyed list element without its key, an unknown directive', () => {
	assert.throws(
		() => strategicMergePatch(deployment(), {spec: {template: {spec: {containers: [{image: 'x'}]}}}}, patchSchemas.Deployment),
		(e: unknown) => e instanceof ApiError && e.code === 400 && /does not contain declared merge key: name/.test(e.message),
	);
	assert.throws(
		() => strategicMergePatch(deployment(), {spec: {$patch: 'explode'}}, patchSchemas.Deployment),
		(e: unknown) => e instanceof ApiError && e.code === 400,
	);
});

test('services merge ports by port; pods merge containers by name too', () => {
	const svc = {
		spec: {
			ports: [
				{port: 80, targetPort: 80, nodePort: 30080},
				{port: 443, targetPort: 443},
			],
		},
	};
	const out = strategicMergePatch(svc, {spec: {ports: [{port: 80, targetPort: 8080}]}}, patchSchemas.Service);
	assert.deepEqual(out.spec.ports, [
		{port: 80, targetPort: 8080, nodePort: 30080},
		{port: 443, targetPort: 443},
	]);
	const pod = {
		spec: {
			containers: [
				{name: 'a', image: '1'},
				{name: 'b', image: '2'},
			],
		},
	};
	assert.deepEqual(strategicMergePatch(pod, {spec: {containers: [{name: 'b', image: '3'}]}}, patchSchemas.Pod).spec.containers, [
		{name: 'a', image: '1'},
		{name: 'b', image: '3'},
	]);
});

test('Content-Type picks the patch type; others are not patch types', () => {
	const cases: [contentType: string, expected: string | undefined][] = [
		['application/strategic-merge-patch+json', 'strategic'],
		['application/merge-patch+json; charset=utf-8', 'merge'],
		['application/json-patch+json', 'json'],
		['application/apply-patch+yaml', 'apply'],
		['application/json', undefined],
		['text/plain', undefined],
	];
	for (const [contentType, expected] of cases) assert.equal(patchTypeOf(contentType), expected, contentType);
	// applyPatch dispatches: a merge patch replaces lists where a strategic one merges them.
	const pod = {
		spec: {
			containers: [
				{name: 'a', image: '1'},
				{name: 'b', image: '2'},
			],
		},
	};
	assert.equal(applyPatch('merge', pod, {spec: {containers: [{name: 'b', image: '3'}]}}, 'Pod').spec.containers.length, 1);
	assert.equal(applyPatch('strategic', pod, {spec: {containers: [{name: 'b', image: '3'}]}}, 'Pod').spec.containers.length, 2);
});
