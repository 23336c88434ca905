// Wires log streams (kube/logs.ts) to the store, as cockpit-data.ts wires the watches: it follows the log view on
// screen. For one pod, that pod's container (or its previous instance); for a deployment (`L`), every container of
// every pod of it, as stern follows a workload: new pods are picked up as the rollout creates them (once their
// container has started), and pods that end are kept until their stream closes, so an old pod's shutdown notices
// are read to the end. Streams are capped (stern's default, 50), newest revisions first; the rest wait for a slot.
import type {Connection} from '../kube/connect.js';
import {followLog, type LogStream, type LogStreamOptions, type LogStreamState} from '../kube/logs.js';
import {containerInstance, containerRunning, containerStarted} from '../model/pod-status.js';
import type {Pod} from '../model/types.js';
import {selectPodOwners, selectPods, selectReplicaSets} from './selectors.js';
import type {CockpitState, CockpitStore} from './store.js';
import {logTargetKey, shownLogTarget, type LogTarget} from './ui.js';

// stern's --max-log-requests default: how many streams a workload's log view opens at most.
export const DEFAULT_MAX_STREAMS = 50;
// Lines asked for from pods that were already running when the view opened (k9s shows the last 100 too); pods
// that start later are read from their first line.
export const DEFAULT_TAIL_LINES = 100;

export type LogDataOptions = {
	/** @default 50 */
	maxStreams?: number;
	/** @default 100 */
	tailLines?: number;
	/** Passed to each stream (tests inject a server and timers). */
	open?: LogStreamOptions['open'];
	timing?: LogStreamOptions['timing'];
};

type Running = {stream: LogStream; instance?: string};

// Starts following the store's log view; stop() ends every stream.
export function startLogData(conn: Connection, store: CockpitStore, options: LogDataOptions = {}): {stop(): void} {
	const maxStreams = options.maxStreams ?? DEFAULT_MAX_STREAMS;
	const tailLines = options.tailLines ?? DEFAULT_TAIL_LINES;
	const running = new Map<string, Running>();
	// Container instances whose stream has ended: not read again (a restart brings a new instance).
	const finished = new Set<string>();
	// Pods already there when the view opened: their streams start at the tail.
	let present = new Set<string>();
	let key: string | undefined;
	let stopped = false;
	let seen: {pods: unknown; ui: unknown} | undefined;

	const stopAll = () => {
		for (const r of running.values()) r.stream.stop();
		running.clear();
		finished.clear();
	};

	const start = (target: LogTarget, targetKey: string, pod: Pod, container: string, previous: boolean, revision?: number) => {
		const name = pod.metadata?.name ?? '';
		const streamKey = `${name}/${container}`;
		const instance = previous ? undefined : containerInstance(pod, container);
		const report = (info: LogStreamState) => {
			if (stopped || key !== targetKey) return;
			store.logStream(targetKey, streamKey, {pod: name, container, ...info});
			if (info.phase !== 'ended') return;
			running.delete(streamKey);
			finished.add(`${streamKey}/${instance ?? ''}`);
			store.logLines(targetKey, {pod: name, container, revision}, [{at: Date.now(), second: '', text: streamEndNote(info)}], 'note');
			// A slot is free: a waiting pod may start.
			seen = undefined;
			queueMicrotask(reconcile);
		};
		const stream = followLog({
			conn,
			namespace: conn.namespace,
			pod: name,
			container,
			previous,
			follow: !previous,
			tailLines: target.kind === 'deployment' && present.has(name) ? tailLines : undefined,
			onLines: (lines) => {
				if (!stopped && key === targetKey) store.logLines(targetKey, {pod: name, container, revision}, lines);
			},
			onState: report,
			stillRunning: () => containerRunning(store.getState().pods.get(name), container, instance),
			open: options.open,
			timing: options.timing,
		});
		running.set(streamKey, {stream, instance});
	};

	// What to stream now, in order of preference: the deployment's pods newest revision first, each container.
	const wanted = (state: CockpitState, target: LogTarget): {pod: Pod; container: string; revision?: number}[] => {
		if (target.kind === 'pod') {
			const pod = state.pods.get(target.pod);
			const container = target.container ?? pod?.spec?.containers?.[0]?.name;
			if (!pod || !container) return [];
			return [{pod, container}];
		}
		const owners = selectPodOwners(selectReplicaSets(state));
		const out: {pod: Pod; container: string; revision?: number}[] = [];
		for (const pod of selectPods(state)) {
			const revision = owners(pod)?.revision;
			for (const c of pod.spec?.containers ?? [])
				if (c.name) out.push({pod, container: c.name, revision: revision && revision > 0 ? revision : undefined});
		}
		return out;
	};

	const reconcile = () => {
		if (stopped) return;
		const state = store.getState();
		const target = shownLogTarget(state.ui);
		const nextKey = target ? logTargetKey(target) : undefined;
		if (nextKey !== key) {
			stopAll();
			key = nextKey;
			seen = undefined;
			present = new Set(state.pods.keys());
		}
		if (!target || key === undefined) return;
		// Only pods and the view decide what to stream: frames of log lines alone need no look.
		if (seen && seen.pods === state.pods && seen.ui === state.ui && running.size < maxStreams) return;
		seen = {pods: state.pods, ui: state.ui};
		const previous = target.kind === 'pod' && target.previous === true;
		let waiting = 0;
		for (const w of wanted(state, target)) {
			const name = w.pod.metadata?.name ?? '';
			const streamKey = `${name}/${w.container}`;
			if (running.has(streamKey)) continue;
			if (!previous && !containerStarted(w.pod, w.container)) continue;
			const instance = previous ? 'previous' : (containerInstance(w.pod, w.container) ?? '');
			if (finished.has(`${streamKey}/${previous ? '' : instance}`)) continue;
			if (running.size >= maxStreams) {
				waiting++;
				continue;
			}
			start(target, key, w.pod, w.container, previous, w.revision);
		}
		store.logWaiting(key, waiting, maxStreams);
	};

	const unsubscribe = store.subscribe(reconcile);
	reconcile();
	return {
		stop() {
			if (stopped) return;
			stopped = true;
			unsubscribe();
			stopAll();
		},
	};
}

// The note left in the view when a stream ends.
function streamEndNote(info: LogStreamState): string {
	if (info.end === 'completed') return '— log stream closed: the container stopped';
	if (info.end === 'gone') return '— log stream closed: the pod is gone';
	return `— log stream closed: ${info.error ?? 'error'}`;
}
