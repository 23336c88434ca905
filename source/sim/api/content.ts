// Bodies in (JSON, YAML, protobuf) and out (always JSON; a meta.k8s.io Table when kubectl get asks for one).
import type {IncomingMessage, ServerResponse} from 'node:http';
import {ApiError, badRequest, unsupportedMediaType} from '../errors.js';
import type {KubeObject} from '../store.js';
import {decodeKubeProtobuf} from '../codec/protobuf.js';

/** The largest body the server reads, as the real server's 3 MiB request limit. */
export const maxBodyBytes = 3 * 1024 * 1024;

/** Reads the whole request body; 413 beyond `maxBodyBytes`. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let failed = false;
		req.on('data', (chunk: Buffer) => {
			if (failed) return;
			size += chunk.length;
			if (size > maxBodyBytes) {
				failed = true;
				reject(new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${maxBodyBytes}`));
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => {
			if (!failed) resolve(Buffer.concat(chunks));
		});
		req.on('error', (error) => {
			if (!failed) reject(error);
		});
	});
}

/** The media type without parameters, lower-cased: `application/json`. */
export function mediaTypeOf(contentType: string | undefined): string {
	return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function jsonErrorDetail(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Parses JSON like the real decoder reports failures: 400 with a `json:`-style message. */
export function parseJson(body: Buffer, what = 'the object'): any {
	const text = body.toString('utf8');
	if (text.trim() === '') throw badRequest(`${what} provided is empty: json: unexpected end of JSON input`);
	try {
		return JSON.parse(text);
	} catch (error) {
		throw badRequest(`${what} provided is unrecognized: couldn't get version/kind; json parse error: ${jsonErrorDetail(error)}`);
	}
}

let yamlLoader: ((text: string) => unknown) | undefined;

/** YAML bodies are rare (server-side apply, hand-written clients); the parser loads on first use. */
export async function parseYaml(body: Buffer): Promise<any> {
	if (!yamlLoader) {
		const {default: yaml} = await import('js-yaml');
		yamlLoader = (text) => yaml.load(text);
	}
	try {
		return yamlLoader(body.toString('utf8'));
	} catch (error) {
		throw badRequest(`error converting YAML to JSON: ${jsonErrorDetail(error)}`);
	}
}

/** Decodes an object body by its Content-Type: JSON, YAML or Kubernetes protobuf; 415 for anything else. */
export async function decodeObject(contentType: string | undefined, body: Buffer): Promise<KubeObject> {
	const mediaType = mediaTypeOf(contentType);
	let value: unknown;
	switch (mediaType) {
		case '':
		case 'application/json':
			value = parseJson(body);
			break;
		case 'application/yaml':
		case 'application/x-yaml':
		case 'text/yaml':
			value = await parseYaml(body);
			break;
		case 'application/vnd.kubernetes.protobuf':
			value = decodeKubeProtobuf(body);
			break;
		default:
			throw unsupportedMediaType(contentType ?? '');
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw badRequest(
			`the object provided is unrecognized: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type struct`,
		);
	}
	const object = value as KubeObject;
	if (object.metadata === undefined || object.metadata === null) object.metadata = {};
	if (typeof object.metadata !== 'object' || Array.isArray(object.metadata)) {
		throw badRequest('json: cannot unmarshal into Go struct field .metadata of type v1.ObjectMeta');
	}
	return object;
}

/**
 * Removes null-valued fields, recursively, as decoding into Go structs does (null is "unset"). Without this a
 * template sent back with `creationTimestamp: null` (kubectl rollout undo does) would differ from its
 * ReplicaSet's template by a field that does not exist.
 */
export function dropNulls<T>(value: T): T {
	if (Array.isArray(value)) {
		for (const v of value) dropNulls(v);
	} else if (value !== null && typeof value === 'object') {
		const o = value as Record<string, unknown>;
		for (const key of Object.keys(o)) {
			if (o[key] === null) delete o[key];
			else dropNulls(o[key]);
		}
	}
	return value;
}

/** What the client accepts back. */
export type Negotiated = {
	/** A meta.k8s.io Table (kubectl get's server-side printing). */
	table: boolean;
};

type MediaRange = {type: string; params: Record<string, string>};

function parseAccept(accept: string): MediaRange[] {
	return accept
		.split(',')
		.map((part) => {
			const [type, ...rest] = part.split(';');
			const params: Record<string, string> = {};
			for (const p of rest) {
				const eq = p.indexOf('=');
				if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim();
			}
			return {type: type!.trim().toLowerCase(), params};
		})
		.filter((r) => r.type !== '');
}

const jsonish = new Set(['application/json', 'application/*', '*/*']);

/**
 * Picks the response form from Accept: the first range the server can produce wins. JSON is the only encoding
 * served; a client that accepts only protobuf (or only YAML) gets 406 NotAcceptable.
 */
export function negotiate(accept: string | undefined, allowTable: boolean): Negotiated {
	if (!accept || accept.trim() === '') return {table: false};
	for (const range of parseAccept(accept)) {
		if (!jsonish.has(range.type)) continue;
		const as = range.params.as;
		if (as === undefined) return {table: false};
		if (as === 'Table' && allowTable && range.params.g === 'meta.k8s.io' && ['v1', 'v1beta1'].includes(range.params.v ?? '')) {
			return {table: true};
		}
		// Other `as=` forms (PartialObjectMetadata...) are not served: try the next range.
	}
	throw new ApiError(
		406,
		'NotAcceptable',
		`only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io`,
	);
}

/** Sends a JSON body that is already a string (serialised once). */
export function sendJsonText(res: ServerResponse, code: number, text: string, contentType = 'application/json'): void {
	const body = Buffer.from(text, 'utf8');
	res.writeHead(code, {'Content-Type': contentType, 'Content-Length': body.length, 'Cache-Control': 'no-cache, private'});
	res.end(body);
}

/** Sends a JSON value. */
export function sendJson(res: ServerResponse, code: number, value: unknown): void {
	sendJsonText(res, code, JSON.stringify(value));
}

/** Go's http.NotFound, byte for byte: what kube-apiserver answers on a path no API handler claims. */
export function sendGoNotFound(req: IncomingMessage, res: ServerResponse): void {
	req.resume();
	res.writeHead(404, {'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff'});
	res.end('404 page not found\n');
}

/** Sends an error as a metav1.Status; anything that is not an ApiError is a 500 InternalError. */
export function sendError(res: ServerResponse, error: unknown): void {
	const apiError =
		error instanceof ApiError
			? error
			: new ApiError(500, 'InternalError', `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`);
	if (res.headersSent) {
		res.destroy();
		return;
	}
	sendJson(res, apiError.code, apiError.toStatus());
}
