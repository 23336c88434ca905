// metav1.Status errors, as the real API server answers them; a rejected request changes nothing.

export type StatusCause = {reason?: string; message: string; field?: string};

export type StatusDetails = {
	name?: string;
	group?: string;
	kind?: string;
	causes?: StatusCause[];
	retryAfterSeconds?: number;
};

/** An API error that the HTTP layer turns into a metav1.Status with the same code. */
export class ApiError extends Error {
	constructor(
		readonly code: number,
		readonly reason: string,
		message: string,
		readonly details?: StatusDetails,
		/** The Status's list metadata, e.g. the continue token an expired list may go on with. */
		readonly metadata?: {continue?: string},
	) {
		super(message);
	}

	/** The metav1.Status body the server sends. */
	toStatus(): Record<string, unknown> {
		return {
			kind: 'Status',
			apiVersion: 'v1',
			metadata: this.metadata ?? {},
			status: 'Failure',
			message: this.message,
			reason: this.reason,
			...(this.details ? {details: this.details} : {}),
			code: this.code,
		};
	}
}

/** `group` is '' for core; `resource` is the plural, as the real messages print `deployments.apps "x" not found`. */
function qualified(resource: string, group: string): string {
	return group ? `${resource}.${group}` : resource;
}

export const notFound = (resource: string, group: string, name: string) =>
	new ApiError(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, {name, group: group || undefined, kind: resource});

export const alreadyExists = (resource: string, group: string, name: string) =>
	new ApiError(409, 'AlreadyExists', `${qualified(resource, group)} "${name}" already exists`, {
		name,
		group: group || undefined,
		kind: resource,
	});

export const conflict = (resource: string, group: string, name: string) =>
	new ApiError(
		409,
		'Conflict',
		`Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
		{name, group: group || undefined, kind: resource},
	);

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

export const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized');

export const forbidden = (message: string) => new ApiError(403, 'Forbidden', message);

export const unsupportedMediaType = (contentType: string) =>
	new ApiError(
		415,
		'UnsupportedMediaType',
		`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got ${JSON.stringify(contentType)})`,
	);

export const methodNotAllowed = (message: string) => new ApiError(405, 'MethodNotAllowed', message);

/**
 * 422: `Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
 * Several causes print as Go's aggregate error does: `[first, second]`.
 */
export const invalid = (kind: string, group: string, name: string, causes: StatusCause[]) => {
	const messages = [...new Set(causes.map((c) => `${c.field !== undefined ? `${c.field}: ` : ''}${c.message}`))];
	const detail = messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
	return new ApiError(422, 'Invalid', `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${detail}`, {
		name,
		group: group || undefined,
		kind,
		causes,
	});
};

/** 410 Gone: a watch or list from a resourceVersion the server no longer keeps. */
export const expired = (message = 'too old resource version') => new ApiError(410, 'Expired', message);

/**
 * 410 for a list continue token older than the last compaction, in etcd3's words; `next` continues the list from
 * the same key at the latest resourceVersion, as the real server offers (an inconsistent remainder).
 */
export const continueExpired = (next: string) =>
	new ApiError(
		410,
		'Expired',
		'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
		undefined,
		{continue: next},
	);

/** 500 InternalError, as apierrors.NewInternalError words a storage failure: the cause in the message and in details. */
export const internalError = (cause: string) =>
	new ApiError(500, 'InternalError', `Internal error occurred: ${cause}`, {causes: [{message: cause}]});

// A path inside a served group/version that names no resource or subresource there: go-restful finds no route, and
// the apiserver's service error handler answers a NotFound Status whose details are present and empty (the body
// real clients see: {"kind":"Status",...,"reason":"NotFound","details":{},"code":404}).
export function noSuchResource(): ApiError {
	return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}
