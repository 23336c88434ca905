import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {X509Certificate} from 'node:crypto';
import {get as httpsGet} from 'node:https';
import {KubeConfig} from '@kubernetes/client-node';
import {generateServingCerts} from '../../../source/sim/api/certs.js';
import {kubeconfigYaml} from '../../../source/sim/server.js';
import {startTestServer, type TestServer} from './helpers.js';
import {within} from '../../helpers/wait.js';

test('the CA signs a serving certificate for 127.0.0.1 and localhost, valid now', async () => {
	const now = Date.now();
	const certs = await generateServingCerts(now);
	const ca = new X509Certificate(certs.caPem);
	const cert = new X509Certificate(certs.certPem);
	assert.equal(ca.ca, true);
	assert.equal(cert.ca, false);
	assert.equal(cert.checkIssued(ca), true);
	assert.equal(cert.verify(ca.publicKey), true);
	assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
	assert.equal(cert.checkHost('localhost'), 'localhost');
	assert.equal(cert.checkIP('10.0.0.1'), undefined);
	assert.ok(Date.parse(cert.validFrom) <= now && Date.parse(cert.validTo) > now + 300 * 24 * 3600 * 1000);
	assert.match(certs.keyPem, /^-----BEGIN PRIVATE KEY-----/);
	// Each call makes a new CA: a kubeconfig from one run does not trust another's server.
	const other = await generateServingCerts(now);
	assert.notEqual(new X509Certificate(other.caPem).fingerprint256, ca.fingerprint256);
	assert.equal(cert.checkIssued(new X509Certificate(other.caPem)), false);
});

test('the kubeconfig YAML loads in client-node with the server, CA, token, context and namespace', () => {
	const yaml = kubeconfigYaml({
		url: 'https://127.0.0.1:6443',
		caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
		token: 'tok:en#1',
		contextName: 'sim: test',
		namespace: 'team',
	});
	const kc = new KubeConfig();
	kc.loadFromString(yaml);
	assert.equal(kc.getCurrentContext(), 'sim: test');
	const cluster = kc.getCurrentCluster()!;
	assert.equal(cluster.server, 'https://127.0.0.1:6443');
	assert.equal(Buffer.from(cluster.caData!, 'base64').toString(), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
	assert.equal(kc.getCurrentUser()!.token, 'tok:en#1');
	assert.equal(kc.getContextObject('sim: test')!.namespace, 'team');
});

describe('the served TLS', () => {
	let t: TestServer;
	before(async () => {
		t = await startTestServer({token: 'fixed-token-for-test'});
	});
	after(() => t.close());

	const get = (url: string, options: {ca?: string; servername?: string}) =>
		within(
			new Promise<number>((resolve, reject) => {
				const req = httpsGet(url, {...options, headers: {Authorization: 'Bearer fixed-token-for-test'}}, (res) => {
					res.resume();
					resolve(res.statusCode ?? 0);
				});
				req.on('error', reject);
			}),
			10_000,
			`GET ${url}`,
		);

	test('listens on 127.0.0.1 only, with the given token', async () => {
		assert.match(t.server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
		assert.equal(t.server.token, 'fixed-token-for-test');
		assert.equal(await get(`${t.server.url}/version`, {ca: t.server.caPem}), 200);
		assert.equal(await get(`https://localhost:${t.server.port}/version`, {ca: t.server.caPem}), 200);
	});

	test('a client without the CA refuses the certificate', async () => {
		await assert.rejects(get(`${t.server.url}/version`, {}), (e: NodeJS.ErrnoException) =>
			/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/.test(String(e.code)),
		);
	});

	test('the kubeconfig carries the server URL, CA and token, and a context namespace', () => {
		const kc = new KubeConfig();
		kc.loadFromString(t.server.kubeconfig({contextName: 'demo', namespace: 'kube-system'}));
		assert.equal(kc.getCurrentCluster()!.server, t.server.url);
		assert.equal(Buffer.from(kc.getCurrentCluster()!.caData!, 'base64').toString(), t.server.caPem);
		assert.equal(kc.getCurrentUser()!.token, 'fixed-token-for-test');
		assert.equal(kc.getContextObject('demo')!.namespace, 'kube-system');
	});
});

test('a random token is long and differs between servers', async () => {
	const a = await startTestServer();
	const b = await startTestServer();
	try {
		assert.ok(a.server.token.length >= 32);
		assert.notEqual(a.server.token, b.server.token);
		assert.notEqual(a.server.port, b.server.port);
		// One server's token does not open the other.
		assert.equal((await b.call('GET', '/version', {token: a.server.token})).status, 401);
	} finally {
		await a.close();
		await b.close();
	}
});
