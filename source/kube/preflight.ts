// What the cockpit (and a headless command) checks before it shows anything, so that a cluster it cannot use
// ends the program with one clear line instead of a header saying "backoff" forever: the server answers (TLS,
// credentials), the namespace exists, the user may list deployments there and watch what the view follows, and a
// named deployment exists.
import type {Deployment} from '../model/types.js';
import {type AccessNeed, needKey, reviewAccess} from './access.js';
import type {Connection} from './connect.js';
import {AccessDeniedError, NotFoundError} from './errors.js';
import {ApiRequestError, requestJson} from './http.js';

// Tunables for tests.
export type PreflightOptions = {
	/** The deployment the user named, if any. */
	deployment?: string;
	/** Each request must answer within this long. @default 15000 */
	timeoutMs?: number;
	/**
	 * Called with the named deployment as soon as it is read, before the other checks are done (the cockpit starts
	 * listing its pods then); whoever starts something here stops it if preflight() then throws.
	 */
	onDeployment?: (deployment: Deployment) => void;
};

// What the checks learnt on the way: the server's version, and the named deployment (its selector scopes the pod
// and ReplicaSet watches, which can then start without waiting for the deployments' list).
export type PreflightResult = {serverVersion?: string; deployment?: Deployment};

// The watches the cockpit's view is built on. Events are not among them: without them the view still works, and
// their pane says why it is empty.
export const COCKPIT_WATCHES: readonly AccessNeed[] = [
	{verb: 'watch', group: 'apps', resource: 'deployments'},
	{verb: 'watch', group: 'apps', resource: 'replicasets'},
	{verb: 'watch', group: '', resource: 'pods'},
];

// Runs the checks; throws the first failure in the order below (an ApiRequestError, a NotFoundError, an
// AccessDeniedError, a network error). The requests go out together, so a slow link costs one round trip, not four; what a check says depends
// only on its own answer and the checks before it.
export async function preflight(conn: Connection, options: PreflightOptions = {}): Promise<PreflightResult> {
	const timeoutMs = options.timeoutMs ?? 15_000;
	const get = <T>(path: string, query?: Record<string, string | number>) =>
		withTimeout(conn, timeoutMs, (signal) => requestJson<T>(conn, path, {signal, query}));
	const ns = encodeURIComponent(conn.namespace);
	const answers = {
		version: get<{gitVersion?: string}>('/version'),
		namespace: get(`/api/v1/namespaces/${ns}`),
		deployments: get(`/apis/apps/v1/namespaces/${ns}/deployments`, {limit: 1}),
		deployment:
			options.deployment === undefined
				? Promise.resolve(undefined)
				: get<Deployment>(`/apis/apps/v1/namespaces/${ns}/deployments/${encodeURIComponent(options.deployment)}`),
		watches: unwatchable(conn, COCKPIT_WATCHES, timeoutMs),
	};
	// Every answer is awaited below in order; a failure after the first one thrown must not go unhandled.
	for (const answer of Object.values(answers)) answer.catch(() => {});
	const {onDeployment} = options;
	if (onDeployment)
		answers.deployment
			.then((deployment) => {
				if (deployment) onDeployment(deployment);
			})
			.catch(() => {});
	// The server answers at all, over verified TLS, and takes the credentials (401 here means they are refused).
	const version = await answers.version;
	// A namespace that is not there: many users may not read namespaces (403), and then the list below decides.
	try {
		await answers.namespace;
	} catch (error) {
		if (error instanceof ApiRequestError && error.status === 404)
			throw new NotFoundError(
				`namespace ${JSON.stringify(conn.namespace)} not found in context ${JSON.stringify(conn.contextName)}: check -n (kubectl get namespaces lists them)`,
			);
		if (!(error instanceof ApiRequestError && error.status === 403)) throw error;
	}
	// The deployments the cockpit lists and watches: a 403 here names the verb and the resource.
	await answers.deployments;
	// A user who may list but not watch would see a view refreshed only by relisting, every 30 s or so: as
	// `kubectl get -w` ends on the watch's 403, the cockpit ends here, before anything is drawn.
	const refused = await answers.watches;
	if (refused) throw refused;
	let deployment: Deployment | undefined;
	try {
		deployment = await answers.deployment;
	} catch (error) {
		if (error instanceof ApiRequestError && error.status === 404)
			throw new NotFoundError(
				`deployment ${JSON.stringify(options.deployment)} not found in namespace ${JSON.stringify(conn.namespace)}: check the name (run without DEPLOYMENT to pick from the list)`,
			);
		throw error;
	}
	return {serverVersion: version.gitVersion, deployment};
}

// The first of `needs` (watches) that an access review says the user may not do, as the error to end with; undefined
// when every review allowed it or could not answer (an old server, or reviews refused: the watch itself will say).
// Never throws. `kubectl get -w` ends on the watch's own 403; asking first (as k9s does before it opens a view) costs
// no round trip, since the reviews go out with the other checks.
export async function unwatchable(
	conn: Connection,
	needs: readonly AccessNeed[],
	timeoutMs: number,
): Promise<AccessDeniedError | undefined> {
	const review = await reviewAccess(conn, conn.namespace, needs, AbortSignal.timeout(timeoutMs));
	const need = needs.find((n) => review.verdicts[needKey(n)]?.allowed === false);
	if (!need) return undefined;
	const resource = need.group === '' ? need.resource : `${need.resource}.${need.group}`;
	const reason = review.verdicts[needKey(need)]?.reason;
	return new AccessDeniedError(
		`forbidden: your user may not watch ${resource} in namespace ${JSON.stringify(conn.namespace)}${reason ? ` (${reason})` : ''}, which following the rollout live needs; kubectl auth can-i watch ${resource} -n ${conn.namespace} checks it`,
	);
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
