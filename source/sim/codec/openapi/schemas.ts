// Turns the compact description into OpenAPI schemas, in v2 or v3 spelling; separate because both documents share it and it holds the flag grammar.
import {definitions, leafSchemas, type DefSpec, type FieldSpec} from './definitions.js';

/** Short name → full definition name ('Container' → 'io.k8s.api.core.v1.Container'). */
const fullNames = new Map<string, string>();
for (const [pkg, defs] of Object.entries(definitions))
	for (const [short, def] of Object.entries(defs)) fullNames.set(short, def.fullName ?? `${pkg}.${short}`);
for (const [short, leaf] of Object.entries(leafSchemas)) fullNames.set(short, leaf.name);

/** Which document a schema is for: v2 refers to '#/definitions/...', v3 to '#/components/schemas/...'. */
export type Flavor = 'v2' | 'v3';

/** A reference to a definition by its short name, as the flavor spells it; throws on an unknown name. */
export function refTo(short: string, flavor: Flavor): Record<string, unknown> {
	const full = fullNames.get(short);
	if (!full) throw new Error(`openapi: unknown type ${short}`);
	return flavor === 'v2' ? {$ref: `#/definitions/${full}`} : {allOf: [{$ref: `#/components/schemas/${full}`}]};
}

function typeSchema(type: string, flavor: Flavor): Record<string, unknown> {
	if (type.startsWith('[')) return {type: 'array', items: typeSchema(type.slice(1, -1), flavor)};
	if (type.startsWith('{')) return {type: 'object', additionalProperties: typeSchema(type.slice(1, -1), flavor)};
	switch (type) {
		case 'string':
			return {type: 'string'};
		case 'bool':
			return {type: 'boolean'};
		case 'int32':
		case 'int64':
			return {type: 'integer', format: type};
		case 'object':
			return {type: 'object', 'x-kubernetes-preserve-unknown-fields': true};
		default:
			return refTo(type, flavor);
	}
}

function fieldSchema(spec: FieldSpec, flavor: Flavor): {schema: Record<string, unknown>; required: boolean} {
	const [type, ...flags] = spec.split(' ');
	const schema = typeSchema(type!, flavor);
	let required = false;
	for (const flag of flags) {
		const [name, value = ''] = flag.split('=');
		if (name === 'req') required = true;
		else if (name === 'patch') schema['x-kubernetes-patch-strategy'] = value;
		else if (name === 'key') schema['x-kubernetes-patch-merge-key'] = value;
		else if (name === 'list') {
			const [listType, keys] = value.split(':');
			schema['x-kubernetes-list-type'] = listType;
			if (keys) schema['x-kubernetes-list-map-keys'] = keys.split(',');
		} else throw new Error(`openapi: unknown flag ${flag} in ${spec}`);
	}
	return {schema, required};
}

function definitionSchema(def: DefSpec, flavor: Flavor): Record<string, unknown> {
	const properties: Record<string, unknown> = {};
	const required: string[] = [];
	if (def.gvk && def.gvk.length === 1) {
		properties.apiVersion = {type: 'string', description: 'The versioned schema of this representation of an object.'};
		properties.kind = {type: 'string', description: 'The REST resource this object represents.'};
	}
	for (const [name, spec] of Object.entries(def.fields)) {
		const field = fieldSchema(spec, flavor);
		properties[name] = field.schema;
		if (field.required) required.push(name);
	}
	return {
		...(def.description ? {description: def.description} : {}),
		type: 'object',
		...(Object.keys(properties).length > 0 ? {properties} : {}),
		...(required.length > 0 ? {required} : {}),
		...(def.gvk ? {'x-kubernetes-group-version-kind': def.gvk} : {}),
	};
}

/** All definitions reachable from the roots, by full name, in a stable order. */
export function schemasFor(roots: string[], flavor: Flavor): Record<string, unknown> {
	const seen = new Set<string>();
	const queue = [...roots];
	while (queue.length > 0) {
		const short = queue.shift()!;
		if (seen.has(short)) continue;
		seen.add(short);
		const def = findDef(short);
		if (!def) continue;
		for (const spec of Object.values(def.fields)) {
			const type = spec.split(' ')[0]!.replace(/[[\]{}]/g, '');
			if (fullNames.has(type)) queue.push(type);
		}
	}
	const out: Record<string, unknown> = {};
	for (const short of [...seen].sort((a, b) => fullNames.get(a)!.localeCompare(fullNames.get(b)!))) {
		const def = findDef(short);
		out[fullNames.get(short)!] = def ? definitionSchema(def, flavor) : leafSchemas[short]!.schema;
	}
	return out;
}

function findDef(short: string): DefSpec | undefined {
	for (const defs of Object.values(definitions)) if (defs[short]) return defs[short];
	return undefined;
}
