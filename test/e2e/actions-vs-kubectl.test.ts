// Every cockpit action against the real kubectl: two identical embedded clusters go through the same
// history, then kubectl does the action on one and the cockpit on the other; once both settle, the
// Deployments and ReplicaSets must be the same (pod templates, revision annotations, replicas, paused).
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import {connect} from '../../source/kube/connect.js';
import {createActionRunner, type ActionResult, type ActionRunner, type Intent} from '../../source/kube/actions/index.js';
import {planIntent} from '../../source/commands/commands.js';
import {selectDeployment, selectReplicaSets} from '../../source/state/selectors.js';
import {CockpitStore, startCockpitData} from '../../source/state/store.js';
import {kubectl, kubectlOk, waitFor, defaultKubectl} from '../helpers/kubectl.js';

const KUBECTL = defaultKubectl;
const NS = 'default';
const NAME = 'nginx';
const SPEED = 50;
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

type Obj = {metadata?: any; spec?: any; status?: any};
type Side = {cluster: SimCluster; kubectl(args: string[]): Promise<string>};

let a: Side; // kubectl's side
let b: Side; // the cockpit's side
let runner: ActionRunner;
// The cockpit's store on side b, fed by its watches: what the cockpit plans on.
let store: CockpitStore;
let stopData: () => void = () => {};
let container = '';

function side(cluster: SimCluster): Side {
	return {cluster, kubectl: (args) => kubectlOk(KUBECTL, cluster.kubeconfigPath, args)};
}

function deploymentOf(s: Side): Obj {
	const d = s.cluster.store.get('deployments', NS, NAME) as Obj | undefined;
	assert.ok(d, `deployment/${NAME} exists`);
	return d;
}

function replicaSetsOf(s: Side): Obj[] {
	const uid = deploymentOf(s).metadata.uid;
	return (s.cluster.store.list('replicasets', NS).items as Obj[]).filter((rs) =>
		(rs.metadata.ownerReferences ?? []).some((o: any) => o.controller && o.uid === uid),
	);
}

// Settled: the controller saw the latest spec, and unless paused the rollout is complete (kubectl's
// rollout status rule); every ReplicaSet has reached its own spec.
function settled(s: Side): boolean {
	const d = deploymentOf(s);
	if ((d.status?.observedGeneration ?? 0) < d.metadata.generation) return false;
	const want = d.spec.replicas ?? 1;
	if (!d.spec.paused && !(d.status?.updatedReplicas === want && d.status?.replicas === want && d.status?.availableReplicas === want))
		return false;
	return replicaSetsOf(s).every(
		(rs) => (rs.status?.observedGeneration ?? 0) >= rs.metadata.generation && (rs.status?.replicas ?? 0) === rs.spec.replicas,
	);
}

async function settle(...sides: Side[]): Promise<void> {
	await waitFor('both clusters to settle', () => sides.every(settled), 60_000, 50);
}

// restartedAt values are wall-clock seconds of whoever restarted: compare that it is there, not when.
// pod-template-hash hashes the template, restartedAt included, so it differs on ReplicaSets; the
// Deployment's own template must not have it at all, so it is kept there.
function normalizeTemplate(template: any, stripHash: boolean): any {
	const t = structuredClone(template ?? {});
	if (stripHash && t.metadata?.labels) delete t.metadata.labels['pod-template-hash'];
	if (t.metadata?.annotations?.[RESTARTED_AT]) t.metadata.annotations[RESTARTED_AT] = '<restartedAt>';
	return t;
}

function withoutChangeCause(annotations: Record<string, string> | undefined): Record<string, string> {
	const copy = {...(annotations ?? {})};
	delete copy[CHANGE_CAUSE]; // kubectl records none (no --record); the cockpit records its own
	return copy;
}

// What must be equal between the two sides.
function snapshot(s: Side) {
	const d = deploymentOf(s);
	return {
		deployment: {
			annotations: withoutChangeCause(d.metadata.annotations),
			paused: d.spec.paused === true,
			replicas: d.spec.replicas,
			template: normalizeTemplate(d.spec.template, false),
		},
		replicaSets: replicaSetsOf(s)
			.map((rs) => ({
				annotations: withoutChangeCause(rs.metadata.annotations),
				replicas: rs.spec.replicas,
				template: normalizeTemplate(rs.spec.template, true),
			}))
			.sort(
				(x, y) => Number(x.annotations['deployment.kubernetes.io/revision']) - Number(y.annotations['deployment.kubernetes.io/revision']),
			),
	};
}

function assertSame(step: string) {
	assert.deepEqual(snapshot(b), snapshot(a), `${step}: the cockpit's result differs from kubectl's`);
}

// The cockpit's action as its keys run it: planned once on the store's copies (once the watches have caught up
// with the cluster), then sent once by the runner; a refusal is answered without any request.
async function ours(intent: Intent): Promise<ActionResult> {
	await waitFor(
		'the cockpit store to catch up with the cluster',
		() => {
			const state = store.getState();
			const copy = selectDeployment(state);
			return (
				copy?.metadata?.resourceVersion === deploymentOf(b).metadata.resourceVersion &&
				selectReplicaSets(state).length === replicaSetsOf(b).length
			);
		},
		10_000,
		20,
	);
	const planned = planIntent(store.getState(), intent);
	if (!planned.ok) return {...planned, attempts: 0};
	return runner.apply(planned.plan);
}

async function both(args: string[]): Promise<void> {
	await Promise.all([a.kubectl(args), b.kubectl(args)]);
}

// kubectl's action on side a, ours on side b, then both settle and are compared.
async function compare(step: string, args: string[], intent: Intent): Promise<ActionResult> {
	const [out, result] = await Promise.all([a.kubectl(args), ours(intent)]);
	assert.equal(result.ok, true, `${step}: ${result.message}`);
	// Same success words as kubectl ("deployment.apps/nginx image updated").
	assert.equal(result.message, out.trim(), `${step}: kubectl said ${JSON.stringify(out.trim())}`);
	await settle(a, b);
	assertSame(step);
	return result;
}

before(async () => {
	const [ca, cb] = await Promise.all([startCluster({scenario: 'nginx', speed: SPEED}), startCluster({scenario: 'nginx', speed: SPEED})]);
	a = side(ca);
	b = side(cb);
	const conn = connect({kubeconfig: cb.kubeconfigPath});
	runner = createActionRunner(conn);
	store = new CockpitStore(
		{context: conn.contextName, server: conn.clusterServer, namespace: NS, deploymentName: NAME},
		{flushIntervalMs: 5},
	);
	stopData = startCockpitData(conn, store, {fetchServerVersion: false}).stop;
	await settle(a, b);
	container = deploymentOf(a).spec.template.spec.containers[0].name;
	// The same history on both: a new image, then a restart (revisions 2 and 3 on top of the scenario's).
	// The annotations make undo's annotation rules visible: revision 2 carries team but not owner,
	// so going back to it must drop owner from the Deployment, as kubectl does.
	await both(['annotate', `deployment/${NAME}`, 'team=web']);
	await both(['set', 'image', `deployment/${NAME}`, `${container}=nginx:1.20.1`]);
	await settle(a, b);
	await both(['rollout', 'restart', `deployment/${NAME}`]);
	await settle(a, b);
	await both(['annotate', `deployment/${NAME}`, 'owner=alice']);
	await settle(a, b);
	assertSame('the shared history');
});

after(async () => {
	stopData();
	store?.dispose();
	await Promise.all([a?.cluster.stop(), b?.cluster.stop()]);
});

// The steps share the two clusters, so they run in order, each on the history the previous ones made.
test('set image', async () => {
	const rev = Number(deploymentOf(a).metadata.annotations['deployment.kubernetes.io/revision']);
	await compare('set image', ['set', 'image', `deployment/${NAME}`, `${container}=nginx:1.21`], {
		action: 'set-image',
		images: {[container]: 'nginx:1.21'},
	});
	// The change-cause was recorded, and kubectl's history shows it for the new revision.
	const cause = `rollout-cockpit set image deployment/${NAME} ${container}=nginx:1.21`;
	assert.equal(deploymentOf(b).metadata.annotations[CHANGE_CAUSE], cause);
	const history = await b.kubectl(['rollout', 'history', `deployment/${NAME}`]);
	assert.match(history, new RegExp(`^${rev + 1}\\s+${cause.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s*$`, 'm'));
});

test('restart', async (t) => {
	// kubectl stamps restartedAt to the second and refuses a restart whose stamp would not change
	// ("please wait before attempting to trigger another"); start in a second no earlier restart used.
	const previous = Date.parse(deploymentOf(a).spec.template.metadata?.annotations?.[RESTARTED_AT] ?? '1970-01-01T00:00:00Z');
	await waitFor(
		'a wall-clock second after the previous restart',
		() => Math.floor(Date.now() / 1000) > Math.floor(previous / 1000) + 1,
		5000,
		20,
	);
	t.diagnostic(`previous restartedAt ${new Date(previous).toISOString()}, now ${new Date().toISOString()}`);
	await compare('restart', ['rollout', 'restart', `deployment/${NAME}`], {action: 'restart'});
	const stamp = deploymentOf(b).spec.template.metadata.annotations[RESTARTED_AT] as string;
	assert.match(stamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/, "kubectl's RFC 3339 format");
	assert.ok(Math.abs(Date.parse(stamp) - Date.now()) < 120_000, `restartedAt ${stamp} is now`);
});

test('scale', async () => {
	await compare('scale', ['scale', `deployment/${NAME}`, '--replicas=5'], {action: 'scale', replicas: '5'});
	assert.equal(deploymentOf(b).spec.replicas, 5);
});

test('undo to a revision', async () => {
	await compare('undo --to-revision=2', ['rollout', 'undo', `deployment/${NAME}`, '--to-revision=2'], {action: 'undo', toRevision: 2});
	const d = deploymentOf(b);
	assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.20.1');
	assert.equal(d.metadata.annotations.team, 'web');
	assert.equal(d.metadata.annotations.owner, undefined, "revision 2's annotations replaced the Deployment's");
});

test('undo to the previous revision', async () => {
	await compare('undo', ['rollout', 'undo', `deployment/${NAME}`], {action: 'undo', toRevision: 0});
	assert.equal(deploymentOf(b).spec.template.spec.containers[0].image, 'nginx:1.21');
});

test('pause', async () => {
	await compare('pause', ['rollout', 'pause', `deployment/${NAME}`], {action: 'pause'});
	// While paused, a template change waits on both sides.
	await both(['set', 'image', `deployment/${NAME}`, `${container}=nginx:1.25`]);
	await settle(a, b);
	assertSame('set image while paused');
});

test("refusals use kubectl's words and change nothing", async () => {
	const current = Number(deploymentOf(a).metadata.annotations['deployment.kubernetes.io/revision']);
	// [kubectl args, our intent, what kubectl prints, what the cockpit says]
	const cases: [string[], Intent, string, string][] = [
		[
			['rollout', 'pause', `deployment/${NAME}`],
			{action: 'pause'},
			'error: deployments.apps "nginx" is already paused',
			'deployments.apps "nginx" is already paused',
		],
		[
			['rollout', 'restart', `deployment/${NAME}`],
			{action: 'restart'},
			`error: deployments.apps "nginx" can't restart paused deployment (run rollout resume first)`,
			"can't restart paused deployment (run rollout resume first)",
		],
		[
			['rollout', 'undo', `deployment/${NAME}`, '--to-revision=99'],
			{action: 'undo', toRevision: 99},
			'error: unable to find specified revision 99 in history',
			'unable to find specified revision 99 in history',
		],
		[
			['rollout', 'undo', `deployment/${NAME}`, '--to-revision=1'],
			{action: 'undo', toRevision: 1},
			"error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
			"you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
		],
		[
			['set', 'image', `deployment/${NAME}`, 'web=nginx:1.21'],
			{action: 'set-image', images: {web: 'nginx:1.21'}},
			'error: unable to find container named "web"',
			`unable to find container named "web" in deployment/nginx (containers: ${container})`,
		],
	];
	for (const [args, intent, kubectlSays, weSay] of cases) {
		const [k, result] = await Promise.all([kubectl(KUBECTL, a.cluster.kubeconfigPath, args), ours(intent)]);
		assert.equal(k.code, 1, `kubectl ${args.join(' ')} fails`);
		assert.equal(k.stderr.trim(), kubectlSays);
		assert.equal(result.ok, false);
		assert.equal(result.message, weSay);
	}
	assert.equal(Number(deploymentOf(b).metadata.annotations['deployment.kubernetes.io/revision']), current);
	assertSame('after the refusals');
});

test('resume', async () => {
	await compare('resume', ['rollout', 'resume', `deployment/${NAME}`], {action: 'resume'});
	assert.equal(deploymentOf(b).spec.template.spec.containers[0].image, 'nginx:1.25');
	// Resuming again is refused in kubectl's words.
	const [k, result] = await Promise.all([
		kubectl(KUBECTL, a.cluster.kubeconfigPath, ['rollout', 'resume', `deployment/${NAME}`]),
		ours({action: 'resume'}),
	]);
	assert.equal(k.stderr.trim(), `error: ${result.message}`);
});

test('skipped rollback, as kubectl reports it', async () => {
	const current = deploymentOf(a).metadata.annotations['deployment.kubernetes.io/revision'];
	const [out, result] = await Promise.all([
		a.kubectl(['rollout', 'undo', `deployment/${NAME}`, `--to-revision=${current}`]),
		ours({action: 'undo', toRevision: current}),
	]);
	assert.equal(result.ok, false);
	assert.equal(out.trim(), `deployment.apps/${NAME} ${result.message}`);
	assertSame('after the skipped rollback');
});
