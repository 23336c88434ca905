// The disruption controller, after pkg/controller/disruption: each PodDisruptionBudget's status says how many of the
// pods it selects are healthy (Ready and not being deleted), how many must stay so, and so how many may be disrupted
// now, with the DisruptionAllowed condition. The expected count comes from the budget itself (an integer
// minAvailable: the pods selected) or from the pods' controllers' scale (maxUnavailable, or a percentage
// minAvailable: a Deployment's replicas, or a ReplicaSet's of its own). A budget whose count cannot be worked out
// (a pod whose controller is gone) allows no disruption: the real controller's fail-safe.
import type {KubeObject} from '../store.js';
import type {EventRecorder} from './events.js';
import type {Informer} from './informer.js';
import type {Controller, ControllerManager, WorkQueue} from './manager.js';
import {controllerOf, isoSeconds, isPodReady, keyOf, type LabelSelector, scaledValue, selectorMatches, splitKey} from './util.js';

const source = {component: 'controllermanager'};

// How long an entry of status.disruptedPods (written by the eviction API) counts before the pod must have gone.
const deletionTimeoutMs = 2 * 60_000;

/** policy.DisruptionAllowedCondition and its reasons. */
export const disruptionAllowed = 'DisruptionAllowed';
export const reasons = {sufficient: 'SufficientPods', insufficient: 'InsufficientPods', syncFailed: 'SyncFailed'};

type Condition = {type: string; status: string; observedGeneration?: number; lastTransitionTime: string; reason: string; message: string};

/** The counts a sync arrives at. */
export type BudgetCounts = {currentHealthy: number; desiredHealthy: number; expectedPods: number};

/**
 * meta.SetStatusCondition: a new condition gets lastTransitionTime now; an existing one keeps it unless its status
 * changes, and takes the new reason, message and observedGeneration.
 */
export function setStatusCondition(conditions: Condition[], next: Omit<Condition, 'lastTransitionTime'>, now: number): Condition[] {
	const existing = conditions.find((c) => c.type === next.type);
	const lastTransitionTime = existing && existing.status === next.status ? existing.lastTransitionTime : isoSeconds(now);
	const condition: Condition = {
		type: next.type,
		status: next.status,
		...(next.observedGeneration ? {observedGeneration: next.observedGeneration} : {}),
		lastTransitionTime,
		reason: next.reason,
		message: next.message,
	};
	return existing ? conditions.map((c) => (c === existing ? condition : c)) : [...conditions, condition];
}

/** Go's %v of a *metav1.LabelSelector (its generated String()), as the UnmanagedPods event prints it. */
export function selectorString(selector: LabelSelector | undefined): string {
	if (!selector) return 'nil';
	const labels = Object.keys(selector.matchLabels ?? {})
		.sort()
		.map((k) => `${k}: ${selector.matchLabels?.[k]},`)
		.join('');
	const expressions = (selector.matchExpressions ?? [])
		.map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`)
		.join('');
	return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`;
}

/** Keeps PodDisruptionBudgets' status. */
export class DisruptionController implements Controller {
	readonly name = 'disruption';
	private readonly queue: WorkQueue;
	private readonly budgets: Informer;
	private readonly pods: Informer;
	private readonly replicaSets: Informer;
	private readonly deployments: Informer;

	constructor(
		private readonly m: ControllerManager,
		private readonly events: EventRecorder,
	) {
		this.queue = m.queue(this);
		this.budgets = m.informers.informer('poddisruptionbudgets');
		this.pods = m.informers.informer('pods');
		this.replicaSets = m.informers.informer('replicasets');
		this.deployments = m.informers.informer('deployments');
		const budgetChanged = (pdb: KubeObject) => this.queue.add(keyOf(pdb));
		this.budgets.addEventHandler({add: budgetChanged, update: (_old, pdb) => budgetChanged(pdb)}, this.name);
		// As the real controller: a pod's change queues the budgets that select it (before or after the change).
		this.pods.addEventHandler(
			{
				add: (pod) => this.podChanged(pod),
				update: (old, pod) => {
					this.podChanged(pod);
					if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {})) this.podChanged(old);
				},
				delete: (pod) => this.podChanged(pod),
			},
			this.name,
		);
	}

	private podChanged(pod: KubeObject): void {
		for (const pdb of this.budgets.list(pod.metadata.namespace))
			if (selectorMatches(pdb.spec?.selector, pod.metadata.labels)) this.queue.add(keyOf(pdb));
	}

	sync(key: string): void {
		const {namespace, name} = splitKey(key);
		const pdb = this.budgets.get(namespace, name);
		if (!pdb) return;
		try {
			this.trySync(pdb);
		} catch (error) {
			if (error instanceof ExpectedCountError) {
				this.failSafe(pdb, error.message);
				return;
			}
			throw error;
		}
	}

	private trySync(pdb: KubeObject): void {
		const pods = this.pods.list(pdb.metadata.namespace).filter((p) => selectorMatches(pdb.spec?.selector, p.metadata.labels));
		if (pods.length === 0) this.events.record(source, pdb, 'Normal', 'NoPods', 'No matching pods found');
		let counts: {expectedPods: number; desiredHealthy: number; unmanaged: string[]};
		try {
			counts = this.expectedPodCount(pdb, pods);
		} catch (error) {
			this.events.record(
				source,
				pdb,
				'Warning',
				'CalculateExpectedPodCountFailed',
				`Failed to calculate the number of expected pods: ${(error as Error).message}`,
			);
			throw new ExpectedCountError((error as Error).message);
		}
		if (counts.unmanaged.length > 0)
			this.events.record(
				source,
				pdb,
				'Warning',
				'UnmanagedPods',
				`Pods selected by this PodDisruptionBudget (selector: ${selectorString(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
			);
		const now = this.m.clock.now();
		const disrupted = disruptedPodMap(pods, pdb.status?.disruptedPods, now);
		const currentHealthy = pods.filter(
			(p) => !p.metadata.deletionTimestamp && !(p.metadata.name! in disrupted.map) && isPodReady(p),
		).length;
		this.updateStatus(pdb, {currentHealthy, desiredHealthy: counts.desiredHealthy, expectedPods: counts.expectedPods}, disrupted.map, now);
		if (disrupted.recheckAt !== undefined) this.queue.addAfter(keyOf(pdb), Math.max(1, disrupted.recheckAt - now));
	}

	// getExpectedPodCount: how many pods the budget expects, and how many must be healthy.
	private expectedPodCount(pdb: KubeObject, pods: KubeObject[]): {expectedPods: number; desiredHealthy: number; unmanaged: string[]} {
		const {maxUnavailable, minAvailable} = pdb.spec ?? {};
		if (maxUnavailable !== undefined && maxUnavailable !== null) {
			const {expected, unmanaged} = this.expectedScale(pods);
			const desired = expected - scaledValue(maxUnavailable, expected, true);
			return {expectedPods: expected, desiredHealthy: Math.max(0, desired), unmanaged};
		}
		if (typeof minAvailable === 'number') return {expectedPods: pods.length, desiredHealthy: minAvailable, unmanaged: []};
		if (typeof minAvailable === 'string') {
			const {expected, unmanaged} = this.expectedScale(pods);
			return {expectedPods: expected, desiredHealthy: scaledValue(minAvailable, expected, true), unmanaged};
		}
		return {expectedPods: 0, desiredHealthy: 0, unmanaged: []};
	}

	// getExpectedScale: the sum of the scales of the pods' controllers, each counted once; pods without a
	// controller are unmanaged; a controller that cannot be found is an error.
	private expectedScale(pods: KubeObject[]): {expected: number; unmanaged: string[]} {
		const scales = new Map<string, number>();
		const unmanaged: string[] = [];
		for (const pod of pods) {
			const ref = controllerOf(pod);
			if (!ref) {
				unmanaged.push(pod.metadata.name!);
				continue;
			}
			if (scales.has(ref.uid)) continue;
			const found = this.controllerScale(ref, pod.metadata.namespace);
			if (!found) throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata.name)}`);
			scales.set(found.uid, found.scale);
		}
		let expected = 0;
		for (const scale of scales.values()) expected += scale;
		return {expected, unmanaged};
	}

	// The finders: a ReplicaSet owned by a Deployment counts as that Deployment (its replicas), else as itself.
	private controllerScale(
		ref: {kind: string; name: string; uid: string},
		namespace: string | undefined,
	): {uid: string; scale: number} | undefined {
		if (ref.kind !== 'ReplicaSet') return undefined;
		const rs = this.replicaSets.get(namespace, ref.name);
		if (!rs || rs.metadata.uid !== ref.uid) return undefined;
		const owner = controllerOf(rs);
		if (owner?.kind === 'Deployment') {
			const d = this.deployments.get(namespace, owner.name);
			if (!d || d.metadata.uid !== owner.uid) return undefined;
			return {uid: d.metadata.uid!, scale: d.spec?.replicas ?? 1};
		}
		return {uid: rs.metadata.uid!, scale: rs.spec?.replicas ?? 1};
	}

	// updatePdbStatus: disruptionsAllowed is what is healthy beyond the desired, never below 0, and 0 while the budget
	// expects no pods (its first pods must not be disrupted before the counts catch up). Written only on a change.
	private updateStatus(pdb: KubeObject, counts: BudgetCounts, disruptedPods: Record<string, string>, now: number): void {
		const generation = pdb.metadata.generation ?? 0;
		const allowed = counts.expectedPods <= 0 ? 0 : Math.max(0, counts.currentHealthy - counts.desiredHealthy);
		const status = pdb.status ?? {};
		const conditions: Condition[] = status.conditions ?? [];
		const wanted = allowed > 0 ? {status: 'True', reason: reasons.sufficient} : {status: 'False', reason: reasons.insufficient};
		const current = conditions.find((c) => c.type === disruptionAllowed);
		const upToDate =
			status.currentHealthy === counts.currentHealthy &&
			status.desiredHealthy === counts.desiredHealthy &&
			status.expectedPods === counts.expectedPods &&
			status.disruptionsAllowed === allowed &&
			JSON.stringify(status.disruptedPods ?? {}) === JSON.stringify(disruptedPods) &&
			status.observedGeneration === generation &&
			current?.status === wanted.status &&
			current?.reason === wanted.reason;
		if (upToDate) return;
		const next = {
			observedGeneration: generation,
			...(Object.keys(disruptedPods).length > 0 ? {disruptedPods} : {}),
			disruptionsAllowed: allowed,
			currentHealthy: counts.currentHealthy,
			desiredHealthy: counts.desiredHealthy,
			expectedPods: counts.expectedPods,
			conditions: setStatusCondition(conditions, {type: disruptionAllowed, ...wanted, observedGeneration: generation, message: ''}, now),
		};
		this.m.store.update('poddisruptionbudgets', {...pdb, status: next}, {subresource: 'status'});
	}

	// failSafe: no disruption allowed, and the DisruptionAllowed condition says why.
	private failSafe(pdb: KubeObject, message: string): void {
		const status = pdb.status ?? {};
		const conditions = setStatusCondition(
			status.conditions ?? [],
			{type: disruptionAllowed, status: 'False', reason: reasons.syncFailed, observedGeneration: status.observedGeneration, message},
			this.m.clock.now(),
		);
		if (status.disruptionsAllowed === 0 && JSON.stringify(conditions) === JSON.stringify(status.conditions ?? [])) return;
		this.m.store.update('poddisruptionbudgets', {...pdb, status: {...status, disruptionsAllowed: 0, conditions}}, {subresource: 'status'});
	}
}

// A sync whose expected count failed: the budget goes to its fail-safe status.
class ExpectedCountError extends Error {}

// buildDisruptedPodMap: the pods the eviction API marked, while they may still be on their way out.
function disruptedPodMap(
	pods: KubeObject[],
	marked: Record<string, string> | undefined,
	now: number,
): {map: Record<string, string>; recheckAt?: number} {
	const map: Record<string, string> = {};
	let recheckAt: number | undefined;
	if (!marked) return {map};
	for (const pod of pods) {
		if (pod.metadata.deletionTimestamp) continue;
		const at = marked[pod.metadata.name!];
		if (at === undefined) continue;
		const expected = Date.parse(at) + deletionTimeoutMs;
		if (expected < now) continue;
		map[pod.metadata.name!] = at;
		recheckAt = Math.min(recheckAt ?? expected, expected);
	}
	return {map, recheckAt};
}
