// The cockpit's own kubeconfig loader (kube/kubeconfig-files.ts, kube/kubeconfig.ts, kube/exec-plugin.ts) judged by
// the real kubectl 1.32 on the same files: three files in KUBECONFIG (one missing), with relative paths, names given
// twice across files, and a user of every kind. For each context, what the loader resolves equals `kubectl config view
// --minify --raw -o json`; and what it sends to a server (bearer token, basic auth, impersonation headers, client
// certificate, the exec plugin's KUBERNETES_EXEC_INFO) equals what kubectl sends to the same server for `get --raw
// /version`. Error messages name files, fields and names, never a secret.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {X509Certificate} from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type {TLSSocket} from 'node:tls';
import {inspect} from 'node:util';
import {after, before, describe, test} from 'node:test';
import {connect, serverVersion} from '../../source/kube/connect.js';
import type {KubeConfig} from '../../source/kube/kubeconfig.js';
import {generateServingCerts, issueClientCertificate, type ServingCerts} from '../../source/sim/api/certs.js';
import {closeServer, listenOnLoopback} from '../helpers/ports.js';
import {defaultKubectl} from '../helpers/kubectl.js';
import {within} from '../helpers/wait.js';

const KUBECTL = defaultKubectl;
const TOKEN_A = 'token-a-sekret-0123456789abcdef';
const TOKEN_B = 'token-b-sekret-0123456789abcdef';
const TOKEN_INLINE = 'token-inline-sekret-0123456789';
const TOKEN_FILE = 'token-from-file-sekret-0123456789';
const EXEC_TOKEN = 'exec-token-sekret-0123456789abcdef';
const PASSWORD = 'basic-password-sekret-0123456789';
const SECRETS = [TOKEN_A, TOKEN_B, TOKEN_INLINE, TOKEN_FILE, EXEC_TOKEN, PASSWORD];

let dir: string;
let certs: ServingCerts;
let server: https.Server;
let url: string;
let env: NodeJS.ProcessEnv;
let clientCertFingerprint: string;
// What the server saw of each request to /version, in order.
const seen: {who: string; authorization?: string; user?: string; groups?: string[]; uid?: string; cert?: string}[] = [];

function write(file: string, text: string, mode = 0o600): string {
	const full = path.join(dir, file);
	fs.mkdirSync(path.dirname(full), {recursive: true});
	fs.writeFileSync(full, text, {mode});
	return full;
}

function run(bin: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise((resolve) => {
		execFile(bin, args, {timeout: 30_000, env: {...env, ...extraEnv}}, (error, stdout, stderr) =>
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr}),
		);
	});
}

const CONTEXTS = ['token', 'token-file', 'cert-files', 'exec', 'basic', 'impersonate', 'skip-tls', 'from-b'];

before(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-kubeconfig-'));
	certs = await generateServingCerts();
	const client = await issueClientCertificate(certs, {user: 'file-user', groups: ['g']});
	clientCertFingerprint = new X509Certificate(client.certPem).fingerprint256;
	server = https.createServer({cert: certs.certPem, key: certs.keyPem, requestCert: true, rejectUnauthorized: false}, (req, res) => {
		const peer = (req.socket as TLSSocket).getPeerCertificate();
		seen.push({
			who: String(req.headers['user-agent'] ?? '').startsWith('kubectl') ? 'kubectl' : 'ours',
			authorization: req.headers.authorization,
			user: req.headers['impersonate-user'] as string | undefined,
			groups: req.headersDistinct['impersonate-group'],
			uid: req.headers['impersonate-uid'] as string | undefined,
			cert: peer?.fingerprint256 || undefined,
		});
		res.writeHead(200, {'Content-Type': 'application/json'});
		res.end(JSON.stringify({major: '1', minor: '32', gitVersion: 'v1.32.0'}));
	});
	url = `https://127.0.0.1:${await listenOnLoopback(server)}`;

	// File a: relative CA, client certificate and key files, a token file (with a newline, and an inline token it
	// beats), an exec plugin named by a relative path, basic auth, impersonation.
	write('a/pki/ca.crt', certs.caPem);
	write('a/pki/client.crt', client.certPem);
	write('a/pki/client.key', client.keyPem);
	write('a/secrets/token', `${TOKEN_FILE}\n`);
	// The plugin records what it was given (KUBERNETES_EXEC_INFO and its env) next to itself, then prints a v1 credential.
	write(
		'a/bin/plugin',
		`#!${process.execPath}
const fs = require('node:fs');
fs.writeFileSync(process.env.RECORD_TO + '.' + (process.env.RECORD_AS || 'x'), JSON.stringify({info: JSON.parse(process.env.KUBERNETES_EXEC_INFO), extra: process.env.PLUGIN_EXTRA}));
process.stdout.write(JSON.stringify({kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1', status: {token: ${JSON.stringify(EXEC_TOKEN)}}}));
`,
		0o755,
	);
	write(
		'a/config',
		`apiVersion: v1
kind: Config
clusters:
- name: main
  cluster:
    server: ${url}
    certificate-authority: pki/ca.crt
    extensions:
    - name: client.authentication.k8s.io/exec
      extension:
        audience: cockpit-test
- name: skip
  cluster:
    server: ${url}
    insecure-skip-tls-verify: true
    tls-server-name: localhost
users:
- name: token-user
  user:
    token: ${TOKEN_A}
- name: token-file-user
  user:
    token: ${TOKEN_INLINE}
    tokenFile: secrets/token
- name: cert-user
  user:
    client-certificate: pki/client.crt
    client-key: pki/client.key
- name: exec-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/plugin
      args: []
      env:
      - name: PLUGIN_EXTRA
        value: from-kubeconfig
      interactiveMode: Never
      provideClusterInfo: true
- name: basic-user
  user:
    username: admin
    password: ${PASSWORD}
- name: impersonating-user
  user:
    token: ${TOKEN_A}
    as: jane
    as-groups: [devs, ops]
    as-uid: "1234"
contexts:
- name: token
  context: {cluster: main, user: token-user}
- name: token-file
  context: {cluster: main, user: token-file-user, namespace: files}
- name: cert-files
  context: {cluster: main, user: cert-user}
- name: exec
  context: {cluster: main, user: exec-user}
- name: basic
  context: {cluster: main, user: basic-user}
- name: impersonate
  context: {cluster: main, user: impersonating-user}
- name: skip-tls
  context: {cluster: skip, user: token-user, namespace: skipped}
`,
	);
	// File b: sets current-context, and gives main, token-user and token again (all lose to file a's), and its own context.
	write(
		'b/config',
		`apiVersion: v1
kind: Config
current-context: token
clusters:
- name: main
  cluster:
    server: https://127.0.0.1:1
- name: b-cluster
  cluster:
    server: ${url}
    certificate-authority-data: ${Buffer.from(certs.caPem).toString('base64')}
users:
- name: token-user
  user:
    token: ${TOKEN_B}
- name: b-user
  user:
    token: ${TOKEN_B}
contexts:
- name: token
  context: {cluster: b-cluster, user: b-user, namespace: from-b}
- name: from-b
  context: {cluster: b-cluster, user: b-user, namespace: bee}
`,
	);
	env = {
		PATH: process.env.PATH,
		HOME: dir,
		KUBECONFIG: [path.join(dir, 'a/config'), path.join(dir, 'missing/config'), path.join(dir, 'b/config')].join(path.delimiter),
		RECORD_TO: path.join(dir, 'exec-info'),
	};
	process.env.RECORD_TO = env.RECORD_TO;
});

after(async () => {
	if (server) await closeServer(server);
	if (dir) fs.rmSync(dir, {recursive: true, force: true});
});

type View = {cluster: Record<string, unknown>; user: Record<string, unknown>; namespace?: string};

// kubectl's view of one context, reduced to the fields the cockpit uses.
async function kubectlView(context: string): Promise<View> {
	// --flatten: kubectl reads the CA, certificate and key files it resolved, and shows their content.
	const r = await run(KUBECTL, ['config', 'view', '--minify', '--flatten', '-o', 'json', '--context', context]);
	assert.equal(r.code, 0, r.stderr);
	const config = JSON.parse(r.stdout) as {
		clusters: {cluster: Record<string, unknown>}[];
		users?: {user: Record<string, unknown>}[];
		contexts: {context: {namespace?: string}}[];
	};
	const user = {...(config.users?.[0]?.user ?? {})};
	// The view shows tokenFile and a plugin's command as written; every user with them is in file a, and the send test
	// below shows kubectl reading and running them from there.
	const inA = (p: string) => (path.isAbsolute(p) ? p : path.join(dir, 'a', p));
	if (typeof user.tokenFile === 'string') user.tokenFile = inA(user.tokenFile);
	const exec = user.exec as {command: string} | undefined;
	if (exec) user.exec = {...exec, command: inA(exec.command)};
	return {cluster: config.clusters[0]!.cluster, user, namespace: config.contexts[0]!.context.namespace};
}

// The loader's view of the same context, in kubectl's field names.
function ourView(context: string): View {
	const conn = connect({context}, env);
	const kc = conn.kubeConfig as KubeConfig;
	const c = kc.getCurrentCluster()!;
	const u = kc.getCurrentUser();
	// What --flatten shows for a file: its content in base64.
	const content = (file: string | undefined) => (file ? fs.readFileSync(file).toString('base64') : undefined);
	const drop = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== false));
	const cluster = drop({
		server: c.server,
		'certificate-authority-data': c.caData ?? content(c.caFile),
		'insecure-skip-tls-verify': c.skipTLSVerify,
		'tls-server-name': c.tlsServerName,
		extensions: c.execConfig === undefined ? undefined : [{name: 'client.authentication.k8s.io/exec', extension: c.execConfig}],
	});
	const exec = u?.exec
		? drop({
				command: u.exec.command,
				args: u.exec.args,
				env: u.exec.env,
				apiVersion: u.exec.apiVersion,
				provideClusterInfo: u.exec.provideClusterInfo,
				interactiveMode: u.exec.interactiveMode,
			})
		: undefined;
	const user = u
		? drop({
				token: u.token,
				tokenFile: u.tokenFile,
				'client-certificate-data': u.certData ?? content(u.certFile),
				'client-key-data': u.keyData ?? content(u.keyFile),
				username: u.username,
				password: u.password,
				as: u.impersonateUser,
				'as-groups': u.impersonateGroups,
				'as-uid': u.impersonateUid,
				exec,
			})
		: {};
	return {cluster, user, namespace: conn.namespace === 'default' ? undefined : conn.namespace};
}

describe('the kubeconfig loader, next to kubectl on the same KUBECONFIG of three files', () => {
	test('the current context is the first file to set one (a missing file in the list is skipped)', async () => {
		const r = await run(KUBECTL, ['config', 'current-context']);
		assert.equal(r.stdout.trim(), 'token');
		assert.equal(connect({}, env).contextName, 'token');
	});

	test('every context resolves as kubectl resolves it: first file wins per name, paths relative to their file', async () => {
		for (const context of CONTEXTS) {
			const theirs = await kubectlView(context);
			// kubectl's view lists the extension with its own fields: compare the part the plugin is given.
			assert.deepEqual(ourView(context), theirs, `context ${context}`);
		}
		// The checks above looked at real differences: file b's duplicates lost, and paths are absolute.
		assert.equal(ourView('token').user.token, TOKEN_A);
		assert.equal((connect({context: 'token'}, env).kubeConfig as KubeConfig).getCurrentCluster()?.caFile, path.join(dir, 'a/pki/ca.crt'));
		assert.equal((ourView('exec').user.exec as {command: string}).command, path.join(dir, 'a/bin/plugin'));
	});

	test('each context sends what kubectl sends: bearer token, token file, client certificate, exec plugin, basic auth, impersonation', async () => {
		for (const context of CONTEXTS) {
			seen.length = 0;
			const theirs = await run(KUBECTL, ['get', '--raw', '/version', '--context', context], {RECORD_AS: `kubectl-${context}`});
			assert.equal(theirs.code, 0, `kubectl, context ${context}: ${theirs.stderr}`);
			const kubectlSaw = seen.filter((s) => s.who === 'kubectl').at(-1);
			assert.ok(kubectlSaw, `kubectl reached the server for ${context}`);
			// The loader runs plugins with the process's environment (as kubectl does with its own).
			process.env.RECORD_AS = `ours-${context}`;
			try {
				assert.equal(await within(serverVersion(connect({context}, env)), 20_000, 'GET /version to be answered'), 'v1.32.0');
			} finally {
				delete process.env.RECORD_AS;
			}
			const oursSaw = seen.filter((s) => s.who === 'ours').at(-1);
			assert.deepEqual({...oursSaw, who: undefined}, {...kubectlSaw, who: undefined}, `context ${context}`);
		}
		// What was compared: the token file (trimmed) beat the inline token; the certificate came from the files.
		const tokenFile = await sent('token-file');
		assert.equal(tokenFile.authorization, `Bearer ${TOKEN_FILE}`);
		assert.equal((await sent('cert-files')).cert, clientCertFingerprint);
		assert.equal((await sent('exec')).authorization, `Bearer ${EXEC_TOKEN}`);
		assert.equal((await sent('basic')).authorization, `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`);
		assert.deepEqual((await sent('impersonate')).groups, ['devs', 'ops']);
	});

	test('the exec plugin gets the KUBERNETES_EXEC_INFO kubectl gives it (v1, not interactive, the cluster), and the kubeconfig env', () => {
		const read = (who: string) => JSON.parse(fs.readFileSync(`${env.RECORD_TO}.${who}-exec`, 'utf8')) as {info: unknown; extra: string};
		const theirs = read('kubectl');
		const ours = read('ours');
		assert.deepEqual(ours, theirs);
		assert.equal(ours.extra, 'from-kubeconfig');
		assert.deepEqual((ours.info as {spec: {cluster: {config: unknown}}}).spec.cluster.config, {audience: 'cockpit-test'});
	});
});

// What the server saw of one request of ours for the context.
async function sent(context: string) {
	seen.length = 0;
	await within(serverVersion(connect({context}, env)), 20_000, 'GET /version to be answered');
	return seen.at(-1)!;
}

describe('the kubeconfig loader refuses what kubectl refuses, and says so without a secret', () => {
	test('a name given twice in one file', async () => {
		const file = write('dup/config', fs.readFileSync(path.join(dir, 'a/config'), 'utf8').replace('- name: skip\n', '- name: main\n'));
		const theirs = await run(KUBECTL, ['--kubeconfig', file, 'config', 'view']);
		assert.notEqual(theirs.code, 0, 'kubectl refuses it too');
		assert.throws(
			() => connect({kubeconfig: file}),
			(error: Error) => {
				assert.equal(error.message, `cannot read kubeconfig ${JSON.stringify(file)}: clusters names "main" twice`);
				return true;
			},
		);
	});

	test('an exec plugin that fails: its status and the first line it wrote on stderr; its stdout is never quoted', async () => {
		const failing = write(
			'fail/plugin',
			`#!${process.execPath}\nprocess.stdout.write(${JSON.stringify(EXEC_TOKEN)});\nprocess.stderr.write('please log in\\n');\nprocess.exit(3);\n`,
			0o755,
		);
		const garbled = write(
			'fail/garbled',
			`#!${process.execPath}\nprocess.stdout.write('{"token": ${JSON.stringify(EXEC_TOKEN)}');\n`,
			0o755,
		);
		for (const [command, message] of [
			[failing, /exec plugin ".*plugin" exited with status 3: please log in/],
			[garbled, /exec plugin ".*garbled" printed something that is not a JSON ExecCredential/],
		] as const) {
			const file = write(
				`fail/${path.basename(command)}.config`,
				`apiVersion: v1
kind: Config
current-context: x
clusters: [{name: c, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: "${command}", interactiveMode: Never}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
`,
			);
			await assert.rejects(serverVersion(connect({kubeconfig: file})), (error: Error) => {
				assert.match(error.message, message);
				for (const secret of SECRETS) assert.ok(!inspect(error).includes(secret), 'no secret in the error');
				return true;
			});
		}
	});

	test('the gcp and azure auth-providers, which kubectl 1.26 removed, are refused with what to install', async () => {
		for (const [provider, install] of [
			['gcp', /gke-gcloud-auth-plugin/],
			['azure', /kubelogin/],
		] as const) {
			const file = write(
				`providers/${provider}`,
				`apiVersion: v1
kind: Config
current-context: x
clusters: [{name: c, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {auth-provider: {name: ${provider}, config: {access-token: ${TOKEN_A}, cmd-path: /bin/false}}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
`,
			);
			const theirs = await run(KUBECTL, ['--kubeconfig', file, 'get', '--raw', '/version']);
			assert.notEqual(theirs.code, 0, `kubectl refuses ${provider}`);
			await assert.rejects(serverVersion(connect({kubeconfig: file})), (error: Error) => {
				assert.match(error.message, install);
				assert.ok(!error.message.includes(TOKEN_A));
				return true;
			});
		}
	});

	test('an oidc auth-provider is left to client-node, which sends the id-token as before', async () => {
		const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
		const idToken = `${b64({alg: 'none'})}.${b64({exp: Math.floor(Date.now() / 1000) + 3600, sub: 'oidc-user'})}.sig`;
		const file = write(
			'providers/oidc',
			`apiVersion: v1
kind: Config
current-context: x
clusters: [{name: c, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {auth-provider: {name: oidc, config: {id-token: "${idToken}", client-id: k, idp-issuer-url: "https://127.0.0.1:1"}}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
`,
		);
		seen.length = 0;
		await within(serverVersion(connect({kubeconfig: file})), 20_000, 'GET /version to be answered');
		assert.equal(seen.at(-1)?.authorization, `Bearer ${idToken}`);
	});

	test('printing the loaded kubeconfig of a Connection shows nothing: it is not enumerable', () => {
		for (const context of CONTEXTS) {
			const conn = connect({context}, env);
			const text = `${inspect(conn, {depth: 20})} ${JSON.stringify(conn)}`;
			for (const secret of SECRETS) assert.ok(!text.includes(secret), `context ${context}`);
		}
	});
});
