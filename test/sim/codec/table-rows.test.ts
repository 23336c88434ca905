// A list asked for as a Table (kubectl get) is encoded row by row from texts kept per stored object (tableRowTexts),
// not through toTable and JSON.stringify: the rows must be the very text those would give, for every printer and
// every includeObject, also from the kept texts and after an object changed.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {objectJson, withType} from '../../../source/sim/api/encode.js';
import {type IncludeObject, tableRowTexts, toTable} from '../../../source/sim/codec/table.js';
import {findResource, resources} from '../../../source/sim/resources.js';
import {harness} from '../controllers/harness.js';

test('tableRowTexts gives the text of toTable rows for every resource and includeObject, kept or fresh', async () => {
	const h = await harness({scale: {pods: 30}});
	try {
		h.clock.advance(2000);
		// Events, a restarted pod (lastState, RESTARTS with an age) and a finished one (the Completed row condition).
		h.controllers.kubelet.disturb(`default/${h.pods()[0]!.metadata.name}`, 'restart');
		h.clock.advance(3000);
		const done = h.pods()[1]!;
		h.store.update('pods', {...done, status: {...done.status, phase: 'Succeeded'}}, {subresource: 'status'});
		// A resource without a printer of its own (the default NAME and CREATED AT columns).
		h.store.create('roles', {
			apiVersion: 'rbac.authorization.k8s.io/v1',
			kind: 'Role',
			metadata: {name: 'reader', namespace: 'default'},
			rules: [{apiGroups: [''], resources: ['pods'], verbs: ['get']}],
		});
		const now = h.clock.now() + 90_000;
		let checked = 0;
		for (const resource of ['pods', 'replicasets', 'deployments', 'services', 'endpoints', 'nodes', 'namespaces', 'events', 'roles']) {
			const info = findResource('', resource) ?? resources.find((r) => r.resource === resource)!;
			const stored = h.store.list(resource).items;
			assert.ok(stored.length > 0, `some ${resource}`);
			for (const includeObject of ['None', 'Metadata', 'Object'] as IncludeObject[]) {
				const expected = toTable(
					resource,
					stored.map((o) => withType(info, o)),
					{includeObject, listMeta: {resourceVersion: '1'}, now},
				).rows.map((row) => JSON.stringify(row));
				const encoding = {typed: (o: any) => withType(info, o), json: (o: any) => objectJson(info, o, true)};
				for (let round = 0; round < 2; round++) {
					assert.deepEqual(
						tableRowTexts(resource, stored, {includeObject, now}, encoding),
						expected,
						`${resource} ${includeObject} round ${round}`,
					);
					checked += stored.length;
				}
			}
		}
		assert.ok(checked > 200);
		// A pod changes: its row follows (a new stored version), while the kept texts of the others still serve.
		const pod = h.pods()[2]!;
		const info = findResource('', 'pods')!;
		const encoding = {typed: (o: any) => withType(info, o), json: (o: any) => objectJson(info, o, true)};
		const before = tableRowTexts('pods', [pod], {includeObject: 'Metadata', now}, encoding)[0]!;
		const changed = h.store.update('pods', {...pod, metadata: {...pod.metadata, labels: {...pod.metadata.labels, extra: 'yes'}}});
		const after = tableRowTexts('pods', [changed], {includeObject: 'Metadata', now}, encoding)[0]!;
		assert.notEqual(after, before);
		assert.equal(JSON.parse(after).object.metadata.labels.extra, 'yes');
		assert.deepEqual(h.errors, []);
	} finally {
		h.stop();
	}
});
