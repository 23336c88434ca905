// Service cluster IPs (10.96.0.0/16) and nodePorts (30000-32767). The store's services are the record of
// what is taken, so objects written straight to the store (the `kubernetes` service) count too.
import {invalid, type StatusCause} from '../errors.js';
import type {KubeObject, Store} from '../store.js';

export const nodePortRange = {min: 30000, max: 32767};

/** The cluster IP range: 10.96.0.0/16; .0.0 and .255.255 are never handed out, 10.96.0.1 is the `kubernetes` service's. */
const ipBase = (10 << 24) | (96 << 16);
const ipCount = 1 << 16;

function ipString(n: number): string {
	return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function ipNumber(ip: string): number | undefined {
	const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
	if (!m) return undefined;
	const parts = m.slice(1).map(Number);
	if (parts.some((p) => p > 255)) return undefined;
	return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export type AllocatorOptions = {
	store: Store;
	/** Asked before a nodePort is handed out; false means "pick another" (random) or "already allocated" (requested). */
	reserveNodePort?: (port: number) => Promise<boolean>;
	releaseNodePort?: (port: number) => void;
	random?: () => number;
};

/** What a create or update allocated, so a failed write can give it back. */
export type Allocation = {nodePorts: number[]};

export class ServiceAllocator {
	private readonly pendingPorts = new Set<number>();
	private readonly pendingIPs = new Set<string>();
	private readonly random: () => number;

	constructor(private readonly options: AllocatorOptions) {
		this.random = options.random ?? Math.random;
	}

	private usedIPs(except?: string): Set<string> {
		const used = new Set(this.pendingIPs);
		for (const s of this.options.store.list('services').items) {
			if (s.metadata.uid === except) continue;
			for (const ip of [s.spec?.clusterIP, ...(s.spec?.clusterIPs ?? [])]) if (ip && ip !== 'None') used.add(ip);
		}
		return used;
	}

	private usedPorts(except?: string): Set<number> {
		const used = new Set(this.pendingPorts);
		for (const s of this.options.store.list('services').items) {
			if (s.metadata.uid === except) continue;
			for (const p of s.spec?.ports ?? []) if (p?.nodePort) used.add(p.nodePort);
		}
		return used;
	}

	private allocateIP(service: KubeObject, causes: StatusCause[]): void {
		const spec = service.spec;
		if (spec.type === 'ExternalName') {
			delete spec.clusterIP;
			delete spec.clusterIPs;
			return;
		}
		const requested = spec.clusterIP || spec.clusterIPs?.[0];
		if (requested === 'None') {
			spec.clusterIP = 'None';
			spec.clusterIPs = ['None'];
		} else if (requested) {
			const n = ipNumber(requested);
			if (n === undefined) {
				causes.push({
					reason: 'FieldValueInvalid',
					field: 'spec.clusterIPs[0]',
					message: `Invalid value: ${JSON.stringify(requested)}: must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
				});
				return;
			}
			if ((n & 0xffff0000) >>> 0 !== ipBase >>> 0) {
				causes.push({
					reason: 'FieldValueInvalid',
					field: 'spec.clusterIPs',
					message: `Invalid value: []string{${JSON.stringify(requested)}}: failed to allocate IP ${requested}: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/16`,
				});
				return;
			}
			if (this.usedIPs(service.metadata.uid).has(requested)) {
				causes.push({
					reason: 'FieldValueInvalid',
					field: 'spec.clusterIPs',
					message: `Invalid value: []string{${JSON.stringify(requested)}}: failed to allocate IP ${requested}: provided IP is already allocated`,
				});
				return;
			}
			spec.clusterIP = requested;
			spec.clusterIPs = [requested];
		} else {
			const used = this.usedIPs();
			if (used.size >= ipCount - 3) {
				causes.push({
					reason: 'FieldValueInvalid',
					field: 'spec.clusterIPs',
					message: 'Invalid value: []string(nil): failed to allocate a serviceIP: range is full',
				});
				return;
			}
			let ip: string;
			do ip = ipString((ipBase + 2 + Math.floor(this.random() * (ipCount - 3))) >>> 0);
			while (used.has(ip));
			spec.clusterIP = ip;
			spec.clusterIPs = [ip];
		}
		spec.ipFamilies ??= ['IPv4'];
		spec.ipFamilyPolicy ??= 'SingleStack';
	}

	/**
	 * Fills clusterIP/clusterIPs and nodePorts of a Service about to be stored, keeping what `old` (an update)
	 * already had. Throws 422 Invalid for a taken or out-of-range request. With `dryRun`, reserves nothing.
	 */
	async allocate(service: KubeObject, old: KubeObject | undefined, dryRun: boolean): Promise<Allocation> {
		const spec = service.spec;
		const causes: StatusCause[] = [];
		const name = service.metadata.name ?? service.metadata.generateName ?? '';
		if (old && old.spec?.type !== 'ExternalName' && spec.type !== 'ExternalName') {
			// Clients that send the object back without the allocated values (kubectl apply, replace) keep them.
			if (!spec.clusterIP && !spec.clusterIPs) {
				spec.clusterIP = old.spec?.clusterIP;
				spec.clusterIPs = old.spec?.clusterIPs;
			}
			spec.ipFamilies ??= old.spec?.ipFamilies;
			spec.ipFamilyPolicy ??= old.spec?.ipFamilyPolicy;
		}
		if (!old || old.spec?.clusterIP !== spec.clusterIP || !spec.clusterIP) this.allocateIP(service, causes);
		if (!spec.clusterIPs && spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
		const wantsNodePorts = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
		const allocation: Allocation = {nodePorts: []};
		if (!wantsNodePorts) {
			if (causes.length > 0) throw invalid('Service', '', name, causes);
			return allocation;
		}
		const ports: any[] = Array.isArray(spec.ports) ? spec.ports : [];
		const oldPorts: any[] = old?.spec?.ports ?? [];
		const ownedByOld = new Set(oldPorts.map((p) => p?.nodePort).filter(Boolean));
		const used = this.usedPorts(service.metadata.uid);
		const requested: {index: number; port: number}[] = [];
		ports.forEach((p, index) => {
			if (!p || typeof p !== 'object') return;
			if (!p.nodePort && old) {
				const match = oldPorts.find((o) => o?.nodePort && o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
				if (match) p.nodePort = match.nodePort;
			}
			if (p.nodePort) requested.push({index, port: p.nodePort});
		});
		for (const {index, port} of requested) {
			if (!Number.isInteger(port) || port < nodePortRange.min || port > nodePortRange.max) {
				causes.push({
					reason: 'FieldValueInvalid',
					field: `spec.ports[${index}].nodePort`,
					message: `Invalid value: ${port}: provided port is not in the valid range. The range of valid ports is ${nodePortRange.min}-${nodePortRange.max}`,
				});
			} else if (used.has(port) && !ownedByOld.has(port)) {
				causes.push({
					reason: 'FieldValueInvalid',
					field: `spec.ports[${index}].nodePort`,
					message: `Invalid value: ${port}: provided port is already allocated`,
				});
			}
		}
		if (causes.length > 0) throw invalid('Service', '', name, causes);
		const taken: number[] = [];
		try {
			for (const {index, port} of requested) {
				if (ownedByOld.has(port) || dryRun) continue;
				this.pendingPorts.add(port);
				taken.push(port);
				if (!(await this.reserve(port))) {
					throw invalid('Service', '', name, [
						{
							reason: 'FieldValueInvalid',
							field: `spec.ports[${index}].nodePort`,
							message: `Invalid value: ${port}: provided port is already allocated`,
						},
					]);
				}
			}
			for (const p of ports) {
				if (!p || typeof p !== 'object' || p.nodePort) continue;
				p.nodePort = await this.pickPort(name, used, dryRun, taken);
			}
		} catch (error) {
			for (const port of taken) this.release(port);
			throw error;
		} finally {
			for (const port of taken) this.pendingPorts.delete(port);
		}
		allocation.nodePorts = taken;
		return allocation;
	}

	private async pickPort(name: string, used: Set<number>, dryRun: boolean, taken: number[]): Promise<number> {
		const size = nodePortRange.max - nodePortRange.min + 1;
		const start = Math.floor(this.random() * size);
		for (let i = 0; i < size; i++) {
			const port = nodePortRange.min + ((start + i) % size);
			if (used.has(port) || this.pendingPorts.has(port)) continue;
			if (dryRun) return port;
			this.pendingPorts.add(port);
			taken.push(port);
			if (await this.reserve(port)) return port;
			// The router could not bind it: leave it marked so this request does not try it again.
			taken.pop();
			used.add(port);
			this.pendingPorts.delete(port);
		}
		throw invalid('Service', '', name, [
			{reason: 'FieldValueInvalid', field: 'spec.ports', message: 'Invalid value: null: failed to allocate a nodePort: range is full'},
		]);
	}

	private async reserve(port: number): Promise<boolean> {
		return this.options.reserveNodePort ? this.options.reserveNodePort(port) : true;
	}

	/** Gives back a nodePort (service deleted, port removed, or a write that failed after allocating). */
	release(port: number): void {
		this.options.releaseNodePort?.(port);
	}

	/** Releases the nodePorts `old` held that `current` (undefined when deleted) no longer uses. */
	releaseDropped(old: KubeObject, current: KubeObject | undefined): void {
		const kept = new Set((current?.spec?.ports ?? []).map((p: any) => p?.nodePort).filter(Boolean));
		for (const p of old.spec?.ports ?? []) if (p?.nodePort && !kept.has(p.nodePort)) this.release(p.nodePort);
	}
}
