// The log view end to end: the built CLI in tmux against the embedded cluster, the probe running, through a
// `kubectl rollout restart`. L follows every pod of the deployment: old pods' access lines tagged r1, the new pods'
// r2 lines appear without a key press, the old pods' shutdown notices come before their streams close, / filters,
// and the API server is restarted mid-rollout (every log stream cut): requests made before, during and after the
// cut appear exactly once each, tagged with the pod that served them.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {startCluster} from '../helpers/sim-cluster.js';
import {kubectlOk, defaultKubectl, waitFor} from '../helpers/kubectl.js';
import {CLI, ensureBuilt, TmuxPane} from '../helpers/tmux.js';

const KUBECTL = defaultKubectl;
const TAG = /^([0-9a-z]{4}-[0-9a-z]{5}) r(\d+) (.*)$/;

// GET http://127.0.0.1:port/?mark=N: which pod served it (the sim's page names it). A request reset by a pod that
// left the endpoints a moment ago is logged by no one: it is sent again.
async function mark(port: number, n: number): Promise<string> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await markOnce(port, n);
		} catch (error) {
			if (attempt >= 5) throw error;
		}
	}
}

function markOnce(port: number, n: number): Promise<string> {
	return new Promise((resolve, reject) => {
		const req = http.get({host: '127.0.0.1', port, path: `/?mark=${n}`, agent: false, timeout: 5000}, (res) => {
			let body = '';
			res.on('data', (c) => (body += String(c)));
			res.on('end', () => {
				const m = /Served by pod (\S+) /.exec(body);
				if (res.statusCode === 200 && m) resolve(m[1]);
				else reject(new Error(`mark ${n}: ${res.statusCode} ${body.slice(0, 200)}`));
			});
		});
		req.on('error', reject);
		req.on('timeout', () => req.destroy(new Error(`mark ${n}: timeout`)));
	});
}

const tagOf = (pod: string) => {
	const m = /-([0-9a-z]{6,10})-([0-9a-z]{5})$/.exec(pod);
	return m ? `${m[1].slice(0, 4)}-${m[2]}` : pod;
};

// The tagged lines of a log view screen: tag, revision, text.
function tagged(screen: string): {tag: string; rev: number; text: string}[] {
	return screen.split('\n').flatMap((l) => {
		const m = TAG.exec(l);
		return m ? [{tag: m[1], rev: Number(m[2]), text: m[3]}] : [];
	});
}

test('L in tmux through a rollout restart with the probe running: both revisions tagged, new pods without a key, shutdown notices, / filters, a cut loses and repeats nothing', {
	timeout: 240_000,
}, async (t) => {
	await ensureBuilt();
	const cluster = await startCluster({scenario: 'nginx', speed: 1, endpointLagMs: 1000});
	t.after(() => cluster.stop());
	const kc = cluster.kubeconfigPath;
	const pane = new TmuxPane();
	t.after(() => pane.stop());
	// 200 columns: an access line fits on one row, so the whole filtered story fits one screen at the end.
	await pane.start([process.execPath, CLI, 'nginx', '--kubeconfig', kc], {columns: 200, rows: 60});
	const first = await pane.until(
		'three Running pods and the probe answering',
		(s) => (s.match(/nginx-[0-9a-z]+-[0-9a-z]{5}\s+1\/1\s+Running/g) ?? []).length === 3 && /last 200 /.test(s),
		15_000,
	);
	const port = Number(/Probe http:\/\/127\.0\.0\.1:(\d+)\//.exec(first)?.[1]);

	await pane.keys('L');
	const oldScreen = await pane.until('access lines of revision 1', (s) =>
		tagged(s).some((l) => l.rev === 1 && /"GET \/ HTTP\/1\.1" 200 \d+ "-" "rollout-cockpit-probe"/.test(l.text)),
	);
	assert.match(oldScreen, /Logs deployment nginx/);
	await pane.until('a stream per pod', (s) => /following {2}3 streams/.test(s));

	await kubectlOk(KUBECTL, kc, ['rollout', 'restart', 'deployment/nginx']);
	// No key pressed: the first new pod's lines (its nginx start-up, then the probe's requests) appear by themselves.
	await pane.until('a line of a revision 2 pod', (s) => tagged(s).some((l) => l.rev === 2), 30_000);

	// Hold the rollout half-way (no pod comes or goes while the streams are cut), then cut every log stream.
	await kubectlOk(KUBECTL, kc, ['rollout', 'pause', 'deployment/nginx']);
	await waitFor(
		'no pod terminating',
		async () => {
			const pods = JSON.parse(await kubectlOk(KUBECTL, kc, ['get', 'pods', '-l', 'app=nginx', '-o', 'json'])) as {
				items: {metadata: {deletionTimestamp?: string}}[];
			};
			return pods.items.every((p) => !p.metadata.deletionTimestamp);
		},
		30_000,
		200,
	);
	// The last pod gone may stay in the endpoints for the endpoint lag (1 s): let it pass.
	await new Promise((resolve) => setTimeout(resolve, 1500));
	const served = new Map<number, string>();
	for (let n = 1; n <= 4; n++) served.set(n, await mark(port, n));
	const cutAt = Date.now();
	const restarted = cluster.restartApiServer(1500);
	for (let n = 5; n <= 10; n++) {
		served.set(n, await mark(port, n));
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	await restarted;
	// The streams were cut and resumed from where they were (sinceTime), one for each pod of the moment.
	await waitFor(
		'the log streams resumed',
		() => {
			const resumed = cluster.requests
				.entries(cutAt)
				.filter((r) => r.path.endsWith('/log') && /sinceTime=/.test(r.query) && r.status === 200);
			return new Set(resumed.map((r) => r.path)).size >= 3;
		},
		20_000,
		200,
	);
	for (let n = 11; n <= 14; n++) served.set(n, await mark(port, n));
	await kubectlOk(KUBECTL, kc, ['rollout', 'resume', 'deployment/nginx']);
	await kubectlOk(KUBECTL, kc, ['rollout', 'status', 'deployment/nginx', '--timeout=60s'], 70_000);
	// Every old pod's stream has closed: the old pods are gone and their last words read.
	await pane.until('the three old streams closed', (s) => /\d+ streams, 3 closed/.test(s), 40_000);

	// One write: the slash, the filter and Enter (the keys are read one by one).
	await pane.type('//mark=|SIGQUIT|stream closed/\r');
	const screen = await pane.until('the filtered story', (s) => /filter \/mark=\|SIGQUIT\|stream closed\/: \d+ of \d+ lines/.test(s));
	const lines = tagged(screen);

	// Each request made around the cut appears exactly once, in order, tagged with the pod that served it.
	const marks = lines.flatMap((l) => {
		const m = /GET \/\?mark=(\d+) HTTP/.exec(l.text);
		return m ? [{n: Number(m[1]), tag: l.tag}] : [];
	});
	assert.deepEqual(
		marks.map((m) => m.n),
		[...served.keys()],
		`every mark once, in order:\n${screen}`,
	);
	for (const m of marks) assert.equal(m.tag, tagOf(served.get(m.n) ?? ''), `mark ${m.n} under the pod that served it`);
	// The filter shows only what it matches (and the probe's failures, which belong to the story).
	for (const l of screen.split('\n').slice(4)) {
		if (l.trim() === '' || /^[─-]|^ctx |^RollingUpdate|Esc back/.test(l)) continue;
		assert.match(l, /mark=|SIGQUIT|stream closed|probe/, `a line the filter should have hidden: ${l}`);
	}
	// Every old pod (revision 1): its shutdown notice, then its stream's end.
	const oldTags = [...new Set(lines.filter((l) => l.rev === 1).map((l) => l.tag))];
	assert.equal(oldTags.length, 3, screen);
	for (const tag of oldTags) {
		const notice = lines.findIndex((l) => l.tag === tag && /signal 3 \(SIGQUIT\) received, shutting down/.test(l.text));
		const closed = lines.findIndex((l) => l.tag === tag && /— log stream closed/.test(l.text));
		assert.ok(notice >= 0 && closed > notice, `${tag}: the shutdown notice before the stream closed\n${screen}`);
	}
});
