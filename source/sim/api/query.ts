// Query parameters read as the real API server reads them: Go's url.ParseQuery for the raw query, then
// apimachinery's conversions (runtime/conversion.go) into ListOptions and DeleteOptions, with the server's
// answers to bad values: a conversion error is 400 with Go's strconv text, a validation error is 422.
import {badRequest, invalid, type StatusCause} from '../errors.js';

/**
 * The query as net/http's Request.URL.Query() sees it: pairs split on '&' only, '+' is a space, and a pair
 * holding a ';' or a bad %-escape is dropped (Go 1.17+ ParseQuery reports it and Query() ignores the error).
 */
export function parseQuery(raw: string): URLSearchParams {
	const out = new URLSearchParams();
	for (const pair of raw.split('&')) {
		if (pair === '' || pair.includes(';')) continue;
		const eq = pair.indexOf('=');
		const key = queryUnescape(eq < 0 ? pair : pair.slice(0, eq));
		const value = queryUnescape(eq < 0 ? '' : pair.slice(eq + 1));
		if (key === undefined || value === undefined) continue;
		out.append(key, value);
	}
	return out;
}

// Go's url.QueryUnescape: '+' is a space; '%' must be followed by two hex digits.
function queryUnescape(s: string): string | undefined {
	if (/%(?![0-9a-fA-F]{2})/.test(s)) return undefined;
	try {
		return decodeURIComponent(s.replace(/\+/g, ' '));
	} catch {
		// A valid escape that is not UTF-8: Go keeps the bytes; a JS string cannot, so read them as Latin-1.
		return Buffer.from(
			s.replace(/\+/g, ' ').replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
			'latin1',
		).toString('utf8');
	}
}

/**
 * Convert_Slice_string_To_bool: absent is false; present, only "0" and "false" in any case are false. Anything
 * else, "True", "yes" and the empty string included, is true.
 */
export function queryBool(query: URLSearchParams, name: string): boolean {
	const v = query.get(name);
	if (v === null) return false;
	return !(v === '0' || v.toLowerCase() === 'false');
}

/** Convert_Slice_string_To_Pointer_bool: like queryBool, but undefined when the parameter is absent. */
export function queryOptionalBool(query: URLSearchParams, name: string): boolean | undefined {
	return query.has(name) ? queryBool(query, name) : undefined;
}

/** Go's strconv.Quote, as `%q` and strconv's errors print a string. */
export function goQuote(s: string): string {
	let out = '"';
	for (const ch of s) {
		const c = ch.codePointAt(0)!;
		if (ch === '"' || ch === '\\') out += `\\${ch}`;
		else if (c === 7) out += '\\a';
		else if (c === 8) out += '\\b';
		else if (c === 12) out += '\\f';
		else if (c === 10) out += '\\n';
		else if (c === 13) out += '\\r';
		else if (c === 9) out += '\\t';
		else if (c === 11) out += '\\v';
		else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
		else if (c >= 0x80 && c < 0xa0) out += `\\u${c.toString(16).padStart(4, '0')}`;
		else out += ch;
	}
	return `${out}"`;
}

const int64Max = 9223372036854775807n;
const int64Min = -9223372036854775808n;

/** strconv.ParseInt(s, 10, 64); throws an Error with strconv's own text for a bad value. */
export function parseInt64(s: string): number {
	if (!/^[+-]?\d+$/.test(s)) throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`);
	const n = BigInt(s);
	if (n > int64Max || n < int64Min) throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: value out of range`);
	return Number(n);
}

/** Convert_Slice_string_To_int64 / _Pointer_int64: the first value, undefined when absent; 400 with strconv's text. */
export function queryInt64(query: URLSearchParams, name: string): number | undefined {
	const v = query.get(name);
	if (v === null) return undefined;
	try {
		return parseInt64(v);
	} catch (error) {
		throw badRequest((error as Error).message);
	}
}

/** metav1.ListOptions as the server decodes it from the query (metainternalversion, after defaults). */
export type ListOptions = {
	labelSelector: string;
	fieldSelector: string;
	watch: boolean;
	allowWatchBookmarks: boolean;
	resourceVersion: string;
	resourceVersionMatch: string;
	/** Undefined when absent (the server then picks its own watch timeout). */
	timeoutSeconds?: number;
	limit: number;
	continue: string;
	/** Undefined when absent; present means the client asked for (or against) initial events. */
	sendInitialEvents?: boolean;
};

const forbidden = (field: string, message: string): StatusCause => ({
	reason: 'FieldValueForbidden',
	field,
	message: `Forbidden: ${message}`,
});
const notSupported = (field: string, value: string, supported: string[]): StatusCause => ({
	reason: 'FieldValueNotSupported',
	field,
	message: `Unsupported value: ${goQuote(value)}: supported values: ${supported.map((s) => goQuote(s)).join(', ')}`,
});

/**
 * Decodes and validates ListOptions as handlers/get.go listOpts does: a value that does not convert is 400 with
 * the conversion's text; options that contradict each other are 422 ListOptions.meta.k8s.io (validation.go).
 */
export function listOptions(query: URLSearchParams): ListOptions {
	const o: ListOptions = {
		labelSelector: query.get('labelSelector') ?? '',
		fieldSelector: query.get('fieldSelector') ?? '',
		watch: queryBool(query, 'watch'),
		allowWatchBookmarks: queryBool(query, 'allowWatchBookmarks'),
		resourceVersion: query.get('resourceVersion') ?? '',
		resourceVersionMatch: query.get('resourceVersionMatch') ?? '',
		timeoutSeconds: queryInt64(query, 'timeoutSeconds'),
		limit: queryInt64(query, 'limit') ?? 0,
		continue: query.get('continue') ?? '',
		sendInitialEvents: queryOptionalBool(query, 'sendInitialEvents'),
	};
	// SetListOptionsDefaults (WatchList on): a watch from "" or "0" starts with the current state, as a watch-list
	// does; with allowWatchBookmarks it then gets the k8s.io/initial-events-end bookmark too.
	if (
		o.watch &&
		o.sendInitialEvents === undefined &&
		o.resourceVersionMatch === '' &&
		(o.resourceVersion === '' || o.resourceVersion === '0')
	) {
		o.sendInitialEvents = true;
		o.resourceVersionMatch = 'NotOlderThan';
	}
	const causes = o.watch ? watchOptionErrors(o) : listOptionErrors(o);
	if (causes.length > 0) throw invalid('ListOptions', 'meta.k8s.io', '', causes);
	return o;
}

// validation.go ValidateListOptions for a list.
function listOptionErrors(o: ListOptions): StatusCause[] {
	const causes: StatusCause[] = [];
	const match = o.resourceVersionMatch;
	if (match !== '') {
		if (o.resourceVersion === '')
			causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
		if (o.continue !== '') causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
		if (match !== 'Exact' && match !== 'NotOlderThan')
			causes.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
		if (match === 'Exact' && o.resourceVersion === '0')
			causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
	}
	if (o.sendInitialEvents !== undefined) causes.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
	return causes;
}

// validation.go validateWatchOptions, with the WatchList feature gate on (beta and on by default in 1.32).
function watchOptionErrors(o: ListOptions): StatusCause[] {
	const causes: StatusCause[] = [];
	const match = o.resourceVersionMatch;
	if (o.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
		causes.push(forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
	}
	if (match !== '') {
		if (o.sendInitialEvents === undefined)
			causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
		if (match !== 'NotOlderThan') causes.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
		if (o.continue !== '') causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
	}
	return causes;
}

/** metav1.DeleteOptions from the query (used only when the request has no body, as handlers/delete.go does). */
export type QueryDeleteOptions = {
	gracePeriodSeconds?: number;
	orphanDependents?: boolean;
	propagationPolicy?: string;
	dryRun?: string[];
	preconditions?: {uid?: string; resourceVersion?: string};
};

/** Convert_url_Values_To_v1_DeleteOptions: the options, with `uid` and `resourceVersion` turned into preconditions. */
export function deleteOptionsFromQuery(query: URLSearchParams): QueryDeleteOptions {
	const o: QueryDeleteOptions = {};
	const grace = queryInt64(query, 'gracePeriodSeconds');
	if (grace !== undefined) o.gracePeriodSeconds = grace;
	const orphan = queryOptionalBool(query, 'orphanDependents');
	if (orphan !== undefined) o.orphanDependents = orphan;
	if (query.has('propagationPolicy')) o.propagationPolicy = query.get('propagationPolicy')!;
	if (query.getAll('dryRun').length > 0) o.dryRun = query.getAll('dryRun');
	const uid = query.get('uid') ?? '';
	const resourceVersion = query.get('resourceVersion') ?? '';
	if (uid || resourceVersion) o.preconditions = {...(uid ? {uid} : {}), ...(resourceVersion ? {resourceVersion} : {})};
	return o;
}
