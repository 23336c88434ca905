// What the cockpit (and a headless command) checks before it shows anything, so that a cluster it cannot use
// ends the program with one clear line instead of a header saying "backoff" forever: the server answers (TLS,
// credentials), the namespace exists, the user may list deployments there, and a named deployment exists.
import type {Connection} from './connect.js';
import {NotFoundError} from './errors.js';
import {ApiRequestError, requestJson} from './http.js';

// Tunables for tests.
export type PreflightOptions = {
	/** The deployment the user named, if any. */
	deployment?: string;
	/** Each request must answer within this long. @default 15000 */
	timeoutMs?: number;
};

// What the checks learnt on the way.
export type PreflightResult = {serverVersion?: string};

// Runs the checks in order; throws the first failure (an ApiRequestError, a NotFoundError, a network error).
export async function preflight(conn: Connection, options: PreflightOptions = {}): Promise<PreflightResult> {
	const timeoutMs = options.timeoutMs ?? 15_000;
	const get = <T>(path: string, query?: Record<string, string | number>) =>
		withTimeout(conn, timeoutMs, (signal) => requestJson<T>(conn, path, {signal, query}));
	const ns = encodeURIComponent(conn.namespace);
	// The server answers at all, over verified TLS, and takes the credentials (401 here means they are refused).
	const version = await get<{gitVersion?: string}>('/version');
	// A namespace that is not there: many users may not read namespaces (403), and then the list below decides.
	try {
		await get(`/api/v1/namespaces/${ns}`);
	} catch (error) {
		if (error instanceof ApiRequestError && error.status === 404)
			throw new NotFoundError(
				`namespace ${JSON.stringify(conn.namespace)} not found in context ${JSON.stringify(conn.contextName)}: check -n (kubectl get namespaces lists them)`,
			);
		if (!(error instanceof ApiRequestError && error.status === 403)) throw error;
	}
	// The deployments the cockpit lists and watches: a 403 here names the verb and the resource.
	await get(`/apis/apps/v1/namespaces/${ns}/deployments`, {limit: 1});
	if (options.deployment !== undefined) {
		try {
			await get(`/apis/apps/v1/namespaces/${ns}/deployments/${encodeURIComponent(options.deployment)}`);
		} catch (error) {
			if (error instanceof ApiRequestError && error.status === 404)
				throw new NotFoundError(
					`deployment ${JSON.stringify(options.deployment)} not found in namespace ${JSON.stringify(conn.namespace)}: check the name (run without DEPLOYMENT to pick from the list)`,
				);
			throw error;
		}
	}
	return {serverVersion: version.gitVersion};
}

// The request with a deadline: a server that accepts the connection and never answers is an error too.
async function withTimeout<T>(conn: Connection, ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
	const ac = new AbortController();
	const timer = setTimeout(() => ac.abort(), ms);
	try {
		return await run(ac.signal);
	} catch (error) {
		if (ac.signal.aborted)
			throw new ApiRequestError(`no answer from ${conn.clusterServer} within ${Math.round(ms / 1000)} s`, 0, undefined, 'ETIMEDOUT');
		throw error;
	} finally {
		clearTimeout(timer);
	}
}
