// The paths and operations both documents list for each served resource (built from resources.ts); separate because v2 and v3 only spell them differently.
import type {ResourceInfo} from '../../resources.js';
import type {Gvk} from './definitions.js';

/** The info block both documents carry: the Kubernetes version the simulator answers as. */
export const documentInfo = {title: 'Kubernetes', version: 'v1.32.0'};

const param = (name: string, location: 'query' | 'path', type: string, description: string, extra: Record<string, unknown> = {}) => ({
	name,
	in: location,
	description,
	...(location === 'path' ? {required: true} : {}),
	...extra,
	type,
});

const common = {
	name: param('name', 'path', 'string', 'name of the object', {uniqueItems: true}),
	namespace: param('namespace', 'path', 'string', 'object name and auth scope, such as for teams and projects', {uniqueItems: true}),
	pretty: param('pretty', 'query', 'string', "If 'true', then the output is pretty printed.", {uniqueItems: true}),
	dryRun: param('dryRun', 'query', 'string', 'When present, indicates that modifications should not be persisted. Valid value: All.', {
		uniqueItems: true,
	}),
	fieldManager: param('fieldManager', 'query', 'string', 'A name associated with the actor or entity that is making these changes.', {
		uniqueItems: true,
	}),
	fieldValidation: param(
		'fieldValidation',
		'query',
		'string',
		'How the server handles unknown or duplicate fields in the object: Ignore, Warn or Strict (the request fails).',
		{uniqueItems: true},
	),
	force: param('force', 'query', 'boolean', 'Force is going to "force" Apply requests; it must be unset for non-apply patch requests.', {
		uniqueItems: true,
	}),
	gracePeriodSeconds: param('gracePeriodSeconds', 'query', 'integer', 'The duration in seconds before the object should be deleted.', {
		uniqueItems: true,
	}),
	orphanDependents: param('orphanDependents', 'query', 'boolean', 'Deprecated: use propagationPolicy.', {uniqueItems: true}),
	propagationPolicy: param(
		'propagationPolicy',
		'query',
		'string',
		'Whether and how garbage collection is performed: Orphan, Background or Foreground.',
		{uniqueItems: true},
	),
	list: [
		['allowWatchBookmarks', 'boolean', 'requests watch events with type "BOOKMARK"'],
		['continue', 'string', 'the continue token of a previous, limited list'],
		['fieldSelector', 'string', 'restricts the list of returned objects by their fields'],
		['labelSelector', 'string', 'restricts the list of returned objects by their labels'],
		['limit', 'integer', 'the maximum number of responses to return for a list call'],
		['resourceVersion', 'string', 'the resourceVersion to list or watch from'],
		['resourceVersionMatch', 'string', 'how resourceVersion is applied to list calls'],
		['sendInitialEvents', 'boolean', 'start the watch stream with synthetic events of the current state'],
		['timeoutSeconds', 'integer', 'timeout for the list/watch call'],
		['watch', 'boolean', 'watch for changes to the described resources'],
	].map(([name, type, description]) => param(name!, 'query', type!, description!, {uniqueItems: true})),
};

const writeMediaTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const patchMediaTypes = [
	'application/apply-patch+yaml',
	'application/json-patch+json',
	'application/merge-patch+json',
	'application/strategic-merge-patch+json',
];
/** What every operation can answer in. */
export const readMediaTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** One operation of a path, before it is spelled as v2 or v3. */
export type Operation = {
	method: 'get' | 'post' | 'put' | 'patch' | 'delete';
	action: string;
	operationId: string;
	description: string;
	gvk: Gvk;
	parameters: unknown[];
	body?: {type: string; mediaTypes: string[]};
	/** The answer's schema by name, or `text`: a plain string in whatever the client asked (pods/log). */
	response: {type: string; codes: number[]; text?: true};
};

/** 'Core' / 'Apps' / 'Events', as the real operationIds name groups (readCoreV1NamespacedPod, listEventsV1NamespacedEvent). */
function groupWord(info: ResourceInfo): string {
	if (info.group === '') return 'Core';
	// rbac.authorization.k8s.io → RbacAuthorization, events.k8s.io → Events.
	return info.group
		.replace(/\.k8s\.io$/, '')
		.split('.')
		.map((word) => word[0]!.toUpperCase() + word.slice(1))
		.join('');
}

// pods/log's query parameters (PodLogOptions), as the apiserver's OpenAPI lists them: sinceTime, a metav1.Time, is
// read from the query too but is not listed; stream came with 1.32 (alpha: the apiserver drops it unless enabled).
const logParams = [
	['container', 'string', 'the container to read the log of; the only container when the pod has one'],
	['follow', 'boolean', 'follow the log stream as the container writes it'],
	['insecureSkipTLSVerifyBackend', 'boolean', 'do not verify the serving certificate of the kubelet the log is read from'],
	['limitBytes', 'integer', 'stop after this many bytes of log'],
	['previous', 'boolean', "read the previous (terminated) container's log"],
	['sinceSeconds', 'integer', 'only the log written in the last this many seconds'],
	['stream', 'string', 'which stream to read: All (the default), Stdout or Stderr'],
	['tailLines', 'integer', 'only this many lines from the end of the log'],
	['timestamps', 'boolean', 'start every line with an RFC3339 timestamp'],
].map(([name, type, description]) => param(name!, 'query', type!, description!, {uniqueItems: true}));

/**
 * The log subresource: one GET answering the log as a plain string. Its parameters are the path's, in the order the
 * apiserver's document lists them (by name).
 */
function logPath(collection: string, id: string, gvk: Gvk): {path: string; pathParams: unknown[]; operations: Operation[]} {
	const pathParams = [
		...logParams,
		param('name', 'path', 'string', `name of the ${gvk.kind}`, {uniqueItems: true}),
		common.namespace,
		common.pretty,
	].sort((a, b) => a.name.localeCompare(b.name));
	return {
		path: `${collection}/{name}/log`,
		pathParams,
		operations: [
			{
				method: 'get',
				action: 'get',
				operationId: `read${id}Log`,
				description: `read log of the specified ${gvk.kind}`,
				gvk,
				parameters: [],
				response: {type: 'string', codes: [200], text: true},
			},
		],
	};
}

/** Every path a resource is served under, with its operations. */
export function resourcePaths(info: ResourceInfo): Array<{path: string; pathParams: unknown[]; operations: Operation[]}> {
	const base = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
	const scope = info.namespaced ? 'Namespaced' : '';
	const id = `${groupWord(info)}${info.version[0]!.toUpperCase()}${info.version.slice(1)}${scope}${info.kind}`;
	const gvk: Gvk = {group: info.group, version: info.version, kind: info.kind};
	// The definition's short name (events.k8s.io's Event is EventsV1Event; core's is Event).
	const schema = info.schema ?? info.kind;
	const collection = info.namespaced ? `${base}/namespaces/{namespace}/${info.resource}` : `${base}/${info.resource}`;
	const scopeParams = info.namespaced ? [common.namespace] : [];
	const writeParams = [common.dryRun, common.fieldManager, common.fieldValidation];
	const deleteParams = [common.dryRun, common.gracePeriodSeconds, common.orphanDependents, common.propagationPolicy];
	const has = (verb: string) => info.verbs.includes(verb);
	const out: Array<{path: string; pathParams: unknown[]; operations: Operation[]}> = [];

	const collectionOps: Operation[] = [];
	if (has('list'))
		collectionOps.push({
			method: 'get',
			action: 'list',
			operationId: `list${id}`,
			description: `list or watch objects of kind ${info.kind}`,
			gvk,
			parameters: common.list,
			response: {type: `${schema}List`, codes: [200]},
		});
	if (has('create'))
		collectionOps.push({
			method: 'post',
			action: 'post',
			operationId: `create${id}`,
			description: `create a ${info.kind}`,
			gvk,
			parameters: writeParams,
			body: {type: schema, mediaTypes: writeMediaTypes},
			response: {type: schema, codes: [200, 201, 202]},
		});
	if (has('deletecollection'))
		collectionOps.push({
			method: 'delete',
			action: 'deletecollection',
			operationId: `deleteCollection${id}`,
			description: `delete collection of ${info.kind}`,
			gvk,
			parameters: [...deleteParams, ...common.list],
			body: {type: 'DeleteOptions', mediaTypes: writeMediaTypes},
			response: {type: 'Status', codes: [200]},
		});
	out.push({path: collection, pathParams: [...scopeParams, common.pretty], operations: collectionOps});

	const itemOps: Operation[] = [];
	if (has('get'))
		itemOps.push({
			method: 'get',
			action: 'get',
			operationId: `read${id}`,
			description: `read the specified ${info.kind}`,
			gvk,
			parameters: [],
			response: {type: schema, codes: [200]},
		});
	if (has('update'))
		itemOps.push({
			method: 'put',
			action: 'put',
			operationId: `replace${id}`,
			description: `replace the specified ${info.kind}`,
			gvk,
			parameters: writeParams,
			body: {type: schema, mediaTypes: writeMediaTypes},
			response: {type: schema, codes: [200, 201]},
		});
	if (has('patch'))
		itemOps.push({
			method: 'patch',
			action: 'patch',
			operationId: `patch${id}`,
			description: `partially update the specified ${info.kind}`,
			gvk,
			parameters: [...writeParams, common.force],
			body: {type: 'Patch', mediaTypes: patchMediaTypes},
			response: {type: schema, codes: [200, 201]},
		});
	if (has('delete'))
		itemOps.push({
			method: 'delete',
			action: 'delete',
			operationId: `delete${id}`,
			description: `delete a ${info.kind}`,
			gvk,
			parameters: deleteParams,
			body: {type: 'DeleteOptions', mediaTypes: writeMediaTypes},
			response: {type: info.kind === 'Pod' ? 'Pod' : 'Status', codes: [200, 202]},
		});
	if (itemOps.length > 0)
		out.push({path: `${collection}/{name}`, pathParams: [common.name, ...scopeParams, common.pretty], operations: itemOps});

	if (info.subresources.includes('log')) out.push(logPath(collection, id, gvk));
	for (const sub of info.subresources.filter((s) => s !== 'log')) {
		const kind = sub === 'scale' ? 'Scale' : schema;
		const subGvk: Gvk = sub === 'scale' ? {group: 'autoscaling', version: 'v1', kind: 'Scale'} : gvk;
		const subId = `${id}${sub[0]!.toUpperCase()}${sub.slice(1)}`;
		out.push({
			path: `${collection}/{name}/${sub}`,
			pathParams: [common.name, ...scopeParams, common.pretty],
			operations: [
				{
					method: 'get',
					action: 'get',
					operationId: `read${subId}`,
					description: `read ${sub} of the specified ${info.kind}`,
					gvk: subGvk,
					parameters: [],
					response: {type: kind, codes: [200]},
				},
				{
					method: 'put',
					action: 'put',
					operationId: `replace${subId}`,
					description: `replace ${sub} of the specified ${info.kind}`,
					gvk: subGvk,
					parameters: writeParams,
					body: {type: kind, mediaTypes: writeMediaTypes},
					response: {type: kind, codes: [200, 201]},
				},
				{
					method: 'patch',
					action: 'patch',
					operationId: `patch${subId}`,
					description: `partially update ${sub} of the specified ${info.kind}`,
					gvk: subGvk,
					parameters: [...writeParams, common.force],
					body: {type: 'Patch', mediaTypes: patchMediaTypes},
					response: {type: kind, codes: [200, 201]},
				},
			],
		});
	}
	if (info.namespaced && has('list')) {
		out.push({
			path: `${base}/${info.resource}`,
			pathParams: [common.pretty],
			operations: [
				{
					method: 'get',
					action: 'list',
					operationId: `list${groupWord(info)}${info.version[0]!.toUpperCase()}${info.version.slice(1)}${info.kind}ForAllNamespaces`,
					description: `list or watch objects of kind ${info.kind}`,
					gvk,
					parameters: common.list,
					response: {type: `${schema}List`, codes: [200]},
				},
			],
		});
	}
	return out;
}
