import {test} from 'node:test';
import assert from 'node:assert/strict';
import {screenLayout} from '../../source/screen/layout.js';
import {balanceLists, listRows, placeProbe} from '../../source/screen/layout.js';

const heights = (l: ReturnType<typeof balanceLists>) => [l.pods.height, l.events.height];

test('balanceLists: stacked panes share the rows by what they have to show', async (t) => {
	// 80x23 (one row spare), rollout panel of 5: 15 rows for the two lists.
	const layout = screenLayout(80, 23, {rolloutHeight: 5});
	assert.equal(layout.pods.height + layout.events.height, 15);
	const cases: Array<[string, number, number, [number, number]]> = [
		['3 pods, many events: the pods get 5 rows, the events the other 10', 3, 40, [5, 10]],
		['5 pods mid-rollout: 7 rows for pods', 5, 40, [7, 8]],
		['100 pods, many events: half each, pods first', 100, 40, [8, 7]],
		['100 pods, 2 events: the events keep 4 rows, the pods the rest', 100, 2, [11, 4]],
		['no pods yet: a row for "listing pods", events the rest', 0, 40, [3, 12]],
	];
	for (const [name, pods, events, want] of cases) {
		await t.test(name, () => assert.deepEqual(heights(balanceLists(layout, pods, events)), want));
	}
});

test('balanceLists: the panes stay adjacent and fill the same rows', () => {
	const layout = screenLayout(100, 29, {rolloutHeight: 4});
	const {pods, events} = balanceLists(layout, 4, 50);
	assert.equal(pods.y, layout.pods.y);
	assert.equal(events.y, pods.y + pods.height);
	assert.equal(pods.height + events.height, layout.pods.height + layout.events.height);
});

test('balanceLists: side by side and too-short screens are left as model/layout.ts made them', () => {
	const wide = screenLayout(160, 40, {rolloutHeight: 5});
	assert.deepEqual(balanceLists(wide, 3, 3), {pods: wide.pods, events: wide.events});
	const short = screenLayout(80, 10, {rolloutHeight: 5});
	assert.deepEqual(balanceLists(short, 3, 3), {pods: short.pods, events: short.events});
});

test('placeProbe: the probe panel sits under the rollout panel, compact at 80x24, larger with more rows', async (t) => {
	// [name, columns, rows (one spare already taken), rollout wanted, probe wanted, rows the lists need, probe height]
	const cases: Array<[string, number, number, number, number, number, number]> = [
		['80x24 mid-rollout (rollout 6 rows), a verdict to show: 3 rows', 80, 23, 6, 6, 14, 3],
		['80x24 after the rollout (rollout 4): 4 rows, room for a wrapped verdict', 80, 23, 4, 5, 12, 4],
		['80x24, only probing (title, last, sparkline): the 3 it wants', 80, 23, 4, 3, 12, 3],
		['80x24, unreachable (title and the advice): 2 rows', 80, 23, 4, 2, 12, 2],
		["100x30, verdicts and failures: a quarter of the lists' rows", 100, 29, 5, 10, 30, 5],
		['100x30, lists needing 14 of their 22 rows: the panel takes the 8 they leave', 100, 29, 4, 10, 14, 8],
		['160x50 side by side: a quarter, up to what it wants', 160, 49, 5, 10, 60, 10],
		['no panel wanted (--no-probe): nothing', 80, 23, 4, 0, 12, 0],
		['a terminal too short for two lists and a panel: no panel', 80, 12, 4, 6, 12, 0],
	];
	for (const [name, columns, rows, rollout, wanted, need, height] of cases) {
		await t.test(name, () => {
			const full = screenLayout(columns, rows, {rolloutHeight: rollout});
			const {probe, layout} = placeProbe(full, wanted, need);
			assert.equal(probe.height, height);
			// Under the rollout panel, the lists right under it, filling the same rows as before.
			assert.equal(probe.y, full.rollout.y + full.rollout.height);
			assert.equal(layout.pods.y, probe.y + probe.height);
			assert.deepEqual(layout.rollout, full.rollout);
			if (full.arrangement === 'stacked') {
				assert.equal(layout.events.y, layout.pods.y + layout.pods.height);
				assert.equal(probe.height + layout.pods.height + layout.events.height, full.pods.height + full.events.height);
			} else {
				assert.equal(layout.events.y, layout.pods.y);
				assert.equal(probe.height + layout.pods.height, full.pods.height);
			}
			// The lists keep a title, header and row each.
			assert.ok(layout.pods.height >= 3 && (layout.events.height >= 3 || full.events.height === 0), JSON.stringify(layout));
		});
	}
});

test('listRows: title, header and the rows, one for the "no pods" line when empty', () => {
	assert.deepEqual([listRows(0), listRows(1), listRows(3)], [3, 3, 5]);
});
