import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {inspect} from 'node:util';
import {after, before, describe, test} from 'node:test';
import {connect, serverVersion} from '../../source/kube/connect.js';
import {generateServingCerts} from '../../source/sim/api/certs.js';
import {startFakeApi, type FakeApi} from '../helpers/fake-api.js';

const TOKEN = 'sekret-token-ABCDEF0123456789';
const KEY_DATA = Buffer.from('-----BEGIN PRIVATE KEY-----\nsekretkeymaterialXYZ\n-----END PRIVATE KEY-----\n').toString('base64');
const CERT_DATA = Buffer.from('-----BEGIN CERTIFICATE-----\nsekretcertmaterialQRS\n-----END CERTIFICATE-----\n').toString('base64');
const PASSWORD = 'hunter2-sekret-password';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-connect-'));
after(() => fs.rmSync(dir, {recursive: true, force: true}));

function write(name: string, text: string): string {
	const file = path.join(dir, name);
	fs.writeFileSync(file, text);
	return file;
}

// A kubeconfig with three contexts, secrets of every kind, and a namespace on one context.
const fixture = `apiVersion: v1
kind: Config
current-context: alpha
clusters:
- name: c1
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: ${CERT_DATA}
- name: c2
  cluster:
    server: https://127.0.0.1:7443/
users:
- name: token-user
  user:
    token: ${TOKEN}
- name: cert-user
  user:
    client-certificate-data: ${CERT_DATA}
    client-key-data: ${KEY_DATA}
- name: basic-user
  user:
    username: admin
    password: ${PASSWORD}
contexts:
- name: alpha
  context:
    cluster: c1
    user: token-user
- name: beta
  context:
    cluster: c2
    user: cert-user
    namespace: shop
- name: gamma
  context:
    cluster: c1
    user: basic-user
`;
const mainFile = write('config', fixture);

function assertNoSecret(text: string) {
	for (const secret of [TOKEN, KEY_DATA, CERT_DATA, PASSWORD, 'sekretkeymaterialXYZ', 'sekretcertmaterialQRS']) {
		assert.ok(!text.includes(secret), `printed text leaks a secret: ${text.slice(0, 300)}`);
	}
}

describe('connect()', () => {
	test('uses the current context, its server, and namespace "default" when the context has none', () => {
		const conn = connect({kubeconfig: mainFile});
		assert.equal(conn.contextName, 'alpha');
		assert.equal(conn.clusterServer, 'https://127.0.0.1:6443');
		assert.equal(conn.namespace, 'default');
		assert.equal(conn.kubeConfig.getCurrentContext(), 'alpha');
	});

	test('--context switches cluster and user; the context namespace applies; --namespace overrides it', () => {
		const beta = connect({kubeconfig: mainFile, context: 'beta'});
		assert.equal(beta.contextName, 'beta');
		assert.equal(beta.clusterServer, 'https://127.0.0.1:7443');
		assert.equal(beta.namespace, 'shop');
		assert.equal(beta.kubeConfig.getCurrentUser()?.name, 'cert-user');
		assert.equal(connect({kubeconfig: mainFile, context: 'beta', namespace: 'web'}).namespace, 'web');
		assert.equal(connect({kubeconfig: mainFile, namespace: 'web'}).namespace, 'web');
	});

	test('an unknown context names the available ones', () => {
		assert.throws(
			() => connect({kubeconfig: mainFile, context: 'prod'}),
			(error: Error) => {
				assert.match(error.message, /context "prod" not found in kubeconfig/);
				assert.match(error.message, /\(available: alpha, beta, gamma\)/);
				return true;
			},
		);
	});

	test('a missing --kubeconfig file says so', () => {
		const missing = path.join(dir, 'nope.yaml');
		assert.throws(
			() => connect({kubeconfig: missing}),
			new RegExp(`kubeconfig file "${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" does not exist`),
		);
	});

	test('no current-context asks for --context and lists the choices', () => {
		const file = write('no-current.yaml', fixture.replace('current-context: alpha\n', ''));
		assert.throws(() => connect({kubeconfig: file}), /no current-context is set .*pass --context NAME \(available: alpha, beta, gamma\)/);
	});

	test('a context pointing at a cluster that is not there is reported by name', () => {
		const file = write('dangling.yaml', fixture.replace('cluster: c2\n    user: cert-user', 'cluster: c9\n    user: cert-user'));
		assert.throws(() => connect({kubeconfig: file, context: 'beta'}), /refers to cluster "c9", which is not in kubeconfig/);
	});

	test('KUBECONFIG: missing entries are skipped and the first file to set a value wins', () => {
		const second = write(
			'second.yaml',
			`apiVersion: v1
kind: Config
current-context: other
clusters:
- name: c1
  cluster:
    server: https://127.0.0.1:9999
- name: c3
  cluster:
    server: https://127.0.0.1:8443
users:
- name: u3
  user: {}
contexts:
- name: other
  context:
    cluster: c3
    user: u3
    namespace: team
`,
		);
		const env = {KUBECONFIG: [path.join(dir, 'absent.yaml'), mainFile, second].join(path.delimiter), HOME: dir};
		const conn = connect({}, env);
		assert.equal(conn.contextName, 'alpha', 'current-context comes from the first file that sets it');
		assert.equal(conn.clusterServer, 'https://127.0.0.1:6443', 'c1 from the first file wins over the second');
		const other = connect({context: 'other'}, env);
		assert.equal(other.clusterServer, 'https://127.0.0.1:8443');
		assert.equal(other.namespace, 'team');
	});

	test('without KUBECONFIG it reads ~/.kube/config, and says how to fix a missing one', () => {
		const home = path.join(dir, 'home');
		fs.mkdirSync(path.join(home, '.kube'), {recursive: true});
		assert.throws(
			() => connect({}, {HOME: home}),
			/no kubeconfig found: .*\.kube\/config does not exist.*--kubeconfig FILE, set KUBECONFIG, or try --demo/,
		);
		fs.writeFileSync(path.join(home, '.kube', 'config'), fixture);
		assert.equal(connect({context: 'beta'}, {HOME: home}).namespace, 'shop');
	});

	test('printing a Connection (inspect, JSON, template) shows no token, key, certificate or password', () => {
		for (const context of ['alpha', 'beta', 'gamma']) {
			const conn = connect({kubeconfig: mainFile, context});
			assertNoSecret(inspect(conn, {depth: 20, showHidden: false}));
			assertNoSecret(JSON.stringify(conn));
			assertNoSecret(`${conn.contextName} ${conn.clusterServer} ${conn.namespace} ${String(conn)}`);
			// The credentials are still there for requests.
			assert.ok(conn.kubeConfig.getCurrentUser());
		}
	});

	test('a kubeconfig with broken YAML on the token line fails without echoing the token', () => {
		const file = write('broken.yaml', fixture.replace(`    token: ${TOKEN}`, `    token: ${TOKEN}\n   bad: [indent`));
		assert.throws(
			() => connect({kubeconfig: file}),
			(error: Error) => {
				assert.match(error.message, /cannot read kubeconfig ".*broken\.yaml": invalid YAML at line \d+/);
				assertNoSecret(error.message);
				assertNoSecret(inspect(error));
				return true;
			},
		);
	});

	test('error messages for unknown contexts carry no secret either', () => {
		assert.throws(
			() => connect({kubeconfig: mainFile, context: TOKEN.slice(0, 3)}),
			(error: Error) => {
				assert.match(error.message, /^context ".{3}" not found in kubeconfig ".*" \(available: alpha, beta, gamma\)$/);
				assertNoSecret(error.message);
				assertNoSecret(inspect(error));
				return true;
			},
		);
	});
});

describe('serverVersion()', () => {
	let api: FakeApi;
	before(async () => {
		const certs = await generateServingCerts();
		api = await startFakeApi({tls: certs, token: TOKEN});
	});
	after(() => api.close());

	test('GETs /version over verified TLS with the bearer token and returns gitVersion', async () => {
		const file = write('tls.yaml', api.kubeconfigYaml({namespace: 'web'}));
		const conn = connect({kubeconfig: file});
		assert.equal(conn.namespace, 'web');
		const pending = serverVersion(conn);
		const req = await api.next();
		assert.equal(req.path, '/version');
		assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
		req.json(200, {major: '1', minor: '32', gitVersion: 'v1.32.4', platform: 'linux/amd64'});
		assert.equal(await pending, 'v1.32.4');
	});

	test('a 401 becomes an error that says the credentials were refused, without the token', async () => {
		const conn = connect({kubeconfig: write('tls2.yaml', api.kubeconfigYaml())});
		const pending = serverVersion(conn);
		(await api.next()).json(401, {
			kind: 'Status',
			apiVersion: 'v1',
			status: 'Failure',
			message: 'Unauthorized',
			reason: 'Unauthorized',
			code: 401,
		});
		await assert.rejects(pending, (error: Error) => {
			assert.match(error.message, /Unauthorized \(GET \/version\) \(the credentials in the kubeconfig were refused\)/);
			assertNoSecret(error.message);
			return true;
		});
	});

	test('an unreachable server gives "connection refused" with the server URL', async () => {
		const closed = await startFakeApi();
		const conn = closed.connection();
		await closed.close();
		await assert.rejects(serverVersion(conn), /cannot reach http:\/\/127\.0\.0\.1:\d+: connection refused/);
	});
});
