// The images the simulated nodes can pull, and how their containers behave: web servers that answer on a
// port with a Server header, busybox that runs its command, and images made to crash. Anything else fails
// to pull, as a tag that does not exist on Docker Hub would.
import {createHash} from 'node:crypto';

export type ImageBehaviour =
	/** Listens on `ports` and answers HTTP with `server` in the Server header until SIGTERM. */
	| 'serve'
	/** Runs its command: `sleep N` for N seconds, `sleep infinity` or a loop forever, anything else exits 0. */
	| 'command'
	/** Starts, runs briefly, exits with code 1 (CrashLoopBackOff under restartPolicy Always). */
	| 'crash';

export type ImageInfo = {
	/** As the user wrote it, normalized: `nginx:1.18`, `crashloop/app:1`. */
	reference: string;
	/** What containerd reports in containerStatuses[].image: `docker.io/library/nginx:1.18`. */
	fullName: string;
	/** containerStatuses[].imageID: repository@sha256 digest (stable per image). */
	imageID: string;
	/** Bytes, for the Pulled event's "Image size". */
	size: number;
	/** Simulated milliseconds a first pull takes on a node. */
	pullMs: number;
	behaviour: ImageBehaviour;
	/** The Server header a 'serve' image answers with. */
	server?: string;
	/** Ports a 'serve' image listens on. */
	ports: number[];
	/** PID 1 ignores SIGTERM (a shell or sleep), so only SIGKILL at the end of the grace period stops it. */
	ignoresSigterm: boolean;
};

type Entry = Omit<ImageInfo, 'reference' | 'fullName' | 'imageID' | 'ignoresSigterm'> & {ignoresSigterm?: boolean};

const catalog: Record<string, Entry> = {
	'nginx:1.18': {size: 53_621_402, pullMs: 1800, behaviour: 'serve', server: 'nginx/1.18.0', ports: [80]},
	'nginx:1.19': {size: 53_598_512, pullMs: 1800, behaviour: 'serve', server: 'nginx/1.19.10', ports: [80]},
	'nginx:1.20.1': {size: 53_752_116, pullMs: 1200, behaviour: 'serve', server: 'nginx/1.20.1', ports: [80]},
	'nginx:1.21': {size: 56_682_211, pullMs: 1500, behaviour: 'serve', server: 'nginx/1.21.6', ports: [80]},
	'nginx:1.25': {size: 70_544_355, pullMs: 2000, behaviour: 'serve', server: 'nginx/1.25.5', ports: [80]},
	'nginx:latest': {size: 72_195_292, pullMs: 2200, behaviour: 'serve', server: 'nginx/1.27.3', ports: [80]},
	'httpd:2.4': {size: 58_021_943, pullMs: 1600, behaviour: 'serve', server: 'Apache/2.4.62 (Unix)', ports: [80]},
	'httpd:latest': {size: 58_021_943, pullMs: 1600, behaviour: 'serve', server: 'Apache/2.4.62 (Unix)', ports: [80]},
	'busybox:latest': {size: 2_155_437, pullMs: 900, behaviour: 'command', ports: [], ignoresSigterm: true},
	'busybox:1.36': {size: 2_155_437, pullMs: 900, behaviour: 'command', ports: [], ignoresSigterm: true},
	'busybox:1.37': {size: 2_166_802, pullMs: 900, behaviour: 'command', ports: [], ignoresSigterm: true},
};

/** `docker.io/library/nginx` → `nginx:latest`; `nginx:1.18` stays. Digest references keep their digest. */
export function normalizeImage(image: string): string {
	let s = image.trim();
	for (const prefix of ['docker.io/library/', 'index.docker.io/library/', 'docker.io/', 'index.docker.io/']) {
		if (s.startsWith(prefix)) {
			s = s.slice(prefix.length);
			break;
		}
	}
	if (s.startsWith('library/')) s = s.slice('library/'.length);
	if (s.includes('@')) return s;
	const lastSlash = s.lastIndexOf('/');
	if (!s.slice(lastSlash + 1).includes(':')) s += ':latest';
	return s;
}

/** The registry path containerd shows: library images under docker.io/library/. */
function fullNameOf(reference: string): string {
	const name = reference.split(/[:@]/)[0]!;
	const firstPart = name.split('/')[0]!;
	if (name.includes('/') && (firstPart.includes('.') || firstPart.includes(':') || firstPart === 'localhost')) return reference;
	return name.includes('/') ? `docker.io/${reference}` : `docker.io/library/${reference}`;
}

function digestOf(reference: string): string {
	return createHash('sha256').update(`rollout-cockpit-sim:${reference}`).digest('hex');
}

/** An image whose containers crash: `crashloop/<anything>` or a tag ending in `-crash`. */
export function isCrashImage(reference: string): boolean {
	const r = normalizeImage(reference);
	return r.startsWith('crashloop/') || /:[^/]*-crash$/.test(r);
}

/** What a node knows about an image, or undefined when the registry has no such image (pull fails). */
export function lookupImage(image: string): ImageInfo | undefined {
	const reference = normalizeImage(image);
	const fullName = fullNameOf(reference);
	const repo = fullName.split(/[:@]/)[0]!;
	const make = (entry: Entry, behaviour = entry.behaviour): ImageInfo => ({
		...entry,
		behaviour,
		reference,
		fullName,
		imageID: `${repo}@sha256:${digestOf(reference)}`,
		ignoresSigterm: entry.ignoresSigterm ?? false,
	});
	if (reference.startsWith('crashloop/')) {
		return make({size: 4_861_221, pullMs: 1000, behaviour: 'crash', ports: []});
	}
	const crash = /^(.*):([^/]*)-crash$/.exec(reference);
	if (crash) {
		const base = catalog[`${crash[1]}:${crash[2]}`] ?? catalog[`${crash[1]}:latest`];
		if (!base) return undefined;
		return make(base, 'crash');
	}
	const entry = catalog[reference];
	return entry ? make(entry) : undefined;
}

/** The images the catalog knows, for documentation and the CLI. */
export function knownImages(): string[] {
	return Object.keys(catalog);
}
