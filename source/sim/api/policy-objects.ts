// The policy/v1 PodDisruptionBudget's validation (pkg/apis/policy/validation): minAvailable and maxUnavailable are
// each a non-negative integer or a percentage of at most 100%, never both; the selector is a valid label selector;
// unhealthyPodEvictionPolicy is one of the two policies; the status counts are never negative. Separate from
// validation.ts, as rbac-objects.ts is.
import type {KubeObject} from '../store.js';
import {type FieldErrors, validateLabels, validateObjectMeta} from './validation.js';

type Json = any;

const percentPattern = /^[0-9]+%$/;
const evictionPolicies = ['AlwaysAllow', 'IfHealthyBudget'];
const selectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** An intstr.IntOrString as Go's %#v prints it in a field error (the value is passed by value, without String()). */
export function goIntOrString(value: Json): string {
	if (typeof value === 'number') return `intstr.IntOrString{Type:0, IntVal:${value}, StrVal:""}`;
	return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(String(value))}}`;
}

// A heap address as %#v prints a non-nil pointer field: the real text has one, different on every request.
function pointer(): string {
	return `0xc${Math.floor(Math.random() * 0xfffffffff)
		.toString(16)
		.padStart(9, '0')}`;
}

// The spec as %#v prints it, pointers and all: the value of the "cannot be both set" error.
function goSpec(spec: Json): string {
	const field = (value: Json, type: string) => `(*${type})(${value === undefined || value === null ? 'nil' : pointer()})`;
	return `policy.PodDisruptionBudgetSpec{MinAvailable:${field(spec.minAvailable, 'intstr.IntOrString')}, Selector:${field(spec.selector, 'v1.LabelSelector')}, MaxUnavailable:${field(spec.maxUnavailable, 'intstr.IntOrString')}, UnhealthyPodEvictionPolicy:${field(spec.unhealthyPodEvictionPolicy, 'policy.UnhealthyPodEvictionPolicyType')}}`;
}

// ValidatePositiveIntOrPercent and IsNotMoreThan100Percent.
function intOrPercent(errors: FieldErrors, field: string, value: Json): void {
	if (value === undefined || value === null) return;
	if (typeof value === 'number') {
		if (value < 0) errors.invalid(field, value, 'must be greater than or equal to 0');
		return;
	}
	if (typeof value !== 'string') {
		errors.invalid(field, value, "must be an integer or percentage (e.g '5%')", goIntOrString(value));
		return;
	}
	if (!percentPattern.test(value)) {
		errors.invalid(
			field,
			value,
			`a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
			goIntOrString(value),
		);
		return;
	}
	if (Number(value.slice(0, -1)) > 100) errors.invalid(field, value, 'must not be greater than 100%', goIntOrString(value));
}

// metav1validation.ValidateLabelSelector: the labels, and each requirement's operator and values.
function labelSelector(errors: FieldErrors, path: string, selector: Json): void {
	if (!selector || typeof selector !== 'object') return;
	(selector.matchExpressions ?? []).forEach((e: Json, i: number) => {
		const at = `${path}.matchExpressions[${i}]`;
		const values = e?.values ?? [];
		if (!selectorOperators.includes(e?.operator)) errors.invalid(`${at}.operator`, e?.operator, 'not a valid selector operator');
		else if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0)
			errors.required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'");
		else if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0)
			errors.forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
	});
	validateLabels(errors, `${path}.matchLabels`, selector.matchLabels);
}

function validatePodDisruptionBudget(errors: FieldErrors, o: KubeObject): void {
	validateObjectMeta(errors, o.metadata, 'subdomain');
	const spec = o.spec ?? {};
	const set = (v: Json) => v !== undefined && v !== null;
	if (set(spec.minAvailable) && set(spec.maxUnavailable))
		errors.invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set', goSpec(spec));
	intOrPercent(errors, 'spec.minAvailable', spec.minAvailable);
	intOrPercent(errors, 'spec.maxUnavailable', spec.maxUnavailable);
	labelSelector(errors, 'spec.selector', spec.selector);
	if (set(spec.unhealthyPodEvictionPolicy) && !evictionPolicies.includes(spec.unhealthyPodEvictionPolicy))
		errors.unsupported('spec.unhealthyPodEvictionPolicy', spec.unhealthyPodEvictionPolicy, evictionPolicies);
	for (const field of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods']) {
		const v = o.status?.[field];
		if (typeof v === 'number' && v < 0) errors.invalid(`status.${field}`, v, 'must be greater than or equal to 0');
	}
}

/** Validators by kind, merged into validation.ts's table. */
export const policyValidators: Record<string, (errors: FieldErrors, o: KubeObject, old?: KubeObject) => void> = {
	PodDisruptionBudget: validatePodDisruptionBudget,
};
