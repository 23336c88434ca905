// The shapes shared by every rollout action: what the user asked for (Intent), what will be sent
// (ActionPlan, computed before any request), and how it ended (ActionResult).
import type {Deployment, ReplicaSet} from '../../model/types.js';

// What the user asked for, in their own terms; apply() re-plans it on a fresh read, so it must be kept.
export type Intent =
	| {action: 'restart'}
	| {action: 'set-image'; images: Readonly<Record<string, string>>} // container name -> image, init containers too
	| {action: 'scale'; replicas: number | string} // raw prompt text is fine: the plan validates it
	| {action: 'undo'; toRevision: number | string} // 0 = the previous revision, as kubectl's --to-revision=0
	| {action: 'pause'}
	| {action: 'resume'};

// The action's name, e.g. for a key binding table.
export type ActionName = Intent['action'];

// The exact request an apply sends (before the optimistic-concurrency resourceVersion is added).
export type PlannedRequest = {
	method: 'PATCH';
	path: string; // e.g. /apis/apps/v1/namespaces/default/deployments/nginx
	contentType: 'application/strategic-merge-patch+json' | 'application/merge-patch+json' | 'application/json-patch+json';
	body: unknown;
	// "patch deployments.apps" or "patch deployments.apps/scale": the words a 403 is explained with.
	verbOnResource: string;
};

// Everything a confirmation prompt shows, computed without any request.
export type ActionPlan = {
	intent: Intent;
	namespace: string;
	name: string;
	// kubectl-style one line, e.g. "set image deployment/nginx nginx=nginx:1.18".
	command: string;
	// One line per change, e.g. "nginx: image nginx:1.20.1 -> nginx:1.18 (revision 2)".
	changes: string[];
	// What kubernetes.io/change-cause will say, or undefined for actions that make no revision.
	changeCause?: string;
	request: PlannedRequest;
	// The resourceVersion the plan was computed from; the patch is sent only against this version.
	basedOn?: string;
	// kubectl's success word: "restarted", "image updated", "scaled", "rolled back", "paused", "resumed".
	done: string;
};

// Why a plan was not made. 'invalid': bad input (fix it); 'refused': kubectl would refuse too
// (e.g. paused); 'noop': nothing to change (e.g. "skipped rollback ..."), not an error.
export type PlanRefusal = {ok: false; reason: 'invalid' | 'refused' | 'noop'; message: string};

// The outcome of planning: a plan to confirm, or the reason there is none (no request is made either way).
export type Planned = {ok: true; plan: ActionPlan} | PlanRefusal;

// What the plan step needs to know about the cluster: the cockpit store's copies are enough.
export type PlanContext = {
	deployment: Deployment;
	// The deployment's ReplicaSets (needed by undo only); others are ignored by controller uid.
	replicaSets?: readonly ReplicaSet[];
	// The moment a restart is stamped with; defaults to now.
	now?: Date;
	// The program name change-cause starts with.
	program?: string;
};

// How an apply ended. On failure `message` is one plain line for the status line; `status` is the
// HTTP status (0 = the server was not reached) when the failure came from the API server.
export type ActionResult =
	| {ok: true; message: string; plan: ActionPlan; attempts: number}
	| {
			ok: false;
			message: string;
			reason: 'invalid' | 'refused' | 'noop' | 'busy' | 'api';
			status?: number;
			plan?: ActionPlan;
			attempts: number;
	  };
