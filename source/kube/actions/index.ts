// The cockpit's rollout actions: pure plans (validate and describe, no request) and a runner that sends them.
export type {ActionName, ActionPlan, ActionResult, Intent, PlanContext, Planned, PlanRefusal, PlannedRequest} from './types.js';
export {planAction, planTogglePause} from './plan.js';
export {planRestart, RESTART_PAUSED_MESSAGE, stampRestart} from './restart.js';
export {imageTargets, planSetImage, type ImageTarget} from './set-image.js';
export {parseReplicas, planScale} from './scale.js';
export {planUndo, describeTemplateChange} from './undo.js';
export {planPause, planResume} from './pause.js';
export {createActionRunner, withPrecondition, type ActionRunner, type RunnerOptions} from './runner.js';
export {describeApiError, type ApiFailure} from './api-errors.js';
export {CHANGE_CAUSE_ANNOTATION, RESTARTED_AT_ANNOTATION, formatRFC3339} from './common.js';
