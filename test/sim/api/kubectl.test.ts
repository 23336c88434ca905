// The real kubectl against the API server: 1.32 (sends protobuf for typed creates) and 1.31 (sends JSON).
// No controllers run here, so no pods appear; these tests are about the API kubectl sees.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startTestServer, waitFor, type TestServer} from './helpers.js';
import {kubectlVersions} from '../../helpers/kubectl.js';
import {bounded} from '../../helpers/wait.js';

const versions = kubectlVersions.map((v) => ({name: v.name, path: v.bin}));

type Run = {code: number; stdout: string; stderr: string};

for (const version of versions) {
	describe(version.name, () => {
		let t: TestServer;
		let dir: string;
		let kubeconfig: string;

		const kubectl = (...args: string[]): Promise<Run> =>
			new Promise((resolve) => {
				execFile(
					version.path,
					['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
					{timeout: 20_000, env: {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: ''}},
					(error, stdout, stderr) => resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr}),
				);
			});

		const ok = async (...args: string[]): Promise<string> => {
			const r = await kubectl(...args);
			assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
			return r.stdout;
		};

		const deploymentNamed = (name: string) => t.store.get('deployments', 'default', name);

		before(async () => {
			assert.ok(existsSync(version.path), `${version.path} is needed for these tests`);
			t = await startTestServer();
			dir = mkdtempSync(join(tmpdir(), 'sim-api-kubectl-'));
			kubeconfig = join(dir, 'kubeconfig');
			writeFileSync(kubeconfig, t.server.kubeconfig(), {mode: 0o600});
		});
		after(async () => {
			await t.close();
			rmSync(dir, {recursive: true, force: true});
		});

		test('version, api-resources and get ns', async () => {
			// kubectl 1.28+ prints the short form; 1.27 prints the whole version.Info.
			assert.match(await ok('version'), /Server Version: (v1\.32\.4|version\.Info\{.*GitVersion:"v1\.32\.4")/);
			const resources = await ok('api-resources');
			assert.match(resources, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
			assert.match(resources, /^pods\s+po\s+v1\s+true\s+Pod$/m);
			assert.match(resources, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
			const ns = await ok('get', 'ns');
			assert.match(ns, /^NAME\s+STATUS\s+AGE$/m);
			for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
				assert.match(ns, new RegExp(`^${name}\\s+Active\\s+\\d+s$`, 'm'));
			const none = await kubectl('get', 'po');
			assert.equal(none.code, 0);
			assert.match(none.stderr, /No resources found in default namespace\./);
		});

		test('create deployment, then get -o json shows the defaulted object', async () => {
			assert.equal((await ok('create', 'deployment', 'nginx', '--image=nginx:1.18')).trim(), 'deployment.apps/nginx created');
			const d = JSON.parse(await ok('get', 'deploy', 'nginx', '-o', 'json'));
			assert.equal(d.kind, 'Deployment');
			assert.deepEqual(d.spec.selector, {matchLabels: {app: 'nginx'}});
			assert.deepEqual(d.spec.strategy, {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}});
			const c = d.spec.template.spec.containers[0];
			assert.deepEqual(
				[c.name, c.image, c.imagePullPolicy, c.terminationMessagePath],
				['nginx', 'nginx:1.18', 'IfNotPresent', '/dev/termination-log'],
			);
			assert.equal(d.metadata.uid, deploymentNamed('nginx')!.metadata.uid);
			// get prints the server's table.
			assert.match(await ok('get', 'deploy'), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nnginx\s+0\/1\s+0\s+0\s+\d+s\n$/);
		});

		test('scale, set image, patch (json, merge, strategic) and rollout restart change the stored Deployment', async () => {
			assert.equal((await ok('scale', 'deploy', 'nginx', '--replicas=3')).trim(), 'deployment.apps/nginx scaled');
			assert.equal(deploymentNamed('nginx')!.spec.replicas, 3);
			assert.equal((await ok('set', 'image', 'deploy/nginx', 'nginx=nginx:1.20.1')).trim(), 'deployment.apps/nginx image updated');
			assert.equal(deploymentNamed('nginx')!.spec.template.spec.containers[0].image, 'nginx:1.20.1');
			await ok('patch', 'deploy', 'nginx', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":2}]');
			assert.equal(deploymentNamed('nginx')!.spec.replicas, 2);
			await ok('patch', 'deploy', 'nginx', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"web"}}}');
			assert.deepEqual(deploymentNamed('nginx')!.metadata.labels, {app: 'nginx', tier: 'web'});
			await ok('patch', 'deploy', 'nginx', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}');
			assert.deepEqual(
				deploymentNamed('nginx')!.spec.template.spec.containers.map((x: any) => x.name),
				['nginx', 'sidecar'],
			);
			assert.equal((await ok('rollout', 'restart', 'deploy/nginx')).trim(), 'deployment.apps/nginx restarted');
			assert.match(deploymentNamed('nginx')!.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], /^\d{4}-\d\d-\d\dT/);
			assert.equal(deploymentNamed('nginx')!.metadata.generation, 6);
		});

		test('apply -f creates, reports unchanged, and configures', async () => {
			const file = join(dir, 'web.yaml');
			const manifest = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80
`;
			writeFileSync(file, manifest('httpd:2.4'));
			assert.equal((await ok('apply', '-f', file)).trim(), 'deployment.apps/web created');
			assert.equal((await ok('apply', '-f', file)).trim(), 'deployment.apps/web unchanged');
			writeFileSync(file, manifest('httpd:2.4.62'));
			assert.equal((await ok('apply', '-f', file)).trim(), 'deployment.apps/web configured');
			assert.equal(deploymentNamed('web')!.spec.template.spec.containers[0].image, 'httpd:2.4.62');
			assert.deepEqual(deploymentNamed('web')!.spec.template.spec.containers[0].ports, [{containerPort: 80, protocol: 'TCP'}]);
		});

		test("rollout undo puts back the old ReplicaSet's template exactly (its JSON patch carries creationTimestamp: null)", async () => {
			await ok('create', 'deployment', 'undo', '--image=nginx:1.18');
			const d = deploymentNamed('undo')!;
			// What the deployment controller would have made for revision 1 (no controllers run in this test).
			const template = structuredClone(d.spec.template);
			template.metadata.labels['pod-template-hash'] = '7d4b8f5c9';
			t.store.create('replicasets', {
				apiVersion: 'apps/v1',
				kind: 'ReplicaSet',
				metadata: {
					name: 'undo-7d4b8f5c9',
					namespace: 'default',
					labels: template.metadata.labels,
					annotations: {'deployment.kubernetes.io/revision': '1'},
					ownerReferences: [
						{apiVersion: 'apps/v1', kind: 'Deployment', name: 'undo', uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true},
					],
				},
				spec: {replicas: 0, selector: {matchLabels: template.metadata.labels}, template},
			});
			await ok('set', 'image', 'deploy/undo', 'nginx=nginx:1.20.1');
			// The controller keeps the revision annotation on the Deployment; undo's JSON patch replaces it.
			await ok('annotate', 'deploy/undo', 'deployment.kubernetes.io/revision=2');
			assert.equal((await ok('rollout', 'undo', 'deploy/undo', '--to-revision=1')).trim(), 'deployment.apps/undo rolled back');
			const after = deploymentNamed('undo')!;
			assert.deepEqual(after.spec.template, d.spec.template);
			assert.equal('creationTimestamp' in after.spec.template.metadata, false);
			await ok('delete', 'deployment', 'undo');
		});

		test('expose makes a NodePort service with an allocated port', async () => {
			assert.equal((await ok('expose', 'deployment', 'nginx', '--type=NodePort', '--port=80')).trim(), 'service/nginx exposed');
			const svc = t.store.get('services', 'default', 'nginx')!;
			assert.ok(svc.spec.ports[0].nodePort >= 30000 && svc.spec.ports[0].nodePort <= 32767);
			assert.match(
				await ok('get', 'svc', 'nginx'),
				new RegExp(
					`^nginx\\s+NodePort\\s+${svc.spec.clusterIP.replace(/\./g, '\\.')}\\s+<none>\\s+80:${svc.spec.ports[0].nodePort}/TCP\\s+\\d+s$`,
					'm',
				),
			);
		});

		test("server errors come back in kubectl's words: 422, 409, 404", async () => {
			const invalid = await kubectl('create', 'deployment', 'bad', '--image=nginx', '--replicas=-1');
			assert.notEqual(invalid.code, 0);
			assert.equal(
				invalid.stderr,
				'error: failed to create deployment: Deployment.apps "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
			);
			const exists = await kubectl('create', 'deployment', 'nginx', '--image=nginx');
			assert.equal(exists.stderr, 'error: failed to create deployment: deployments.apps "nginx" already exists\n');
			const typo = join(dir, 'typo.yaml');
			writeFileSync(
				typo,
				'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: typo\nspec:\n  replicaz: 2\n  selector:\n    matchLabels: {app: typo}\n  template:\n    metadata:\n      labels: {app: typo}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n',
			);
			const strict = await kubectl('apply', '-f', typo);
			assert.equal(
				strict.stderr,
				`Error from server (BadRequest): error when creating "${typo}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz"\n`,
			);
			assert.equal(deploymentNamed('typo'), undefined);
			const missing = await kubectl('get', 'deploy', 'nope');
			assert.match(missing.stderr, /Error from server \(NotFound\): deployments\.apps "nope" not found/);
			assert.equal(deploymentNamed('bad'), undefined);
		});

		test('get -w prints the table once, then a row per change', async () => {
			const child = spawn(version.path, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'get', 'deploy', '-w'], {
				env: {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir},
			});
			let out = '';
			child.stdout.setEncoding('utf8');
			child.stdout.on('data', (chunk: string) => (out += chunk));
			const exited = bounded(new Promise((resolve) => child.on('exit', resolve)), 20_000, 'kubectl get -w to exit');
			const killer = setTimeout(() => child.kill(), 15_000);
			try {
				await waitFor(() => /^web\s/m.test(out), 10_000, 'the initial rows');
				await ok('scale', 'deploy', 'web', '--replicas=4');
				await waitFor(() => /^web\s+0\/4\s/m.test(out), 10_000, 'the scaled row');
			} finally {
				clearTimeout(killer);
				child.kill();
				await exited;
			}
			const lines = out.trim().split('\n');
			assert.match(lines[0]!, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
			assert.equal(lines.filter((l) => l.startsWith('NAME')).length, 1, 'one header');
			assert.deepEqual(
				lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
				['nginx 0/2', 'web 0/2', 'web 0/4'],
			);
		});

		test('delete removes the Deployment (kubectl waits until it is gone)', async () => {
			assert.equal((await ok('delete', 'deployment', 'nginx')).trim(), 'deployment.apps "nginx" deleted');
			assert.equal(deploymentNamed('nginx'), undefined);
			assert.equal((await ok('delete', 'svc', 'nginx')).trim(), 'service "nginx" deleted');
		});
	});
}
