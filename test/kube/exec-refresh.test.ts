// An exec credential refused before its expirationTimestamp (revoked, or rotated by the identity provider): client-go's
// exec authenticator drops the cached credential on a 401 and runs the plugin again for the next request, so a
// long-running client recovers without a restart. Judged against the embedded cluster, which checks the tokens its own
// exec plugin mints, with a plugin that prints whatever token a file holds and counts its runs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {loadYaml} from '@kubernetes/client-node';
import {connect} from '../../source/kube/connect.js';
import {ApiRequestError, requestJson} from '../../source/kube/http.js';
import {execKeyEnv, mintExecToken} from '../../source/sim/auth/exec-credential.js';
import {startCluster, type SimCluster} from '../helpers/sim-cluster.js';
import {type Kubeconfig, writeVariant} from '../helpers/kubeconfig-variant.js';
import {within} from '../helpers/wait.js';

let cluster: SimCluster;
let dir: string;
before(async () => {
	cluster = await startCluster({scenario: 'nginx'});
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-exec-refresh-'));
});
after(async () => {
	await cluster?.stop();
	if (dir) fs.rmSync(dir, {recursive: true, force: true});
});

test('a 401 to an exec credential runs the plugin again for the next request; a credential that works is not fetched again', async () => {
	const base = loadYaml<Kubeconfig>(cluster.kubeconfig);
	const simExec = base.users.find((u) => u.name === 'rollout-cockpit-sim-exec')!.user.exec as {env: {name: string; value: string}[]};
	const key = simExec.env.find((e) => e.name === execKeyEnv)!.value;
	const tokenFile = path.join(dir, 'token');
	const runs = path.join(dir, 'runs');
	const plugin = path.join(dir, 'plugin.cjs');
	fs.writeFileSync(
		plugin,
		`const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(runs)}, 'run\\n');
const token = fs.readFileSync(${JSON.stringify(tokenFile)}, 'utf8').trim();
const expirationTimestamp = new Date(Date.now() + 3600_000).toISOString();
process.stdout.write(JSON.stringify({apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: {token, expirationTimestamp}}));
`,
	);
	const file = writeVariant(base, dir, 'kubeconfig', (kc) => {
		kc.users.find((u) => u.name === 'rollout-cockpit-sim')!.user = {
			exec: {apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], interactiveMode: 'Never'},
		};
	});
	const runCount = () => (fs.existsSync(runs) ? fs.readFileSync(runs, 'utf8').split('\n').filter(Boolean).length : 0);
	const conn = connect({kubeconfig: file});
	const pods = '/api/v1/namespaces/default/pods';

	// The plugin's first token is one the server never issued, valid for an hour by its own word.
	fs.writeFileSync(tokenFile, 'revoked-token-the-sim-never-issued');
	await assert.rejects(
		within(requestJson(conn, pods), 20_000, 'the API request to be answered'),
		(e: unknown) => e instanceof ApiRequestError && e.status === 401,
	);
	assert.equal(runCount(), 1);
	// The identity provider now hands out a good one: the next request runs the plugin again and is let in.
	fs.writeFileSync(tokenFile, mintExecToken(key, 'exec-user', 600).token);
	const list = await within(requestJson<{items: unknown[]}>(conn, pods), 20_000, 'the API request to be answered');
	assert.equal(list.items.length, 3);
	assert.equal(runCount(), 2, 'the refused credential was fetched again');
	// A credential that works stays cached until its expirationTimestamp: no run per request.
	await within(requestJson(conn, pods), 20_000, 'the API request to be answered');
	await within(requestJson(conn, '/apis/apps/v1/namespaces/default/deployments'), 20_000, 'the API request to be answered');
	assert.equal(runCount(), 2, 'no run while the credential works');
});
