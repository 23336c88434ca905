// Reading kubeconfig files as kubectl (client-go's clientcmd) reads them: YAML to entries, relative paths resolved
// against the file that names them, several files merged with the first to set a name winning. Only js-yaml is
// loaded: @kubernetes/client-node costs ~0.2 s of CPU to compile, which `status` and the first frame cannot afford.
// Messages name files, fields and entry names, never values: a kubeconfig's values may be secrets.
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import {KubeconfigError} from './errors.js';

// The entries, in @kubernetes/client-node's shapes (its KubeConfig can be built from them, for what only it does).
export type ClusterEntry = {
	name: string;
	server: string;
	caData?: string;
	caFile?: string;
	skipTLSVerify: boolean;
	tlsServerName?: string;
	proxyUrl?: string;
	/** extensions[name=client.authentication.k8s.io/exec].extension, given to exec plugins with provideClusterInfo. */
	execConfig?: unknown;
};

export type ExecEnvVar = {name: string; value: string};

export type ExecConfig = {
	command: string;
	args?: string[];
	env?: ExecEnvVar[];
	apiVersion?: string;
	interactiveMode?: string;
	provideClusterInfo?: boolean;
	installHint?: string;
};

export type UserEntry = {
	name: string;
	token?: string;
	/** Absolute; read when a request is made (kubectl re-reads it, and it wins over token). */
	tokenFile?: string;
	certData?: string;
	certFile?: string;
	keyData?: string;
	keyFile?: string;
	username?: string;
	password?: string;
	exec?: ExecConfig;
	/** auth-provider: oidc is left to client-node (loaded for it); gcp and azure are refused, as kubectl 1.26+ does. */
	authProvider?: {name: string; config?: Record<string, string>};
	impersonateUser?: string;
	impersonateGroups?: string[];
	impersonateUid?: string;
};

export type ContextEntry = {name: string; cluster: string; user?: string; namespace?: string};

export type KubeconfigEntries = {clusters: ClusterEntry[]; users: UserEntry[]; contexts: ContextEntry[]; currentContext: string};

const EXEC_EXTENSION = 'client.authentication.k8s.io/exec';

// Parses one file; errors name the file and the place, never the text (a YAML snippet could hold a token).
export function readKubeconfigFile(file: string): KubeconfigEntries {
	let doc: unknown;
	try {
		const text = fs.readFileSync(file, 'utf8');
		// kubectl refuses a file that is empty or not a mapping, and so do we.
		doc = text.trim() === '' ? undefined : yaml.load(text);
	} catch (error) {
		throw new KubeconfigError(`cannot read kubeconfig ${JSON.stringify(file)}: ${describeReadError(error)}`);
	}
	if (doc === null || doc === undefined) throw new KubeconfigError(`kubeconfig ${JSON.stringify(file)} is empty`);
	if (typeof doc !== 'object' || Array.isArray(doc)) {
		throw new KubeconfigError(
			`cannot read kubeconfig ${JSON.stringify(file)}: it is not a kubeconfig (YAML with clusters, users and contexts), but ${Array.isArray(doc) ? 'a list' : `a ${typeof doc}`}`,
		);
	}
	try {
		return entriesOf(doc as Record<string, unknown>, path.dirname(path.resolve(file)));
	} catch (error) {
		if (error instanceof EntryError) throw new KubeconfigError(`cannot read kubeconfig ${JSON.stringify(file)}: ${error.message}`);
		throw error;
	}
}

// clientcmd's merge: the first file that defines a name (or current-context) wins; later duplicates are ignored.
export function mergeFirstWins(configs: KubeconfigEntries[]): KubeconfigEntries {
	const clusters = new Map<string, ClusterEntry>();
	const users = new Map<string, UserEntry>();
	const contexts = new Map<string, ContextEntry>();
	let currentContext = '';
	for (const kc of configs) {
		for (const c of kc.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
		for (const u of kc.users) if (!users.has(u.name)) users.set(u.name, u);
		for (const c of kc.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
		if (currentContext === '' && kc.currentContext) currentContext = kc.currentContext;
	}
	return {clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext};
}

const SERVICEACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

// The pod's service account, as rest.InClusterConfig builds it (the token file is read at each request).
export function inClusterEntries(env: NodeJS.ProcessEnv, root = SERVICEACCOUNT): KubeconfigEntries {
	const host = env.KUBERNETES_SERVICE_HOST ?? '';
	const port = env.KUBERNETES_SERVICE_PORT ?? '';
	const namespaceFile = path.join(root, 'namespace');
	let namespace: string | undefined;
	try {
		namespace = fs.readFileSync(namespaceFile, 'utf8').trim() || undefined;
	} catch {
		// No namespace file: "default", as kubectl.
	}
	return {
		clusters: [
			{
				name: 'in-cluster',
				server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
				caFile: path.join(root, 'ca.crt'),
				skipTLSVerify: false,
			},
		],
		users: [{name: 'in-cluster', tokenFile: path.join(root, 'token')}],
		contexts: [{name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster', namespace}],
		currentContext: 'in-cluster',
	};
}

// A field that is present but of the wrong kind, or a missing name: the path of the field, never its value.
class EntryError extends Error {}

type Obj = Record<string, unknown>;

function entriesOf(doc: Obj, dir: string): KubeconfigEntries {
	const current = doc['current-context'];
	return {
		clusters: named(doc, 'clusters', 'cluster', (body, where) => clusterOf(body, where, dir)),
		users: named(doc, 'users', 'user', (body, where) => userOf(body, where, dir)),
		contexts: named(doc, 'contexts', 'context', contextOf),
		currentContext: typeof current === 'string' ? current : '',
	};
}

// A list of {name, <kind>: {...}} entries; kubectl refuses a name given twice in one file.
function named<T extends {name: string}>(
	doc: Obj,
	list: string,
	kind: string,
	convert: (body: Obj, where: string) => Omit<T, 'name'>,
): T[] {
	const items = doc[list];
	if (items === undefined || items === null) return [];
	if (!Array.isArray(items)) throw new EntryError(`${list} is not a list`);
	const seen = new Set<string>();
	return items.map((item: unknown, i) => {
		const where = `${list}[${i}]`;
		if (!isObj(item)) throw new EntryError(`${where} is not a mapping`);
		if (typeof item.name !== 'string' || item.name === '') throw new EntryError(`${where}.name is missing`);
		if (seen.has(item.name)) throw new EntryError(`${list} names ${JSON.stringify(item.name)} twice`);
		seen.add(item.name);
		const body = item[kind] ?? {};
		if (!isObj(body)) throw new EntryError(`${where}.${kind} is not a mapping`);
		return {name: item.name, ...convert(body, `${where}.${kind}`)} as T;
	});
}

function clusterOf(c: Obj, where: string, dir: string): Omit<ClusterEntry, 'name'> {
	const server = str(c, 'server', where) ?? '';
	const extension = Array.isArray(c.extensions)
		? (c.extensions as unknown[]).find((e): e is Obj => isObj(e) && e.name === EXEC_EXTENSION)?.extension
		: undefined;
	return {
		// client-node and kubectl both drop one trailing slash from the server's URL.
		server: server.replace(/\/$/, ''),
		caData: str(c, 'certificate-authority-data', where),
		caFile: file(str(c, 'certificate-authority', where), dir),
		skipTLSVerify: bool(c, 'insecure-skip-tls-verify', where),
		tlsServerName: str(c, 'tls-server-name', where),
		proxyUrl: str(c, 'proxy-url', where),
		execConfig: extension,
	};
}

function userOf(u: Obj, where: string, dir: string): Omit<UserEntry, 'name'> {
	const groups = u['as-groups'];
	if (groups !== undefined && groups !== null && !(Array.isArray(groups) && groups.every((g) => typeof g === 'string')))
		throw new EntryError(`${where}.as-groups is not a list of names`);
	const provider = u['auth-provider'];
	if (provider !== undefined && provider !== null && !(isObj(provider) && typeof provider.name === 'string'))
		throw new EntryError(`${where}.auth-provider has no name`);
	return {
		token: str(u, 'token', where),
		tokenFile: file(str(u, 'tokenFile', where), dir),
		certData: str(u, 'client-certificate-data', where),
		certFile: file(str(u, 'client-certificate', where), dir),
		keyData: str(u, 'client-key-data', where),
		keyFile: file(str(u, 'client-key', where), dir),
		username: str(u, 'username', where),
		password: str(u, 'password', where),
		exec: execOf(u.exec, `${where}.exec`, dir),
		authProvider: isObj(provider) ? (provider as UserEntry['authProvider']) : undefined,
		impersonateUser: str(u, 'as', where),
		impersonateGroups: Array.isArray(groups) && groups.length > 0 ? (groups as string[]) : undefined,
		impersonateUid: str(u, 'as-uid', where),
	};
}

function execOf(e: unknown, where: string, dir: string): ExecConfig | undefined {
	if (e === undefined || e === null) return undefined;
	if (!isObj(e)) throw new EntryError(`${where} is not a mapping`);
	const command = str(e, 'command', where);
	if (!command) throw new EntryError(`${where}.command is missing`);
	const args = e.args ?? [];
	if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw new EntryError(`${where}.args is not a list of strings`);
	const env = e.env ?? [];
	if (!Array.isArray(env) || !env.every((v) => isObj(v) && typeof v.name === 'string' && typeof v.value === 'string'))
		throw new EntryError(`${where}.env is not a list of {name, value}`);
	return {
		// clientcmd resolves a command against the kubeconfig's directory only when it names a path (has a
		// separator); a bare name is looked up on PATH.
		command: command.includes('/') ? (file(command, dir) as string) : command,
		args: e.args === undefined || e.args === null ? undefined : (args as string[]),
		env: env as ExecEnvVar[],
		apiVersion: str(e, 'apiVersion', where),
		interactiveMode: str(e, 'interactiveMode', where),
		provideClusterInfo: bool(e, 'provideClusterInfo', where),
		installHint: str(e, 'installHint', where),
	};
}

function contextOf(c: Obj, where: string): Omit<ContextEntry, 'name'> {
	const cluster = str(c, 'cluster', where);
	if (!cluster) throw new EntryError(`${where}.cluster is missing`);
	return {cluster, user: str(c, 'user', where) || undefined, namespace: str(c, 'namespace', where) || undefined};
}

function isObj(v: unknown): v is Obj {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Obj, key: string, where: string): string | undefined {
	const v = o[key];
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'string') throw new EntryError(`${where}.${key} is not a string`);
	return v;
}

function bool(o: Obj, key: string, where: string): boolean {
	const v = o[key];
	if (v === undefined || v === null) return false;
	if (typeof v !== 'boolean') throw new EntryError(`${where}.${key} is not true or false`);
	return v;
}

// clientcmd's ResolveLocalPaths: a relative path is relative to the file that holds it.
function file(p: string | undefined, dir: string): string | undefined {
	if (p === undefined || p === '') return undefined;
	return path.isAbsolute(p) ? p : path.join(dir, p);
}

function describeReadError(error: unknown): string {
	const e = error as {name?: string; reason?: string; mark?: {line?: number; column?: number}; code?: string};
	if (e?.name === 'YAMLException') {
		const where = e.mark && e.mark.line !== undefined ? ` at line ${e.mark.line + 1}, column ${(e.mark.column ?? 0) + 1}` : '';
		return `invalid YAML${where}: ${e.reason ?? 'syntax error'}`;
	}
	if (e?.code === 'EACCES') return 'permission denied';
	if (e?.code === 'ENOENT') return 'it does not exist';
	if (e?.code === 'EISDIR') return 'it is a directory';
	return 'it is not a valid kubeconfig';
}
