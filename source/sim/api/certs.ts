// A throwaway CA and serving certificate, made at start, so clients verify the sim's TLS like a real cluster's.
import {generateKeyPair, randomBytes, sign} from 'node:crypto';
import {promisify} from 'node:util';
import forge from 'node-forge';

export type ServingCerts = {
	/** The CA certificate clients trust (the kubeconfig's certificate-authority-data). */
	caPem: string;
	/** The server's certificate, signed by the CA, valid for IP 127.0.0.1 and DNS localhost. */
	certPem: string;
	/** The server's private key. */
	keyPem: string;
	/** The CA's private key: it signs the client certificates (never leaves the process). */
	caKeyPem: string;
	/** A client certificate signed by the CA, as kubeadm's admin.conf carries: CN is the user, O the groups. */
	client: ClientCertificate;
};

/** A client certificate and its key, for a kubeconfig's client-certificate-data and client-key-data. */
export type ClientCertificate = {certPem: string; keyPem: string; user: string; groups: string[]};

/** The client certificate user of the embedded cluster, as kubeadm 1.29+ writes admin.conf. */
export const certificateUser = {user: 'kubernetes-admin', groups: ['kubeadm:cluster-admins']};

const generateKeyPairAsync = promisify(generateKeyPair);

async function rsaKeyPair() {
	// node:crypto generates keys natively, off the main thread (forge would take seconds in pure JS).
	const {publicKey, privateKey} = await generateKeyPairAsync('rsa', {
		modulusLength: 2048,
		publicKeyEncoding: {type: 'spki', format: 'pem'},
		privateKeyEncoding: {type: 'pkcs8', format: 'pem'},
	});
	return {privatePem: privateKey, publicKey: forge.pki.publicKeyFromPem(publicKey)};
}

/** Signs with node:crypto (about 1 ms) instead of forge's pure-JS RSA (about 50 ms), same sha256WithRSA result. */
function signCertificate(cert: forge.pki.Certificate, issuerKeyPem: string): void {
	const oid = forge.pki.oids.sha256WithRSAEncryption!;
	const c = cert as forge.pki.Certificate & {tbsCertificate: forge.asn1.Asn1; signatureOid: string; siginfo: {algorithmOid: string}};
	c.signatureOid = oid;
	c.siginfo.algorithmOid = oid;
	c.tbsCertificate = (forge.pki as unknown as {getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1}).getTBSCertificate(cert);
	const der = Buffer.from(forge.asn1.toDer(c.tbsCertificate).getBytes(), 'binary');
	c.signature = sign('sha256', der, issuerKeyPem).toString('binary');
}

function serial(): string {
	// Positive serial numbers: clear the top bit.
	const bytes = randomBytes(16);
	bytes[0]! &= 0x7f;
	return bytes.toString('hex');
}

function validity(cert: forge.pki.Certificate, now: number, days: number): void {
	// Backdated an hour so that small clock differences do not make the certificate "not yet valid".
	cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
	cert.validity.notAfter = new Date(now + days * 24 * 60 * 60 * 1000);
}

/** A client certificate for `user` in `groups` (the subject's CN and O), signed by the CA, for client authentication only. */
function clientCertificate(
	keys: {privatePem: string; publicKey: forge.pki.PublicKey},
	ca: {cert: forge.pki.Certificate; keyPem: string},
	now: number,
	who: {user: string; groups: string[]},
): ClientCertificate {
	const cert = forge.pki.createCertificate();
	cert.publicKey = keys.publicKey;
	cert.serialNumber = serial();
	validity(cert, now, 365);
	cert.setSubject([...who.groups.map((g) => ({name: 'organizationName', value: g})), {name: 'commonName', value: who.user}]);
	cert.setIssuer(ca.cert.subject.attributes);
	cert.setExtensions([
		{name: 'basicConstraints', cA: false, critical: true},
		{name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true},
		{name: 'extKeyUsage', clientAuth: true},
		{name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes()},
	]);
	signCertificate(cert, ca.keyPem);
	return {certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem, ...who, groups: [...who.groups]};
}

/** Makes a CA, a serving certificate for 127.0.0.1 and localhost, and the client certificate user's certificate. */
export async function generateServingCerts(now = Date.now()): Promise<ServingCerts> {
	// All keys at once: RSA generation is the slow part, and it runs on libuv's thread pool.
	const [caKeys, serverKeys, clientKeys] = await Promise.all([rsaKeyPair(), rsaKeyPair(), rsaKeyPair()]);
	const ca = forge.pki.createCertificate();
	ca.publicKey = caKeys.publicKey;
	ca.serialNumber = serial();
	validity(ca, now, 365);
	const caName = [{name: 'commonName', value: 'rollout-cockpit-sim-ca'}];
	ca.setSubject(caName);
	ca.setIssuer(caName);
	ca.setExtensions([
		{name: 'basicConstraints', cA: true, critical: true},
		{name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true},
		{name: 'subjectKeyIdentifier'},
	]);
	signCertificate(ca, caKeys.privatePem);

	const cert = forge.pki.createCertificate();
	cert.publicKey = serverKeys.publicKey;
	cert.serialNumber = serial();
	validity(cert, now, 365);
	cert.setSubject([{name: 'commonName', value: 'kube-apiserver'}]);
	cert.setIssuer(caName);
	cert.setExtensions([
		{name: 'basicConstraints', cA: false},
		{name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true},
		{name: 'extKeyUsage', serverAuth: true},
		{
			name: 'subjectAltName',
			altNames: [
				{type: 7, ip: '127.0.0.1'},
				{type: 2, value: 'localhost'},
			],
		},
		{name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes()},
	]);
	signCertificate(cert, caKeys.privatePem);

	return {
		caPem: forge.pki.certificateToPem(ca),
		certPem: forge.pki.certificateToPem(cert),
		keyPem: serverKeys.privatePem,
		caKeyPem: caKeys.privatePem,
		client: clientCertificate(clientKeys, {cert: ca, keyPem: caKeys.privatePem}, now, certificateUser),
	};
}

/**
 * A client certificate for another user, signed by the cluster's CA (as an administrator signs one with the cluster's
 * CA key): tests give a user no right but the RBAC objects they apply.
 */
export async function issueClientCertificate(
	certs: ServingCerts,
	who: {user: string; groups: string[]},
	now = Date.now(),
): Promise<ClientCertificate> {
	return clientCertificate(await rsaKeyPair(), {cert: forge.pki.certificateFromPem(certs.caPem), keyPem: certs.caKeyPem}, now, who);
}
