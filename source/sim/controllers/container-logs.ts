// What the simulated containers print, kept as the kubelet keeps container logs: per pod and container, the current
// instance and the one before it (for `kubectl logs --previous`), each line with its stream and a nanosecond
// timestamp, bounded per instance (the oldest lines go first, as log rotation drops them). Followers of a running
// instance get each new line, and are told when it stops. The kubelet reports container starts, stop signals and
// exits through ContainerHooks; the NodePort router reports the requests a container served.
import type {Clock} from '../clock.js';
import {outputOf, type AccessEntry, type ContainerProcess, type NodeFacts} from './container-output.js';
import type {ImageInfo} from './images.js';

/** One line a container wrote. `ns` orders lines and is what `timestamps=true` prints. */
export type LogLine = {ns: bigint; stream: 'stdout' | 'stderr'; text: string};

/** A reader of a running instance: each new line, then `end` once the container has stopped. */
export type LogFollower = {line(line: LogLine): void; end(): void};

/** How much of each instance's output is kept, in bytes of text. @default 262144 */
export const defaultLogLimitBytes = 256 * 1024;

/** One run of a container: its ID and output, and whether it still runs. */
export class ContainerInstance {
	readonly lines: LogLine[] = [];
	private bytes = 0;
	private head = 0;
	running = true;
	private followers?: Set<LogFollower>;
	// The start-up output, written out only when someone reads the log or the container writes more: most of
	// 20,000 pods are never read, and their start-up lines are a pure function of the start time.
	private prelude?: {process: ContainerProcess; at: number; firstNs: bigint};

	constructor(
		readonly containerID: string,
		private readonly limitBytes: number,
	) {}

	/** Sets the start-up lines: `process.start(at)`, stamped from `firstNs` on, made when first needed. */
	setPrelude(process: ContainerProcess, at: number, firstNs: bigint): void {
		this.prelude = {process, at, firstNs};
	}

	private materialize(): void {
		const prelude = this.prelude;
		if (!prelude) return;
		this.prelude = undefined;
		const later = this.lines.splice(0);
		this.head = 0;
		this.bytes = 0;
		for (const [i, l] of prelude.process.start(prelude.at).entries())
			this.push({ns: prelude.firstNs + BigInt(i), stream: l.stream, text: l.text});
		for (const l of later) this.push(l);
	}

	/** The lines kept, oldest first. */
	kept(): LogLine[] {
		this.materialize();
		return this.head === 0 ? this.lines : this.lines.slice(this.head);
	}

	append(line: LogLine): void {
		this.materialize();
		this.push(line);
		if (this.followers) for (const f of [...this.followers]) f.line(line);
	}

	private push(line: LogLine): void {
		this.lines.push(line);
		this.bytes += line.text.length + 1;
		while (this.bytes > this.limitBytes && this.head < this.lines.length - 1) {
			this.bytes -= this.lines[this.head]!.text.length + 1;
			this.head++;
		}
		// Compact now and then rather than shifting on every line.
		if (this.head > 1024 && this.head * 2 > this.lines.length) {
			this.lines.splice(0, this.head);
			this.head = 0;
		}
	}

	/** Streams new lines to `f` until the instance stops (at once if it has); returns the unsubscribe. */
	follow(f: LogFollower): () => void {
		this.materialize();
		if (!this.running) {
			f.end();
			return () => {};
		}
		this.followers ??= new Set();
		this.followers.add(f);
		return () => this.followers?.delete(f);
	}

	stop(): void {
		if (!this.running) return;
		this.running = false;
		for (const f of [...(this.followers ?? [])]) f.end();
		this.followers = undefined;
	}
}

type ContainerRecord = {current?: ContainerInstance; previous?: ContainerInstance; process?: ContainerProcess};

/** The pod and container a hook is about, as the kubelet knows them. */
export type PodRef = {uid: string; namespace: string; name: string; node: string; podIP?: string};
export type ContainerRef = {name: string; image: string; containerID: string; info?: ImageInfo; spec?: any};

/** What the kubelet tells the log store about a container's life. */
export interface ContainerHooks {
	/** A container (re)started: a new instance, the last one kept as the previous. */
	started(pod: PodRef, container: ContainerRef): void;
	/** The kubelet sent the container its stop signal. */
	stopping(podUid: string, container: string): void;
	/** The container's process exited. */
	exited(podUid: string, container: string, exitCode: number): void;
	/** The pod is gone from the node: its logs go too. */
	removed(podUid: string): void;
}

/** Every container's logs on every simulated node. */
export class ContainerLogs implements ContainerHooks {
	private readonly pods = new Map<string, Map<string, ContainerRecord>>();
	private lastNs = 0n;

	/**
	 * @param nodeFacts the kernel and CPU count a process on that node sees (nginx prints both).
	 * @param limitBytes how much of each instance's output is kept.
	 */
	constructor(
		private readonly clock: Clock,
		private readonly nodeFacts: (node: string) => NodeFacts,
		private readonly limitBytes = defaultLogLimitBytes,
	) {}

	/**
	 * A strictly increasing nanosecond timestamp: the clock's millisecond, the process's high-resolution timer for
	 * the digits below it (as the runtime stamps each line), and lines within one nanosecond kept apart.
	 */
	private stamp(): bigint {
		const ns = BigInt(this.clock.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
		this.lastNs = ns > this.lastNs ? ns : this.lastNs + 1n;
		return this.lastNs;
	}

	private record(podUid: string, container: string, create = false): ContainerRecord | undefined {
		let pod = this.pods.get(podUid);
		if (!pod) {
			if (!create) return undefined;
			pod = new Map();
			this.pods.set(podUid, pod);
		}
		let r = pod.get(container);
		if (!r && create) {
			r = {};
			pod.set(container, r);
		}
		return r;
	}

	private write(instance: ContainerInstance, lines: {stream: 'stdout' | 'stderr'; text: string}[]): void {
		for (const l of lines) instance.append({ns: this.stamp(), stream: l.stream, text: l.text});
	}

	started(pod: PodRef, container: ContainerRef): void {
		const r = this.record(pod.uid, container.name, true)!;
		if (r.current) {
			r.current.stop();
			r.previous = r.current;
		}
		r.current = new ContainerInstance(container.containerID, this.limitBytes);
		const process = outputOf(container.info, container.spec, this.nodeFacts(pod.node));
		r.process = process;
		if (!process) return;
		const now = this.clock.now();
		const count = process.startCount();
		if (count === 0) return;
		// Reserve the start-up lines' timestamps now; their text is made again, identically, when first read.
		const firstNs = this.stamp();
		this.lastNs += BigInt(count - 1);
		r.current.setPrelude(process, now, firstNs);
	}

	stopping(podUid: string, container: string): void {
		const r = this.record(podUid, container);
		if (r?.current?.running && r.process) this.write(r.current, r.process.stop(this.clock.now()));
	}

	exited(podUid: string, container: string, exitCode: number): void {
		const r = this.record(podUid, container);
		if (!r?.current?.running) return;
		if (r.process) this.write(r.current, r.process.exit(this.clock.now(), exitCode));
		r.current.stop();
	}

	removed(podUid: string): void {
		const pod = this.pods.get(podUid);
		if (!pod) return;
		for (const r of pod.values()) r.current?.stop();
		this.pods.delete(podUid);
	}

	/** A request the container answered, logged by its server (nginx's access log). */
	served(podUid: string, container: string, entry: AccessEntry): void {
		const r = this.record(podUid, container);
		if (!r?.current?.running || !r.process) return;
		this.write(r.current, r.process.access(entry));
	}

	/** The instance `kubectl logs` reads: the running or last one, or with `previous` the one before it. */
	instance(podUid: string, container: string, previous: boolean): ContainerInstance | undefined {
		const r = this.record(podUid, container);
		return previous ? r?.previous : r?.current;
	}

	/** How many pods have logs kept (for tests and memory checks). */
	get podCount(): number {
		return this.pods.size;
	}
}

/** Hooks that keep nothing, for kubelets run without a log store. */
export const noContainerHooks: ContainerHooks = {
	started() {},
	stopping() {},
	exited() {},
	removed() {},
};
