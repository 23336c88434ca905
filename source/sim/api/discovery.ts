// Discovery documents: legacy (/api, /apis, /api/v1, /apis/apps/v1) and aggregated (apidiscovery.k8s.io/v2,
// which kubectl 1.27+ asks for first). They are built once: the served resources never change.
import {resources, type ResourceInfo} from '../resources.js';

export type ServerVersion = {major: string; minor: string; gitVersion: string};

export const defaultVersion: ServerVersion = {major: '1', minor: '32', gitVersion: 'v1.32.4'};

/** The /version document, in the real server's field order. */
export function versionInfo(v: ServerVersion): Record<string, string> {
	return {
		major: v.major,
		minor: v.minor,
		gitVersion: v.gitVersion,
		gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
		gitTreeState: 'clean',
		buildDate: '2025-04-22T16:03:47Z',
		goVersion: 'go1.23.6',
		compiler: 'gc',
		platform: 'linux/amd64',
	};
}

const groups = [...new Set(resources.filter((r) => r.group !== '').map((r) => r.group))];

function subresourceVerbs(sub: string): string[] {
	return sub === 'log' ? ['get'] : ['get', 'patch', 'update'];
}

function subresourceKind(info: ResourceInfo, sub: string): {group: string; version: string; kind: string} {
	if (sub === 'scale') return {group: 'autoscaling', version: 'v1', kind: 'Scale'};
	if (sub === 'log') return {group: '', version: '', kind: 'Pod'};
	return {group: info.group, version: info.version, kind: info.kind};
}

/** An APIResourceList (legacy discovery of one group version), including `pods/status`-style subresources. */
export function resourceList(group: string, version: string): object | undefined {
	const served = resources.filter((r) => r.group === group && r.version === version);
	if (served.length === 0) return undefined;
	const list: object[] = [];
	for (const r of served) {
		list.push({
			name: r.resource,
			singularName: r.singular,
			namespaced: r.namespaced,
			kind: r.kind,
			verbs: r.verbs,
			...(r.shortNames.length ? {shortNames: r.shortNames} : {}),
			...(r.categories ? {categories: r.categories} : {}),
			// The reviews are never stored, so they have no storage version.
			...(r.review ? {} : {storageVersionHash: storageVersionHash(r)}),
		});
		for (const sub of r.subresources) {
			const k = subresourceKind(r, sub);
			list.push({
				name: `${r.resource}/${sub}`,
				singularName: '',
				namespaced: r.namespaced,
				...(k.group !== r.group ? {group: k.group, version: k.version} : {}),
				kind: k.kind,
				verbs: subresourceVerbs(sub),
			});
		}
	}
	return {kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources: list};
}

// A stable 11-character hash per resource, the shape of the real field (clients only compare it).
function storageVersionHash(r: ResourceInfo): string {
	let h = 2166136261;
	for (const c of `${r.group}/${r.version}/${r.kind}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
	return Buffer.from(`${h.toString(16)}${r.kind}`)
		.toString('base64')
		.slice(0, 11);
}

/** /api: the legacy APIVersions document. */
export function apiVersions(): object {
	return {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443'}]};
}

function apiGroup(group: string): object {
	const versions = [...new Set(resources.filter((r) => r.group === group).map((r) => r.version))];
	const gv = versions.map((v) => ({groupVersion: `${group}/${v}`, version: v}));
	return {name: group, versions: gv, preferredVersion: gv[0]};
}

/** /apis/{group}: one APIGroup, or undefined for a group not served. */
export function apiGroupDocument(group: string): object | undefined {
	if (!groups.includes(group)) return undefined;
	return {kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group)};
}

/** /apis: the legacy APIGroupList. */
export function apiGroupList(): object {
	return {kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(apiGroup)};
}

function discoveryResource(r: ResourceInfo): object {
	return {
		resource: r.resource,
		responseKind: {group: r.group, version: r.version, kind: r.kind},
		scope: r.namespaced ? 'Namespaced' : 'Cluster',
		singularResource: r.singular,
		verbs: r.verbs,
		...(r.shortNames.length ? {shortNames: r.shortNames} : {}),
		...(r.categories ? {categories: r.categories} : {}),
		...(r.subresources.length
			? {
					subresources: r.subresources.map((sub) => ({
						subresource: sub,
						responseKind: subresourceKind(r, sub),
						verbs: subresourceVerbs(sub),
					})),
				}
			: {}),
	};
}

function discoveryGroup(group: string): object {
	const versions = [...new Set(resources.filter((r) => r.group === group).map((r) => r.version))];
	return {
		metadata: {name: group, creationTimestamp: null},
		versions: versions.map((version) => ({
			version,
			resources: resources.filter((r) => r.group === group && r.version === version).map(discoveryResource),
			freshness: 'Current',
		})),
	};
}

/** The aggregated discovery document for /api (legacy: true) or /apis, as apidiscovery.k8s.io `version`. */
export function aggregatedDiscovery(legacy: boolean, version: 'v2' | 'v2beta1'): object {
	const items = legacy ? [discoveryGroup('')] : groups.map(discoveryGroup);
	if (legacy) (items[0] as {metadata: object}).metadata = {creationTimestamp: null};
	return {kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items};
}

/**
 * Which aggregated discovery version the Accept header asks for first, or undefined when the client wants
 * the legacy documents. Content-Type of the answer must name it, or clients read it as legacy discovery.
 */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
	if (!accept) return undefined;
	for (const part of accept.split(',')) {
		const [type, ...params] = part.split(';').map((s) => s.trim());
		const p = Object.fromEntries(params.map((x) => x.split('=').map((s) => s.trim()) as [string, string]));
		if (
			type === 'application/json' &&
			p.g === 'apidiscovery.k8s.io' &&
			p.as === 'APIGroupDiscoveryList' &&
			(p.v === 'v2' || p.v === 'v2beta1')
		) {
			return p.v as 'v2' | 'v2beta1';
		}
		if (type === 'application/json' && !p.as) return undefined;
	}
	return undefined;
}

/** The Content-Type of an aggregated discovery answer. */
export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
	return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}
