import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {WatchState} from '../../source/kube/watch.js';
import {connectionSummary, strategyText, watchReason} from '../../source/screen/header.js';
import {themeFromEnv} from '../../source/state/ui.js';

type WatchStateLike = WatchState;

test('strategyText: RollingUpdate with its surge and unavailability, Recreate alone', async (t) => {
	const cases: Array<[string, Parameters<typeof strategyText>[0], string]> = [
		[
			'defaults as the API server sets them',
			{spec: {strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}}}},
			'RollingUpdate maxSurge 25% maxUnavailable 25%',
		],
		[
			'integers',
			{spec: {strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}}},
			'RollingUpdate maxSurge 1 maxUnavailable 0',
		],
		['Recreate', {spec: {strategy: {type: 'Recreate'}}}, 'Recreate'],
		['no strategy in the object: the API default', {spec: {}}, 'RollingUpdate maxSurge 25% maxUnavailable 25%'],
		['no deployment (yet)', undefined, ''],
	];
	for (const [name, deployment, want] of cases) await t.test(name, () => assert.equal(strategyText(deployment), want));
});

test('connectionSummary: live; connecting before the first watch; reconnecting (attempt N, next in X s) and stale since HH:MM:SS after one', async (t) => {
	const now = 100_000;
	const lost = 90_000;
	const hhmmss = new Date(lost).toTimeString().slice(0, 8);
	const w = (phase: WatchStateLike['phase'], extra: Partial<WatchStateLike> = {}): WatchStateLike => ({
		phase,
		since: now,
		restarts: 0,
		...extra,
	});
	const forbidden = w('error', {
		status: 403,
		retryInMs: 30_000,
		error:
			'events is forbidden: User "no-events" cannot list resource "events" in API group "" in the namespace "default" (GET /api/v1/namespaces/default/events) (the user lacks permission)',
	});
	// The list worked and the watch was refused: the reflector relists after its backoff (30 s at most).
	const watchForbidden = w('error', {
		status: 403,
		since: now - 2000,
		retryInMs: 30_000,
		attempt: 6,
		error:
			'pods is forbidden: User "viewer" cannot watch resource "pods" in API group "" in the namespace "default" (GET /api/v1/namespaces/default/pods?watch=true) (the user lacks permission)',
	});
	const cases: Array<[string, Parameters<typeof connectionSummary>[0], string, string]> = [
		['all watching', {overall: 'live', byKind: {pods: w('watching'), events: w('watching')}}, 'live', 'ok'],
		['nothing started', {overall: 'connecting', byKind: {}}, 'connecting', 'busy'],
		['first list of pods', {overall: 'connecting', byKind: {pods: w('listing'), events: w('watching')}}, 'listing pods', 'busy'],
		[
			'a relist after 410',
			{overall: 'degraded', byKind: {replicaSets: w('listing', {restarts: 1, lostAt: lost})}},
			`relisting replicasets · stale since ${hhmmss}`,
			'busy',
		],
		[
			'backoff counts down, with the attempt, since when, and why',
			{
				overall: 'degraded',
				byKind: {
					pods: w('backoff', {
						since: now - 1200,
						retryInMs: 4000,
						attempt: 3,
						lostAt: lost,
						error: 'cannot reach https://x: connection refused',
					}),
					events: w('watching'),
				},
			},
			`reconnecting (attempt 3, next in 3s) · stale since ${hhmmss} · pods: cannot reach https://x: connection refused`,
			'bad',
		],
		[
			'failing before any watch opened is connecting, not stale',
			{overall: 'offline', byKind: {pods: w('backoff', {retryInMs: 800, attempt: 1, error: 'ECONNREFUSED'})}},
			'connecting (attempt 1, next in 1s) · pods: ECONNREFUSED',
			'bad',
		],
		[
			'stalled beats listing',
			{overall: 'degraded', byKind: {pods: w('listing'), events: w('stalled', {lostAt: lost})}},
			`stalled events · stale since ${hhmmss}`,
			'bad',
		],
		[
			'a forbidden kind is named apart: the rest is live',
			{overall: 'degraded', byKind: {pods: w('watching'), events: forbidden}},
			'live · events forbidden',
			'ok',
		],
		[
			'a kind whose watch is forbidden is refreshed by relisting: not live, with the next relist',
			{overall: 'degraded', byKind: {pods: watchForbidden, events: w('watching')}},
			'live · pods: watch forbidden, next relist in 28s',
			'busy',
		],
		[
			'every watch forbidden: polling, not live; a kind that may not even be listed is named apart',
			{overall: 'offline', byKind: {pods: watchForbidden, deployments: {...watchForbidden, retryInMs: 5000}, events: forbidden}},
			'polling · pods, deployments: watch forbidden, next relist in 3s · events forbidden',
			'busy',
		],
	];
	for (const [name, connection, text, tone] of cases) {
		await t.test(name, () => assert.deepEqual(connectionSummary(connection, now), {text, tone}));
	}
	assert.equal(
		watchReason(forbidden),
		'forbidden: User "no-events" cannot list resource "events" in API group "" in the namespace "default"',
	);
});

test('themeFromEnv: NO_COLOR turns colour off, a non-UTF-8 locale or a console TERM turns Unicode off', () => {
	assert.deepEqual(themeFromEnv({LANG: 'en_US.UTF-8', TERM: 'screen'}), {color: true, unicode: true});
	assert.deepEqual(themeFromEnv({LANG: 'C.UTF-8', NO_COLOR: '1'}), {color: false, unicode: true});
	// An empty NO_COLOR does not count (no-color.org).
	assert.deepEqual(themeFromEnv({LC_ALL: 'C.utf8', NO_COLOR: ''}), {color: true, unicode: true});
	assert.deepEqual(themeFromEnv({LANG: 'C'}), {color: true, unicode: false});
	assert.deepEqual(themeFromEnv({LANG: 'C.UTF-8', TERM: 'linux'}), {color: true, unicode: false});
	// LC_ALL wins over LANG, as in setlocale.
	assert.deepEqual(themeFromEnv({LC_ALL: 'POSIX', LANG: 'C.UTF-8'}).unicode, false);
});
