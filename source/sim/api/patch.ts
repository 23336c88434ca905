// The three patch types kubectl and clients send: JSON merge patch (RFC 7386), JSON patch (RFC 6902), and
// Kubernetes' strategic merge patch, whose lists of containers, ports, env... merge by a key instead of being replaced.
import {ApiError, badRequest} from '../errors.js';

type Json = any;

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

/** RFC 7386: objects merge recursively, null deletes, anything else (lists included) replaces. */
export function mergePatch(target: Json, patch: Json): Json {
	if (!isObject(patch)) return clone(patch);
	const out: Record<string, Json> = isObject(target) ? {...target} : {};
	for (const [key, value] of Object.entries(patch)) {
		if (value === null) delete out[key];
		else out[key] = mergePatch(out[key], value);
	}
	return out;
}

/** A JSON patch operation that could not be applied: the real server answers 422 (or 400 for a malformed patch). */
function patchFailed(message: string): ApiError {
	return new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${message}`);
}

function parsePointer(pointer: unknown): string[] {
	if (typeof pointer !== 'string') throw badRequest(`json patch: path must be a string, got ${JSON.stringify(pointer)}`);
	if (pointer === '') return [];
	if (!pointer.startsWith('/')) throw badRequest(`json patch: invalid JSON pointer ${JSON.stringify(pointer)}`);
	return pointer
		.slice(1)
		.split('/')
		.map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(list: Json[], token: string, forInsert: boolean, path: string): number {
	if (forInsert && token === '-') return list.length;
	if (!/^(0|[1-9]\d*)$/.test(token)) throw patchFailed(`invalid array index ${JSON.stringify(token)} in ${path}`);
	const i = Number(token);
	if (i > list.length || (!forInsert && i === list.length)) throw patchFailed(`array index out of bounds: ${i} in ${path}`);
	return i;
}

function parentOf(doc: Json, tokens: string[], path: string): Json {
	let node = doc;
	for (const token of tokens.slice(0, -1)) {
		if (Array.isArray(node)) node = node[arrayIndex(node, token, false, path)];
		else if (isObject(node) && Object.hasOwn(node, token)) node = node[token];
		else throw patchFailed(`doc is missing path: ${JSON.stringify(path)}: missing value`);
	}
	return node;
}

function getAt(doc: Json, path: string): Json {
	const tokens = parsePointer(path);
	if (tokens.length === 0) return doc;
	const parent = parentOf(doc, tokens, path);
	const last = tokens.at(-1)!;
	if (Array.isArray(parent)) return parent[arrayIndex(parent, last, false, path)];
	if (isObject(parent) && Object.hasOwn(parent, last)) return parent[last];
	throw patchFailed(`doc is missing path: ${JSON.stringify(path)}: missing value`);
}

function removeAt(doc: Json, path: string): Json {
	const tokens = parsePointer(path);
	if (tokens.length === 0) throw patchFailed('cannot remove the whole document');
	const parent = parentOf(doc, tokens, path);
	const last = tokens.at(-1)!;
	if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, last, false, path), 1)[0];
	if (isObject(parent) && Object.hasOwn(parent, last)) {
		const value = parent[last];
		delete parent[last];
		return value;
	}
	throw patchFailed(`unable to remove nonexistent key: ${last}: missing value`);
}

// Returns the new document (a root replacement can change it).
function addAt(doc: Json, path: string, value: Json, replace: boolean): Json {
	const tokens = parsePointer(path);
	if (tokens.length === 0) return value;
	const parent = parentOf(doc, tokens, path);
	const last = tokens.at(-1)!;
	if (Array.isArray(parent)) {
		const i = arrayIndex(parent, last, !replace, path);
		if (replace) parent[i] = value;
		else parent.splice(i, 0, value);
	} else if (isObject(parent)) {
		if (replace && !Object.hasOwn(parent, last)) {
			throw patchFailed(`doc is missing key: ${path}: missing value`);
		}
		parent[last] = value;
	} else {
		throw patchFailed(`doc is missing path: ${JSON.stringify(path)}: missing value`);
	}
	return doc;
}

function deepEqual(a: Json, b: Json): boolean {
	if (a === b) return true;
	if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
	if (isObject(a) && isObject(b)) {
		const ka = Object.keys(a);
		return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
	}
	return false;
}

/** RFC 6902 on a copy of `doc`: add, remove, replace, move, copy, test. */
export function jsonPatch(doc: Json, operations: Json): Json {
	if (!Array.isArray(operations)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
	let out = clone(doc);
	for (const op of operations) {
		if (!isObject(op)) throw badRequest('json patch: each operation must be an object');
		const path = op.path as string;
		switch (op.op) {
			case 'add':
				if (!('value' in op)) throw badRequest(`json patch: add operation does not apply: doc is missing value`);
				out = addAt(out, path, clone(op.value), false);
				break;
			case 'remove':
				removeAt(out, path);
				break;
			case 'replace':
				if (!('value' in op)) throw badRequest(`json patch: replace operation does not apply: doc is missing value`);
				out = addAt(out, path, clone(op.value), true);
				break;
			case 'move': {
				const from = op.from as string;
				if (typeof path === 'string' && typeof from === 'string' && path.startsWith(`${from}/`))
					throw patchFailed(`cannot move ${from} into its own child ${path}`);
				const value = removeAt(out, from);
				out = addAt(out, path, value, false);
				break;
			}
			case 'copy':
				out = addAt(out, path, clone(getAt(out, op.from as string)), false);
				break;
			case 'test':
				if (!deepEqual(getAt(out, path), op.value)) throw patchFailed(`testing value ${path} failed: test failed`);
				break;
			default:
				throw badRequest(`json patch: unexpected kind of operation ${JSON.stringify(op.op)}`);
		}
	}
	return out;
}

/**
 * The strategic-merge metadata of one field: how a list merges (by `mergeKey`, or as a set of primitives with
 * `mergePrimitives`), and the schema of list items / nested fields. Fields without metadata are replaced whole,
 * as for a merge patch. (`$retainKeys` directives are honoured wherever a patch carries them.)
 */
export type PatchSchema = {
	mergeKey?: string;
	mergePrimitives?: boolean;
	fields?: Record<string, PatchSchema>;
	/** For lists: the schema of each item. */
	items?: PatchSchema;
};

const containerSchema: PatchSchema = {
	fields: {
		ports: {mergeKey: 'containerPort'},
		env: {mergeKey: 'name'},
		volumeMounts: {mergeKey: 'mountPath'},
		volumeDevices: {mergeKey: 'devicePath'},
		resizePolicy: {},
	},
};

const podSpecSchema: PatchSchema = {
	fields: {
		containers: {mergeKey: 'name', items: containerSchema},
		initContainers: {mergeKey: 'name', items: containerSchema},
		ephemeralContainers: {mergeKey: 'name', items: containerSchema},
		volumes: {mergeKey: 'name'},
		imagePullSecrets: {mergeKey: 'name'},
		hostAliases: {mergeKey: 'ip'},
		topologySpreadConstraints: {mergeKey: 'topologyKey'},
		resourceClaims: {mergeKey: 'name'},
		schedulingGates: {mergeKey: 'name'},
	},
};

const metadataSchema: PatchSchema = {
	fields: {
		finalizers: {mergePrimitives: true},
		ownerReferences: {mergeKey: 'uid'},
	},
};

const conditionsStatus: PatchSchema = {fields: {conditions: {mergeKey: 'type'}}};

const templateSchema: PatchSchema = {fields: {metadata: metadataSchema, spec: podSpecSchema}};

/** Strategic-merge metadata per kind, from the Go struct tags (patchMergeKey / patchStrategy) of the real types. */
export const patchSchemas: Record<string, PatchSchema> = {
	Pod: {
		fields: {
			metadata: metadataSchema,
			spec: podSpecSchema,
			status: {fields: {conditions: {mergeKey: 'type'}, podIPs: {mergeKey: 'ip'}, hostIPs: {mergeKey: 'ip'}}},
		},
	},
	Deployment: {
		fields: {
			metadata: metadataSchema,
			spec: {fields: {template: templateSchema}},
			status: conditionsStatus,
		},
	},
	ReplicaSet: {fields: {metadata: metadataSchema, spec: {fields: {template: templateSchema}}, status: conditionsStatus}},
	Service: {fields: {metadata: metadataSchema, spec: {fields: {ports: {mergeKey: 'port'}}}, status: conditionsStatus}},
	Node: {
		fields: {
			metadata: metadataSchema,
			spec: {fields: {podCIDRs: {mergePrimitives: true}, taints: {}}},
			status: {fields: {conditions: {mergeKey: 'type'}, addresses: {mergeKey: 'type'}}},
		},
	},
	Namespace: {fields: {metadata: metadataSchema, status: conditionsStatus}},
	Endpoints: {fields: {metadata: metadataSchema}},
	Event: {fields: {metadata: metadataSchema}},
	Scale: {fields: {metadata: metadataSchema}},
};

const directive = '$patch';
const retainKeysDirective = '$retainKeys';
const setElementOrderPrefix = '$setElementOrder/';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList/';

function smpError(message: string): ApiError {
	return badRequest(message);
}

/**
 * Applies a strategic merge patch to `original` (not modified) and returns the result. `schema` is the kind's
 * entry in `patchSchemas` (unknown kinds merge like a JSON merge patch, with the directives still honoured).
 */
export function strategicMergePatch(original: Json, patch: Json, schema: PatchSchema = {}): Json {
	if (!isObject(patch)) throw badRequest('strategic merge patch: the patch must be a JSON object');
	return mergeMap(isObject(original) ? original : {}, patch, schema);
}

function mergeMap(original: Record<string, Json>, patch: Record<string, Json>, schema: PatchSchema): Json {
	const kind = patch[directive];
	if (kind === 'delete') return undefined;
	if (kind === 'replace') {
		const replaced: Record<string, Json> = {};
		for (const [k, v] of Object.entries(patch)) if (k !== directive) replaced[k] = clone(v);
		return stripDirectives(replaced);
	}
	if (kind !== undefined && kind !== 'merge') throw smpError(`Unknown patch type: ${String(kind)} in map: ${JSON.stringify(patch)}`);

	const out: Record<string, Json> = {...original};
	const orders: Record<string, Json[]> = {};
	const primitiveDeletes: Record<string, Json[]> = {};
	for (const [key, value] of Object.entries(patch)) {
		if (key === directive || key === retainKeysDirective) continue;
		if (key.startsWith(setElementOrderPrefix)) {
			if (!Array.isArray(value)) throw smpError(`invalid ${key}: must be a list`);
			orders[key.slice(setElementOrderPrefix.length)] = value;
			continue;
		}
		if (key.startsWith(deleteFromPrimitiveListPrefix)) {
			if (!Array.isArray(value)) throw smpError(`invalid ${key}: must be a list`);
			primitiveDeletes[key.slice(deleteFromPrimitiveListPrefix.length)] = value;
			continue;
		}
		const fieldSchema = schema.fields?.[key] ?? {};
		if (value === null) {
			delete out[key];
		} else if (isObject(value)) {
			const merged = mergeMap(isObject(out[key]) ? out[key] : {}, value, fieldSchema);
			if (merged === undefined) delete out[key];
			else out[key] = merged;
		} else if (Array.isArray(value)) {
			out[key] = mergeList(Array.isArray(out[key]) ? out[key] : [], value, fieldSchema);
		} else {
			out[key] = value;
		}
	}
	for (const [key, values] of Object.entries(primitiveDeletes)) {
		if (Array.isArray(out[key])) out[key] = out[key].filter((x: Json) => !values.some((v) => deepEqual(v, x)));
	}
	for (const [key, order] of Object.entries(orders)) {
		if (Array.isArray(out[key])) out[key] = applyOrder(out[key], order, schema.fields?.[key]?.mergeKey);
	}
	const retain = patch[retainKeysDirective];
	if (retain !== undefined) {
		if (!Array.isArray(retain)) throw smpError(`invalid $retainKeys: must be a list`);
		for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
	}
	return out;
}

function mergeList(original: Json[], patch: Json[], schema: PatchSchema): Json[] {
	// `{"$patch": "replace"}` as an element: the rest of the patch list replaces the original.
	if (patch.some((e) => isObject(e) && e[directive] === 'replace')) {
		return stripDirectives(patch.filter((e) => !(isObject(e) && e[directive] === 'replace')));
	}
	if (schema.mergePrimitives) {
		const out = [...original];
		for (const v of patch) if (!out.some((x) => deepEqual(x, v))) out.push(clone(v));
		return out;
	}
	const key = schema.mergeKey;
	if (!key) return stripDirectives(clone(patch));
	const out: Json[] = [...original];
	for (const element of patch) {
		if (!isObject(element)) throw smpError(`strategic merge patch: list of ${key}-keyed maps expected, got ${JSON.stringify(element)}`);
		const id = element[key];
		if (id === undefined) throw smpError(`map: ${JSON.stringify(element)} does not contain declared merge key: ${key}`);
		const at = out.findIndex((x) => isObject(x) && deepEqual(x[key], id));
		if (element[directive] === 'delete') {
			if (at >= 0) out.splice(at, 1);
			continue;
		}
		if (at >= 0) {
			const merged = mergeMap(out[at], element, schema.items ?? {});
			if (merged === undefined) out.splice(at, 1);
			else out[at] = merged;
		} else {
			out.push(mergeMap({}, element, schema.items ?? {}));
		}
	}
	return out;
}

// $setElementOrder: listed elements first in the given order, then any others in their current order.
function applyOrder(list: Json[], order: Json[], key: string | undefined): Json[] {
	const identity = (x: Json) => (key && isObject(x) ? x[key] : x);
	const orderIds = order.map((o) => (key && isObject(o) ? o[key] : o));
	const ranked = list.map((x, i) => {
		const r = orderIds.findIndex((id) => deepEqual(id, identity(x)));
		return {x, rank: r < 0 ? orderIds.length + i : r};
	});
	return ranked.sort((a, b) => a.rank - b.rank).map((r) => r.x);
}

function stripDirectives(value: Json): Json {
	if (Array.isArray(value)) return value.map(stripDirectives);
	if (!isObject(value)) return value;
	const out: Record<string, Json> = {};
	for (const [k, v] of Object.entries(value)) {
		if (k === directive || k === retainKeysDirective || k.startsWith(setElementOrderPrefix) || k.startsWith(deleteFromPrimitiveListPrefix))
			continue;
		if (v === null) continue;
		out[k] = stripDirectives(v);
	}
	return out;
}

export type PatchType = 'strategic' | 'merge' | 'json' | 'apply';

/** The patch type of a Content-Type header, or undefined for one the server does not take (415). */
export function patchTypeOf(contentType: string): PatchType | undefined {
	const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
	switch (mediaType) {
		case 'application/strategic-merge-patch+json':
			return 'strategic';
		case 'application/merge-patch+json':
			return 'merge';
		case 'application/json-patch+json':
			return 'json';
		case 'application/apply-patch+yaml':
		case 'application/apply-patch+json':
			return 'apply';
		default:
			return undefined;
	}
}

/** Applies a decoded patch document of the given type to `original` (not modified). */
export function applyPatch(type: Exclude<PatchType, 'apply'>, original: Json, patch: Json, kind: string): Json {
	switch (type) {
		case 'merge':
			if (!isObject(patch)) throw badRequest('merge patch: the patch must be a JSON object');
			return mergePatch(original, patch);
		case 'json':
			return jsonPatch(original, patch);
		case 'strategic':
			return strategicMergePatch(original, patch, patchSchemas[kind]);
	}
}
