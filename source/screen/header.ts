// The header's renderer: where we are (context, server version, namespace, deployment) and how (strategy, the
// watch connection in a few words), so a glance says which cluster a rollout is happening on.
import type {Deployment} from '../model/types.js';
import type {WatchState} from '../kube/watch.js';
import type {CockpitState} from '../state/store.js';
import {sortLabel} from './pods.js';

// The strategy as the header shows it: "RollingUpdate maxSurge 25% maxUnavailable 25%" or "Recreate".
export function strategyText(deployment: Deployment | undefined): string {
	const strategy = deployment?.spec?.strategy;
	if (!deployment) return '';
	const type = strategy?.type || 'RollingUpdate';
	if (type !== 'RollingUpdate') return type;
	// The API server defaults both to 25%; an object from an older cache may lack them.
	const surge = strategy?.rollingUpdate?.maxSurge ?? '25%';
	const unavailable = strategy?.rollingUpdate?.maxUnavailable ?? '25%';
	return `RollingUpdate maxSurge ${surge} maxUnavailable ${unavailable}`;
}

type ConnectionLike = CockpitState['connection'];

// How worrying each phase is, to pick the one the header mentions.
const SEVERITY: Record<WatchState['phase'], number> = {watching: 0, connecting: 1, listing: 2, stalled: 3, backoff: 4, error: 5};

export type ConnectionSummary = {text: string; tone: 'ok' | 'busy' | 'bad'};

// The connection in a few words: "live", "connecting", "relisting pods", "backoff 3s (pods: ECONNREFUSED)", "stalled events".
export function connectionSummary(connection: ConnectionLike, now: number): ConnectionSummary {
	let worstKind: string | undefined;
	let worst: WatchState | undefined;
	for (const [kind, state] of Object.entries(connection.byKind)) {
		if (!state) continue;
		if (!worst || SEVERITY[state.phase] > SEVERITY[worst.phase]) {
			worst = state;
			worstKind = kind;
		}
	}
	if (!worst || worst.phase === 'watching') {
		if (connection.overall === 'live') return {text: 'live', tone: 'ok'};
		if (connection.overall === 'connecting') return {text: 'connecting', tone: 'busy'};
		return {text: connection.overall, tone: connection.overall === 'offline' ? 'bad' : 'busy'};
	}
	const kind = (worstKind ?? '').toLowerCase();
	const why = worst.error ? ` (${kind}: ${worst.error})` : ` (${kind})`;
	switch (worst.phase) {
		case 'connecting':
			return {text: 'connecting', tone: 'busy'};
		case 'listing':
			// A list after the first one is a relist: after a 410, a stall or an error.
			return {text: `${(worst.restarts ?? 0) > 0 ? 'relisting' : 'listing'} ${kind}`, tone: 'busy'};
		case 'stalled':
			return {text: `stalled ${kind}`, tone: 'bad'};
		case 'backoff': {
			const left = Math.max(0, (worst.retryInMs ?? 0) - (now - worst.since));
			return {text: `backoff ${Math.ceil(left / 1000)}s${why}`, tone: 'bad'};
		}
		case 'error':
			return {text: `error${why}`, tone: 'bad'};
	}
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

// Everything the two header lines show.
export type HeaderProps = {
	width: number;
	context: string;
	serverVersion?: string;
	namespace: string;
	deployment?: string;
	strategy: string;
	connection: ConnectionSummary;
	readonly: boolean;
	// The pods' sort and the filter in force, when chosen: "sort: age, newest first  /crash".
	view: string;
};

// The header for the state.
export function headerProps(state: CockpitState, deployment: Deployment | undefined, width: number): HeaderProps {
	return {
		width,
		context: state.context,
		serverVersion: state.serverVersion,
		namespace: state.namespace,
		deployment: state.deploymentName,
		strategy: strategyText(deployment),
		connection: connectionSummary(state.connection, state.now),
		readonly: state.ui.session.readonly,
		view: [state.ui.sort ? `sort: ${sortLabel(state.ui.sort)}` : '', state.ui.filter ? `/${cut(state.ui.filter, 20)}` : '']
			.filter(Boolean)
			.join('  '),
	};
}
