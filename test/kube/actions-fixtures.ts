// A Deployment and its ReplicaSets as the API server serves them after this history:
//   revision 1: nginx:1.18, revision 2: nginx:1.20.1, revision 3: `rollout restart` of revision 2.
import type {Deployment, PodTemplateSpec, ReplicaSet} from '../../source/model/types.js';

export const DEPLOYMENT_UID = '6f1c7d2e-0000-4000-8000-000000000001';

function template(image: string, extra: {hash?: string; restartedAt?: string; init?: string} = {}): PodTemplateSpec {
	return {
		metadata: {
			creationTimestamp: null,
			labels: {app: 'nginx', ...(extra.hash ? {'pod-template-hash': extra.hash} : {})},
			...(extra.restartedAt ? {annotations: {'kubectl.kubernetes.io/restartedAt': extra.restartedAt}} : {}),
		},
		spec: {
			...(extra.init ? {initContainers: [{name: 'warmup', image: extra.init}]} : {}),
			containers: [
				{name: 'nginx', image, ports: [{containerPort: 80, protocol: 'TCP'}]},
				{name: 'sidecar', image: 'busybox:1.36', command: ['sleep', 'infinity']},
			],
			terminationGracePeriodSeconds: 30,
		},
	} as PodTemplateSpec;
}

// The deployment on revision 3, with kubectl's last-applied annotation and a change-cause.
export function deployment(overrides: {paused?: boolean; replicas?: number; resourceVersion?: string; init?: string} = {}): Deployment {
	return {
		metadata: {
			name: 'nginx',
			namespace: 'default',
			uid: DEPLOYMENT_UID,
			resourceVersion: overrides.resourceVersion ?? '1000',
			generation: 3,
			annotations: {
				'deployment.kubernetes.io/revision': '3',
				'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
				'kubernetes.io/change-cause': 'kubectl rollout restart deployment/nginx',
				team: 'web',
			},
		},
		spec: {
			replicas: overrides.replicas ?? 3,
			...(overrides.paused ? {paused: true} : {}),
			selector: {matchLabels: {app: 'nginx'}},
			template: template('nginx:1.20.1', {restartedAt: '2024-05-01T10:00:00Z', init: overrides.init}),
		},
	};
}

function replicaSet(
	name: string,
	revision: number,
	tmpl: PodTemplateSpec,
	replicas: number,
	annotations: Record<string, string> = {},
	ownerUid = DEPLOYMENT_UID,
): ReplicaSet {
	return {
		metadata: {
			name,
			namespace: 'default',
			uid: `uid-${name}`,
			creationTimestamp: `2024-05-01T0${revision}:00:00Z`,
			labels: {app: 'nginx', 'pod-template-hash': name.split('-')[1]},
			annotations: {
				'deployment.kubernetes.io/desired-replicas': '3',
				'deployment.kubernetes.io/max-replicas': '4',
				'deployment.kubernetes.io/revision': String(revision),
				...annotations,
			},
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx', uid: ownerUid, controller: true}],
		},
		spec: {replicas, selector: {matchLabels: {app: 'nginx', 'pod-template-hash': name.split('-')[1]}}, template: tmpl},
	};
}

// The three ReplicaSets, plus one of another deployment that carries revision 1 too (must be ignored).
export function replicaSets(): ReplicaSet[] {
	return [
		replicaSet('nginx-5d59d67564', 1, template('nginx:1.18', {hash: '5d59d67564'}), 0, {
			'kubernetes.io/change-cause': 'kubectl create deployment nginx --image=nginx:1.18',
		}),
		replicaSet('nginx-7c79c4bf97', 2, template('nginx:1.20.1', {hash: '7c79c4bf97'}), 0, {
			'kubernetes.io/change-cause': 'kubectl set image deployment/nginx nginx=nginx:1.20.1',
		}),
		replicaSet('nginx-66b6c48dd5', 3, template('nginx:1.20.1', {hash: '66b6c48dd5', restartedAt: '2024-05-01T10:00:00Z'}), 3, {
			'kubernetes.io/change-cause': 'kubectl rollout restart deployment/nginx',
		}),
		replicaSet('other-1111111111', 1, template('httpd:2.4', {hash: '1111111111'}), 1, {}, 'uid-of-another-deployment'),
	];
}
