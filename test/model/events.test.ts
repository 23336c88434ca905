import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
	collapseEvents,
	deploymentEventFilter,
	eventCount,
	EventLog,
	eventTime,
	relatedToDeployment,
	rowInterval,
} from '../../source/model/events.js';
import {eventLine} from '../../source/screen/events.js';
import type {Deployment, KubeEvent} from '../../source/model/types.js';
import {NOW} from '../helpers/objects.js';

const ago = (s: number): string => new Date(NOW - s * 1000).toISOString().replace('.000Z', 'Z');

let seq = 0;
function ev(p: {
	kind?: string;
	name?: string;
	ns?: string;
	reason?: string;
	message?: string;
	type?: string;
	count?: number;
	first?: number;
	last?: number;
	uid?: string;
	objUid?: string;
	eventTime?: number;
	series?: {count: number; last: number};
}): KubeEvent {
	seq++;
	const name = p.name ?? 'nginx';
	return {
		metadata: {name: `${name}.17d${seq.toString(16).padStart(10, '0')}`, namespace: p.ns ?? 'default', uid: p.uid ?? `ev-${seq}`},
		involvedObject: {kind: p.kind ?? 'Deployment', name, namespace: p.ns ?? 'default', uid: p.objUid, apiVersion: 'apps/v1'},
		reason: p.reason ?? 'ScalingReplicaSet',
		message: p.message ?? 'Scaled up replica set nginx-7c974c65c6 to 1 from 0',
		type: p.type ?? 'Normal',
		source: {component: 'deployment-controller'},
		...(p.count !== undefined ? {count: p.count} : {}),
		...(p.first !== undefined ? {firstTimestamp: ago(p.first)} : {}),
		...(p.last !== undefined ? {lastTimestamp: ago(p.last)} : {}),
		...(p.eventTime !== undefined ? {eventTime: new Date(NOW - p.eventTime * 1000).toISOString()} : {}),
		...(p.series ? {series: {count: p.series.count, lastObservedTime: new Date(NOW - p.series.last * 1000).toISOString()}} : {}),
	};
}

test('eventTime prefers series.lastObservedTime, then lastTimestamp, then eventTime (kubectl events sort key)', () => {
	assert.equal(eventTime(ev({first: 60, last: 30, eventTime: 50, series: {count: 4, last: 5}})), NOW - 5000);
	assert.equal(eventTime(ev({first: 60, last: 30, eventTime: 50})), NOW - 30000);
	assert.equal(eventTime(ev({eventTime: 50})), NOW - 50000);
	assert.equal(eventTime(ev({})), undefined);
});

test('eventCount uses series.count, then count, never below 1', () => {
	assert.equal(eventCount(ev({count: 7})), 7);
	assert.equal(eventCount(ev({count: 7, series: {count: 12, last: 1}})), 12);
	assert.equal(eventCount(ev({})), 1);
	assert.equal(eventCount(ev({count: 0})), 1);
});

test("one event's LAST SEEN, as the events pane shows it, matches kubectl events", () => {
	const lastSeen = (e: KubeEvent) => eventLine(collapseEvents([e])[0], NOW).lastSeen;
	assert.equal(lastSeen(ev({first: 5, last: 5, count: 1})), '5s');
	assert.equal(lastSeen(ev({first: 300, last: 10, count: 3})), '10s (x3 over 5m)');
	assert.equal(lastSeen(ev({eventTime: 1200, series: {count: 12, last: 20}})), '20s (x12 over 20m)');
	assert.equal(lastSeen(ev({eventTime: 90})), '90s');
	assert.equal(lastSeen(ev({})), '<unknown>');
});

const dep: Deployment = {metadata: {name: 'nginx', namespace: 'default', uid: 'dep-uid-1'}};
const rsNames = ['nginx-7c974c65c6', 'nginx-5488545dcf'];
const podNames = ['nginx-7c974c65c6-x2k9p'];

const related: [string, KubeEvent, boolean][] = [
	['the Deployment itself', ev({kind: 'Deployment', name: 'nginx'}), true],
	['the Deployment, matching uid', ev({kind: 'Deployment', name: 'nginx', objUid: 'dep-uid-1'}), true],
	['a deleted-and-recreated Deployment of the same name (other uid)', ev({kind: 'Deployment', name: 'nginx', objUid: 'dep-uid-0'}), false],
	['another Deployment', ev({kind: 'Deployment', name: 'api'}), false],
	['same name in another namespace', ev({kind: 'Deployment', name: 'nginx', ns: 'staging'}), false],
	['one of its ReplicaSets', ev({kind: 'ReplicaSet', name: 'nginx-5488545dcf', reason: 'SuccessfulCreate'}), true],
	['a ReplicaSet of another Deployment', ev({kind: 'ReplicaSet', name: 'api-5d59d67564'}), false],
	['a listed pod', ev({kind: 'Pod', name: 'nginx-7c974c65c6-x2k9p', reason: 'Pulled'}), true],
	['a pod already gone, matched by <replicaset>-xxxxx', ev({kind: 'Pod', name: 'nginx-5488545dcf-q8v2n', reason: 'Killing'}), true],
	['a pod whose name only starts like a ReplicaSet', ev({kind: 'Pod', name: 'nginx-5488545dcf-extra-q8v2n'}), false],
	['a pod of another workload', ev({kind: 'Pod', name: 'api-5d59d67564-abcde'}), false],
	['a Service with the same name', ev({kind: 'Service', name: 'nginx'}), false],
];

for (const [name, event, want] of related) {
	test(`relatedToDeployment: ${name} -> ${want}`, () => {
		assert.equal(relatedToDeployment(event, dep, rsNames, podNames), want);
		assert.equal(deploymentEventFilter(dep, rsNames, podNames)(event), want);
	});
}

test('collapseEvents folds same object+reason+message, sums counts, spans first..last, sorts oldest first', () => {
	const a1 = ev({
		kind: 'Pod',
		name: 'nginx-5488545dcf-q8v2n',
		reason: 'BackOff',
		message: 'Back-off pulling image "nginx:1.277"',
		type: 'Normal',
		count: 3,
		first: 300,
		last: 100,
	});
	const a2 = ev({
		kind: 'Pod',
		name: 'nginx-5488545dcf-q8v2n',
		reason: 'BackOff',
		message: 'Back-off pulling image "nginx:1.277"  ',
		type: 'Normal',
		count: 2,
		first: 90,
		last: 10,
	});
	const b = ev({
		kind: 'Pod',
		name: 'nginx-5488545dcf-q8v2n',
		reason: 'Failed',
		message: 'Error: ImagePullBackOff',
		type: 'Warning',
		first: 50,
		last: 50,
	});
	const c = ev({kind: 'Deployment', name: 'nginx', reason: 'ScalingReplicaSet', first: 400, last: 400});
	const rows = collapseEvents([a2, b, c, a1]);
	assert.deepEqual(
		rows.map((r) => [r.kind, r.reason, r.count, r.firstMs, r.lastMs]),
		[
			['Deployment', 'ScalingReplicaSet', 1, NOW - 400000, NOW - 400000],
			['Pod', 'Failed', 1, NOW - 50000, NOW - 50000],
			['Pod', 'BackOff', 5, NOW - 300000, NOW - 10000],
		],
	);
	assert.equal(rowInterval(rows[2], NOW), '10s (x5 over 5m)');
	assert.equal(rowInterval(rows[1], NOW), '50s');
	assert.equal(rows[2].message, 'Back-off pulling image "nginx:1.277"');
});

test('collapseEvents keeps rows apart when the message differs (different ReplicaSet scaled)', () => {
	const rows = collapseEvents([
		ev({message: 'Scaled up replica set nginx-5488545dcf to 1 from 0', first: 30, last: 30}),
		ev({message: 'Scaled down replica set nginx-7c974c65c6 to 2 from 3', first: 20, last: 20}),
	]);
	assert.equal(rows.length, 2);
	assert.deepEqual(
		rows.map((r) => r.message.split(' ')[1]),
		['up', 'down'],
	);
});

test('EventLog: a MODIFIED event replaces its earlier copy instead of double counting', () => {
	const log = new EventLog();
	const first = ev({uid: 'same', kind: 'Pod', name: 'nginx-5488545dcf-q8v2n', reason: 'BackOff', count: 1, first: 60, last: 60});
	log.upsert(first);
	log.upsert({...first, count: 4, lastTimestamp: ago(2)});
	assert.equal(log.size, 1);
	assert.equal(log.rows()[0].count, 4);
	assert.equal(rowInterval(log.rows()[0], NOW), '2s (x4 over 60s)');
	assert.equal(log.remove(first), true);
	assert.equal(log.remove(first), false);
	assert.equal(log.rows().length, 0);
});

test('EventLog is bounded: it keeps the most recent max events and drops the oldest', () => {
	const log = new EventLog(3);
	for (let i = 0; i < 5; i++) log.upsert(ev({uid: `u${i}`, message: `m${i}`, first: 100 - i, last: 100 - i}));
	assert.equal(log.size, 3);
	assert.deepEqual(
		log.rows().map((r) => r.message),
		['m2', 'm3', 'm4'],
	);
	// An event older than everything held is the one dropped.
	log.upsert(ev({uid: 'old', message: 'ancient', first: 9999, last: 9999}));
	assert.deepEqual(
		log.rows().map((r) => r.message),
		['m2', 'm3', 'm4'],
	);
});

test('EventLog default bound is 500 and keeps the newest 500 through an event storm', () => {
	const log = new EventLog();
	assert.equal(log.max, 500);
	for (let i = 0; i < 20000; i++) log.upsert(ev({uid: `s${i}`, message: `storm ${i}`, first: 20000 - i, last: 20000 - i}));
	assert.equal(log.size, 500);
	const rows = log.rows();
	assert.equal(rows.length, 500);
	assert.equal(rows[rows.length - 1].message, 'storm 19999');
	assert.equal(rows[0].message, 'storm 19500');
});

test('EventLog.replaceAll (a list) keeps what clearing and upserting the events oldest first keeps, in the same order', () => {
	fc.assert(
		fc.property(
			fc.array(
				fc.record({
					uid: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'),
					// Seconds ago, or no time at all; few values, so that times tie.
					last: fc.option(fc.integer({min: 0, max: 5}), {nil: undefined}),
				}),
				{maxLength: 30},
			),
			fc.integer({min: 1, max: 12}),
			(specs, max) => {
				const events = specs.map((p, i) => ev({uid: p.uid, message: `m${i}`, last: p.last}));
				const listed = new EventLog(max);
				listed.upsert(ev({uid: 'held before', last: 0}));
				listed.replaceAll(events);
				const upserted = new EventLog(max);
				for (const e of [...events].sort((a, b) => (eventTime(a) ?? 0) - (eventTime(b) ?? 0))) upserted.upsert(e);
				assert.deepEqual(
					listed.events().map((e) => e.message),
					upserted.events().map((e) => e.message),
				);
				assert.deepEqual(listed.rows(), upserted.rows());
			},
		),
		{numRuns: 500},
	);
});

test('EventLog caches unfiltered rows until something changes, and filters on demand', () => {
	const log = new EventLog();
	log.upsert(ev({kind: 'Deployment', name: 'nginx', first: 10, last: 10}));
	log.upsert(ev({kind: 'Deployment', name: 'api', first: 5, last: 5}));
	const r1 = log.rows();
	assert.equal(log.rows(), r1);
	const rev = log.revision;
	log.upsert(ev({kind: 'Pod', name: 'nginx-7c974c65c6-x2k9p', first: 1, last: 1}));
	assert.notEqual(log.rows(), r1);
	assert.ok(log.revision > rev);
	const mine = log.rows(deploymentEventFilter(dep, rsNames, podNames));
	assert.deepEqual(
		mine.map((r) => r.name),
		['nginx', 'nginx-7c974c65c6-x2k9p'],
	);
	log.clear();
	assert.equal(log.size, 0);
	assert.throws(() => new EventLog(0), RangeError);
});
