// Validation with the real server's field paths and wording, so a rejected `kubectl apply` reads the same:
// `Deployment.apps "nginx" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
import type {StatusCause} from '../errors.js';
import type {KubeObject} from '../store.js';
import {labelSelectorRequirements, matchesLabels} from './selectors.js';
import {policyValidators} from './policy-objects.js';
import {rbacValidators} from './rbac-objects.js';

type Json = any;

/** A value as Go's %v/%#v prints it in field errors: 3, "x", map[string]string{"app":"nginx"}. */
export function goValue(value: Json): string {
	if (value === undefined || value === null) return 'null';
	if (typeof value === 'string') return JSON.stringify(value);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (Array.isArray(value)) {
		if (value.every((v) => typeof v === 'string')) return `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`;
		return JSON.stringify(value);
	}
	if (typeof value === 'object' && Object.values(value).every((v) => typeof v === 'string')) {
		return `map[string]string{${Object.keys(value)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${JSON.stringify(value[k])}`)
			.join(', ')}}`;
	}
	return JSON.stringify(value);
}

function goLabelSelector(selector: Json): string {
	const labels = selector?.matchLabels ? goValue(selector.matchLabels) : 'map[string]string(nil)';
	const expressions = selector?.matchExpressions?.length
		? `[]v1.LabelSelectorRequirement{${selector.matchExpressions.map((e: Json) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:${goValue(e.values ?? [])}}`).join(', ')}}`
		: '[]v1.LabelSelectorRequirement(nil)';
	return `v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${expressions}}`;
}

/** Collects field errors in the real types' order; the handler turns them into a 422 Invalid Status. */
export class FieldErrors {
	readonly causes: StatusCause[] = [];

	invalid(field: string, value: Json, detail: string, formatted?: string): void {
		this.causes.push({reason: 'FieldValueInvalid', message: `Invalid value: ${formatted ?? goValue(value)}: ${detail}`, field});
	}

	required(field: string, detail = ''): void {
		this.causes.push({reason: 'FieldValueRequired', message: detail ? `Required value: ${detail}` : 'Required value', field});
	}

	unsupported(field: string, value: Json, supported: string[]): void {
		this.causes.push({
			reason: 'FieldValueNotSupported',
			message: `Unsupported value: ${goValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
			field,
		});
	}

	duplicate(field: string, value: Json): void {
		this.causes.push({reason: 'FieldValueDuplicate', message: `Duplicate value: ${goValue(value)}`, field});
	}

	forbidden(field: string, detail: string): void {
		this.causes.push({reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field});
	}

	get empty(): boolean {
		return this.causes.length === 0;
	}
}

const dns1123LabelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123SubdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035LabelPattern = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const labelValuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const qualifiedNamePattern = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const percentPattern = /^[0-9]+%$/;
const ianaSvcNamePattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])*$/;

const subdomainMessage = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
const labelMessage = `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
const dns1035Message = `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`;

type NameRule = 'subdomain' | 'label' | 'dns1035';

function nameProblems(name: string, rule: NameRule): string[] {
	const out: string[] = [];
	if (rule === 'subdomain') {
		if (name.length > 253) out.push('must be no more than 253 characters');
		if (!dns1123SubdomainPattern.test(name)) out.push(subdomainMessage);
	} else if (rule === 'label') {
		if (name.length > 63) out.push('must be no more than 63 characters');
		if (!dns1123LabelPattern.test(name)) out.push(labelMessage);
	} else {
		if (name.length > 63) out.push('must be no more than 63 characters');
		if (!dns1035LabelPattern.test(name)) out.push(dns1035Message);
	}
	return out;
}

/** Label keys and values, as ValidateLabels checks them. */
export function validateLabels(errors: FieldErrors, field: string, labels: Json): void {
	if (labels === undefined || labels === null) return;
	if (typeof labels !== 'object' || Array.isArray(labels)) {
		errors.invalid(field, labels, 'must be a map of string keys to string values');
		return;
	}
	for (const [key, value] of Object.entries(labels)) {
		const slash = key.lastIndexOf('/');
		const prefix = slash >= 0 ? key.slice(0, slash) : '';
		const name = slash >= 0 ? key.slice(slash + 1) : key;
		if (
			name.length === 0 ||
			name.length > 63 ||
			!qualifiedNamePattern.test(name) ||
			(slash >= 0 && (!prefix || !dns1123SubdomainPattern.test(prefix)))
		) {
			errors.invalid(
				field,
				key,
				`name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
			);
		}
		if (typeof value !== 'string' || value.length > 63 || !labelValuePattern.test(value)) {
			errors.invalid(
				field,
				value,
				`a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
			);
		}
	}
}

/** ObjectMeta's name (by the kind's rule), labels and annotations. */
export function validateObjectMeta(errors: FieldErrors, meta: Json, rule: NameRule, path = 'metadata'): void {
	const name = meta?.name;
	if (!name) {
		if (!meta?.generateName) errors.required(`${path}.name`, 'name or generateName is required');
	} else {
		for (const problem of nameProblems(name, rule)) errors.invalid(`${path}.name`, name, problem);
	}
	validateLabels(errors, `${path}.labels`, meta?.labels);
	if (
		meta?.annotations !== undefined &&
		(typeof meta.annotations !== 'object' || Array.isArray(meta.annotations) || meta.annotations === null)
	) {
		errors.invalid(`${path}.annotations`, meta.annotations, 'must be a map of string keys to string values');
	}
}

function nonNegative(errors: FieldErrors, field: string, value: Json): void {
	if (value === undefined || value === null) return;
	if (typeof value !== 'number' || !Number.isInteger(value)) errors.invalid(field, value, 'must be an integer');
	else if (value < 0) errors.invalid(field, value, 'must be greater than or equal to 0');
}

function portNumber(errors: FieldErrors, field: string, value: Json): void {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
		errors.invalid(field, value, 'must be between 1 and 65535, inclusive');
	}
}

const protocols = ['SCTP', 'TCP', 'UDP'];

function validateProbe(errors: FieldErrors, path: string, probe: Json): void {
	if (!probe) return;
	for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
		nonNegative(errors, `${path}.${f}`, probe[f]);
	}
	const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => probe[h] !== undefined);
	if (handlers.length === 0) errors.required(path, 'must specify a handler type');
	else if (handlers.length > 1) errors.forbidden(`${path}.${handlers[1]}`, 'may not specify more than 1 handler type');
}

function validateContainers(errors: FieldErrors, path: string, containers: Json, required: boolean): void {
	if (containers === undefined || containers === null || (Array.isArray(containers) && containers.length === 0)) {
		if (required) errors.required(path);
		return;
	}
	if (!Array.isArray(containers)) {
		errors.invalid(path, containers, 'must be a list of containers');
		return;
	}
	const names = new Set<string>();
	containers.forEach((c: Json, i: number) => {
		const p = `${path}[${i}]`;
		if (!c?.name) errors.required(`${p}.name`);
		else {
			for (const problem of nameProblems(c.name, 'label')) errors.invalid(`${p}.name`, c.name, problem);
			if (names.has(c.name)) errors.duplicate(`${p}.name`, c.name);
			names.add(c.name);
		}
		if (!c?.image || (typeof c.image === 'string' && c.image.trim() === '')) errors.required(`${p}.image`);
		if (c?.imagePullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy)) {
			errors.unsupported(`${p}.imagePullPolicy`, c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']);
		}
		const portNames = new Set<string>();
		(Array.isArray(c?.ports) ? c.ports : []).forEach((port: Json, j: number) => {
			const pp = `${p}.ports[${j}]`;
			portNumber(errors, `${pp}.containerPort`, port?.containerPort);
			if (port?.hostPort !== undefined && port.hostPort !== 0) portNumber(errors, `${pp}.hostPort`, port.hostPort);
			if (port?.protocol !== undefined && !protocols.includes(port.protocol))
				errors.unsupported(`${pp}.protocol`, port.protocol, protocols);
			if (port?.name) {
				if (port.name.length > 15 || !ianaSvcNamePattern.test(port.name) || !/[a-z]/.test(port.name)) {
					errors.invalid(`${pp}.name`, port.name, 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
				}
				if (portNames.has(port.name)) errors.duplicate(`${pp}.name`, port.name);
				portNames.add(port.name);
			}
		});
		(Array.isArray(c?.env) ? c.env : []).forEach((e: Json, j: number) => {
			if (!e?.name) errors.required(`${p}.env[${j}].name`);
		});
		validateProbe(errors, `${p}.livenessProbe`, c?.livenessProbe);
		validateProbe(errors, `${p}.readinessProbe`, c?.readinessProbe);
		validateProbe(errors, `${p}.startupProbe`, c?.startupProbe);
	});
}

/** PodSpec checks shared by pods and templates; `restartPolicies` narrows what a template may use. */
function validatePodSpec(errors: FieldErrors, path: string, spec: Json, restartPolicies = ['Always', 'OnFailure', 'Never']): void {
	if (!spec || typeof spec !== 'object') {
		errors.required(`${path}.containers`);
		return;
	}
	validateContainers(errors, `${path}.containers`, spec.containers, true);
	validateContainers(errors, `${path}.initContainers`, spec.initContainers, false);
	if (spec.restartPolicy !== undefined && !restartPolicies.includes(spec.restartPolicy)) {
		errors.unsupported(`${path}.restartPolicy`, spec.restartPolicy, restartPolicies);
	}
	const dnsPolicies = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
	if (spec.dnsPolicy !== undefined && !dnsPolicies.includes(spec.dnsPolicy))
		errors.unsupported(`${path}.dnsPolicy`, spec.dnsPolicy, dnsPolicies);
	nonNegative(errors, `${path}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds);
	if (spec.activeDeadlineSeconds !== undefined && !(spec.activeDeadlineSeconds > 0)) {
		errors.invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive');
	}
	const volumeNames = new Set<string>();
	(Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v: Json, i: number) => {
		if (!v?.name) errors.required(`${path}.volumes[${i}].name`);
		else if (volumeNames.has(v.name)) errors.duplicate(`${path}.volumes[${i}].name`, v.name);
		else volumeNames.add(v.name);
	});
}

type IntOrPercent = number | string;

function validateIntOrPercent(errors: FieldErrors, field: string, value: Json): number | undefined {
	if (typeof value === 'number') {
		nonNegative(errors, field, value);
		return value;
	}
	if (typeof value === 'string') {
		if (!percentPattern.test(value)) {
			errors.invalid(
				field,
				value,
				`a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
			);
			return undefined;
		}
		return Number(value.slice(0, -1));
	}
	if (value !== undefined && value !== null) errors.invalid(field, value, "must be an integer or percentage (e.g '5%')");
	return undefined;
}

function isZero(value: IntOrPercent | undefined): boolean {
	return value === 0 || value === '0%';
}

function validateSelectorAndTemplate(errors: FieldErrors, spec: Json, kindLabel: string): void {
	const selector = spec.selector;
	if (!selector) {
		errors.required('spec.selector');
	} else {
		const requirements = labelSelectorRequirements(selector);
		if (requirements.length === 0)
			errors.invalid('spec.selector', selector, `empty selector is invalid for ${kindLabel}`, goLabelSelector(selector));
		validateLabels(errors, 'spec.selector.matchLabels', selector.matchLabels);
		const labels = spec.template?.metadata?.labels;
		if (requirements.length > 0 && !matchesLabels(requirements, labels ?? {})) {
			errors.invalid('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`');
		}
	}
	if (!spec.template) {
		errors.required('spec.template');
		return;
	}
	validateLabels(errors, 'spec.template.metadata.labels', spec.template.metadata?.labels);
	validatePodSpec(errors, 'spec.template.spec', spec.template.spec, ['Always']);
}

function validateDeployment(errors: FieldErrors, o: KubeObject, old?: KubeObject): void {
	validateObjectMeta(errors, o.metadata, 'subdomain');
	const spec = o.spec ?? {};
	nonNegative(errors, 'spec.replicas', spec.replicas);
	validateSelectorAndTemplate(errors, spec, 'deployment');
	const strategy = spec.strategy ?? {};
	if (strategy.type !== undefined && !['Recreate', 'RollingUpdate'].includes(strategy.type)) {
		errors.unsupported('spec.strategy.type', strategy.type, ['Recreate', 'RollingUpdate']);
	} else if (strategy.type === 'Recreate' && strategy.rollingUpdate) {
		errors.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'");
	} else if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) {
		const surge = validateIntOrPercent(errors, 'spec.strategy.rollingUpdate.maxSurge', strategy.rollingUpdate.maxSurge);
		const unavailable = validateIntOrPercent(errors, 'spec.strategy.rollingUpdate.maxUnavailable', strategy.rollingUpdate.maxUnavailable);
		if (typeof strategy.rollingUpdate.maxUnavailable === 'string' && unavailable !== undefined && unavailable > 100) {
			errors.invalid('spec.strategy.rollingUpdate.maxUnavailable', strategy.rollingUpdate.maxUnavailable, 'must not be greater than 100%');
		}
		if (
			surge !== undefined &&
			unavailable !== undefined &&
			isZero(strategy.rollingUpdate.maxSurge) &&
			isZero(strategy.rollingUpdate.maxUnavailable)
		) {
			errors.invalid(
				'spec.strategy.rollingUpdate.maxUnavailable',
				strategy.rollingUpdate.maxUnavailable,
				'may not be 0 when `maxSurge` is 0',
			);
		}
	}
	nonNegative(errors, 'spec.revisionHistoryLimit', spec.revisionHistoryLimit);
	nonNegative(errors, 'spec.minReadySeconds', spec.minReadySeconds);
	if (spec.progressDeadlineSeconds !== undefined) {
		nonNegative(errors, 'spec.progressDeadlineSeconds', spec.progressDeadlineSeconds);
		if (typeof spec.progressDeadlineSeconds === 'number' && spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
			errors.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds');
		}
	}
	if (old) immutableSelector(errors, o, old);
}

function immutableSelector(errors: FieldErrors, o: KubeObject, old: KubeObject): void {
	if (JSON.stringify(o.spec?.selector ?? null) !== JSON.stringify(old.spec?.selector ?? null)) {
		errors.invalid('spec.selector', o.spec?.selector, 'field is immutable', goLabelSelector(o.spec?.selector));
	}
}

function validateReplicaSet(errors: FieldErrors, o: KubeObject, old?: KubeObject): void {
	validateObjectMeta(errors, o.metadata, 'subdomain');
	const spec = o.spec ?? {};
	nonNegative(errors, 'spec.replicas', spec.replicas);
	nonNegative(errors, 'spec.minReadySeconds', spec.minReadySeconds);
	validateSelectorAndTemplate(errors, spec, 'deployment');
	if (old) immutableSelector(errors, o, old);
}

// The fields a pod update may change; everything else in spec is fixed once created.
function podSpecMutableView(spec: Json): Json {
	const copy = structuredClone(spec ?? {});
	for (const c of [...(copy.containers ?? []), ...(copy.initContainers ?? [])]) delete c.image;
	delete copy.activeDeadlineSeconds;
	delete copy.tolerations;
	delete copy.terminationGracePeriodSeconds;
	return copy;
}

function validatePod(errors: FieldErrors, o: KubeObject, old?: KubeObject): void {
	validateObjectMeta(errors, o.metadata, 'subdomain');
	validatePodSpec(errors, 'spec', o.spec);
	if (old && JSON.stringify(podSpecMutableView(o.spec)) !== JSON.stringify(podSpecMutableView(old.spec))) {
		errors.forbidden(
			'spec',
			'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
		);
	}
}

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function validateService(errors: FieldErrors, o: KubeObject, old?: KubeObject): void {
	validateObjectMeta(errors, o.metadata, 'dns1035');
	const spec = o.spec ?? {};
	if (!serviceTypes.includes(spec.type)) errors.unsupported('spec.type', spec.type, serviceTypes);
	const ports = Array.isArray(spec.ports) ? spec.ports : [];
	if (ports.length === 0 && spec.type !== 'ExternalName' && spec.clusterIP !== 'None') errors.required('spec.ports');
	if (spec.type === 'ExternalName' && !spec.externalName) errors.required('spec.externalName');
	const names = new Set<string>();
	const seen = new Set<string>();
	ports.forEach((p: Json, i: number) => {
		const path = `spec.ports[${i}]`;
		if (ports.length > 1 && !p?.name) errors.required(`${path}.name`);
		if (p?.name) {
			for (const problem of nameProblems(p.name, 'label')) errors.invalid(`${path}.name`, p.name, problem);
			if (names.has(p.name)) errors.duplicate(`${path}.name`, p.name);
			names.add(p.name);
		}
		portNumber(errors, `${path}.port`, p?.port);
		if (p?.protocol !== undefined && !protocols.includes(p.protocol)) errors.unsupported(`${path}.protocol`, p.protocol, protocols);
		const key = `${p?.port}/${p?.protocol}`;
		if (seen.has(key)) errors.duplicate(path, {port: p?.port, protocol: p?.protocol});
		seen.add(key);
		if (typeof p?.targetPort === 'number') portNumber(errors, `${path}.targetPort`, p.targetPort);
		else if (typeof p?.targetPort === 'string' && (p.targetPort.length > 15 || !ianaSvcNamePattern.test(p.targetPort))) {
			errors.invalid(`${path}.targetPort`, p.targetPort, 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
		}
		if (p?.nodePort !== undefined && p.nodePort !== 0 && spec.type === 'ClusterIP') {
			errors.forbidden(`${path}.nodePort`, "may not be used when `type` is 'ClusterIP'");
		}
	});
	if (!['None', 'ClientIP'].includes(spec.sessionAffinity))
		errors.unsupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']);
	if (spec.selector !== undefined) validateLabels(errors, 'spec.selector', spec.selector);
	if (old) {
		const oldIP = old.spec?.clusterIP;
		if (oldIP && spec.clusterIP && spec.clusterIP !== oldIP && old.spec?.type !== 'ExternalName' && spec.type !== 'ExternalName') {
			errors.invalid('spec.clusterIPs[0]', [spec.clusterIP], 'may not change once set');
		}
	}
}

function validateNamespace(errors: FieldErrors, o: KubeObject): void {
	validateObjectMeta(errors, o.metadata, 'label');
}

function validateGeneric(errors: FieldErrors, o: KubeObject): void {
	validateObjectMeta(errors, o.metadata, 'subdomain');
}

function validateEndpoints(errors: FieldErrors, o: KubeObject): void {
	validateObjectMeta(errors, o.metadata, 'subdomain');
	(Array.isArray(o.subsets) ? o.subsets : []).forEach((s: Json, i: number) => {
		for (const [j, p] of (Array.isArray(s?.ports) ? (s.ports as Json[]) : []).entries())
			portNumber(errors, `subsets[${i}].ports[${j}].port`, p?.port);
	});
}

const qualifiedNameMessage = `must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`;

// IsQualifiedName: a name with an optional DNS subdomain prefix (`example.com/tester`), in its messages.
function qualifiedNameProblems(value: string): string[] {
	const out: string[] = [];
	const parts = value.split('/');
	if (parts.length > 2) {
		return [`a qualified name ${qualifiedNameMessage} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
	}
	const name = parts.at(-1)!;
	if (parts.length === 2) {
		const prefix = parts[0]!;
		if (prefix === '') out.push('prefix part must be non-empty');
		else out.push(...nameProblems(prefix, 'subdomain').map((m) => `prefix part ${m}`));
	}
	if (name.length === 0) out.push('name part must be non-empty');
	else if (name.length > 63) out.push('name part must be no more than 63 characters');
	if (!qualifiedNamePattern.test(name)) out.push(`name part ${qualifiedNameMessage}`);
	return out;
}

// events.go legacyValidateEvent: every Event, whichever API wrote it. An event with eventTime (the new API's)
// must say who reported it and what it did; an old-style one only has to sit in its object's namespace.
function validateEvent(errors: FieldErrors, o: KubeObject): void {
	validateObjectMeta(errors, o.metadata, 'subdomain');
	const namespace: string = o.metadata.namespace ?? '';
	const involvedNamespace: string = o.involvedObject?.namespace ?? '';
	if (!o.eventTime) {
		const mismatch = involvedNamespace === '' ? namespace !== '' && namespace !== 'default' : namespace !== involvedNamespace;
		if (mismatch) errors.invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace');
	} else {
		if (involvedNamespace === '' && namespace !== 'default' && namespace !== 'kube-system') {
			errors.invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace');
		}
		const controller: string = o.reportingComponent ?? '';
		if (controller === '') errors.required('reportingController');
		for (const problem of qualifiedNameProblems(controller)) errors.invalid('reportingController', controller, problem);
		const limited = (field: string, value: string | undefined, max: number, required: boolean) => {
			if (required && !value) errors.required(field);
			if ((value ?? '').length > max) errors.invalid(field, '', `can have at most ${max} characters`);
		};
		limited('reportingInstance', o.reportingInstance, 128, true);
		limited('action', o.action, 128, true);
		limited('reason', o.reason, 128, true);
		limited('message', o.message, 1024, false);
	}
	if (namespace !== '') for (const problem of nameProblems(namespace, 'subdomain')) errors.invalid('namespace', namespace, problem);
}

const validators: Record<string, (errors: FieldErrors, o: KubeObject, old?: KubeObject) => void> = {
	Deployment: validateDeployment,
	ReplicaSet: validateReplicaSet,
	Pod: validatePod,
	Service: validateService,
	Namespace: validateNamespace,
	Endpoints: validateEndpoints,
	Event: validateEvent,
	Node: validateGeneric,
};

/** The field errors of an object about to be created (`old` undefined) or updated; empty when valid. */
export function validateObject(kind: string, object: KubeObject, old?: KubeObject): StatusCause[] {
	const errors = new FieldErrors();
	(validators[kind] ?? rbacValidators[kind] ?? policyValidators[kind] ?? validateGeneric)(errors, object, old);
	return errors.causes;
}

/** Scale's own check (kubectl scale --replicas=-1 hits it). */
export function validateScale(replicas: Json): StatusCause[] {
	const errors = new FieldErrors();
	nonNegative(errors, 'spec.replicas', replicas);
	return errors.causes;
}
