// A ReplicaSet's pods as its controller counts them (replicas, fullyLabeled, ready), kept up to date from each
// pod event instead of recounted on every sync: with 20,000 pods under one ReplicaSet, a recount per readiness
// flap cost a walk of all 20,000. Each pod's contribution is a pure function of the pod and the ReplicaSet's
// selector and template labels; an event swaps the pod's old contribution for its new one. The pods changed
// since the last sync are remembered, so the sync claims (releases) only those.
import type {KubeObject} from '../object.js';
import {isPodActive, isPodReady, type LabelSelector, selectorMatches} from './util.js';

type Contribution = {active: boolean; ready: boolean; fullyLabeled: boolean};

/** The counts of one ReplicaSet's pods. */
export class PodTally {
	/** Pods the ReplicaSet controls that are active (not finished, not being deleted) and match its selector. */
	replicas = 0;
	/** Of those, the ones carrying every template label. */
	fullyLabeled = 0;
	/** Of those, the ready ones (by uid, for minReadySeconds). */
	readonly ready = new Set<string>();
	/** Keys of the pods changed since the last sync. */
	readonly dirty = new Set<string>();
	private readonly members = new Map<string, Contribution>();

	constructor(
		readonly selector: LabelSelector | undefined,
		readonly templateLabels: Record<string, string>,
	) {}

	/** Whether this tally was made for the ReplicaSet as it is now (a changed selector or template needs a new one). */
	fits(rs: KubeObject): boolean {
		return (
			JSON.stringify(rs.spec?.selector ?? null) === JSON.stringify(this.selector ?? null) &&
			JSON.stringify(rs.spec?.template?.metadata?.labels ?? {}) === JSON.stringify(this.templateLabels)
		);
	}

	/** Counts the pod as it is now (undefined: gone, or no longer owned). */
	apply(uid: string, pod: KubeObject | undefined): void {
		const before = this.members.get(uid);
		if (before) this.add(uid, before, -1);
		if (!pod) {
			this.members.delete(uid);
			return;
		}
		const active = isPodActive(pod) && selectorMatches(this.selector, pod.metadata.labels);
		const labels = pod.metadata.labels ?? {};
		const after: Contribution = {
			active,
			ready: active && isPodReady(pod),
			fullyLabeled: active && Object.entries(this.templateLabels).every(([k, v]) => labels[k] === v),
		};
		this.members.set(uid, after);
		this.add(uid, after, 1);
	}

	private add(uid: string, c: Contribution, sign: 1 | -1): void {
		if (c.active) this.replicas += sign;
		if (c.fullyLabeled) this.fullyLabeled += sign;
		if (c.ready) {
			if (sign > 0) this.ready.add(uid);
			else this.ready.delete(uid);
		}
	}
}
