// One line for any failure to reach or use a cluster, for the interactive cockpit and the headless commands
// alike: it names the thing at fault (the kubeconfig file, the context, the server, the verb and resource, the
// object) and says what to do next. Never a stack trace, never a credential: messages are built from codes,
// statuses and names, and the server's own Status text (which the apiserver never fills with secrets).
import type {ApiRequestError} from './http.js';

// A kubeconfig that cannot be used (missing, unreadable, not YAML, unknown context): connect() throws it.
export class KubeconfigError extends Error {
	override name = 'KubeconfigError';
}

// Something the user named that the cluster does not have (a namespace, a deployment).
export class NotFoundError extends Error {
	override name = 'NotFoundError';
}

// A right the user lacks, learnt from an access review before any request needed it (a watch the view cannot do
// without): the message names the verb, the resource and the namespace.
export class AccessDeniedError extends Error {
	override name = 'AccessDeniedError';
}

// Where a failure happened, as far as the caller knows: it makes the line name the context and the server.
export type ErrorContext = {context?: string; server?: string};

// Node's TLS verification codes, in words.
const TLS_CODES: Record<string, string> = {
	DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
	SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a self-signed certificate that is not trusted',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is not signed by a trusted authority',
	UNABLE_TO_GET_ISSUER_CERT: 'the issuer of its certificate is unknown',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer of its certificate is not trusted',
	CERT_HAS_EXPIRED: 'its certificate has expired',
	CERT_NOT_YET_VALID: 'its certificate is not yet valid',
	CERT_SIGNATURE_FAILURE: 'its certificate signature does not verify',
	ERR_TLS_CERT_ALTNAME_INVALID: "its certificate does not name the server's host",
	CERT_UNTRUSTED: 'its certificate is not trusted',
};

// Network error codes, in words.
const NETWORK_CODES: Record<string, string> = {
	ECONNREFUSED: 'connection refused (is the cluster running, and is the server address right?)',
	ENOTFOUND: 'host not found (check the server address in the kubeconfig)',
	EAI_AGAIN: 'host name lookup failed for now (check the network or DNS)',
	ETIMEDOUT: 'no answer in time (is the server reachable from here?)',
	ECONNRESET: 'the connection was reset',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	EPIPE: 'the connection was closed',
};

// True when the error is a TLS verification failure (the server's certificate was not accepted).
export function isTlsVerificationError(error: unknown): boolean {
	const code = codeOf(error);
	return code !== undefined && code in TLS_CODES;
}

// The one line for an error, without the program's name in front.
export function describeError(error: unknown, where: ErrorContext = {}): string {
	if (error instanceof KubeconfigError || error instanceof NotFoundError || error instanceof AccessDeniedError) return error.message;
	const server = where.server ?? '';
	const context = where.context ? ` (context ${JSON.stringify(where.context)})` : '';
	const at = server ? `the API server at ${server}${context}` : `the API server${context}`;
	const code = codeOf(error);
	if (code && code in TLS_CODES) {
		return `TLS verification of ${at} failed: ${TLS_CODES[code]}; check the cluster's certificate-authority(-data) in the kubeconfig (insecure-skip-tls-verify: true turns the check off, at your own risk)`;
	}
	if (isSpawnFailure(error)) {
		const command = (error as NodeJS.ErrnoException).path ?? 'the credential plugin';
		return `the kubeconfig's exec credential plugin ${JSON.stringify(command)} could not be run (${code}): install it or fix users[].user.exec.command${context}`;
	}
	if (isApiRequestError(error)) {
		if (error.status === 0) {
			const what = (error.code && NETWORK_CODES[error.code]) ?? error.message;
			return error.code && NETWORK_CODES[error.code] ? `cannot reach ${at}: ${what}` : error.message;
		}
		if (error.status === 401)
			return `${at} refused the kubeconfig's credentials (401 Unauthorized): the token or certificate may have expired; log in again or refresh the kubeconfig`;
		if (error.status === 403) return `forbidden (403): ${forbiddenText(error)}`;
		if (error.status === 404) return `not found (404): ${error.message}`;
		if (error.status === 429) return `${at} asked to slow down (429 Too Many Requests); try again shortly`;
		if (error.status >= 500) return `${at} failed (HTTP ${error.status}): ${error.message}`;
		return error.message;
	}
	if (error instanceof Error) return firstLine(error.message) || error.name;
	return firstLine(String(error));
}

// The exit status for an error: 1 for every failure of the cluster or the kubeconfig (2 is for usage errors).
export function exitStatusOf(_error: unknown): number {
	return 1;
}

// The apiserver's Forbidden message already says who may not do which verb on which resource where:
// 'deployments.apps "nginx" is forbidden: User "viewer" cannot patch resource "deployments" in API group "apps"...'.
function forbiddenText(error: ApiRequestError): string {
	// statusError adds "(VERB /path)" and a hint; the apiserver's sentence says it better.
	const text = error.message.replace(/ \(the user lacks permission\)$/, '').replace(/ \([A-Z]+ \/[^ )]*\)$/, '');
	const at = text.indexOf(' is forbidden: ');
	return at >= 0 ? text.slice(at + ' is forbidden: '.length) : text;
}

// By name, not instanceof: the CLI's entry imports this module, and must not load node:https before the first frame.
function isApiRequestError(error: unknown): error is ApiRequestError {
	return error instanceof Error && error.name === 'ApiRequestError' && typeof (error as {status?: unknown}).status === 'number';
}

function codeOf(error: unknown): string | undefined {
	const e = error as {code?: unknown; cause?: {code?: unknown}} | undefined;
	if (typeof e?.code === 'string') return e.code;
	if (typeof e?.cause?.code === 'string') return e.cause.code;
	return undefined;
}

function isSpawnFailure(error: unknown): boolean {
	const e = error as NodeJS.ErrnoException | undefined;
	return typeof e?.syscall === 'string' && e.syscall.startsWith('spawn') && (e.code === 'ENOENT' || e.code === 'EACCES');
}

function firstLine(text: string): string {
	return text.split('\n')[0]!.trim();
}
