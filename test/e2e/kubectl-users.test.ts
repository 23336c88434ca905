// The embedded cluster's users and rights, judged by the real kubectl of every installed version: the read-only
// user's `kubectl scale` is refused in kubectl's own words, `kubectl auth can-i` says no and yes as it should, a Role
// applied with kubectl grants exactly what it says, the no-events user cannot list events but sees pods, and the
// exec-credential and client-certificate users are who their kubeconfig contexts say.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execFile} from 'node:child_process';
import {simGet, startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import {allKubectlVersions, defaultKubectl} from '../helpers/kubectl.js';

type Run = {code: number; stdout: string; stderr: string};

const versions = allKubectlVersions;

describe('the sim users with the real kubectl', () => {
	let c: SimCluster;
	let dir: string;

	const kubectl = (bin: string, context: string, ...args: string[]): Promise<Run> =>
		new Promise((resolve) => {
			execFile(
				bin,
				['--kubeconfig', c.kubeconfigPath, '--context', context, '--cache-dir', join(dir, 'cache'), ...args],
				{timeout: 30_000, env: {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir}},
				(error, stdout, stderr) => resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr}),
			);
		});

	before(async () => {
		for (const v of versions) assert.ok(existsSync(v.bin), `${v.bin} is needed for these tests`);
		dir = mkdtempSync(join(tmpdir(), 'sim-users-'));
		c = await startCluster({scenario: 'nginx', speed: 20, kubeconfigOut: join(dir, 'kubeconfig')});
	});
	after(async () => {
		await c?.stop();
		rmSync(dir, {recursive: true, force: true});
	});

	for (const v of versions) {
		test(`${v.name}: the read-only user's scale is refused; auth can-i patch deployments says no for it and yes for admin`, async () => {
			const scale = await kubectl(v.bin, 'rollout-cockpit-sim-readonly', 'scale', 'deployment', 'nginx', '--replicas=5');
			assert.equal(scale.code, 1);
			assert.equal(
				scale.stderr,
				'Error from server (Forbidden): deployments.apps "nginx" is forbidden: User "viewer" cannot patch resource "deployments/scale" in API group "apps" in the namespace "default"\n',
			);
			assert.equal(c.store.get('deployments', 'default', 'nginx')?.spec.replicas, 3, 'nothing changed');
			const no = await kubectl(v.bin, 'rollout-cockpit-sim-readonly', 'auth', 'can-i', 'patch', 'deployments');
			assert.deepEqual([no.code, no.stdout], [1, 'no\n']);
			const yes = await kubectl(v.bin, 'rollout-cockpit-sim', 'auth', 'can-i', 'patch', 'deployments');
			assert.deepEqual([yes.code, yes.stdout], [0, 'yes\n']);
			const read = await kubectl(v.bin, 'rollout-cockpit-sim-readonly', 'auth', 'can-i', 'list', 'pods');
			assert.deepEqual([read.code, read.stdout], [0, 'yes\n']);
		});
	}

	test('a Role and RoleBinding applied with kubectl grant exactly what they say, and only while bound', async () => {
		const bin = defaultKubectl;
		const yaml = join(dir, 'scaler.yaml');
		writeFileSync(
			yaml,
			[
				'apiVersion: rbac.authorization.k8s.io/v1',
				'kind: Role',
				'metadata:',
				'  name: deployment-scaler',
				'  namespace: default',
				'rules:',
				'- apiGroups: ["apps"]',
				'  resources: ["deployments/scale"]',
				'  verbs: ["get", "patch"]',
				'---',
				'apiVersion: rbac.authorization.k8s.io/v1',
				'kind: RoleBinding',
				'metadata:',
				'  name: viewer-scales',
				'  namespace: default',
				'subjects:',
				'- kind: User',
				'  name: viewer',
				'  apiGroup: rbac.authorization.k8s.io',
				'roleRef:',
				'  kind: Role',
				'  name: deployment-scaler',
				'  apiGroup: rbac.authorization.k8s.io',
				'',
			].join('\n'),
		);
		const applied = await kubectl(bin, 'rollout-cockpit-sim', 'apply', '-f', yaml);
		assert.equal(applied.code, 0, applied.stderr);
		assert.equal(
			applied.stdout,
			'role.rbac.authorization.k8s.io/deployment-scaler created\nrolebinding.rbac.authorization.k8s.io/viewer-scales created\n',
		);
		const can = (...args: string[]) => kubectl(bin, 'rollout-cockpit-sim-readonly', 'auth', 'can-i', ...args);
		assert.equal((await can('patch', 'deployments', '--subresource=scale')).stdout, 'yes\n');
		assert.equal((await can('patch', 'deployments')).stdout, 'no\n', 'the scale subresource only');
		assert.equal((await can('patch', 'deployments', '--subresource=scale', '-n', 'kube-system')).stdout, 'no\n', 'in default only');
		const scaled = await kubectl(bin, 'rollout-cockpit-sim-readonly', 'scale', 'deployment', 'nginx', '--replicas=4');
		assert.deepEqual([scaled.code, scaled.stdout], [0, 'deployment.apps/nginx scaled\n']);
		assert.equal(c.store.get('deployments', 'default', 'nginx')?.spec.replicas, 4);
		const edit = await kubectl(bin, 'rollout-cockpit-sim-readonly', 'set', 'image', 'deployment/nginx', 'nginx=nginx:1.20.1');
		assert.equal(edit.code, 1);
		assert.match(edit.stderr, /User "viewer" cannot patch resource "deployments" in API group "apps" in the namespace "default"/);
		// kubectl get shows them with the real printers.
		const listed = await kubectl(bin, 'rollout-cockpit-sim', 'get', 'rolebinding', 'viewer-scales', '-o', 'wide');
		assert.match(
			listed.stdout,
			/^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\nviewer-scales\s+Role\/deployment-scaler\s+\d+s\s+viewer\s*\n$/,
		);
		// Unbound, the grant is gone.
		const deleted = await kubectl(bin, 'rollout-cockpit-sim', 'delete', 'rolebinding', 'viewer-scales');
		assert.equal(deleted.code, 0, deleted.stderr);
		assert.equal((await can('patch', 'deployments', '--subresource=scale')).stdout, 'no\n');
		const refused = await kubectl(bin, 'rollout-cockpit-sim-readonly', 'scale', 'deployment', 'nginx', '--replicas=3');
		assert.equal(refused.code, 1);
		assert.match(refused.stderr, /cannot patch resource "deployments\/scale"/);
	});

	test('the no-events user cannot list events (nor events.k8s.io) but sees pods and may scale', async () => {
		const bin = defaultKubectl;
		const events = await kubectl(bin, 'rollout-cockpit-sim-no-events', 'get', 'events');
		assert.equal(events.code, 1);
		assert.equal(
			events.stderr,
			'Error from server (Forbidden): events is forbidden: User "no-events" cannot list resource "events" in API group "" in the namespace "default"\n',
		);
		const v1 = await kubectl(bin, 'rollout-cockpit-sim-no-events', 'get', 'events.v1.events.k8s.io');
		assert.match(
			v1.stderr,
			/events\.events\.k8s\.io is forbidden: User "no-events" cannot list resource "events" in API group "events\.k8s\.io"/,
		);
		const watch = await kubectl(bin, 'rollout-cockpit-sim-no-events', 'auth', 'can-i', 'watch', 'events');
		assert.equal(watch.stdout, 'no\n');
		const pods = await kubectl(bin, 'rollout-cockpit-sim-no-events', 'get', 'pods', '-l', 'app=nginx', '-o', 'name');
		assert.equal(pods.code, 0, pods.stderr);
		assert.match(pods.stdout, /^pod\/nginx-/);
		assert.equal((await kubectl(bin, 'rollout-cockpit-sim-no-events', 'auth', 'can-i', 'patch', 'deployments')).stdout, 'yes\n');
	});

	for (const v of versions) {
		if (v.minor < 28) {
			// kubectl 1.27 asks authentication.k8s.io/v1beta1, then v1alpha1, and knows no v1. A 1.32 apiserver serves
			// SelfSubjectReview in v1 only: beta and alpha group versions are off by default (controlplane's
			// betaAPIGroupVersionsDisabledByDefault lists authentication/v1beta1), so both answers are Go's 404, and
			// kubectl 1.27 says so in its own words, as it does against a real 1.28 to 1.32 cluster.
			test(`${v.name}: auth whoami asks v1beta1 then v1alpha1, gets the apiserver's 404 for each, and says the API is not enabled`, async () => {
				const r = await kubectl(v.bin, 'rollout-cockpit-sim', 'auth', 'whoami', '-v=6');
				assert.equal(r.code, 1);
				const posts = [...r.stderr.matchAll(/POST https:\/\/\S+(\/apis\/\S+) (\d+)/g)].map((m) => `${m[1]} ${m[2]}`);
				assert.deepEqual(posts, [
					'/apis/authentication.k8s.io/v1beta1/selfsubjectreviews 404',
					'/apis/authentication.k8s.io/v1alpha1/selfsubjectreviews 404',
				]);
				assert.ok(
					r.stderr.endsWith(
						'error: the selfsubjectreviews API is not enabled in the cluster\n' +
							'enable APISelfSubjectReview feature gate and authentication.k8s.io/v1alpha1 or authentication.k8s.io/v1beta1 API\n',
					),
					r.stderr,
				);
			});
			continue;
		}
		test(`${v.name}: auth whoami: each context is the user its credential says (token, exec plugin, client certificate CN and O)`, async () => {
			const whoami = async (context: string) => {
				const r = await kubectl(v.bin, context, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username} {.status.userInfo.groups}');
				assert.equal(r.code, 0, r.stderr);
				return r.stdout;
			};
			assert.equal(await whoami('rollout-cockpit-sim'), 'admin ["system:masters","system:authenticated"]');
			assert.equal(await whoami('rollout-cockpit-sim-readonly'), 'viewer ["system:authenticated"]');
			assert.equal(await whoami('rollout-cockpit-sim-no-events'), 'no-events ["system:authenticated"]');
			assert.equal(await whoami('rollout-cockpit-sim-exec'), 'exec-user ["rollout-cockpit:exec-admins","system:authenticated"]');
			assert.equal(await whoami('rollout-cockpit-sim-cert'), 'kubernetes-admin ["kubeadm:cluster-admins","system:authenticated"]');
			// Both admins through their own bindings may do anything.
			for (const context of ['rollout-cockpit-sim-exec', 'rollout-cockpit-sim-cert']) {
				const r = await kubectl(v.bin, context, 'auth', 'can-i', 'delete', 'nodes');
				assert.equal(r.stdout, 'yes\n', context);
			}
		});
	}

	test('auth can-i --list for the read-only user: the view rules, the nodes, the reviews; nothing that writes', async () => {
		const r = await kubectl(defaultKubectl, 'rollout-cockpit-sim-readonly', 'auth', 'can-i', '--list');
		assert.equal(r.code, 0, r.stderr);
		const lines = r.stdout.split('\n');
		assert.match(lines[0]!, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/);
		for (const resource of ['pods', 'deployments.apps', 'events', 'nodes']) {
			assert.ok(
				lines.some((l) => new RegExp(`^${resource.replace('.', '\\.')}\\s+\\[\\]\\s+\\[\\]\\s+\\[get list watch\\]$`).test(l)),
				`${resource} in:\n${r.stdout}`,
			);
		}
		assert.ok(lines.some((l) => /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/.test(l)));
		assert.ok(!/patch|update|delete/.test(r.stdout), r.stdout);
	});

	test('impersonation (--as, --as-group, --as-uid): the admin acts as the viewer and gets its refusals; the viewer may not impersonate', async () => {
		const bin = defaultKubectl;
		const admin = 'rollout-cockpit-sim';
		const viewer = 'rollout-cockpit-sim-readonly';
		const replicas = c.store.get('deployments', 'default', 'nginx')?.spec.replicas;
		// As the viewer, the admin is refused exactly what the viewer's own token is refused, in the same words.
		const asViewer = await kubectl(bin, admin, '--as=viewer', 'scale', 'deployment', 'nginx', '--replicas=5');
		const ownToken = await kubectl(bin, viewer, 'scale', 'deployment', 'nginx', '--replicas=5');
		assert.equal(asViewer.code, 1);
		assert.equal(asViewer.stderr, ownToken.stderr);
		assert.match(asViewer.stderr, /User "viewer" cannot patch resource "deployments\/scale"/);
		assert.equal(c.store.get('deployments', 'default', 'nginx')?.spec.replicas, replicas, 'nothing changed');
		const canI = await kubectl(bin, admin, '--as=viewer', 'auth', 'can-i', 'patch', 'deployments');
		assert.deepEqual([canI.code, canI.stdout], [1, 'no\n']);
		const reads = await kubectl(bin, admin, '--as=viewer', 'get', 'pods', '-o', 'name');
		assert.equal(reads.code, 0, reads.stderr);
		assert.ok(reads.stdout.includes('pod/nginx-'), reads.stdout);
		assert.equal(reads.stdout, (await kubectl(bin, viewer, 'get', 'pods', '-o', 'name')).stdout, 'the same pods as with its own token');
		// Who the server thinks it is: the named user with the groups asked for, and system:authenticated added.
		// (A SelfSubjectReview posted with create --raw, which every kubectl has: auth whoami of 1.27 asks an older API.)
		const review = join(dir, 'selfsubjectreview.json');
		writeFileSync(review, JSON.stringify({apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview'}));
		const whoami = async (...as: string[]) => {
			const r = await kubectl(bin, admin, ...as, 'create', '--raw', '/apis/authentication.k8s.io/v1/selfsubjectreviews', '-f', review);
			assert.equal(r.code, 0, r.stderr);
			return JSON.parse(r.stdout).status.userInfo;
		};
		assert.deepEqual(await whoami('--as=viewer', '--as-group=team-a', '--as-uid=u-1'), {
			username: 'viewer',
			uid: 'u-1',
			groups: ['team-a', 'system:authenticated'],
		});
		// A ServiceAccount's groups come from its name when none are asked for.
		assert.deepEqual(await whoami('--as=system:serviceaccount:default:deployer'), {
			username: 'system:serviceaccount:default:deployer',
			groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
		});
		// The viewer has no impersonate right: the apiserver's Forbidden names the user it asked to become.
		const escalate = await kubectl(bin, viewer, '--as=admin', '--as-group=system:masters', 'get', 'pods');
		assert.equal(escalate.code, 1);
		assert.equal(
			escalate.stderr,
			'Error from server (Forbidden): users "admin" is forbidden: User "viewer" cannot impersonate resource "users" in API group "" at the cluster scope\n',
		);
	});

	test('a wrong token: kubectl says to log in; no credential at all: 401 in the apiserver words', async () => {
		const anonymous = join(dir, 'anonymous.kubeconfig');
		writeFileSync(
			anonymous,
			c.kubeconfig
				.split('\nusers:\n')[0]!
				.concat('\nusers:\n- name: "rollout-cockpit-sim"\n  user:\n    token: not-a-token-of-this-cluster\n'),
			{
				mode: 0o600,
			},
		);
		const r = await new Promise<Run>((resolve) => {
			const child = execFile(
				defaultKubectl,
				['--kubeconfig', anonymous, '--cache-dir', join(dir, 'cache-anon'), 'get', 'pods'],
				{timeout: 30_000, env: {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir}},
				(error, stdout, stderr) => resolve({code: error ? 1 : 0, stdout, stderr}),
			);
			child.stdin?.end();
		});
		assert.equal(r.code, 1);
		assert.match(r.stderr, /error: You must be logged in to the server \(the server has asked for the client to provide credentials\)\n$/);
		const raw = await simGet(c, '/api/v1/namespaces');
		assert.deepEqual(raw, {
			status: 401,
			body: {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401},
		});
	});
});
