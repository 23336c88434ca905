// The article's whole session, replayed with the real kubectl against `rollout-cockpit sim --scenario empty`.
// Every step checks kubectl's own output, for a protobuf-speaking kubectl (1.32) and a JSON-speaking one (1.31).
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {
	headRequest,
	kubectl,
	kubectlOk,
	kubectlVersions,
	kubectlWatch,
	startSimProcess,
	waitFor,
	type SimProcess,
} from '../helpers/kubectl.js';

/** Rows of a kubectl table: header names -> cells, split on runs of 2+ spaces as kubectl pads columns. */
function table(stdout: string): Record<string, string>[] {
	const lines = stdout.split('\n').filter((l) => l.trim() !== '');
	if (lines.length === 0) return [];
	const header = lines[0]!;
	const starts: {name: string; at: number}[] = [];
	const re = /\S+(?: \S+)*/g;
	for (const m of header.matchAll(re)) starts.push({name: m[0], at: m.index});
	return lines.slice(1).map((line) => {
		const row: Record<string, string> = {};
		starts.forEach((c, i) => {
			const end = i + 1 < starts.length ? starts[i + 1]!.at : undefined;
			row[c.name] = line.slice(c.at, end).trim();
		});
		return row;
	});
}

for (const {name, bin} of kubectlVersions) {
	describe(`the article's session with ${name}`, {timeout: 6 * 60_000}, () => {
		let sim: SimProcess;
		const k = (...args: string[]) => kubectlOk(bin, sim.kubeconfig, args);
		const deployImages = async () =>
			JSON.parse(await k('get', 'deployment', 'nginx', '-o', 'json')).spec.template.spec.containers.map((c: any) => c.image);
		const rolledOut = async () => {
			const out = await k('rollout', 'status', 'deployment/nginx', '--timeout=60s');
			assert.match(out, /deployment "nginx" successfully rolled out/);
		};

		before(async () => {
			sim = await startSimProcess(['--scenario', 'empty', '--speed', '20']);
		});
		after(async () => {
			const code = await sim?.stop();
			assert.equal(code, 0, `sim should exit 0 on SIGTERM; it printed:\n${sim?.output()}`);
		});

		test('the cluster has the four nodes of the article', async () => {
			const rows = table(await k('get', 'nodes', '-o', 'wide'));
			assert.deepEqual(
				rows.map((r) => r.NAME),
				['node1', 'node2', 'node3', 'node4'],
			);
			for (const r of rows) {
				assert.equal(r.STATUS, 'Ready');
				assert.equal(r['INTERNAL-IP'], '127.0.0.1');
			}
		});

		test('create deployment nginx, scale it to 2 and then 3', async () => {
			assert.match(await k('create', 'deployment', 'nginx', '--image=nginx:1.18'), /deployment\.apps\/nginx created/);
			await rolledOut();
			assert.match(await k('scale', 'deployment', 'nginx', '--replicas=2'), /deployment\.apps\/nginx scaled/);
			await rolledOut();
			assert.match(await k('scale', 'deployment', 'nginx', '--replicas=3'), /deployment\.apps\/nginx scaled/);
			await rolledOut();
			const pods = table(await k('get', 'po', '-o', 'wide'));
			assert.equal(pods.length, 3);
			for (const p of pods) {
				assert.match(p.NAME!, /^nginx-[a-z0-9]{6,10}-[a-z0-9]{5}$/);
				assert.equal(p.READY, '1/1');
				assert.equal(p.STATUS, 'Running');
				assert.equal(p.RESTARTS, '0');
				assert.match(p.IP!, /^10\.244\.\d+\.\d+$/);
				assert.match(p.NODE!, /^node[1-4]$/);
			}
			const deploy = table(await k('get', 'deployments', '-o', 'wide'));
			assert.deepEqual(
				deploy.map((d) => [d.NAME, d.READY, d['UP-TO-DATE'], d.AVAILABLE, d.IMAGES, d.SELECTOR]),
				[['nginx', '3/3', '3', '3', 'nginx:1.18', 'app=nginx']],
			);
		});

		let nodePort = 0;
		test('expose it as a NodePort and curl the nodePort', async () => {
			assert.match(await k('expose', 'deployment', 'nginx', '--type=NodePort', '--port=80', '--target-port=80'), /service\/nginx exposed/);
			const svc = table(await k('get', 'svc')).find((s) => s.NAME === 'nginx');
			assert.ok(svc, 'kubectl get svc lists nginx');
			assert.equal(svc.TYPE, 'NodePort');
			const m = /^80:(\d+)\/TCP$/.exec(svc['PORT(S)']!);
			assert.ok(m, `PORT(S) looks like 80:3xxxx/TCP, got ${svc['PORT(S)']}`);
			nodePort = Number(m[1]);
			assert.ok(nodePort >= 30000 && nodePort <= 32767, `nodePort ${nodePort} in 30000-32767`);
			const res = await waitFor(
				'the nodePort to answer',
				async () => {
					const r = await headRequest(nodePort);
					return r.status === 200 ? r : undefined;
				},
				15_000,
			);
			assert.equal(res.headers!.server, 'nginx/1.18.0');
		});

		test('set image to nginx:1.20.1 rolls out with the rolling-update sequence of events', async () => {
			const rsBefore = table(await k('get', 'rs'));
			assert.equal(rsBefore.length, 1);
			const oldRs = rsBefore[0]!.NAME!;
			assert.match(await k('set', 'image', 'deployment/nginx', 'nginx=nginx:1.20.1'), /deployment\.apps\/nginx image updated/);
			await rolledOut();
			const rs = table(await k('get', 'rs', '-o', 'wide'));
			const newRs = rs.find((r) => r.NAME !== oldRs)!;
			assert.ok(newRs, 'a new ReplicaSet exists');
			assert.deepEqual([newRs.DESIRED, newRs.CURRENT, newRs.READY, newRs.IMAGES], ['3', '3', '3', 'nginx:1.20.1']);
			assert.deepEqual(
				rs.filter((r) => r.NAME === oldRs).map((r) => [r.DESIRED, r.CURRENT, r.READY]),
				[['0', '0', '0']],
			);

			const events = table(await k('get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=nginx'));
			const scaling = events
				.filter((e) => e.REASON === 'ScalingReplicaSet')
				.map((e) => e.MESSAGE!.replace(/^\(combined from similar events\): /, ''));
			const afterSetImage = scaling.slice(scaling.findIndex((m) => m.includes(newRs.NAME!)));
			// kube-controller-manager 1.32 adds where it came from ("to 2 from 3"); the article's 1.23 said "to 2".
			assert.deepEqual(
				afterSetImage.map((m) => m.replace(/ from \d+$/, '')),
				[
					`Scaled up replica set ${newRs.NAME} to 1`,
					`Scaled down replica set ${oldRs} to 2`,
					`Scaled up replica set ${newRs.NAME} to 2`,
					`Scaled down replica set ${oldRs} to 1`,
					`Scaled up replica set ${newRs.NAME} to 3`,
					`Scaled down replica set ${oldRs} to 0`,
				],
			);
			const all = await k('get', 'events');
			for (const reason of ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started', 'Killing', 'SuccessfulCreate', 'SuccessfulDelete']) {
				assert.match(all, new RegExp(`\\b${reason}\\b`), `kubectl get events shows ${reason}`);
			}
			const res = await headRequest(nodePort);
			assert.equal(res.headers?.server, 'nginx/1.20.1');
		});

		test('rollout restart twice, then set image again', async () => {
			// Nine different ScalingReplicaSet messages so far (create, scale, scale, six for set image): the restart's
			// first is the tenth, and from it on they are combined, as client-go's EventCorrelator does (and the article shows).
			const watch = kubectlWatch(bin, sim.kubeconfig, ['get', 'events', '-w', '--field-selector', 'involvedObject.kind=Deployment']);
			const rsTable = table(await k('get', 'rs'));
			const rsBefore = new Set(rsTable.map((r) => r.NAME!));
			const oldRs = rsTable.find((r) => r.DESIRED === '3')!.NAME!;
			try {
				await waitFor('get events -w to list', () => watch.output().includes('ScalingReplicaSet'));
				assert.match(await k('rollout', 'restart', 'deployment', 'nginx'), /deployment\.apps\/nginx restarted/);
				await rolledOut();
				const newRs = table(await k('get', 'rs')).find((r) => !rsBefore.has(r.NAME!))!.NAME!;
				const combined = [
					`Scaled up replica set ${newRs} to 1`,
					`Scaled down replica set ${oldRs} to 2 from 3`,
					`Scaled up replica set ${newRs} to 2 from 1`,
					`Scaled down replica set ${oldRs} to 1 from 2`,
					`Scaled up replica set ${newRs} to 3 from 2`,
					`Scaled down replica set ${oldRs} to 0 from 1`,
				].map((m) => `(combined from similar events): ${m}`);
				// The watch prints each update of the one combined Event as it comes, like the article's `get events -w`.
				await waitFor('every combined message in get events -w', () => combined.every((m) => watch.output().includes(m)));
				const lines = watch
					.output()
					.split('\n')
					.filter((l) => l.includes('(combined from similar events)'));
				assert.deepEqual(
					lines.map((l) => l.slice(l.indexOf('(combined'))),
					combined,
				);
				assert.ok(
					lines.every((l) => /\sNormal\s+ScalingReplicaSet\s+deployment\/nginx\s/.test(l)),
					lines.join('\n'),
				);
				// `get events` lists it once, as one Event counted six times.
				const events = JSON.parse(await k('get', 'events', '-o', 'json')).items.filter((e: any) => e.message.startsWith('(combined'));
				assert.deepEqual(
					events.map((e: any) => [e.reason, e.involvedObject.name, e.count, e.message]),
					[['ScalingReplicaSet', 'nginx', 6, combined.at(-1)]],
				);
				const plain = table(await k('get', 'events')).filter((e) => e.MESSAGE!.startsWith('(combined'));
				assert.deepEqual(
					plain.map((e) => [e.REASON, e.OBJECT, e.MESSAGE]),
					[['ScalingReplicaSet', 'deployment/nginx', combined.at(-1)]],
				);
			} finally {
				watch.stop();
			}
			// kubectl stamps restartedAt with second precision: a second restart in the same second changes nothing.
			await new Promise((r) => setTimeout(r, 1100));
			assert.match(await k('rollout', 'restart', 'deployment', 'nginx'), /deployment\.apps\/nginx restarted/);
			await rolledOut();
			assert.match(await k('set', 'image', 'deployment/nginx', 'nginx=nginx:1.18'), /deployment\.apps\/nginx image updated/);
			await rolledOut();
			const pods = table(await k('get', 'po'));
			assert.equal(pods.length, 3);
			assert.ok(pods.every((p) => p.STATUS === 'Running' && p.READY === '1/1'));
		});

		test('rollout history lists the revisions and --revision=N shows each template', async () => {
			const history = await k('rollout', 'history', 'deployment', 'nginx');
			assert.match(history, /deployment\.apps\/nginx/);
			const revs = table(history.split('\n').slice(1).join('\n'));
			assert.deepEqual(
				revs.map((r) => [r.REVISION, r['CHANGE-CAUSE']]),
				[
					['1', '<none>'],
					['2', '<none>'],
					['3', '<none>'],
					['4', '<none>'],
					['5', '<none>'],
				],
			);
			const expected: Record<number, {image: string; restarted: boolean}> = {
				1: {image: 'nginx:1.18', restarted: false},
				2: {image: 'nginx:1.20.1', restarted: false},
				3: {image: 'nginx:1.20.1', restarted: true},
				4: {image: 'nginx:1.20.1', restarted: true},
				5: {image: 'nginx:1.18', restarted: true},
			};
			for (const [rev, want] of Object.entries(expected)) {
				const out = await k('rollout', 'history', 'deployment', 'nginx', `--revision=${rev}`);
				assert.match(out, new RegExp(`deployment\\.apps/nginx with revision #${rev}`));
				assert.match(out, /Pod Template:/);
				assert.match(out, /Labels:\s+app=nginx/);
				assert.match(out, /pod-template-hash=[a-z0-9]+/);
				assert.match(out, new RegExp(`Image:\\s+${want.image.replace(/\./g, '\\.')}\\s`));
				assert.equal(/kubectl\.kubernetes\.io\/restartedAt/.test(out), want.restarted, `revision ${rev} restartedAt`);
			}
			const missing = await kubectl(bin, sim.kubeconfig, ['rollout', 'history', 'deployment', 'nginx', '--revision=42']);
			assert.notEqual(missing.code, 0);
			assert.match(missing.stderr, /unable to find the specified revision/);
		});

		test('rollout undo to the nginx:1.18 revision brings the image back; get rs -o wide shows old at 0, current at 3', async () => {
			// Revision 1 is the template `create deployment --image=nginx:1.18` made (see the note in the issue).
			assert.match(await k('rollout', 'undo', 'deployment', 'nginx', '--to-revision=1'), /deployment\.apps\/nginx rolled back/);
			await rolledOut();
			assert.deepEqual(await deployImages(), ['nginx:1.18']);
			const deploy = table(await k('get', 'deployments', '-o', 'wide'));
			assert.deepEqual(
				deploy.map((d) => [d.READY, d.IMAGES]),
				[['3/3', 'nginx:1.18']],
			);
			const rs = table(await k('get', 'rs', '-o', 'wide'));
			assert.equal(rs.length, 5, 'five ReplicaSets: the reused revision-1 one and four old ones');
			const current = rs.filter((r) => r.DESIRED === '3');
			assert.equal(current.length, 1);
			assert.deepEqual([current[0]!.CURRENT, current[0]!.READY, current[0]!.IMAGES], ['3', '3', 'nginx:1.18']);
			for (const r of rs.filter((r) => r !== current[0])) assert.deepEqual([r.DESIRED, r.CURRENT, r.READY], ['0', '0', '0']);
			const revs = table((await k('rollout', 'history', 'deployment', 'nginx')).split('\n').slice(1).join('\n'));
			assert.deepEqual(
				revs.map((r) => r.REVISION),
				['2', '3', '4', '5', '6'],
				'revision 1 was reused as revision 6',
			);
			const undoAgain = await k('rollout', 'undo', 'deployment', 'nginx', '--to-revision=6');
			assert.match(undoAgain, /skipped rollback \(current template already matches revision 6\)/);
		});

		test('rollout pause holds a change back and rollout resume lets it roll out', async () => {
			assert.match(await k('rollout', 'pause', 'deployment/nginx'), /deployment\.apps\/nginx paused/);
			await k('set', 'image', 'deployment/nginx', 'nginx=nginx:1.20.1');
			// While paused the controller observes the change but starts no new ReplicaSet.
			await waitFor('the paused deployment to be observed', async () => {
				const d = JSON.parse(await k('get', 'deployment', 'nginx', '-o', 'json'));
				return d.status.observedGeneration === d.metadata.generation;
			});
			const paused = await kubectl(bin, sim.kubeconfig, ['rollout', 'undo', 'deployment/nginx']);
			assert.notEqual(paused.code, 0);
			assert.match(paused.stderr, /you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again/);
			const rs = table(await k('get', 'rs', '-o', 'wide'));
			assert.equal(rs.length, 5, 'no new ReplicaSet while paused');
			assert.deepEqual(
				rs.filter((r) => r.DESIRED !== '0').map((r) => [r.DESIRED, r.IMAGES]),
				[['3', 'nginx:1.18']],
			);
			assert.equal(table(await k('get', 'po')).filter((p) => p.STATUS === 'Running').length, 3);
			assert.match(await k('rollout', 'resume', 'deployment/nginx'), /deployment\.apps\/nginx resumed/);
			await rolledOut();
			assert.deepEqual(await deployImages(), ['nginx:1.20.1']);
		});

		test('delete pod: Terminating, then replaced, as get pods -w streams it', async () => {
			const before = table(await k('get', 'po')).map((p) => p.NAME!);
			const watch = kubectlWatch(bin, sim.kubeconfig, ['get', 'pods', '-w']);
			try {
				await waitFor('get pods -w to list the pods', () => before.every((n) => watch.output().includes(n)));
				const victim = before[0]!;
				assert.match(await k('delete', 'pod', victim, '--wait=false'), new RegExp(`pod "${victim}" deleted`));
				await waitFor('the watch to show the pod Terminating', () => new RegExp(`${victim}\\s+\\S+\\s+Terminating`).test(watch.output()));
				const replacement = await waitFor('a replacement pod Running', async () => {
					const pods = table(await k('get', 'po'));
					const fresh = pods.filter((p) => !before.includes(p.NAME!) && p.STATUS === 'Running');
					return pods.length === 3 && !pods.some((p) => p.NAME === victim) && fresh.length === 1 ? fresh[0]!.NAME : undefined;
				});
				await waitFor('the watch to stream the replacement', () => new RegExp(`${replacement}\\s+1/1\\s+Running`).test(watch.output()));
			} finally {
				watch.stop();
			}
		});

		test('a bad image: rollout status reports the progress deadline exceeded', async () => {
			await k('patch', 'deployment', 'nginx', '-p', '{"spec":{"progressDeadlineSeconds":10}}');
			await k('set', 'image', 'deployment/nginx', 'nginx=nginx:9.9.9-nosuchtag');
			const pulled = await waitFor('a pod in ErrImagePull or ImagePullBackOff', async () =>
				table(await k('get', 'po')).find((p) => p.STATUS === 'ErrImagePull' || p.STATUS === 'ImagePullBackOff'),
			);
			assert.equal(pulled.READY, '0/1');
			const status = await kubectl(bin, sim.kubeconfig, ['rollout', 'status', 'deployment/nginx', '--timeout=60s']);
			assert.notEqual(status.code, 0);
			assert.match(status.stderr, /deployment "nginx" exceeded its progress deadline/);
			const events = await k('get', 'events', '--field-selector', 'type=Warning');
			assert.match(events, /Failed|BackOff/);
			// The old pods keep serving: maxUnavailable 0 under the default strategy for 3 replicas.
			assert.equal(table(await k('get', 'po')).filter((p) => p.STATUS === 'Running' && p.READY === '1/1').length, 3);
		});
	});
}
