// Wires a ProbeSession to the cockpit store: the probe follows the selected deployment (discovering its
// URL unless --probe gave one), the deployment and its pods, as the watch sees them, open and close the
// rollout windows, and the session's snapshots go into the store (applied on its frame clock, like watch
// events). The only place where the probe meets the cockpit's data.
import type {Connection} from '../kube/connect.js';
import type {CockpitStore} from '../state/store.js';
import {selectDeployment, selectPods} from '../state/selectors.js';
import {fetchProbeTarget} from './discovery.js';
import type {ProbeTarget} from './discovery.js';
import type {ProberOptions} from './prober.js';
import {terminatingCount} from './session.js';
import type {ProbeSession} from './session.js';

// How the cockpit probes.
export type FollowOptions = {
	conn: Connection;
	/** --probe URL: probe this and never discover. */
	url?: string;
	/** Passed to the prober: intervalMs, timeoutMs, servedBy, keepAlive, loopbackOnly (the demo sets it). */
	prober?: Omit<ProberOptions, 'url' | 'onResult' | 'onDone' | 'count'>;
	/** While discovery finds nothing to probe, try again this often (a Service may be exposed later). @default 5000 */
	rediscoverMs?: number;
	/** Injectable for tests. @default fetchProbeTarget */
	discover?: (conn: Connection, deploymentName: string) => Promise<ProbeTarget>;
};

// Starts following; stop() ends probing and the subscription.
export function followCockpit(session: ProbeSession, store: CockpitStore, options: FollowOptions): {stop(): Promise<void>} {
	const discover = options.discover ?? ((conn: Connection, name: string) => fetchProbeTarget(conn, name));
	const rediscoverMs = options.rediscoverMs ?? 5000;
	let followed: string | undefined;
	let generation = 0;
	let retry: NodeJS.Timeout | undefined;
	let stopped = false;

	const start = (url: string, how?: string) => {
		try {
			session.start({...options.prober, url, how});
		} catch (err) {
			session.setUnreachable((err as Error).message);
		}
	};

	const runDiscovery = (name: string, token: number) => {
		discover(options.conn, name).then(
			(target) => {
				if (stopped || token !== generation) return;
				if (target.kind === 'url') {
					start(target.url, target.how);
				} else {
					session.setUnreachable(target.message);
					retry = setTimeout(() => runDiscovery(name, token), rediscoverMs);
					retry.unref();
				}
			},
			(err: Error) => {
				if (stopped || token !== generation) return;
				session.setUnreachable(`cannot discover a URL to probe: ${err.message}`);
				retry = setTimeout(() => runDiscovery(name, token), rediscoverMs);
				retry.unref();
			},
		);
	};

	const onChange = () => {
		const state = store.getState();
		const name = state.deploymentName;
		if (name !== followed) {
			followed = name;
			generation++;
			clearTimeout(retry);
			session.resetWindows();
			if (options.url === undefined) {
				if (name === undefined) session.setOff();
				else runDiscovery(name, generation);
			}
		}
		const deployment = selectDeployment(state);
		const pods = selectPods(state);
		session.observePods(pods);
		if (deployment) session.observeDeployment(deployment, terminatingCount(pods));
	};

	const publish = () => store.setProbe(session.getSnapshot());
	const unpublish = session.subscribe(publish);
	publish();
	if (options.url !== undefined) start(options.url, 'from --probe');
	const unsubscribe = store.subscribe(onChange);
	onChange();
	return {
		async stop() {
			stopped = true;
			clearTimeout(retry);
			unsubscribe();
			unpublish();
			await session.stop();
		},
	};
}
