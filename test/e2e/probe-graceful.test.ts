// "Was it graceful?" end to end: the real prober, through discovery and the cockpit's own data pipeline
// (reflectors -> store -> followCockpit -> ProbeSession), against the embedded cluster's NodePort router
// on 127.0.0.1. Three rollouts: graceful (readinessProbe + preStop sleep longer than the endpoint lag),
// the same without preStop (drops requests), and Recreate (an outage window).
import {describe, it, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {KubeConfig} from '@kubernetes/client-node';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import {connectionFrom, type Connection} from '../../source/kube/connect.js';
import {requestJson} from '../../source/kube/http.js';
import {patchDeployment, setImagePatch} from '../helpers/patch-deployment.js';
import {CockpitStore, startCockpitData} from '../../source/state/store.js';
import {selectDeployment, selectPods} from '../../source/state/selectors.js';
import {ProbeSession} from '../../source/probe/session.js';
import {followCockpit} from '../../source/probe/follow.js';
import {fetchProbeTarget} from '../../source/probe/discovery.js';
import {formatOutage, formatVerdict, type Verdict} from '../../source/probe/stats.js';
import {gracefulCheck} from '../../source/model/graceful.js';
import {rolloutStatus} from '../../source/model/rollout-status.js';
import type {Container, Deployment} from '../../source/model/types.js';
import {within} from '../helpers/wait.js';

// Simulated time runs SPEED times faster than real time: a 5 s preStop sleep takes 500 ms. At 20 the 3 s endpoint
// lag was 150 real ms, shorter than the prober's and the watches' delays on a loaded machine (load 17): the Recreate
// window then opened after the old pods had stopped answering, and a no-preStop drop saw one probe.
const SPEED = 10;
// kube-proxy's propagation delay in the sim: a terminating pod leaves the endpoints this long (sim ms) after.
const ENDPOINT_LAG_MS = 3000;
// Probes every 15 real ms (= one every 150 sim ms): several land in every gap a graceless pod leaves.
const PROBE_INTERVAL_MS = 15;

let cluster: SimCluster;
let conn: Connection;

before(async () => {
	cluster = await startCluster({speed: SPEED, scenario: 'empty', endpointLagMs: ENDPOINT_LAG_MS});
	const kc = new KubeConfig();
	kc.loadFromString(cluster.kubeconfig);
	conn = connectionFrom(kc, 'default');
});
after(async () => {
	await cluster?.stop();
});

const readinessProbe = {httpGet: {path: '/', port: 80}, initialDelaySeconds: 1, periodSeconds: 1};

function deploymentManifest(
	name: string,
	options: {preStopSeconds?: number; strategy: 'RollingUpdate' | 'Recreate'},
): Deployment & {apiVersion: string; kind: string} {
	const container: Container = {name: 'nginx', image: 'nginx:1.18', ports: [{containerPort: 80}], readinessProbe};
	if (options.preStopSeconds !== undefined) container.lifecycle = {preStop: {exec: {command: ['sleep', String(options.preStopSeconds)]}}};
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name, namespace: 'default'},
		spec: {
			replicas: 3,
			selector: {matchLabels: {app: name}},
			strategy:
				options.strategy === 'Recreate' ? {type: 'Recreate'} : {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: 0}},
			template: {
				metadata: {labels: {app: name}},
				spec: {terminationGracePeriodSeconds: 30, containers: [container]},
			},
		},
	};
}

async function create(path: string, body: object): Promise<void> {
	await within(requestJson(conn, path, {method: 'POST', body: JSON.stringify(body)}), 20_000, 'the API request to be answered');
}

// Waits until check() holds, re-checking on every store or session change (no fixed sleeps).
function until(
	sources: Array<{subscribe(fn: () => void): () => void}>,
	check: () => boolean,
	what: string,
	timeoutMs = 30_000,
): Promise<void> {
	if (check()) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const offs: Array<() => void> = [];
		const done = (err?: Error) => {
			clearTimeout(timer);
			for (const off of offs) off();
			if (err) reject(err);
			else resolve();
		};
		const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
		for (const s of sources) {
			offs.push(
				s.subscribe(() => {
					if (check()) done();
				}),
			);
		}
	});
}

type Rollout = {verdict: Verdict; deployment: Deployment; url: string; session: ProbeSession; oldPods: string[]};

// Creates the deployment and a NodePort Service, follows it like the cockpit does, waits until the probe
// answers steadily, sets a new image, and returns the verdict of that rollout.
async function rollOut(name: string, options: {preStopSeconds?: number; strategy: 'RollingUpdate' | 'Recreate'}): Promise<Rollout> {
	await create('/apis/apps/v1/namespaces/default/deployments', deploymentManifest(name, options));
	await create('/api/v1/namespaces/default/services', {
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {name, namespace: 'default'},
		spec: {type: 'NodePort', selector: {app: name}, ports: [{port: 80, targetPort: 80}]},
	});

	// Discovery, the same call the cockpit makes: the Service's NodePort on a Ready node, on loopback here.
	const target = await within(fetchProbeTarget(conn, name), 20_000, 'the probe target of the deployment');
	assert.equal(target.kind, 'url', JSON.stringify(target));
	const url = target.kind === 'url' ? target.url : '';
	assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'the embedded cluster is only ever probed on loopback');

	const store = new CockpitStore({context: conn.contextName, server: conn.clusterServer, namespace: 'default', deploymentName: name});
	const data = startCockpitData(conn, store, {fetchServerVersion: false});
	// Settle 500 ms (5 s of sim time) after done: past the 3 s endpoint lag.
	const session = new ProbeSession({recent: 5000, settleMs: 500});
	const follow = followCockpit(session, store, {conn, prober: {intervalMs: PROBE_INTERVAL_MS, timeoutMs: 500, loopbackOnly: true}});
	try {
		// Rolled out (the creation's window has closed), and the probe has answered 20 times in a row.
		await until(
			[store, session],
			() => {
				const d = selectDeployment(store.getState());
				const snap = session.getSnapshot();
				return (
					d !== undefined &&
					rolloutStatus(d).done &&
					snap.open === undefined &&
					snap.recent.length >= 20 &&
					snap.recent.slice(-20).every((r) => r.ok)
				);
			},
			`${name} to roll out and answer`,
		);
		assert.equal(session.getSnapshot().url, url, 'the cockpit discovered the same URL');
		const before = session.getSnapshot().verdicts.length;
		const oldPods = selectPods(store.getState()).map((p) => p.metadata?.name ?? '');

		// kubectl set image deployment/<name> nginx=nginx:1.20.1
		await patchDeployment(conn, name, setImagePatch('nginx', 'nginx:1.20.1'));
		await until([store, session], () => session.getSnapshot().verdicts.length > before, `the ${name} rollout's verdict`);
		const verdict = session.getSnapshot().verdicts[before];
		const deployment = selectDeployment(store.getState()) as Deployment;
		assert.equal(selectPods(store.getState()).length, 3, 'old pods gone when the window closed');
		return {verdict, deployment, url, session, oldPods};
	} finally {
		await within(follow.stop(), 10_000, 'the probe follower to stop');
		data.stop();
		store.dispose();
	}
}

function report(name: string, r: Rollout): void {
	const s = r.session.getSnapshot();
	const lines = [formatVerdict(r.verdict), ...r.verdict.outages.map((o) => `  ${formatOutage(o)}`)];
	console.log(
		`# ${name}: ${lines.join('\n# ')}\n#   window ${r.verdict.closedAt - r.verdict.openedAt} ms real, all probes: ${s.probes}, p50 ${s.p50} ms, p99 ${s.p99} ms`,
	);
}

describe('discovery through the API server', () => {
	it('a ClusterIP-only Service: not reachable from here, with the port-forward to use; no Service: how to expose', async () => {
		await create('/apis/apps/v1/namespaces/default/deployments', deploymentManifest('internal', {strategy: 'RollingUpdate'}));
		const none = await within(fetchProbeTarget(conn, 'internal'), 20_000, 'the probe target of the deployment');
		assert.equal(none.kind, 'unreachable');
		assert.match(
			none.kind === 'unreachable' ? none.message : '',
			/no Service selects the pods of deployment internal \(app=internal\); run `kubectl expose deployment internal --type=NodePort --port=80`/,
		);
		await create('/api/v1/namespaces/default/services', {
			apiVersion: 'v1',
			kind: 'Service',
			metadata: {name: 'internal', namespace: 'default'},
			spec: {selector: {app: 'internal'}, ports: [{port: 80, targetPort: 80}]},
		});
		const t = await within(fetchProbeTarget(conn, 'internal'), 20_000, 'the probe target of the deployment');
		assert.equal(t.kind, 'unreachable');
		assert.equal(t.service, 'internal');
		assert.match(
			t.kind === 'unreachable' ? t.message : '',
			/^service internal is ClusterIP only: not reachable from here\. Pass --probe URL, or run `kubectl port-forward svc\/internal 8080:80`/,
		);
	});
});

describe('was it graceful? the real prober against the embedded cluster', () => {
	it('a rolling update with a readinessProbe and a preStop sleep longer than the endpoint lag loses 0 probes', async () => {
		const r = await rollOut('graceful', {preStopSeconds: 5, strategy: 'RollingUpdate'});
		report('graceful', r);
		assert.equal(r.verdict.failed, 0, formatVerdict(r.verdict));
		assert.deepEqual(r.verdict.outages, []);
		assert.ok(r.verdict.probes >= 30, `enough probes to mean something: ${r.verdict.probes}`);
		assert.deepEqual(r.verdict.servedBy, ['nginx/1.18.0', 'nginx/1.20.1'], 'both versions answered during the update');
		assert.match(
			formatVerdict(r.verdict),
			/^revision 2 rollout: 0 failed of \d+ probes, max [\d.]+ ms, served by nginx\/1\.18\.0 -> nginx\/1\.20\.1$/,
		);
		assert.deepEqual(
			gracefulCheck(r.deployment).map((f) => f.id),
			[],
			'and the check finds nothing to fix',
		);
	});

	it('the same deployment without preStop loses probes, and both the tally and the graceful check say so', async () => {
		const r = await rollOut('no-prestop', {strategy: 'RollingUpdate'});
		report('no-prestop', r);
		assert.ok(r.verdict.failed >= 1, formatVerdict(r.verdict));
		assert.match(formatVerdict(r.verdict), /^revision 2 rollout: [1-9]\d* failed of \d+ probes \((refused|reset|5xx|timeout) \d+/);
		// Round robin still sends most requests to live pods: partial drops, not an outage. The service answered inside
		// an episode, or between two of them (on a loaded machine the probes are sparse, and an episode may hold one).
		assert.ok(r.verdict.outages.length >= 1);
		assert.ok(
			r.verdict.outages.length > 1 || r.verdict.outages.some((o) => o.probes > o.failed),
			r.verdict.outages.map(formatOutage).join('; '),
		);
		assert.deepEqual(r.verdict.servedBy, ['nginx/1.18.0', 'nginx/1.20.1']);
		// Each drop episode names an old pod that was terminating meanwhile, without preStop.
		for (const o of r.verdict.outages) {
			const stopping = o.blame?.stopping ?? [];
			assert.ok(stopping.length >= 1, `no terminating pod named for: ${formatOutage(o)}`);
			for (const s of stopping) assert.ok(r.oldPods.includes(s.name), `${s.name} is one of the old pods ${r.oldPods.join(', ')}`);
			assert.match(
				formatOutage(o),
				/ while no-prestop-[a-z0-9]{4}-[a-z0-9]{5}(, no-prestop-[a-z0-9]{4}-[a-z0-9]{5})* (was|were) terminating \(no preStop\)$/,
			);
		}
		const findings = gracefulCheck(r.deployment);
		assert.deepEqual(
			findings.map((f) => f.id),
			['no-prestop'],
		);
		assert.match(findings[0].why, /gets SIGTERM while Services and proxies still route to it/);
	});

	it('a Recreate rollout shows the outage window', async () => {
		const r = await rollOut('recreate', {preStopSeconds: 5, strategy: 'Recreate'});
		report('recreate', r);
		assert.ok(r.verdict.failed >= 1, formatVerdict(r.verdict));
		assert.ok(r.verdict.outages.length >= 1);
		const longest = Math.max(...r.verdict.outages.map((o) => o.to - o.from));
		// Nothing serves from the old pods' removal from the endpoints until a new pod is ready: pod
		// deletion, scheduling, pull, start and the 1 s readiness delay, i.e. seconds of sim time.
		assert.ok(longest >= 1000 / SPEED, `outage of ${longest} ms`);
		assert.equal(r.verdict.outages.length, 1, 'one outage: every old pod goes before any new one comes');
		const [outage] = r.verdict.outages;
		assert.equal(outage.open, false, 'the service came back before the window closed');
		assert.equal(outage.probes, outage.failed, 'every probe in it failed: an outage, not partial drops');
		assert.match(
			formatOutage(outage),
			/^outage [\d.]+ m?s from \d\d:\d\d:\d\d: \d+ failed \(reset \d+\) while (recreate-\S+ )+(was|were) terminating$/,
		);
		assert.ok(
			(outage.blame?.stopping ?? []).every((s) => r.oldPods.includes(s.name)),
			'the outage is blamed on the old pods',
		);
		// The old version answers only before the outage and the new one only after it.
		const answers = r.session.getSnapshot().recent.filter((p) => p.ok && p.at >= r.verdict.openedAt && p.at <= r.verdict.closedAt);
		assert.ok(answers.filter((p) => p.servedBy === 'nginx/1.18.0').every((p) => p.at < outage.from));
		assert.ok(answers.filter((p) => p.servedBy === 'nginx/1.20.1').every((p) => p.at >= outage.to));
		assert.deepEqual(r.verdict.servedBy, ['nginx/1.18.0', 'nginx/1.20.1']);
		assert.deepEqual(
			gracefulCheck(r.deployment).map((f) => f.id),
			['recreate-strategy'],
		);
	});
});
