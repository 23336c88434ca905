// `status --watch` (and every --json or --fail-fast look): the rollout followed through the cockpit's store, with
// the probe and the timeline when asked, until a verdict. Loaded by run.ts only when a watch is needed.
import {writeFile} from 'node:fs/promises';
import type {Connection} from '../kube/connect.js';
import {rolloutStatus, rolloutStatusLine} from '../model/rollout-status.js';
import type {Deployment} from '../model/types.js';
import {timelineJson} from '../model/timeline.js';
import type {ProbeResult} from '../probe/prober.js';
import {formatServedBy} from '../probe/stats.js';
import {timelineSvg} from '../screen/timeline-svg.js';
import {selectDeployment, selectDiagnosis, selectReplicaSets, selectTimeline} from '../state/selectors.js';
import {CockpitStore, startCockpitData, type ClusterAction} from '../state/store.js';
import type {StatusOptions} from './args.js';
import {
	judge,
	progressRecord,
	sameProgress,
	TIMEOUT_MESSAGE,
	verdictRecord,
	type ProbeTallyRecord,
	type ProgressRecord,
	type Verdict,
} from './report.js';
import {finishText, type StatusIO} from './run.js';
// How long a complete rollout's old pods may take to terminate before the probe's tally is taken anyway (the default
// grace period is 30 s).
const SETTLE_LIMIT_MS = 45_000;

// Watches the rollout through the cockpit's store until a verdict (or one look, without --watch).
export async function watchRollout(conn: Connection, options: StatusOptions, io: StatusIO, startedAt: number): Promise<number> {
	const name = options.deployment;
	let printed: string | undefined;
	let lastProgress: ProgressRecord | undefined;
	let settle: (verdict: Verdict) => void = () => {};
	const done = new Promise<Verdict>((resolve) => {
		settle = resolve;
	});
	let verdict: Verdict | undefined;
	const conclude = (v: Verdict) => {
		if (verdict) return;
		verdict = v;
		settle(v);
	};

	// kubectl prints its sentence at every change of the Deployment: each one is seen here as it arrives, before
	// the store batches it into a frame.
	const onDeployment = (obj: Deployment) => {
		if (verdict) return;
		const status = rolloutStatus(obj);
		const line = status.error === undefined ? rolloutStatusLine(status) : undefined;
		if (line !== undefined && line !== printed && !options.json && options.watch) {
			printed = line;
			io.stdout(`${line}\n`);
		}
		const v = judge(obj, undefined);
		if (v && options.watch) conclude(v);
	};
	const tap = (action: ClusterAction) => {
		if (!('kind' in action) || action.kind !== 'deployments') return;
		if (action.type === 'sync') {
			const obj = (action.items as Deployment[]).find((d) => d.metadata?.name === name);
			if (obj) onDeployment(obj);
			else if (options.watch) conclude({result: 'deleted', exitCode: 1, message: 'error: object has been deleted'});
		} else if (action.type === 'event' && (action.obj as Deployment).metadata?.name === name) {
			if (action.event === 'DELETED') conclude({result: 'deleted', exitCode: 1, message: 'error: object has been deleted'});
			else onDeployment(action.obj as Deployment);
			// A JSON record for this change, not one for the frame that would fold it with the next.
			if (options.json && !verdict) store.flush();
		}
	};
	const store = new CockpitStore(
		{context: conn.contextName, server: conn.clusterServer, namespace: conn.namespace, deploymentName: name},
		{onClusterAction: tap, now: io.now},
	);
	const data = startCockpitData(conn, store, {fetchServerVersion: false});
	const probe = options.probe ? await startProbe(conn, store, options.probe, options.probeIntervalMs) : undefined;

	// JSON progress at each change of the counts or the sentence; the fail-fast diagnosis as soon as it holds (the
	// store's 1 s tick moves the clock); a required watch refused or unreachable before its first list: exit 2.
	const onStore = () => {
		const state = store.getState();
		const deployment = selectDeployment(state);
		if (!deployment) return;
		const ready = state.synced.deployments && state.synced.replicaSets && (!options.failFast || state.synced.pods);
		if (options.json && ready && !verdict) emitProgress(deployment, state);
		const failing = ['deployments', 'replicaSets', ...(options.failFast ? ['pods'] : [])]
			.map((kind) => ({kind, w: state.connection.byKind[kind]}))
			.find(({kind, w}) => w?.phase === 'error' && !state.synced[kind as 'pods']);
		if (failing) conclude({result: 'error', exitCode: 2, message: `cannot watch ${failing.kind}: ${failing.w?.error ?? 'refused'}`});
		if (!ready || verdict) return;
		const diagnosis = options.failFast ? selectDiagnosis(state, options.failFastAfterMs) : undefined;
		const v = judge(deployment, diagnosis);
		if (v) conclude(v);
		// One look: what the picture says once everything is listed (events may lag; they only add words).
		else if (!options.watch) conclude({result: 'not-complete', exitCode: 1, message: rolloutStatusLine(rolloutStatus(deployment))});
	};
	const emitProgress = (deployment: Deployment, state: ReturnType<CockpitStore['getState']>) => {
		const record = progressRecord(deployment, selectReplicaSets(state), io.now());
		if (sameProgress(lastProgress, record)) return;
		lastProgress = record;
		io.stdout(`${JSON.stringify(record)}\n`);
	};
	const unsubscribe = store.subscribe(onStore);
	const timer =
		options.watch && options.timeoutMs > 0
			? setTimeout(() => conclude({result: 'timeout', exitCode: 1, message: TIMEOUT_MESSAGE}), options.timeoutMs)
			: undefined;
	const onAbort = () => conclude({result: 'not-complete', exitCode: 1, message: 'error: interrupted before the rollout finished'});
	io.signal?.addEventListener('abort', onAbort, {once: true});

	const result = await done;
	clearTimeout(timer);
	// A complete rollout still drops requests while its old pods terminate: the probe's window stays open until they
	// are gone and the settling time has passed, as the cockpit's verdict does, and the tally and timeline cover it.
	if (probe && result.result === 'complete') await probe.settled(io.signal);
	io.signal?.removeEventListener('abort', onAbort);
	// The last changes that arrived with the verdict, for the last progress record and the timeline.
	store.flush();
	const timeline = options.json || options.timelineSvg !== undefined ? selectTimeline(store.getState(), io.now()) : undefined;
	if (options.json) {
		const deployment = selectDeployment(store.getState());
		if (deployment && result.exitCode !== 2) emitProgress(deployment, store.getState());
	}
	unsubscribe();
	data.stop();
	// Its timers must not hold the process; its last state is still read below.
	store.dispose();
	const tally = probe ? await probe.stop() : undefined;
	const where = {namespace: conn.namespace, deployment: name};
	const saved = timeline && options.timelineSvg !== undefined ? await saveSvg(options.timelineSvg, timelineSvg(timeline)) : undefined;
	if (options.json) {
		io.stdout(`${JSON.stringify(verdictRecord(result, where, {now: io.now(), startedAt}, tally, timeline && timelineJson(timeline)))}\n`);
		if (result.exitCode === 2) io.stderr(`rollout-cockpit status: ${result.message}\n`);
		if (saved) io.stderr(`rollout-cockpit status: ${saved}\n`);
		return saved ? 2 : result.exitCode;
	}
	// One look says the sentence first, as kubectl --watch=false does (a verdict line may follow it).
	const last = selectDeployment(store.getState());
	const lastStatus = last && rolloutStatus(last);
	if (!options.watch && lastStatus && lastStatus.error === undefined) {
		printed = rolloutStatusLine(lastStatus);
		io.stdout(`${printed}\n`);
	}
	if (tally) for (const line of tallyLines(tally)) io.stdout(`${line}\n`);
	if (result.exitCode === 2) {
		io.stderr(`rollout-cockpit status: ${result.message}\n`);
		return 2;
	}
	const exitCode = result.message === printed ? result.exitCode : finishText(io, result);
	if (saved) io.stderr(`rollout-cockpit status: ${saved}\n`);
	return saved ? 2 : exitCode;
}

// Writes the timeline's SVG (replacing the file, as the user named it); resolves with what went wrong, if anything.
async function saveSvg(file: string, svg: string): Promise<string | undefined> {
	try {
		await writeFile(file, svg);
		return undefined;
	} catch (error) {
		return `cannot write the timeline to ${file}: ${(error as Error).message}`;
	}
}

// The probe while waiting, as the cockpit runs it (probe/follow.ts): its results go into the store, so the timeline
// shows its failures and the pods each episode is blamed on; every result is also kept for the verdict's tally.
async function startProbe(
	conn: Connection,
	store: CockpitStore,
	url: string,
	intervalMs: number,
): Promise<{settled(signal?: AbortSignal): Promise<void>; stop(): Promise<ProbeTallyRecord>}> {
	const [{ProbeSession}, {followCockpit}, stats] = await Promise.all([
		import('../probe/session.js'),
		import('../probe/follow.js'),
		import('../probe/stats.js'),
	]);
	const results: ProbeResult[] = [];
	const session = new ProbeSession({onResult: (r) => results.push(r)});
	const follow = followCockpit(session, store, {conn, url, prober: {intervalMs}});
	return {
		// Resolves when the rollout's window has closed (its verdict is in), after SETTLE_LIMIT_MS at most, or on abort.
		settled: (signal) =>
			new Promise<void>((resolve) => {
				const finish = () => {
					clearTimeout(limit);
					unsubscribe();
					signal?.removeEventListener('abort', finish);
					resolve();
				};
				const check = () => {
					if (session.getSnapshot().open === undefined) finish();
				};
				const limit = setTimeout(finish, SETTLE_LIMIT_MS);
				const unsubscribe = session.subscribe(check);
				signal?.addEventListener('abort', finish, {once: true});
				check();
			}),
		async stop() {
			await follow.stop();
			const s = stats.summarize([...results].sort((a, b) => a.seq - b.seq));
			const round = (v: number | undefined) => (v === undefined ? null : Math.round(v * 10) / 10);
			return {
				url,
				probes: s.probes,
				failed: s.failed,
				byReason: s.byReason,
				p50Ms: round(s.p50),
				p99Ms: round(s.p99),
				maxMs: s.probes > s.failed ? round(s.maxLatencyMs) : null,
				servedBy: s.servedBy,
			};
		},
	};
}

// The tally as text, after the last sentence.
function tallyLines(t: ProbeTallyRecord): string[] {
	const reasons = Object.entries(t.byReason)
		.map(([r, n]) => `${r} ${n}`)
		.join(', ');
	const ms = (v: number | null) => (v === null ? '-' : `${v} ms`);
	return [
		`probe ${t.url}: ${t.probes} probes, ${t.failed} failed${reasons ? ` (${reasons})` : ''}, p50 ${ms(t.p50Ms)}, p99 ${ms(t.p99Ms)}, max ${ms(t.maxMs)}`,
		formatServedBy(t.servedBy),
	];
}
