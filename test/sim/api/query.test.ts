// Query parameters as the real API server parses them (apimachinery's conversions, Go's url.ParseQuery),
// table-tested on the parser and then over raw HTTP, as a client other than kubectl sends them.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {goQuote, listOptions, parseInt64, parseQuery, queryBool} from '../../../source/sim/api/query.js';
import {ApiError} from '../../../source/sim/errors.js';
import {startTestServer, storeSnapshot, type TestServer} from './helpers.js';

describe('Convert_Slice_string_To_bool', () => {
	const cases: [string, boolean][] = [
		['watch', true],
		['watch=', true],
		['watch=true', true],
		['watch=True', true],
		['watch=TRUE', true],
		['watch=yes', true],
		['watch=1', true],
		['watch=no', true],
		['watch=%20', true],
		['watch=false', false],
		['watch=FALSE', false],
		['watch=False', false],
		['watch=0', false],
		['', false],
		['other=true', false],
		// Only the first value counts.
		['watch=0&watch=true', false],
		['watch=true&watch=0', true],
	];
	for (const [query, want] of cases) {
		test(`?${query} is ${want}`, () => assert.equal(queryBool(parseQuery(query), 'watch'), want));
	}
});

describe("Go's url.ParseQuery", () => {
	test('splits on & only; + is a space; a pair with ; or a bad escape is dropped', () => {
		const q = parseQuery('a=1&b=x+y&c=%41%42&d=1;e=2&f=%zz&g=%4&h=ok&=empty-key&i');
		assert.deepEqual(
			[...q.entries()],
			[
				['a', '1'],
				['b', 'x y'],
				['c', 'AB'],
				['h', 'ok'],
				['', 'empty-key'],
				['i', ''],
			],
		);
	});
});

describe('strconv.ParseInt', () => {
	const good: [string, number][] = [
		['0', 0],
		['42', 42],
		['+7', 7],
		['-3', -3],
		['007', 7],
	];
	for (const [s, n] of good) test(`${JSON.stringify(s)} is ${n}`, () => assert.equal(parseInt64(s), n));
	const bad: [string, string][] = [
		['', 'strconv.ParseInt: parsing "": invalid syntax'],
		['abc', 'strconv.ParseInt: parsing "abc": invalid syntax'],
		['1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
		[' 1', 'strconv.ParseInt: parsing " 1": invalid syntax'],
		['1_000', 'strconv.ParseInt: parsing "1_000": invalid syntax'],
		['0x10', 'strconv.ParseInt: parsing "0x10": invalid syntax'],
		['9223372036854775808', 'strconv.ParseInt: parsing "9223372036854775808": value out of range'],
		['-9223372036854775809', 'strconv.ParseInt: parsing "-9223372036854775809": value out of range'],
		['tab\there', 'strconv.ParseInt: parsing "tab\\there": invalid syntax'],
	];
	for (const [s, message] of bad) test(`${JSON.stringify(s)} fails: ${message}`, () => assert.throws(() => parseInt64(s), {message}));
	test('goQuote escapes as Go does', () => {
		assert.equal(goQuote('a"b\\c\x01\n'), '"a\\"b\\\\c\\x01\\n"');
		assert.equal(goQuote('héllo'), '"héllo"');
	});
});

describe('ListOptions decoding and validation', () => {
	const status = (fn: () => unknown) => {
		try {
			fn();
		} catch (error) {
			assert.ok(error instanceof ApiError);
			return {code: error.code, message: error.message};
		}
		assert.fail('expected an ApiError');
	};
	test('a watch from "" or "0" is defaulted to a watch-list (SetListOptionsDefaults with WatchList on)', () => {
		assert.equal(listOptions(parseQuery('watch=1')).sendInitialEvents, true);
		assert.equal(listOptions(parseQuery('watch=1&resourceVersion=0')).sendInitialEvents, true);
		assert.equal(listOptions(parseQuery('watch=1&resourceVersion=12')).sendInitialEvents, undefined);
		assert.equal(listOptions(parseQuery('watch=1&sendInitialEvents=false&resourceVersionMatch=NotOlderThan')).sendInitialEvents, false);
		assert.equal(listOptions(parseQuery('watch=0')).sendInitialEvents, undefined);
	});
	test('bad integers are 400 with the conversion text', () => {
		assert.deepEqual(
			status(() => listOptions(parseQuery('limit=ten'))),
			{code: 400, message: 'strconv.ParseInt: parsing "ten": invalid syntax'},
		);
		assert.deepEqual(
			status(() => listOptions(parseQuery('watch=1&timeoutSeconds=1e3'))),
			{code: 400, message: 'strconv.ParseInt: parsing "1e3": invalid syntax'},
		);
	});
	test('contradicting options are 422 ListOptions.meta.k8s.io', () => {
		assert.deepEqual(
			status(() => listOptions(parseQuery('sendInitialEvents=true'))),
			{
				code: 422,
				message: 'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
			},
		);
		assert.deepEqual(
			status(() => listOptions(parseQuery('watch=1&sendInitialEvents=true'))),
			{
				code: 422,
				message:
					'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
			},
		);
		assert.deepEqual(
			status(() => listOptions(parseQuery('resourceVersionMatch=Newest&resourceVersion=3'))),
			{
				code: 422,
				message:
					'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""',
			},
		);
	});
});

describe('the parsing rules over raw HTTP', () => {
	let t: TestServer;
	const pods = '/api/v1/namespaces/default/pods';
	before(async () => {
		t = await startTestServer();
		t.store.create('pods', {
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {name: 'p1', namespace: 'default'},
			spec: {containers: [{name: 'c', image: 'nginx:1.18'}]},
		});
	});
	after(() => t.close());

	// A watch answers lines of {"type","object"}; timeoutSeconds=1 ends it, so the whole answer can be read.
	const watchLines = (text: string) =>
		text
			.split('\n')
			.filter((l) => l !== '')
			.map((l) => JSON.parse(l) as {type: string; object: any});

	for (const value of ['True', 'yes', '1', '', 'true']) {
		test(`?watch=${value} streams watch events`, async () => {
			const r = await t.call('GET', `${pods}?watch=${value}&timeoutSeconds=1`);
			assert.equal(r.status, 200);
			const lines = watchLines(r.text);
			assert.deepEqual(
				lines.map((l) => [l.type, l.object.metadata.name]),
				[['ADDED', 'p1']],
			);
		});
	}
	for (const value of ['FALSE', 'false', 'False', '0']) {
		test(`?watch=${value} lists`, async () => {
			const r = await t.call('GET', `${pods}?watch=${value}`);
			assert.equal(r.status, 200);
			assert.equal(r.json.kind, 'PodList');
			assert.deepEqual(
				r.json.items.map((p: any) => p.metadata.name),
				['p1'],
			);
		});
	}

	test('allowWatchBookmarks=True on a watch from "" ends the initial events with a bookmark', async () => {
		const r = await t.call('GET', `${pods}?watch=1&allowWatchBookmarks=True&timeoutSeconds=1`);
		const lines = watchLines(r.text);
		assert.deepEqual(
			lines.map((l) => l.type),
			['ADDED', 'BOOKMARK'],
		);
		assert.equal(lines[1]!.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
	});

	test('GET of one object with ?watch=true is a plain get, as the server routes it', async () => {
		const r = await t.call('GET', `${pods}/p1?watch=true`);
		assert.equal(r.status, 200);
		assert.equal(r.json.kind, 'Pod');
		assert.equal(r.json.metadata.name, 'p1');
	});

	test('a bad limit or timeoutSeconds is 400 BadRequest with strconv text', async () => {
		for (const [query, value] of [
			['limit=abc', 'abc'],
			['watch=1&timeoutSeconds=5s', '5s'],
			['limit=99999999999999999999', '99999999999999999999'],
		]) {
			const r = await t.call('GET', `${pods}?${query}`);
			assert.equal(r.status, 400, query);
			assert.equal(r.json.reason, 'BadRequest');
			const why = value.length > 19 ? 'value out of range' : 'invalid syntax';
			assert.equal(r.json.message, `strconv.ParseInt: parsing "${value}": ${why}`);
		}
	});

	test('limit=+1 pages as 1 (strconv accepts a sign)', async () => {
		t.store.create('pods', {
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {name: 'p2', namespace: 'default'},
			spec: {containers: [{name: 'c', image: 'nginx:1.18'}]},
		});
		const r = await t.call('GET', `${pods}?limit=%2B1`);
		assert.equal(r.status, 200);
		assert.equal(r.json.items.length, 1);
		assert.ok(r.json.metadata.continue);
		t.store.delete('pods', 'default', 'p2');
	});

	test('sendInitialEvents on a list is 422 Invalid', async () => {
		const r = await t.call('GET', `${pods}?sendInitialEvents=true`);
		assert.equal(r.status, 422);
		assert.equal(r.json.reason, 'Invalid');
		assert.equal(r.json.details.kind, 'ListOptions');
		assert.equal(r.json.details.group, 'meta.k8s.io');
		assert.deepEqual(r.json.details.causes, [
			{reason: 'FieldValueForbidden', field: 'sendInitialEvents', message: 'Forbidden: sendInitialEvents is forbidden for list'},
		]);
	});

	test('DELETE with a bad gracePeriodSeconds is 400 and deletes nothing; with a body the query is not read', async () => {
		const before = storeSnapshot(t.store);
		const bad = await t.call('DELETE', `${pods}/p1?gracePeriodSeconds=soon`);
		assert.equal(bad.status, 400);
		assert.equal(bad.json.message, 'strconv.ParseInt: parsing "soon": invalid syntax');
		assert.equal(storeSnapshot(t.store), before);
		// The body's options win and the bad query value is never parsed (handlers/delete.go reads one or the other).
		const dry = await t.call('DELETE', `${pods}/p1?gracePeriodSeconds=soon`, {
			body: {kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All']},
		});
		assert.equal(dry.status, 200);
		assert.equal(storeSnapshot(t.store), before);
	});

	test('DELETE ?uid= is a precondition, as Convert_url_Values_To_v1_DeleteOptions makes it', async () => {
		const before = storeSnapshot(t.store);
		const r = await t.call('DELETE', `${pods}/p1?uid=not-the-uid&dryRun=All`);
		assert.equal(r.status, 409);
		assert.match(r.json.message, /^Precondition failed: UID in precondition: not-the-uid, UID in object meta: /);
		assert.equal(storeSnapshot(t.store), before);
	});

	test('a pair with a semicolon is dropped, as Go 1.17+ drops it', async () => {
		const r = await t.call('GET', `${pods}?watch=true;timeoutSeconds=1`);
		assert.equal(r.status, 200);
		assert.equal(r.json.kind, 'PodList');
	});
});
