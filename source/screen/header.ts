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

// A wall-clock time as the header shows it: HH:MM:SS, local time.
export function clockTime(ms: number): string {
	const d = new Date(ms);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

// A watch the user may not run (403): its pane says so; it is not a connection problem.
export function isForbidden(state: WatchState | undefined): boolean {
	return state?.phase === 'error' && state.status === 403;
}

// A kind the user may list but not watch (403 naming the watch verb): kubectl's reflectors go on relisting, and so do
// ours, so its pane is refreshed at each relist, never live.
export function isWatchForbidden(state: WatchState | undefined): boolean {
	return isForbidden(state) && /cannot watch resource/.test(state?.error ?? '');
}

// The watch error in a few words: the server's sentence without the request and the hint statusError adds.
export function watchReason(state: WatchState): string {
	const text = (state.error ?? '').replace(/ \(the user lacks permission\)$/, '').replace(/ \((?:GET|watch) \/[^ )]*\)$/, '');
	const forbidden = text.indexOf(' is forbidden: ');
	return forbidden >= 0 ? `forbidden: ${text.slice(forbidden + ' is forbidden: '.length)}` : text;
}

// The connection in a few words. Live: every watch streams (those the user may not run are named apart). Before the
// first watch opened: connecting, or listing. After one worked and stopped: reconnecting (attempt N, next in X s) or
// relisting, and since when the view is stale, with the reason last (the header cuts it first).
export function connectionSummary(connection: ConnectionLike, now: number): ConnectionSummary {
	const entries = Object.entries(connection.byKind).filter(([, s]) => s !== undefined);
	if (entries.length === 0) return {text: 'connecting', tone: 'busy'};
	const forbidden = entries.filter(([, s]) => isForbidden(s) && !isWatchForbidden(s)).map(([kind]) => kind.toLowerCase());
	const noRights = forbidden.length > 0 ? ` · ${forbidden.join(', ')} forbidden` : '';
	const polled = polledText(entries, now);
	let worstKind = '';
	let worst: WatchState | undefined;
	let lostAt: number | undefined;
	for (const [kind, state] of entries) {
		if (isForbidden(state)) continue;
		if (state.lostAt !== undefined) lostAt = Math.min(lostAt ?? state.lostAt, state.lostAt);
		if (!worst || SEVERITY[state.phase] > SEVERITY[worst.phase]) {
			worst = state;
			worstKind = kind.toLowerCase();
		}
	}
	if (!worst) return {text: `${polled ? 'polling' : 'live'}${polled}${noRights}`, tone: polled ? 'busy' : 'ok'};
	if (worst.phase === 'watching') return {text: `live${noRights}${polled}`, tone: polled ? 'busy' : 'ok'};
	const stale = lostAt === undefined ? '' : ` · stale since ${clockTime(lostAt)}`;
	const why = worst.error ? ` · ${worstKind}: ${watchReason(worst)}` : '';
	switch (worst.phase) {
		case 'connecting':
			return {text: lostAt === undefined ? 'connecting' : `reconnecting ${worstKind}${stale}`, tone: 'busy'};
		case 'listing':
			return {text: `${lostAt === undefined ? 'listing' : 'relisting'} ${worstKind}${stale}`, tone: 'busy'};
		case 'stalled':
			return {text: `stalled ${worstKind}${stale}${why}`, tone: 'bad'};
		case 'backoff':
		case 'error': {
			const left = Math.max(0, (worst.retryInMs ?? 0) - (now - worst.since));
			const attempt = worst.attempt !== undefined ? `attempt ${worst.attempt}, ` : '';
			const verb = lostAt === undefined ? 'connecting' : 'reconnecting';
			return {text: `${verb} (${attempt}next in ${Math.ceil(left / 1000)}s)${stale}${why}`, tone: 'bad'};
		}
	}
}

// The kinds refreshed only by relisting, because their watch is forbidden, and when the next relist comes:
// " · pods, events: watch forbidden, next relist in 12s" (empty when every allowed watch streams).
function polledText(entries: [string, WatchState | undefined][], now: number): string {
	const polled = entries.filter(([, s]) => isWatchForbidden(s)) as [string, WatchState][];
	if (polled.length === 0) return '';
	const next = Math.min(...polled.map(([, s]) => Math.max(0, (s.retryInMs ?? 0) - (now - s.since))));
	return ` · ${polled.map(([kind]) => kind.toLowerCase()).join(', ')}: watch forbidden, next relist in ${Math.ceil(next / 1000)}s`;
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
