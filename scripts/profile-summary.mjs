// Summarises a V8 CPU profile (`node --cpu-prof` writes *.cpuprofile): total and idle time, then the functions
// and the source lines with the most self time, and the project functions with the most total (inclusive) time.
// Not a test; a reading aid for the benchmarks. Usage: node scripts/profile-summary.mjs FILE.cpuprofile [rows=25]
import {readFileSync} from 'node:fs';

const file = process.argv[2];
const rows = Number(process.argv[3] ?? 25) || 25;
if (!file) {
	console.error('usage: node scripts/profile-summary.mjs FILE.cpuprofile [rows]');
	process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from the sample intervals.
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
	const id = profile.samples[i];
	self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const name = (n) => {
	const f = n.callFrame;
	const url = f.url.replace(/^.*\/(source|dist|node_modules)\//, '$1/');
	return `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber + 1}`;
};
const idle = [...self].filter(([id]) => /^\((idle|program|garbage collector)\)$/.test(nodes.get(id).callFrame.functionName));
console.log(`profile ${file}: ${(total / 1000).toFixed(2)} s sampled`);
for (const [id, ms] of idle)
	console.log(`  ${nodes.get(id).callFrame.functionName}: ${(ms / 1000).toFixed(2)} s (${((100 * ms) / total).toFixed(1)}%)`);

const bySelf = new Map();
for (const [id, ms] of self) {
	const key = name(nodes.get(id));
	bySelf.set(key, (bySelf.get(key) ?? 0) + ms);
}
console.log(`\ntop ${rows} by self time:`);
for (const [key, ms] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, rows))
	console.log(`  ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${key}`);

// Inclusive time of project functions: a node's samples count for each distinct project frame above it.
const inclusive = new Map();
for (const [id, ms] of self) {
	const seen = new Set();
	for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
		const n = nodes.get(cur);
		if (!/\/(source|dist)\//.test(n.callFrame.url)) continue;
		const key = name(n);
		if (seen.has(key)) continue;
		seen.add(key);
		inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
	}
}
console.log(`\ntop ${rows} project functions by total time:`);
for (const [key, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, rows))
	console.log(`  ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${key}`);
