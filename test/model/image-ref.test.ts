import {test} from 'node:test';
import assert from 'node:assert/strict';
import {validateImageReference} from '../../source/model/image-ref.js';

const hex64 = 'e5b3f1a6c2d4e8f09a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f';

// Valid references and what the kubelet would pull (normalize.go rules).
const valid: [string, string][] = [
	['nginx', 'docker.io/library/nginx:latest'],
	['nginx:1.27', 'docker.io/library/nginx:1.27'],
	['nginx:1.27-alpine', 'docker.io/library/nginx:1.27-alpine'],
	['nginx:Latest', 'docker.io/library/nginx:Latest'], // tags may use upper case
	['library/nginx', 'docker.io/library/nginx:latest'],
	['bitnami/nginx:1.25.4', 'docker.io/bitnami/nginx:1.25.4'],
	['docker.io/nginx', 'docker.io/library/nginx:latest'],
	['index.docker.io/nginx:1.27', 'docker.io/library/nginx:1.27'],
	['registry.k8s.io/pause:3.9', 'registry.k8s.io/pause:3.9'],
	['ghcr.io/org/team/app:v2.0.1', 'ghcr.io/org/team/app:v2.0.1'],
	['localhost/app', 'localhost/app:latest'],
	['localhost:5000/app:dev_1', 'localhost:5000/app:dev_1'],
	['127.0.0.1:5000/app', '127.0.0.1:5000/app:latest'],
	['[::1]:5000/app:v1', '[::1]:5000/app:v1'],
	['Registry.Example.com/app', 'Registry.Example.com/app:latest'], // host names may use upper case
	['my_app', 'docker.io/library/my_app:latest'],
	['my__app', 'docker.io/library/my__app:latest'],
	['my--app.v2', 'docker.io/library/my--app.v2:latest'],
	[`nginx@sha256:${hex64}`, `docker.io/library/nginx@sha256:${hex64}`],
	[`nginx:1.27@sha256:${hex64}`, `docker.io/library/nginx:1.27@sha256:${hex64}`],
	[`quay.io/a/b@sha512:${'ab'.repeat(64)}`, `quay.io/a/b@sha512:${'ab'.repeat(64)}`],
	[`nginx:${'t'.repeat(128)}`, `docker.io/library/nginx:${'t'.repeat(128)}`],
];

for (const [ref, normalized] of valid) {
	test(`valid image ${ref.length > 60 ? `${ref.slice(0, 57)}...` : ref}`, () => {
		const r = validateImageReference(ref);
		assert.equal(r.ok, true, JSON.stringify(r));
		if (r.ok) assert.equal(r.normalized, normalized);
	});
}

test('parts of a full reference', () => {
	assert.deepEqual(validateImageReference(`registry.example.com:8443/team/api:2.1@sha256:${hex64}`), {
		ok: true,
		domain: 'registry.example.com:8443',
		path: 'team/api',
		tag: '2.1',
		digest: `sha256:${hex64}`,
		normalized: `registry.example.com:8443/team/api:2.1@sha256:${hex64}`,
	});
});

const invalid: [string, string][] = [
	['', 'image reference is empty'],
	['   ', 'image reference is empty'],
	[' nginx:1.27', 'image reference must not have leading or trailing whitespace'],
	['nginx:1.27 ', 'image reference must not have leading or trailing whitespace'],
	['ngi nx', 'image reference must not contain spaces'],
	['Nginx:1.27', 'image reference must be lowercase (repository "library/Nginx")'],
	['nginx:', 'tag is empty after ":"'],
	[`nginx:${'t'.repeat(129)}`, 'tag must be 128 characters or fewer (it has 129)'],
	['nginx:.hidden', 'invalid tag ".hidden": use letters, digits, "_", "." and "-", and do not start with "." or "-"'],
	['nginx:1.27:extra', 'invalid tag "1.27:extra": use letters, digits, "_", "." and "-", and do not start with "." or "-"'],
	['nginx@sha256:abc', 'invalid digest "sha256:abc": expected algorithm:hex, e.g. sha256: followed by 64 hex digits'],
	[`nginx@sha256:${hex64.slice(1)}`, 'sha256 digest must be 64 hex characters (it has 63)'],
	[`nginx@md5:${hex64.slice(0, 32)}`, 'unsupported digest algorithm "md5" (use sha256, sha384 or sha512)'],
	[`nginx@sha256:${hex64.toUpperCase()}`, 'digest hex must be lowercase'],
	[`nginx@sha256:${hex64}@sha256:${hex64}`, 'image reference has more than one "@"'],
	[`@sha256:${hex64}`, 'image name is missing (only a tag or digest was given)'],
	[':1.27', 'image name is missing (only a tag or digest was given)'],
	[hex64, 'a 64-character hex string is an image ID, not an image name'],
	['nginx//web', 'image name has an empty path component ("//" or a leading or trailing "/")'],
	['example.com/', 'image name has an empty path component ("//" or a leading or trailing "/")'],
	[
		'my___app',
		'invalid image name component "my___app": use lowercase letters and digits, joined by ".", "_", "__" or "-", starting and ending with a letter or digit',
	],
	[
		'-app',
		'invalid image name component "-app": use lowercase letters and digits, joined by ".", "_", "__" or "-", starting and ending with a letter or digit',
	],
	[
		'a..b',
		'invalid image name component "a..b": use lowercase letters and digits, joined by ".", "_", "__" or "-", starting and ending with a letter or digit',
	],
	['bad_host.com:port/app', 'invalid registry host "bad_host.com:port"'],
	[`${'a'.repeat(250)}`, 'repository name must not be more than 255 characters'],
];

for (const [ref, reason] of invalid) {
	test(`invalid image ${JSON.stringify(ref.length > 40 ? `${ref.slice(0, 37)}...` : ref)}: ${reason.slice(0, 50)}`, () => {
		assert.deepEqual(validateImageReference(ref), {ok: false, reason});
	});
}

test('an upper-case first component is a registry host (valid, as the kubelet parses it) with a warning', () => {
	const r = validateImageReference('myOrg/app:1.0');
	assert.deepEqual(r, {
		ok: true,
		domain: 'myOrg',
		path: 'app',
		tag: '1.0',
		normalized: 'myOrg/app:1.0',
		warning: '"myOrg" has upper case, so it is taken as a registry host, not a Docker Hub account; Docker Hub names are lower case',
	});
	// Real hosts (with a dot or port, or localhost) get no warning.
	for (const ref of ['Registry.Example.com/app', 'localhost/app', 'nginx']) {
		const ok = validateImageReference(ref);
		assert.equal(ok.ok && ok.warning, undefined, ref);
	}
});

test('uppercase path with a host registry is reported on the path, not the host', () => {
	assert.deepEqual(validateImageReference('ghcr.io/Org/app'), {
		ok: false,
		reason: 'image reference must be lowercase (repository "Org/app")',
	});
});
