// The embedded cluster as tests start it: source/sim's startCluster, with deadlines of seconds on its start, its stop
// and an API server restart. A sim that does not come up, go down or come back fails the test naming what it waited
// for, instead of holding the file until the runner's limit (a stop in t.after that never ends hangs the file too).
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
