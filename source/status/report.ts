// What `status` says, as pure functions: the verdict on a rollout at a moment (kubectl's rules, plus the fail-fast
// diagnosis), and the JSON records (version 1) the readme documents. No I/O here; run.ts prints them.
import {rolloutProgress, type ReplicaSetSummary} from '../model/rollout-progress.js';
import {rolloutStatus, rolloutStatusLine} from '../model/rollout-status.js';
import {describeDiagnosis, type RolloutDiagnosis} from '../model/stuck-pods.js';
import type {Deployment, ReplicaSet} from '../model/types.js';
import type {ProbeErrorReason} from '../probe/prober.js';

// The JSON records' schema version: a field's meaning never changes within one version.
export const STATUS_JSON_VERSION = 1;

// How a status run ended.
export type StatusResult =
	| 'complete'
	| 'progress-deadline-exceeded'
	| 'will-not-progress'
	| 'timeout'
	| 'not-complete'
	| 'deleted'
	| 'error';

// The verdict: the result, its exit status, and the last line (kubectl's words where kubectl has them).
export type Verdict = {result: StatusResult; exitCode: 0 | 1 | 2; message: string; stuck?: RolloutDiagnosis};

// kubectl's words for a --timeout that ran out (wait.ErrWaitTimeout).
export const TIMEOUT_MESSAGE = 'error: timed out waiting for the condition';

// The verdict on the rollout now, or undefined while it is still going: kubectl's "done" and "exceeded its
// progress deadline", then (with fail-fast) a new pod stuck for the stated time.
export function judge(deployment: Deployment, diagnosis: RolloutDiagnosis | undefined): Verdict | undefined {
	const status = rolloutStatus(deployment);
	if (status.error !== undefined) return {result: 'progress-deadline-exceeded', exitCode: 1, message: `error: ${status.error}`};
	if (status.done) return {result: 'complete', exitCode: 0, message: rolloutStatusLine(status)};
	if (diagnosis)
		return {
			result: 'will-not-progress',
			exitCode: 1,
			message: `error: ${describeDiagnosis(deployment.metadata?.name ?? '', diagnosis)}`,
			stuck: diagnosis,
		};
	return undefined;
}

// One ReplicaSet in the JSON: its name, revision, images and counts.
export type ReplicaSetRecord = {
	name: string;
	revision: number;
	images: string[];
	desired: number;
	current: number;
	ready: number;
	available: number;
};

// A progress record: kubectl's sentence and the counts behind it (the Deployment's status), and the counts of each
// ReplicaSet (the new one, and the old ones still holding pods or asked for some).
export type ProgressRecord = {
	version: number;
	type: 'progress';
	time: string;
	namespace: string;
	deployment: string;
	revision: number;
	message: string;
	done: boolean;
	replicas: {desired: number; updated: number; ready: number; available: number; unavailable: number};
	newReplicaSet: ReplicaSetRecord | null;
	oldReplicaSets: ReplicaSetRecord[];
};

const rsRecord = (rs: ReplicaSetSummary): ReplicaSetRecord => ({
	name: rs.name,
	revision: rs.revision,
	images: rs.images,
	desired: rs.desired,
	current: rs.current,
	ready: rs.ready,
	available: rs.available,
});

// The progress record of a Deployment and its ReplicaSets at `now`.
export function progressRecord(deployment: Deployment, replicaSets: Iterable<ReplicaSet>, now: number): ProgressRecord {
	const status = rolloutStatus(deployment);
	const progress = rolloutProgress(deployment, replicaSets);
	const s = deployment.status ?? {};
	return {
		version: STATUS_JSON_VERSION,
		type: 'progress',
		time: new Date(now).toISOString(),
		namespace: deployment.metadata?.namespace ?? '',
		deployment: deployment.metadata?.name ?? '',
		revision: progress.newReplicaSet?.revision ?? 0,
		message: rolloutStatusLine(status),
		done: status.done,
		replicas: {
			desired: deployment.spec?.replicas ?? 1,
			updated: s.updatedReplicas ?? 0,
			ready: s.readyReplicas ?? 0,
			available: s.availableReplicas ?? 0,
			unavailable: s.unavailableReplicas ?? 0,
		},
		newReplicaSet: progress.newReplicaSet ? rsRecord(progress.newReplicaSet) : null,
		oldReplicaSets: progress.oldReplicaSets.filter((rs) => rs.current > 0 || rs.desired > 0).map(rsRecord),
	};
}

// Whether two progress records say the same (their time aside).
export function sameProgress(a: ProgressRecord | undefined, b: ProgressRecord): boolean {
	return a !== undefined && JSON.stringify({...a, time: ''}) === JSON.stringify({...b, time: ''});
}

// The probe's tally in the verdict.
export type ProbeTallyRecord = {
	url: string;
	probes: number;
	failed: number;
	byReason: Partial<Record<ProbeErrorReason, number>>;
	p50Ms: number | null;
	p99Ms: number | null;
	maxMs: number | null;
	servedBy: string[];
};

// The verdict record: the last JSON line.
export type VerdictRecord = {
	version: number;
	type: 'verdict';
	time: string;
	namespace: string;
	deployment: string;
	result: StatusResult;
	exitCode: 0 | 1 | 2;
	message: string;
	elapsedMs: number;
	stuck: {pod: string; container: string | null; reason: string; message: string; forMs: number} | null;
	probe: ProbeTallyRecord | null;
	/** With --watch: the rollout's timeline (model/timeline.ts timelineJson, as T saves it); else null. */
	timeline: unknown;
};

// The verdict as its JSON record.
export function verdictRecord(
	verdict: Verdict,
	where: {namespace: string; deployment: string},
	times: {now: number; startedAt: number},
	probe?: ProbeTallyRecord,
	timeline?: unknown,
): VerdictRecord {
	const d = verdict.stuck;
	return {
		version: STATUS_JSON_VERSION,
		type: 'verdict',
		time: new Date(times.now).toISOString(),
		namespace: where.namespace,
		deployment: where.deployment,
		result: verdict.result,
		exitCode: verdict.exitCode,
		message: verdict.message,
		elapsedMs: Math.max(0, Math.round(times.now - times.startedAt)),
		stuck: d ? {pod: d.pod, container: d.container ?? null, reason: d.reason, message: d.message, forMs: Math.round(d.forMs)} : null,
		probe: probe ?? null,
		timeline: timeline ?? null,
	};
}
