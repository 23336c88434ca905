// The benchmark's cluster, in a process of its own (so the cockpit's CPU and memory are only its own): the embedded
// cluster's scale scenario, plus a log of every pod change it makes after start-up (wall-clock ms, resourceVersion,
// name), which the benchmark matches against the frames the cockpit drew to measure change-to-screen latency.
// Usage: node --import tsx scripts/bench/sim.ts DIR PODS CHURN
// Writes DIR/ready.json ({url, token, ca, kubeconfig}) once the API server serves, DIR/changes.jsonl as pods change;
// stops on SIGTERM or SIGINT, or when its parent goes away.
import {appendFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {startCluster} from '../../source/sim/cluster.js';

const [dir, podsArg, churnArg] = process.argv.slice(2);
const pods = Number(podsArg);
const churn = Number(churnArg);
if (!dir || !Number.isInteger(pods) || pods < 1 || !Number.isFinite(churn) || churn < 0) {
	console.error('usage: node --import tsx scripts/bench/sim.ts DIR PODS CHURN');
	process.exit(2);
}
const kubeconfig = path.join(dir, 'kubeconfig');
const changes = path.join(dir, 'changes.jsonl');
const cluster = await startCluster({scenario: 'scale', scale: {pods, churn}, kubeconfigOut: kubeconfig, onError: () => {}});
writeFileSync(changes, '');
let buffered: string[] = [];
cluster.store.subscribe((e) => {
	if (e.resource !== 'pods') return;
	buffered.push(JSON.stringify({t: Date.now(), rv: e.rv, type: e.type, name: e.object.metadata?.name}));
});
const flush = () => {
	if (buffered.length === 0) return;
	appendFileSync(changes, `${buffered.join('\n')}\n`);
	buffered = [];
};
const flusher = setInterval(flush, 200);
// The CA that signed the API server's certificate, so the floor verifies TLS as the cockpit and kubectl do.
const caData = /certificate-authority-data:\s*(\S+)/.exec(cluster.kubeconfig)?.[1];
const ca = caData ? Buffer.from(caData, 'base64').toString('utf8') : undefined;
writeFileSync(path.join(dir, 'ready.json'), JSON.stringify({url: cluster.url, token: cluster.token, ca, kubeconfig}));
let stopping = false;
const stop = async () => {
	if (stopping) return;
	stopping = true;
	clearInterval(flusher);
	flush();
	await cluster.stop();
	process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The benchmark holds our stdin open; when it goes away (even killed), so do we.
process.stdin.on('end', stop);
process.stdin.resume();
