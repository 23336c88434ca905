// The floor of the benchmark: one raw GET of the pod list and JSON.parse, nothing else, in a fresh Node process (so
// its time counts from process start, as the cockpit's first frame does). Prints one JSON line:
// {sinceStartMs, cpuMs, requestMs, bytes, items} (cpuMs: the CPU time the process spent, from its start). Usage: node scripts/bench/floor.mjs READY_JSON PATH
import {readFileSync} from 'node:fs';
import https from 'node:https';

const [ready, apiPath] = process.argv.slice(2);
const {url, token, ca} = JSON.parse(readFileSync(ready, 'utf8'));
const t0 = performance.now();
const body = await new Promise((resolve, reject) => {
	const req = https.get(new URL(apiPath, url), {headers: {Authorization: `Bearer ${token}`, Accept: 'application/json'}, ca}, (res) => {
		const chunks = [];
		res.on('data', (c) => chunks.push(c));
		res.on('end', () => resolve(Buffer.concat(chunks)));
		res.on('error', reject);
	});
	req.on('error', reject);
});
const list = JSON.parse(body.toString('utf8'));
const end = performance.now();
console.log(
	JSON.stringify({
		sinceStartMs: Math.round(end),
		cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
		requestMs: Math.round(end - t0),
		bytes: body.length,
		items: list.items?.length ?? 0,
	}),
);
