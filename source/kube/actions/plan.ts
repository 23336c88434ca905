// One entry point from an Intent to a Planned, so the UI (and the runner's re-plan) need not switch on actions.
import {planPause, planResume} from './pause.js';
import {planRestart} from './restart.js';
import {planScale} from './scale.js';
import {planSetImage} from './set-image.js';
import {planUndo} from './undo.js';
import type {Intent, PlanContext, Planned} from './types.js';

// Plans any intent against the given cluster view; pure, no request is made.
export function planAction(intent: Intent, ctx: PlanContext): Planned {
	switch (intent.action) {
		case 'restart':
			return planRestart(ctx);
		case 'set-image':
			return planSetImage(ctx, intent.images);
		case 'scale':
			return planScale(ctx, intent.replicas);
		case 'undo':
			return planUndo(ctx, intent.toRevision);
		case 'pause':
			return planPause(ctx);
		case 'resume':
			return planResume(ctx);
	}
}

// The `p` key: pause a running rollout, resume a paused one.
export function planTogglePause(ctx: PlanContext): Planned {
	return ctx.deployment.spec?.paused ? planResume(ctx) : planPause(ctx);
}
