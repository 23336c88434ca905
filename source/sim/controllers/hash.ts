// The pod-template-hash: FNV-1a (32 bit) over the pod template, plus the collision count, written in
// Kubernetes' "safe" alphabet so that it never spells words (nginx-6888c79454). The real controller hashes
// Go's printed struct; we hash canonical JSON, so names differ from a real cluster's but have the same shape
// and the same rules: the same template always gives the same hash, a changed template a new one.
import {canonicalJson} from './util.js';

const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a over bytes. */
function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
	let h = seed;
	for (const b of bytes) {
		h ^= b;
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h >>> 0;
}

/** rand.SafeEncodeString: every byte mapped onto the 27-letter alphabet. */
export function safeEncode(s: string): string {
	let out = '';
	for (let i = 0; i < s.length; i++) out += safeAlphabet[s.charCodeAt(i) % safeAlphabet.length];
	return out;
}

/** controller.ComputeHash(template, collisionCount). */
export function computePodTemplateHash(template: unknown, collisionCount?: number): string {
	// A null creationTimestamp (how templates marshal) and a missing one are the same template.
	const t: any = structuredClone(template ?? {});
	if (t.metadata && t.metadata.creationTimestamp === null) delete t.metadata.creationTimestamp;
	let h = fnv32a(new TextEncoder().encode(canonicalJson(t)));
	if (collisionCount !== undefined && collisionCount !== null) {
		const extra = new Uint8Array(8);
		new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
		h = fnv32a(extra, h);
	}
	return safeEncode(String(h));
}
