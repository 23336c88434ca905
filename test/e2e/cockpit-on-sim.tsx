// Opens the real cockpit (<App>, the store, list+watch over HTTPS) on a fresh embedded cluster, for the
// end-to-end tests; everything it starts is stopped when the test ends.
import type {TestContext} from 'node:test';

import {KubeConfig} from '@kubernetes/client-node';
import {startCluster, type ClusterOptions, type SimCluster} from '../helpers/sim-cluster.js';
import {connectionFrom, type Connection} from '../../source/kube/connect.js';
import {createActionRunner} from '../../source/kube/actions/index.js';
import {CockpitStore, startCockpitData} from '../../source/state/store.js';
import {App} from '../../source/app/App.js';
import {accessNeeds} from '../../source/commands/registry.js';
import type {ReflectorTiming} from '../../source/kube/watch.js';
import {plain, render} from '../app/harness.js';

export type CockpitOnSim = {
	cluster: SimCluster;
	conn: Connection;
	// Every frame drawn so far, newest last.
	frames: string[];
	stdin: {write(data: string): void};
	// Waits until `check` holds for the newest frame; returns that frame.
	frameWhere(check: (frame: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
};

// The cluster runs the nginx scenario; `actions` gives the App a real action runner (the keys that change things).
export async function openCockpitOnSim(
	t: TestContext,
	options: {
		cluster?: ClusterOptions;
		actions?: boolean;
		columns: number;
		rows: number;
		context?: string;
		reviewAccess?: boolean;
		timing?: ReflectorTiming;
		on?: SimCluster;
	},
): Promise<CockpitOnSim> {
	// A cluster of the caller's (shared by the tests of a file: each start makes new certificates, which is slow), or a fresh one.
	const cluster = options.on ?? (await startCluster({scenario: 'nginx', ...options.cluster}));
	if (!options.on) t.after(() => cluster.stop());
	const kubeConfig = new KubeConfig();
	kubeConfig.loadFromString(cluster.kubeconfig);
	// Another of the sim's users (rollout-cockpit-sim-readonly, -no-events, -exec, -cert), as --context picks it.
	if (options.context) kubeConfig.setCurrentContext(options.context);
	const conn = connectionFrom(kubeConfig, 'default');
	// A short batch window so that each step of a rollout gets its own frame.
	const store = new CockpitStore(
		{context: conn.contextName, server: conn.clusterServer, namespace: conn.namespace, deploymentName: 'nginx'},
		{flushIntervalMs: 5, session: {canSend: options.actions === true}},
	);
	t.after(() => store.dispose());
	const data = startCockpitData(conn, store, {accessNeeds: options.reviewAccess ? accessNeeds() : undefined, timing: options.timing});
	t.after(() => data.stop());
	const runner = options.actions ? createActionRunner(conn) : undefined;
	const r = render(<App store={store} runner={runner} />, {columns: options.columns, rows: options.rows});
	t.after(() => r.unmount());
	const frames = r.frames;
	const frameWhere = async (check: (frame: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const last = plain(frames.at(-1));
			if (check(last)) return last;
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${last}`);
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	};
	return {cluster, conn, frames, stdin: r.stdin, frameWhere};
}

const POD_ROW = /^[› ] (nginx-[0-9a-z]+-[0-9a-z]{5})\s+(\d+\/\d+)\s+(\S+)/;

// Every pod row of a frame: name, READY and STATUS.
export function podRows(frame: string): {name: string; ready: string; status: string}[] {
	const out = [];
	for (const line of frame.split('\n')) {
		const m = POD_ROW.exec(line);
		if (m) out.push({name: m[1]!, ready: m[2]!, status: m[3]!});
	}
	return out;
}

// The status line: the frame's last line.
export function statusLine(frame: string): string {
	return frame.trimEnd().split('\n').at(-1) ?? '';
}

// The PATCH requests a user sent to the deployment (or its scale).
export function patches(cluster: SimCluster, user: string): number {
	return cluster.requests.entries().filter((r) => r.method === 'PATCH' && r.user === user && r.resource === 'deployments').length;
}

// The three nginx pods Running and ready, and the rollout done.
export const rolledOut = (f: string) =>
	podRows(f).filter((p) => p.status === 'Running' && p.ready === '1/1').length === 3 && /successfully rolled out/.test(f);
