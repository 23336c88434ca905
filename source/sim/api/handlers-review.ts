// The reviews: POST a SelfSubjectAccessReview ("may I?", kubectl auth can-i), a SelfSubjectRulesReview ("what may
// I do here?", kubectl auth can-i --list) or a SelfSubjectReview ("who am I?", kubectl auth whoami); the answer is
// the same object with its status filled in, 201 Created, and nothing is stored.
import {badRequest, invalid, methodNotAllowed} from '../errors.js';
import type {PolicyRule} from '../auth/rbac.js';
import {sendJson} from './content.js';
import {checkType, readObject} from './handlers-checks.js';
import type {Request} from './handlers-request.js';

type Json = any;

const nonEmpty = (list: string[] | undefined) => (list && list.length > 0 ? list : undefined);

function accessReview(r: Request, body: Json): Json {
	const spec = body.spec ?? {};
	const ra = spec.resourceAttributes;
	const nra = spec.nonResourceAttributes;
	if ((ra && nra) || (!ra && !nra)) {
		throw invalid('SelfSubjectAccessReview', 'authorization.k8s.io', '', [
			ra
				? {
						reason: 'FieldValueInvalid',
						field: 'spec.nonResourceAttributes',
						message: 'cannot be specified in combination with resourceAttributes',
					}
				: {
						reason: 'FieldValueInvalid',
						field: 'spec.resourceAttributes',
						message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
					},
		]);
	}
	const decision = r.ctx.authorizer!.authorize(
		r.user!,
		ra
			? {
					isResourceRequest: true,
					verb: ra.verb ?? '',
					path: '',
					apiGroup: ra.group ?? '',
					resource: ra.resource ?? '',
					subresource: ra.subresource ?? '',
					namespace: ra.namespace ?? '',
					name: ra.name ?? '',
				}
			: {
					isResourceRequest: false,
					verb: nra.verb ?? '',
					path: nra.path ?? '',
					apiGroup: '',
					resource: '',
					subresource: '',
					namespace: '',
					name: '',
				},
	);
	return {allowed: decision.allowed, ...(decision.reason ? {reason: decision.reason} : {})};
}

function rulesReview(r: Request, body: Json): Json {
	const namespace: string = body.spec?.namespace ?? '';
	if (namespace === '') throw badRequest('no namespace on request');
	const {rules, errors} = r.ctx.authorizer!.rulesFor(r.user!, namespace);
	const resourceRules: Json[] = [];
	const nonResourceRules: Json[] = [];
	for (const rule of rules as PolicyRule[]) {
		if (rule.resources?.length) {
			resourceRules.push({
				verbs: rule.verbs,
				...(nonEmpty(rule.apiGroups) ? {apiGroups: rule.apiGroups} : {}),
				resources: rule.resources,
				...(nonEmpty(rule.resourceNames) ? {resourceNames: rule.resourceNames} : {}),
			});
		}
		if (rule.nonResourceURLs?.length) nonResourceRules.push({verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs});
	}
	return {
		resourceRules,
		nonResourceRules,
		incomplete: errors.length > 0,
		...(errors.length > 0 ? {evaluationError: errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`} : {}),
	};
}

/** POST of a review: answered with its status, never stored. */
export async function review(r: Request): Promise<void> {
	if (r.req.method !== 'POST' || r.route.name !== undefined)
		throw methodNotAllowed('the server does not allow this method on the requested resource');
	const body = await readObject(r);
	checkType(r, body);
	const metadata = {...(body.metadata ?? {}), creationTimestamp: null};
	switch (r.info.kind) {
		case 'SelfSubjectAccessReview':
			return sendJson(r.res, 201, {
				kind: body.kind,
				apiVersion: body.apiVersion,
				metadata,
				spec: body.spec ?? {},
				status: accessReview(r, body),
			});
		case 'SelfSubjectRulesReview':
			return sendJson(r.res, 201, {
				kind: body.kind,
				apiVersion: body.apiVersion,
				metadata,
				spec: body.spec ?? {},
				status: rulesReview(r, body),
			});
		case 'SelfSubjectReview':
			return sendJson(r.res, 201, {
				kind: body.kind,
				apiVersion: body.apiVersion,
				metadata,
				status: {
					userInfo: {
						username: r.user!.name,
						...(r.user!.uid ? {uid: r.user!.uid} : {}),
						groups: r.user!.groups,
						...(r.user!.extra ? {extra: r.user!.extra} : {}),
					},
				},
			});
		default:
			throw methodNotAllowed('the server does not allow this method on the requested resource');
	}
}
