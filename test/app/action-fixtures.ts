// The article's deployment after one `kubectl set image`: revision 1 runs nginx:1.18 (scaled to 0),
// revision 2 runs nginx:1.20.1 (3 pods), built with test/helpers/objects.ts; and a scripted API server
// that serves exactly these objects and records every request, so a test can say what was sent.
import type {Deployment, ReplicaSet} from '../../source/model/types.js';
import {CockpitStore} from '../../source/state/store.js';
import {createActionRunner, type ActionRunner} from '../../source/kube/actions/index.js';
import {startScriptedApi, type Answer, type Recorded, type ScriptedApi} from '../helpers/fake-api.js';

import {NOW, deployment as built, replicaSet} from '../helpers/objects.js';

export {NOW};
export const DEPLOYMENT_PATH = '/apis/apps/v1/namespaces/default/deployments/nginx';
export const RS1 = 'nginx-5d59d67564';
export const RS2 = 'nginx-7c79c4bf97';

export type Options = {
	// An init container "warmup" running this image (in every revision).
	init?: string;
	paused?: boolean;
	// Only revision 1 exists (nothing to undo to).
	onlyFirst?: boolean;
};

// The Deployment on revision 2 (or 1 with onlyFirst).
export function deployment(options: Options = {}): Deployment {
	const revision = options.onlyFirst ? 1 : 2;
	return built({
		revision,
		generation: revision,
		resourceVersion: '100',
		image: options.onlyFirst ? 'nginx:1.18' : 'nginx:1.20.1',
		init: options.init,
		paused: options.paused,
	});
}

// The ReplicaSets of the history (revision 1 only with onlyFirst).
export function replicaSets(options: Options = {}): ReplicaSet[] {
	const first = replicaSet({
		hash: '5d59d67564',
		revision: 1,
		image: 'nginx:1.18',
		init: options.init,
		replicas: options.onlyFirst ? 3 : 0,
		changeCause: 'kubectl create deployment nginx --image=nginx:1.18',
		createdAgo: 3600,
	});
	if (options.onlyFirst) return [first];
	const second = replicaSet({
		hash: '7c79c4bf97',
		revision: 2,
		image: 'nginx:1.20.1',
		init: options.init,
		replicas: 3,
		changeCause: 'kubectl set image deployment/nginx nginx=nginx:1.20.1',
		createdAgo: 600,
	});
	return [first, second];
}

// A flushed store holding the deployment and its history, timers off; a runner can send unless read-only.
export function actionStore(options: Options & {readonly?: boolean} = {}): CockpitStore {
	const store = new CockpitStore(
		{context: 'kind-sim', server: 'https://127.0.0.1:6443', namespace: 'default', deploymentName: 'nginx', serverVersion: 'v1.32.4'},
		{
			flushIntervalMs: false,
			tickMs: false,
			now: () => NOW,
			session: {readonly: options.readonly === true, canSend: options.readonly !== true},
		},
	);
	store.sync('deployments', [deployment(options)]);
	store.sync('replicaSets', replicaSets(options));
	store.sync('pods', []);
	store.sync('events', []);
	for (const kind of ['deployments', 'replicaSets', 'pods', 'events'] as const)
		store.setConnection(kind, {phase: 'watching', since: NOW, restarts: 0});
	store.flush();
	return store;
}

export type Api = ScriptedApi & {
	runner: ActionRunner;
	// The writes among the requests.
	patches(): Recorded[];
};

// The API server for these objects: GETs serve the fixtures, writes answer `patch` (200 by default).
export async function actionApi(options: Options & {patch?: (req: Recorded) => Answer | Promise<Answer>} = {}): Promise<Api> {
	const api = await startScriptedApi(async (req) => {
		if (req.method === 'GET' && req.path === DEPLOYMENT_PATH) return {status: 200, body: deployment(options)};
		if (req.method === 'GET' && req.path === '/apis/apps/v1/namespaces/default/replicasets')
			return {status: 200, body: {kind: 'ReplicaSetList', items: replicaSets(options)}};
		if (req.method === 'PATCH') return options.patch ? options.patch(req) : {status: 200, body: deployment(options)};
		return {status: 404, body: {kind: 'Status', code: 404, reason: 'NotFound', message: 'no route'}};
	});
	const runner = createActionRunner(api.conn, {now: () => new Date(NOW)});
	return {...api, runner, patches: () => api.requests.filter((r) => r.method !== 'GET')};
}
