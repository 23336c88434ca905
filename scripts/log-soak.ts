// The log layer in real time (on demand: `npm run soak:logs`, default 10 minutes): a local server plays 50 pods whose
// containers write 100 lines per second each to their pods/log follow streams (timestamps=true, as the kubelet
// writes them), the cockpit's store follows them with `L` (state/log-data.ts, real timers, real HTTP), and the
// process's heap and RSS are sampled every 30 s. Exits 1 if the heap after the last minute is more than 16 MB above
// the heap after the first (each after a full collection). test/state/log-memory.test.ts runs the same rate on a
// simulated clock in seconds, in the suite.
//
//   SOAK_MINUTES=10 SOAK_STREAMS=50 SOAK_RATE=100 npm run soak:logs
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import {KubeConfig} from '@kubernetes/client-node';
import {connectionFrom} from '../source/kube/connect.js';
import {startLogData} from '../source/state/log-data.js';
import {CockpitStore} from '../source/state/store.js';
import {screen} from '../source/screen/screen.js';
import {deployment, pod, replicaSet} from '../test/helpers/objects.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const STREAMS = Number(process.env.SOAK_STREAMS ?? 50);
const RATE = Number(process.env.SOAK_RATE ?? 100);
const TICK_MS = 100;

const heap = () => {
	gc();
	gc();
	const m = process.memoryUsage();
	return {heapMb: m.heapUsed / 1048576, rssMb: m.rss / 1048576};
};

// The pods' log streams: each writes RATE lines per second until the client goes.
const server = http.createServer((req, res) => {
	const m = /^\/api\/v1\/namespaces\/default\/pods\/([^/]+)\/log/.exec(req.url ?? '');
	if (!m) {
		res.writeHead(404).end();
		return;
	}
	res.writeHead(200, {'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked'});
	let n = 0;
	const perTick = (RATE * TICK_MS) / 1000;
	const timer = setInterval(() => {
		let chunk = '';
		const now = Date.now();
		for (let k = 0; k < perTick; k++) {
			const at = new Date(now + (k * TICK_MS) / perTick).toISOString().replace('Z', '000Z');
			chunk += `${at} 10.244.1.1 - - [01/Jun/2025:12:00:00 +0000] "GET /?n=${n++} HTTP/1.1" 200 612 "-" "soak" "-"\n`;
		}
		res.write(chunk);
	}, TICK_MS);
	req.on('close', () => clearInterval(timer));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;

const kc = new KubeConfig();
kc.loadFromOptions({
	clusters: [{name: 'soak', server: `http://127.0.0.1:${port}`, skipTLSVerify: true}],
	users: [{name: 'soak', token: 'soak'}],
	contexts: [{name: 'soak', cluster: 'soak', user: 'soak'}],
	currentContext: 'soak',
});
const conn = connectionFrom(kc, 'default');
const rs = replicaSet({hash: '5d8f7c9b6a', revision: 2, image: 'nginx:1.20.1', replicas: STREAMS, ready: STREAMS, available: STREAMS});
const store = new CockpitStore(
	{context: 'soak', server: conn.clusterServer, namespace: 'default', deploymentName: 'nginx'},
	{terminal: {columns: 100, rows: 30}},
);
store.sync('deployments', [deployment({image: 'nginx:1.20.1', replicas: STREAMS})]);
store.sync('replicaSets', [rs]);
store.sync(
	'pods',
	Array.from({length: STREAMS}, (_, i) => pod({rs, suffix: `p${String(i).padStart(4, '0')}`})),
);
store.flush();
const logs = startLogData(conn, store);
store.dispatch({type: 'push', view: {kind: 'logs', target: {kind: 'deployment', name: 'nginx'}}});
// The screen draws the view as the app would (at most once a frame).
let drawn = 0;
store.subscribe(() => {
	screen(store.getState(), {columns: 100, rows: 30});
	drawn++;
});

const started = Date.now();
const cpu0 = process.cpuUsage();
const samples: {minute: number; heapMb: number; rssMb: number; ring: number; dropped: number; streams: number}[] = [];
console.log(`soak: ${STREAMS} streams at ${RATE} lines/s for ${MINUTES} min (server on 127.0.0.1:${port})`);
await new Promise<void>((resolve) => {
	const sample = setInterval(() => {
		const minute = (Date.now() - started) / 60_000;
		const s = store.getState();
		const row = {minute, ...heap(), ring: s.logs.lines.length, dropped: s.logs.lines.dropped, streams: s.logs.streams.size};
		samples.push(row);
		console.log(
			`${minute.toFixed(1).padStart(5)} min  heap ${row.heapMb.toFixed(1)} MB  rss ${row.rssMb.toFixed(1)} MB  ring ${row.ring}  dropped ${row.dropped}  streams ${row.streams}  frames ${drawn}`,
		);
		if (minute >= MINUTES) {
			clearInterval(sample);
			resolve();
		}
	}, 30_000);
});
const cpu = process.cpuUsage(cpu0);
logs.stop();
store.dispose();
server.close();
server.closeAllConnections();
const first = samples.find((x) => x.minute >= 1) ?? samples[0];
const last = samples.at(-1);
const lines = (last?.ring ?? 0) + (last?.dropped ?? 0);
const perSecond = Math.round(lines / ((Date.now() - started) / 1000));
console.log(
	`lines ${lines} (${perSecond}/s), cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; heap minute 1 ${first?.heapMb.toFixed(1)} MB -> end ${last?.heapMb.toFixed(1)} MB`,
);
const expected = (STREAMS * RATE * (Date.now() - started)) / 1000;
if (lines < expected * 0.9) {
	console.error(`FAIL: ${lines} lines read of about ${Math.round(expected)} written: the streams did not keep up`);
	process.exit(1);
}
const grew = (last?.heapMb ?? 0) - (first?.heapMb ?? 0);
if (grew > 16) {
	console.error(`FAIL: the heap grew ${grew.toFixed(1)} MB from minute 1 to the end`);
	process.exit(1);
}
console.log('ok: memory bounded');
process.exit(0);
