// events.k8s.io/v1: the same stored Events as core/v1 through the newer API's fields, with the apiserver's
// mapping (pkg/apis/events/v1/conversion.go), its field labels and its stricter validation for new writes;
// over raw HTTP, and with every installed kubectl (1.27 to 1.33) listing and watching both APIs.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {eventFromV1, eventToV1} from '../../../source/sim/codec/events-v1.js';
import type {KubeObject} from '../../../source/sim/store.js';
import {allKubectlVersions} from '../../helpers/kubectl.js';
import {startTestServer, storeSnapshot, waitFor, type TestServer} from './helpers.js';

const coreEvents = '/api/v1/namespaces/default/events';
const v1Events = '/apis/events.k8s.io/v1/namespaces/default/events';

/** An event as client-go's core/v1 recorder writes it (kubelet, controllers). */
const coreEvent = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({
	apiVersion: 'v1',
	kind: 'Event',
	metadata: {name, namespace: 'default'},
	involvedObject: {kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u-1', apiVersion: 'v1', fieldPath: 'spec.containers{web}'},
	reason: 'Started',
	message: 'Started container web',
	source: {component: 'kubelet', host: 'node1'},
	firstTimestamp: '2024-05-01T10:00:00Z',
	lastTimestamp: '2024-05-01T10:00:05Z',
	count: 2,
	type: 'Normal',
	eventTime: null,
	reportingComponent: 'kubelet',
	reportingInstance: 'node1',
	...extra,
});

/** An event as client-go's events.k8s.io/v1 recorder writes it (the scheduler). */
const v1Event = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({
	apiVersion: 'events.k8s.io/v1',
	kind: 'Event',
	metadata: {name, namespace: 'default'},
	eventTime: '2024-05-01T10:00:00.123456Z',
	reportingController: 'default-scheduler',
	reportingInstance: 'default-scheduler-node1',
	action: 'Binding',
	reason: 'Scheduled',
	regarding: {kind: 'Pod', namespace: 'default', name: 'web-2', uid: 'u-2', apiVersion: 'v1'},
	note: 'Successfully assigned default/web-2 to node2',
	type: 'Normal',
	...extra,
});

describe('the conversion', () => {
	test('core/v1 to events.k8s.io/v1: regarding, note, reportingController, deprecated* fields, Go field order and nulls', () => {
		const v1 = eventToV1(coreEvent('a'));
		assert.deepEqual(Object.keys(v1), [
			'kind',
			'apiVersion',
			'metadata',
			'eventTime',
			'reportingController',
			'reportingInstance',
			'reason',
			'regarding',
			'note',
			'type',
			'deprecatedSource',
			'deprecatedFirstTimestamp',
			'deprecatedLastTimestamp',
			'deprecatedCount',
		]);
		assert.equal(v1.eventTime, null);
		assert.equal(v1.note, 'Started container web');
		assert.equal(v1.regarding.fieldPath, 'spec.containers{web}');
		assert.equal(v1.reportingController, 'kubelet');
		assert.deepEqual(v1.deprecatedSource, {component: 'kubelet', host: 'node1'});
		assert.equal(v1.deprecatedFirstTimestamp, '2024-05-01T10:00:00Z');
		assert.equal(v1.deprecatedLastTimestamp, '2024-05-01T10:00:05Z');
		assert.equal(v1.deprecatedCount, 2);
	});
	test('events.k8s.io/v1 to core/v1 and back keeps every field; series carries over', () => {
		const series = {count: 3, lastObservedTime: '2024-05-01T10:01:00.000000Z'};
		const written = v1Event('b', {series, related: {kind: 'Node', name: 'node2', apiVersion: 'v1'}});
		const core = eventFromV1(written);
		assert.equal(core.message, written.note);
		assert.deepEqual(core.involvedObject, written.regarding);
		assert.equal(core.reportingComponent, 'default-scheduler');
		assert.equal(core.reportingInstance, 'default-scheduler-node1');
		assert.deepEqual(core.series, series);
		assert.equal(core.firstTimestamp, undefined);
		assert.equal(core.count, undefined);
		const back = eventToV1(core);
		for (const key of Object.keys(written)) assert.deepEqual(back[key], written[key], key);
		// Struct fields the new API leaves empty still appear, as Go writes them.
		assert.deepEqual(back.deprecatedSource, {});
		assert.equal(back.deprecatedFirstTimestamp, null);
	});
	test('eventTime is written back in UTC with its six fractional digits, as metav1.MicroTime is; another form is left for the decoder to refuse', () => {
		assert.equal(eventFromV1(v1Event('c', {eventTime: '2024-05-01T12:00:00.500000+02:00'})).eventTime, '2024-05-01T10:00:00.500000Z');
		assert.equal(eventFromV1(v1Event('c', {eventTime: '2024-05-01T12:00:00.5+02:00'})).eventTime, '2024-05-01T12:00:00.5+02:00');
	});
});

describe('events.k8s.io/v1 over raw HTTP', () => {
	let t: TestServer;
	before(async () => {
		t = await startTestServer();
		t.store.create('events', coreEvent('from-kubelet'));
	});
	after(() => t.close());

	test('list and get serve the stored core events in the v1 shape', async () => {
		const list = await t.call('GET', v1Events);
		assert.equal(list.status, 200);
		assert.equal(list.json.kind, 'EventList');
		assert.equal(list.json.apiVersion, 'events.k8s.io/v1');
		const item = list.json.items.find((e: any) => e.metadata.name === 'from-kubelet');
		assert.equal(item.kind, 'Event');
		assert.equal(item.apiVersion, 'events.k8s.io/v1');
		assert.equal(item.note, 'Started container web');
		assert.equal(item.regarding.name, 'web-1');
		const one = await t.call('GET', `${v1Events}/from-kubelet`);
		assert.deepEqual(one.json, item);
		const missing = await t.call('GET', `${v1Events}/nope`);
		assert.equal(missing.status, 404);
		assert.equal(missing.json.message, 'events.events.k8s.io "nope" not found');
	});

	test('a create through events.k8s.io/v1 is the same object through core/v1', async () => {
		const created = await t.call('POST', v1Events, {body: v1Event('scheduled.1')});
		assert.equal(created.status, 201, created.text);
		assert.equal(created.json.apiVersion, 'events.k8s.io/v1');
		assert.equal(created.json.eventTime, '2024-05-01T10:00:00.123456Z');
		const core = await t.call('GET', `${coreEvents}/scheduled.1`);
		assert.equal(core.json.apiVersion, 'v1');
		assert.equal(core.json.message, 'Successfully assigned default/web-2 to node2');
		assert.equal(core.json.involvedObject.name, 'web-2');
		assert.equal(core.json.reportingComponent, 'default-scheduler');
		assert.equal(core.json.action, 'Binding');
		assert.equal(core.json.metadata.uid, created.json.metadata.uid);
		assert.equal(core.json.metadata.resourceVersion, created.json.metadata.resourceVersion);
	});

	test('a watch on events.k8s.io/v1 sees an event created through core/v1, and the other way round', async () => {
		const rv = t.store.resourceVersion;
		const v1Watch = t.call('GET', `${v1Events}?watch=true&resourceVersion=${rv}&timeoutSeconds=1`);
		const coreWatch = t.call('GET', `${coreEvents}?watch=true&resourceVersion=${rv}&timeoutSeconds=1`);
		await new Promise((r) => setTimeout(r, 100));
		assert.equal((await t.call('POST', coreEvents, {body: coreEvent('core-written')})).status, 201);
		assert.equal((await t.call('POST', v1Events, {body: v1Event('v1-written')})).status, 201);
		const lines = (text: string) =>
			text
				.split('\n')
				.filter(Boolean)
				.map((l) => JSON.parse(l));
		const seenByV1 = lines((await v1Watch).text);
		const seenByCore = lines((await coreWatch).text);
		assert.deepEqual(
			seenByV1.map((e) => [e.type, e.object.apiVersion, e.object.metadata.name, e.object.note]),
			[
				['ADDED', 'events.k8s.io/v1', 'core-written', 'Started container web'],
				['ADDED', 'events.k8s.io/v1', 'v1-written', 'Successfully assigned default/web-2 to node2'],
			],
		);
		assert.deepEqual(
			seenByCore.map((e) => [e.type, e.object.apiVersion, e.object.metadata.name, e.object.message]),
			[
				['ADDED', 'v1', 'core-written', 'Started container web'],
				['ADDED', 'v1', 'v1-written', 'Successfully assigned default/web-2 to node2'],
			],
		);
	});

	test("field selectors use events.k8s.io's labels (regarding.name, reportingController); core's are 400", async () => {
		const byRegarding = await t.call('GET', `${v1Events}?fieldSelector=regarding.name%3Dweb-2`);
		assert.equal(byRegarding.status, 200);
		assert.deepEqual(
			byRegarding.json.items.map((e: any) => e.metadata.name),
			['scheduled.1', 'v1-written'],
		);
		const byController = await t.call('GET', `${v1Events}?fieldSelector=reportingController%3Ddefault-scheduler`);
		assert.equal(byController.json.items.length, 2);
		const coreLabel = await t.call('GET', `${v1Events}?fieldSelector=involvedObject.name%3Dweb-2`);
		assert.equal(coreLabel.status, 400);
		assert.equal(coreLabel.json.message, 'field label not supported: involvedObject.name');
	});

	test('writes through events.k8s.io/v1 get the strict validation; core/v1 keeps the legacy rules', async () => {
		const before = storeSnapshot(t.store);
		const old = {...v1Event('old-style'), eventTime: undefined, deprecatedCount: 3, type: 'Info'};
		const r = await t.call('POST', v1Events, {body: old});
		assert.equal(r.status, 422);
		assert.equal(
			r.json.message,
			'Event.events.k8s.io "old-style" is invalid: [eventTime: Required value, type: Invalid value: "": has invalid value: Info, count: Invalid value: "": needs to be unset]',
		);
		const noController = await t.call('POST', v1Events, {body: v1Event('no-controller', {reportingController: ''})});
		assert.equal(noController.status, 422);
		assert.match(noController.json.message, /^Event\.events\.k8s\.io "no-controller" is invalid: \[reportingController: Required value, /);
		assert.equal(storeSnapshot(t.store), before);
		// The same old-style event is fine through core/v1, as client-go's core recorder writes it.
		const core = await t.call('POST', coreEvents, {body: coreEvent('legacy-ok', {type: 'Info'})});
		assert.equal(core.status, 201, core.text);
		// A prefixed controller name (example.com/tester) is a valid qualified name.
		const prefixed = await t.call('POST', v1Events, {body: v1Event('prefixed', {reportingController: 'example.com/tester'})});
		assert.equal(prefixed.status, 201, prefixed.text);
	});

	test('update and patch go through the v1 shape and store the core form', async () => {
		const got = (await t.call('GET', `${v1Events}/scheduled.1`)).json;
		const series = {count: 2, lastObservedTime: '2024-05-01T10:02:00.000000Z'};
		const put = await t.call('PUT', `${v1Events}/scheduled.1`, {body: {...got, series}});
		assert.equal(put.status, 200, put.text);
		assert.deepEqual(t.store.get('events', 'default', 'scheduled.1')!.series, series);
		const patched = await t.call('PATCH', `${v1Events}/scheduled.1`, {
			body: {series: {count: 3, lastObservedTime: '2024-05-01T10:03:00.000000Z'}},
			contentType: 'application/merge-patch+json',
		});
		assert.equal(patched.status, 200, patched.text);
		assert.equal(patched.json.series.count, 3);
		assert.equal(t.store.get('events', 'default', 'scheduled.1')!.series.count, 3);
		const badSeries = await t.call('PATCH', `${v1Events}/scheduled.1`, {
			body: {series: {count: 1}},
			contentType: 'application/merge-patch+json',
		});
		assert.equal(badSeries.status, 422);
		assert.match(badSeries.json.message, /series\.count: Invalid value: "": should be at least 2/);
	});
	test('an update through events.k8s.io/v1 may change only the series: every other field is immutable, in the apiserver words', async () => {
		const created = await t.call('POST', v1Events, {body: v1Event('immutable')});
		assert.equal(created.status, 201, created.text);
		const before = storeSnapshot(t.store);
		const put = (body: KubeObject) => t.call('PUT', `${v1Events}/immutable`, {body});
		const got = (await t.call('GET', `${v1Events}/immutable`)).json;
		// ValidateEventUpdate names the internal type's fields (message, involvedObject, reportingController) and
		// prints the new value as Go does: strings quoted, structs as %#v, times as time.Time.String().
		const cases: [change: Partial<KubeObject>, message: string][] = [
			[{note: 'rewritten'}, 'message: Invalid value: "rewritten": field is immutable'],
			[{reason: 'Bound'}, 'reason: Invalid value: "Bound": field is immutable'],
			[{type: 'Warning'}, 'type: Invalid value: "Warning": field is immutable'],
			[{action: 'Evicting'}, 'action: Invalid value: "Evicting": field is immutable'],
			[{reportingController: 'other-scheduler'}, 'reportingController: Invalid value: "other-scheduler": field is immutable'],
			[
				{regarding: {...got.regarding, name: 'web-3'}},
				'involvedObject: Invalid value: core.ObjectReference{Kind:"Pod", Namespace:"default", Name:"web-3", UID:"u-2", APIVersion:"v1", ResourceVersion:"", FieldPath:""}: field is immutable',
			],
			[{eventTime: '2024-05-01T10:00:01.500000Z'}, 'eventTime: Invalid value: 2024-05-01 10:00:01.5 +0000 UTC: field is immutable'],
			[
				{related: {kind: 'Node', name: 'node2', apiVersion: 'v1'}},
				'related: Invalid value: core.ObjectReference{Kind:"Node", Namespace:"", Name:"node2", UID:"", APIVersion:"v1", ResourceVersion:"", FieldPath:""}: field is immutable',
			],
		];
		for (const [change, message] of cases) {
			const r = await put({...got, ...change});
			assert.equal(r.status, 422, JSON.stringify(change));
			assert.equal(r.json.message, `Event.events.k8s.io "immutable" is invalid: ${message}`);
		}
		// Two at once, reason checked twice by the apiserver: the causes say it twice, the message once.
		const two = await put({...got, reason: 'Bound', note: 'rewritten'});
		assert.equal(
			two.json.message,
			'Event.events.k8s.io "immutable" is invalid: [reason: Invalid value: "Bound": field is immutable, message: Invalid value: "rewritten": field is immutable]',
		);
		assert.deepEqual(
			two.json.details.causes.map((c: {field: string}) => c.field),
			['reason', 'message', 'reason'],
		);
		assert.equal(storeSnapshot(t.store), before, 'nothing was changed by a refused update');
		// The same eventTime written in another zone is the same instant: not a change.
		const sameInstant = await put({
			...got,
			eventTime: '2024-05-01T12:00:00.123456+02:00',
			series: {count: 2, lastObservedTime: '2024-05-01T10:01:00.000000Z'},
		});
		assert.equal(sameInstant.status, 200, sameInstant.text);
		assert.equal(sameInstant.json.eventTime, '2024-05-01T10:00:00.123456Z');
		// Through core/v1 the legacy rules apply: the message may change.
		const core = (await t.call('GET', `${coreEvents}/immutable`)).json;
		const legacy = await t.call('PUT', `${coreEvents}/immutable`, {body: {...core, message: 'rewritten through core/v1'}});
		assert.equal(legacy.status, 200, legacy.text);
	});

	test('eventTime decodes as metav1.MicroTime does: exactly six fractional digits, else 400 in the decoder words', async () => {
		const before = storeSnapshot(t.store);
		for (const [eventTime, rest, elem] of [
			['2024-05-01T10:00:00Z', 'Z', '.000000'],
			['2024-05-01T10:00:00.123Z', '.123Z', '.000000'],
			['2024-05-01T10:00:00.123456789Z', '789Z', 'Z07:00'],
		] as const) {
			for (const path of [v1Events, coreEvents]) {
				const body =
					path === v1Events
						? v1Event('micro', {eventTime})
						: coreEvent('micro', {eventTime, firstTimestamp: undefined, lastTimestamp: undefined, count: undefined, action: 'Started'});
				const r = await t.call('POST', path, {body});
				assert.equal(r.status, 400, `${path} ${eventTime}: ${r.text}`);
				assert.equal(
					r.json.message,
					`Event in version "v1" cannot be handled as a Event: parsing time "${eventTime}" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "${rest}" as "${elem}"`,
				);
			}
		}
		const series = await t.call('POST', v1Events, {body: v1Event('micro', {series: {count: 2, lastObservedTime: '2024-05-01T10:00:00Z'}})});
		assert.equal(series.status, 400);
		assert.match(series.json.message, /cannot parse "Z" as "\.000000"$/);
		assert.equal(storeSnapshot(t.store), before);
		// Six digits in any zone are taken, and written back in UTC.
		const ok = await t.call('POST', v1Events, {body: v1Event('micro', {eventTime: '2024-05-01T12:00:00.000001+02:00'})});
		assert.equal(ok.status, 201, ok.text);
		assert.equal(ok.json.eventTime, '2024-05-01T10:00:00.000001Z');
	});
});

// One kubectl at a time: a watch test creating events must not land between another version's two listings.
describe('kubectl get events and events.v1.events.k8s.io', {concurrency: 1}, () => {
	let t: TestServer;
	let dir: string;
	let kubeconfig: string;
	let n = 0;
	before(async () => {
		t = await startTestServer();
		const now = Date.now();
		const iso = (ago: number) => new Date(now - ago * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		t.store.create(
			'events',
			coreEvent('pulled', {
				reason: 'Pulled',
				message: 'Container image "nginx:1.18" already present on machine',
				firstTimestamp: iso(30 * 60),
				lastTimestamp: iso(30 * 60),
				count: 1,
			}),
		);
		t.store.create(
			'events',
			coreEvent('backoff', {
				type: 'Warning',
				reason: 'BackOff',
				message: 'Back-off restarting failed container',
				firstTimestamp: iso(20 * 60 + 30),
				lastTimestamp: iso(10 * 60 + 30),
				count: 4,
			}),
		);
		t.store.create(
			'events',
			eventFromV1(v1Event('scheduled', {eventTime: new Date(now - 40 * 60_000).toISOString().replace('Z', '000Z')})),
		);
		dir = mkdtempSync(join(tmpdir(), 'sim-events-v1-'));
		kubeconfig = join(dir, 'kubeconfig');
		writeFileSync(kubeconfig, t.server.kubeconfig(), {mode: 0o600});
	});
	after(async () => {
		await t.close();
		rmSync(dir, {recursive: true, force: true});
	});

	const run = (bin: string, args: string[]) =>
		new Promise<{code: number; stdout: string; stderr: string}>((resolve) =>
			execFile(
				bin,
				['--kubeconfig', kubeconfig, '--cache-dir', join(dir, `cache-${bin.split('.').pop()}`), ...args],
				{timeout: 20_000},
				(error, stdout, stderr) => resolve({code: error ? 1 : 0, stdout, stderr}),
			),
		);

	const watch = (bin: string, resource: string) => {
		const child = spawn(
			bin,
			['--kubeconfig', kubeconfig, '--cache-dir', join(dir, `cache-${bin.split('.').pop()}`), 'get', resource, '-w'],
			{
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		let out = '';
		child.stdout.on('data', (d) => {
			out += String(d);
		});
		child.stderr.on('data', (d) => {
			out += String(d);
		});
		const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
		return {
			output: () => out,
			stop() {
				clearTimeout(killer);
				child.kill('SIGTERM');
			},
		};
	};

	for (const {name, bin} of allKubectlVersions) {
		describe(name, () => {
			before(() => assert.ok(existsSync(bin), `${bin} is needed: the suite judges the sim with kubectl 1.27 to 1.33`));

			test('get events.v1.events.k8s.io lists the same rows as get events (and -o wide)', async () => {
				for (const extra of [[], ['-o', 'wide']]) {
					const core = await run(bin, ['get', 'events', ...extra]);
					const v1 = await run(bin, ['get', 'events.v1.events.k8s.io', ...extra]);
					assert.equal(core.code, 0, core.stderr);
					assert.equal(v1.code, 0, v1.stderr);
					// Ages sit mid-bucket (10m, 30m, 40m) so the two runs cannot straddle a change of the printed age.
					assert.match(core.stdout, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+/);
					assert.match(core.stdout, /\n10m\s+Warning\s+BackOff\s+pod\/web-1\s+/);
					assert.match(core.stdout, /\n40m\s+Normal\s+Scheduled\s+pod\/web-2\s+/);
					assert.equal(v1.stdout, core.stdout);
				}
				const names = async (resource: string) =>
					(await run(bin, ['get', resource, '-o', 'name'])).stdout
						.split('\n')
						.filter(Boolean)
						.map((l) => l.split('/').pop());
				assert.deepEqual(await names('events.v1.events.k8s.io'), await names('events'));
			});

			test('a watch on either API sees an event created through the other', async () => {
				const coreWatch = watch(bin, 'events');
				const v1Watch = watch(bin, 'events.v1.events.k8s.io');
				try {
					await waitFor(
						() => coreWatch.output().includes('pod/web-1') && v1Watch.output().includes('pod/web-1'),
						15_000,
						'both watches to list',
					);
					const throughV1 = `via-v1-${n++}`;
					const created = await t.call('POST', v1Events, {
						body: v1Event(throughV1, {
							note: `hello ${throughV1}`,
							regarding: {kind: 'Pod', namespace: 'default', name: throughV1},
						}),
					});
					assert.equal(created.status, 201, created.text);
					const throughCore = `via-core-${n++}`;
					const core = await t.call('POST', coreEvents, {
						body: coreEvent(throughCore, {
							message: `hello ${throughCore}`,
							involvedObject: {kind: 'Pod', namespace: 'default', name: throughCore},
						}),
					});
					assert.equal(core.status, 201, core.text);
					for (const w of [coreWatch, v1Watch]) {
						await waitFor(
							() => w.output().includes(`pod/${throughV1}`) && w.output().includes(`hello ${throughCore}`),
							15_000,
							`both new events in the watch; got ${w.output()}`,
						);
					}
				} finally {
					coreWatch.stop();
					v1Watch.stop();
				}
			});
		});
	}
});
