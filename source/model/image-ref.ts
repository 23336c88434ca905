// Checks an image reference before `set image` sends it, so a typo is caught in the prompt instead of
// showing up minutes later as InvalidImageName on every new pod. The grammar is the one the kubelet
// parses with (distribution/reference regexp.go, reference.go Parse, normalize.go ParseNormalizedNamed,
// and go-digest's per-algorithm lengths); the reasons are worded for a person.

// A parsed reference: where it would be pulled from.
export interface ImageRefOk {
	ok: true;
	// Registry host[:port]; "docker.io" when none is given.
	domain: string;
	// Repository path, e.g. "library/nginx".
	path: string;
	tag?: string;
	digest?: string;
	// Fully qualified form the kubelet pulls, e.g. "docker.io/library/nginx:1.27" (":latest" added when bare).
	normalized: string;
	// Valid but probably not meant: an upper-case first component is taken as a registry host.
	warning?: string;
}

export type ImageRefResult = ImageRefOk | {ok: false; reason: string};

const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainAndPort = `(?:${domainName}|${ipv6address})(?::[0-9]+)?`;
const tagPat = '[\\w][\\w.-]{0,127}';
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const namePat = `(?:${domainAndPort}/)?${remoteName}`;

const REFERENCE = new RegExp(`^(${namePat})(?::(${tagPat}))?(?:@(${digestPat}))?$`);
const PATH_COMPONENT = new RegExp(`^${pathComponent}$`);
const DOMAIN = new RegExp(`^${domainAndPort}$`);
const DIGEST = new RegExp(`^${digestPat}$`);
const IDENTIFIER = /^[a-f0-9]{64}$/;

// Hex lengths of the digest algorithms go-digest registers by default.
const DIGEST_HEX_LENGTH: Record<string, number> = {sha256: 64, sha384: 96, sha512: 128};

const MAX_TAG = 128;
const MAX_PATH = 255;

// normalize.go splitDockerDomain: the first component is a registry if it has "." or ":", is "localhost",
// or has upper case; otherwise the image is on Docker Hub (and gains "library/" when it has no slash).
function splitDockerDomain(name: string): {domain: string; remainder: string} {
	const slash = name.indexOf('/');
	if (slash < 0) return {domain: 'docker.io', remainder: `library/${name}`};
	const maybeDomain = name.slice(0, slash);
	let remainder = name.slice(slash + 1);
	let domain: string;
	if (maybeDomain === 'localhost' || /[.:]/.test(maybeDomain) || maybeDomain.toLowerCase() !== maybeDomain) {
		domain = maybeDomain === 'index.docker.io' ? 'docker.io' : maybeDomain;
	} else {
		domain = 'docker.io';
		remainder = name;
	}
	if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
	return {domain, remainder};
}

function fail(reason: string): ImageRefResult {
	return {ok: false, reason};
}

// Validates an image reference as the kubelet would parse it; ok with its parts, or a reason to show the user.
export function validateImageReference(input: string): ImageRefResult {
	if (input.trim() === '') return fail('image reference is empty');
	if (input !== input.trim()) return fail('image reference must not have leading or trailing whitespace');
	if (/\s/.test(input)) return fail('image reference must not contain spaces');
	if (IDENTIFIER.test(input)) return fail('a 64-character hex string is an image ID, not an image name');

	const at = input.indexOf('@');
	if (at >= 0 && input.indexOf('@', at + 1) >= 0) return fail('image reference has more than one "@"');
	const beforeDigest = at >= 0 ? input.slice(0, at) : input;
	const digest = at >= 0 ? input.slice(at + 1) : undefined;
	const lastSlash = beforeDigest.lastIndexOf('/');
	const colon = beforeDigest.indexOf(':', lastSlash + 1);
	const name = colon >= 0 ? beforeDigest.slice(0, colon) : beforeDigest;
	const tag = colon >= 0 ? beforeDigest.slice(colon + 1) : undefined;

	if (name === '') return fail('image name is missing (only a tag or digest was given)');
	const {domain, remainder} = splitDockerDomain(name);
	if (remainder.toLowerCase() !== remainder) return fail(`image reference must be lowercase (repository "${remainder}")`);
	if (!DOMAIN.test(domain)) return fail(`invalid registry host "${domain}"`);
	for (const component of remainder.split('/')) {
		if (component === '') return fail('image name has an empty path component ("//" or a leading or trailing "/")');
		if (!PATH_COMPONENT.test(component)) {
			return fail(
				`invalid image name component "${component}": use lowercase letters and digits, joined by ".", "_", "__" or "-", starting and ending with a letter or digit`,
			);
		}
	}
	if (remainder.length > MAX_PATH) return fail(`repository name must not be more than ${MAX_PATH} characters`);

	if (tag !== undefined) {
		if (tag === '') return fail('tag is empty after ":"');
		if (tag.length > MAX_TAG) return fail(`tag must be ${MAX_TAG} characters or fewer (it has ${tag.length})`);
		if (!new RegExp(`^${tagPat}$`).test(tag)) {
			return fail(`invalid tag "${tag}": use letters, digits, "_", "." and "-", and do not start with "." or "-"`);
		}
	}

	if (digest !== undefined) {
		if (!DIGEST.test(digest)) return fail(`invalid digest "${digest}": expected algorithm:hex, e.g. sha256: followed by 64 hex digits`);
		const [algorithm, hex] = digest.split(':', 2) as [string, string];
		const want = DIGEST_HEX_LENGTH[algorithm];
		if (want === undefined) return fail(`unsupported digest algorithm "${algorithm}" (use sha256, sha384 or sha512)`);
		if (hex.length !== want) return fail(`${algorithm} digest must be ${want} hex characters (it has ${hex.length})`);
		if (!/^[a-f0-9]+$/.test(hex)) return fail('digest hex must be lowercase');
	}

	const full = `${domain}/${remainder}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
	// The pieces passed; the whole must still match the reference grammar.
	if (!REFERENCE.test(full)) return fail('invalid reference format');
	const normalized = tag === undefined && digest === undefined ? `${full}:latest` : full;
	const hostOnlyByCase = domain !== 'docker.io' && domain !== 'localhost' && !/[.:]/.test(domain);
	return {
		ok: true,
		domain,
		path: remainder,
		...(tag !== undefined ? {tag} : {}),
		...(digest !== undefined ? {digest} : {}),
		normalized,
		...(hostOnlyByCase
			? {
					warning: `"${domain}" has upper case, so it is taken as a registry host, not a Docker Hub account; Docker Hub names are lower case`,
				}
			: {}),
	};
}
