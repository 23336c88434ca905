// kubectl 1.32's typed clients send request bodies as Kubernetes protobuf: the magic "k8s\0", then a
// runtime.Unknown {typeMeta, raw}. This decodes them into the JSON shape the JSON API accepts, so the API routes
// see the same object whichever encoding the client chose.
import protobuf from 'protobufjs';
import {ApiError, badRequest} from '../errors.js';
import type {KubeObject} from '../store.js';
import {kubeProtoFiles} from './kube-proto.js';

/** The 4 bytes in front of every Kubernetes protobuf body ("k8s" and a zero byte). */
export const kubeProtobufMagic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** The media type kubectl puts in Content-Type for these bodies. */
export const kubeProtobufContentType = 'application/vnd.kubernetes.protobuf';

let cachedRoot: protobuf.Root | undefined;

/** The parsed definitions from kube-proto.ts (parsed once, on first use). */
export function kubeProtoRoot(): protobuf.Root {
	if (!cachedRoot) {
		const root = new protobuf.Root();
		for (const file of kubeProtoFiles) protobuf.parse(file, root, {keepCase: true});
		root.resolveAll();
		cachedRoot = root;
	}
	return cachedRoot;
}

const meta = 'k8s.io.apimachinery.pkg.apis.meta.v1';

/** Kinds we decode, by kind: the message and the apiVersions it may arrive with (undefined: any). */
const decodableKinds: Record<string, {type: string; apiVersions?: string[]}> = {
	Deployment: {type: 'k8s.io.api.apps.v1.Deployment', apiVersions: ['apps/v1']},
	ReplicaSet: {type: 'k8s.io.api.apps.v1.ReplicaSet', apiVersions: ['apps/v1']},
	Pod: {type: 'k8s.io.api.core.v1.Pod', apiVersions: ['v1']},
	Service: {type: 'k8s.io.api.core.v1.Service', apiVersions: ['v1']},
	Namespace: {type: 'k8s.io.api.core.v1.Namespace', apiVersions: ['v1']},
	Event: {type: 'k8s.io.api.core.v1.Event', apiVersions: ['v1']},
	Scale: {type: 'k8s.io.api.autoscaling.v1.Scale', apiVersions: ['autoscaling/v1']},
	Role: {type: 'k8s.io.api.rbac.v1.Role', apiVersions: ['rbac.authorization.k8s.io/v1']},
	ClusterRole: {type: 'k8s.io.api.rbac.v1.ClusterRole', apiVersions: ['rbac.authorization.k8s.io/v1']},
	RoleBinding: {type: 'k8s.io.api.rbac.v1.RoleBinding', apiVersions: ['rbac.authorization.k8s.io/v1']},
	ClusterRoleBinding: {type: 'k8s.io.api.rbac.v1.ClusterRoleBinding', apiVersions: ['rbac.authorization.k8s.io/v1']},
	PodDisruptionBudget: {type: 'k8s.io.api.policy.v1.PodDisruptionBudget', apiVersions: ['policy/v1']},
	SelfSubjectAccessReview: {type: 'k8s.io.api.authorization.v1.SelfSubjectAccessReview', apiVersions: ['authorization.k8s.io/v1']},
	SelfSubjectRulesReview: {type: 'k8s.io.api.authorization.v1.SelfSubjectRulesReview', apiVersions: ['authorization.k8s.io/v1']},
	SelfSubjectReview: {type: 'k8s.io.api.authentication.v1.SelfSubjectReview', apiVersions: ['authentication.k8s.io/v1']},
	// Every group registers DeleteOptions; the wire shape is meta/v1's whatever apiVersion the client names.
	DeleteOptions: {type: `${meta}.DeleteOptions`},
};

/** The kinds decodeKubeProtobuf understands, e.g. for a 415 message or a test. */
export const protobufKinds: readonly string[] = Object.keys(decodableKinds);

/** True when a Content-Type header names Kubernetes protobuf (parameters ignored). */
export function isKubeProtobuf(contentType: string | undefined): boolean {
	return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === kubeProtobufContentType;
}

/**
 * Decodes a Kubernetes protobuf request body into the object the same request would carry as JSON: camelCase
 * fields, empty fields omitted as Go's omitempty omits them, apiVersion and kind from the envelope. Throws a 400
 * ApiError for bytes that are not such a body, and a 415 for kinds the simulator cannot decode (the client can
 * send JSON instead). DeleteOptions come back without metadata, as their JSON has none.
 */
export function decodeKubeProtobuf(body: Buffer | Uint8Array): KubeObject {
	const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	if (bytes.length < kubeProtobufMagic.length || !bytes.subarray(0, kubeProtobufMagic.length).equals(kubeProtobufMagic)) {
		throw badRequest(`provided data does not appear to be a protobuf message, expected prefix [${[...kubeProtobufMagic].join(' ')}]`);
	}
	const root = kubeProtoRoot();
	const unknown = decodeMessage(
		root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown'),
		bytes.subarray(kubeProtobufMagic.length),
		'runtime.Unknown envelope',
	);
	const typeMeta = (unknown.typeMeta ?? {}) as {apiVersion?: string; kind?: string};
	const apiVersion = typeMeta.apiVersion ?? '';
	const kind = typeMeta.kind ?? '';
	if (!kind) throw badRequest('the protobuf body has no kind in its runtime.Unknown typeMeta');
	if (unknown.contentEncoding) {
		throw new ApiError(
			415,
			'UnsupportedMediaType',
			`protobuf content encoding ${JSON.stringify(unknown.contentEncoding)} is not supported; send the object unencoded or as application/json`,
		);
	}
	const known = decodableKinds[kind];
	if (!known || (known.apiVersions && !known.apiVersions.includes(apiVersion))) {
		throw new ApiError(
			415,
			'UnsupportedMediaType',
			`the simulated API server cannot decode ${apiVersion ? `${apiVersion}, ` : ''}Kind=${kind} from protobuf (it decodes ${protobufKinds.join(', ')}); send it as application/json`,
		);
	}
	const type = root.lookupType(known.type);
	const raw = unknown.raw instanceof Uint8Array ? unknown.raw : new Uint8Array();
	const decoded = decodeMessage(type, raw, `${kind} ${apiVersion}`);
	return {apiVersion, kind, ...toJson(type, decoded)} as KubeObject;
}

function decodeMessage(type: protobuf.Type, bytes: Uint8Array, what: string): protobuf.Message & Record<string, any> {
	try {
		return type.decode(bytes) as protobuf.Message & Record<string, any>;
	} catch (error) {
		throw badRequest(`unable to decode the protobuf ${what}: ${(error as Error).message}`);
	}
}

type Json = string | number | boolean | null | Json[] | {[key: string]: Json};

/** Message fields present on the wire, converted to their JSON names and shapes. */
function toJson(type: protobuf.Type, message: Record<string, any>): Record<string, Json> {
	const out: Record<string, Json> = {};
	for (const field of type.fieldsArray) {
		if (!Object.hasOwn(message, field.name)) continue;
		const value = message[field.name];
		if (field.map) {
			const entries = Object.entries(value as Record<string, unknown>);
			if (entries.length === 0) continue;
			const map: Record<string, Json> = {};
			for (const [k, v] of entries) {
				const converted = convertValue(field, v);
				if (converted !== undefined) map[k] = converted;
			}
			out[field.name] = map;
		} else if (field.repeated) {
			const items = value as unknown[];
			if (items.length === 0) continue;
			out[field.name] = items.map((v) => convertValue(field, v) ?? null);
		} else if (field.options?.['(inline)']) {
			// An embedded Go struct: its fields are the parent's in JSON.
			Object.assign(out, toJson(field.resolvedType as protobuf.Type, value));
		} else {
			const converted = convertValue(field, value);
			if (converted === undefined) continue;
			if (!field.resolvedType && isZero(converted) && !field.options?.['(keep)']) continue;
			out[field.name] = converted;
		}
	}
	return out;
}

function convertValue(field: protobuf.Field, value: any): Json | undefined {
	const type = field.resolvedType;
	if (type instanceof protobuf.Type) {
		switch (type.fullName) {
			case `.${meta}.Time`:
				return timeString(value, false);
			case `.${meta}.MicroTime`:
				return timeString(value, true);
			case '.k8s.io.apimachinery.pkg.api.resource.Quantity':
				return value.string ?? '';
			case '.k8s.io.apimachinery.pkg.util.intstr.IntOrString':
				return Number(longToNumber(value.type ?? 0)) === 1 ? (value.strVal ?? '') : (value.intVal ?? 0);
			case '.k8s.io.apimachinery.pkg.runtime.RawExtension':
				return rawJson(value.raw);
			default:
				return toJson(type, value);
		}
	}
	if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
	return longToNumber(value);
}

/** int64 fields arrive as Long objects when long.js is around; JSON carries them as numbers. */
function longToNumber(value: any): any {
	if (value !== null && typeof value === 'object' && typeof value.low === 'number' && typeof value.high === 'number') {
		return protobuf.util.LongBits.from(value).toNumber(Boolean(value.unsigned));
	}
	return value;
}

function isZero(value: Json): boolean {
	return value === '' || value === 0 || value === false;
}

/** metav1.Time is RFC 3339 to the second, MicroTime to the microsecond; an empty message is the zero time (omitted). */
function timeString(value: Record<string, any>, micro: boolean): string | undefined {
	if (!Object.hasOwn(value, 'seconds') && !Object.hasOwn(value, 'nanos')) return undefined;
	const seconds = Number(longToNumber(value.seconds ?? 0));
	const nanos = Number(value.nanos ?? 0);
	const iso = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
	if (!micro) return `${iso}Z`;
	return `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

function rawJson(raw: Uint8Array | undefined): Json | undefined {
	if (!raw || raw.length === 0) return undefined;
	const text = Buffer.from(raw).toString('utf8');
	try {
		return JSON.parse(text) as Json;
	} catch {
		throw badRequest('a RawExtension in the protobuf body does not hold JSON');
	}
}
