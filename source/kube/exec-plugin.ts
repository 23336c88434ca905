// Exec credential plugins (users[].user.exec), run as kubectl runs them: the command with its args and no shell,
// the kubeconfig's env on top of ours, KUBERNETES_EXEC_INFO saying which ExecCredential version we read, no
// terminal (the cockpit's screen or a CI log owns it), and the answer cached until its expirationTimestamp (for the
// process's life without one). Concurrent requests share one run. The plugin's stdout holds the credential and
// never reaches a message; its stderr's first line does, as kubectl shows it.
import {spawn} from 'node:child_process';
import type {ClusterEntry, ExecConfig} from './kubeconfig-files.js';

// What a plugin gives: a bearer token, or a client certificate and key (PEM), or both.
export type ExecResult = {token?: string; cert?: string; key?: string; expiresAt?: number};

// The versions kubectl 1.27+ speaks (v1alpha1 was removed in 1.24).
const VERSIONS = new Set(['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']);

// A plugin that could not give a credential: the message is what the user must fix.
export class ExecPluginError extends Error {
	override name = 'ExecPluginError';
}

type Cached = {result?: ExecResult; pending?: Promise<ExecResult>};

// Runs one user's plugin on demand and keeps its answer while it is valid.
export class ExecPlugin {
	private cache: Cached = {};

	constructor(
		private readonly exec: ExecConfig,
		private readonly cluster: ClusterEntry | undefined,
		private readonly readCa: () => Buffer | undefined,
		private readonly now: () => number = Date.now,
	) {}

	// The credential, from the cache while it has not expired.
	credential(): Promise<ExecResult> {
		const {result, pending} = this.cache;
		if (result && (result.expiresAt === undefined || result.expiresAt > this.now())) return Promise.resolve(result);
		if (pending) return pending;
		const run = this.run().then(
			(r) => {
				this.cache = {result: r};
				return r;
			},
			(error: unknown) => {
				this.cache = {};
				throw error;
			},
		);
		this.cache = {pending: run};
		return run;
	}

	// The server refused a request made with `used` (401): as client-go's exec authenticator does, the cached answer is
	// dropped when it is still the one that was refused, so the next request runs the plugin again (a token revoked or
	// rotated before its expirationTimestamp); a credential already replaced, or one still being fetched, is kept.
	refused(used: {token?: string; cert?: string}): void {
		const {result} = this.cache;
		if (!result) return;
		if ((used.token !== undefined && used.token === result.token) || (used.cert !== undefined && used.cert === result.cert))
			this.cache = {};
	}

	private run(): Promise<ExecResult> {
		const {exec} = this;
		const apiVersion = exec.apiVersion ?? '';
		if (!VERSIONS.has(apiVersion))
			return Promise.reject(
				new ExecPluginError(
					`exec plugin ${JSON.stringify(exec.command)}: apiVersion ${JSON.stringify(apiVersion)} is not supported (client.authentication.k8s.io/v1 or v1beta1)`,
				),
			);
		if (exec.interactiveMode === 'Always')
			return Promise.reject(
				new ExecPluginError(
					`exec plugin ${JSON.stringify(exec.command)} wants a terminal (interactiveMode: Always), which rollout-cockpit does not give it: log in with kubectl first, or set interactiveMode: IfAvailable`,
				),
			);
		const env: NodeJS.ProcessEnv = {...process.env};
		for (const {name, value} of exec.env ?? []) env[name] = value;
		env.KUBERNETES_EXEC_INFO = JSON.stringify(this.execInfo(apiVersion));
		return new Promise((resolve, reject) => {
			const child = spawn(exec.command, exec.args ?? [], {env, stdio: ['ignore', 'pipe', 'pipe']});
			let stdout = '';
			let stderr = '';
			let spawnError: Error | undefined;
			child.stdout.setEncoding('utf8').on('data', (d: string) => {
				stdout += d;
			});
			child.stderr.setEncoding('utf8').on('data', (d: string) => {
				stderr += d;
			});
			// A command that cannot start keeps node's spawn error (errors.ts names the command and says to install it).
			child.on('error', (error) => {
				spawnError = error;
			});
			child.on('close', (code) => {
				if (spawnError) return reject(spawnError);
				const said = stderr
					.split('\n')
					.find((l) => l.trim() !== '')
					?.trim();
				if (code !== 0)
					return reject(
						new ExecPluginError(
							`exec plugin ${JSON.stringify(exec.command)} exited with status ${code}${said ? `: ${said}` : ''}${exec.installHint ? ` (${exec.installHint.split('\n')[0]})` : ''}`,
						),
					);
				try {
					resolve(this.parse(stdout, apiVersion));
				} catch (error) {
					reject(error);
				}
			});
		});
	}

	// KUBERNETES_EXEC_INFO: the version we read, never interactive, and the cluster when the kubeconfig asks for it.
	private execInfo(apiVersion: string): Record<string, unknown> {
		const spec: Record<string, unknown> = {interactive: false};
		const c = this.cluster;
		if (this.exec.provideClusterInfo && c) {
			const ca = this.readCa();
			spec.cluster = {
				server: c.server,
				...(c.tlsServerName ? {'tls-server-name': c.tlsServerName} : {}),
				...(c.skipTLSVerify ? {'insecure-skip-tls-verify': true} : {}),
				...(ca ? {'certificate-authority-data': ca.toString('base64')} : {}),
				...(c.proxyUrl ? {'proxy-url': c.proxyUrl} : {}),
				...(c.execConfig !== undefined ? {config: c.execConfig} : {}),
			};
		}
		return {kind: 'ExecCredential', apiVersion, spec};
	}

	// The ExecCredential on stdout, checked as kubectl checks it; errors never quote it.
	private parse(stdout: string, apiVersion: string): ExecResult {
		const fail = (why: string) => new ExecPluginError(`exec plugin ${JSON.stringify(this.exec.command)} ${why}`);
		let cred: {kind?: unknown; apiVersion?: unknown; status?: Record<string, unknown>};
		try {
			cred = JSON.parse(stdout) as typeof cred;
		} catch {
			throw fail('printed something that is not a JSON ExecCredential');
		}
		if (typeof cred !== 'object' || cred === null || cred.kind !== 'ExecCredential')
			throw fail('printed something that is not an ExecCredential');
		if (cred.apiVersion !== apiVersion)
			throw fail(`is configured to use API version ${apiVersion}, but printed version ${JSON.stringify(cred.apiVersion)}`);
		const status = cred.status ?? {};
		const text = (k: string) => (typeof status[k] === 'string' && status[k] !== '' ? (status[k] as string) : undefined);
		const token = text('token');
		const cert = text('clientCertificateData');
		const key = text('clientKeyData');
		if (Boolean(cert) !== Boolean(key)) throw fail('printed a client certificate without its key, or a key without its certificate');
		if (!token && !cert) throw fail("didn't return a token or cert/key pair");
		const expiry = text('expirationTimestamp');
		const expiresAt = expiry ? Date.parse(expiry) : undefined;
		if (expiry && Number.isNaN(expiresAt)) throw fail('printed an expirationTimestamp that is not a time');
		return {token, cert, key, expiresAt};
	}
}
