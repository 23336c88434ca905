// Every request the API server received, in arrival order, for tests that judge a client's behaviour from the
// server's side ("no request storm": how many relists and rewatches a fault caused, and how far apart).
// It never holds a header, a token or a body.

/** One request. `status` is set once the answer's headers went out; a request still open (a watch) has `end` undefined. */
export type RequestRecord = {
	/** Sequence number, from 1. */
	seq: number;
	/** Wall-clock ms when the request arrived. */
	time: number;
	method: string;
	path: string;
	/** The raw query string without '?', '' when none. */
	query: string;
	/** The authenticated user's name; '' when the request carried no valid credential. */
	user: string;
	/** The API verb (get, list, watch, create, ...; the lower-cased method for non-resource paths). */
	verb: string;
	/** The resource (plural), '' for non-resource paths. */
	resource: string;
	/** The HTTP status sent; 0 while none was sent (a stalled watch) or when the connection died first. */
	status: number;
	/** Wall-clock ms when the exchange ended (answer finished, or the connection closed); undefined while open. */
	end?: number;
	/** The fault that hit this request, if any (error, latency, stall-watches, expire). */
	fault?: string;
};

export type RequestLogOptions = {
	/** How many records are kept; the oldest go first. @default 200000 */
	limit?: number;
};

/** The server's request log: bounded, newest last, with listeners for tests that follow it live. */
export class RequestLog {
	private readonly records: RequestRecord[] = [];
	private readonly limit: number;
	private seq = 0;
	private readonly listeners = new Set<(r: RequestRecord) => void>();

	constructor(options: RequestLogOptions = {}) {
		this.limit = options.limit ?? 200_000;
	}

	/** Records a request as it arrives; the server fills in user, status and end as they become known. */
	start(fields: Omit<RequestRecord, 'seq' | 'status' | 'end'>): RequestRecord {
		const record: RequestRecord = {seq: ++this.seq, status: 0, ...fields};
		this.records.push(record);
		if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
		for (const listener of this.listeners) listener(record);
		return record;
	}

	/** The records kept (a copy), oldest first; `since` keeps those that arrived at or after that wall-clock ms. */
	entries(since?: number): RequestRecord[] {
		return since === undefined ? [...this.records] : this.records.filter((r) => r.time >= since);
	}

	/** How many requests were received since start, including those no longer kept. */
	get total(): number {
		return this.seq;
	}

	/** Calls `listener` for each new request (at arrival); returns the function that stops it. */
	onRequest(listener: (r: RequestRecord) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Forgets every record (the sequence keeps counting). */
	clear(): void {
		this.records.length = 0;
	}
}
