// "Is the rollout done?" answered with kubectl's exact rules and words, so the cockpit's
// rollout line matches what `kubectl rollout status` would print at the same moment.
// Rules from kubectl pkg/polymorphichelpers/rollout_status.go (DeploymentStatusViewer.Status)
// and pkg/util/deployment/deployment.go (Revision, TimedOutReason).
import type {Deployment} from './types.js';
import {goQuote, parseGoInt, REVISION_ANNOTATION} from './util.js';

// The Progressing condition reason the controller sets when progressDeadlineSeconds passes.
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';

// kubectl's (message, done, error) triple. message keeps kubectl's trailing "\n"; error has no "error: " prefix.
export interface RolloutStatus {
	message: string;
	done: boolean;
	error?: string;
}

// The Deployment's own revision annotation: 0 when absent, Go's parse error text when malformed.
export function deploymentRevision(deployment: Deployment): {ok: true; value: number} | {ok: false; error: string} {
	const v = deployment.metadata?.annotations?.[REVISION_ANNOTATION];
	if (v === undefined) return {ok: true, value: 0};
	return parseGoInt(v);
}

// kubectl rollout status for one Deployment object; revision > 0 mirrors --revision=N.
export function rolloutStatus(deployment: Deployment, revision = 0): RolloutStatus {
	const name = deployment.metadata?.name ?? '';
	if (revision > 0) {
		const rev = deploymentRevision(deployment);
		if (!rev.ok) {
			return {message: '', done: false, error: `cannot get the revision of deployment ${goQuote(name)}: ${rev.error}`};
		}
		if (revision !== rev.value) {
			return {message: '', done: false, error: `desired revision (${revision}) is different from the running revision (${rev.value})`};
		}
	}
	const generation = deployment.metadata?.generation ?? 0;
	const status = deployment.status ?? {};
	const observed = status.observedGeneration ?? 0;
	if (generation <= observed) {
		const progressing = (status.conditions ?? []).find((c) => c.type === 'Progressing');
		if (progressing && progressing.reason === TIMED_OUT_REASON) {
			return {message: '', done: false, error: `deployment ${goQuote(name)} exceeded its progress deadline`};
		}
		const desired = deployment.spec?.replicas;
		const updated = status.updatedReplicas ?? 0;
		const replicas = status.replicas ?? 0;
		const available = status.availableReplicas ?? 0;
		if (desired !== undefined && desired !== null && updated < desired) {
			return {
				message: `Waiting for deployment ${goQuote(name)} rollout to finish: ${updated} out of ${desired} new replicas have been updated...\n`,
				done: false,
			};
		}
		if (replicas > updated) {
			return {
				message: `Waiting for deployment ${goQuote(name)} rollout to finish: ${replicas - updated} old replicas are pending termination...\n`,
				done: false,
			};
		}
		if (available < updated) {
			return {
				message: `Waiting for deployment ${goQuote(name)} rollout to finish: ${available} of ${updated} updated replicas are available...\n`,
				done: false,
			};
		}
		return {message: `deployment ${goQuote(name)} successfully rolled out\n`, done: true};
	}
	return {message: 'Waiting for deployment spec update to be observed...\n', done: false};
}

// What `kubectl rollout status` prints for this status on one line: the message, or "error: ..." (no newline).
export function rolloutStatusLine(status: RolloutStatus): string {
	if (status.error !== undefined) return `error: ${status.error}`;
	return status.message.replace(/\n$/, '');
}
