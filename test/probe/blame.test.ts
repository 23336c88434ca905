import {test} from 'node:test';
import assert from 'node:assert/strict';
import {blameEpisode, episodeKind, formatBlame, PodHistory, shortPodName, STOPPED_GRACE_MS} from '../../source/probe/blame.js';
import {formatOutage, tallyOf} from '../../source/probe/stats.js';
import type {ProbeResult} from '../../source/probe/prober.js';
import type {Pod} from '../../source/model/types.js';

const T0 = Date.parse('2026-01-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function pod(name: string, o: {ready?: number; deleting?: number; grace?: number; preStop?: boolean} = {}): Pod {
	return {
		metadata: {
			name,
			...(o.deleting === undefined
				? {}
				: {deletionTimestamp: iso(o.deleting + (o.grace ?? 30) * 1000), deletionGracePeriodSeconds: o.grace ?? 30}),
		},
		spec: {containers: [{name: 'nginx', ...(o.preStop ? {lifecycle: {preStop: {sleep: {seconds: 5}}}} : {})}]},
		status: {conditions: o.ready === undefined ? [] : [{type: 'Ready', status: 'True', lastTransitionTime: iso(o.ready)}]},
	};
}

test('shortPodName: the hash cut to 4 characters, other names as they are', () => {
	assert.equal(shortPodName('nginx-84b4b9f45b-xq5tc'), 'nginx-84b4-xq5tc');
	assert.equal(shortPodName('my-app-7d9f8c6b5-abcde'), 'my-app-7d9f-abcde');
	assert.equal(shortPodName('standalone'), 'standalone');
});

test('PodHistory: ready, terminating (deletionTimestamp minus its grace period) and gone, from successive observations', () => {
	const h = new PodHistory();
	const a = pod('nginx-aaaaaaaaa-aaaaa', {ready: T0 - 60_000});
	const b = pod('nginx-bbbbbbbbb-bbbbb');
	h.observe([a, b], T0);
	h.observe(
		[pod('nginx-aaaaaaaaa-aaaaa', {ready: T0 - 60_000, deleting: T0 + 2000}), pod('nginx-bbbbbbbbb-bbbbb', {ready: T0 + 1000})],
		T0 + 2300,
	);
	h.observe([pod('nginx-bbbbbbbbb-bbbbb', {ready: T0 + 1000})], T0 + 4000);
	const [la, lb] = h.all();
	assert.deepEqual(la, {
		name: 'nginx-aaaaaaaaa-aaaaa',
		firstSeen: T0,
		readyAt: T0 - 60_000,
		terminatingAt: T0 + 2000,
		goneAt: T0 + 4000,
		preStop: false,
	});
	assert.deepEqual(lb, {name: 'nginx-bbbbbbbbb-bbbbb', firstSeen: T0, readyAt: T0 + 1000, preStop: false});
	const rev = h.revision;
	const same: Pod[] = [pod('nginx-bbbbbbbbb-bbbbb', {ready: T0 + 1000})];
	h.observe(same, T0 + 5000);
	h.observe(same, T0 + 6000);
	assert.equal(h.revision, rev, 'nothing changed, nothing recorded');
});

test('PodHistory: a pod seen only after it was deleted is terminating from when the watch said so, if that is earlier', () => {
	const h = new PodHistory();
	// deletionTimestamp says T0+5 s minus 30 s grace, but the pod was first seen at T0: the earlier one wins.
	h.observe([pod('p-123456-abcde', {deleting: T0 + 5000})], T0 + 1000);
	assert.equal(h.all()[0].terminatingAt, T0 + 1000);
});

test('blameEpisode: pods terminating during the episode, or gone just before it; else pods not yet ready', () => {
	const lives = [
		{name: 'old-1111111-aaaaa', firstSeen: T0, readyAt: T0, terminatingAt: T0 + 1000, goneAt: T0 + 3000, preStop: false},
		{name: 'old-1111111-bbbbb', firstSeen: T0, readyAt: T0, terminatingAt: T0 + 20_000, preStop: false},
		{name: 'new-2222222-ccccc', firstSeen: T0 + 500, readyAt: T0 + 2500, preStop: false},
		{name: 'gone-333333-ddddd', firstSeen: T0, readyAt: T0, terminatingAt: T0 - 60_000, goneAt: T0 - 50_000, preStop: false},
	];
	const during = blameEpisode({from: T0 + 1500, to: T0 + 2000}, lives);
	assert.deepEqual(during, {stopping: [{name: 'old-1111111-aaaaa', preStop: false}], starting: ['new-2222222-ccccc']});
	// Gone 1 s before, proxies may still route to it: still blamed. Gone long before: not.
	const after = blameEpisode({from: T0 + 4000, to: T0 + 4200}, lives);
	assert.deepEqual(
		after.stopping.map((s) => s.name),
		['old-1111111-aaaaa'],
	);
	// Both: the pod still terminating during the episode is named before the one gone just before it.
	const both = blameEpisode({from: T0 + 20_500, to: T0 + 21_000}, [
		{...lives[0], terminatingAt: T0 + 18_000, goneAt: T0 + 19_000},
		lives[1],
	] as typeof lives);
	assert.deepEqual(
		both.stopping.map((s) => s.name),
		['old-1111111-bbbbb', 'old-1111111-aaaaa'],
	);
	// Both still terminating (the last rollout's pod has not gone yet): the one that began to terminate latest, the
	// one this rollout stops, is named first.
	const stillBoth = blameEpisode({from: T0 + 20_500, to: T0 + 21_000}, [
		{...lives[0], terminatingAt: T0 + 5_000, goneAt: undefined},
		lives[1],
	] as typeof lives);
	assert.deepEqual(
		stillBoth.stopping.map((s) => s.name),
		['old-1111111-bbbbb', 'old-1111111-aaaaa'],
	);
	// A Recreate's own pods, gone just before the probe's first failure, and a pod of the rollout before still
	// terminating: the Recreate's pods, which began to terminate latest, are named first.
	const recreate = blameEpisode({from: T0 + 31_000, to: T0 + 33_000}, [
		{name: 'web-1111111-aaaaa', firstSeen: T0, readyAt: T0, terminatingAt: T0 + 20_000, preStop: false},
		{
			name: 'web-2222222-bbbbb',
			firstSeen: T0 + 10_000,
			readyAt: T0 + 12_000,
			terminatingAt: T0 + 30_000,
			goneAt: T0 + 30_800,
			preStop: false,
		},
		{
			name: 'web-2222222-ccccc',
			firstSeen: T0 + 10_000,
			readyAt: T0 + 12_000,
			terminatingAt: T0 + 30_000,
			goneAt: T0 + 30_900,
			preStop: false,
		},
	]);
	assert.deepEqual(
		recreate.stopping.map((s) => s.name),
		['web-2222222-bbbbb', 'web-2222222-ccccc', 'web-1111111-aaaaa'],
	);
	const later = blameEpisode({from: T0 + 3000 + STOPPED_GRACE_MS + 1, to: T0 + 9000}, lives);
	assert.deepEqual(later, {stopping: [], starting: []});
	// Before anything stopped, a pod not yet ready is the suspect.
	assert.deepEqual(blameEpisode({from: T0 + 600, to: T0 + 900}, lives), {stopping: [], starting: ['new-2222222-ccccc']});
});

test('formatBlame names the pods, says when none had preStop, and keeps to three names', () => {
	assert.equal(
		formatBlame({stopping: [{name: 'nginx-84b4b9f45b-xq5tc', preStop: false}], starting: []}),
		'while nginx-84b4-xq5tc was terminating (no preStop)',
	);
	assert.equal(
		formatBlame({
			stopping: [
				{name: 'a-1234567-aaaaa', preStop: true},
				{name: 'a-1234567-bbbbb', preStop: true},
			],
			starting: [],
		}),
		'while a-1234-aaaaa, a-1234-bbbbb were terminating',
	);
	assert.equal(
		formatBlame({stopping: [], starting: ['a-1234567-aaaaa', 'a-1234567-bbbbb', 'a-1234567-ccccc', 'a-1234567-ddddd']}),
		'while a-1234-aaaaa, a-1234-bbbbb, a-1234-ccccc +1 were not yet ready',
	);
	assert.equal(formatBlame({stopping: [], starting: []}), '');
	assert.equal(formatBlame(undefined), '');
});

test('an episode line carries its blame, and its kind follows from it', () => {
	const r = (seq: number, at: number, ok: boolean): ProbeResult =>
		ok ? {seq, at, ok, status: 200, latencyMs: 2} : {seq, at, ok, latencyMs: 1, error: 'reset'};
	const [drops] = tallyOf([r(1, T0, false), r(2, T0 + 200, true), r(3, T0 + 400, false), r(4, T0 + 600, true)]).outages;
	const blamed = {...drops, blame: {stopping: [{name: 'nginx-84b4b9f45b-xq5tc', preStop: false}], starting: []}};
	assert.match(
		formatOutage(blamed),
		/^drops for 600 ms from \d\d:\d\d:\d\d: 2 of 3 probes failed \(reset 2\) while nginx-84b4-xq5tc was terminating \(no preStop\)$/,
	);
	assert.equal(episodeKind(blamed), 'scale-down-drops');
	assert.equal(episodeKind({...drops, blame: {stopping: [], starting: ['x']}}), 'scale-up-drops');
	assert.equal(episodeKind(drops), 'drops');
	const [outage] = tallyOf([r(1, T0, false), r(2, T0 + 200, false), r(3, T0 + 400, true)]).outages;
	assert.equal(episodeKind({...outage, blame: blamed.blame}), 'outage');
});
