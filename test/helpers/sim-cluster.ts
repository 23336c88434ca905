// The embedded cluster as tests start it: source/sim's startCluster, with deadlines of seconds on its start, its stop
// and an API server restart. A sim that does not come up, go down or come back fails the test naming what it waited
// for, instead of holding the file until the runner's limit (a stop in t.after that never ends hangs the file too).
import {request as httpsRequest} from 'node:https';
import {startCluster as startSimCluster, type ClusterOptions, type SimCluster} from '../../source/sim/cluster.js';
import {within} from './wait.js';

export type {ClusterOptions, SimCluster};

const START_MS = 60_000;
const STOP_MS = 20_000;
// A restart cuts the old connections and binds the port again, after the down time it is given.
const RESTART_MS = 30_000;

/** Starts the embedded cluster (see source/sim/cluster.ts); every wait on it is bounded. */
export async function startCluster(options: ClusterOptions = {}): Promise<SimCluster> {
	const cluster = await within(startSimCluster(options), START_MS, `the sim cluster (scenario ${options.scenario ?? 'nginx'}) to start`);
	const {stop, restartApiServer} = cluster;
	return {
		...cluster,
		stop: () => within(stop(), STOP_MS, 'the sim cluster to stop'),
		restartApiServer: (down) => {
			const restarted = restartApiServer(down);
			// The deadline counts from the end of the down time (a promise is the caller's to bound).
			const up = typeof down === 'number' || down === undefined ? Promise.resolve() : down.catch(() => undefined);
			return up.then(() => within(restarted, RESTART_MS + (typeof down === 'number' ? down : 0), 'the sim API server to restart'));
		},
	};
}

/** The CA a sim kubeconfig trusts (its certificate-authority-data), as PEM. */
export function caOf(kubeconfig: string): string {
	const data = /certificate-authority-data: (\S+)/.exec(kubeconfig)?.[1];
	if (!data) throw new Error('the kubeconfig has no certificate-authority-data');
	return Buffer.from(data, 'base64').toString();
}

/**
 * GET path from the cluster's API server as a client trusting its CA would, with `token` as the bearer token (none:
 * anonymous); the status and the parsed JSON body, within 10 s.
 */
export function simGet(cluster: {url: string; kubeconfig: string}, path: string, token?: string): Promise<{status: number; body: any}> {
	return within(
		new Promise((resolve, reject) => {
			const headers = token === undefined ? {} : {Authorization: `Bearer ${token}`};
			const req = httpsRequest(new URL(path, cluster.url), {ca: caOf(cluster.kubeconfig), headers, agent: false}, (res) => {
				let text = '';
				res.on('data', (d) => (text += d));
				res.on('end', () => resolve({status: res.statusCode ?? 0, body: JSON.parse(text)}));
			});
			req.on('error', reject);
			req.end();
		}),
		10_000,
		`GET ${path}`,
	);
}
