// The exec-credential user, as EKS and GKE configure one: the kubeconfig names a command (no shell) that prints a
// client.authentication.k8s.io/v1 ExecCredential with a short-lived token. Here the command is this CLI itself
// (`rollout-cockpit sim credential`), and the token is signed with a key the kubeconfig passes in its env.
import {createHmac, timingSafeEqual} from 'node:crypto';
import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** The env variable that carries the signing key from the kubeconfig to the plugin. */
export const execKeyEnv = 'ROLLOUT_COCKPIT_SIM_EXEC_KEY';

/** How long a minted token is valid unless --ttl says otherwise, in seconds. */
export const defaultTokenTtlSeconds = 600;

const prefix = 'rcsim-exec.v1.';

function sign(key: string, payload: string): string {
	return createHmac('sha256', key).update(payload).digest('base64url');
}

/** A token for `user`, valid until `now + ttlSeconds`, that only the holder of `key` could have made. */
export function mintExecToken(key: string, user: string, ttlSeconds: number, now = Date.now()): {token: string; expires: number} {
	const expires = Math.floor(now / 1000) + ttlSeconds;
	const payload = Buffer.from(JSON.stringify({u: user, exp: expires})).toString('base64url');
	return {token: `${prefix}${payload}.${sign(key, payload)}`, expires: expires * 1000};
}

/** The user of a valid, unexpired token signed with `key`; undefined for anything else (the server answers 401). */
export function verifyExecToken(key: string, token: string, now = Date.now()): string | undefined {
	if (!token.startsWith(prefix)) return undefined;
	const [payload, signature, extra] = token.slice(prefix.length).split('.');
	if (!payload || !signature || extra !== undefined) return undefined;
	const want = Buffer.from(sign(key, payload));
	const given = Buffer.from(signature);
	if (want.length !== given.length || !timingSafeEqual(want, given)) return undefined;
	try {
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {u?: unknown; exp?: unknown};
		if (typeof claims.u !== 'string' || typeof claims.exp !== 'number') return undefined;
		return claims.exp * 1000 > now ? claims.u : undefined;
	} catch {
		return undefined;
	}
}

/**
 * How to run the plugin without a shell: node, then this CLI's entry. From the built CLI that is dist/cli.js; from
 * the sources (tests run them through tsx) it is source/cli.tsx with tsx's loader.
 */
export function credentialPluginCommand(): {command: string; args: string[]} {
	const here = fileURLToPath(import.meta.url);
	if (here.endsWith('.ts')) {
		const entry = join(dirname(here), '..', '..', 'cli.tsx');
		return {command: process.execPath, args: ['--import', import.meta.resolve('tsx'), entry, 'sim', 'credential']};
	}
	// The bundle: this code sits in dist/cli.js or in one of its chunks (dist/chunks/).
	const entry = [join(dirname(here), 'cli.js'), join(dirname(here), '..', 'cli.js')].find((p) => existsSync(p));
	if (!entry) throw new Error(`cannot find the rollout-cockpit CLI next to ${here} for the exec credential plugin`);
	return {command: process.execPath, args: [entry, 'sim', 'credential']};
}

export type PluginIO = {stdout: (text: string) => void; stderr: (text: string) => void; now?: () => number};

/**
 * `rollout-cockpit sim credential --user NAME [--ttl SECONDS]`: prints an ExecCredential on stdout, as kubectl and
 * client-node expect from an exec plugin. Returns the exit code. The token goes only to stdout, which the caller reads.
 */
export function runCredentialPlugin(argv: string[], env: NodeJS.ProcessEnv, io: PluginIO): number {
	const fail = (message: string) => {
		io.stderr(`rollout-cockpit sim credential: ${message}\n`);
		return 1;
	};
	let user: string | undefined;
	let ttl = defaultTokenTtlSeconds;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const value = inline ?? argv[++i];
		if (flag === '--user' && value) user = value;
		else if (flag === '--ttl' && value && /^\d+$/.test(value) && Number(value) > 0) ttl = Number(value);
		else return fail(`bad argument ${JSON.stringify(arg)}: usage: rollout-cockpit sim credential --user NAME [--ttl SECONDS]`);
	}
	if (!user) return fail('--user NAME is required');
	const key = env[execKeyEnv];
	if (!key) return fail(`${execKeyEnv} is not set: run this through the kubeconfig that rollout-cockpit sim wrote`);
	// kubectl says which ExecCredential version it reads; client-node says nothing and reads v1.
	const info = env.KUBERNETES_EXEC_INFO;
	if (info) {
		let apiVersion: unknown;
		try {
			apiVersion = (JSON.parse(info) as {apiVersion?: unknown}).apiVersion;
		} catch {
			return fail('KUBERNETES_EXEC_INFO is not JSON');
		}
		if (apiVersion !== 'client.authentication.k8s.io/v1')
			return fail(`this plugin speaks client.authentication.k8s.io/v1, the caller asked for ${JSON.stringify(apiVersion)}`);
	}
	const {token, expires} = mintExecToken(key, user, ttl, io.now?.() ?? Date.now());
	const credential = {
		kind: 'ExecCredential',
		apiVersion: 'client.authentication.k8s.io/v1',
		spec: {interactive: false},
		status: {expirationTimestamp: new Date(expires).toISOString().replace(/\.\d{3}Z$/, 'Z'), token},
	};
	io.stdout(`${JSON.stringify(credential)}\n`);
	return 0;
}
