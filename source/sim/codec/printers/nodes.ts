// The node and namespace printers, the cluster-scoped kinds; separate because they share nothing with the namespaced printers.
import type {KubeObject} from '../../store.js';
import {since} from './age.js';
import {ageColumn, column, nameColumn, wide, type Printer} from './printer.js';

function nodeRoles(node: KubeObject): string {
	const roles = new Set<string>();
	for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
		if (k.startsWith('node-role.kubernetes.io/')) {
			const role = k.slice('node-role.kubernetes.io/'.length);
			if (role) roles.add(role);
		} else if (k === 'kubernetes.io/role' && v) roles.add(v);
	}
	return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(node: KubeObject, type: string): string {
	return (node.status?.addresses ?? []).find((a: {type: string}) => a.type === type)?.address ?? '<none>';
}

/** `kubectl get nodes`: STATUS, ROLES, AGE, VERSION; addresses, OS image, kernel and runtime with -o wide. */
export const nodePrinter: Printer = {
	columns: [
		nameColumn,
		column('Status', 'The status of the node'),
		column('Roles', 'The roles of the node'),
		ageColumn,
		column('Version', 'Kubelet Version reported by the node.'),
		column('Internal-IP', 'The node address of type InternalIP.', wide),
		column('External-IP', 'The node address of type ExternalIP.', wide),
		column('OS-Image', 'The OS image reported by the node.', wide),
		column('Kernel-Version', 'The kernel version reported by the node.', wide),
		column('Container-Runtime', 'The container runtime version reported by the node.', wide),
	],
	row(node, now) {
		const ready = (node.status?.conditions ?? []).find((c: {type: string}) => c.type === 'Ready');
		const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
		if (node.spec?.unschedulable) status.push('SchedulingDisabled');
		const info = node.status?.nodeInfo ?? {};
		return {
			cells: [
				node.metadata.name ?? '',
				status.join(','),
				nodeRoles(node),
				since(node.metadata.creationTimestamp, now),
				info.kubeletVersion ?? '',
				nodeAddress(node, 'InternalIP'),
				nodeAddress(node, 'ExternalIP'),
				info.osImage || '<unknown>',
				info.kernelVersion || '<unknown>',
				info.containerRuntimeVersion || '<unknown>',
			],
		};
	},
};

/** `kubectl get namespaces`: STATUS, AGE. */
export const namespacePrinter: Printer = {
	columns: [nameColumn, column('Status', 'The status of the namespace'), ageColumn],
	row: (ns, now) => ({cells: [ns.metadata.name ?? '', ns.status?.phase ?? '', since(ns.metadata.creationTimestamp, now)]}),
};
