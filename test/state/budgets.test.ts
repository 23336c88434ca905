// The PodDisruptionBudgets behind the graceful check's 'no PodDisruptionBudget': `g` asks for them (an effect),
// kube/budgets.ts reads policy/v1 of the namespace, the store keeps them, and the check on screen uses them: a
// deployment of 3 that no budget selects is named, one that a budget selects is not, and a read that failed (on
// a cluster that serves no policy/v1) says nothing either way.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {applyKey} from '../../source/commands/commands.js';
import {keyHandler} from '../../source/commands/effects.js';
import {listBudgets} from '../../source/kube/budgets.js';
import {describeError} from '../../source/kube/errors.js';
import type {PodDisruptionBudget} from '../../source/model/types.js';
import {screen, type Screen} from '../../source/screen/screen.js';
import {rolloutStore} from '../app/fixtures.js';
import {startScriptedApi, status} from '../helpers/fake-api.js';

const SIZE = {columns: 120, rows: 50};

const budget = (app: string, namespace = 'default'): PodDisruptionBudget => ({
	metadata: {name: `${app}-pdb`, namespace},
	spec: {minAvailable: 2, selector: {matchLabels: {app}}},
});

function text(s: Screen): string {
	return s.body.kind === 'pane' ? s.body.pane.lines.map((l) => l.segments.map((x) => x.text).join('')).join('\n') : '';
}

test('listBudgets reads policy/v1 PodDisruptionBudgets of the namespace; a cluster without them is an error to word', async (t) => {
	const api = await startScriptedApi((req) =>
		req.path === '/apis/policy/v1/namespaces/shop/poddisruptionbudgets'
			? {status: 200, body: {kind: 'PodDisruptionBudgetList', apiVersion: 'policy/v1', items: [budget('web', 'shop')]}}
			: {status: 404, body: status(404, 'NotFound', 'the server could not find the requested resource')},
	);
	t.after(() => api.close());
	assert.deepEqual(
		(await listBudgets(api.conn, 'shop')).map((b) => b.metadata?.name),
		['web-pdb'],
	);
	await assert.rejects(listBudgets(api.conn, 'default'), (error: unknown) =>
		/not find the requested resource|404/.test(describeError(error)),
	);
	assert.deepEqual(
		api.requests.map((r) => `${r.method} ${r.path}`),
		['GET /apis/policy/v1/namespaces/shop/poddisruptionbudgets', 'GET /apis/policy/v1/namespaces/default/poddisruptionbudgets'],
	);
});

test('g asks for the budgets when it opens, not when it closes; the wiring reads them through the live link', () => {
	const store = rolloutStore('nginx', {terminal: SIZE});
	const opened = applyKey(store.getState(), 'g');
	assert.deepEqual(opened.effects, [{type: 'budgets'}]);
	assert.deepEqual(applyKey(opened.state, 'g').effects, []);
	let asked = 0;
	const handle = keyHandler({
		store,
		quit: () => {},
		live: {
			runner: undefined,
			switchTo: async () => {},
			listNamespaces: () => {},
			listBudgets: () => {
				asked++;
			},
		},
	});
	handle({kind: 'key', input: 'g', key: {}});
	assert.equal(asked, 1);
});

test("the check on screen: 'no PodDisruptionBudget' once the budgets are read and none selects the pods", () => {
	const store = rolloutStore('nginx', {terminal: SIZE});
	const check = () => text(screen(applyKey(store.getState(), 'g').state, SIZE));
	// Not read yet: nothing said about budgets.
	assert.doesNotMatch(check(), /no PodDisruptionBudget/);
	// Read, none for nginx (one for another app): named.
	store.setBudgets({namespace: 'default', items: [budget('other')]});
	store.flush();
	assert.match(check(), /✗ no PodDisruptionBudget/);
	// A budget selecting nginx's pods: not named.
	store.setBudgets({namespace: 'default', items: [budget('nginx')]});
	store.flush();
	assert.doesNotMatch(check(), /no PodDisruptionBudget/);
	// A read that failed, or another namespace's list: nothing said.
	store.setBudgets({namespace: 'default', error: 'the server could not find the requested resource'});
	store.flush();
	assert.doesNotMatch(check(), /no PodDisruptionBudget/);
	store.setBudgets({namespace: 'staging', items: []});
	store.flush();
	assert.doesNotMatch(check(), /no PodDisruptionBudget/);
});
