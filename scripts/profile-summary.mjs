// Summarises a V8 CPU profile (`node --cpu-prof` writes *.cpuprofile): total and idle time, then the functions
// and the source lines with the most self time, the project functions with the most total (inclusive) time, and the
// longest stretches of work with no idle moment (what keeps the event loop from answering).
// Not a test; a reading aid for the benchmarks.
// Usage: node scripts/profile-summary.mjs FILE.cpuprofile [rows=25] [--from S] [--to S]
//   --from/--to keep only the samples between S seconds into the profile (say, a benchmark's window, not start-up).
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';

const {positionals, values} = parseArgs({allowPositionals: true, options: {from: {type: 'string'}, to: {type: 'string'}}});
const [file, rowsArg] = positionals;
const rows = Number(rowsArg ?? 25) || 25;
if (!file) {
	console.error('usage: node scripts/profile-summary.mjs FILE.cpuprofile [rows] [--from S] [--to S]');
	process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
// Keep the samples in the window: the others count as nothing (their node id becomes 0, which no node has).
{
	const from = Number(values.from ?? 0) * 1e6;
	const to = values.to === undefined ? Number.POSITIVE_INFINITY : Number(values.to) * 1e6;
	let at = 0;
	profile.samples = profile.samples.map((id, i) => {
		at += profile.timeDeltas[i] ?? 0;
		return at >= from && at <= to ? id : 0;
	});
}
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from the sample intervals.
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
	const id = profile.samples[i];
	if (id === 0) continue;
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

// What blocks the event loop: the longest stretches of samples with no idle one between them (a macrotask and
// what runs with it), each with its start (seconds into the profile) and the project functions that took most of it.
const stretches = [];
let open;
let clock = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
	const dt = (profile.timeDeltas[i] ?? 0) / 1000;
	clock += dt * 1000;
	const n = nodes.get(profile.samples[i]);
	if (!n || n.callFrame.functionName === '(idle)') {
		if (open) stretches.push(open);
		open = undefined;
		continue;
	}
	open ??= {at: (clock - profile.startTime) / 1e6, ms: 0, ids: new Map()};
	open.ms += dt;
	open.ids.set(n.id, (open.ids.get(n.id) ?? 0) + dt);
}
if (open) stretches.push(open);
const busyOver = (limit) => stretches.filter((s) => s.ms > limit).length;
console.log(
	`\nbusy stretches (no idle sample between): ${stretches.length}; over 20 ms: ${busyOver(20)}, over 50 ms: ${busyOver(50)}, over 100 ms: ${busyOver(100)}`,
);
console.log(`longest ${Math.min(rows, stretches.length)}, with the functions of most self time in them:`);
for (const s of [...stretches].sort((a, b) => b.ms - a.ms).slice(0, rows)) {
	const within = new Map();
	for (const [id, ms] of s.ids) {
		const key = name(nodes.get(id));
		within.set(key, (within.get(key) ?? 0) + ms);
	}
	const top = [...within].sort((a, b) => b[1] - a[1]).slice(0, 4);
	console.log(`  ${s.ms.toFixed(0).padStart(5)} ms at ${s.at.toFixed(1)} s: ${top.map(([k, ms]) => `${k} ${ms.toFixed(0)}`).join('; ')}`);
}
