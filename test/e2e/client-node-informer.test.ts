// A client that is not kubectl, end to end: @kubernetes/client-node's own informer (ListWatch) and Watch drive the
// embedded cluster. The informer lists in pages (limit/continue), follows changes through its watch, reconnects
// when the watch is cut, and relists after a 410: both the in-stream ERROR and the HTTP 410 the apiserver sends for
// a resourceVersion compacted away. Its cache must end up equal to the cluster's pods each time.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {
	AppsV1Api,
	CoreV1Api,
	KubeConfig,
	makeInformer,
	PatchStrategy,
	setHeaderOptions,
	Watch,
	type V1Pod,
	type V1PodList,
} from '@kubernetes/client-node';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import {waitFor, within} from '../helpers/wait.js';

const namespace = 'default';
const selector = 'app=nginx';

describe('client-node informer and Watch against the embedded cluster', {concurrency: 1}, () => {
	let cluster: SimCluster;
	let kc: KubeConfig;
	let core: CoreV1Api;
	let apps: AppsV1Api;
	before(async () => {
		cluster = await startCluster({scenario: 'nginx', speed: 20});
		kc = new KubeConfig();
		kc.loadFromString(cluster.kubeconfig);
		core = kc.makeApiClient(CoreV1Api);
		apps = kc.makeApiClient(AppsV1Api);
	});
	after(() => cluster.stop());

	const livePods = () =>
		cluster.store
			.list('pods', namespace)
			.items.filter((p) => p.metadata.labels?.app === 'nginx')
			.map((p) => p.metadata.name!)
			.sort();
	const scale = (replicas: number) =>
		apps.patchNamespacedDeploymentScale(
			{namespace, name: 'nginx', body: {spec: {replicas}}},
			setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
		);

	test('list in pages, watch, reconnect after a cut, relist after an in-stream or HTTP 410', async () => {
		await waitFor(() => livePods().length === 3, 20_000, 'the three nginx pods');

		// listFn pages through the pods two at a time, as client-go's pager does; the list's resourceVersion is
		// the first page's, and every later page carries on from the continue token.
		const pages: {continue?: string; names: string[]}[] = [];
		const listFn = async (): Promise<V1PodList> => {
			let first: V1PodList | undefined;
			const items: V1Pod[] = [];
			let token: string | undefined;
			do {
				const page: V1PodList = await within(
					core.listNamespacedPod({namespace, labelSelector: selector, limit: 2, _continue: token}),
					10_000,
					'core.listNamespacedPod to be answered',
				);
				pages.push({continue: token, names: page.items.map((p) => p.metadata!.name!)});
				first ??= page;
				items.push(...page.items);
				token = page.metadata?._continue || undefined;
			} while (token);
			return {...first!, items};
		};
		const informer = makeInformer<V1Pod>(kc, `/api/v1/namespaces/${namespace}/pods`, listFn, selector);
		const seen: string[] = [];
		const errors: unknown[] = [];
		informer.on('add', (p) => seen.push(`add ${p.metadata!.name}`));
		informer.on('delete', (p) => seen.push(`delete ${p.metadata!.name}`));
		// client-node stops on a watch error; restarting resumes from the last resourceVersion, as its docs advise.
		let running = true;
		informer.on('error', (e) => {
			errors.push(e);
			setTimeout(() => {
				if (running) void informer.start();
			}, 50);
		});
		const cached = () =>
			informer
				.list(namespace)
				.map((p) => p.metadata!.name!)
				.sort();
		const pagesBefore = () => pages.length;
		// One complete paged list since `from`: a first page without a token, then pages from continue tokens.
		const relistedSince = (from: number) => {
			const relist = pages.slice(from);
			assert.ok(relist.length >= 1, 'the informer listed again');
			assert.equal(relist[0]!.continue, undefined);
			assert.ok(relist.slice(1).every((p) => p.continue));
			assert.ok(relist.every((p) => p.names.length <= 2));
		};
		await within(informer.start(), 10_000, 'the informer to start');
		try {
			// 1. The first list: three pods in two pages, the second from the first's continue token.
			assert.deepEqual(
				pages.map((p) => p.names.length),
				[2, 1],
			);
			assert.equal(pages[0]!.continue, undefined);
			assert.ok(pages[1]!.continue, 'the second page continues the first');
			assert.deepEqual(cached(), livePods());

			// 2. The watch: scale to 5, the informer sees two new pods without listing again.
			await within(scale(5), 10_000, 'the scale to be answered');
			await waitFor(() => livePods().length === 5 && cached().join() === livePods().join(), 20_000, 'the informer to follow the scale-up');
			assert.equal(pages.length, 2, 'followed through the watch, not by listing');

			// 3. The watch is cut: the informer reconnects (or restarts on its error) and still follows changes.
			const cut = await within(cluster.faults.inject('drop-watches'), 10_000, 'the drop-watches fault');
			assert.ok(cut >= 1, 'the informer had a watch open');
			await within(scale(4), 10_000, 'the scale to be answered');
			await waitFor(() => livePods().length === 4 && cached().join() === livePods().join(), 20_000, 'the informer to follow after the cut');

			// 4. Its watch goes silent while the cluster changes and compacts; once the connection is cut, the resume
			//    gets the in-stream ERROR 410, so the informer lists again (in pages) and deletes what is gone.
			const gap = async (scaleTo: number, as: 'event' | 'http') => {
				await waitFor(() => cluster.faults.openWatches === 1, 10_000, 'the informer watching');
				assert.equal(await within(cluster.faults.inject('stall-watches'), 10_000, 'the stall-watches fault'), 1);
				const before = cached();
				await within(scale(scaleTo), 10_000, 'the scale to be answered');
				await waitFor(() => livePods().length === scaleTo, 20_000, `the scale to ${scaleTo}`);
				assert.deepEqual(cached(), before, 'a silent watch brings nothing');
				await within(cluster.faults.inject('expire', {as}), 10_000, 'the expire fault');
				const from = pagesBefore();
				assert.equal(await within(cluster.faults.inject('drop-watches'), 10_000, 'the drop-watches fault'), 1);
				await waitFor(
					() => cached().join() === livePods().join(),
					20_000,
					`the relist after the ${as === 'event' ? 'in-stream' : 'HTTP'} 410`,
				);
				relistedSince(from);
				return before;
			};
			const before = await gap(2, 'event');
			for (const gone of before.filter((n) => !livePods().includes(n))) assert.ok(seen.includes(`delete ${gone}`), `delete ${gone}`);

			// 5. The same with the apiserver's HTTP 410 on the resume: client-node reads it from the status code.
			await gap(3, 'http');
		} finally {
			running = false;
			await within(informer.stop(), 10_000, 'the informer to stop');
		}
		assert.ok(
			errors.every((e) => !(e instanceof TypeError)),
			`no client-side failure: ${errors.map(String).join('; ')}`,
		);
	});

	test('Watch: a resume from a compacted resourceVersion ends with one ERROR 410; a fresh one starts with the state and a bookmark', async () => {
		const old = cluster.store.resourceVersion;
		await within(scale(2), 10_000, 'the scale to be answered');
		await waitFor(() => livePods().length === 2, 20_000, 'the scale-down');
		await within(cluster.faults.inject('expire', {as: 'event'}), 10_000, 'the expire fault');
		const events: {type: string; object: any}[] = [];
		await within(
			new Promise<unknown>((resolve) => {
				void new Watch(kc).watch(
					`/api/v1/namespaces/${namespace}/pods`,
					{resourceVersion: old},
					(type, object) => events.push({type, object}),
					resolve,
				);
			}),
			10_000,
			'the watch from an expired resourceVersion to end',
		);
		assert.deepEqual(
			events.map((e) => [e.type, e.object.code, e.object.reason]),
			[['ERROR', 410, 'Expired']],
		);
		// allowWatchBookmarks on a watch from "": the current pods, then the bookmark that ends the initial events.
		const fresh: {type: string; object: any}[] = [];
		let controller: AbortController | undefined;
		controller = await new Watch(kc).watch(
			`/api/v1/namespaces/${namespace}/pods`,
			{labelSelector: selector, allowWatchBookmarks: true},
			(type, object) => fresh.push({type, object}),
			() => {},
		);
		try {
			await waitFor(() => fresh.some((e) => e.type === 'BOOKMARK'), 10_000, 'the initial-events-end bookmark');
			const added = fresh.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name as string);
			assert.deepEqual(added.sort(), livePods());
			assert.equal(fresh.find((e) => e.type === 'BOOKMARK')!.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
		} finally {
			controller?.abort();
		}
	});
});
