import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ApiError} from '../../../source/sim/errors.js';
import {
	formatLabelSelector,
	labelSelectorRequirements,
	matchesLabels,
	parseFieldSelector,
	parseLabelSelector,
	selectorFilter,
} from '../../../source/sim/api/selectors.js';
import type {KubeObject} from '../../../source/sim/store.js';

const labels = {app: 'nginx', tier: 'web', 'pod-template-hash': '6888c79454', version: '3'};

test('label selectors match as the real server does', () => {
	const cases: [selector: string, expected: boolean][] = [
		['', true],
		['app=nginx', true],
		['app==nginx', true],
		['app=httpd', false],
		['app!=httpd', true],
		['app!=nginx', false],
		['missing!=x', true],
		['app in (nginx,httpd)', true],
		['app in (httpd)', false],
		['app notin (httpd, db)', true],
		['app notin (nginx)', false],
		['missing notin (x)', true],
		['tier', true],
		['missing', false],
		['!missing', true],
		['!tier', false],
		['app=nginx,tier=web', true],
		['app=nginx,tier=db', false],
		['app=nginx, !canary, tier in (web)', true],
		['version>2', true],
		['version<3', false],
		['pod-template-hash=6888c79454', true],
		['app=', false],
		['missing=', false],
		['app in (nginx,)', true],
	];
	for (const [selector, expected] of cases) {
		assert.equal(matchesLabels(parseLabelSelector(selector), labels), expected, `selector ${JSON.stringify(selector)}`);
	}
	assert.equal(matchesLabels(parseLabelSelector('!app'), undefined), true);
	assert.equal(matchesLabels(parseLabelSelector('app'), undefined), false);
});

test('malformed label selectors are 400 BadRequest', () => {
	for (const selector of [
		'app in nginx',
		'app in (nginx',
		'app=nginx,',
		'=nginx',
		'app in ()',
		'app nginx',
		'Bad Key!=x',
		'app=bad value',
		'version>x',
		'app=a=b',
	]) {
		assert.throws(
			() => parseLabelSelector(selector),
			(e: unknown) => e instanceof ApiError && e.code === 400 && /unable to parse requirement/.test(e.message),
			`selector ${JSON.stringify(selector)}`,
		);
	}
});

const pod = (name: string, phase: string, nodeName?: string): KubeObject => ({
	metadata: {name, namespace: 'default', labels: {app: 'nginx'}},
	spec: {nodeName},
	status: {phase},
});

test('field selectors: metadata.*, pod phase and node, event involvedObject, with = == != and escapes', () => {
	const event: KubeObject = {
		metadata: {name: 'nginx.1', namespace: 'default'},
		involvedObject: {kind: 'Pod', name: 'nginx-abc', namespace: 'default', uid: 'u-1'},
		reason: 'Scheduled',
		type: 'Normal',
	};
	const cases: [resource: string, selector: string, object: KubeObject, expected: boolean][] = [
		['pods', 'metadata.name=a', pod('a', 'Running'), true],
		['pods', 'metadata.name==a', pod('a', 'Running'), true],
		['pods', 'metadata.name!=a', pod('a', 'Running'), false],
		['pods', 'metadata.namespace=default', pod('a', 'Running'), true],
		['pods', 'status.phase=Running', pod('a', 'Running'), true],
		['pods', 'status.phase!=Running', pod('a', 'Pending'), true],
		['pods', 'spec.nodeName=node1', pod('a', 'Running', 'node1'), true],
		['pods', 'spec.nodeName=', pod('a', 'Pending'), true],
		['pods', 'spec.nodeName!=', pod('a', 'Running', 'node2'), true],
		['pods', 'status.phase=Running,spec.nodeName=node1', pod('a', 'Running', 'node2'), false],
		['events', 'involvedObject.kind=Pod,involvedObject.name=nginx-abc', event, true],
		['events', 'involvedObject.uid=u-1', event, true],
		['events', 'involvedObject.namespace=other', event, false],
		['events', 'reason=Scheduled,type=Normal', event, true],
		['pods', 'metadata.name=a\\,b', pod('a,b', 'Running'), true],
	];
	for (const [resource, selector, object, expected] of cases) {
		const filter = selectorFilter(resource, null, selector)!;
		assert.equal(filter(object), expected, `${resource} ${selector}`);
	}
});

test('a field the resource does not index is 400 "field label not supported"', () => {
	assert.throws(
		() => parseFieldSelector('deployments', 'status.phase=Running'),
		(e: unknown) => e instanceof ApiError && e.code === 400 && e.message === 'field label not supported: status.phase',
	);
	assert.throws(() => parseFieldSelector('pods', 'spec.containers=x'), /field label not supported: spec.containers/);
	assert.throws(
		() => parseFieldSelector('pods', 'justtext'),
		(e: unknown) => e instanceof ApiError && e.code === 400,
	);
	assert.equal(selectorFilter('pods', '', ''), undefined);
});

test('label and field selectors combine', () => {
	const filter = selectorFilter('pods', 'app=nginx', 'status.phase=Running')!;
	assert.equal(filter(pod('a', 'Running')), true);
	assert.equal(filter(pod('a', 'Pending')), false);
	assert.equal(filter({...pod('a', 'Running'), metadata: {name: 'a', labels: {app: 'db'}}}), false);
});

test('a LabelSelector object becomes the string Scale.status.selector shows', () => {
	const requirements = labelSelectorRequirements({
		matchLabels: {tier: 'web', app: 'nginx'},
		matchExpressions: [
			{key: 'env', operator: 'In', values: ['prod', 'dev']},
			{key: 'canary', operator: 'DoesNotExist'},
		],
	});
	assert.equal(formatLabelSelector(requirements), 'app=nginx,!canary,env in (dev,prod),tier=web');
	// The string parses back to the same meaning.
	const again = parseLabelSelector(formatLabelSelector(requirements));
	assert.equal(matchesLabels(again, {app: 'nginx', tier: 'web', env: 'dev'}), true);
	assert.equal(matchesLabels(again, {app: 'nginx', tier: 'web', env: 'dev', canary: 'y'}), false);
});
