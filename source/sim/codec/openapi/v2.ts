// The Swagger 2.0 document (/openapi/v2) as JSON or gnostic protobuf, and which one a request's Accept gets; separate because only kubectl 1.27/1.28 read it.
import protobuf from 'protobufjs';
import {resources} from '../../resources.js';
import {openapiV2Proto} from '../openapi-v2-proto.js';
import {gnosticDocument} from './gnostic.js';
import {documentInfo, readMediaTypes, resourcePaths, type Operation} from './paths.js';
import {refTo, schemasFor} from './schemas.js';

function v2Operation(op: Operation): Record<string, unknown> {
	return {
		description: op.description,
		operationId: op.operationId,
		consumes: op.body ? op.body.mediaTypes : ['*/*'],
		produces: op.response.text ? ['text/plain', ...readMediaTypes] : readMediaTypes,
		schemes: ['https'],
		parameters: [
			...(op.body ? [{name: 'body', in: 'body', required: op.method !== 'delete', schema: refTo(op.body.type, 'v2')}] : []),
			...op.parameters,
		],
		responses: {
			...Object.fromEntries(
				op.response.codes.map((code) => [
					String(code),
					{
						description: code === 201 ? 'Created' : code === 202 ? 'Accepted' : 'OK',
						schema: op.response.text ? {type: 'string'} : refTo(op.response.type, 'v2'),
					},
				]),
			),
			'401': {description: 'Unauthorized'},
		},
		'x-kubernetes-action': op.action,
		'x-kubernetes-group-version-kind': op.gvk,
	};
}

let v2Cache: Record<string, unknown> | undefined;

/** The Swagger 2.0 document (/openapi/v2) as JSON: the same paths and schemas as the v3 documents together. */
export function openapiV2Document(): Record<string, unknown> {
	if (!v2Cache) {
		const paths: Record<string, unknown> = {};
		const roots = ['DeleteOptions', 'Status', 'Patch', 'Scale'];
		for (const r of resources) {
			roots.push(r.schema ?? r.kind, ...(r.verbs.includes('list') ? [`${r.schema ?? r.kind}List`] : []));
			for (const p of resourcePaths(r)) {
				paths[p.path] = {...Object.fromEntries(p.operations.map((op) => [op.method, v2Operation(op)])), parameters: p.pathParams};
			}
		}
		v2Cache = {
			swagger: '2.0',
			info: documentInfo,
			paths,
			definitions: schemasFor(roots, 'v2'),
			securityDefinitions: {BearerToken: {type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header'}},
			security: [{BearerToken: []}],
		};
	}
	return v2Cache;
}

/** The media type of gnostic's protobuf OpenAPI v2, which kubectl asks for on /openapi/v2. */
export const openapiV2ProtobufType = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

/** The Content-Type to answer it with: Go's mime parser rejects the '@', so the server spells it with a dot. */
export const openapiV2ProtobufContentType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

let v2ProtobufCache: Buffer | undefined;

/** The Swagger 2.0 document encoded as gnostic's openapi.v2.Document protobuf, as kubectl 1.27/1.28 read it. */
export function openapiV2Protobuf(): Buffer {
	if (!v2ProtobufCache) {
		const root = new protobuf.Root();
		protobuf.parse(openapiV2Proto, root, {keepCase: true});
		root.resolveAll();
		const Document = root.lookupType('openapi.v2.Document');
		const message = gnosticDocument(openapiV2Document());
		const problem = Document.verify(message);
		if (problem) throw new Error(`openapi v2 protobuf: ${problem}`);
		v2ProtobufCache = Buffer.from(Document.encode(Document.fromObject(message)).finish());
	}
	return v2ProtobufCache;
}

/**
 * What to answer on /openapi/v2 for a request's Accept header: gnostic protobuf when it is asked for (kubectl
 * always asks for it), else the JSON document when JSON is acceptable, else undefined (406 Not Acceptable).
 */
export function openapiV2(accept = 'application/json'): {body: Buffer | Record<string, unknown>; contentType: string} | undefined {
	const acceptable = accept.split(',').map((a) => a.split(';')[0]!.trim().toLowerCase());
	if (acceptable.includes(openapiV2ProtobufType)) return {body: openapiV2Protobuf(), contentType: openapiV2ProtobufContentType};
	if (acceptable.some((a) => a === 'application/json' || a === '*/*' || a === 'application/*'))
		return {body: openapiV2Document(), contentType: 'application/json'};
	return undefined;
}
