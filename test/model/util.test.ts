import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseGoInt, parseQuantity, semanticEqual, tabwrite, toMillis} from '../../source/model/util.js';

test('tabwrite pads each column to its widest cell plus padding, per block of lines', () => {
	assert.equal(tabwrite('REVISION\tCHANGE-CAUSE\n1\t<none>\n12\tx\n'), 'REVISION  CHANGE-CAUSE\n1         <none>\n12        x\n');
	// A line without a tab ends the block: the lines after it get their own, narrower column.
	assert.equal(
		tabwrite('REVISION\tCHANGE-CAUSE\n1\tfirst\nsecond line\n3\t<none>\n'),
		'REVISION  CHANGE-CAUSE\n1         first\nsecond line\n3  <none>\n',
	);
	// Nested columns and a missing trailing newline.
	assert.equal(tabwrite('a\tbb\tc\naaa\tb\tc\nx', 1), 'a   bb c\naaa b  c\nx');
	// Widths count characters, not bytes.
	assert.equal(tabwrite('é\tx\nab\ty\n', 1), 'é  x\nab y\n');
});

test('semanticEqual: empty values equal absent ones, quantities by value, arrays in order', () => {
	assert.equal(semanticEqual({a: [], b: {}, c: null}, {}), true);
	assert.equal(semanticEqual({a: ''}, {}), false);
	assert.equal(semanticEqual({resources: {limits: {cpu: '1'}}}, {resources: {limits: {cpu: '1000m'}}}), true);
	assert.equal(semanticEqual({limits: {cpu: '2'}}, {limits: {cpu: '1'}}), false);
	// Outside resource maps, "1" and "1000m" are just different strings.
	assert.equal(semanticEqual({image: '1'}, {image: '1000m'}), false);
	assert.equal(semanticEqual([1, 2], [2, 1]), false);
	assert.equal(semanticEqual(new Date('2025-06-01T12:00:00Z'), '2025-06-01T12:00:00Z'), true);
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
	assert.equal(toMillis(new Date(5)), 5);
	assert.equal(toMillis('0001-01-01T00:00:00Z'), undefined);
	assert.equal(toMillis(''), undefined);
	assert.equal(toMillis(null), undefined);
});
