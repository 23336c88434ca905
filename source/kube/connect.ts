// Kubeconfig loading with kubectl's rules (KUBECONFIG merge, --context, --namespace), and the
// cluster's version. Nothing printable here ever carries a token, a client key or a certificate.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {KubeconfigError} from './errors.js';
import {requestJson} from './http.js';
import {inClusterEntries, mergeFirstWins, readKubeconfigFile} from './kubeconfig-files.js';
import {KubeConfig, type KubeConfigLike} from './kubeconfig.js';

// What the cockpit talks to. kubeConfig is non-enumerable so that logging or JSON-printing a
// Connection shows the context, server and namespace but never the credentials inside it.
export type Connection = {
	kubeConfig: KubeConfigLike;
	contextName: string;
	clusterServer: string;
	namespace: string;
};

// Flags as the user typed them; all optional, as with kubectl.
export type ConnectOptions = {kubeconfig?: string; context?: string; namespace?: string};

// Loads the kubeconfig the way kubectl does and picks the context and namespace; throws an Error whose
// message says what to do next (missing file, unknown context, no current-context).
export function connect(options: ConnectOptions = {}, env: NodeJS.ProcessEnv = process.env): Connection {
	const {kubeConfig, source} = loadKubeConfig(options.kubeconfig, env);
	const contexts = kubeConfig.getContexts();
	const available = contexts.length > 0 ? contexts.map((c) => c.name).join(', ') : 'none';
	let contextName = options.context ?? '';
	if (contextName !== '') {
		if (!kubeConfig.getContextObject(contextName)) {
			throw new KubeconfigError(`context ${JSON.stringify(contextName)} not found in kubeconfig ${source} (available: ${available})`);
		}
	} else {
		contextName = kubeConfig.getCurrentContext() ?? '';
		if (contextName === '') {
			throw new KubeconfigError(
				`no current-context is set in kubeconfig ${source}: pass --context NAME (available: ${available}), or run \`kubectl config use-context NAME\``,
			);
		}
		if (!kubeConfig.getContextObject(contextName)) {
			throw new KubeconfigError(
				`current-context ${JSON.stringify(contextName)} not found in kubeconfig ${source} (available: ${available}): pass --context NAME or run \`kubectl config use-context NAME\``,
			);
		}
	}
	kubeConfig.setCurrentContext(contextName);
	const context = kubeConfig.getContextObject(contextName)!;
	const cluster = kubeConfig.getCluster(context.cluster);
	if (!cluster) {
		throw new KubeconfigError(
			`context ${JSON.stringify(contextName)} refers to cluster ${JSON.stringify(context.cluster)}, which is not in kubeconfig ${source}`,
		);
	}
	if (cluster.server === '') {
		throw new KubeconfigError(
			`cluster ${JSON.stringify(cluster.name)} of context ${JSON.stringify(contextName)} has no server in kubeconfig ${source}: set its cluster.server`,
		);
	}
	if (context.user && !kubeConfig.getUser(context.user)) {
		throw new KubeconfigError(
			`context ${JSON.stringify(contextName)} refers to user ${JSON.stringify(context.user)}, which is not in kubeconfig ${source}`,
		);
	}
	const namespace = options.namespace !== undefined && options.namespace !== '' ? options.namespace : context.namespace || 'default';
	const conn = {contextName, clusterServer: cluster.server, namespace} as Connection;
	Object.defineProperty(conn, 'kubeConfig', {value: kubeConfig, enumerable: false, writable: false});
	return conn;
}

// A Connection over an already-loaded KubeConfig (ours or client-node's: tests); same printing guarantees as connect().
export function connectionFrom(kubeConfig: KubeConfigLike, namespace?: string): Connection {
	const context = kubeConfig.getContextObject(kubeConfig.getCurrentContext());
	const cluster = kubeConfig.getCurrentCluster();
	if (!context || !cluster) throw new Error('the kubeconfig has no usable current-context');
	const conn = {
		contextName: context.name,
		clusterServer: cluster.server,
		namespace: namespace || context.namespace || 'default',
	} as Connection;
	Object.defineProperty(conn, 'kubeConfig', {value: kubeConfig, enumerable: false, writable: false});
	return conn;
}

// The same connection in another namespace (same kubeconfig, context and credentials), for `:ns`.
export function withNamespace(conn: Connection, namespace: string): Connection {
	const next = {contextName: conn.contextName, clusterServer: conn.clusterServer, namespace} as Connection;
	Object.defineProperty(next, 'kubeConfig', {value: conn.kubeConfig, enumerable: false, writable: false});
	return next;
}

// The server's gitVersion from GET /version, e.g. "v1.32.4".
export async function serverVersion(conn: Connection, signal?: AbortSignal): Promise<string> {
	const info = await requestJson<{gitVersion?: string; major?: string; minor?: string}>(conn, '/version', {signal});
	if (info.gitVersion) return info.gitVersion;
	if (info.major !== undefined && info.minor !== undefined) return `v${info.major}.${info.minor}`;
	throw new Error(`${conn.clusterServer}/version answered without a gitVersion`);
}

type Loaded = {kubeConfig: KubeConfig; source: string};

// kubectl's loading rules: --kubeconfig (must exist), else $KUBECONFIG (a path list: missing entries are
// skipped, the first file to set a value wins), else ~/.kube/config, else in-cluster service account.
function loadKubeConfig(explicit: string | undefined, env: NodeJS.ProcessEnv): Loaded {
	if (explicit !== undefined && explicit !== '') {
		if (!isFile(explicit)) {
			if (isDirectory(explicit))
				throw new KubeconfigError(`kubeconfig ${JSON.stringify(explicit)} is a directory, not a file: check the --kubeconfig path`);
			throw new KubeconfigError(`kubeconfig file ${JSON.stringify(explicit)} does not exist: check the --kubeconfig path`);
		}
		return {kubeConfig: new KubeConfig(readKubeconfigFile(explicit)), source: JSON.stringify(explicit)};
	}
	const list = env.KUBECONFIG;
	if (list !== undefined && list !== '') {
		const files = [...new Set(list.split(path.delimiter).filter((f) => f !== ''))];
		const present = files.filter(isFile);
		if (present.length === 0) {
			throw new KubeconfigError(
				`none of the files in KUBECONFIG exists (${files.join(path.delimiter)}): fix KUBECONFIG or pass --kubeconfig FILE`,
			);
		}
		const merged = mergeFirstWins(present.map(readKubeconfigFile));
		return {kubeConfig: new KubeConfig(merged), source: `from KUBECONFIG (${present.join(path.delimiter)})`};
	}
	const home = env.HOME || os.homedir();
	const defaultPath = path.join(home, '.kube', 'config');
	if (isFile(defaultPath)) return {kubeConfig: new KubeConfig(readKubeconfigFile(defaultPath)), source: JSON.stringify(defaultPath)};
	if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && isFile('/var/run/secrets/kubernetes.io/serviceaccount/token')) {
		return {kubeConfig: new KubeConfig(inClusterEntries(env)), source: '(in-cluster service account)'};
	}
	throw new KubeconfigError(
		`no kubeconfig found: ${defaultPath} does not exist and KUBECONFIG is not set; pass --kubeconfig FILE, set KUBECONFIG, or try --demo`,
	);
}

function isDirectory(file: string): boolean {
	try {
		return fs.statSync(file).isDirectory();
	} catch {
		return false;
	}
}

function isFile(file: string): boolean {
	try {
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}
