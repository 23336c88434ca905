// `kubectl rollout undo [--to-revision=N]`: model/undo.ts's undoPlan holds kubectl's rules and
// messages (revision lookup, paused, "skipped rollback", the JSON patch); this adds the input check,
// the confirmation wording and the change-cause, which goes into the same annotations replace.
import type {PodTemplateSpec} from '../../model/types.js';
import {CHANGE_CAUSE_ANNOTATION} from '../../model/history.js';
import {undoPlan} from '../../model/undo.js';
import {templateWithoutHash} from '../../model/util.js';
import {revisionOf} from '../../model/rollout-progress.js';
import {DEFAULT_PROGRAM, deploymentPath, identify} from './common.js';
import type {PlanContext, Planned} from './types.js';

// Plans an undo; an unknown revision, a paused deployment or a template that already matches are
// answered without any request. toRevision comes from a prompt or the history's selected row; 0 = previous.
export function planUndo(ctx: PlanContext, toRevision: number | string): Planned {
	const id = identify(ctx.deployment);
	if ('ok' in id) return id;
	const text = typeof toRevision === 'number' ? String(toRevision) : toRevision.trim();
	if (!/^[+-]?[0-9]+$/.test(text))
		return {
			ok: false,
			reason: 'invalid',
			message: `revision must be a whole number (0 = the previous one), not ${JSON.stringify(String(toRevision))}`,
		};
	const wanted = Number(text);
	const {deployment} = ctx;
	const kubectl = undoPlan(deployment, ctx.replicaSets ?? [], wanted);
	if (kubectl.kind === 'error') {
		// Lookup errors come first in kubectl's order; the only later error is the paused refusal.
		const paused = deployment.spec?.paused && kubectl.message.startsWith('you cannot rollback');
		return {ok: false, reason: paused ? 'refused' : 'invalid', message: kubectl.message};
	}
	if (kubectl.kind === 'skip') {
		// kubectl echoes the revision as typed ("revision 0" for a plain undo); name the real one instead.
		return {ok: false, reason: 'noop', message: `skipped rollback (current template already matches revision ${kubectl.revision})`};
	}
	const command = `rollout undo deployment/${id.name} --to-revision=${kubectl.revision}`;
	const changeCause = `${ctx.program ?? DEFAULT_PROGRAM} ${command}`;
	const body = kubectl.patch.map((op) => {
		if (op.path === '/spec/template') {
			// kubectl marshals the typed template, whose zero metav1.Time is written as null: send the same.
			const value = structuredClone(op.value) as PodTemplateSpec;
			value.metadata = {creationTimestamp: null, ...(value.metadata ?? {})};
			return {...op, value};
		}
		if (op.path !== '/metadata/annotations') return op;
		// kubectl would restore the old revision's change-cause; this change records its own.
		const annotations = {...(op.value as Record<string, string>), [CHANGE_CAUSE_ANNOTATION]: changeCause};
		return {...op, value: Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))};
	});
	const target = (kubectl.patch.find((op) => op.path === '/spec/template')?.value ?? {}) as PodTemplateSpec;
	return {
		ok: true,
		plan: {
			intent: {action: 'undo', toRevision: kubectl.revision},
			...id,
			command,
			changes: describeTemplateChange(id.name, deployment.spec?.template, target, kubectl.revision, revisionOf(deployment) || undefined),
			changeCause,
			request: {
				method: 'PATCH',
				path: deploymentPath(id.namespace, id.name),
				contentType: 'application/json-patch+json',
				body,
				verbOnResource: 'patch deployments.apps',
			},
			basedOn: deployment.metadata?.resourceVersion,
			done: 'rolled back',
		},
	};
}

// Lines for the confirmation: each container whose image changes, e.g.
// "nginx: image nginx:1.20.1 -> nginx:1.18 (revision 2)", else the template fields that differ.
export function describeTemplateChange(
	name: string,
	from: PodTemplateSpec | null | undefined,
	to: PodTemplateSpec | null | undefined,
	revision: number,
	fromRevision?: number,
): string[] {
	const note = `(revision ${revision})`;
	const lines: string[] = [];
	const images = (t: PodTemplateSpec | null | undefined, init: boolean) =>
		new Map((init ? t?.spec?.initContainers : t?.spec?.containers)?.map((c) => [c.name ?? '', c.image ?? '']) ?? []);
	for (const init of [true, false]) {
		const before = images(from, init);
		const after = images(to, init);
		for (const [c, image] of after) {
			const old = before.get(c);
			if (old !== image) lines.push(`${c}${init ? ' (init)' : ''}: image ${old ?? '<no such container>'} -> ${image} ${note}`);
		}
		for (const [c, image] of before) if (!after.has(c)) lines.push(`${c}${init ? ' (init)' : ''}: removed (was ${image}) ${note}`);
	}
	if (lines.length > 0) return lines;
	const fields = differingPaths(templateWithoutHash(from), templateWithoutHash(to), '', []);
	const shown = fields.slice(0, 3).join(', ') + (fields.length > 3 ? `, and ${fields.length - 3} more` : '');
	const since = fromRevision === undefined ? '' : ` from revision ${fromRevision}`;
	return [`${name}: pod template of revision ${revision}${since}, same images; differs in ${shown || 'nothing visible'}`];
}

// Dotted paths of the leaves that differ between two JSON values (for the confirmation text only).
function differingPaths(a: unknown, b: unknown, at: string, out: string[]): string[] {
	if (JSON.stringify(a) === JSON.stringify(b)) return out;
	const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
	const missing = (v: unknown) => v === undefined || v === null;
	// A map on one side only: name its keys rather than the map.
	if ((isObj(a) || missing(a)) && (isObj(b) || missing(b))) {
		const ao = (a ?? {}) as Record<string, unknown>;
		const bo = (b ?? {}) as Record<string, unknown>;
		for (const k of [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort()) differingPaths(ao[k], bo[k], at ? `${at}.${k}` : k, out);
		return out;
	}
	if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
		for (const [i, v] of a.entries()) differingPaths(v, b[i], `${at}[${i}]`, out);
		return out;
	}
	out.push(at || '(whole template)');
	return out;
}
