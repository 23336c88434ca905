// The embedded cluster's fault injector: timed faults (drop or stall every open watch, expire resourceVersions,
// restart the API server) and per-request faults (429, 500, latency, a watch that never answers), each counted and
// logged, all drawn from one seed. The API server consults it at a few points; it owns no HTTP code of its own.
import {exponential, randomSeed, seededRandom, streamSeed, type Random} from './random.js';
import {faultKinds, formatDuration, formatFaultRule, parseFaultSpec, type FaultKind, type FaultRule, type FaultSpec} from './spec.js';

/** One injected fault, as the log keeps it. */
export type FaultEvent = {
	/** Wall-clock ms. */
	time: number;
	kind: FaultKind;
	/** What it did, in a few words: "reset 4 watches", "429 on list pods". */
	detail: string;
	/** The rule that fired, in SPEC form; 'inject' for a programmatic inject(). */
	rule: string;
};

/** What the injector needs from the API server and the store to carry out timed faults. */
export type FaultTarget = {
	/** Closes the port, resets every connection, and listens again on the same port after `downMs`. */
	restart(downMs: number): Promise<void>;
	/** Forgets the change history: every resourceVersion up to now becomes too old to resume from. */
	compact(): void;
	/** The nodes whose kubelet runs (kill-node picks among them). */
	liveNodes?(): string[];
	/** Stops a node's kubelet, as when its machine dies. */
	killNode?(node: string): void;
	/** Starts a stopped node's kubelet again. */
	reviveNode?(node: string): void;
};

/** A request, as the per-request faults judge it. */
export type RequestFacts = {verb: string; resource: string; isResourceRequest: boolean; isWatch: boolean};

/** What the server must do to one request. */
export type RequestDecision = {
	/** Wait this long before handling it. */
	delayMs: number;
	/** Answer 429 with this Retry-After, as the apiserver's max-in-flight and priority-and-fairness filters do. */
	tooManyRequests?: {retryAfter: number};
	/** Answer 500 InternalError, as a storage failure does. */
	internalError: boolean;
	/** A watch: hold the connection open and never send a byte. */
	stall: boolean;
	/** The faults that hit it, for the request log. */
	faults: string[];
};

/** An open watch stream, as the watch code registers it. */
export type OpenWatch = {resource: string; destroy(): void};

/** The watch code's view of its registration: whether to go silent, and the call that says the stream ended. */
export type WatchTap = {readonly stalled: boolean; closed(): void};

type ActiveRule = {rule: FaultRule; text: string; random: Random; remaining: number; timer?: NodeJS.Timeout};

type Tracked = OpenWatch & {stalled: boolean};

export type FaultsOptions = {
	/** The seed of every random draw; random (and reported by `seed`) when absent. */
	seed?: number;
	/** Called for each injected fault (the CLI prints them). */
	onFault?: (event: FaultEvent) => void;
	/** How many events the log keeps. @default 10000 */
	logLimit?: number;
};

const noDecision: RequestDecision = {delayMs: 0, internalError: false, stall: false, faults: []};

/** The fault injector of one cluster. Rules come from a SPEC (`add`) or one at a time (`inject`). */
export class Faults {
	/** The seed in use: the same seed and the same SPEC give the same draws. */
	readonly seed: number;
	/** How many times each kind of fault fired. */
	readonly counts: Record<FaultKind, number>;
	private readonly events: FaultEvent[] = [];
	private readonly logLimit: number;
	private readonly onFault?: (event: FaultEvent) => void;
	private readonly rules = new Set<ActiveRule>();
	private readonly watches = new Set<Tracked>();
	private target?: FaultTarget;
	private streams = 0;
	private restarting?: Promise<void>;
	// Timers that start killed nodes again (kill-node with down=).
	private readonly revivals = new Set<NodeJS.Timeout>();
	// The draws of injected faults (which node a kill-node without node= stops).
	private readonly injectRandom: Random;
	private stopped = false;
	/** How resumes from expired resourceVersions are refused since the last expire: in the stream, or as HTTP 410. */
	expireAs: 'event' | 'http' = 'event';

	constructor(options: FaultsOptions = {}) {
		this.seed = options.seed ?? randomSeed();
		this.onFault = options.onFault;
		this.logLimit = options.logLimit ?? 10_000;
		this.counts = Object.fromEntries(faultKinds.map((k) => [k, 0])) as Record<FaultKind, number>;
		this.injectRandom = seededRandom(streamSeed(this.seed, 0xffff));
	}

	/** Connects the injector to the server and store it acts on (the cluster does this once both exist). */
	attach(target: FaultTarget): void {
		this.target = target;
	}

	/** Every fault injected so far (the newest `logLimit`), oldest first. */
	get log(): FaultEvent[] {
		return [...this.events];
	}

	/** How many faults were injected in all. */
	get total(): number {
		return Object.values(this.counts).reduce((a, b) => a + b, 0);
	}

	/** The watch streams open now (stalled ones included). */
	get openWatches(): number {
		return this.watches.size;
	}

	/** Installs the rules of a SPEC (text or parsed; its seed is ignored: the injector's seed holds). Returns their remover. */
	add(spec: string | FaultSpec | FaultRule[]): () => void {
		const rules = typeof spec === 'string' ? parseFaultSpec(spec).rules : Array.isArray(spec) ? spec : spec.rules;
		const added = rules.map((rule) => this.install(rule));
		return () => {
			for (const a of added) this.remove(a);
		};
	}

	/** Removes every rule and timer; watches already stalled stay stalled (their connections are as good as dead). */
	clear(): void {
		for (const a of [...this.rules]) this.remove(a);
	}

	/** Stops every timer for good (the cluster calls it on stop). */
	stop(): void {
		this.stopped = true;
		this.clear();
		for (const t of this.revivals) clearTimeout(t);
		this.revivals.clear();
	}

	/**
	 * Injects one fault now, as a test drives it. Timed kinds fire at once and resolve with how many connections they
	 * hit (1 for expire and restart); error and latency arm a rule for the next `times` (default 1) matching requests
	 * and resolve with 0.
	 */
	async inject(kind: FaultKind, params: Omit<FaultRule, 'kind'> = {}): Promise<number> {
		const rule: FaultRule = {...params, kind};
		switch (kind) {
			case 'error':
				this.install({p: 1, times: 1, ...rule});
				return 0;
			case 'latency':
				if (rule.ms === undefined) throw new Error('inject latency needs ms');
				this.install({p: 1, times: 1, ...rule});
				return 0;
			case 'stall-watches':
				if (rule.p !== undefined) {
					this.install({times: 1, ...rule});
					return 0;
				}
				return this.fire(rule, 'inject');
			default:
				return this.fire(rule, 'inject');
		}
	}

	/** The per-request faults for one request: evaluated once, at arrival, in rule order. */
	decide(facts: RequestFacts): RequestDecision {
		if (this.rules.size === 0) return noDecision;
		let decision: RequestDecision | undefined;
		const hit = (a: ActiveRule, detail: string) => {
			decision ??= {delayMs: 0, internalError: false, stall: false, faults: []};
			decision.faults.push(a.rule.kind);
			this.record(a.rule.kind, detail, a.text);
			this.spend(a);
		};
		const what = facts.isResourceRequest ? `${facts.verb} ${facts.resource}` : facts.verb;
		for (const a of [...this.rules]) {
			const r = a.rule;
			if (r.every !== undefined || r.mean !== undefined) continue;
			if (r.verbs && !r.verbs.includes(facts.verb)) continue;
			if (r.resources && !r.resources.includes(facts.resource)) continue;
			if (r.kind === 'stall-watches' && !facts.isWatch) continue;
			// A storage failure (500) only happens on resource requests; 429 and latency hit anything.
			if (r.kind === 'error' && (r.code ?? 500) === 500 && !facts.isResourceRequest) continue;
			if (r.kind === 'error' && (decision?.tooManyRequests || decision?.internalError)) continue;
			if (a.random() >= (r.p ?? 1)) continue;
			switch (r.kind) {
				case 'latency': {
					const ms = (r.ms ?? 0) + (r.jitter ? Math.floor(a.random() * (r.jitter + 1)) : 0);
					hit(a, `+${ms} ms on ${what}`);
					decision!.delayMs += ms;
					break;
				}
				case 'error':
					if (r.code === 429) {
						hit(a, `429 on ${what}`);
						decision!.tooManyRequests = {retryAfter: r.retryAfter ?? 1};
					} else {
						hit(a, `500 on ${what}`);
						decision!.internalError = true;
					}
					break;
				case 'stall-watches':
					hit(a, `stalled a new watch on ${facts.resource}`);
					decision!.stall = true;
					break;
			}
		}
		return decision ?? noDecision;
	}

	/** Registers an open watch stream; the watch code sends nothing while `stalled` and calls `closed()` when it ends. */
	openWatch(watch: OpenWatch): WatchTap {
		const tracked: Tracked = {...watch, stalled: false};
		this.watches.add(tracked);
		return {
			get stalled() {
				return tracked.stalled;
			},
			closed: () => {
				this.watches.delete(tracked);
			},
		};
	}

	private install(rule: FaultRule): ActiveRule {
		const a: ActiveRule = {
			rule,
			text: formatFaultRule(rule),
			random: seededRandom(streamSeed(this.seed, this.streams++)),
			remaining: rule.times ?? Number.POSITIVE_INFINITY,
		};
		this.rules.add(a);
		if (rule.every !== undefined || rule.mean !== undefined) this.schedule(a, true);
		return a;
	}

	private remove(a: ActiveRule): void {
		if (a.timer) clearTimeout(a.timer);
		this.rules.delete(a);
	}

	private spend(a: ActiveRule): void {
		a.remaining--;
		if (a.remaining <= 0) this.remove(a);
	}

	private schedule(a: ActiveRule, first: boolean): void {
		if (this.stopped || !this.rules.has(a)) return;
		const interval = a.rule.every ?? exponential(a.random, a.rule.mean!);
		const delay = first && a.rule.after !== undefined ? a.rule.after : interval;
		a.timer = setTimeout(() => {
			a.timer = undefined;
			if (!this.rules.has(a)) return;
			this.spend(a);
			this.fire(a.rule, a.text, a.random).catch((error) => console.error('sim faults:', error));
			this.schedule(a, false);
		}, delay);
		a.timer.unref();
	}

	/** Carries out a timed fault now; resolves with how many connections (or 1 for expire/restart/kill-node) it hit. */
	private async fire(rule: FaultRule, ruleText: string, random: Random = this.injectRandom): Promise<number> {
		const inScope = (w: Tracked) => !rule.resources || rule.resources.includes(w.resource);
		switch (rule.kind) {
			case 'drop-watches': {
				const hit = [...this.watches].filter(inScope);
				for (const w of hit) {
					this.watches.delete(w);
					w.destroy();
				}
				this.record('drop-watches', `reset ${hit.length} watch${hit.length === 1 ? '' : 'es'}`, ruleText);
				return hit.length;
			}
			case 'stall-watches': {
				const hit = [...this.watches].filter((w) => inScope(w) && !w.stalled);
				for (const w of hit) w.stalled = true;
				this.record('stall-watches', `stalled ${hit.length} open watch${hit.length === 1 ? '' : 'es'}`, ruleText);
				return hit.length;
			}
			case 'expire': {
				if (!this.target) throw new Error('faults: expire needs the cluster (attach) first');
				this.expireAs = rule.as ?? 'event';
				this.target.compact();
				this.record(
					'expire',
					`compacted: older resourceVersions now get 410 (${this.expireAs === 'http' ? 'HTTP' : 'in-stream'})`,
					ruleText,
				);
				return 1;
			}
			case 'restart': {
				if (!this.target) throw new Error('faults: restart needs the cluster (attach) first');
				if (this.restarting) return 0;
				const down = rule.down ?? 0;
				this.record('restart', `API server restarting (port closed for ${down} ms)`, ruleText);
				this.restarting = this.target.restart(down).finally(() => {
					this.restarting = undefined;
				});
				await this.restarting;
				return 1;
			}
			case 'kill-node': {
				const target = this.target;
				if (!target?.killNode || !target.liveNodes) throw new Error('faults: kill-node needs the cluster (attach) first');
				const live = target.liveNodes();
				const node = rule.node ?? live[Math.floor(random() * live.length)];
				if (node === undefined || !live.includes(node)) {
					this.record('kill-node', `no node to kill${rule.node ? ` (${rule.node} is not running)` : ''}`, ruleText);
					return 0;
				}
				target.killNode(node);
				const back = rule.down === undefined ? 'it stays down' : `it starts again in ${formatDuration(rule.down)}`;
				this.record('kill-node', `killed ${node} (kubelet stopped; ${back})`, ruleText);
				if (rule.down !== undefined) {
					const timer = setTimeout(() => {
						this.revivals.delete(timer);
						if (!this.stopped) target.reviveNode?.(node);
					}, rule.down);
					timer.unref();
					this.revivals.add(timer);
				}
				return 1;
			}
			default:
				throw new Error(`faults: ${rule.kind} is a per-request fault; it cannot fire on a timer`);
		}
	}

	private record(kind: FaultKind, detail: string, rule: string): void {
		this.counts[kind]++;
		const event: FaultEvent = {time: Date.now(), kind, detail, rule};
		this.events.push(event);
		if (this.events.length > this.logLimit) this.events.splice(0, this.events.length - this.logLimit);
		this.onFault?.(event);
	}
}
