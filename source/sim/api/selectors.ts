// labelSelector and fieldSelector, parsed once per request into predicates, with the real server's rules:
// label operators =, ==, !=, in, notin, exists, !key, gt/lt; a fixed set of selectable fields per resource.
import {badRequest} from '../errors.js';
import type {KubeObject} from '../store.js';

export type LabelOperator = 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

/** One parsed label requirement: `app in (a,b)`, `tier`, `!canary`, `release=stable` (= is `in` with one value). */
export type LabelRequirement = {key: string; operator: LabelOperator; values: string[]};

/** One field requirement: `status.phase=Running` or `spec.nodeName!=node1`. */
export type FieldRequirement = {field: string; equal: boolean; value: string};

const labelKeyPattern = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const labelValuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

type Token = {kind: 'id' | 'op' | '(' | ')' | ',' | '!' | 'end'; text: string};

function tokenize(input: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < input.length) {
		const c = input[i]!;
		if (c === ' ' || c === '\t') {
			i++;
			continue;
		}
		if (c === '(' || c === ')' || c === ',') {
			tokens.push({kind: c, text: c});
			i++;
			continue;
		}
		if (c === '!' && input[i + 1] === '=') {
			tokens.push({kind: 'op', text: '!='});
			i += 2;
			continue;
		}
		if (c === '!') {
			tokens.push({kind: '!', text: '!'});
			i++;
			continue;
		}
		if (c === '=') {
			const two = input[i + 1] === '=';
			tokens.push({kind: 'op', text: two ? '==' : '='});
			i += two ? 2 : 1;
			continue;
		}
		if (c === '>' || c === '<') {
			tokens.push({kind: 'op', text: c});
			i++;
			continue;
		}
		let j = i;
		while (j < input.length && !' \t(),!=<>'.includes(input[j]!)) j++;
		tokens.push({kind: 'id', text: input.slice(i, j)});
		i = j;
	}
	tokens.push({kind: 'end', text: ''});
	return tokens;
}

function selectorError(selector: string, detail: string) {
	return badRequest(`unable to parse requirement: ${detail} (in label selector ${JSON.stringify(selector)})`);
}

function checkKey(selector: string, key: string): void {
	if (key.length === 0 || !labelKeyPattern.test(key) || key.split('/').at(-1)!.length > 63) {
		throw selectorError(
			selector,
			`invalid label key ${JSON.stringify(key)}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
		);
	}
}

function checkValue(selector: string, value: string): void {
	if (value.length > 63 || !labelValuePattern.test(value)) {
		throw selectorError(
			selector,
			`invalid label value: ${JSON.stringify(value)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
		);
	}
}

/** Parses a labelSelector query value; throws 400 on bad syntax. An empty string selects everything. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
	const tokens = tokenize(selector);
	const out: LabelRequirement[] = [];
	let p = 0;
	const peek = () => tokens[p]!;
	const next = () => tokens[p++]!;
	const expectId = (what: string): string => {
		const t = next();
		if (t.kind !== 'id') throw selectorError(selector, `found '${t.text}', expected: ${what}`);
		return t.text;
	};
	if (peek().kind === 'end') return out;
	for (;;) {
		if (peek().kind === '!') {
			next();
			const key = expectId('identifier');
			checkKey(selector, key);
			out.push({key, operator: '!', values: []});
		} else {
			const key = expectId('identifier');
			checkKey(selector, key);
			const t = peek();
			if (t.kind === ',' || t.kind === 'end') {
				out.push({key, operator: 'exists', values: []});
			} else if (t.kind === 'op') {
				next();
				const value = peek().kind === 'id' ? next().text : '';
				if (t.text === '>' || t.text === '<') {
					if (!/^-?\d+$/.test(value)) throw selectorError(selector, `for 'Gt', 'Lt' operators, the value must be an integer`);
					out.push({key, operator: t.text === '>' ? 'gt' : 'lt', values: [value]});
				} else {
					checkValue(selector, value);
					out.push({key, operator: t.text === '!=' ? 'notin' : 'in', values: [value]});
				}
			} else if (t.kind === 'id' && (t.text === 'in' || t.text === 'notin')) {
				next();
				if (next().kind !== '(') throw selectorError(selector, `found '${tokens[p - 1]!.text}', expected: '('`);
				const values: string[] = [];
				if (peek().kind === ')') throw selectorError(selector, `for 'in', 'notin' operators, values set can't be empty`);
				for (;;) {
					// An empty value between commas is the empty string, as the real parser reads it.
					const v = peek().kind === 'id' ? next().text : '';
					checkValue(selector, v);
					values.push(v);
					const sep = next();
					if (sep.kind === ')') break;
					if (sep.kind !== ',') throw selectorError(selector, `found '${sep.text}', expected: ',' or ')'`);
				}
				out.push({key, operator: t.text as 'in' | 'notin', values: [...new Set(values)]});
			} else {
				throw selectorError(selector, `found '${t.text}', expected: in, notin, =, ==, !=, gt, lt`);
			}
		}
		const sep = next();
		if (sep.kind === 'end') break;
		if (sep.kind !== ',') throw selectorError(selector, `found '${sep.text}', expected: ',' or 'end of string'`);
	}
	return out;
}

/** True if the labels satisfy every requirement (`notin` and `!` also match when the key is absent). */
export function matchesLabels(requirements: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
	for (const r of requirements) {
		const has = labels !== undefined && Object.hasOwn(labels, r.key);
		const value = has ? labels![r.key]! : undefined;
		switch (r.operator) {
			case 'in':
				if (!has || !r.values.includes(value!)) return false;
				break;
			case 'notin':
				if (has && r.values.includes(value!)) return false;
				break;
			case 'exists':
				if (!has) return false;
				break;
			case '!':
				if (has) return false;
				break;
			case 'gt':
			case 'lt': {
				if (!has || !/^-?\d+$/.test(value!)) return false;
				const n = Number(value);
				const bound = Number(r.values[0]);
				if (r.operator === 'gt' ? !(n > bound) : !(n < bound)) return false;
				break;
			}
		}
	}
	return true;
}

/** The fields each resource lets clients select on, and how to read them; every resource has metadata.*. */
const fieldGetters: Record<string, Record<string, (o: KubeObject) => string | undefined>> = {
	pods: {
		'spec.nodeName': (o) => o.spec?.nodeName,
		'spec.restartPolicy': (o) => o.spec?.restartPolicy,
		'spec.schedulerName': (o) => o.spec?.schedulerName,
		'spec.serviceAccountName': (o) => o.spec?.serviceAccountName,
		'spec.hostNetwork': (o) => String(o.spec?.hostNetwork === true),
		'status.phase': (o) => o.status?.phase,
		'status.podIP': (o) => o.status?.podIP,
		'status.nominatedNodeName': (o) => o.status?.nominatedNodeName,
	},
	events: {
		'involvedObject.kind': (o) => o.involvedObject?.kind,
		'involvedObject.namespace': (o) => o.involvedObject?.namespace,
		'involvedObject.name': (o) => o.involvedObject?.name,
		'involvedObject.uid': (o) => o.involvedObject?.uid,
		'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion,
		'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion,
		'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath,
		reason: (o) => o.reason,
		reportingComponent: (o) => o.reportingComponent,
		source: (o) => o.source?.component,
		type: (o) => o.type,
	},
	namespaces: {'status.phase': (o) => o.status?.phase},
	nodes: {'spec.unschedulable': (o) => String(o.spec?.unschedulable === true)},
	replicasets: {'status.replicas': (o) => String(o.status?.replicas ?? 0)},
};

const metadataGetters: Record<string, (o: KubeObject) => string | undefined> = {
	'metadata.name': (o) => o.metadata.name,
	'metadata.namespace': (o) => o.metadata.namespace,
};

// Field selector values escape `\`, `,` and `=` with a backslash.
function splitUnescaped(input: string, separator: string): string[] {
	const parts: string[] = [];
	let current = '';
	for (let i = 0; i < input.length; i++) {
		const c = input[i]!;
		if (c === '\\' && i + 1 < input.length) {
			current += c + input[i + 1];
			i++;
		} else if (c === separator) {
			parts.push(current);
			current = '';
		} else {
			current += c;
		}
	}
	parts.push(current);
	return parts;
}

function unescapeValue(value: string): string {
	return value.replace(/\\(.)/g, '$1');
}

/**
 * Parses a fieldSelector for a resource; 400 for bad syntax or a field the resource does not index. `fieldLabel`
 * maps a served version's labels to the stored form's first (events.k8s.io's regarding.name is involvedObject.name).
 */
export function parseFieldSelector(resource: string, selector: string, fieldLabel?: (label: string) => string): FieldRequirement[] {
	const out: FieldRequirement[] = [];
	if (selector.trim() === '') return out;
	for (const part of splitUnescaped(selector, ',')) {
		const m = /^([^!=]+?)\s*(!=|==|=)\s*(.*)$/s.exec(part.trim());
		if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
		const field = fieldLabel ? fieldLabel(m[1]!.trim()) : m[1]!.trim();
		if (!metadataGetters[field] && !fieldGetters[resource]?.[field]) {
			throw badRequest(`field label not supported: ${field}`);
		}
		out.push({field, equal: m[2] !== '!=', value: unescapeValue(m[3]!)});
	}
	return out;
}

/** True if the object's selectable fields satisfy every requirement. */
export function matchesFields(resource: string, requirements: FieldRequirement[], object: KubeObject): boolean {
	for (const r of requirements) {
		const get = metadataGetters[r.field] ?? fieldGetters[resource]![r.field]!;
		const actual = get(object) ?? '';
		if ((actual === r.value) !== r.equal) return false;
	}
	return true;
}

/** One predicate for both selectors, or undefined when neither restricts anything. */
export function selectorFilter(
	resource: string,
	labelSelector?: string | null,
	fieldSelector?: string | null,
	fieldLabel?: (label: string) => string,
): ((o: KubeObject) => boolean) | undefined {
	const labels = parseLabelSelector(labelSelector ?? '');
	const fields = parseFieldSelector(resource, fieldSelector ?? '', fieldLabel);
	if (labels.length === 0 && fields.length === 0) return undefined;
	return (o) => matchesLabels(labels, o.metadata.labels) && matchesFields(resource, fields, o);
}

/**
 * What of the selectors an index can answer: the label pairs (`key=value`) every selected object carries, and for
 * pods the node a `spec.nodeName=NAME` field selector names. The store reads the smallest such index set; the
 * selectorFilter predicate still decides.
 */
export function selectorIndexHints(
	resource: string,
	labelSelector?: string | null,
	fieldSelector?: string | null,
	fieldLabel?: (label: string) => string,
): {labels: string[]; nodeName?: string} {
	const labels = parseLabelSelector(labelSelector ?? '')
		.filter((r) => r.operator === 'in' && r.values.length === 1)
		.map((r) => `${r.key}=${r.values[0]}`);
	const node =
		resource === 'pods'
			? parseFieldSelector(resource, fieldSelector ?? '', fieldLabel).find((f) => f.field === 'spec.nodeName' && f.equal && f.value !== '')
			: undefined;
	return node ? {labels, nodeName: node.value} : {labels};
}

/** A matchLabels/matchExpressions LabelSelector as requirements (for Scale's status.selector and controllers). */
export function labelSelectorRequirements(
	selector: {matchLabels?: Record<string, string>; matchExpressions?: {key: string; operator: string; values?: string[]}[]} | undefined,
): LabelRequirement[] {
	const out: LabelRequirement[] = [];
	for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) out.push({key, operator: 'in', values: [value]});
	for (const e of selector?.matchExpressions ?? []) {
		const operator = ({In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!'} as const)[e.operator as 'In'];
		if (operator) out.push({key: e.key, operator, values: e.values ?? []});
	}
	return out;
}

/** The selector string form, sorted by key like the real server prints it: `app=nginx,tier in (a,b)`. */
export function formatLabelSelector(requirements: LabelRequirement[]): string {
	return [...requirements]
		.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
		.map((r) => {
			switch (r.operator) {
				case 'in':
					return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${[...r.values].sort().join(',')})`;
				case 'notin':
					return r.values.length === 1 ? `${r.key}!=${r.values[0]}` : `${r.key} notin (${[...r.values].sort().join(',')})`;
				case 'exists':
					return r.key;
				case '!':
					return `!${r.key}`;
				case 'gt':
					return `${r.key}>${r.values[0]}`;
				case 'lt':
					return `${r.key}<${r.values[0]}`;
				default:
					return r.operator satisfies never;
			}
		})
		.join(',');
}
