// The --faults SPEC grammar: which faults the embedded cluster injects, how often, and with which seed. Pure
// parsing, so `rollout-cockpit sim --faults` and the tests' programmatic API read one grammar.
//
//   SPEC   = ITEM *( ";" ITEM )                 items may be surrounded by spaces
//   ITEM   = "seed=" UINT | FAULT [ ":" PARAM *( "," PARAM ) ]
//   PARAM  = KEY "=" VALUE                      lists inside a value are joined with "+": verbs=list+watch
//   DUR    = NUMBER ( "ms" | "s" | "m" | "h" )  500ms, 30s, 1.5m

/** The faults the cluster can inject. */
export const faultKinds = ['drop-watches', 'expire', 'error', 'latency', 'stall-watches', 'restart', 'kill-node'] as const;
export type FaultKind = (typeof faultKinds)[number];

/** One fault and when it fires: on a timer (every, mean) or per matching request (p). */
export type FaultRule = {
	kind: FaultKind;
	/** Timed: fire at this fixed interval (ms). */
	every?: number;
	/** Timed: fire at random intervals with this mean (ms), exponentially distributed (seeded). */
	mean?: number;
	/** Timed: the first firing no sooner than this (ms); defaults to the interval. */
	after?: number;
	/** Fire at most this many times, then the rule is spent. */
	times?: number;
	/** Per request: the probability that a matching request is hit (0..1). */
	p?: number;
	/** Per request: only these API verbs (get, list, watch, create, update, patch, delete, deletecollection). */
	verbs?: string[];
	/** Only these resources (plural: pods, deployments). */
	resources?: string[];
	/** error: the status answered. */
	code?: 500 | 429;
	/** error with code 429: the Retry-After header, in seconds. */
	retryAfter?: number;
	/** latency: the delay added before the request is handled (ms). */
	ms?: number;
	/** latency: up to this much more, uniformly at random (ms). */
	jitter?: number;
	/** expire: how a resume from an expired resourceVersion is refused: an in-stream ERROR event, or an HTTP 410. */
	as?: 'event' | 'http';
	/** restart: how long the port stays closed before the server listens again (ms); kill-node: how long until the node's kubelet starts again (ms; never without it). */
	down?: number;
	/** kill-node: the node to kill (default: one of the nodes whose kubelet runs, drawn at random). */
	node?: string;
};

/** A parsed SPEC: the seed (random when absent) and the rules in the order given. */
export type FaultSpec = {seed?: number; rules: FaultRule[]};

/** A SPEC that cannot be parsed; the message names the item at fault and what would be accepted. */
export class FaultSpecError extends Error {}

const apiVerbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

type Param =
	| 'every'
	| 'mean'
	| 'after'
	| 'times'
	| 'p'
	| 'verbs'
	| 'resources'
	| 'code'
	| 'retry-after'
	| 'ms'
	| 'jitter'
	| 'as'
	| 'down'
	| 'node';

const timed: Param[] = ['every', 'mean', 'after', 'times'];
const perRequest: Param[] = ['p', 'verbs', 'resources', 'times'];

/** Which parameters each fault takes, and whether it fires on a timer, per request, or either. */
const grammar: Record<FaultKind, {params: Param[]; trigger: 'timed' | 'request' | 'either'}> = {
	'drop-watches': {params: [...timed, 'resources'], trigger: 'timed'},
	expire: {params: [...timed, 'as'], trigger: 'timed'},
	error: {params: [...perRequest, 'code', 'retry-after'], trigger: 'request'},
	latency: {params: [...perRequest, 'ms', 'jitter'], trigger: 'request'},
	'stall-watches': {params: [...timed, 'p', 'resources'], trigger: 'either'},
	restart: {params: [...timed, 'down'], trigger: 'timed'},
	'kill-node': {params: [...timed, 'node', 'down'], trigger: 'timed'},
};

/** The SPEC grammar in a few lines, for usage text and error messages. */
export const faultSpecHelp = `SPEC is a list of faults separated by ';', each FAULT[:KEY=VALUE,...], and an optional seed=N:
  drop-watches:every=DUR|mean=DUR[,resources=pods+events]   reset every open watch connection
  expire:every=DUR|mean=DUR[,as=event|http]                  compact: resumes from older resourceVersions get 410
  error:p=P[,code=500|429][,retry-after=S][,verbs=..][,resources=..]   answer 500 InternalError or 429 Retry-After
  latency:ms=N[,jitter=N][,p=P][,verbs=..][,resources=..]    delay requests
  stall-watches:p=P | every=DUR|mean=DUR [,resources=..]     new watches get no byte / open watches go silent
  restart:every=DUR|mean=DUR[,down=DUR]                      restart the API server on the same port
  kill-node:every=DUR|mean=DUR[,node=NAME][,down=DUR]        stop a node's kubelet (its machine dies); down=: start it again after
  Timed faults also take after=DUR and times=N; per-request ones times=N. DUR: 500ms, 30s, 2m.
  Example: --faults 'seed=7; drop-watches:mean=20s; error:p=0.02,code=429,retry-after=2; restart:every=2m'`;

/** Parses "500ms", "30s", "1.5m", "1h" into milliseconds. */
export function parseDuration(text: string): number | undefined {
	const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
	if (!m) return undefined;
	const n = Number(m[1]);
	const unit = {ms: 1, s: 1000, m: 60_000, h: 3_600_000}[m[2] as 'ms' | 's' | 'm' | 'h'];
	return Math.round(n * unit);
}

/** Formats milliseconds the way the SPEC spells them (30000 → 30s). */
export function formatDuration(ms: number): string {
	if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
	if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
	if (ms % 1000 === 0 && ms > 0) return `${ms / 1000}s`;
	return `${ms}ms`;
}

function isFaultKind(s: string): s is FaultKind {
	return (faultKinds as readonly string[]).includes(s);
}

function parseParam(kind: FaultKind, rule: FaultRule, key: string, value: string, item: string): void {
	const bad = (want: string) => new FaultSpecError(`${item}: ${key}=${JSON.stringify(value)} is not valid: want ${want}`);
	const duration = (positive: boolean) => {
		const ms = parseDuration(value);
		if (ms === undefined || (positive && ms <= 0)) throw bad(`a duration like 500ms, 30s or 2m${positive ? ', more than 0' : ''}`);
		return ms;
	};
	const whole = (min: number) => {
		if (!/^\d+$/.test(value) || Number(value) < min) throw bad(`a whole number of at least ${min}`);
		return Number(value);
	};
	switch (key as Param) {
		case 'every':
			rule.every = duration(true);
			return;
		case 'mean':
			rule.mean = duration(true);
			return;
		case 'after':
			rule.after = duration(false);
			return;
		case 'down':
			rule.down = duration(false);
			return;
		case 'times':
			rule.times = whole(1);
			return;
		case 'p': {
			const p = Number(value);
			if (value.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1) throw bad('a probability from 0 to 1, like 0.05');
			rule.p = p;
			return;
		}
		case 'verbs': {
			const verbs = value.split('+');
			const unknown = verbs.find((v) => !apiVerbs.includes(v));
			if (unknown !== undefined) throw bad(`verbs joined with '+', from ${apiVerbs.join(', ')}`);
			rule.verbs = verbs;
			return;
		}
		case 'resources': {
			const resources = value.split('+');
			if (resources.some((r) => !/^[a-z][a-z0-9.-]*$/.test(r))) throw bad("resource names joined with '+', like pods+events");
			rule.resources = resources;
			return;
		}
		case 'code':
			if (value !== '500' && value !== '429') throw bad('500 or 429');
			rule.code = Number(value) as 500 | 429;
			return;
		case 'retry-after':
			rule.retryAfter = whole(0);
			return;
		case 'ms':
			rule.ms = whole(0);
			return;
		case 'jitter':
			rule.jitter = whole(0);
			return;
		case 'as':
			if (value !== 'event' && value !== 'http') throw bad('event or http');
			rule.as = value;
			return;
		case 'node':
			if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value)) throw bad('a node name, like node4');
			rule.node = value;
			return;
	}
	throw new FaultSpecError(`${item}: unknown parameter ${JSON.stringify(key)} for ${kind} (want ${grammar[kind].params.join(', ')})`);
}

function checkRule(rule: FaultRule, item: string): void {
	const g = grammar[rule.kind];
	const isTimed = rule.every !== undefined || rule.mean !== undefined;
	if (rule.every !== undefined && rule.mean !== undefined) throw new FaultSpecError(`${item}: give every= or mean=, not both`);
	if (g.trigger === 'timed' && !isTimed) throw new FaultSpecError(`${item}: ${rule.kind} needs every=DURATION or mean=DURATION`);
	if (rule.kind === 'stall-watches' && isTimed === (rule.p !== undefined))
		throw new FaultSpecError(`${item}: stall-watches needs either p=P (new watches) or every=/mean=DURATION (open watches)`);
	if (rule.after !== undefined && !isTimed) throw new FaultSpecError(`${item}: after= needs every= or mean=`);
	if (rule.kind === 'latency' && rule.ms === undefined) throw new FaultSpecError(`${item}: latency needs ms=N`);
	if (rule.kind === 'error' && rule.p === undefined) throw new FaultSpecError(`${item}: error needs p=P (0 to 1)`);
	if (rule.retryAfter !== undefined && rule.code !== 429) throw new FaultSpecError(`${item}: retry-after= goes with code=429`);
}

/** Parses a SPEC; throws FaultSpecError naming the bad item. An empty SPEC is an error: it would inject nothing. */
export function parseFaultSpec(text: string): FaultSpec {
	const items = text
		.split(';')
		.map((s) => s.trim())
		.filter((s) => s !== '');
	if (items.length === 0) throw new FaultSpecError(`the fault spec is empty\n${faultSpecHelp}`);
	const spec: FaultSpec = {rules: []};
	for (const item of items) {
		const seed = /^seed=(.*)$/.exec(item);
		if (seed) {
			if (!/^\d+$/.test(seed[1]!) || Number(seed[1]) > 0xffffffff)
				throw new FaultSpecError(`${item}: the seed must be a whole number from 0 to 4294967295`);
			if (spec.seed !== undefined) throw new FaultSpecError(`${item}: seed is given twice`);
			spec.seed = Number(seed[1]);
			continue;
		}
		const colon = item.indexOf(':');
		const name = (colon < 0 ? item : item.slice(0, colon)).trim();
		if (!isFaultKind(name))
			throw new FaultSpecError(`${item}: unknown fault ${JSON.stringify(name)} (want ${faultKinds.join(', ')} or seed=N)`);
		const rule: FaultRule = {kind: name};
		const params = colon < 0 ? [] : item.slice(colon + 1).split(',');
		const seen = new Set<string>();
		for (const raw of params) {
			const p = raw.trim();
			const eq = p.indexOf('=');
			if (eq <= 0) throw new FaultSpecError(`${item}: ${JSON.stringify(p)} is not KEY=VALUE`);
			const key = p.slice(0, eq).trim();
			if (!grammar[name].params.includes(key as Param))
				throw new FaultSpecError(`${item}: unknown parameter ${JSON.stringify(key)} for ${name} (want ${grammar[name].params.join(', ')})`);
			if (seen.has(key)) throw new FaultSpecError(`${item}: ${key} is given twice`);
			seen.add(key);
			parseParam(name, rule, key, p.slice(eq + 1).trim(), item);
		}
		checkRule(rule, item);
		spec.rules.push(rule);
	}
	if (spec.rules.length === 0) throw new FaultSpecError(`the fault spec has a seed but no fault\n${faultSpecHelp}`);
	return spec;
}

/** One rule back in SPEC form (normalised), for the start-up line and the fault log. */
export function formatFaultRule(rule: FaultRule): string {
	const params: string[] = [];
	const add = (key: string, value: string | number | undefined) => {
		if (value !== undefined) params.push(`${key}=${value}`);
	};
	add('every', rule.every === undefined ? undefined : formatDuration(rule.every));
	add('mean', rule.mean === undefined ? undefined : formatDuration(rule.mean));
	add('after', rule.after === undefined ? undefined : formatDuration(rule.after));
	add('p', rule.p);
	add('code', rule.code);
	add('retry-after', rule.retryAfter);
	add('ms', rule.ms);
	add('jitter', rule.jitter);
	add('as', rule.as);
	add('down', rule.down === undefined ? undefined : formatDuration(rule.down));
	add('node', rule.node);
	add('verbs', rule.verbs?.join('+'));
	add('resources', rule.resources?.join('+'));
	add('times', rule.times);
	return params.length > 0 ? `${rule.kind}:${params.join(',')}` : rule.kind;
}

/** A whole spec back in SPEC form; parseFaultSpec(formatFaultSpec(s)) equals s. */
export function formatFaultSpec(spec: FaultSpec): string {
	return [...(spec.seed !== undefined ? [`seed=${spec.seed}`] : []), ...spec.rules.map(formatFaultRule)].join('; ');
}
