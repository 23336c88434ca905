// Go's time parsing and printing where the apiserver's answers show them: query parameters (sinceTime), MicroTime
// fields of a body (an Event's eventTime), and times inside field errors.
import {goQuote} from './query.js';

const rfc3339Layout = '2006-01-02T15:04:05Z07:00';
const rfc3339MicroLayout = '2006-01-02T15:04:05.000000Z07:00';

// Go's time.Parse of RFC3339 or RFC3339Micro and its errors, element by element of the layout. RFC3339 takes an
// optional fraction of any length after the seconds; RFC3339Micro ("05.000000") requires exactly six digits.
function parseLayout(value: string, micro: boolean): {seconds: number; fraction: string} {
	const layout = micro ? rfc3339MicroLayout : rfc3339Layout;
	let rest = value;
	const fail = (elem: string) =>
		new Error(`parsing time ${goQuote(value)} as ${goQuote(layout)}: cannot parse ${goQuote(rest)} as ${goQuote(elem)}`);
	const range = (what: string) => new Error(`parsing time ${goQuote(value)}: ${what} out of range`);
	const digits = (n: number, elem: string, flexible = false): number => {
		const m = (flexible ? /^\d{1,2}/ : new RegExp(`^\\d{${n}}`)).exec(rest);
		if (!m) throw fail(elem);
		rest = rest.slice(m[0].length);
		return Number(m[0]);
	};
	const literal = (s: string) => {
		if (!rest.startsWith(s)) throw fail(s);
		rest = rest.slice(s.length);
	};
	const year = digits(4, '2006');
	literal('-');
	const month = digits(2, '01');
	if (month < 1 || month > 12) throw range('month');
	literal('-');
	const day = digits(2, '02');
	literal('T');
	const hour = digits(2, '15', true);
	if (hour > 23) throw range('hour');
	literal(':');
	const minute = digits(2, '04');
	if (minute > 59) throw range('minute');
	literal(':');
	const second = digits(2, '05');
	if (second > 59) throw range('second');
	let fraction = '';
	if (micro) {
		const frac = /^[.,](\d{6})/.exec(rest);
		if (!frac) throw fail('.000000');
		fraction = frac[1]!;
		rest = rest.slice(frac[0].length);
	} else {
		const frac = /^[.,](\d+)/.exec(rest);
		if (frac) {
			fraction = frac[1]!;
			rest = rest.slice(frac[0].length);
		}
	}
	let offsetMinutes = 0;
	if (rest.startsWith('Z')) rest = rest.slice(1);
	else {
		const tz = /^([+-])(\d\d):(\d\d)/.exec(rest);
		if (!tz) throw fail('Z07:00');
		offsetMinutes = (tz[1] === '-' ? -1 : 1) * (Number(tz[2]) * 60 + Number(tz[3]));
		rest = rest.slice(tz[0].length);
	}
	if (rest !== '') throw new Error(`parsing time ${goQuote(value)}: extra text: ${goQuote(rest)}`);
	const daysIn = new Date(Date.UTC(year, month, 0)).getUTCDate();
	if (day < 1 || day > daysIn) throw range('day');
	return {seconds: Date.UTC(year, month - 1, day, hour, minute, second) / 1000 - offsetMinutes * 60, fraction};
}

/** time.Parse(time.RFC3339, value) in milliseconds since the epoch; throws Go's error. */
export function parseRfc3339(value: string): number {
	const {seconds, fraction} = parseLayout(value, false);
	return seconds * 1000 + Math.floor(Number(`0.${fraction || '0'}`) * 1000);
}

/**
 * time.Parse(metav1.RFC3339Micro, value), as metav1.MicroTime decodes JSON: exactly six fractional digits, any
 * zone. The answer is the instant as the server writes it back (UTC, six digits); throws Go's error.
 */
export function parseMicroTime(value: string): string {
	const {seconds, fraction} = parseLayout(value, true);
	return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

/**
 * Go's time.Time.String() of an RFC 3339 instant in UTC, as field errors print times (metav1.Time, MicroTime):
 * `2025-12-01 08:54:54.438241 +0000 UTC`, the fraction without trailing zeros; the zero time for undefined.
 */
export function goTimeString(value: string | undefined | null): string {
	if (!value) return '0001-01-01 00:00:00 +0000 UTC';
	const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(value);
	if (!m) return value;
	const fraction = (m[3] ?? '').replace(/0+$/, '');
	return `${m[1]} ${m[2]}${fraction ? `.${fraction}` : ''} +0000 UTC`;
}
