// The workload printers (deployments, replicasets) and the label selector text they show; separate from pods because they share only the column helpers.
import {since} from './age.js';
import {ageColumn, column, nameColumn, wide, type Printer} from './printer.js';

type LabelSelector = {matchLabels?: Record<string, string>; matchExpressions?: Array<{key: string; operator: string; values?: string[]}>};

/** A LabelSelector as the label selector syntax (requirements sorted by key), '' for everything, undefined if invalid. */
function selectorString(selector: LabelSelector | undefined): string | undefined {
	if (!selector) return '';
	const parts: Array<[string, string]> = [];
	for (const [k, v] of Object.entries(selector.matchLabels ?? {})) parts.push([k, `${k}=${v}`]);
	for (const e of selector.matchExpressions ?? []) {
		const values = [...new Set(e.values ?? [])].sort().join(',');
		switch (e.operator) {
			case 'In':
				parts.push([e.key, `${e.key} in (${values})`]);
				break;
			case 'NotIn':
				parts.push([e.key, `${e.key} notin (${values})`]);
				break;
			case 'Exists':
				parts.push([e.key, e.key]);
				break;
			case 'DoesNotExist':
				parts.push([e.key, `!${e.key}`]);
				break;
			default:
				return undefined;
		}
	}
	// A stable sort by key keeps matchLabels ahead of expressions on the same key, as the Go sort does.
	return parts
		.map((p, i) => [p, i] as const)
		.sort(([a, i], [b, j]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : i - j))
		.map(([p]) => p[1])
		.join(',');
}

/** metav1.FormatLabelSelector: the selector, <none> when it selects everything, <error> when invalid. */
function formatLabelSelector(selector: LabelSelector | undefined): string {
	const s = selectorString(selector);
	if (s === undefined) return '<error>';
	return s === '' ? '<none>' : s;
}

/** Container names and images, comma-separated, for the wide CONTAINERS and IMAGES columns. */
function containerCells(containers: Array<{name?: string; image?: string}> | undefined): [string, string] {
	const list = containers ?? [];
	return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

const containersColumn = column('Containers', 'Names of each container in the template.', wide);
const imagesColumn = column('Images', 'Images referenced by each container in the template.', wide);

/** `kubectl get replicasets`: DESIRED, CURRENT, READY, AGE; CONTAINERS, IMAGES, SELECTOR with -o wide. */
export const replicaSetPrinter: Printer = {
	columns: [
		nameColumn,
		column('Desired', 'How many pods the ReplicaSet wants.', {type: 'integer'}),
		column('Current', 'How many pods the ReplicaSet has.', {type: 'integer'}),
		column('Ready', 'How many of its pods are ready.', {type: 'integer'}),
		ageColumn,
		containersColumn,
		imagesColumn,
		column('Selector', 'The label query over the pods the ReplicaSet owns.', wide),
	],
	row(rs, now) {
		const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
		return {
			cells: [
				rs.metadata.name ?? '',
				rs.spec?.replicas ?? 1,
				rs.status?.replicas ?? 0,
				rs.status?.readyReplicas ?? 0,
				since(rs.metadata.creationTimestamp, now),
				names,
				images,
				formatLabelSelector(rs.spec?.selector),
			],
		};
	},
};

/** `kubectl get deployments`: READY, UP-TO-DATE, AVAILABLE, AGE; CONTAINERS, IMAGES, SELECTOR with -o wide. */
export const deploymentPrinter: Printer = {
	columns: [
		nameColumn,
		column('Ready', 'Number of the pod with ready state'),
		column('Up-to-date', 'Total number of pods targeted by this deployment that have the desired template spec.'),
		column('Available', 'Total number of pods targeted by this deployment that have been available for minReadySeconds.'),
		ageColumn,
		containersColumn,
		imagesColumn,
		column('Selector', 'The label query over the pods the deployment manages.', wide),
	],
	row(d, now) {
		const [names, images] = containerCells(d.spec?.template?.spec?.containers);
		return {
			cells: [
				d.metadata.name ?? '',
				`${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
				d.status?.updatedReplicas ?? 0,
				d.status?.availableReplicas ?? 0,
				since(d.metadata.creationTimestamp, now),
				names,
				images,
				selectorString(d.spec?.selector) ?? '<invalid>',
			],
		};
	},
};
