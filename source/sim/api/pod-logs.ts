// GET pods/{name}/log, as the apiserver and the kubelet serve it together: PodLogOptions decoded and validated by
// the apiserver (400 for a value that does not convert, 422 PodLogOptions for contradicting ones), the container
// checked against the pod's spec (pkg/registry/core/pod/strategy.go LogLocation), then the kubelet's choice of
// container instance from the pod's status (kubelet_pods.go validateContainerLogStatus) and its reading of the log:
// tailLines, then sinceSeconds/sinceTime, timestamps, limitBytes, and follow until the container stops.
import {badRequest, invalid, type StatusCause} from '../errors.js';
import type {KubeObject} from '../store.js';
import {parseRfc3339} from './go-time.js';
import {goQuote, queryBool, queryInt64} from './query.js';
import {mustGet, type Request} from './handlers-request.js';

/** One line a container wrote: its nanosecond timestamp, stream and text. */
export type ContainerLogLine = {ns: bigint; stream: 'stdout' | 'stderr'; text: string};

/** A container instance's log, as the kubelet reads it. */
export type ContainerLogInstance = {
	readonly containerID: string;
	readonly running: boolean;
	kept(): readonly ContainerLogLine[];
	follow(f: {line(line: ContainerLogLine): void; end(): void}): () => void;
};

/** Where the kubelets keep container logs: the current and the previous instance of a pod's container. */
export type ContainerLogSource = {
	instance(podUid: string, container: string, previous: boolean): ContainerLogInstance | undefined;
};

/** v1.PodLogOptions after the apiserver's conversion. */
export type PodLogOptions = {
	container: string;
	follow: boolean;
	previous: boolean;
	sinceSeconds?: number;
	/** Milliseconds; the apiserver hands the kubelet RFC 3339 to the second, so sub-second parts are dropped. */
	sinceTime?: number;
	timestamps: boolean;
	tailLines?: number;
	limitBytes?: number;
};

/** The query as the apiserver converts it into PodLogOptions; 400 with the conversion's text for a bad value. */
export function podLogOptions(query: URLSearchParams): PodLogOptions {
	const int = (name: string) => queryInt64(query, name);
	let sinceTime: number | undefined;
	const since = query.get('sinceTime');
	if (since !== null) {
		// Time.UnmarshalQueryParameter: "" and "null" are the zero time (still "set").
		try {
			sinceTime = since === '' || since === 'null' ? Number.NEGATIVE_INFINITY : parseRfc3339(since);
		} catch (error) {
			throw badRequest((error as Error).message);
		}
	}
	return {
		container: query.get('container') ?? '',
		follow: queryBool(query, 'follow'),
		previous: queryBool(query, 'previous'),
		sinceSeconds: int('sinceSeconds'),
		sinceTime,
		timestamps: queryBool(query, 'timestamps'),
		tailLines: int('tailLines'),
		limitBytes: int('limitBytes'),
	};
}

// validation.ValidatePodLogOptions.
function optionErrors(o: PodLogOptions): StatusCause[] {
	const causes: StatusCause[] = [];
	if (o.tailLines !== undefined && o.tailLines < 0) {
		causes.push({
			reason: 'FieldValueInvalid',
			field: 'tailLines',
			message: `Invalid value: ${o.tailLines}: must be greater than or equal to 0`,
		});
	}
	if (o.limitBytes !== undefined && o.limitBytes < 1) {
		causes.push({reason: 'FieldValueInvalid', field: 'limitBytes', message: `Invalid value: ${o.limitBytes}: must be greater than 0`});
	}
	if (o.sinceSeconds !== undefined && o.sinceTime !== undefined) {
		causes.push({
			reason: 'FieldValueForbidden',
			field: '',
			message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
		});
	} else if (o.sinceSeconds !== undefined && o.sinceSeconds < 1) {
		causes.push({reason: 'FieldValueInvalid', field: 'sinceSeconds', message: `Invalid value: ${o.sinceSeconds}: must be greater than 0`});
	}
	return causes;
}

const allContainers = (pod: KubeObject): string[] =>
	[...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c: any) => c.name);

// strategy.go validateContainer: the container asked for, or the pod's only one.
function containerOf(pod: KubeObject, asked: string): string {
	const name = pod.metadata.name!;
	if (asked !== '') {
		if (!allContainers(pod).includes(asked)) throw badRequest(`container ${asked} is not valid for pod ${name}`);
		return asked;
	}
	const containers: any[] = pod.spec?.containers ?? [];
	if (containers.length === 1) return containers[0].name;
	if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
	throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${allContainers(pod).join(' ')}]`);
}

// kubelet_pods.go validateContainerLogStatus: which container ID's log to read, or the kubelet's reason why none.
function containerIdFor(pod: KubeObject, container: string, previous: boolean): string {
	const podName = pod.metadata.name!;
	const q = (s: string) => goQuote(s);
	const status: any = [
		...(pod.status?.containerStatuses ?? []),
		...(pod.status?.initContainerStatuses ?? []),
		...(pod.status?.ephemeralContainerStatuses ?? []),
	].find((s: any) => s.name === container);
	if (!status) throw badRequest(`container ${q(container)} in pod ${q(podName)} is not available`);
	const last = status.lastState?.terminated;
	const {waiting, running, terminated} = status.state ?? {};
	if (previous) {
		if (!last?.containerID) throw badRequest(`previous terminated container ${q(container)} in pod ${q(podName)} not found`);
		return last.containerID;
	}
	if (running) return status.containerID ?? '';
	if (terminated) {
		if (terminated.containerID) return terminated.containerID;
		if (last?.containerID) return last.containerID;
		throw badRequest(`container ${q(container)} in pod ${q(podName)} is terminated`);
	}
	if (last) {
		if (!last.containerID) throw badRequest(`container ${q(container)} in pod ${q(podName)} is terminated`);
		return last.containerID;
	}
	if (waiting) {
		switch (waiting.reason) {
			case 'ErrImagePull':
				throw badRequest(`container ${q(container)} in pod ${q(podName)} is waiting to start: image can't be pulled`);
			case 'ImagePullBackOff':
				throw badRequest(`container ${q(container)} in pod ${q(podName)} is waiting to start: trying and failing to pull image`);
			default:
				throw badRequest(`container ${q(container)} in pod ${q(podName)} is waiting to start: ${waiting.reason ?? ''}`);
		}
	}
	throw badRequest(`container ${q(container)} in pod ${q(podName)} is waiting to start - no logs yet`);
}

/** RFC 3339 with nanoseconds, trailing zeros dropped, as Go's time.RFC3339Nano prints the kubelet's timestamps. */
export function rfc3339Nano(ns: bigint): string {
	const ms = Number(ns / 1_000_000n);
	const base = new Date(ms).toISOString().slice(0, 19);
	const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
	return `${base}${fraction ? `.${fraction}` : ''}Z`;
}

/** GET pods/{name}/log. */
export function podLog(r: Request): void {
	const options = podLogOptions(r.query);
	const name = r.route.name!;
	const causes = optionErrors(options);
	if (causes.length > 0) throw invalid('PodLogOptions', '', name, causes);
	const pod = mustGet(r, name);
	const container = containerOf(pod, options.container);
	const head = () =>
		r.res.writeHead(200, {'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked'});
	// A pod no node has taken yet has no logs: the apiserver streams nothing.
	if (!pod.spec?.nodeName) {
		head();
		r.res.end();
		return;
	}
	const id = containerIdFor(pod, container, options.previous);
	head();
	const source = r.ctx.containerLogs;
	const instance = [source?.instance(pod.metadata.uid!, container, false), source?.instance(pod.metadata.uid!, container, true)].find(
		(i) => i !== undefined && i.containerID === id,
	);
	streamLog(r, instance, options);
}

// kuberuntime's ReadLogs: the last tailLines lines, those not before `since`, with or without timestamps, cut at
// limitBytes; with follow, new lines until the container stops or the client goes.
function streamLog(r: Request, instance: ContainerLogInstance | undefined, o: PodLogOptions): void {
	const res = r.res;
	if (!instance) {
		res.end();
		return;
	}
	const now = r.ctx.clock.now();
	let sinceNs = -1n;
	if (o.sinceSeconds !== undefined) sinceNs = BigInt(now - o.sinceSeconds * 1000) * 1_000_000n;
	if (o.sinceTime !== undefined && Number.isFinite(o.sinceTime)) {
		// The apiserver passes sinceTime on in RFC 3339, to the second.
		const seconds = BigInt(Math.floor(o.sinceTime / 1000)) * 1_000_000_000n;
		if (seconds > sinceNs) sinceNs = seconds;
	}
	let remaining = o.limitBytes ?? Number.POSITIVE_INFINITY;
	// Returns false once the byte limit is reached.
	const write = (line: ContainerLogLine): boolean => {
		if (line.ns < sinceNs) return true;
		let bytes = Buffer.from(`${o.timestamps ? `${rfc3339Nano(line.ns)} ` : ''}${line.text}\n`);
		if (bytes.length > remaining) bytes = bytes.subarray(0, remaining);
		res.write(bytes);
		remaining -= bytes.length;
		return remaining > 0;
	};
	const kept = instance.kept();
	const from = o.tailLines !== undefined ? Math.max(0, kept.length - o.tailLines) : 0;
	for (let i = from; i < kept.length; i++) {
		if (!write(kept[i]!)) {
			res.end();
			return;
		}
	}
	if (!o.follow || !instance.running) {
		res.end();
		return;
	}
	let stop: () => void = () => {};
	const finish = () => {
		stop();
		if (!res.writableEnded) res.end();
	};
	stop = instance.follow({
		line: (line) => {
			if (!write(line)) finish();
		},
		end: finish,
	});
	r.req.on('close', finish);
	res.on('close', finish);
}
