// The sim's controllers and store are layered: no module imports one that (directly or through others) imports
// it back, type-only imports included. The kubelet's start, run and stop steps used to import each other in a
// circle; they now reach each other through the PodLifecycle that kubelet.ts wires.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';

const sim = resolve(import.meta.dirname, '../../source/sim');

function tsFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((entry) => {
		const path = join(dir, entry);
		if (statSync(path).isDirectory()) return tsFiles(path);
		return entry.endsWith('.ts') ? [path] : [];
	});
}

/** Relative imports and re-exports of each file (type-only ones too), as absolute paths. */
function importGraph(files: string[]): Map<string, string[]> {
	const graph = new Map<string, string[]>();
	for (const file of files) {
		const text = readFileSync(file, 'utf8');
		const deps = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)].map((m) =>
			resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')),
		);
		graph.set(file, deps);
	}
	return graph;
}

function cycles(graph: Map<string, string[]>, within: (file: string) => boolean): string[][] {
	const found: string[][] = [];
	const state = new Map<string, 'open' | 'done'>();
	const stack: string[] = [];
	const visit = (file: string) => {
		state.set(file, 'open');
		stack.push(file);
		for (const dep of graph.get(file) ?? []) {
			if (!within(dep)) continue;
			if (state.get(dep) === 'open') found.push([...stack.slice(stack.indexOf(dep)), dep].map((f) => relative(sim, f)));
			else if (!state.has(dep)) visit(dep);
		}
		stack.pop();
		state.set(file, 'done');
	};
	for (const file of graph.keys()) if (within(file) && !state.has(file)) visit(file);
	return found;
}

test('the controllers (the kubelet among them) and the store modules import one another without cycles', () => {
	const files = tsFiles(sim);
	const graph = importGraph(files);
	const layered = (file: string) =>
		file.startsWith(join(sim, 'controllers')) ||
		['store.ts', 'object.ts', 'indexer.ts', 'sorted-keys.ts', 'frozen.ts'].some((f) => file === join(sim, f));
	assert.ok(
		files.some((f) => f.endsWith('controllers/kubelet-run.ts')),
		'the kubelet files are where this test looks',
	);
	assert.deepEqual(cycles(graph, layered), []);
});
