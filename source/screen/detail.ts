// A pod's detail (Enter on a pod): each container's state, its last termination with reason and exit code, the
// pod's conditions and its own events; what `kubectl describe pod` would tell, in a screen.
import {translateTimestampSince} from '../model/duration.js';
import {podAge, podInfo, podIP, podNode} from '../model/pod-status.js';
import type {ContainerState, ContainerStatus, Pod} from '../model/types.js';
import type {Theme} from '../state/ui.js';
import type {EventLine} from './events.js';
import {line, titleLine, type Pane} from './lines.js';
import {statusTone, TONE_COLOR, type StatusTone} from './pods.js';

// A line of the detail and how it is coloured.
export type DetailLine = {text: string; tone?: StatusTone | 'heading' | 'warning' | 'dim'};

function ago(t: string | null | undefined, now: number): string {
	return translateTimestampSince(t, now);
}

// "Running, started 5m ago", "Waiting: CrashLoopBackOff (back-off 40s ...)", "Terminated: OOMKilled, exit code 137, 3s ago".
export function containerStateText(state: ContainerState | null | undefined, now: number): {text: string; tone: StatusTone} {
	if (state?.running) return {text: `Running, started ${ago(state.running.startedAt, now)} ago`, tone: 'ok'};
	if (state?.waiting) {
		const reason = state.waiting.reason || 'Waiting';
		const message = state.waiting.message ? ` (${state.waiting.message})` : '';
		return {text: `Waiting: ${reason}${message}`, tone: statusTone(reason)};
	}
	if (state?.terminated) {
		const t = state.terminated;
		const parts = [t.reason || 'Terminated', `exit code ${t.exitCode ?? '?'}`];
		if (t.signal) parts.push(`signal ${t.signal}`);
		if (t.finishedAt) parts.push(`${ago(t.finishedAt, now)} ago`);
		const message = t.message ? ` (${t.message.trim()})` : '';
		return {text: `Terminated: ${parts.join(', ')}${message}`, tone: t.exitCode === 0 ? 'done' : 'bad'};
	}
	return {text: 'No state reported yet', tone: 'progress'};
}

function containerLines(kind: string, statuses: ContainerStatus[] | undefined, images: Map<string, string>, now: number): DetailLine[] {
	const out: DetailLine[] = [];
	for (const cs of statuses ?? []) {
		const name = cs.name ?? '';
		const image = cs.image || images.get(name) || '';
		out.push({text: `  ${kind}${name}  ${image}  ready=${cs.ready ? 'true' : 'false'}  restarts=${cs.restartCount ?? 0}`});
		const state = containerStateText(cs.state, now);
		out.push({text: `    ${state.text}`, tone: state.tone});
		if (cs.lastState?.terminated) {
			const t = cs.lastState.terminated;
			const when = t.finishedAt ? `, ${ago(t.finishedAt, now)} ago` : '';
			out.push({
				text: `    Last termination: ${t.reason || 'Terminated'}, exit code ${t.exitCode ?? '?'}${t.signal ? `, signal ${t.signal}` : ''}${when}`,
				tone: t.exitCode === 0 ? 'dim' : 'bad',
			});
		}
	}
	return out;
}

// Every line of the detail, in order; the view scrolls over them.
export function podDetailLines(pod: Pod, events: readonly EventLine[], now: number, revision?: string): DetailLine[] {
	const lines: DetailLine[] = [];
	const info = podInfo(pod);
	const meta = pod.metadata ?? {};
	const status = pod.status ?? {};
	const facts = [
		`Status: ${info.status}`,
		`Ready: ${info.readyContainers}/${info.totalContainers}`,
		`Restarts: ${info.restarts}`,
		`Age: ${podAge(pod, now)}`,
		revision ? `Revision: ${revision}` : '',
	].filter(Boolean);
	lines.push({text: facts.join('   '), tone: statusTone(info.status, `${info.readyContainers}/${info.totalContainers}`)});
	lines.push({
		text: `Node: ${podNode(pod)}   IP: ${podIP(pod)}   Phase: ${status.phase || '<unknown>'}${status.reason ? `   Reason: ${status.reason}` : ''}`,
	});
	if (meta.deletionTimestamp) {
		lines.push({
			text: `Being deleted: grace period ${meta.deletionGracePeriodSeconds ?? '?'}s, deadline ${ago(meta.deletionTimestamp, now)} ago`,
			tone: 'ending',
		});
	}
	if (status.message) lines.push({text: `Message: ${status.message}`, tone: 'warning'});
	const images = new Map<string, string>();
	for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) images.set(c.name ?? '', c.image ?? '');
	lines.push({text: ''});
	lines.push({text: 'Containers', tone: 'heading'});
	const init = containerLines('init ', status.initContainerStatuses, images, now);
	const regular = containerLines('', status.containerStatuses, images, now);
	if (init.length + regular.length === 0) {
		for (const c of pod.spec?.containers ?? []) lines.push({text: `  ${c.name}  ${c.image}  (no status yet)`, tone: 'progress'});
	}
	lines.push(...init, ...regular);
	lines.push({text: ''});
	lines.push({text: 'Conditions', tone: 'heading'});
	if ((status.conditions ?? []).length === 0) lines.push({text: '  none reported', tone: 'dim'});
	for (const c of status.conditions ?? []) {
		const why = [c.reason, c.message].filter(Boolean).join(': ');
		lines.push({
			text: `  ${(c.type ?? '').padEnd(16)} ${(c.status ?? '').padEnd(6)}${why ? ` ${why}` : ''}`,
			tone: c.status === 'True' ? undefined : 'progress',
		});
	}
	lines.push({text: ''});
	lines.push({text: `Events (${events.length})`, tone: 'heading'});
	if (events.length === 0) lines.push({text: '  none', tone: 'dim'});
	for (const e of events) {
		lines.push({
			text: `  ${e.lastSeen.padEnd(8)} ${e.type.padEnd(7)} ${e.reason.padEnd(18)} ${e.message}`,
			tone: e.type === 'Normal' ? undefined : 'warning',
		});
	}
	return lines;
}

function lineColor(tone: DetailLine['tone']): string | undefined {
	if (tone === undefined || tone === 'heading' || tone === 'dim') return undefined;
	if (tone === 'warning') return 'red';
	return TONE_COLOR[tone];
}

// How many lines the detail can scroll down at most in `height` rows (one is the title).
export function detailMaxScroll(count: number, height: number): number {
	return Math.max(0, count - Math.max(0, height - 1));
}

// The detail of `podName` (undefined `pod`: it is gone), from line `scroll` on.
export function detailPane(o: {
	theme: Theme;
	width: number;
	height: number;
	podName: string;
	pod?: Pod;
	events: readonly EventLine[];
	now: number;
	revision?: string;
	scroll: number;
}): Pane & {maxScroll: number} {
	const {theme, width, height} = o;
	const lines: DetailLine[] = o.pod
		? podDetailLines(o.pod, o.events, o.now, o.revision)
		: [{text: 'This pod no longer exists.', tone: 'dim'}];
	const body = Math.max(0, height - 1);
	const start = Math.max(0, Math.min(o.scroll, lines.length - body));
	const visible = lines.slice(start, start + body);
	const more = lines.length > body ? ` (lines ${start + 1}-${start + visible.length} of ${lines.length}, j/k scroll)` : '';
	return {
		width,
		height,
		title: titleLine(theme, `Pod ${o.podName}`, width, true, `${more} Esc back`),
		lines: visible.map((l, i) =>
			line(String(start + i), l.text === '' ? ' ' : l.text, {bold: l.tone === 'heading', dim: l.tone === 'dim', color: lineColor(l.tone)}),
		),
		maxScroll: o.pod ? detailMaxScroll(lines.length, height) : 0,
	};
}
