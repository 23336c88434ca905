// The timeline's SVG: its elements carry the same series as the data (and so as the `t` view and the JSON), and a
// browser draws it: headless Chromium renders it to PNG, and the pixels show the old revision's colour before the
// Recreate gap, the new one's after it, nothing ready in the gap, and the probe's failures inside it.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {timelineData, timelineJson} from '../../source/model/timeline.js';
import {revisionFill, svgGeometry, timelineSvg} from '../../source/screen/timeline-svg.js';
import {screenshot} from '../helpers/chromium.js';
import {count, decodePng, rgb} from '../helpers/png.js';
import {recreate, rollingUpdate, s} from '../helpers/rollouts.js';

test('the SVG carries the series, markers, failures and episodes of the data', () => {
	const t = timelineData(rollingUpdate(), 90);
	const svg = timelineSvg(t);
	assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="960" height="420"/);
	const series = [...svg.matchAll(/<polygon class="series" data-revision="(\d+)" data-points="([^"]*)"/g)].map((m) => ({
		revision: Number(m[1]),
		points: (m[2] ?? '').split(' ').map((p) => {
			const [at, ready] = p.split(':').map(Number);
			return {at, ready};
		}),
	}));
	assert.deepEqual(
		series.map((x) => x.revision),
		[1, 2],
		'oldest at the bottom of the stack',
	);
	for (const x of series) assert.deepEqual(x.points, t.series.find((y) => y.revision === x.revision)?.points);
	const json = timelineJson(t) as {markers: unknown[]};
	assert.equal((svg.match(/<g class="marker"/g) ?? []).length, json.markers.length);
	const r = timelineData(recreate(), 90);
	const rsvg = timelineSvg(r);
	assert.equal((rsvg.match(/<rect class="failure"/g) ?? []).length, r.failures.length);
	assert.equal((rsvg.match(/<rect class="episode" data-kind="outage"/g) ?? []).length, 1);
	assert.match(rsvg, /<title>outage 3\.0 s from 12:00:12: 15 failed \(refused 15\) while nginx-2222-aaaaa/);
});

test('headless Chromium renders the Recreate timeline: old revision, then a gap with the failures, then the new one', async (t) => {
	const dir = await mkdtemp(path.join(tmpdir(), 'rc-timeline-svg-'));
	t.after(() => rm(dir, {recursive: true, force: true}));
	const timeline = timelineData(recreate(), 90);
	const svgFile = path.join(dir, 'timeline.svg');
	const pngFile = path.join(dir, 'timeline.png');
	await writeFile(svgFile, timelineSvg(timeline));
	const g = svgGeometry(timeline);
	await screenshot(svgFile, pngFile, {width: g.width, height: g.height});
	const img = decodePng(await readFile(pngFile));
	assert.deepEqual([img.width, img.height], [g.width, g.height]);
	const oldColor = rgb(revisionFill(2, false));
	const newColor = rgb(revisionFill(3, true));
	const chart = (fromS: number, toS: number) => ({x0: g.x(s(fromS)) + 2, x1: g.x(s(toS)) - 2, y0: g.top, y1: g.top + g.chartH});
	// Before the gap: the old revision's colour fills the chart up to 3 pods, and none of the new one.
	assert.ok(count(img, oldColor, chart(8.5, 10.5)) > 500, 'the old revision before the gap');
	assert.equal(count(img, newColor, chart(8.5, 10.5)), 0);
	// In the gap (11 s to 15 s): neither revision.
	assert.equal(count(img, oldColor, chart(11.2, 14.8)) + count(img, newColor, chart(11.2, 14.8)), 0, 'nothing ready in the gap');
	// After it: the new revision.
	assert.ok(count(img, newColor, chart(16.2, 19.5)) > 500, 'the new revision after the gap');
	assert.equal(count(img, oldColor, chart(16.2, 19.5)), 0);
	// The probe lane: red ticks between 12 s and 15 s only.
	const red = rgb('#d32f2f');
	const lane = (fromS: number, toS: number) => ({x0: g.x(s(fromS)), x1: g.x(s(toS)), y0: g.laneTop + 2, y1: g.laneTop + g.laneH - 2});
	assert.ok(count(img, red, lane(11.9, 15), 40) > 50, 'failures in the gap');
	assert.equal(count(img, red, lane(8, 11.8), 40) + count(img, red, lane(15.3, 20), 40), 0, 'and nowhere else');
});
