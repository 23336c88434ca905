// The kubeconfig the sim writes (mode 0600, and nowhere else): one cluster with its CA inline, and one context per
// user: admin (current), readonly, no-events, exec (a credential plugin run without a shell), cert (client
// certificate). JSON strings and flow collections are valid YAML, so every value is written with JSON.stringify.
import type {ClientCertificate} from '../api/certs.js';
import {execKeyEnv} from './exec-credential.js';
import {simUsers, type SimCredentials} from './users.js';

export type KubeconfigOptions = {
	url: string;
	caPem: string;
	/** The admin's bearer token. */
	token: string;
	/** The cluster's, the admin context's and the admin user's name; the other contexts add a suffix. @default 'rollout-cockpit-sim' */
	contextName?: string;
	/** @default 'default' */
	namespace?: string;
	/** The other users' secrets; without them the kubeconfig has the admin context only. */
	users?: {credentials: SimCredentials; client: ClientCertificate; plugin: {command: string; args: string[]}};
};

const q = JSON.stringify;
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** The kubeconfig YAML: the admin context is current; each other user has a context named `<name>-<suffix>`. */
export function kubeconfigYaml(options: KubeconfigOptions): string {
	const name = options.contextName ?? 'rollout-cockpit-sim';
	const namespace = options.namespace ?? 'default';
	const users: Array<{suffix: string; lines: string[]}> = [{suffix: '', lines: [`    token: ${q(options.token)}`]}];
	const u = options.users;
	if (u) {
		users.push(
			{suffix: simUsers.readonly.context, lines: [`    token: ${q(u.credentials.readonlyToken)}`]},
			{suffix: simUsers.noEvents.context, lines: [`    token: ${q(u.credentials.noEventsToken)}`]},
			{
				suffix: simUsers.exec.context,
				lines: [
					'    exec:',
					'      apiVersion: client.authentication.k8s.io/v1',
					`      command: ${q(u.plugin.command)}`,
					`      args: ${q([...u.plugin.args, '--user', simUsers.exec.name])}`,
					`      env: [{"name": ${q(execKeyEnv)}, "value": ${q(u.credentials.execKey)}}]`,
					'      interactiveMode: Never',
					'      provideClusterInfo: false',
				],
			},
			{
				suffix: simUsers.cert.context,
				lines: [`    client-certificate-data: ${b64(u.client.certPem)}`, `    client-key-data: ${b64(u.client.keyPem)}`],
			},
		);
	}
	const full = (suffix: string) => (suffix ? `${name}-${suffix}` : name);
	return [
		'apiVersion: v1',
		'kind: Config',
		'clusters:',
		`- name: ${q(name)}`,
		'  cluster:',
		`    server: ${q(options.url)}`,
		`    certificate-authority-data: ${b64(options.caPem)}`,
		'contexts:',
		...users.flatMap((user) => [
			`- name: ${q(full(user.suffix))}`,
			'  context:',
			`    cluster: ${q(name)}`,
			`    user: ${q(full(user.suffix))}`,
			`    namespace: ${q(namespace)}`,
		]),
		`current-context: ${q(name)}`,
		'users:',
		...users.flatMap((user) => [`- name: ${q(full(user.suffix))}`, '  user:', ...user.lines]),
		'preferences: {}',
		'',
	].join('\n');
}
