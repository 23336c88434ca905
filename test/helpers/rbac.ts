// Rights changed in the embedded cluster's store by the tests of what a user without them meets.
import type {Store} from '../../source/sim/store.js';

/** Gives the sim's viewer get and list, and no watch, on what the cockpit shows (a ClusterRole and its binding); returns
 * the undo, which removes both. */
export function bindViewerListOnly(store: Store): () => void {
	store.create('clusterroles', {
		apiVersion: 'rbac.authorization.k8s.io/v1',
		kind: 'ClusterRole',
		metadata: {name: 'list-only'},
		rules: [{apiGroups: ['', 'apps'], resources: ['pods', 'events', 'deployments', 'replicasets'], verbs: ['get', 'list']}],
	});
	store.create('clusterrolebindings', {
		apiVersion: 'rbac.authorization.k8s.io/v1',
		kind: 'ClusterRoleBinding',
		metadata: {name: 'viewer-list-only'},
		subjects: [{kind: 'User', name: 'viewer', apiGroup: 'rbac.authorization.k8s.io'}],
		roleRef: {kind: 'ClusterRole', name: 'list-only', apiGroup: 'rbac.authorization.k8s.io'},
	});
	return () => {
		store.delete('clusterrolebindings', undefined, 'viewer-list-only');
		store.delete('clusterroles', undefined, 'list-only');
	};
}
