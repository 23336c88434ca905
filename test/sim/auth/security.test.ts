// The sim's security: it listens on 127.0.0.1 only, every request needs a credential (401 otherwise, also for a
// forged, expired or foreign one), its secrets go only into the kubeconfig it writes (mode 0600), and the exec
// credential plugin speaks client.authentication.k8s.io/v1 without a shell.
import {after, before, describe, test} from 'node:test';
import {loadYaml} from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {request} from 'node:https';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {generateServingCerts} from '../../../source/sim/api/certs.js';
import {execKeyEnv, mintExecToken, runCredentialPlugin, verifyExecToken} from '../../../source/sim/auth/exec-credential.js';
import {runSimCommand} from '../../../source/sim/cli.js';
import type {SimCluster} from '../../helpers/sim-cluster.js';
import {seededStore, startTestServer, type TestServer} from '../api/helpers.js';
import {bootstrapRbac} from '../../../source/sim/auth/bootstrap.js';
import {within} from '../../helpers/wait.js';

/** The local addresses (hex ip:port as /proc/net/tcp spells them) of every listening TCP socket on the machine. */
function listeners(): string[] {
	const out: string[] = [];
	for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
		for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
			const f = line.trim().split(/\s+/);
			if (f[3] === '0A') out.push(f[1]!);
		}
	}
	return out;
}

const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');

function get(
	t: TestServer,
	headers: Record<string, string>,
	tls: {cert?: string; key?: string} = {},
): Promise<{status: number; text: string}> {
	return within(
		new Promise((resolve, reject) => {
			const req = request(`${t.server.url}/api/v1/namespaces`, {ca: t.server.caPem, headers, ...tls, agent: false}, (res) => {
				let text = '';
				res.on('data', (d) => (text += d));
				res.on('end', () => resolve({status: res.statusCode ?? 0, text}));
			});
			req.on('error', reject);
			req.end();
		}),
		10_000,
		'GET /api/v1/namespaces',
	);
}

describe('rollout-cockpit sim keeps its secrets and its ports to itself', () => {
	test('its API and NodePorts listen on 127.0.0.1 only; nothing it prints holds a secret; the kubeconfig is 0600', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sim-security-'));
		const file = join(dir, 'kubeconfig');
		let printed = '';
		let ports: number[] = [];
		let seen: string[] = [];
		try {
			const code = await within(
				runSimCommand(['--scenario', 'nginx', '--kubeconfig-out', file, '--speed', '20'], {
					stdout: (t) => (printed += t),
					stderr: (t) => (printed += t),
					until: async (cluster: SimCluster) => {
						const nodePorts = cluster.store
							.list('services')
							.items.flatMap((s) => (s.spec.ports ?? []).map((p: {nodePort?: number}) => p.nodePort))
							.filter(Boolean);
						ports = [Number(new URL(cluster.url).port), ...nodePorts];
						seen = listeners();
					},
				}),
				60_000,
				'the sim command to end',
			);
			assert.equal(code, 0);
			assert.equal(ports.length, 2, 'the API port and nginx NodePort');
			for (const port of ports) {
				const mine = seen.filter((a) => a.endsWith(`:${hexPort(port)}`));
				assert.deepEqual(mine, [`0100007F:${hexPort(port)}`], `port ${port} listens on 127.0.0.1 only`);
			}
			assert.equal(statSync(file).mode & 0o777, 0o600);
			const kubeconfig = readFileSync(file, 'utf8');
			const secrets = [
				...[...kubeconfig.matchAll(/token: "([^"]+)"/g)].map((m) => m[1]!),
				...[...kubeconfig.matchAll(/"value": "([^"]+)"/g)].map((m) => m[1]!),
				...[...kubeconfig.matchAll(/client-key-data: (\S+)/g)].flatMap((m) => [m[1]!, Buffer.from(m[1]!, 'base64').toString()]),
			];
			assert.equal(secrets.length, 6, 'three tokens, the exec key, the client key in base64 and as PEM');
			for (const secret of secrets) assert.equal(printed.includes(secret), false, 'a secret was printed');
			assert.match(printed, /Kubeconfig: /);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});

describe('authentication', () => {
	let t: TestServer;
	before(async () => {
		// The default roles and bindings, so the exec and certificate users have their cluster-admin bindings.
		const store = seededStore();
		bootstrapRbac(store);
		t = await startTestServer({store});
	});
	after(() => t.close());

	test('no credential, a wrong token, a forged or expired exec token, a foreign client certificate: 401 Unauthorized', async () => {
		const unauthorized = {
			status: 401,
			text: JSON.stringify({
				kind: 'Status',
				apiVersion: 'v1',
				metadata: {},
				status: 'Failure',
				message: 'Unauthorized',
				reason: 'Unauthorized',
				code: 401,
			}),
		};
		const kubeconfig = t.server.kubeconfig();
		const execKey = /"value": "([^"]+)"/.exec(kubeconfig)![1]!;
		assert.deepEqual(await get(t, {}), unauthorized);
		assert.deepEqual(await get(t, {Authorization: `Bearer ${t.server.token}x`}), unauthorized);
		assert.deepEqual(await get(t, {Authorization: `Bearer ${mintExecToken('another key', 'exec-user', 600).token}`}), unauthorized);
		assert.deepEqual(
			await get(t, {Authorization: `Bearer ${mintExecToken(execKey, 'exec-user', 600, Date.now() - 601_000).token}`}),
			unauthorized,
		);
		assert.deepEqual(
			await get(t, {Authorization: `Bearer ${mintExecToken(execKey, 'admin', 600).token}`}),
			unauthorized,
			'exec tokens are for the exec user only',
		);
		const foreign = await generateServingCerts();
		assert.deepEqual(await get(t, {}, {cert: foreign.client.certPem, key: foreign.client.keyPem}), unauthorized);
	});

	test('a fresh exec token and the CA-signed client certificate are accepted', async () => {
		const kubeconfig = t.server.kubeconfig();
		const execKey = /"value": "([^"]+)"/.exec(kubeconfig)![1]!;
		assert.equal((await get(t, {Authorization: `Bearer ${mintExecToken(execKey, 'exec-user', 600).token}`})).status, 200);
		const cert = Buffer.from(/client-certificate-data: (\S+)/.exec(kubeconfig)![1]!, 'base64').toString();
		const key = Buffer.from(/client-key-data: (\S+)/.exec(kubeconfig)![1]!, 'base64').toString();
		assert.equal((await get(t, {}, {cert, key})).status, 200);
		assert.equal(t.server.requests.entries().at(-1)?.user, 'kubernetes-admin');
	});

	test('impersonation headers kubectl never sends: groups without a user are the filter error; an extra needs impersonate on userextras/KEY', async () => {
		const admin = {Authorization: `Bearer ${t.server.token}`};
		// Go's http.Error: 500, plain text, the request URI quoted and the filter's %v of what was asked.
		const orphan = await get(t, {...admin, 'Impersonate-Group': 'team-a'});
		assert.deepEqual(orphan, {
			status: 500,
			text: 'Internal Server Error: "/api/v1/namespaces": requested [{Group  team-a    }] without impersonating a user\n',
		});
		// The admin may impersonate anything; the request is then made as the user named (recorded under that name).
		assert.equal((await get(t, {...admin, 'Impersonate-User': 'jane', 'Impersonate-Extra-Scopes': 'view'})).status, 403);
		assert.equal(t.server.requests.entries().at(-1)?.user, 'jane');
		// A user whose only right is to impersonate users, without userextras, is refused on the extra, by its key.
		const store = t.store;
		store.create('clusterroles', {
			apiVersion: 'rbac.authorization.k8s.io/v1',
			kind: 'ClusterRole',
			metadata: {name: 'impersonate-users'},
			rules: [{apiGroups: [''], resources: ['users'], verbs: ['impersonate']}],
		});
		store.create('clusterrolebindings', {
			apiVersion: 'rbac.authorization.k8s.io/v1',
			kind: 'ClusterRoleBinding',
			metadata: {name: 'viewer-impersonates'},
			subjects: [{kind: 'User', name: 'viewer', apiGroup: 'rbac.authorization.k8s.io'}],
			roleRef: {kind: 'ClusterRole', name: 'impersonate-users', apiGroup: 'rbac.authorization.k8s.io'},
		});
		const users = (loadYaml(t.server.kubeconfig()) as {users: {name: string; user: {token?: string}}[]}).users;
		const viewer = users.find((u) => u.name === 'rollout-cockpit-sim-readonly')!.user.token!;
		const refused = await get(t, {Authorization: `Bearer ${viewer}`, 'Impersonate-User': 'jane', 'Impersonate-Extra-Scopes': 'view'});
		assert.equal(refused.status, 403);
		assert.match(
			JSON.parse(refused.text).message,
			/^userextras.authentication.k8s.io "view" is forbidden: User "viewer" cannot impersonate resource "userextras\/scopes" in API group "authentication.k8s.io" at the cluster scope$/,
		);
	});
});

describe('the exec credential plugin', () => {
	const run = (argv: string[], env: NodeJS.ProcessEnv) => {
		let stdout = '';
		let stderr = '';
		const code = runCredentialPlugin(argv, env, {
			stdout: (s) => (stdout += s),
			stderr: (s) => (stderr += s),
			now: () => Date.parse('2025-01-01T00:00:00Z'),
		});
		return {code, stdout, stderr};
	};

	test('prints a v1 ExecCredential whose token the key verifies until it expires', () => {
		const r = run(['--user', 'exec-user', '--ttl', '60'], {
			[execKeyEnv]: 'k',
			KUBERNETES_EXEC_INFO: JSON.stringify({apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential'}),
		});
		assert.equal(r.code, 0, r.stderr);
		const credential = JSON.parse(r.stdout);
		assert.deepEqual(
			{...credential, status: {...credential.status, token: undefined}},
			{
				kind: 'ExecCredential',
				apiVersion: 'client.authentication.k8s.io/v1',
				spec: {interactive: false},
				status: {expirationTimestamp: '2025-01-01T00:01:00Z', token: undefined},
			},
		);
		assert.equal(verifyExecToken('k', credential.status.token, Date.parse('2025-01-01T00:00:59Z')), 'exec-user');
		assert.equal(verifyExecToken('k', credential.status.token, Date.parse('2025-01-01T00:01:00Z')), undefined);
		assert.equal(verifyExecToken('other', credential.status.token, Date.parse('2025-01-01T00:00:30Z')), undefined);
	});

	test('refuses to run without its key, with another ExecCredential version, or with bad arguments', () => {
		assert.match(
			run(['--user', 'u'], {}).stderr,
			new RegExp(`${execKeyEnv} is not set: run this through the kubeconfig that rollout-cockpit sim wrote`),
		);
		assert.match(
			run(['--user', 'u'], {[execKeyEnv]: 'k', KUBERNETES_EXEC_INFO: JSON.stringify({apiVersion: 'client.authentication.k8s.io/v1beta1'})})
				.stderr,
			/this plugin speaks client.authentication.k8s.io\/v1, the caller asked for "client.authentication.k8s.io\/v1beta1"/,
		);
		assert.match(run(['--ttl', 'soon'], {[execKeyEnv]: 'k'}).stderr, /bad argument "--ttl": usage/);
		assert.equal(run([], {[execKeyEnv]: 'k'}).code, 1);
	});

	test('the kubeconfig runs it as node with arguments, never through a shell', () => {
		const exec = /exec:\n([\s\S]*?)\n- name:/.exec(`${t0()}\n- name:`)![1]!;
		assert.match(exec, new RegExp(`command: ${JSON.stringify(process.execPath).replace(/[/.]/g, '\\$&')}`));
		assert.match(exec, /args: \[.*"sim","credential","--user","exec-user"\]/);
		assert.match(exec, /interactiveMode: Never/);
		// The command and its arguments, not the env (a random key may end in "-c").
		const launch = exec
			.split('\n')
			.filter((l) => /^\s+(command|args):/.test(l))
			.join('\n');
		assert.doesNotMatch(launch, /\b(sh|bash)\b|"-c"/);
	});
});

let kubeconfigForPlugin = '';
before(async () => {
	const t = await startTestServer();
	kubeconfigForPlugin = t.server.kubeconfig();
	await t.close();
});
const t0 = () => kubeconfigForPlugin;
