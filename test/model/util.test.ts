import {test} from 'node:test';
import assert from 'node:assert/strict';
import {labelSelectorString, parseGoInt, parseQuantity, semanticEqual, toMillis} from '../../source/model/util.js';

test("labelSelectorString: a LabelSelector as the labelSelector query (metav1.LabelSelectorAsSelector's String())", () => {
	const table: [string, Parameters<typeof labelSelectorString>[0], string | undefined][] = [
		['none', undefined, ''],
		['matchLabels, sorted by key', {matchLabels: {tier: 'web', app: 'nginx'}}, 'app=nginx,tier=web'],
		[
			'every operator, values sorted, requirements sorted by key',
			{
				matchLabels: {app: 'nginx'},
				matchExpressions: [
					{key: 'zone', operator: 'In', values: ['b', 'a']},
					{key: 'env', operator: 'NotIn', values: ['dev']},
					{key: 'canary', operator: 'DoesNotExist'},
					{key: 'team', operator: 'Exists'},
				],
			},
			'app=nginx,!canary,env notin (dev),team,zone in (a,b)',
		],
		['an operator the API does not know cannot be expressed', {matchExpressions: [{key: 'a', operator: 'Gt', values: ['1']}]}, undefined],
	];
	for (const [name, selector, want] of table) assert.equal(labelSelectorString(selector), want, name);
});

test('semanticEqual: empty values equal absent ones, quantities by value, arrays in order', () => {
	assert.equal(semanticEqual({a: [], b: {}, c: null}, {}), true);
	assert.equal(semanticEqual({a: ''}, {}), false);
	assert.equal(semanticEqual({resources: {limits: {cpu: '1'}}}, {resources: {limits: {cpu: '1000m'}}}), true);
	assert.equal(semanticEqual({limits: {cpu: '2'}}, {limits: {cpu: '1'}}), false);
	// Outside resource maps, "1" and "1000m" are just different strings.
	assert.equal(semanticEqual({image: '1'}, {image: '1000m'}), false);
	assert.equal(semanticEqual([1, 2], [2, 1]), false);
});

test('parseQuantity understands resource.Quantity suffixes', () => {
	const table: [unknown, number | undefined][] = [
		['100m', 0.1],
		['1', 1],
		['1.5', 1.5],
		['2k', 2000],
		['1Ki', 1024],
		['128Mi', 128 * 2 ** 20],
		['1Gi', 2 ** 30],
		['1e3', 1000],
		['5n', 5e-9],
		[3, 3],
		['abc', undefined],
		['1 Gi', undefined],
		[null, undefined],
	];
	for (const [q, want] of table) assert.equal(parseQuantity(q), want, String(q));
});

test('parseGoInt and toMillis', () => {
	assert.deepEqual(parseGoInt('-3'), {ok: true, value: -3});
	assert.deepEqual(parseGoInt(''), {ok: false, error: 'strconv.ParseInt: parsing "": invalid syntax'});
	assert.equal(toMillis('2025-06-01T12:00:00Z'), Date.parse('2025-06-01T12:00:00Z'));
	assert.equal(toMillis('0001-01-01T00:00:00Z'), undefined);
	assert.equal(toMillis(''), undefined);
	assert.equal(toMillis(null), undefined);
});
