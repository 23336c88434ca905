// PodDisruptionBudgets (policy/v1) in the embedded cluster, driven by the real kubectl as on a real cluster: discovery
// lists them (pdb), `kubectl create pdb` creates them (kubectl 1.32 sends protobuf, 1.31 JSON), `kubectl get pdb`
// prints kubectl's columns from the server's Table, `kubectl describe pdb` reads them, patch and delete work, a watch
// sees the controller's changes, and bad budgets are refused in the apiserver's words. The disruption controller
// keeps the status as kube-controller-manager does: with the article's 3 nginx pods ready, minAvailable 2 allows 1
// disruption, maxUnavailable 50% of the Deployment's 3 allows 2, and minAvailable 4 none (InsufficientPods).
import assert from 'node:assert/strict';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import {kubectl, kubectlOk, kubectlVersions, kubectlWatch, waitFor} from '../helpers/kubectl.js';

let cluster: SimCluster;
let dir: string;

type Pdb = {
	metadata: {name: string; generation: number};
	spec: {minAvailable?: number | string; maxUnavailable?: number | string; selector?: unknown};
	status: {
		observedGeneration?: number;
		disruptionsAllowed: number;
		currentHealthy: number;
		desiredHealthy: number;
		expectedPods: number;
		conditions?: {type: string; status: string; reason: string; message: string; observedGeneration?: number; lastTransitionTime: string}[];
	};
};

// The table kubectl prints, as rows of cells split on its column gaps.
const table = (text: string) =>
	text
		.trim()
		.split('\n')
		.map((l) => l.trim().split(/\s{2,}/));

describe('PodDisruptionBudgets in the embedded cluster, through the real kubectl', {concurrency: false}, () => {
	before(async () => {
		cluster = await startCluster({scenario: 'nginx', speed: 4});
		dir = await mkdtemp(path.join(os.tmpdir(), 'sim-pdb-'));
		await kubectlOk('/usr/bin/kubectl', cluster.kubeconfigPath, ['rollout', 'status', 'deployment/nginx', '--timeout=60s']);
	});
	after(async () => {
		await cluster?.stop();
		if (dir) await rm(dir, {recursive: true, force: true});
	});

	for (const {name, bin, minor} of kubectlVersions) {
		const k = (...args: string[]) => kubectlOk(bin, cluster.kubeconfigPath, args);
		const get = async (pdb: string) => JSON.parse(await k('get', 'pdb', pdb, '-o', 'json')) as Pdb;
		// Each kubectl makes budgets of its own (KUBECTL_VERSIONS=all runs them all on one cluster): p for /usr/bin/kubectl, j for the others, and the minor.
		const suffix = `${bin === '/usr/bin/kubectl' ? 'p' : 'j'}${minor}`;

		test(`${name}: discovery lists poddisruptionbudgets (pdb) in policy/v1, namespaced`, async () => {
			const out = await k('api-resources', '--api-group=policy');
			assert.deepEqual(table(out), [
				['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'],
				['poddisruptionbudgets', 'pdb', 'policy/v1', 'true', 'PodDisruptionBudget'],
			]);
			assert.match(await k('explain', 'pdb.spec.minAvailable'), /^FIELD: *minAvailable </m);
		});

		test(`${name}: create pdb --min-available=2 over the 3 ready nginx pods: 1 disruption allowed, in kubectl's columns`, async () => {
			const pdb = `min-${suffix}`;
			assert.equal(
				await k('create', 'pdb', pdb, '--selector=app=nginx', '--min-available=2'),
				`poddisruptionbudget.policy/${pdb} created\n`,
			);
			const status = await waitFor('the controller to count the pods', async () => {
				const o = await get(pdb);
				return o.status.expectedPods === 3 ? o : undefined;
			});
			assert.equal(status.metadata.generation, 1);
			for (const c of status.status.conditions ?? []) assert.match(c.lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
			assert.deepEqual(
				{...status.status, conditions: status.status.conditions?.map(({lastTransitionTime: _, ...c}) => c)},
				{
					observedGeneration: 1,
					disruptionsAllowed: 1,
					currentHealthy: 3,
					desiredHealthy: 2,
					expectedPods: 3,
					conditions: [{type: 'DisruptionAllowed', status: 'True', observedGeneration: 1, reason: 'SufficientPods', message: ''}],
				},
			);
			const rows = table(await k('get', 'pdb', pdb));
			assert.deepEqual(rows[0], ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
			assert.deepEqual(rows[1]?.slice(0, 4), [pdb, '2', 'N/A', '1']);
			assert.match(rows[1]?.[4] ?? '', /^\d+s$/);
			const described = await k('describe', 'pdb', pdb);
			assert.match(described, new RegExp(`^Name:\\s+${pdb}$`, 'm'));
			assert.match(described, /^Min available:\s+2$/m);
			assert.match(described, /^Selector:\s+app=nginx$/m);
			assert.match(described, /^\s+Allowed disruptions:\s+1$/m);
			assert.match(described, /^\s+Current:\s+3$/m);
			assert.match(described, /^\s+Desired:\s+2$/m);
			assert.match(described, /^\s+Total:\s+3$/m);
		});

		test(`${name}: maxUnavailable 50% of the Deployment's 3 (rounded up): 2 allowed; a patch to minAvailable 4 allows none`, async () => {
			const pdb = `half-${suffix}`;
			await k('create', 'pdb', pdb, '--selector=app=nginx', '--max-unavailable=50%');
			const half = await waitFor('the controller', async () => {
				const o = await get(pdb);
				return o.status.expectedPods === 3 ? o : undefined;
			});
			assert.deepEqual([half.status.desiredHealthy, half.status.disruptionsAllowed], [1, 2]);
			assert.deepEqual(table(await k('get', 'pdb', pdb))[1]?.slice(0, 4), [pdb, 'N/A', '50%', '2']);

			// A watch sees the controller's answer to a change of the spec.
			const watch = kubectlWatch(bin, cluster.kubeconfigPath, [
				'get',
				'pdb',
				pdb,
				'--watch-only',
				'-o',
				'custom-columns=GEN:.metadata.generation,OBSERVED:.status.observedGeneration,ALLOWED:.status.disruptionsAllowed',
			]);
			try {
				await new Promise((resolve) => setTimeout(resolve, 1000));
				await k('patch', 'pdb', pdb, '--type=merge', '-p', '{"spec":{"maxUnavailable":null,"minAvailable":4}}');
				await waitFor(
					'the watch to see generation 2 observed with no disruption allowed',
					() => /^2\s+2\s+0$/m.test(watch.output()),
					30_000,
				);
			} finally {
				watch.stop();
			}
			const patched = await get(pdb);
			assert.equal(patched.metadata.generation, 2);
			assert.equal(patched.status.observedGeneration, 2);
			assert.deepEqual(
				patched.status.conditions?.map((c) => [c.type, c.status, c.reason]),
				[['DisruptionAllowed', 'False', 'InsufficientPods']],
			);
			assert.deepEqual(table(await k('get', 'pdb', pdb))[1]?.slice(0, 4), [pdb, '4', 'N/A', '0']);
			assert.equal(await k('delete', 'pdb', pdb), `poddisruptionbudget.policy "${pdb}" deleted\n`);
			const gone = await kubectl(bin, cluster.kubeconfigPath, ['get', 'pdb', pdb]);
			assert.equal(gone.code, 1);
			assert.match(gone.stderr, new RegExp(`Error from server \\(NotFound\\): poddisruptionbudgets.policy "${pdb}" not found`));
		});

		test(`${name}: a budget that selects no pod allows nothing and says so in an event`, async () => {
			const pdb = `none-${suffix}`;
			await k('create', 'pdb', pdb, '--selector=app=nothing', '--min-available=1');
			await waitFor('the NoPods event', async () =>
				(await k('get', 'events', '--field-selector', `involvedObject.name=${pdb}`)).includes('No matching pods found'),
			);
			const o = await get(pdb);
			assert.deepEqual(
				[o.status.expectedPods, o.status.currentHealthy, o.status.desiredHealthy, o.status.disruptionsAllowed],
				[0, 0, 1, 0],
			);
			assert.equal(o.status.conditions?.[0]?.reason, 'InsufficientPods');
		});

		test(`${name}: invalid budgets are refused in the apiserver's words, and nothing is created`, async () => {
			const both = path.join(dir, `both-${suffix}.yaml`);
			await writeFile(
				both,
				`apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: both-${suffix}\nspec:\n  minAvailable: 2\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: nginx\n`,
			);
			const r = await kubectl(bin, cluster.kubeconfigPath, ['create', '-f', both]);
			assert.equal(r.code, 1);
			assert.match(
				r.stderr,
				new RegExp(
					`^The PodDisruptionBudget "both-${suffix}" is invalid: spec: Invalid value: policy\\.PodDisruptionBudgetSpec\\{MinAvailable:\\(\\*intstr\\.IntOrString\\)\\(0xc[0-9a-f]+\\), Selector:\\(\\*v1\\.LabelSelector\\)\\(0xc[0-9a-f]+\\), MaxUnavailable:\\(\\*intstr\\.IntOrString\\)\\(0xc[0-9a-f]+\\), UnhealthyPodEvictionPolicy:\\(\\*policy\\.UnhealthyPodEvictionPolicyType\\)\\(nil\\)\\}: minAvailable and maxUnavailable cannot be both set\\n$`,
				),
			);
			const over = await kubectl(bin, cluster.kubeconfigPath, [
				'create',
				'pdb',
				`over-${suffix}`,
				'--selector=app=nginx',
				'--min-available=150%',
			]);
			assert.equal(over.code, 1);
			assert.equal(
				over.stderr,
				`error: failed to create poddisruptionbudgets: PodDisruptionBudget.policy "over-${suffix}" is invalid: spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%\n`,
			);
			const listed = await k('get', 'pdb', '-o', 'name');
			assert.doesNotMatch(listed, new RegExp(`both-${suffix}|over-${suffix}`));
		});
	}
});
