// `:ns` and `:ctx` without a restart, against the embedded cluster: the live link re-scopes the watches to another
// namespace on the same connection, reconnects with another context's credentials (the sim's read-only user, whose
// writes the API server refuses), refuses an unusable context without touching anything, and lists namespaces for
// completion.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {connect} from '../../source/kube/connect.js';
import {planIntent} from '../../source/commands/commands.js';
import {contextNames, startLive} from '../../source/state/live.js';
import {CockpitStore} from '../../source/state/store.js';
import {selectPods} from '../../source/state/selectors.js';
import {startCluster} from '../helpers/sim-cluster.js';
import {kubectlOk, defaultKubectl} from '../helpers/kubectl.js';
import {waitFor, within} from '../helpers/wait.js';

const KUBECTL = defaultKubectl;

test('live: :ns re-scopes every watch, :ctx reconnects as another user, a bad context changes nothing; namespaces are listed for Tab', async (t) => {
	const cluster = await startCluster({scenario: 'nginx', speed: 5});
	t.after(() => cluster.stop());
	const kubeconfig = cluster.kubeconfigPath;
	await kubectlOk(KUBECTL, kubeconfig, ['create', 'namespace', 'staging']);
	await kubectlOk(KUBECTL, kubeconfig, ['-n', 'staging', 'create', 'deployment', 'web', '--image=nginx:1.20.1', '--replicas=2']);
	const conn = connect({kubeconfig}, {});
	const store = new CockpitStore(
		{
			context: conn.contextName,
			server: conn.clusterServer,
			namespace: conn.namespace,
			deploymentName: 'nginx',
			contexts: contextNames(conn),
		},
		{session: {canSend: true}},
	);
	t.after(() => store.dispose());
	const live = startLive({store, conn, connectOptions: {kubeconfig}});
	t.after(() => within(live.stop(), 10_000, 'the live link to stop'));
	await waitFor(() => selectPods(store.getState()).length === 3, 15_000, "nginx's three pods in default");
	assert.deepEqual(store.getState().contexts, [
		'rollout-cockpit-sim',
		'rollout-cockpit-sim-readonly',
		'rollout-cockpit-sim-no-events',
		'rollout-cockpit-sim-exec',
		'rollout-cockpit-sim-cert',
	]);

	// Namespaces for `:ns`'s Tab, listed as soon as the link is up.
	await waitFor(() => store.getState().namespaceList, 10_000, 'the namespace list');
	assert.deepEqual(store.getState().namespaceList, {names: ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'staging']});

	// :ns staging: the deployment list of staging, and nothing of default any more, also not later.
	await within(live.switchTo({namespace: 'staging'}), 30_000, ':ns staging');
	let state = store.getState();
	assert.equal(state.namespace, 'staging');
	assert.equal(state.deploymentName, undefined);
	assert.deepEqual(state.ui.views, [{kind: 'picker'}]);
	assert.equal(state.ui.selection.picker.name, 'nginx', 'the deployment watched before is under the cursor if it is there too');
	assert.equal(state.pods.size + state.replicaSets.size, 0);
	await waitFor(() => store.getState().synced.deployments, 10_000, 'the staging deployments listed');
	assert.deepEqual([...store.getState().deployments.keys()], ['web']);
	await kubectlOk(KUBECTL, kubeconfig, ['create', 'deployment', 'late', '--image=nginx:1.18']);
	await kubectlOk(KUBECTL, kubeconfig, ['-n', 'staging', 'create', 'deployment', 'later', '--image=nginx:1.18']);
	await waitFor(() => store.getState().deployments.has('later'), 10_000, 'a new staging deployment through the watch');
	assert.equal(store.getState().deployments.has('late'), false, 'the old namespace is not watched any more');
	store.selectDeployment('web');
	await waitFor(() => selectPods(store.getState()).length === 2, 15_000, "web's two pods");

	// :ctx as the read-only user: reconnected (the runner too), back in that context's namespace; a write is 403.
	await within(live.switchTo({context: 'rollout-cockpit-sim-readonly'}), 30_000, ':ctx rollout-cockpit-sim-readonly');
	state = store.getState();
	assert.equal(state.context, 'rollout-cockpit-sim-readonly');
	assert.equal(state.namespace, 'default');
	assert.match(state.ui.message?.text ?? '', /switched to context rollout-cockpit-sim-readonly, namespace default/);
	store.selectDeployment('nginx');
	await waitFor(() => selectPods(store.getState()).length === 3, 15_000, 'nginx as the viewer');
	const planned = planIntent(store.getState(), {action: 'scale', replicas: 4});
	assert.ok(planned.ok);
	const result = live.runner && (await within(live.runner.apply(planned.plan), 20_000, 'the scale as the viewer to be answered'));
	assert.equal(result?.ok, false);
	assert.match(result?.message ?? '', /forbidden/);
	const viewer = cluster.requests.entries().filter((r) => r.user === 'viewer');
	assert.ok(
		viewer.some((r) => r.verb === 'watch' && r.resource === 'pods'),
		'the watches run as the viewer',
	);

	// A context whose user cannot be loaded: said on the status line; the cockpit stays as it was.
	await within(live.switchTo({context: 'no-such-context'}), 30_000, ':ctx no-such-context');
	state = store.getState();
	assert.equal(state.context, 'rollout-cockpit-sim-readonly');
	assert.equal(state.deploymentName, 'nginx');
	assert.match(
		state.ui.message?.text ?? '',
		/cannot switch to context "no-such-context": context "no-such-context" not found in kubeconfig/,
	);

	// Another context lists its own namespaces (the old list is dropped at once).
	await within(live.switchTo({context: 'rollout-cockpit-sim-no-events'}), 30_000, ':ctx rollout-cockpit-sim-no-events');
	assert.equal(store.getState().namespaceList, undefined, 'another context: its own namespaces');
	await waitFor(() => store.getState().namespaceList, 10_000, "the no-events user's namespace list");
	assert.equal(store.getState().context, 'rollout-cockpit-sim-no-events');
});
