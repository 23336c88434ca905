// The embedded cluster's users and how each one proves who it is: bearer tokens (admin, read-only, no events),
// an exec credential plugin (EKS/GKE style) and a client certificate (kubeadm's admin.conf style). What each may do
// is not here: RBAC objects in the store say it (auth/bootstrap.ts binds them).
import {randomBytes, timingSafeEqual} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import type {TLSSocket} from 'node:tls';
import {certificateUser} from '../api/certs.js';
import {verifyExecToken} from './exec-credential.js';

/** Who a request is, as the authenticators hand it to authorization: a name and groups. */
export type UserInfo = {name: string; groups: string[]; uid?: string; extra?: Record<string, string[]>};

/** The group every authenticated user is in (the apiserver's authenticated-group adder). */
export const authenticatedGroup = 'system:authenticated';

/** The users the sim configures, by the suffix of their kubeconfig context. */
export const simUsers = {
	/** Bearer token; group system:masters, which the cluster-admin ClusterRoleBinding binds. */
	admin: {name: 'admin', groups: ['system:masters'], context: ''},
	/** Bearer token; ClusterRoleBinding to view: reads, and every write is Forbidden. */
	readonly: {name: 'viewer', groups: [], context: 'readonly'},
	/** Bearer token; may do what edit allows on the rollout's resources, but may not read events. */
	noEvents: {name: 'no-events', groups: [], context: 'no-events'},
	/** Exec credential plugin; cluster-admin, as EKS maps the cluster's creator. */
	exec: {name: 'exec-user', groups: ['rollout-cockpit:exec-admins'], context: 'exec'},
	/** Client certificate (CN and O); cluster-admin through kubeadm's kubeadm:cluster-admins binding. */
	cert: {name: certificateUser.user, groups: certificateUser.groups, context: 'cert'},
} as const;

/** The secrets behind the users: three tokens and the key that signs exec tokens. Never printed; only the kubeconfig holds them. */
export type SimCredentials = {adminToken: string; readonlyToken: string; noEventsToken: string; execKey: string};

const secret = () => randomBytes(24).toString('base64url');

/** Fresh random credentials; `adminToken` keeps a given admin token (tests that restart a server with the same one). */
export function generateCredentials(adminToken?: string): SimCredentials {
	return {adminToken: adminToken ?? secret(), readonlyToken: secret(), noEventsToken: secret(), execKey: secret()};
}

function sameSecret(given: Buffer, expected: Buffer): boolean {
	return given.length === expected.length && timingSafeEqual(given, expected);
}

// The TLS client auth extended key usage: the apiserver's x509 authenticator accepts no other client certificate.
const clientAuthUsage = '1.3.6.1.5.5.7.3.2';

function asList(v: string | string[] | undefined): string[] {
	return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/**
 * Authenticates requests as the apiserver's union authenticator does: a client certificate the CA signed (CN the
 * user, O the groups) first, then a bearer token (a static one, or an exec token signed with the exec key).
 */
export class Authenticator {
	private readonly tokens: Array<{token: Buffer; user: UserInfo}>;
	private readonly execKey: string;

	constructor(credentials: SimCredentials) {
		const user = (u: {name: string; groups: readonly string[]}): UserInfo => ({name: u.name, groups: [...u.groups, authenticatedGroup]});
		this.tokens = [
			{token: Buffer.from(credentials.adminToken), user: user(simUsers.admin)},
			{token: Buffer.from(credentials.readonlyToken), user: user(simUsers.readonly)},
			{token: Buffer.from(credentials.noEventsToken), user: user(simUsers.noEvents)},
		];
		this.execKey = credentials.execKey;
	}

	/** The request's user, or undefined (401). */
	authenticate(req: IncomingMessage): UserInfo | undefined {
		return this.fromCertificate(req) ?? this.fromToken(req.headers.authorization);
	}

	private fromCertificate(req: IncomingMessage): UserInfo | undefined {
		const socket = req.socket as TLSSocket;
		if (!socket.authorized || typeof socket.getPeerCertificate !== 'function') return undefined;
		const cert = socket.getPeerCertificate();
		if (!cert?.subject?.CN || !(cert.ext_key_usage ?? []).includes(clientAuthUsage)) return undefined;
		const cn = asList(cert.subject.CN)[0]!;
		return {name: cn, groups: [...asList(cert.subject.O), authenticatedGroup]};
	}

	private fromToken(header: string | undefined): UserInfo | undefined {
		if (!header || !/^bearer /i.test(header)) return undefined;
		const token = header.slice('Bearer '.length).trim();
		if (token === '') return undefined;
		const given = Buffer.from(token);
		for (const t of this.tokens) if (sameSecret(given, t.token)) return {name: t.user.name, groups: [...t.user.groups]};
		const execUser = verifyExecToken(this.execKey, token);
		if (execUser === simUsers.exec.name) return {name: execUser, groups: [...simUsers.exec.groups, authenticatedGroup]};
		return undefined;
	}
}
