// API failures in plain words for the status line: what was refused, by whom, and what to do next.

// What came back from the API server (or did not): the HTTP status (0 = never reached) and the
// metav1.Status it answered with, if any.
export type ApiFailure = {
	status: number;
	code?: string; // the network error code when status is 0 (ECONNREFUSED, ETIMEDOUT, ...)
	body?: {
		reason?: string;
		message?: string;
		details?: {name?: string; kind?: string; causes?: {field?: string; message?: string; reason?: string}[]};
	};
};

// Which request failed, in Kubernetes words: verb "patch", resource "deployments.apps" (or ".../scale").
export type RequestDescription = {verbOnResource: string; namespace: string; name: string; server: string};

// One line describing an API failure: 403 says which verb on which resource, 404 which object,
// 422 the server's causes, 0 the server address and the network error.
export function describeApiError(failure: ApiFailure, request: RequestDescription): string {
	const {status, body} = failure;
	const [verb, resource] = splitVerb(request.verbOnResource);
	if (status === 0) return `cannot reach the API server at ${request.server}: ${failure.code ?? 'no answer'}`;
	if (status === 401) return `unauthorized: the API server at ${request.server} did not accept the kubeconfig's credentials`;
	if (status === 403) return `forbidden: you may not ${verb} ${resource} in namespace ${request.namespace}`;
	if (status === 404) {
		const what = resource.startsWith('replicasets') ? `replicasets of deployment/${request.name}` : `deployment/${request.name}`;
		return `not found: ${what} in namespace ${request.namespace} (was it deleted?)`;
	}
	if (status === 409) return `conflict: deployment/${request.name} kept changing while the change was sent; nothing was applied, try again`;
	if (status === 422 || body?.reason === 'Invalid') {
		const causes = (body?.details?.causes ?? []).map((c) => [c.field, c.message].filter(Boolean).join(': ')).filter((s) => s !== '');
		const detail = causes.length > 0 ? causes.join('; ') : (body?.message ?? 'the request was invalid');
		return `invalid: the API server refused the change to deployment/${request.name}: ${detail}`;
	}
	if (status === 429) return `too many requests: the API server at ${request.server} asked to slow down; try again shortly`;
	const message = body?.message ? `: ${body.message}` : '';
	if (status >= 500) return `the API server failed (HTTP ${status})${message}`;
	return `the API server answered HTTP ${status} to ${verb} ${resource}${message}`;
}

function splitVerb(verbOnResource: string): [string, string] {
	const space = verbOnResource.indexOf(' ');
	return space < 0 ? ['use', verbOnResource] : [verbOnResource.slice(0, space), verbOnResource.slice(space + 1)];
}
