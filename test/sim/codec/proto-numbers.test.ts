// Our trimmed .proto definitions must agree with the ones kubectl was compiled with: a wrong field number would
// silently drop or misplace a field of every object kubectl sends (or of the OpenAPI document it reads).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import protobuf from 'protobufjs';
import {kubeProtoRoot} from '../../../source/sim/codec/protobuf.js';
import {openapiV2Proto} from '../../../source/sim/codec/openapi-v2-proto.js';
import {kubectl132, kubectlVersion} from './capture-server.js';
import {kubectlMessages, type FieldDescriptor, type MessageDescriptor} from './kubectl-descriptors.js';

// FieldDescriptorProto.Type numbers of the scalar types we use.
const scalarTypes: Record<string, number> = {double: 1, int64: 3, int32: 5, bool: 8, string: 9, bytes: 12};
const messageType = 11;
const repeated = 3;

function allTypes(ns: protobuf.NamespaceBase): protobuf.Type[] {
	const out: protobuf.Type[] = [];
	for (const child of ns.nestedArray) {
		if (child instanceof protobuf.Type) out.push(child);
		if (child instanceof protobuf.Namespace || child instanceof protobuf.Type) out.push(...allTypes(child));
	}
	return out;
}

function sameType(ours: {type: string; resolvedType: protobuf.ReflectionObject | null}, theirs: FieldDescriptor): boolean {
	if (ours.resolvedType) return theirs.type === messageType && theirs.typeName === ours.resolvedType.fullName;
	return theirs.type === scalarTypes[ours.type];
}

/** Problems with one of our messages compared with kubectl's, as readable lines. */
function compare(type: protobuf.Type, kubectl: Map<string, MessageDescriptor>): string[] {
	const name = type.fullName.slice(1);
	const theirs = kubectl.get(name);
	if (!theirs) return [`${name}: kubectl has no such message`];
	const problems: string[] = [];
	for (const field of type.fieldsArray) {
		const match = theirs.field.find((f) => f.name === field.name);
		if (!match) {
			problems.push(`${name}.${field.name}: kubectl has no such field`);
			continue;
		}
		if (match.number !== field.id) problems.push(`${name}.${field.name}: number ${field.id}, kubectl ${match.number}`);
		if (field instanceof protobuf.MapField) {
			const entry = kubectl.get(match.typeName!.slice(1));
			const [key, value] = [entry?.field.find((f) => f.number === 1), entry?.field.find((f) => f.number === 2)];
			const ok =
				match.label === repeated && entry?.options?.mapEntry && key?.type === scalarTypes[field.keyType] && value && sameType(field, value);
			if (!ok) problems.push(`${name}.${field.name}: map<${field.keyType}, ${field.type}> does not match kubectl's ${match.typeName}`);
			continue;
		}
		if ((match.label === repeated) !== field.repeated) problems.push(`${name}.${field.name}: repeated=${field.repeated}, kubectl differs`);
		if (!sameType(field, match))
			problems.push(`${name}.${field.name}: type ${field.type}, kubectl type ${match.type} ${match.typeName ?? ''}`);
	}
	return problems;
}

test('every field of our Kubernetes .proto has the number and type of kubectl 1.32 generated.proto', () => {
	const kubectl = kubectlMessages(kubectl132);
	const types = allTypes(kubeProtoRoot());
	assert.ok(types.length >= 60, `expected our definitions to cover the kinds kubectl sends, got ${types.length} messages`);
	assert.deepEqual(
		types.flatMap((t) => compare(t, kubectl)),
		[],
	);
});

test('every field of our gnostic OpenAPI v2 .proto has the number and type kubectl 1.27 decodes with', () => {
	const kubectl = kubectlMessages(kubectlVersion(27));
	const root = new protobuf.Root();
	protobuf.parse(openapiV2Proto, root, {keepCase: true});
	root.resolveAll();
	const types = allTypes(root);
	assert.ok(types.length >= 30);
	assert.deepEqual(
		types.flatMap((t) => compare(t, kubectl)),
		[],
	);
});
