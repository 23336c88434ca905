// Property-based tests (fast-check): what the user types goes into the input validators (image references, replica
// counts, revision numbers), and what a server sends goes into everything that parses a watch stream (the line
// splitter, the event step, and the whole reflector over HTTP with the body cut at random places, even inside a
// UTF-8 character). Each property states what must hold for every input, so a counterexample is a real bug.
import assert from 'node:assert/strict';
import http from 'node:http';
import {after, before, describe, test} from 'node:test';
import fc from 'fast-check';
import {KubeConfig} from '@kubernetes/client-node';
import {parseReplicas, planUndo} from '../../source/kube/actions/index.js';
import {connectionFrom, type Connection} from '../../source/kube/connect.js';
import {handleWatchLine, reflect, splitLines, type WatchEventType} from '../../source/kube/watch.js';
import {validateImageReference} from '../../source/model/image-ref.js';
import {deployment, replicaSets} from './actions-fixtures.js';
import {waitFor} from '../helpers/wait.js';
import {closeServer, listenOnLoopback} from '../helpers/ports.js';

const RUNS = {numRuns: 300};

describe('image references', () => {
	const alnum = fc.stringMatching(/^[a-z0-9]{1,8}$/);
	const component = fc
		.tuple(alnum, fc.array(fc.tuple(fc.constantFrom('.', '_', '__', '-', '--'), alnum), {maxLength: 2}))
		.map(([head, rest]) => head + rest.map(([sep, part]) => sep + part).join(''));
	const domain = fc.oneof(
		fc.constant('localhost'),
		fc.tuple(fc.stringMatching(/^[a-z0-9]{1,6}$/), fc.stringMatching(/^[a-z]{2,4}$/)).map(([a, b]) => `${a}.${b}`),
		fc.tuple(fc.stringMatching(/^[a-z0-9]{1,6}$/), fc.integer({min: 1, max: 65535})).map(([h, port]) => `${h}.local:${port}`),
	);
	const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
	const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((hex) => `sha256:${hex}`);
	// Without a registry, a first component with a "." would be read as one (docker's rule): such names come with one.
	const reference = fc
		.record({
			domain: fc.option(domain, {nil: undefined}),
			path: fc.array(component, {minLength: 1, maxLength: 3}),
			tag: fc.option(tag, {nil: undefined}),
			digest: fc.option(digest, {nil: undefined}),
		})
		.filter((r) => r.domain !== undefined || r.path.length === 1 || !r.path[0]!.includes('.'));

	test('every reference of the grammar is accepted, and its parts come back', () => {
		fc.assert(
			fc.property(reference, ({domain, path, tag, digest}) => {
				const text = `${domain ? `${domain}/` : ''}${path.join('/')}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
				const verdict = validateImageReference(text);
				assert.ok(verdict.ok, `${text}: ${!verdict.ok && verdict.reason}`);
				assert.equal(verdict.tag, tag);
				assert.equal(verdict.digest, digest);
				if (domain) assert.equal(verdict.domain, domain);
				assert.ok(verdict.normalized.endsWith(path.join('/') + (tag ? `:${tag}` : digest ? '' : ':latest') + (digest ? `@${digest}` : '')));
			}),
			RUNS,
		);
	});

	test('a reference with a space, an upper-case repository, an empty component or a bad tag is refused with a reason', () => {
		const broken = fc.oneof(
			fc.tuple(component, component).map(([a, b]) => `${a} ${b}`),
			component.filter((c) => /[a-z]/.test(c)).map((c) => `library/${c.toUpperCase()}`),
			fc.tuple(component, component).map(([a, b]) => `${a}//${b}`),
			component.map((c) => `${c}:`),
			fc.tuple(component, fc.stringMatching(/^[.-][a-z0-9]{0,5}$/)).map(([c, t]) => `${c}:${t}`),
			fc.tuple(component, fc.integer({min: 129, max: 300})).map(([c, n]) => `${c}:${'a'.repeat(n)}`),
			component.map((c) => `${c}@sha256:abc`),
		);
		fc.assert(
			fc.property(broken, (text) => {
				const verdict = validateImageReference(text);
				assert.equal(verdict.ok, false, text);
				assert.ok(!verdict.ok && verdict.reason.length > 0 && !verdict.reason.includes('\n'));
			}),
			RUNS,
		);
	});

	test('any text at all gets a verdict, never an exception', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary', maxLength: 300}), (text) => {
				const verdict = validateImageReference(text);
				assert.equal(typeof verdict.ok, 'boolean');
			}),
			RUNS,
		);
	});
});

describe('replica counts', () => {
	test('a whole number from 0 to 2^31-1, however written (spaces, a plus, leading zeros), is that count', () => {
		fc.assert(
			fc.property(
				fc.integer({min: 0, max: 2 ** 31 - 1}),
				fc.constantFrom('', ' ', '  '),
				fc.constantFrom('', '+'),
				fc.constantFrom('', '0', '00'),
				(n, pad, sign, zeros) => {
					const parsed = parseReplicas(`${pad}${sign}${zeros}${n}${pad}`);
					assert.deepEqual(parsed, {ok: true, value: n});
					assert.deepEqual(parseReplicas(n), {ok: true, value: n});
				},
			),
			RUNS,
		);
	});

	test('negative, too large, fractional or non-numeric counts are refused with a reason', () => {
		const bad = fc.oneof(
			fc.integer({min: -(2 ** 31), max: -1}).map(String),
			fc.integer({min: 2 ** 31, max: Number.MAX_SAFE_INTEGER}).map(String),
			fc.tuple(fc.integer({min: 0, max: 100}), fc.integer({min: 1, max: 99})).map(([a, b]) => `${a}.${b}`),
			fc.string({maxLength: 12}).filter((s) => !/^\s*[+-]?[0-9]+\s*$/.test(s)),
		);
		fc.assert(
			fc.property(bad, (text) => {
				const parsed = parseReplicas(text);
				assert.equal(parsed.ok, false, text);
				assert.match(!parsed.ok ? parsed.message : '', /^replicas must be/);
			}),
			RUNS,
		);
		fc.assert(
			fc.property(fc.double({noInteger: true}), (x) => assert.equal(parseReplicas(x).ok, false)),
			RUNS,
		);
	});
});

describe('revision numbers (undo on revision 3 of 1, 2, 3)', () => {
	const ctx = () => ({deployment: deployment(), replicaSets: replicaSets()});
	test('1 and 2 are planned as that revision, 0 as the previous one (2), 3 is nothing to do, any other is not in the history', () => {
		fc.assert(
			fc.property(fc.integer({min: -1000, max: 1000}), fc.boolean(), (n, asText) => {
				const planned = planUndo(ctx(), asText ? ` ${n} ` : n);
				if (n === 1 || n === 2 || n === 0) {
					assert.ok(planned.ok, `revision ${n}`);
					assert.equal(planned.ok && planned.plan.intent.action === 'undo' && planned.plan.intent.toRevision, n === 0 ? 2 : n);
				} else if (n === 3) {
					assert.deepEqual([planned.ok, !planned.ok && planned.reason], [false, 'noop']);
				} else {
					assert.equal(planned.ok, false);
					assert.match(!planned.ok ? planned.message : '', new RegExp(`unable to find specified revision ${n} in history`));
				}
			}),
			RUNS,
		);
	});

	test('text that is not a whole number is refused before anything is looked up', () => {
		fc.assert(
			fc.property(
				fc.string({maxLength: 10}).filter((s) => !/^\s*[+-]?[0-9]+\s*$/.test(s)),
				(text) => {
					const planned = planUndo(ctx(), text);
					assert.equal(planned.ok, false);
					assert.match(!planned.ok ? planned.message : '', /^revision must be a whole number/);
				},
			),
			RUNS,
		);
	});
});

// A watch event as the apiserver writes it, with names and labels from all of Unicode.
const watchEvent = fc.record({
	type: fc.constantFrom('ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK'),
	name: fc.string({unit: 'grapheme', minLength: 1, maxLength: 12}),
	note: fc.string({unit: 'binary', maxLength: 20}),
});
type GenEvent = {type: string; name: string; note: string};
const line = (e: GenEvent, rv: number) =>
	JSON.stringify({type: e.type, object: {kind: 'Pod', metadata: {name: e.name, resourceVersion: String(rv), annotations: {note: e.note}}}});

// Cut points into a text: where a chunk ends.
const cuts = (length: number) =>
	fc.uniqueArray(fc.integer({min: 1, max: Math.max(1, length - 1)}), {maxLength: 12}).map((c) => [...c].sort((a, b) => a - b));

describe('watch streams', () => {
	test('split into chunks anywhere, the lines come out whole and in order; blank lines are skipped', () => {
		fc.assert(
			fc.property(
				fc.array(watchEvent, {maxLength: 15}).chain((events) => {
					const text = events.map((e, i) => line(e, i + 1)).join('\n\n') + (events.length > 0 ? '\n' : '');
					return fc.tuple(fc.constant(events), fc.constant(text), cuts(text.length));
				}),
				([events, text, at]) => {
					let rest = '';
					const lines: string[] = [];
					let from = 0;
					for (const cut of [...at, text.length]) {
						const out = splitLines(rest, text.slice(from, cut));
						lines.push(...out.lines);
						rest = out.rest;
						from = cut;
					}
					assert.equal(rest, '');
					assert.deepEqual(
						lines,
						events.map((e, i) => line(e, i + 1)),
					);
				},
			),
			RUNS,
		);
	});

	test('the event step: each event delivered once, bookmarks only move the resourceVersion', () => {
		fc.assert(
			fc.property(fc.array(watchEvent, {maxLength: 20}), (events) => {
				const delivered: Array<[WatchEventType, string]> = [];
				let rv: string | undefined;
				for (const [i, e] of events.entries()) {
					const result = handleWatchLine(
						line(e, i + 1),
						'/p',
						(raw) => raw as {metadata: {name: string}},
						(type, obj) => delivered.push([type, obj.metadata.name]),
					);
					assert.ok(result.kind === 'delivered' || result.kind === 'bookmark');
					rv = result.kind === 'delivered' || result.kind === 'bookmark' ? result.resourceVersion : rv;
				}
				assert.deepEqual(
					delivered,
					events.filter((e) => e.type !== 'BOOKMARK').map((e) => [e.type, e.name]),
				);
				if (events.length > 0) assert.equal(rv, String(events.length));
			}),
			RUNS,
		);
	});

	test('malformed lines (any text, any JSON, cut JSON) end the watch as an error or are ignored; nothing throws', () => {
		const malformed = fc.oneof(
			fc.string({unit: 'binary', maxLength: 200}),
			fc.jsonValue().map((v) => JSON.stringify(v)),
			fc.tuple(watchEvent, fc.integer({min: 1, max: 40})).map(([e, n]) => line(e, 1).slice(0, -n)),
			fc.record({type: fc.string(), object: fc.jsonValue()}).map((v) => JSON.stringify(v)),
		);
		fc.assert(
			fc.property(malformed, (text) => {
				let result: ReturnType<typeof handleWatchLine> | undefined;
				assert.doesNotThrow(() => {
					result = handleWatchLine(
						text,
						'/p',
						(raw) => raw,
						() => {},
					);
				});
				assert.ok(['delivered', 'bookmark', 'ignored', 'error', 'expired'].includes(result!.kind));
				let json: unknown;
				try {
					json = JSON.parse(text);
				} catch {
					assert.equal(result!.kind, 'error', 'a line that is not JSON ends the watch');
				}
				const type = (json as {type?: unknown} | null)?.type;
				if (result!.kind === 'delivered') assert.ok(type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED');
			}),
			RUNS,
		);
	});

	test('a handler that throws ends the watch with an error naming it, never an exception out of the stream', () => {
		fc.assert(
			fc.property(
				watchEvent.filter((e) => e.type !== 'BOOKMARK'),
				fc.string(),
				(e, message) => {
					const result = handleWatchLine(
						line(e, 1),
						'/p',
						(raw) => raw,
						() => {
							throw new Error(message);
						},
					);
					assert.equal(result.kind, 'error');
					assert.match(result.kind === 'error' ? result.error.message : '', new RegExp(`^handling a ${e.type} event failed`));
				},
			),
			{numRuns: 100},
		);
	});
});

// The whole reflector over HTTP: a server whose watch body is the events' lines, written as byte chunks cut anywhere
// (inside a line, inside a multi-byte UTF-8 character); what the reflector delivers is every event once, in order.
describe('the reflector over HTTP, bodies cut at random bytes', () => {
	let server: http.Server;
	let conn: Connection;
	let next: {body: Buffer; cuts: number[]} = {body: Buffer.alloc(0), cuts: []};
	before(async () => {
		server = http.createServer((req, res) => {
			const url = new URL(req.url ?? '/', 'http://x');
			if (url.searchParams.get('watch') !== '1') {
				res.writeHead(200, {'Content-Type': 'application/json'});
				res.end(JSON.stringify({kind: 'PodList', metadata: {resourceVersion: '0'}, items: []}));
				return;
			}
			res.writeHead(200, {'Content-Type': 'application/json'});
			const {body, cuts} = next;
			let from = 0;
			const write = (i: number) => {
				if (i > cuts.length) return res.end();
				const to = i < cuts.length ? cuts[i]! : body.length;
				res.write(body.subarray(from, to));
				from = to;
				setImmediate(() => write(i + 1));
			};
			write(0);
		});
		await listenOnLoopback(server);
		const kc = new KubeConfig();
		kc.loadFromOptions({
			clusters: [{name: 'c', server: `http://127.0.0.1:${(server.address() as {port: number}).port}`, skipTLSVerify: true}],
			users: [{name: 'u'}],
			contexts: [{name: 'x', cluster: 'c', user: 'u'}],
			currentContext: 'x',
		});
		conn = connectionFrom(kc, 'default');
	});
	after(() => closeServer(server));

	test('every event once, in order, whatever the byte chunks', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc
					.array(
						watchEvent.filter((e) => e.type !== 'BOOKMARK'),
						{minLength: 1, maxLength: 10},
					)
					.chain((events) => {
						const body = Buffer.from(events.map((e, i) => `${line(e, i + 1)}\n`).join(''), 'utf8');
						return fc.tuple(fc.constant(events), fc.constant(body), cuts(body.length));
					}),
				async ([events, body, at]) => {
					next = {body, cuts: at};
					const got: Array<[string, string]> = [];
					const r = reflect<{metadata: {name: string}}>({
						conn,
						path: '/api/v1/namespaces/default/pods',
						onSync: () => {},
						onEvent: (type, obj) => got.push([type, obj.metadata.name]),
						onState: () => {},
						timing: {minWatchTimeoutSeconds: 1, backoffInitialMs: 10_000},
					});
					try {
						await waitFor(() => got.length >= events.length, 5000, 'the events');
					} finally {
						r.stop();
					}
					assert.deepEqual(
						got.slice(0, events.length),
						events.map((e) => [e.type, e.name]),
					);
				},
			),
			{numRuns: 40},
		);
	});
});
