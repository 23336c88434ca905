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
};

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

/** Makes a CA and a serving certificate for 127.0.0.1 and localhost. */
export async function generateServingCerts(now = Date.now()): Promise<ServingCerts> {
	// Both keys at once: RSA generation is the slow part, and it runs on libuv's thread pool.
	const [caKeys, serverKeys] = await Promise.all([rsaKeyPair(), rsaKeyPair()]);
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

	return {caPem: forge.pki.certificateToPem(ca), certPem: forge.pki.certificateToPem(cert), keyPem: serverKeys.privatePem};
}
