// client-go's EventCorrelator rules (tools/record/events_cache.go), through the recorder the controllers use:
// exact repeats count up on one Event, the 10th different message of similar events within 10 minutes starts a
// "(combined from similar events): " Event that later ones update, and a source gets 25 events of a type about
// an object, then one more every 5 minutes.
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {ManualClock} from '../../../source/sim/clock.js';
import {EventRecorder} from '../../../source/sim/controllers/events.js';
import {Store, type KubeObject} from '../../../source/sim/store.js';

const deployment: KubeObject = {
	apiVersion: 'apps/v1',
	kind: 'Deployment',
	metadata: {name: 'nginx', namespace: 'default', uid: 'd-1', resourceVersion: '7'},
};
const source = {component: 'deployment-controller'};

function bed() {
	const clock = new ManualClock(Date.UTC(2024, 0, 1, 12, 0, 0));
	const store = new Store({now: () => clock.now()});
	const recorder = new EventRecorder(store, clock);
	const events = () => store.list('events').items.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
	const scaled = (n: number) =>
		recorder.record(source, deployment, 'Normal', 'ScalingReplicaSet', `Scaled up replica set nginx-abc to ${n}`);
	return {clock, store, recorder, events, scaled};
}

describe('EventCorrelator through EventRecorder', () => {
	test('an exact repeat raises count and lastTimestamp on the same Event, keeping firstTimestamp and name', () => {
		const {clock, recorder, events} = bed();
		recorder.record(source, deployment, 'Warning', 'SelectingAll', 'This deployment is selecting all pods.');
		const first = events()[0]!;
		clock.advance(61_000);
		recorder.record(source, deployment, 'Warning', 'SelectingAll', 'This deployment is selecting all pods.');
		clock.advance(61_000);
		recorder.record(source, deployment, 'Warning', 'SelectingAll', 'This deployment is selecting all pods.');
		const all = events();
		assert.equal(all.length, 1);
		assert.equal(all[0]!.metadata.name, first.metadata.name);
		assert.equal(all[0]!.count, 3);
		assert.equal(all[0]!.firstTimestamp, '2024-01-01T12:00:00Z');
		assert.equal(all[0]!.lastTimestamp, '2024-01-01T12:02:02Z');
	});

	test('nine different messages pass; the tenth starts one combined Event, which later ones update', () => {
		const {clock, events, scaled} = bed();
		for (let n = 1; n <= 9; n++) {
			scaled(n);
			clock.advance(1000);
		}
		assert.equal(events().length, 9);
		assert.ok(events().every((e) => !e.message.startsWith('(combined')));
		scaled(10);
		const combined = events().filter((e) => e.message.startsWith('(combined from similar events): '));
		assert.equal(combined.length, 1);
		assert.equal(combined[0]!.message, '(combined from similar events): Scaled up replica set nginx-abc to 10');
		assert.equal(combined[0]!.count, 1);
		assert.equal(combined[0]!.reason, 'ScalingReplicaSet');
		assert.match(combined[0]!.metadata.name!, /^nginx\.[0-9a-f]+$/);
		// client-go's aggregate copy has no reporting fields.
		assert.equal(combined[0]!.reportingComponent, '');
		assert.deepEqual(combined[0]!.source, {component: 'deployment-controller'});
		clock.advance(5000);
		scaled(11);
		const after = events().filter((e) => e.message.startsWith('(combined'));
		assert.equal(after.length, 1, 'the 11th updates the combined Event rather than adding one');
		assert.equal(after[0]!.metadata.name, combined[0]!.metadata.name);
		assert.equal(after[0]!.count, 2);
		assert.equal(after[0]!.message, '(combined from similar events): Scaled up replica set nginx-abc to 11');
		assert.equal(after[0]!.firstTimestamp, combined[0]!.firstTimestamp);
		assert.equal(events().length, 10);
	});

	test('other reasons, types and objects are aggregated apart', () => {
		const {recorder, events, scaled} = bed();
		for (let n = 1; n <= 9; n++) scaled(n);
		const other = {...deployment, metadata: {...deployment.metadata, name: 'other', uid: 'd-2'}};
		recorder.record(source, other, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set other-abc to 1');
		recorder.record(source, deployment, 'Warning', 'ScalingReplicaSet', 'Scaled up replica set nginx-abc to 1');
		recorder.record(source, deployment, 'Normal', 'DeploymentRollback', 'Rolled back deployment "nginx" to revision 1');
		assert.equal(events().filter((e) => e.message.startsWith('(combined')).length, 0);
	});

	test('after ten quiet minutes similar events start over', () => {
		const {clock, events, scaled} = bed();
		for (let n = 1; n <= 9; n++) scaled(n);
		clock.advance(600_001);
		scaled(10);
		assert.equal(events().filter((e) => e.message.startsWith('(combined')).length, 0);
	});

	test('spam filter: 25 events of a type about an object, then one more every 5 minutes', () => {
		const {clock, recorder, store} = bed();
		const pod: KubeObject = {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p', namespace: 'default', uid: 'p-1'}};
		const kubelet = {component: 'kubelet', host: 'node1'};
		const total = () => store.list('events').items.reduce((sum, e) => sum + (e.count ?? 1), 0);
		// Different reasons keep the aggregator out of the way (it groups by reason); they share the spam bucket.
		for (let i = 0; i < 30; i++) recorder.record(kubelet, pod, 'Normal', `Reason${i}`, `message ${i}`);
		assert.equal(total(), 25);
		// Warnings about the same pod have their own budget.
		recorder.record(kubelet, pod, 'Warning', 'Failed', 'Error: ErrImagePull');
		assert.equal(total(), 26);
		clock.advance(299_000);
		recorder.record(kubelet, pod, 'Normal', 'Late', 'too soon');
		assert.equal(total(), 26);
		clock.advance(2000);
		recorder.record(kubelet, pod, 'Normal', 'Later', 'one token refilled');
		recorder.record(kubelet, pod, 'Normal', 'Later2', 'but only one');
		assert.equal(total(), 27);
		assert.ok(store.list('events').items.some((e) => e.reason === 'Later'));
	});

	test('each kubelet has its own correlator: the same pod event from two nodes is two Events', () => {
		const {recorder, store} = bed();
		const pod: KubeObject = {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p', namespace: 'default', uid: 'p-1'}};
		recorder.record({component: 'kubelet', host: 'node1'}, pod, 'Normal', 'Pulled', 'x');
		recorder.record({component: 'kubelet', host: 'node2'}, pod, 'Normal', 'Pulled', 'x');
		recorder.record({component: 'kubelet', host: 'node1'}, pod, 'Normal', 'Pulled', 'x');
		assert.deepEqual(
			store
				.list('events')
				.items.map((e) => [e.source.host, e.count])
				.sort(),
			[
				['node1', 2],
				['node2', 1],
			],
		);
	});

	test('a repeat whose Event was deleted meanwhile is created again', () => {
		const {store, recorder} = bed();
		recorder.record(source, deployment, 'Normal', 'X', 'y');
		const [e] = store.list('events').items;
		store.delete('events', 'default', e!.metadata.name!);
		recorder.record(source, deployment, 'Normal', 'X', 'y');
		const again = store.list('events').items;
		assert.equal(again.length, 1);
		assert.equal(again[0]!.count, 2);
	});
});
