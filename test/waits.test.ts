// Every wait in the suite has a deadline of seconds: a test that breaks must fail naming what it waited for, not hold
// its file until the runner's 5-minute limit. This reads the test sources and finds the waits that have none:
// a promise made in a test with no timer of its own and not handed to within()/bounded() (test/helpers/wait.ts), an
// endless loop without a deadline, events' once(), `for await` and the synchronous child-process calls without a
// timeout. A wait that is bounded another way says so on its line: `// wait-ok: <why>`. What it cannot see is a
// promise the product hands back (a cluster's stop(), a client-node call, an informer's start): those are bounded where
// they are awaited, with within(), or once in a helper: the embedded cluster is started through
// test/helpers/sim-cluster.ts, and this check holds every test to it.
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..');

export type Unbounded = {line: number; rule: string; text: string};

// The index just past the bracket that closes the one at `open` (quotes, template literals and comments skipped).
function closing(source: string, open: number): number {
	const pairs: Record<string, string> = {'(': ')', '{': '}', '[': ']'};
	const stack: string[] = [];
	for (let i = open; i < source.length; i++) {
		const c = source[i]!;
		if (c === '/' && source[i + 1] === '/') {
			i = source.indexOf('\n', i);
			if (i < 0) return source.length;
			continue;
		}
		if (c === '/' && source[i + 1] === '*') {
			i = source.indexOf('*/', i + 2) + 1;
			continue;
		}
		if (c === "'" || c === '"' || c === '`') {
			for (i++; i < source.length && source[i] !== c; i++) if (source[i] === '\\') i++;
			continue;
		}
		if (pairs[c]) stack.push(pairs[c]);
		else if (c === ')' || c === '}' || c === ']') {
			stack.pop();
			if (stack.length === 0) return i + 1;
		}
	}
	return source.length;
}

const lineAt = (source: string, index: number) => source.slice(0, index).split('\n').length;
const lineText = (source: string, line: number) => source.split('\n')[line - 1] ?? '';

// A timer or a timeout option in the promise's own body bounds it.
const OWN_DEADLINE = /setTimeout\(|setImmediate\(|\btimeout: |\btimeoutMs\b/;

/** The waits without a deadline in one test source. */
export function unboundedWaits(source: string): Unbounded[] {
	const found: Unbounded[] = [];
	const add = (index: number, rule: string) => {
		const line = lineAt(source, index);
		const text = lineText(source, line);
		if (/\/\/ wait-ok: \S/.test(text) || /\/\/ wait-ok: \S/.test(lineText(source, line - 1))) return;
		found.push({line, rule, text: text.trim()});
	};
	for (const m of source.matchAll(/new Promise\b(<[^(]*>)?\(/g)) {
		const open = m.index + m[0].length - 1;
		const body = source.slice(open, closing(source, open));
		if (OWN_DEADLINE.test(body)) continue;
		const before = source.slice(Math.max(0, m.index - 40), m.index);
		if (/(within|bounded)\(\s*$/.test(before)) continue;
		add(m.index, 'a promise with no deadline: give it a timer, or wait on it with within()/bounded()');
	}
	for (const m of source.matchAll(/(?<![.\w])once\(/g)) {
		const before = source.slice(Math.max(0, m.index - 40), m.index);
		if (!/(within|bounded)\(\s*$/.test(before)) add(m.index, "events' once() with no deadline: wait on it with within()");
	}
	for (const m of source.matchAll(/for await \(/g)) add(m.index, '`for await` over a stream with no deadline');
	for (const m of source.matchAll(/\b(spawnSync|execFileSync|execSync)\(/g)) {
		const open = m.index + m[0].length - 1;
		if (!/\btimeout: /.test(source.slice(open, closing(source, open)))) add(m.index, `${m[1]} without a timeout`);
	}
	for (const m of source.matchAll(/\b(for \(;;\)|while \(true\))\s*\{/g)) {
		const open = m.index + m[0].length - 1;
		if (!/deadline|Date\.now\(\)|attempt/.test(source.slice(open, closing(source, open)))) add(m.index, 'an endless loop with no deadline');
	}
	for (const m of source.matchAll(/import \{[^}]*\bstartCluster\b[^}]*\} from '(\.\.\/)+source\/sim\/cluster\.js'/g))
		add(m.index, "the sim's own startCluster: its start and stop have no deadline; import it from test/helpers/sim-cluster.ts");
	return found;
}

function sources(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : sources(full);
		return /\.tsx?$/.test(entry.name) ? [full] : [];
	});
}

test('the check finds a wait with no deadline and passes a bounded one', () => {
	const cases: [string, string[]][] = [
		["await new Promise((resolve) => child.on('exit', resolve));", ['a promise with no deadline']],
		["await within(new Promise((resolve) => child.on('exit', resolve)), 5000, 'the child to exit');", []],
		['const ended = new Promise((resolve) => {\n\treq.on("close", resolve);\n});', ['a promise with no deadline']],
		['await new Promise((r) => setTimeout(r, 100));', []],
		[
			'execFile(bin, args, {timeout: 30_000}, (e, out) => resolve(out));\nnew Promise((resolve) => execFile(bin, args, {timeout: 30_000}, resolve));',
			[],
		],
		["const code = await new Promise((resolve) => child.on('exit', resolve)); // wait-ok: the child is killed after 5 s", []],
		["await once(server, 'listening');", ["events' once()"]],
		["await within(once(server, 'listening'), 5000, 'listening');", []],
		['for await (const chunk of stream) chunks.push(chunk);', ['`for await`']],
		["execFileSync('git', ['status']);", ['execFileSync without a timeout']],
		["execFileSync('git', ['status'], {timeout: 10_000});", []],
		['for (;;) {\n\tif (done()) break;\n\tawait tick();\n}', ['an endless loop']],
		['const deadline = Date.now() + 5000;\nfor (;;) {\n\tif (done()) break;\n\tif (Date.now() > deadline) throw new Error("x");\n}', []],
		["socket.once('close', () => sockets.delete(socket));", []],
		["import {startCluster, type SimCluster} from '../../source/sim/cluster.js';", ["the sim's own startCluster"]],
		["import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';", []],
	];
	for (const [source, rules] of cases) {
		const got = unboundedWaits(source).map((u) => u.rule);
		assert.equal(got.length, rules.length, `${source}\n→ ${JSON.stringify(got)}`);
		for (const [i, rule] of rules.entries()) assert.ok(got[i]!.startsWith(rule), `${source}\n→ ${got[i]}`);
	}
});

test('every wait in the test suite has a deadline of seconds', () => {
	// This file's own examples are waits without a deadline on purpose; sim-cluster.ts is where the sim's start is bounded.
	const files = sources(path.join(ROOT, 'test')).filter(
		(file) => file !== import.meta.filename && file !== path.join(ROOT, 'test/helpers/sim-cluster.ts'),
	);
	const found = files.flatMap((file) =>
		unboundedWaits(readFileSync(file, 'utf8')).map((u) => `${path.relative(ROOT, file)}:${u.line}: ${u.rule}\n    ${u.text}`),
	);
	assert.deepEqual(found, [], `waits with no deadline:\n${found.join('\n')}`);
});
