// The cockpit's kubeconfig: the contexts, clusters and users of the merged files, and the TLS and auth options of
// the current context for a request, as kubectl applies them. Tokens (also from a tokenFile, which wins and is
// re-read as kubectl re-reads it), client certificates and keys (data or files), basic auth, exec plugins,
// impersonation, insecure-skip-tls-verify, tls-server-name and certificate-authority(-data) are done here, without
// @kubernetes/client-node. Only an oidc auth-provider or a proxy-url loads client-node, on the first request that
// needs it, and leaves the request to it as before; the gcp and azure auth-providers are refused, as kubectl 1.26+
// refuses them.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import nodeTls from 'node:tls';
import {ExecPlugin} from './exec-plugin.js';
import type {ClusterEntry, ContextEntry, KubeconfigEntries, UserEntry} from './kubeconfig-files.js';

// What a request needs from a kubeconfig; client-node's KubeConfig has the same methods (tests build Connections
// from one, connect.ts's connectionFrom).
export type KubeConfigLike = {
	getContexts(): {name: string}[];
	getCurrentContext(): string;
	getContextObject(name: string): {name: string; cluster: string; namespace?: string} | null | undefined;
	getCurrentCluster(): {name: string; server: string} | null | undefined;
	getCurrentUser(): {name: string} | null | undefined;
	applyToHTTPSOptions(opts: https.RequestOptions): Promise<void>;
	/** The server answered 401 to a request made with `opts`: credentials that can be fetched again are (exec plugins). */
	credentialsRefused?(opts: https.RequestOptions): void;
};

// The auth-providers kubectl 1.26 removed (client-node would run gcp's cmd-path through a shell): what to do instead.
const REMOVED_PROVIDERS: Record<string, string> = {
	gcp: 'the gcp auth-provider was removed from kubectl in 1.26: install gke-gcloud-auth-plugin and run `gcloud container clusters get-credentials` again, which writes an exec plugin for this user',
	azure:
		'the azure auth-provider was removed from kubectl in 1.26: install kubelogin and run `kubelogin convert-kubeconfig`, which writes an exec plugin for this user',
};

// How often a tokenFile is read again (client-go's cached token source re-reads it each minute).
const TOKEN_FILE_TTL_MS = 60_000;

export class KubeConfig implements KubeConfigLike {
	private currentContext: string;
	private readonly plugins = new Map<string, ExecPlugin>();
	private readonly agents = new Map<string, {agent: http.Agent; secureContext?: nodeTls.SecureContext}>();
	private readonly tokenFiles = new Map<string, {token: string; readAt: number}>();
	private clientNode: Promise<KubeConfigLike> | undefined;

	constructor(private readonly entries: KubeconfigEntries) {
		this.currentContext = entries.currentContext;
	}

	getContexts(): ContextEntry[] {
		return this.entries.contexts;
	}
	getClusters(): ClusterEntry[] {
		return this.entries.clusters;
	}
	getUsers(): UserEntry[] {
		return this.entries.users;
	}
	getCurrentContext(): string {
		return this.currentContext;
	}
	setCurrentContext(name: string): void {
		this.currentContext = name;
	}
	getContextObject(name: string): ContextEntry | undefined {
		return this.entries.contexts.find((c) => c.name === name);
	}
	getCluster(name: string): ClusterEntry | undefined {
		return this.entries.clusters.find((c) => c.name === name);
	}
	getUser(name: string): UserEntry | undefined {
		return this.entries.users.find((u) => u.name === name);
	}
	getCurrentCluster(): ClusterEntry | undefined {
		const context = this.getContextObject(this.currentContext);
		return context ? this.getCluster(context.cluster) : undefined;
	}
	getCurrentUser(): UserEntry | undefined {
		const context = this.getContextObject(this.currentContext);
		return context?.user ? this.getUser(context.user) : undefined;
	}

	// Sets the TLS options, the headers and the agent of a request to the current context's server.
	async applyToHTTPSOptions(opts: https.RequestOptions): Promise<void> {
		const cluster = this.getCurrentCluster();
		const user = this.getCurrentUser();
		const provider = user?.authProvider?.name;
		if (provider !== undefined && provider in REMOVED_PROVIDERS) throw new Error(REMOVED_PROVIDERS[provider]);
		if (cluster?.proxyUrl || user?.authProvider) return (await this.viaClientNode()).applyToHTTPSOptions(opts);
		const headers = (opts.headers ?? {}) as http.OutgoingHttpHeaders;
		opts.headers = headers;
		const tls: https.AgentOptions = {};
		const ca = this.caOf(cluster);
		if (ca) tls.ca = ca;
		if (cluster?.skipTLSVerify) tls.rejectUnauthorized = false;
		if (cluster?.tlsServerName) tls.servername = cluster.tlsServerName;
		if (user) {
			const cert = fromFileOrData(user.certFile, user.certData);
			const key = fromFileOrData(user.keyFile, user.keyData);
			if (cert) tls.cert = cert;
			if (key) tls.key = key;
			const token = this.tokenOf(user);
			if (token) headers.Authorization = `Bearer ${token}`;
			else if (user.username !== undefined || user.password !== undefined)
				headers.Authorization = `Basic ${Buffer.from(`${user.username ?? ''}:${user.password ?? ''}`).toString('base64')}`;
			if (user.exec) {
				const got = await this.pluginFor(user, cluster).credential();
				if (got.cert && got.key) {
					tls.cert = got.cert;
					tls.key = got.key;
				}
				if (got.token) headers.Authorization = `Bearer ${got.token}`;
			}
			if (user.impersonateUser) headers['Impersonate-User'] = user.impersonateUser;
			if (user.impersonateGroups) headers['Impersonate-Group'] = user.impersonateGroups;
			if (user.impersonateUid) headers['Impersonate-Uid'] = user.impersonateUid;
		}
		Object.assign(opts, tls);
		const {agent, secureContext} = this.agentFor(cluster, tls);
		opts.agent = agent;
		// tls.connect takes a ready context over the ca, cert and key options (which stay, for portableAuth and 401s).
		if (secureContext) (opts as https.RequestOptions & {secureContext?: nodeTls.SecureContext}).secureContext = secureContext;
	}

	// A 401 to a request these options made: the current user's exec plugin runs again on the next request, if the
	// refused token or certificate is still the one it gave (a static token or certificate cannot be fetched again).
	credentialsRefused(opts: https.RequestOptions): void {
		const context = this.getContextObject(this.currentContext);
		const user = this.entries.users.find((u) => u.name === context?.user);
		if (!user?.exec) return;
		const cluster = this.entries.clusters.find((c) => c.name === context?.cluster);
		const authorization = String((opts.headers as Record<string, unknown> | undefined)?.Authorization ?? '');
		const token = authorization.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
		this.pluginFor(user, cluster).refused({token, cert: opts.cert === undefined ? undefined : String(opts.cert)});
	}

	// One agent per server and TLS identity, kept: requests reuse its TLS sessions instead of a handshake each.
	private agentFor(cluster: ClusterEntry | undefined, tls: https.AgentOptions): {agent: http.Agent; secureContext?: nodeTls.SecureContext} {
		const plain = cluster?.server.startsWith('http:') === true;
		const id = JSON.stringify([
			cluster?.name,
			plain,
			tls.rejectUnauthorized,
			tls.servername,
			String(tls.cert ?? ''),
			String(tls.key ?? ''),
		]);
		let entry = this.agents.get(id);
		if (!entry) {
			// Its TLS context too: made from the options for each new connection otherwise (the CA and the key parsed
			// again: some 3 ms a connection, and the checks at start open seven at once).
			entry = plain ? {agent: new http.Agent()} : {agent: new https.Agent(tls), secureContext: tlsContext(tls)};
			this.agents.set(id, entry);
		}
		return entry;
	}

	private caOf(cluster: ClusterEntry | undefined): Buffer | undefined {
		return cluster ? fromFileOrData(cluster.caFile, cluster.caData) : undefined;
	}

	// A tokenFile wins over token when it can be read (client-go: the file's last good read takes precedence);
	// its content is trimmed, and read again after a minute.
	private tokenOf(user: UserEntry): string | undefined {
		if (!user.tokenFile) return user.token || undefined;
		const cached = this.tokenFiles.get(user.tokenFile);
		if (cached && Date.now() - cached.readAt < TOKEN_FILE_TTL_MS) return cached.token;
		try {
			const token = fs.readFileSync(user.tokenFile, 'utf8').trim();
			if (token === '') throw new Error(`the tokenFile ${JSON.stringify(user.tokenFile)} of user ${JSON.stringify(user.name)} is empty`);
			this.tokenFiles.set(user.tokenFile, {token, readAt: Date.now()});
			return token;
		} catch (error) {
			if (cached) return cached.token;
			if (user.token) return user.token;
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ENOENT' || code === 'EACCES')
				throw new Error(`cannot read the tokenFile ${JSON.stringify(user.tokenFile)} of user ${JSON.stringify(user.name)} (${code})`);
			throw error;
		}
	}

	private pluginFor(user: UserEntry, cluster: ClusterEntry | undefined): ExecPlugin {
		const id = `${user.name}\u0000${cluster?.name ?? ''}`;
		let plugin = this.plugins.get(id);
		if (!plugin) {
			plugin = new ExecPlugin(user.exec!, cluster, () => this.caOf(cluster));
			this.plugins.set(id, plugin);
		}
		return plugin;
	}

	// client-node's KubeConfig over the same entries, for what only it implements (auth-provider, proxy-url).
	private viaClientNode(): Promise<KubeConfigLike> {
		this.clientNode ??= import('@kubernetes/client-node').then(({KubeConfig: ClientNodeKubeConfig}) => {
			const kc = new ClientNodeKubeConfig();
			const users = this.entries.users.map((u) => ({...u, token: u.tokenFile ? this.tokenOf(u) : u.token}));
			kc.loadFromOptions({clusters: this.entries.clusters, users, contexts: this.entries.contexts, currentContext: this.currentContext});
			return kc;
		});
		return this.clientNode.then((kc) => {
			(kc as unknown as {setCurrentContext(n: string): void}).setCurrentContext(this.currentContext);
			return kc;
		});
	}
}

// The TLS context of a connection with these options, as tls.connect would make it for each one.
function tlsContext(options: https.AgentOptions): nodeTls.SecureContext {
	return nodeTls.createSecureContext({ca: options.ca, cert: options.cert, key: options.key});
}

function fromFileOrData(file: string | undefined, data: string | undefined): Buffer | undefined {
	if (file) return fs.readFileSync(file);
	if (data) return Buffer.from(data, 'base64');
	return undefined;
}
