// The protobuf descriptors compiled into a kubectl binary: Kubernetes' generated.proto files (gzipped, as gogo
// registers them) and gnostic's OpenAPIv2.proto (raw). They are the ground truth our trimmed definitions are
// checked against, and they let tests encode messages exactly as kubectl's Go code would lay them out.
import {readFileSync} from 'node:fs';
import {gunzipSync} from 'node:zlib';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor.js';

export type FileDescriptor = {
	name: string;
	package: string;
	messageType: MessageDescriptor[];
	dependency?: string[];
};
export type MessageDescriptor = {name: string; field: FieldDescriptor[]; nestedType: MessageDescriptor[]; options?: {mapEntry?: boolean}};
export type FieldDescriptor = {name: string; number: number; label: number; type: number; typeName?: string};

const cache = new Map<string, FileDescriptor[]>();

/** Every generated.proto / OpenAPIv2.proto descriptor in the binary. */
export function kubectlFileDescriptors(binary: string): FileDescriptor[] {
	const cached = cache.get(binary);
	if (cached) return cached;
	const bytes = readFileSync(binary);
	const files: FileDescriptor[] = [];
	// gogo registers each generated.proto as a gzip stream with a zeroed header.
	const gzipMagic = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
	for (let i = bytes.indexOf(gzipMagic); i >= 0; i = bytes.indexOf(gzipMagic, i + 1)) {
		let file: FileDescriptor;
		try {
			const raw = gunzipSync(bytes.subarray(i, i + 400_000), {finishFlush: 2});
			file = descriptor.FileDescriptorProto.decode(raw) as unknown as FileDescriptor;
		} catch {
			continue;
		}
		if (file.name?.endsWith('generated.proto')) files.push(file);
	}
	// google.golang.org/protobuf keeps gnostic's descriptor raw: find its name and walk its top-level fields.
	const start = bytes.indexOf(Buffer.from('\n\x19openapiv2/OpenAPIv2.proto'));
	if (start >= 0) {
		const reader = protobuf.Reader.create(bytes.subarray(start, start + 400_000));
		const wireTypes: Record<number, number> = {1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 2, 9: 2, 10: 0, 11: 0, 12: 2, 13: 2, 14: 0};
		let end = 0;
		while (reader.pos < reader.len) {
			const tag = reader.uint32();
			if (wireTypes[tag >>> 3] !== (tag & 7)) break;
			reader.skipType(tag & 7);
			end = reader.pos;
		}
		files.push(descriptor.FileDescriptorProto.decode(bytes.subarray(start, start + end)) as unknown as FileDescriptor);
	}
	cache.set(binary, files);
	return files;
}

/** Messages by full name ('k8s.io.api.apps.v1.Deployment'), nested ones included. */
export function kubectlMessages(binary: string): Map<string, MessageDescriptor> {
	const out = new Map<string, MessageDescriptor>();
	const add = (prefix: string, m: MessageDescriptor) => {
		out.set(`${prefix}.${m.name}`, m);
		for (const n of m.nestedType ?? []) add(`${prefix}.${m.name}`, n);
	};
	for (const f of kubectlFileDescriptors(binary)) for (const m of f.messageType) add(f.package, m);
	return out;
}

/** A protobufjs Root built from kubectl's own descriptors of some .proto files and what they import. */
export function kubectlRoot(binary: string, roots: string[]): protobuf.Root {
	const byName = new Map<string, FileDescriptor>();
	for (const f of kubectlFileDescriptors(binary)) if (!byName.has(f.name)) byName.set(f.name, f);
	const wanted = new Set<string>();
	const visit = (name: string) => {
		const f = byName.get(name);
		if (!f || wanted.has(name)) return;
		wanted.add(name);
		for (const d of f.dependency ?? []) visit(d);
	};
	for (const r of roots) visit(r);
	const set: descriptor.IFileDescriptorSet = {
		file: [...wanted].map((n) => descriptor.FileDescriptorProto.toObject(byName.get(n) as unknown as protobuf.Message)),
	};
	return protobuf.Root.fromDescriptor(set);
}
