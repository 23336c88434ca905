import {test} from 'node:test';
import assert from 'node:assert/strict';

import type {Container, Deployment} from '../../source/model/types.js';
import type {Outage, Verdict} from '../../source/probe/stats.js';
import {gracefulPane} from '../../source/screen/graceful.js';
import {DEFAULT_THEME, type Theme} from '../../source/state/ui.js';
import {lineWith} from '../app/harness.js';
import {paneStyled, paneText} from '../helpers/paint.js';

// The graceful check of the screen model, drawn.
function drawGraceful(
	o: {width: number; height: number; deployment?: Deployment; verdict?: Verdict},
	theme: Theme = DEFAULT_THEME,
): string {
	return paneText(gracefulPane({theme, ...o}), theme);
}

// The overlay's text with borders removed and wrapped lines joined, so sentences can be matched whole.
function flat(frame: string): string {
	return frame
		.split('\n')
		.map((l) => l.replace(/^[│|] ?|[│|]\s*$/g, '').trim())
		.join(' ')
		.replace(/\s+/g, ' ');
}

function deployment(over: {
	replicas?: number;
	strategy?: NonNullable<Deployment['spec']>['strategy'];
	container?: Partial<Container>;
	grace?: number;
}): Deployment {
	return {
		metadata: {name: 'nginx', namespace: 'default'},
		spec: {
			replicas: over.replicas ?? 3,
			strategy: over.strategy ?? {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}},
			template: {
				metadata: {labels: {app: 'nginx'}},
				spec: {
					...(over.grace !== undefined ? {terminationGracePeriodSeconds: over.grace} : {}),
					containers: [{name: 'nginx', image: 'nginx:1.18', ...over.container}],
				},
			},
		},
	};
}

// A rollout's verdict as the probe session keeps it: `failed` of `probes`, refused or reset, in these episodes.
function verdict(
	revision: string,
	probes: number,
	outages: Omit<Outage, 'byReason' | 'open' | 'lastFailureAt' | 'okSinceFailure'>[],
): Verdict {
	const failed = outages.reduce((n, o) => n + o.failed, 0);
	return {
		revision,
		probes,
		failed,
		byReason: failed > 0 ? {refused: failed} : {},
		maxLatencyMs: 3,
		servedBy: ['nginx/1.18.0', 'nginx/1.20.1'],
		outages: outages.map((o) => ({...o, byReason: {refused: o.failed}, open: false, lastFailureAt: o.to, okSinceFailure: 0})),
		openedAt: 0,
		closedAt: 10_000,
	};
}

const graceful: Partial<Container> = {
	readinessProbe: {httpGet: {path: '/', port: 80}, initialDelaySeconds: 1, periodSeconds: 1},
	lifecycle: {preStop: {exec: {command: ['sleep', '5']}}},
};

test("the article's nginx deployment: no readinessProbe and no preStop, each with why and fix", () => {
	const frame = drawGraceful({width: 100, height: 20, deployment: deployment({})});
	assert.match(frame, /Was it graceful\? deployment nginx/);
	assert.match(frame, /2 settings let a rollout drop requests:/);
	assert.match(lineWith(frame, 'no readinessProbe (container nginx)') ?? '', /✗ no readinessProbe \(container nginx\)/);
	assert.match(flat(frame), /why: container nginx has no readinessProbe, so it receives traffic as soon as it starts/);
	assert.match(flat(frame), /fix: add a readinessProbe to nginx/);
	assert.match(lineWith(frame, 'no preStop delay') ?? '', /✗ no preStop delay \(container nginx\)/);
	assert.match(flat(frame), /why: container nginx has no preStop delay, so it gets SIGTERM while Services and proxies still route to it/);
	assert.match(flat(frame), /fix: add lifecycle\.preStop to nginx that sleeps a few seconds/);
	assert.doesNotMatch(frame, /Recreate|single replica/);
	assert.match(frame, /Esc or g closes this check/);
});

test("Recreate with one replica: both are named, and the probe's verdict is shown as evidence", () => {
	const d = deployment({replicas: 1, strategy: {type: 'Recreate'}, container: graceful});
	const outage = {from: 2000, to: 4000, failed: 9, probes: 9, blame: {stopping: [{name: 'nginx-6888-dhhts', preStop: true}], starting: []}};
	const frame = drawGraceful({width: 100, height: 22, deployment: d, verdict: verdict('3', 14, [outage])});
	assert.match(frame, /2 settings let a rollout drop requests:/);
	assert.match(frame, /✗ strategy Recreate +│/);
	assert.match(flat(frame), /why: strategy Recreate stops every old pod before any new one starts/);
	assert.match(flat(frame), /fix: use strategy RollingUpdate/);
	assert.match(frame, /✗ a single replica/);
	assert.match(flat(frame), /Probe: revision 3 rollout: 9 failed of 14 probes \(refused 9\)/);
	// Each finding's prediction beside what the probe saw: the outage both predict.
	assert.match(flat(frame), /predicted: an outage while the pods are replaced · observed: 9 failed in revision 3/);
	assert.match(flat(frame), /predicted: an outage at every rollout · observed: 9 failed in revision 3/);
	assert.doesNotMatch(frame, /no readinessProbe|no preStop/);
});

test('each prediction beside the evidence of its kind: drops on scale-down seen, none on scale-up, nothing probed yet', () => {
	// The article's deployment: no readinessProbe (drops on scale-up) and no preStop (drops on scale-down).
	const drops = {from: 2000, to: 2700, failed: 3, probes: 9, blame: {stopping: [{name: 'nginx-6888-dhhts', preStop: false}], starting: []}};
	const frame = flat(drawGraceful({width: 100, height: 20, deployment: deployment({}), verdict: verdict('4', 50, [drops])}));
	assert.match(frame, /predicted: drops on scale-down · observed: 3 failed in revision 4/);
	assert.match(frame, /predicted: drops on scale-up · observed: none in revision 4 \(3 failed of 50 probes\)/);
	const before = flat(drawGraceful({width: 100, height: 20, deployment: deployment({})}));
	assert.match(before, /predicted: drops on scale-down · observed: no rollout probed yet/);
});

test('a grace period no longer than the preStop sleep is named with the numbers', () => {
	const d = deployment({grace: 5, strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}, container: graceful});
	const frame = drawGraceful({width: 100, height: 12, deployment: d});
	assert.match(frame, /1 setting lets a rollout drop requests:/);
	assert.match(frame, /✗ terminationGracePeriodSeconds not longer than the preStop sleep \(container nginx\)/);
	assert.match(flat(frame), /terminationGracePeriodSeconds 5 is not longer than the 5s preStop sleep of nginx/);
});

test('a graceful deployment: nothing to fix', () => {
	const d = deployment({strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}, container: graceful});
	const frame = drawGraceful({width: 100, height: 10, deployment: d, verdict: verdict('2', 412, [])});
	assert.match(frame, /✓ nothing in these settings lets a rollout drop requests/);
	assert.doesNotMatch(frame, /✗/);
	assert.match(flat(frame), /Probe: revision 2 rollout: 0 failed of 412 probes, max 3 ms/);
});

test('too little room: the findings that fit, and how many more', () => {
	const d = deployment({replicas: 1, strategy: {type: 'Recreate'}});
	// Recreate, single replica, no readinessProbe, no preStop: four findings, room for about two.
	const frame = drawGraceful({width: 100, height: 13, deployment: d});
	assert.ok(frame.split('\n').length <= 13, frame);
	assert.match(frame, /4 settings let a rollout drop requests:/);
	assert.match(frame, /\+\d more: enlarge the terminal to see them/);
	assert.match(frame, /✗ strategy Recreate/);
	assert.match(frame, /Esc or g closes this check/);
});

test('no deployment selected', () => {
	assert.match(drawGraceful({width: 80, height: 8, deployment: undefined}), /Select a deployment to check its rollout settings/);
});

test('ASCII terminal without colour: plain marks and border', () => {
	const plainTheme = {color: false, unicode: false};
	const frame = drawGraceful({width: 100, height: 20, deployment: deployment({})}, plainTheme);
	assert.match(frame, /\| x no preStop delay \(container nginx\)/);
	assert.doesNotMatch(frame, /[✗✓─│┌]/);
	assert.equal(paneStyled(gracefulPane({theme: plainTheme, width: 100, height: 20, deployment: deployment({})}), plainTheme), false);
});
