import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {WatchState} from '../../source/kube/watch.js';
import {connectionSummary, strategyText} from '../../source/screen/header.js';
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

test('connectionSummary: the worst watch speaks for all', async (t) => {
	const now = 100_000;
	const w = (phase: WatchStateLike['phase'], extra: Partial<WatchStateLike> = {}): WatchStateLike => ({
		phase,
		since: now,
		restarts: 0,
		...extra,
	});
	const cases: Array<[string, Parameters<typeof connectionSummary>[0], string, string]> = [
		['all watching', {overall: 'live', byKind: {pods: w('watching'), events: w('watching')}}, 'live', 'ok'],
		['nothing started', {overall: 'connecting', byKind: {}}, 'connecting', 'busy'],
		['first list of pods', {overall: 'connecting', byKind: {pods: w('listing'), events: w('watching')}}, 'listing pods', 'busy'],
		['a relist after 410', {overall: 'degraded', byKind: {replicaSets: w('listing', {restarts: 1})}}, 'relisting replicasets', 'busy'],
		[
			'backoff counts down',
			{
				overall: 'degraded',
				byKind: {pods: w('backoff', {since: now - 1200, retryInMs: 4000, error: 'ECONNREFUSED'}), events: w('watching')},
			},
			'backoff 3s (pods: ECONNREFUSED)',
			'bad',
		],
		['stalled beats listing', {overall: 'degraded', byKind: {pods: w('listing'), events: w('stalled')}}, 'stalled events', 'bad'],
		[
			'an error beats a backoff',
			{overall: 'offline', byKind: {pods: w('backoff', {retryInMs: 800}), deployments: w('error', {error: 'Forbidden'})}},
			'error (deployments: Forbidden)',
			'bad',
		],
	];
	for (const [name, connection, text, tone] of cases) {
		await t.test(name, () => assert.deepEqual(connectionSummary(connection, now), {text, tone}));
	}
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
