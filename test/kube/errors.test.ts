// describeError: the one line the cockpit and the headless commands print for any failure to reach or use a cluster.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {describeError, KubeconfigError, NotFoundError} from '../../source/kube/errors.js';
import {ApiRequestError, statusError} from '../../source/kube/http.js';

const where = {server: 'https://10.0.0.1:6443', context: 'prod'};

test('describeError: each kind of failure names what is at fault and what to do next', () => {
	const cases: Array<[unknown, RegExp]> = [
		[new KubeconfigError('context "x" not found in kubeconfig "/k"'), /^context "x" not found in kubeconfig "\/k"$/],
		[new NotFoundError('deployment "ghost" not found in namespace "default"'), /^deployment "ghost" not found/],
		[
			new ApiRequestError('cannot reach https://10.0.0.1:6443: connect ECONNREFUSED', 0, undefined, 'ECONNREFUSED'),
			/^cannot reach the API server at https:\/\/10\.0\.0\.1:6443 \(context "prod"\): connection refused/,
		],
		[
			new ApiRequestError('cannot reach https://10.0.0.1:6443: getaddrinfo ENOTFOUND', 0, undefined, 'ENOTFOUND'),
			/host not found \(check the server address in the kubeconfig\)/,
		],
		[
			new ApiRequestError('cannot reach https://10.0.0.1:6443: self-signed certificate', 0, undefined, 'DEPTH_ZERO_SELF_SIGNED_CERT'),
			/^TLS verification of the API server at https:\/\/10\.0\.0\.1:6443 \(context "prod"\) failed: its certificate is self-signed; check the cluster's certificate-authority/,
		],
		[new ApiRequestError('x', 0, undefined, 'ERR_TLS_CERT_ALTNAME_INVALID'), /failed: its certificate does not name the server's host/],
		[
			statusError('GET /version', 401, '{"kind":"Status","message":"Unauthorized","reason":"Unauthorized"}'),
			/refused the kubeconfig's credentials \(401 Unauthorized\)/,
		],
		[
			statusError(
				'GET /apis/apps/v1/namespaces/default/deployments',
				403,
				'{"kind":"Status","reason":"Forbidden","message":"deployments.apps is forbidden: User \\"viewer\\" cannot list resource \\"deployments\\" in API group \\"apps\\" in the namespace \\"default\\""}',
			),
			/^forbidden \(403\): User "viewer" cannot list resource "deployments" in API group "apps" in the namespace "default"$/,
		],
		[
			Object.assign(new Error('spawn aws ENOENT'), {code: 'ENOENT', syscall: 'spawn aws', path: 'aws'}),
			/exec credential plugin "aws" could not be run \(ENOENT\): install it/,
		],
		[new Error('first line\n    at somewhere (file.js:1:1)'), /^first line$/],
	];
	for (const [error, want] of cases) assert.match(describeError(error, where), want);
});

test('describeError: a 403 without the apiserver wording keeps what the server said; never a stack', () => {
	const e = statusError('PATCH /x', 403, 'not json');
	assert.equal(describeError(e), 'forbidden (403): HTTP 403');
	assert.doesNotMatch(describeError(new TypeError('boom')), /\n/);
});
