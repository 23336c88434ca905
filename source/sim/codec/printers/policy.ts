// PodDisruptionBudget columns, as the real printer (printPodDisruptionBudget) fills them: minAvailable and
// maxUnavailable as written (an integer or a percentage), N/A when unset, and the disruptions the status allows now.
import type {KubeObject} from '../../store.js';
import {since} from './age.js';
import {ageColumn, column, nameColumn, type Printer} from './printer.js';

// intstr.IntOrString's String(): the number, or the percentage as written.
const intOrString = (v: unknown): string => (v === undefined || v === null ? 'N/A' : String(v));

export const podDisruptionBudgetPrinter: Printer = {
	columns: [
		nameColumn,
		column('Min Available', 'The minimum number of pods that must be available.'),
		column('Max Unavailable', 'The maximum number of pods that may be unavailable.'),
		column('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', {type: 'integer'}),
		ageColumn,
	],
	row: (o: KubeObject, now) => ({
		cells: [
			o.metadata.name ?? '',
			intOrString(o.spec?.minAvailable),
			intOrString(o.spec?.maxUnavailable),
			o.status?.disruptionsAllowed ?? 0,
			since(o.metadata.creationTimestamp, now),
		],
	}),
};
