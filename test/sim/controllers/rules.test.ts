// Table-driven checks of the small rules whose results users read: maxSurge/maxUnavailable rounding, Go
// durations in Pulled events, pod-template-hash names, the image catalog, preStop and command timings.
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {resolveFenceposts, newRSNewReplicas, equalIgnoreHash} from '../../../source/sim/controllers/deployment-util.js';
import {computePodTemplateHash, safeEncode} from '../../../source/sim/controllers/hash.js';
import {lookupImage, normalizeImage, isCrashImage} from '../../../source/sim/controllers/images.js';
import {commandRunMs, preStopMs} from '../../../source/sim/controllers/kubelet.js';
import {goDuration, selectorMatches} from '../../../source/sim/controllers/util.js';

describe('fenceposts', () => {
	const cases: [number | string, number | string, number, number, number][] = [
		// maxSurge, maxUnavailable, replicas -> surge, unavailable
		['25%', '25%', 3, 1, 0],
		['25%', '25%', 4, 1, 1],
		['25%', '25%', 10, 3, 2],
		['25%', '25%', 1, 1, 0],
		[0, '25%', 4, 0, 1],
		[0, 0, 5, 0, 1],
		['0%', '0%', 5, 0, 1],
		[2, 1, 3, 2, 1],
		['50%', '50%', 5, 3, 2],
	];
	for (const [s, u, r, surge, unavailable] of cases) {
		it(`maxSurge ${s}, maxUnavailable ${u} of ${r}: surge ${surge}, unavailable ${unavailable}`, () => {
			assert.deepEqual(resolveFenceposts(s, u, r), {surge, unavailable});
		});
	}

	it('the new ReplicaSet grows only within maxSurge', () => {
		const d = {
			metadata: {},
			spec: {replicas: 3, strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}}},
		};
		const rs = (n: number) => ({metadata: {}, spec: {replicas: n}});
		assert.equal(newRSNewReplicas(d, [rs(3), rs(0)], rs(0)), 1);
		assert.equal(newRSNewReplicas(d, [rs(2), rs(1)], rs(1)), 2);
		assert.equal(newRSNewReplicas(d, [rs(3), rs(1)], rs(1)), 1);
		assert.equal(newRSNewReplicas({...d, spec: {...d.spec, strategy: {type: 'Recreate'}}}, [rs(3), rs(0)], rs(0)), 3);
	});
});

describe('pod-template-hash', () => {
	const template = {metadata: {labels: {app: 'nginx'}}, spec: {containers: [{name: 'nginx', image: 'nginx:1.18'}]}};

	it('is stable for a template, changes with it and with collisionCount, and uses the safe alphabet', () => {
		const a = computePodTemplateHash(template);
		assert.equal(computePodTemplateHash(structuredClone(template)), a);
		assert.equal(computePodTemplateHash({...template, metadata: {...template.metadata, creationTimestamp: null}}), a);
		assert.notEqual(computePodTemplateHash({...template, spec: {containers: [{name: 'nginx', image: 'nginx:1.20.1'}]}}), a);
		assert.notEqual(computePodTemplateHash(template, 1), a);
		assert.match(a, /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
		// SafeEncodeString maps the decimal digits of the hash onto these ten letters.
		assert.equal(safeEncode('0123456789'), '456789bcdf');
	});

	it('templates equal apart from the hash label are the same revision', () => {
		const withHash = structuredClone(template) as any;
		withHash.metadata.labels['pod-template-hash'] = 'abc';
		assert.ok(equalIgnoreHash(withHash, template));
		assert.ok(!equalIgnoreHash(withHash, {...template, metadata: {labels: {app: 'other'}}}));
	});
});

describe('Go durations', () => {
	const cases: [number, string][] = [
		[0, '0s'],
		[313, '313ms'],
		[1200, '1.2s'],
		[1000, '1s'],
		[55_174, '55.174s'],
		[62_500, '1m2.5s'],
		[3_600_000, '1h0m0s'],
		[10_000, '10s'],
		[300_000, '5m0s'],
	];
	for (const [ms, text] of cases) it(`${ms} ms is ${text}`, () => assert.equal(goDuration(ms), text));
});

describe('image catalog', () => {
	it('normalizes references as containerd does', () => {
		assert.equal(normalizeImage('nginx'), 'nginx:latest');
		assert.equal(normalizeImage('docker.io/library/nginx:1.18'), 'nginx:1.18');
		assert.equal(normalizeImage('docker.io/nginx:1.18'), 'nginx:1.18');
		assert.equal(normalizeImage('crashloop/app'), 'crashloop/app:latest');
	});

	it("knows the catalog, serves with each version's Server header, and fails unknown tags", () => {
		assert.equal(lookupImage('nginx:1.18')!.server, 'nginx/1.18.0');
		assert.equal(lookupImage('docker.io/library/nginx:1.20.1')!.server, 'nginx/1.20.1');
		assert.equal(lookupImage('nginx')!.fullName, 'docker.io/library/nginx:latest');
		assert.equal(lookupImage('httpd:2.4')!.server, 'Apache/2.4.62 (Unix)');
		assert.equal(lookupImage('busybox')!.behaviour, 'command');
		assert.equal(lookupImage('nginx:1.20.1-crash')!.behaviour, 'crash');
		assert.equal(lookupImage('crashloop/anything:3')!.behaviour, 'crash');
		assert.ok(isCrashImage('nginx:1.18-crash'));
		assert.equal(lookupImage('nginx:1.99'), undefined);
		assert.equal(lookupImage('example/app:1'), undefined);
		assert.equal(lookupImage('nginx:1.18')!.imageID, lookupImage('docker.io/library/nginx:1.18')!.imageID);
	});
});

describe('hooks and commands', () => {
	it('preStop durations', () => {
		assert.equal(preStopMs(undefined), undefined);
		assert.equal(preStopMs({exec: {command: ['sleep', '5']}}), 5000);
		assert.equal(preStopMs({exec: {command: ['/bin/sleep', '15']}}), 15_000);
		assert.equal(preStopMs({exec: {command: ['/bin/sh', '-c', 'nginx -s quit; sleep 2.5']}}), 2500);
		assert.equal(preStopMs({sleep: {seconds: 7}}), 7000);
		assert.ok(preStopMs({httpGet: {path: '/drain', port: 80}})! < 1000);
	});

	it('how long a busybox command runs', () => {
		assert.equal(commandRunMs({command: ['sh', '-c', 'sleep 3600']}, 100), 3_600_000);
		assert.equal(commandRunMs({command: ['sleep', 'infinity']}, 100), Number.POSITIVE_INFINITY);
		assert.equal(commandRunMs({command: ['sh', '-c', 'while true; do date; sleep 1; done']}, 100), Number.POSITIVE_INFINITY);
		assert.equal(commandRunMs({args: ['echo', 'hi']}, 100), 100);
	});
});

describe('label selectors', () => {
	const labels = {app: 'web', tier: 'front'};
	const cases: [any, boolean][] = [
		[{matchLabels: {app: 'web'}}, true],
		[{matchLabels: {app: 'db'}}, false],
		[{matchExpressions: [{key: 'tier', operator: 'In', values: ['front', 'back']}]}, true],
		[{matchExpressions: [{key: 'tier', operator: 'NotIn', values: ['front']}]}, false],
		[{matchExpressions: [{key: 'canary', operator: 'DoesNotExist'}]}, true],
		[{matchExpressions: [{key: 'canary', operator: 'Exists'}]}, false],
		[{}, true],
	];
	for (const [selector, want] of cases)
		it(`${JSON.stringify(selector)} -> ${want}`, () => assert.equal(selectorMatches(selector, labels), want));
});
