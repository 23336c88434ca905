// Unknown fields, found with the OpenAPI schemas the server publishes: the real server decodes into Go structs,
// so a field that does not exist is dropped, reported as a warning, or (fieldValidation=Strict, kubectl's
// default) rejected with `strict decoding error: unknown field "spec.replicaz"`.
import {openapiV3Document} from '../codec/openapi.js';
import {apiVersionOf, type ResourceInfo} from '../resources.js';
import type {KubeObject} from '../store.js';

type Schema = {
	$ref?: string;
	allOf?: Schema[];
	type?: string;
	properties?: Record<string, Schema>;
	additionalProperties?: Schema | boolean;
	items?: Schema;
	'x-kubernetes-group-version-kind'?: {group: string; version: string; kind: string}[];
	'x-kubernetes-preserve-unknown-fields'?: boolean;
};

type Schemas = Record<string, Schema>;

const documents = new Map<string, Schemas | undefined>();

function schemasFor(info: ResourceInfo): Schemas | undefined {
	const key = info.group ? `apis/${apiVersionOf(info)}` : `api/${info.version}`;
	if (!documents.has(key)) {
		const doc = openapiV3Document(key) as {components?: {schemas?: Schemas}} | undefined;
		documents.set(key, doc?.components?.schemas);
	}
	return documents.get(key);
}

function resolve(schemas: Schemas, schema: Schema | undefined): Schema | undefined {
	let s = schema;
	for (let i = 0; s && i < 10; i++) {
		const ref = s.$ref ?? (s.allOf?.length === 1 ? s.allOf[0]!.$ref : undefined);
		if (!ref) return s;
		s = schemas[ref.replace('#/components/schemas/', '')];
	}
	return s;
}

/** Subtrees not checked: status is the controllers' to write, and managedFields is opaque bookkeeping. */
const skipped = new Set(['status', 'metadata.managedFields']);

function walk(schemas: Schemas, schema: Schema | undefined, value: unknown, path: string, found: string[], prune: boolean): void {
	const s = resolve(schemas, schema);
	if (!s || value === null || typeof value !== 'object' || skipped.has(path) || s['x-kubernetes-preserve-unknown-fields']) return;
	if (Array.isArray(value)) {
		if (s.items) for (const [i, v] of value.entries()) walk(schemas, s.items, v, `${path}[${i}]`, found, prune);
		return;
	}
	const o = value as Record<string, unknown>;
	if (s.properties) {
		for (const key of Object.keys(o)) {
			const child = path ? `${path}.${key}` : key;
			const property = s.properties[key];
			if (!property) {
				found.push(child);
				if (prune) delete o[key];
			} else {
				walk(schemas, property, o[key], child, found, prune);
			}
		}
	} else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
		for (const [key, v] of Object.entries(o)) walk(schemas, s.additionalProperties, v, `${path}[${key}]`, found, prune);
	}
	// An object schema with neither is free-form: anything goes.
}

/**
 * The paths of fields the kind's schema does not know (`spec.template.spec.containers[0].imagee`), in document
 * order; with `prune`, they are also removed from the object, as decoding into Go structs drops them.
 */
export function unknownFields(info: ResourceInfo, object: KubeObject, prune = false): string[] {
	const schemas = schemasFor(info);
	if (!schemas) return [];
	const root = Object.values(schemas).find((s) =>
		s['x-kubernetes-group-version-kind']?.some((g) => g.kind === info.kind && g.group === info.group && g.version === info.version),
	);
	if (!root) return [];
	const found: string[] = [];
	walk(schemas, root, object, '', found, prune);
	return found;
}
