// kill-node on a running embedded cluster (speed 100: the 50 s grace period takes half a second, the 300 s
// toleration three): injected programmatically, the node goes NotReady in kubectl's eyes, the pod on it is evicted
// and replaced, and the revival (down=) brings the node back Ready. The fault is counted and logged like the others.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {startCluster, type SimCluster} from '../../helpers/sim-cluster.js';
import {kubectlOk, waitFor as kubectlWait, defaultKubectl} from '../../helpers/kubectl.js';
import {waitFor, within} from '../../helpers/wait.js';

let cluster: SimCluster;
before(async () => {
	cluster = await startCluster({scenario: 'nginx', speed: 100, faults: 'seed=3; kill-node:every=1h,node=node1'});
});
after(() => cluster.stop());

const readyPods = () =>
	cluster.store
		.list('pods', 'default')
		.items.filter(
			(p) => !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'),
		);

test('inject kill-node: NotReady, the pod evicted and replaced elsewhere; revived after down=', async () => {
	await waitFor(() => readyPods().length === 3, 10_000, 'three ready nginx pods');
	const victim = readyPods()[0]!;
	const node = victim.spec!.nodeName as string;
	assert.equal(await within(cluster.faults.inject('kill-node', {node, down: 8000}), 10_000, 'the kill-node fault'), 1);
	assert.equal(cluster.faults.counts['kill-node'], 1);
	assert.match(cluster.faults.log.at(-1)!.detail, new RegExp(`^killed ${node} \\(kubelet stopped; it starts again in 8s\\)$`));
	const line = await kubectlWait(
		`kubectl get node ${node}: NotReady`,
		async () => {
			const out = (await kubectlOk(defaultKubectl, cluster.kubeconfigPath, ['get', 'node', node, '--no-headers'])).trim();
			return /\sNotReady\s/.test(out) ? out : undefined;
		},
		10_000,
	);
	assert.match(line, new RegExp(`^${node}\\s+NotReady\\s`));
	// Evicted after the 300 s toleration (3 s here) and replaced on another node.
	await waitFor(() => !!cluster.store.get('pods', 'default', victim.metadata.name!)?.metadata.deletionTimestamp, 10_000, 'eviction');
	await waitFor(() => readyPods().length === 3 && readyPods().every((p) => p.spec!.nodeName !== node), 10_000, 'a replacement');
	// The revival: Ready again, no taints, and the evicted pod finished by its kubelet.
	await waitFor(() => !cluster.store.get('pods', 'default', victim.metadata.name!), 15_000, 'the evicted pod gone after the revival');
	const back = cluster.store.mustGet('nodes', undefined, node);
	assert.equal(back.spec?.taints, undefined);
	assert.equal((back.status?.conditions ?? []).find((c: any) => c.type === 'Ready')?.status, 'True');
});
