import {test} from 'node:test';
import assert from 'node:assert/strict';
import {humanDuration, translateTimestampSince} from '../../source/model/duration.js';
import {humanDuration as fromEvents} from '../../source/model/events.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

// Expected strings follow k8s.io/apimachinery/pkg/util/duration HumanDuration boundaries.
const table: [number, string][] = [
	[0, '0s'],
	[-1 * s, '0s'], // up to 1.999s of clock skew still reads "0s"
	[-1999, '0s'],
	[-2 * s, '<invalid>'],
	[999, '0s'],
	[59 * s, '59s'],
	[119 * s, '119s'],
	[2 * m, '2m'],
	[2 * m + 10 * s, '2m10s'],
	[9 * m + 59 * s, '9m59s'],
	[10 * m, '10m'],
	[10 * m + 30 * s, '10m'],
	[179 * m + 59 * s, '179m'],
	[3 * h, '3h'],
	[3 * h + 30 * m, '3h30m'],
	[7 * h + 59 * m, '7h59m'],
	[8 * h, '8h'],
	[47 * h + 59 * m, '47h'],
	[2 * d, '2d'],
	[2 * d + h, '2d1h'],
	[7 * d + 23 * h, '7d23h'],
	[8 * d, '8d'],
	[729 * d, '729d'],
	[730 * d, '2y'],
	[731 * d, '2y1d'],
	[8 * 365 * d, '8y'],
	[10 * 365 * d + 40 * d, '10y'],
];

for (const [ms, want] of table) {
	test(`humanDuration(${ms}ms) = ${want}`, () => {
		assert.equal(humanDuration(ms), want);
	});
}

test('events re-exports the same humanDuration', () => {
	assert.equal(fromEvents, humanDuration);
});

test('translateTimestampSince: RFC 3339 strings, <unknown> when unset', () => {
	const now = Date.parse('2025-06-01T12:00:00Z');
	assert.equal(translateTimestampSince('2025-06-01T11:57:50Z', now), '2m10s');
	assert.equal(translateTimestampSince('2025-05-30T12:00:00Z', now), '2d');
	assert.equal(translateTimestampSince(undefined, now), '<unknown>');
	assert.equal(translateTimestampSince(null, now), '<unknown>');
	assert.equal(translateTimestampSince('0001-01-01T00:00:00Z', now), '<unknown>');
	assert.equal(translateTimestampSince('not a time', now), '<unknown>');
});
