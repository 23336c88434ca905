// Kubeconfig files made from the embedded cluster's, each changed in one way (a wrong CA, an expired token, an
// unreachable server), for the tests of what the CLI says about them.
import fs from 'node:fs';
import path from 'node:path';
import {dumpYaml} from '@kubernetes/client-node';

/** A kubeconfig as YAML holds it, with the parts the tests change. */
export type Kubeconfig = {
	clusters: {name: string; cluster: Record<string, unknown>}[];
	users: {name: string; user: Record<string, unknown>}[];
	contexts: {name: string; context: Record<string, unknown>}[];
	'current-context': string;
};

/** Writes a copy of `base`, changed by `change`, to dir/name (mode 0600) and returns its path. */
export function writeVariant(base: Kubeconfig, dir: string, name: string, change: (kc: Kubeconfig) => void): string {
	const kc = structuredClone(base);
	change(kc);
	const file = path.join(dir, name);
	fs.writeFileSync(file, dumpYaml(kc), {mode: 0o600});
	return file;
}
