// The deployment the action tests act on, after this history (built with test/helpers/objects.ts):
//   revision 1: nginx:1.18, revision 2: nginx:1.20.1, revision 3: `rollout restart` of revision 2;
// each with a sidecar, the deployment carrying kubectl's last-applied annotation and a change-cause.
import type {Container, Deployment, ReplicaSet} from '../../source/model/types.js';
import {deployment as built, replicaSet} from '../helpers/objects.js';

const sidecar: Container = {name: 'sidecar', image: 'busybox:1.36', command: ['sleep', 'infinity']};
const restarted = {'kubectl.kubernetes.io/restartedAt': '2025-06-01T10:00:00Z'};

// The deployment on revision 3.
export function deployment(o: {paused?: boolean; replicas?: number; resourceVersion?: string; init?: string} = {}): Deployment {
	return built({
		...o,
		revision: 3,
		generation: 3,
		resourceVersion: o.resourceVersion ?? '1000',
		image: 'nginx:1.20.1',
		templateAnnotations: restarted,
		extraContainers: [sidecar],
		annotations: {
			'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
			'kubernetes.io/change-cause': 'kubectl rollout restart deployment/nginx',
			team: 'web',
		},
	});
}

// The three ReplicaSets, plus one of another deployment that carries revision 1 too (must be ignored).
export function replicaSets(): ReplicaSet[] {
	return [
		replicaSet({
			hash: '5d59d67564',
			revision: 1,
			image: 'nginx:1.18',
			extraContainers: [sidecar],
			createdAgo: 3 * 3600,
			changeCause: 'kubectl create deployment nginx --image=nginx:1.18',
		}),
		replicaSet({
			hash: '7c79c4bf97',
			revision: 2,
			image: 'nginx:1.20.1',
			extraContainers: [sidecar],
			createdAgo: 2 * 3600,
			changeCause: 'kubectl set image deployment/nginx nginx=nginx:1.20.1',
		}),
		replicaSet({
			hash: '66b6c48dd5',
			revision: 3,
			image: 'nginx:1.20.1',
			templateAnnotations: restarted,
			extraContainers: [sidecar],
			replicas: 3,
			createdAgo: 3600,
			changeCause: 'kubectl rollout restart deployment/nginx',
		}),
		replicaSet({
			deployment: 'other',
			hash: '1111111111',
			revision: 1,
			image: 'httpd:2.4',
			replicas: 1,
			ownerUid: 'uid-of-another-deployment',
		}),
	];
}
