// Memory stays bounded with 50 streams for 10 minutes at 100 lines per second: the whole log layer (the streams'
// line readers, the store's actions and frames, the ring, the screen drawing the view, with and without a filter)
// fed at that rate on a simulated clock, so ten minutes of lines (3,000,000) pass in seconds. The heap after ten
// minutes is compared with the heap after one, each after a full collection. `npm run soak:logs` runs the same
// rate in real time over HTTP (scripts/log-soak.ts).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import type http from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import {connectionFrom} from '../../source/kube/connect.js';
import {KubeConfig} from '@kubernetes/client-node';
import {screen} from '../../source/screen/screen.js';
import {startLogData} from '../../source/state/log-data.js';
import {CockpitStore} from '../../source/state/store.js';
import {deployment, NOW, pod, replicaSet} from '../helpers/objects.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const STREAMS = 50;
const LINES_PER_SECOND = 100;
const MINUTES = Number(process.env.LOG_MEMORY_MINUTES ?? 10);
const FRAME_MS = 100;

// A response the log follower reads: chunks are emitted synchronously by the feeder.
class FakeResponse extends EventEmitter {
	statusCode = 200;
	complete = false;
	destroy(): void {
		this.emit('close');
	}
}

function heapMb(): number {
	gc();
	gc();
	return process.memoryUsage().heapUsed / 1048576;
}

test(`memory stays bounded: ${STREAMS} streams for ${MINUTES} minutes at ${LINES_PER_SECOND} lines per second`, {timeout: 600_000}, () => {
	const rs = replicaSet({hash: '5d8f7c9b6a', revision: 2, image: 'nginx:1.20.1', replicas: STREAMS, ready: STREAMS, available: STREAMS});
	const pods = Array.from({length: STREAMS}, (_, i) => pod({rs, suffix: `p${String(i).padStart(4, '0')}`}));
	const store = new CockpitStore(
		{context: 'sim', server: 'https://127.0.0.1:6443', namespace: 'default', deploymentName: 'nginx'},
		{flushIntervalMs: false, tickMs: false, now: () => NOW, terminal: {columns: 100, rows: 30}},
	);
	store.sync('deployments', [deployment({image: 'nginx:1.20.1', replicas: STREAMS})]);
	store.sync('replicaSets', [rs]);
	store.sync('pods', pods);
	store.flush();

	const responses: FakeResponse[] = [];
	const kc = new KubeConfig();
	kc.loadFromOptions({
		clusters: [{name: 'c', server: 'https://127.0.0.1:1'}],
		users: [{name: 'u'}],
		contexts: [{name: 'x', cluster: 'c', user: 'u'}],
		currentContext: 'x',
	});
	const logs = startLogData(connectionFrom(kc, 'default'), store, {
		open: async () => {
			const res = new FakeResponse();
			responses.push(res);
			return res as unknown as http.IncomingMessage;
		},
	});
	store.dispatch({type: 'push', view: {kind: 'logs', target: {kind: 'deployment', name: 'nginx'}}});
	return (async () => {
		// The streams open on the next turns (each follower awaits its request, then reads the response).
		const reading = () => responses.length === STREAMS && responses.every((r) => r.listenerCount('data') > 0);
		for (let i = 0; i < 100 && !reading(); i++) await new Promise((resolve) => setImmediate(resolve));
		assert.ok(reading(), `one stream per pod, each reading: ${responses.length} of ${STREAMS}`);

		const perFrame = (LINES_PER_SECOND * FRAME_MS) / 1000;
		const frames = (MINUTES * 60_000) / FRAME_MS;
		let baseline = 0;
		let peak = 0;
		let fed = 0;
		const filtered = {columns: 100, rows: 30};
		for (let f = 0; f < frames; f++) {
			const t0 = NOW + f * FRAME_MS;
			const stamps = Array.from({length: perFrame}, (_, k) => new Date(t0 + (k * FRAME_MS) / perFrame).toISOString().replace('Z', '000Z'));
			for (const [s, res] of responses.entries()) {
				let chunk = '';
				for (let k = 0; k < perFrame; k++) {
					chunk += `${stamps[k]} 10.244.1.${s} - - [01/Jun/2025:12:00:00 +0000] "GET /?frame=${f}&line=${k} HTTP/1.1" 200 612 "-" "rollout-cockpit-probe" "-"\n`;
				}
				res.emit('data', Buffer.from(chunk));
				fed += perFrame;
			}
			store.flush();
			// The screen draws once a second (the frame clock draws at most 30 a second; what it keeps is the same).
			if (f % 10 === 0) screen(store.getState(), filtered);
			if (f === 600) {
				// A filter from here on: its own sorted run must stay bounded too.
				store.dispatch({type: 'top', view: {kind: 'logs', target: {kind: 'deployment', name: 'nginx'}, filter: 'frame'}});
			}
			if (f === 600) baseline = heapMb();
			if (f > 600 && f % 600 === 0) peak = Math.max(peak, heapMb());
		}
		const end = heapMb();
		const state = store.getState();
		logs.stop();
		console.log(
			`# ${fed} lines fed over ${MINUTES} simulated minutes; heap after 1 min ${baseline.toFixed(1)} MB, peak ${peak.toFixed(1)} MB, after ${MINUTES} min ${end.toFixed(1)} MB; ring ${state.logs.lines.length} lines, ${state.logs.lines.dropped} dropped`,
		);
		assert.equal(fed, STREAMS * LINES_PER_SECOND * MINUTES * 60);
		assert.equal(state.logs.lines.length, state.logs.lines.capacity, 'the ring is full, not more');
		assert.equal(state.logs.lines.dropped, fed - state.logs.lines.capacity);
		// Bounded: nine more minutes of lines add no more than a few MB of garbage-collector slack.
		assert.ok(end - baseline < 8, `heap grew ${(end - baseline).toFixed(1)} MB from minute 1 to minute ${MINUTES}`);
		assert.ok(peak - baseline < 8, `heap peaked ${(peak - baseline).toFixed(1)} MB above minute 1`);
	})();
});
