// Ages as kubectl prints them, so AGE and LAST SEEN columns read the same as `kubectl get`.
// Rules from k8s.io/apimachinery/pkg/util/duration/duration.go (HumanDuration) and
// printers.go translateTimestampSince.
import type {Timestamp} from './types.js';
import {toMillis} from './util.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

// duration.HumanDuration: about 2-3 significant figures ("59s", "2m10s", "3h", "4d5h", "2y30d").
export function humanDuration(ms: number): string {
	// Go converts with int(d.Seconds()), which truncates toward zero; up to 1.999s in the future reads "0s".
	const seconds = Math.trunc(ms / SECOND);
	if (seconds < -1) return '<invalid>';
	if (seconds < 0) return '0s';
	if (seconds < 60 * 2) return `${seconds}s`;
	const minutes = Math.trunc(ms / MINUTE);
	if (minutes < 10) {
		const s = seconds % 60;
		return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
	}
	if (minutes < 60 * 3) return `${minutes}m`;
	const hours = Math.trunc(ms / HOUR);
	if (hours < 8) {
		const m = minutes % 60;
		return m === 0 ? `${hours}h` : `${hours}h${m}m`;
	}
	if (hours < 48) return `${hours}h`;
	if (hours < 24 * 8) {
		const h = hours % 24;
		return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
	}
	if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
	if (hours < 24 * 365 * 8) {
		const dy = Math.trunc(hours / 24) % 365;
		const years = Math.trunc(hours / 24 / 365);
		return dy === 0 ? `${years}y` : `${years}y${dy}d`;
	}
	return `${Math.trunc(hours / 24 / 365)}y`;
}

// translateTimestampSince: the age of a timestamp, "<unknown>" when it is unset.
export function translateTimestampSince(t: Timestamp | null | undefined, now: number = Date.now()): string {
	const ms = toMillis(t);
	if (ms === undefined) return '<unknown>';
	return humanDuration(now - ms);
}

// The age of an instant already in milliseconds ("<unknown>" when unset): no re-parsing of a timestamp per tick.
export function ageSince(ms: number | undefined, now: number): string {
	return ms === undefined ? '<unknown>' : humanDuration(now - ms);
}
