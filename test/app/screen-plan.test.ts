import {test} from 'node:test';
import assert from 'node:assert/strict';
import {screenLayout} from '../../source/model/layout.js';
import {balanceLists} from '../../source/app/screen-plan.js';

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
