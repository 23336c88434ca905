// The OpenAPI v3 documents (one per group version) and their /openapi/v3 index, which kubectl 1.29+ reads; separate from v2, which shares only schemas and paths.
import {createHash} from 'node:crypto';
import {resources, type ResourceInfo} from '../../resources.js';
import {documentInfo, readMediaTypes, resourcePaths, type Operation} from './paths.js';
import {refTo, schemasFor} from './schemas.js';

/** A v2 parameter ({type}) as v3 wants it ({schema: {type}}). */
function v3Param(p: any): unknown {
	const {type, ...rest} = p;
	return {...rest, schema: {type}};
}

function v3Operation(op: Operation): Record<string, unknown> {
	const content = (type: string, mediaTypes: string[]) => Object.fromEntries(mediaTypes.map((m) => [m, {schema: refTo(type, 'v3')}]));
	return {
		description: op.description,
		operationId: op.operationId,
		...(op.parameters.length > 0 ? {parameters: op.parameters.map(v3Param)} : {}),
		...(op.body ? {requestBody: {content: content(op.body.type, op.body.mediaTypes), required: op.method !== 'delete'}} : {}),
		responses: {
			...Object.fromEntries(
				op.response.codes.map((code) => [
					String(code),
					{
						description: code === 201 ? 'Created' : code === 202 ? 'Accepted' : 'OK',
						// A plain string (pods/log) is answered in any media type: the document says */*.
						content: op.response.text ? {'*/*': {schema: {type: 'string'}}} : content(op.response.type, readMediaTypes),
					},
				]),
			),
			'401': {description: 'Unauthorized'},
		},
		'x-kubernetes-action': op.action,
		'x-kubernetes-group-version-kind': op.gvk,
	};
}

/** Served group versions as OpenAPI v3 names them: 'api/v1', 'apis/apps/v1'. */
function groupVersions(): string[] {
	return [...new Set(resources.map((r) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`)))];
}

function resourcesOf(groupVersion: string): ResourceInfo[] {
	return resources.filter((r) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`) === groupVersion);
}

function buildV3(groupVersion: string): Record<string, unknown> | undefined {
	const served = resourcesOf(groupVersion);
	if (served.length === 0) return undefined;
	const paths: Record<string, unknown> = {};
	const roots = ['DeleteOptions', 'Status', 'Patch'];
	for (const r of served) {
		roots.push(r.schema ?? r.kind, ...(r.verbs.includes('list') ? [`${r.schema ?? r.kind}List`] : []));
		if (r.subresources.includes('scale')) roots.push('Scale');
		for (const p of resourcePaths(r)) {
			paths[p.path] = {
				...Object.fromEntries(p.operations.map((op) => [op.method, v3Operation(op)])),
				parameters: p.pathParams.map(v3Param),
			};
		}
	}
	return {
		openapi: '3.0.0',
		info: documentInfo,
		paths,
		components: {
			schemas: schemasFor(roots, 'v3'),
			securitySchemes: {BearerToken: {type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header'}},
		},
	};
}

const v3Cache = new Map<string, {doc: Record<string, unknown>; hash: string} | null>();

function v3Entry(groupVersion: string): {doc: Record<string, unknown>; hash: string} | undefined {
	if (!v3Cache.has(groupVersion)) {
		const doc = buildV3(groupVersion);
		v3Cache.set(groupVersion, doc ? {doc, hash: createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase()} : null);
	}
	return v3Cache.get(groupVersion) ?? undefined;
}

/**
 * The /openapi/v3 discovery document: one entry per group version, with the URL of its document. The `hash`
 * query lets clients cache a document until it changes; the document is served whatever hash is asked for.
 */
export function openapiV3Index(): {paths: Record<string, {serverRelativeURL: string}>} {
	const paths: Record<string, {serverRelativeURL: string}> = {};
	for (const gv of groupVersions()) paths[gv] = {serverRelativeURL: `/openapi/v3/${gv}?hash=${v3Entry(gv)!.hash}`};
	return {paths};
}

/** The document at /openapi/v3/<groupVersion> ('api/v1', 'apis/apps/v1'), or undefined (404). */
export function openapiV3Document(groupVersion: string): Record<string, unknown> | undefined {
	return v3Entry(groupVersion.replace(/^\/+|\/+$/g, '').split('?')[0]!)?.doc;
}
