// The article's deployment after one `kubectl set image`: revision 1 runs nginx:1.18 (scaled to 0),
// revision 2 runs nginx:1.20.1 (3 pods), as the API server serves them; and a scripted API server
// that serves exactly these objects and records every request, so a test can say what was sent.
import type {Deployment, ReplicaSet} from '../../source/model/types.js';
import {CockpitStore} from '../../source/state/store.js';
import {createActionRunner, type ActionRunner} from '../../source/kube/actions/index.js';
import {startScriptedApi, type Answer, type Recorded, type ScriptedApi} from '../helpers/fake-api.js';

export {NOW} from './fixtures.js';
import {NOW, ago, replicaSetMeta} from './fixtures.js';
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

function podTemplate(image: string, options: Options, hash?: string) {
	return {
		metadata: {labels: {app: 'nginx', ...(hash ? {'pod-template-hash': hash} : {})}},
		spec: {
			...(options.init ? {initContainers: [{name: 'warmup', image: options.init}]} : {}),
			containers: [{name: 'nginx', image, ports: [{containerPort: 80, protocol: 'TCP'}]}],
		},
	};
}

// The Deployment on revision 2 (or 1 with onlyFirst).
export function deployment(options: Options = {}): Deployment {
	const revision = options.onlyFirst ? 1 : 2;
	return {
		metadata: {
			name: 'nginx',
			namespace: 'default',
			uid: 'dep-uid',
			resourceVersion: '100',
			generation: revision,
			creationTimestamp: ago(3600),
			annotations: {'deployment.kubernetes.io/revision': String(revision)},
		},
		spec: {
			replicas: 3,
			...(options.paused ? {paused: true} : {}),
			selector: {matchLabels: {app: 'nginx'}},
			strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}},
			template: podTemplate(options.onlyFirst ? 'nginx:1.18' : 'nginx:1.20.1', options),
		},
		status: {observedGeneration: revision, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3},
	};
}

function replicaSet(
	name: string,
	revision: number,
	image: string,
	replicas: number,
	cause: string,
	options: Options,
	age: number,
): ReplicaSet {
	const hash = name.split('-').pop() as string;
	return {
		metadata: replicaSetMeta(name, revision, age, {'kubernetes.io/change-cause': cause}),
		spec: {replicas, selector: {matchLabels: {app: 'nginx', 'pod-template-hash': hash}}, template: podTemplate(image, options, hash)},
		status: {replicas, readyReplicas: replicas, availableReplicas: replicas},
	};
}

// The ReplicaSets of the history (revision 1 only with onlyFirst).
export function replicaSets(options: Options = {}): ReplicaSet[] {
	const first = replicaSet(
		RS1,
		1,
		'nginx:1.18',
		options.onlyFirst ? 3 : 0,
		'kubectl create deployment nginx --image=nginx:1.18',
		options,
		3600,
	);
	if (options.onlyFirst) return [first];
	return [first, replicaSet(RS2, 2, 'nginx:1.20.1', 3, 'kubectl set image deployment/nginx nginx=nginx:1.20.1', options, 600)];
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
