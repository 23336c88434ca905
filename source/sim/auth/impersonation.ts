// Impersonation (`kubectl --as`, `--as-group`, `--as-uid`, and the kubeconfig's `as:` fields), as the apiserver's
// impersonation filter runs it between authentication and authorization: each Impersonate-* header is a request to act
// as someone, and each must be allowed for the authenticated user (verb impersonate on users, groups, serviceaccounts,
// uids or userextras/KEY), or the request is Forbidden in the usual wording. When all are allowed, the rest of the
// request (authorization included) is made as the impersonated user.
import type {IncomingMessage} from 'node:http';
import type {Attributes, Decision} from './rbac.js';
import {authenticatedGroup, type UserInfo} from './users.js';

/** The anonymous user and the group of unauthenticated requests. */
const anonymous = 'system:anonymous';
const unauthenticatedGroup = 'system:unauthenticated';

/** One thing a request asks to act as, and the authorizer's attributes for asking whether it may. */
type ActAs = {kind: 'ServiceAccount' | 'User' | 'Group' | 'UserExtra' | 'UID'; name: string; namespace?: string; key?: string};

/** A request to act as someone that cannot be honoured: a 500 in Go's plain text, or a 403 for a denied right. */
export type ImpersonationRefusal = {status: 500; text: string} | {status: 403; attributes: Attributes; reason: string};

/** The user a request acts as: the authenticated one without Impersonate-* headers, the impersonated one when every
 * request to act as someone is allowed; or why not. */
export function impersonate(
	req: IncomingMessage,
	requestor: UserInfo,
	authorize: (user: UserInfo, a: Attributes) => Decision,
): UserInfo | ImpersonationRefusal {
	const asked = actAsRequests(req);
	if (asked.length === 0) return requestor;
	if (!asked.some((a) => a.kind === 'User' || a.kind === 'ServiceAccount'))
		return {
			status: 500,
			text: `Internal Server Error: ${JSON.stringify(req.url ?? '')}: requested ${goReferences(asked)} without impersonating a user\n`,
		};
	const groupsGiven = asked.some((a) => a.kind === 'Group');
	let name = '';
	let uid: string | undefined;
	let groups: string[] = [];
	const extra: Record<string, string[]> = {};
	for (const a of asked) {
		const attributes: Attributes = {
			isResourceRequest: true,
			verb: 'impersonate',
			path: req.url ?? '',
			apiGroup: a.kind === 'UserExtra' || a.kind === 'UID' ? 'authentication.k8s.io' : '',
			resource: RESOURCE[a.kind],
			subresource: a.key ?? '',
			namespace: a.namespace ?? '',
			name: a.name,
		};
		switch (a.kind) {
			case 'ServiceAccount':
				name = `system:serviceaccount:${a.namespace}:${a.name}`;
				if (!groupsGiven) groups = ['system:serviceaccounts', `system:serviceaccounts:${a.namespace}`];
				break;
			case 'User':
				name = a.name;
				break;
			case 'Group':
				groups.push(a.name);
				break;
			case 'UserExtra':
				extra[a.key!] = [...(extra[a.key!] ?? []), a.name];
				break;
			case 'UID':
				uid = a.name;
				break;
		}
		const decision = authorize(requestor, attributes);
		if (!decision.allowed) return {status: 403, attributes, reason: decision.reason};
	}
	// A named user is also system:authenticated, unless the headers said system:authenticated or
	// system:unauthenticated themselves; the anonymous user is system:unauthenticated.
	if (name !== anonymous) {
		if (!groups.includes(authenticatedGroup) && !groups.includes(unauthenticatedGroup)) groups.push(authenticatedGroup);
	} else if (!groups.includes(unauthenticatedGroup)) groups.push(unauthenticatedGroup);
	return {name, groups, ...(uid !== undefined ? {uid} : {}), ...(Object.keys(extra).length > 0 ? {extra} : {})};
}

const RESOURCE: Record<ActAs['kind'], string> = {
	ServiceAccount: 'serviceaccounts',
	User: 'users',
	Group: 'groups',
	UserExtra: 'userextras',
	UID: 'uids',
};

/** The Impersonate-* headers as requests to act as someone, in the filter's order: user, groups, extras, uid. */
function actAsRequests(req: IncomingMessage): ActAs[] {
	const out: ActAs[] = [];
	const user = first(req.headers['impersonate-user']);
	if (user) {
		const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user);
		out.push(sa ? {kind: 'ServiceAccount', namespace: sa[1]!, name: sa[2]!} : {kind: 'User', name: user});
	}
	for (const group of all(req.headersDistinct['impersonate-group'])) out.push({kind: 'Group', name: group});
	for (const [header, values] of Object.entries(req.headersDistinct)) {
		if (!header.startsWith('impersonate-extra-')) continue;
		const key = unescapeKey(header.slice('impersonate-extra-'.length));
		for (const value of values ?? []) out.push({kind: 'UserExtra', name: value, key});
	}
	const uid = first(req.headers['impersonate-uid']);
	if (uid) out.push({kind: 'UID', name: uid});
	return out;
}

function first(v: string | string[] | undefined): string {
	return (Array.isArray(v) ? v[0] : v) ?? '';
}

function all(v: string[] | undefined): string[] {
	return v ?? [];
}

// An extra's key is %-encoded in the header name (kubectl encodes what a header name cannot hold); a malformed one is kept.
function unescapeKey(key: string): string {
	try {
		return decodeURIComponent(key);
	} catch {
		return key;
	}
}

// Go's %v of the []ObjectReference the filter builds: {Kind Namespace Name UID APIVersion ResourceVersion FieldPath}.
function goReferences(asked: ActAs[]): string {
	const ref = (a: ActAs) => {
		const apiVersion = a.kind === 'UserExtra' || a.kind === 'UID' ? 'authentication.k8s.io/v1' : '';
		return `{${a.kind} ${a.namespace ?? ''} ${a.name}  ${apiVersion}  ${a.key ?? ''}}`;
	};
	return `[${asked.map(ref).join(' ')}]`;
}
