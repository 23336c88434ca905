// The access review at start, as k9s checks before it offers an action: one SelfSubjectAccessReview per thing a
// changing key needs (patch deployments, patch deployments/scale), so that keys the user may not use are marked
// unavailable before anyone presses them. The API server still decides every request; this only warns early.
import type {Connection} from './connect.js';
import {requestJson} from './http.js';

// What an action needs the right to do, in RBAC's terms.
export type AccessNeed = {verb: string; group: string; resource: string; subresource?: string};

// The answer for one need: allowed or not, with the authorizer's reason when it gave one; fromServer when an actual
// request was refused (403), which no later review overrides.
export type AccessVerdict = {allowed: boolean; reason?: string; fromServer?: boolean};

// Verdicts by needKey(); a need missing from it was not (or could not be) reviewed: the keys stay available.
export type AccessReview = {namespace: string; verdicts: Readonly<Record<string, AccessVerdict>>};

// "patch deployments.apps/scale": how messages and the review's map name a need.
export function needKey(need: AccessNeed): string {
	const resource = need.group === '' ? need.resource : `${need.resource}.${need.group}`;
	return `${need.verb} ${resource}${need.subresource ? `/${need.subresource}` : ''}`;
}

type ReviewStatus = {status?: {allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string}};

// Reviews each need in the namespace (in parallel); a review that fails (an old server, no network) leaves its need
// out of the verdicts rather than guessing. Never throws.
export async function reviewAccess(
	conn: Connection,
	namespace: string,
	needs: readonly AccessNeed[],
	signal?: AbortSignal,
): Promise<AccessReview> {
	const unique = new Map(needs.map((n) => [needKey(n), n]));
	const verdicts: Record<string, AccessVerdict> = {};
	await Promise.all(
		[...unique].map(async ([key, need]) => {
			const body = {
				apiVersion: 'authorization.k8s.io/v1',
				kind: 'SelfSubjectAccessReview',
				spec: {
					resourceAttributes: {namespace, verb: need.verb, group: need.group, resource: need.resource, subresource: need.subresource},
				},
			};
			try {
				const answer = await requestJson<ReviewStatus>(conn, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
					method: 'POST',
					body: JSON.stringify(body),
					signal,
				});
				const allowed = answer.status?.allowed === true;
				verdicts[key] = allowed ? {allowed} : {allowed, reason: answer.status?.reason || undefined};
			} catch {
				// Unknown: the key stays available and the API server's answer will say.
			}
		}),
	);
	return {namespace, verdicts};
}
