// The service and endpoints printers with their address and port text; separate because they are the network kinds, read together.
import type {KubeObject} from '../../store.js';
import {since} from './age.js';
import {ageColumn, column, nameColumn, wide, type Printer} from './printer.js';

/** labels.FormatLabels: sorted k=v pairs, or <none>. */
function formatLabels(labels: Record<string, string> | undefined): string {
	const keys = Object.keys(labels ?? {}).sort();
	return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels![k]}`).join(',');
}

function serviceExternalIP(svc: KubeObject): string {
	const spec = svc.spec ?? {};
	const externalIPs: string[] = spec.externalIPs ?? [];
	switch (spec.type ?? 'ClusterIP') {
		case 'ClusterIP':
		case 'NodePort':
			return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
		case 'LoadBalancer': {
			const ingress: Array<{ip?: string; hostname?: string}> = svc.status?.loadBalancer?.ingress ?? [];
			const lb = [...new Set(ingress.map((i) => i.ip || i.hostname || '').filter(Boolean))].sort();
			const all = [...lb, ...externalIPs];
			return all.length > 0 ? all.join(',') : '<pending>';
		}
		case 'ExternalName':
			return spec.externalName ?? '';
		default:
			return '<unknown>';
	}
}

/** "80/TCP", or "80:30353/TCP" with a nodePort; comma-separated. */
function servicePorts(ports: Array<{port: number; nodePort?: number; protocol?: string}> | undefined): string {
	const text = (ports ?? [])
		.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`))
		.join(',');
	return text || '<none>';
}

/** `kubectl get services`: TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S), AGE; SELECTOR with -o wide. */
export const servicePrinter: Printer = {
	columns: [
		nameColumn,
		column('Type', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
		column('Cluster-IP', 'The IP address of the service inside the cluster.'),
		column('External-IP', 'IP addresses outside the cluster that reach the service.'),
		column('Port(s)', 'The ports the service exposes.'),
		ageColumn,
		column('Selector', 'The labels of the pods the service routes to.', wide),
	],
	row(svc, now) {
		return {
			cells: [
				svc.metadata.name ?? '',
				svc.spec?.type ?? 'ClusterIP',
				svc.spec?.clusterIPs?.[0] ?? (svc.spec?.clusterIP || '<none>'),
				serviceExternalIP(svc),
				servicePorts(svc.spec?.ports),
				since(svc.metadata.creationTimestamp, now),
				formatLabels(svc.spec?.selector),
			],
		};
	},
};

/** "10.244.1.5:80,10.244.2.7:80 + 1 more...", at most three addresses, or <none>. */
function formatEndpoints(endpoints: KubeObject): string {
	const subsets: Array<{addresses?: Array<{ip: string}>; ports?: Array<{port: number}>}> = endpoints.subsets ?? [];
	if (subsets.length === 0) return '<none>';
	const max = 3;
	const list: string[] = [];
	let count = 0;
	let more = false;
	for (const ss of subsets) {
		const addresses = ss.addresses ?? [];
		const ports = ss.ports ?? [];
		if (ports.length === 0) {
			count += addresses.length;
			for (const a of addresses) {
				if (list.length === max) {
					more = true;
					break;
				}
				list.push(a.ip);
			}
			continue;
		}
		for (const port of ports) {
			count += addresses.length;
			for (const a of addresses) {
				if (list.length === max) {
					more = true;
					break;
				}
				list.push(a.ip.includes(':') ? `[${a.ip}]:${port.port}` : `${a.ip}:${port.port}`);
			}
		}
	}
	const text = list.join(',');
	return more ? `${text} + ${count - max} more...` : text;
}

/** `kubectl get endpoints`: ENDPOINTS, AGE. */
export const endpointsPrinter: Printer = {
	columns: [nameColumn, column('Endpoints', 'The addresses and ports of the ready pods behind the service.'), ageColumn],
	row: (ep, now) => ({cells: [ep.metadata.name ?? '', formatEndpoints(ep), since(ep.metadata.creationTimestamp, now)]}),
};
