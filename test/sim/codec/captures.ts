// The kubectl commands whose request bodies the codec tests capture, and how to capture one. Run this file to
// refresh the fixtures: `node --import tsx test/sim/codec/captures.ts`.
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {KubeObject} from '../../../source/sim/store.js';
import {kubectl132, kubectlVersion, startCaptureServer, type CapturedRequest} from './capture-server.js';

export const fixturesDir = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures');

/** A pod with most of what a pod spec can carry, for `kubectl debug --copy-to` to send back. */
export const richPod: KubeObject = JSON.parse(readFileSync(join(fixturesDir, 'rich-pod.json'), 'utf8'));

export type CaptureCommand = {
	/** Fixture base name. */
	name: string;
	args: string[];
	/** Objects the server holds before kubectl runs. */
	seed?: Array<[string, KubeObject]>;
};

/** kubectl commands that write an object, with the typed clients that 1.32 makes speak protobuf. */
export const protobufCommands: CaptureCommand[] = [
	{name: 'create-deployment', args: ['create', 'deployment', 'nginx', '--image=nginx:1.18', '--replicas=3', '--port=80']},
	{name: 'create-deployment-dry-run', args: ['create', 'deployment', 'web', '--image=nginx:1.20.1', '--dry-run=server']},
	{name: 'create-namespace', args: ['create', 'namespace', 'x']},
	{name: 'create-service-nodeport', args: ['create', 'service', 'nodeport', 'nginx', '--tcp=80:80', '--node-port=30080']},
	{
		name: 'debug-copy-pod',
		args: ['debug', 'web', '--copy-to=web-debug', '--container=debugger', '--image=busybox', '--attach=false', '-i=false'],
		seed: [['pods', richPod]],
	},
];

/** Runs one command against a fresh capture server and returns the request that carried an object body. */
export async function captureWrite(command: CaptureCommand, binary: string): Promise<CapturedRequest> {
	const server = await startCaptureServer({objects: command.seed});
	try {
		const result = await server.kubectl(command.args, {binary});
		const write = server.requests.find((r) => r.method !== 'GET' && r.body.length > 0);
		if (!write) throw new Error(`kubectl ${command.args.join(' ')} sent no body (exit ${result.code}): ${result.stderr}`);
		return write;
	} finally {
		await server.close();
	}
}

/**
 * The JSON a 1.31 client sends, reduced to what a protobuf body can carry: Go's JSON encoder writes a zero
 * metav1.Time as null (creationTimestamp: null) and an empty status as {} or {loadBalancer: {}}; the decoder
 * leaves status out (kubectl never sends one on create).
 */
export function comparableJson(body: Buffer): unknown {
	const dropNulls = (v: unknown): unknown => {
		if (Array.isArray(v)) return v.map(dropNulls);
		if (v && typeof v === 'object')
			return Object.fromEntries(
				Object.entries(v)
					.filter(([, x]) => x !== null)
					.map(([k, x]) => [k, dropNulls(x)]),
			);
		return v;
	};
	const o = dropNulls(JSON.parse(body.toString('utf8'))) as Record<string, unknown>;
	const empty = (v: unknown): boolean => !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(empty);
	if (empty(o.status)) delete o.status;
	return o;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	for (const command of protobufCommands) {
		const pb = await captureWrite(command, kubectl132);
		const json = await captureWrite(command, kubectlVersion(31));
		writeFileSync(join(fixturesDir, `${command.name}.1.32.pb`), pb.body);
		writeFileSync(join(fixturesDir, `${command.name}.1.31.json`), `${JSON.stringify(JSON.parse(json.body.toString('utf8')), null, 2)}\n`);
		console.log(`${command.name}: ${pb.contentType} ${pb.body.length} bytes, ${json.contentType} ${json.body.length} bytes`);
	}
}
