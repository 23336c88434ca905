// Small helpers shared by the model modules: timestamps, Go-style integer parsing and
// the template equality kubectl uses. Pure functions, no I/O.
import type {LabelSelector, OwnerReference, PodTemplateSpec, Timestamp} from './types.js';

// The label the deployment controller adds to ReplicaSets and pods; ignored when templates are compared.
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
// The annotation that numbers a rollout on a Deployment and its ReplicaSets.
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

// Milliseconds since the epoch, or undefined for a missing or unparsable (Go zero) time.
export function toMillis(t: Timestamp | null | undefined): number | undefined {
	if (t === undefined || t === null || t === '') return undefined;
	const ms = Date.parse(t);
	if (Number.isNaN(ms)) return undefined;
	// Go's zero time (0001-01-01T00:00:00Z) counts as unset, as metav1.Time.IsZero does.
	if (ms === GO_ZERO_TIME_MS) return undefined;
	return ms;
}

// 0001-01-01T00:00:00Z, Go's zero time.Time, which a JSON time field may carry instead of null.
export const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

// Result of strconv.ParseInt(s, 10, 64): the value, or Go's error text.
export type ParsedInt = {ok: true; value: number} | {ok: false; error: string};

// strconv.ParseInt(s, 10, 64) semantics: optional sign, ASCII digits only, no spaces.
export function parseGoInt(s: string): ParsedInt {
	if (!/^[+-]?[0-9]+$/.test(s)) {
		return {ok: false, error: `strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`};
	}
	const big = BigInt(s);
	if (big > 9223372036854775807n || big < -9223372036854775808n) {
		return {ok: false, error: `strconv.ParseInt: parsing ${goQuote(s)}: value out of range`};
	}
	return {ok: true, value: Number(big)};
}

// Go's %q for plain strings: double quotes with backslash escapes.
export function goQuote(s: string): string {
	return JSON.stringify(s);
}

// The controller reference of an object (metav1.GetControllerOf): the owner with controller=true.
export function controllerOf(meta: {ownerReferences?: OwnerReference[] | null} | null | undefined): OwnerReference | undefined {
	for (const ref of meta?.ownerReferences ?? []) {
		if (ref.controller === true) return ref;
	}
	return undefined;
}

function isEmptyValue(v: unknown): boolean {
	if (v === undefined || v === null) return true;
	if (Array.isArray(v)) return v.length === 0;
	if (typeof v === 'object') return Object.keys(v as object).every((k) => isEmptyValue((v as Record<string, unknown>)[k]));
	return false;
}

// Deep equality in the spirit of apimachinery's Semantic.DeepEqual for JSON objects:
// missing, null, empty arrays and empty objects are equal (Go's nil vs empty slice/map),
// and resource quantities compare by value ("1" equals "1000m").
export function semanticEqual(a: unknown, b: unknown, key = ''): boolean {
	if (a === b) return true;
	if (isEmptyValue(a) && isEmptyValue(b)) return true;
	if (QUANTITY_PARENTS.has(key) || key === 'sizeLimit') {
		const qa = parseQuantity(a);
		const qb = parseQuantity(b);
		if (qa !== undefined && qb !== undefined) return qa === qb;
	}
	if (Array.isArray(a) || Array.isArray(b)) {
		if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
		return a.every((x, i) => semanticEqual(x, b[i], key));
	}
	if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
		const ao = a as Record<string, unknown>;
		const bo = b as Record<string, unknown>;
		const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
		for (const k of keys) {
			// Values inside limits/requests maps are quantities: pass the parent name down.
			const childKey = QUANTITY_PARENTS.has(key) ? key : k;
			if (!semanticEqual(ao[k], bo[k], childKey)) return false;
		}
		return true;
	}
	return false;
}

const QUANTITY_PARENTS = new Set(['limits', 'requests', 'overhead']);

const BINARY_SUFFIX: Record<string, number> = {Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60};
const DECIMAL_SUFFIX: Record<string, number> = {n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18};

// The numeric value of a resource.Quantity string ("250m", "1Gi", "1e3"), or undefined if not one.
export function parseQuantity(v: unknown): number | undefined {
	if (typeof v === 'number') return v;
	if (typeof v !== 'string') return undefined;
	const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?[0-9]+))?$/.exec(v);
	if (!m) return undefined;
	const n = Number(m[1]);
	if (m[2] !== undefined) return n * (BINARY_SUFFIX[m[2]] ?? DECIMAL_SUFFIX[m[2]]);
	if (m[3] !== undefined) return n * 10 ** Number(m[3]);
	return n;
}

// A deep copy of a pod template without the pod-template-hash label (and without an emptied labels map).
export function templateWithoutHash(template: PodTemplateSpec | null | undefined): PodTemplateSpec {
	const copy = structuredClone(template ?? {}) as PodTemplateSpec;
	const labels = copy.metadata?.labels;
	if (labels && POD_TEMPLATE_HASH_LABEL in labels) {
		delete labels[POD_TEMPLATE_HASH_LABEL];
		if (Object.keys(labels).length === 0 && copy.metadata) delete copy.metadata.labels;
	}
	return copy;
}

// kubectl's equalIgnoreHash: two pod templates are the same rollout when they differ only in pod-template-hash.
export function equalIgnoreHash(a: PodTemplateSpec | null | undefined, b: PodTemplateSpec | null | undefined): boolean {
	return semanticEqual(templateWithoutHash(a), templateWithoutHash(b));
}

// A LabelSelector in the labelSelector query syntax (metav1.LabelSelectorAsSelector's String(): requirements
// sorted by key, values sorted), or undefined when an operator cannot be expressed (then nothing may be
// filtered by it: callers watch wider and filter by ownership).
export function labelSelectorString(selector: LabelSelector | null | undefined): string | undefined {
	const requirements: [string, string][] = [];
	for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) requirements.push([key, `${key}=${value}`]);
	for (const e of selector?.matchExpressions ?? []) {
		const key = e.key ?? '';
		const values = [...(e.values ?? [])].sort().join(',');
		if (e.operator === 'In') requirements.push([key, `${key} in (${values})`]);
		else if (e.operator === 'NotIn') requirements.push([key, `${key} notin (${values})`]);
		else if (e.operator === 'Exists') requirements.push([key, key]);
		else if (e.operator === 'DoesNotExist') requirements.push([key, `!${key}`]);
		else return undefined;
	}
	return requirements
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([, text]) => text)
		.join(',');
}

// metav1.LabelSelectorAsSelector(selector).Matches(labels): every matchLabels pair and every expression holds. An
// empty selector matches everything; a null one nothing (policy/v1 PodDisruptionBudgets read it so). An unknown
// operator matches nothing, as the apiserver would have refused it.
export function labelSelectorMatches(
	selector: LabelSelector | null | undefined,
	labels: Record<string, string> | null | undefined,
): boolean {
	if (!selector) return false;
	const have = labels ?? {};
	for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (have[key] !== value) return false;
	for (const e of selector.matchExpressions ?? []) {
		const key = e.key ?? '';
		const present = Object.hasOwn(have, key);
		const values = e.values ?? [];
		if (e.operator === 'In') {
			if (!present || !values.includes(have[key])) return false;
		} else if (e.operator === 'NotIn') {
			if (present && values.includes(have[key])) return false;
		} else if (e.operator === 'Exists') {
			if (!present) return false;
		} else if (e.operator === 'DoesNotExist') {
			if (present) return false;
		} else return false;
	}
	return true;
}
