import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {unknownFields} from '../../../source/sim/api/fields.js';
import {startCluster} from '../../helpers/sim-cluster.js';
import {withType} from '../../../source/sim/api/encode.js';
import {apiVersionOf, findResource, resources} from '../../../source/sim/resources.js';
import {deployment, startTestServer, storeSnapshot, waitFor, type TestServer} from './helpers.js';

const deployments = findResource('apps', 'deployments')!;

test('unknown fields are found by path, in lists and nested objects; known ones are not', () => {
	const d = deployment('web');
	assert.deepEqual(unknownFields(deployments, d), []);
	const typo = deployment('web') as any;
	typo.spec.replicaz = 3;
	typo.metadata.labelz = {a: 'b'};
	typo.spec.template.spec.containers[0].imagee = 'nginx';
	typo.spec.template.spec.containers.push({name: 'b', image: 'b', ports: [{containerPort: 80, protocl: 'TCP'}]});
	typo.spec.template.metadata.spec = {};
	assert.deepEqual(unknownFields(deployments, typo), [
		'metadata.labelz',
		'spec.template.metadata.spec',
		'spec.template.spec.containers[0].imagee',
		'spec.template.spec.containers[1].ports[0].protocl',
		'spec.replicaz',
	]);
	// Status and free-form maps are not checked; labels may hold any key.
	assert.deepEqual(unknownFields(deployments, {...d, metadata: {...d.metadata, labels: {anything: 'x'}}, status: {whatever: 1}}), []);
	// prune removes them, as Go decoding drops fields it has no place for.
	unknownFields(deployments, typo, true);
	assert.equal('replicaz' in typo.spec, false);
	assert.equal('imagee' in typo.spec.template.spec.containers[0], false);
	assert.deepEqual(unknownFields(deployments, typo), []);
});

describe('fieldValidation over HTTP', () => {
	let t: TestServer;
	before(async () => {
		t = await startTestServer();
	});
	after(() => t.close());
	const typo = (name: string) => {
		const d = deployment(name) as any;
		d.spec.replicaz = 3;
		return d;
	};

	test('Strict (what kubectl sends) rejects with 400 in the real words and changes nothing', async () => {
		const before = storeSnapshot(t.store);
		const r = await t.call('POST', '/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict', {body: typo('strict')});
		assert.equal(r.status, 400);
		assert.equal(
			r.json.message,
			'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz"',
		);
		assert.equal(storeSnapshot(t.store), before);
	});

	test('Warn (the default) stores the object without the field and says so in a Warning header; Ignore just drops it', async () => {
		const warned = await t.call('POST', '/apis/apps/v1/namespaces/default/deployments', {body: typo('warned')});
		assert.equal(warned.status, 201);
		assert.equal(warned.headers.warning, '299 - "unknown field \\"spec.replicaz\\""');
		assert.equal('replicaz' in t.store.get('deployments', 'default', 'warned')!.spec, false);
		const ignored = await t.call('POST', '/apis/apps/v1/namespaces/default/deployments?fieldValidation=Ignore', {body: typo('ignored')});
		assert.equal(ignored.status, 201);
		assert.equal(ignored.headers.warning, undefined);
		assert.equal('replicaz' in ignored.json.spec, false);
		const patched = await t.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/ignored?fieldValidation=Strict', {
			body: {spec: {paused: true, pausd: true}},
			contentType: 'application/merge-patch+json',
		});
		assert.equal(patched.status, 400);
		assert.match(patched.json.message, /strict decoding error: unknown field "spec\.pausd"$/);
		assert.equal(t.store.get('deployments', 'default', 'ignored')!.spec.paused, undefined);
	});
});

test('nothing the running cluster writes is an unknown field (no false alarms on a GET-then-PUT)', async () => {
	const cluster = await startCluster({scenario: 'nginx', speed: 50});
	try {
		await waitFor(
			() => cluster.store.list('pods').items.filter((p) => p.status?.phase === 'Running').length >= 3,
			20_000,
			'the nginx pods to run',
		);
		let checked = 0;
		for (const info of resources) {
			// As each API serves it: a stored core/v1 Event is also checked in its events.k8s.io/v1 form.
			for (const o of cluster.store.list(info.resource).items) {
				const served = withType(info, o);
				assert.deepEqual(
					unknownFields(info, served),
					[],
					`${apiVersionOf(info)} ${info.resource} ${o.metadata.namespace ?? ''}/${o.metadata.name}`,
				);
				checked++;
			}
		}
		assert.ok(checked > 15, `${checked} objects checked`);
	} finally {
		await cluster.stop();
	}
});
