// The clusterrole-aggregation controller: a ClusterRole with an aggregationRule (admin, edit, view) gets the rules
// of every ClusterRole its selectors match, in name order, each rule once; so a ClusterRole labelled
// rbac.authorization.k8s.io/aggregate-to-view: "true" widens view, as in Kubernetes.
import {labelSelectorRequirements, matchesLabels} from '../api/selectors.js';
import type {KubeObject} from '../store.js';
import type {Informer} from './informer.js';
import type {Controller, ControllerManager, WorkQueue} from './manager.js';

type Selector = Parameters<typeof labelSelectorRequirements>[0];

/** Keeps aggregated ClusterRoles' rules in step with the roles they gather. */
export class ClusterRoleAggregationController implements Controller {
	readonly name = 'clusterrole-aggregation';
	private readonly queue: WorkQueue;
	private readonly roles: Informer;

	constructor(private readonly m: ControllerManager) {
		this.queue = m.queue(this);
		this.roles = m.informers.informer('clusterroles');
		// Any ClusterRole change may add to or take from any aggregated role.
		const changed = () => {
			for (const role of this.roles.list()) if (role.aggregationRule) this.queue.add(role.metadata.name!);
		};
		this.roles.addEventHandler({add: changed, update: changed, delete: changed}, this.name);
	}

	sync(key: string): void {
		const role = this.roles.get(undefined, key);
		if (!role?.aggregationRule) return;
		const selectors = ((role.aggregationRule.clusterRoleSelectors ?? []) as Selector[]).map(labelSelectorRequirements);
		const rules: unknown[] = [];
		const seen = new Set<string>();
		const sources = this.roles
			.list()
			.filter((other) => other.metadata.name !== key && selectors.some((s) => matchesLabels(s, other.metadata.labels)))
			.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
		for (const other of sources) {
			for (const rule of (other.rules ?? []) as unknown[]) {
				const text = JSON.stringify(rule);
				if (seen.has(text)) continue;
				seen.add(text);
				rules.push(rule);
			}
		}
		if (JSON.stringify(role.rules ?? []) === JSON.stringify(rules)) return;
		this.m.store.update('clusterroles', {...role, rules} as KubeObject);
	}
}
