// The graceful-rollout check: Deployment settings that let a rollout drop requests, each with one line
// of why and one line of what to change. The surge/unavailable arithmetic is Kubernetes' own
// (apimachinery intstr.GetScaledValueFromIntOrPercent; kubectl/controller deploymentutil.ResolveFenceposts).
import type {Container, Deployment, IntOrString, LifecycleHandler, PodDisruptionBudget, Probe} from './types.js';
import {labelSelectorMatches} from './util.js';

// What a finding predicts the probe will see: the kind of episode it causes, so that the evidence beside it
// counts the right failures (an outage, drops while old pods stop or while new ones start, restarts, a drain,
// or only less capacity, which shows as latency).
export type Expectation = 'outage' | 'scale-down-drops' | 'scale-up-drops' | 'restarts' | 'drain-outage' | 'less-capacity';

export type FindingId =
	| 'recreate-strategy'
	| 'single-replica'
	| 'max-unavailable-all'
	| 'too-few-serving'
	| 'surge-unavailable-zero'
	| 'invalid-rolling-update'
	| 'no-readiness-probe'
	| 'probes-identical'
	| 'min-ready-seconds-zero'
	| 'no-prestop'
	| 'grace-period-too-short'
	| 'no-pdb';

// One finding of the check.
export interface GracefulFinding {
	id: FindingId;
	// The container concerned, for per-container findings.
	container?: string;
	why: string;
	fix: string;
}

// The prediction of each finding: what the probe should see if the setting bites, in a few words.
export const PREDICTIONS: Record<FindingId, {expect?: Expectation; text: string}> = {
	'recreate-strategy': {expect: 'outage', text: 'an outage while the pods are replaced'},
	'single-replica': {expect: 'outage', text: 'an outage at every rollout'},
	'max-unavailable-all': {expect: 'outage', text: 'an outage when every ready pod goes at once'},
	'too-few-serving': {expect: 'less-capacity', text: 'one pod carries all traffic at the low point'},
	'surge-unavailable-zero': {expect: 'less-capacity', text: 'one pod fewer serves at every step'},
	'invalid-rolling-update': {text: 'the rollout cannot proceed'},
	'no-readiness-probe': {expect: 'scale-up-drops', text: 'drops on scale-up'},
	'probes-identical': {expect: 'restarts', text: 'restarts where leaving rotation was enough'},
	'min-ready-seconds-zero': {expect: 'scale-up-drops', text: 'drops on scale-up, old pods go at the first pass'},
	'no-prestop': {expect: 'scale-down-drops', text: 'drops on scale-down'},
	'grace-period-too-short': {expect: 'scale-down-drops', text: 'drops on scale-down'},
	'no-pdb': {expect: 'drain-outage', text: 'an outage if a node drain takes the pods together'},
};

// What the check knows besides the deployment: the namespace's PodDisruptionBudgets (undefined: not read, so
// nothing is said about them).
export type GracefulContext = {pdbs?: readonly PodDisruptionBudget[]};

// Kubernetes' default for both maxSurge and maxUnavailable.
export const DEFAULT_SURGE_UNAVAILABLE = '25%';
// Default terminationGracePeriodSeconds.
export const DEFAULT_GRACE_PERIOD_SECONDS = 30;

// intstr.GetScaledValueFromIntOrPercent: ints as is; "N%" of total, rounded up or down. Throws on anything else.
export function scaledValue(value: IntOrString, total: number, roundUp: boolean): number {
	if (typeof value === 'number') {
		if (!Number.isInteger(value)) throw new Error(`invalid value for IntOrString: ${value} is not an integer`);
		return value;
	}
	if (!value.endsWith('%'))
		throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage (${JSON.stringify(value)})`);
	const digits = value.slice(0, -1);
	if (!/^[+-]?[0-9]+$/.test(digits)) throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(value)}`);
	const percent = Number(digits);
	const exact = (percent * total) / 100;
	return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

// maxSurge and maxUnavailable as pod counts, the way the deployment controller resolves them:
// surge rounds up, unavailable rounds down, both default to 25%, and if both come out 0 unavailable becomes 1.
// For a Recreate Deployment: no surge, and every pod goes down at once.
export function resolveSurgeUnavailable(deployment: Deployment): {maxSurge: number; maxUnavailable: number} {
	const replicas = deployment.spec?.replicas ?? 1;
	const strategy = deployment.spec?.strategy;
	if (strategy?.type === 'Recreate') return {maxSurge: 0, maxUnavailable: replicas};
	const ru = strategy?.rollingUpdate;
	const maxSurge = scaledValue(ru?.maxSurge ?? DEFAULT_SURGE_UNAVAILABLE, replicas, true);
	let maxUnavailable = scaledValue(ru?.maxUnavailable ?? DEFAULT_SURGE_UNAVAILABLE, replicas, false);
	if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
	return {maxSurge, maxUnavailable};
}

const SLEEP_IN_SHELL = /(?:^|[\s;&|(])(?:\/usr)?(?:\/bin\/)?sleep\s+([0-9]+(?:\.[0-9]+)?)(s|m)?(?=$|[\s;&|)])/;

// How long a preStop hook waits before the container gets SIGTERM: the sleep action's seconds, or
// the N of an exec "sleep N" (alone or inside "sh -c"). undefined when there is no such delay.
export function preStopSleepSeconds(container: Container): number | undefined {
	const hook: LifecycleHandler | null | undefined = container.lifecycle?.preStop;
	if (!hook) return undefined;
	if (hook.sleep && typeof hook.sleep.seconds === 'number') return hook.sleep.seconds;
	const command = hook.exec?.command ?? [];
	if (command.length === 0) return undefined;
	const m = SLEEP_IN_SHELL.exec(command.join(' '));
	if (!m) return undefined;
	const n = Number(m[1]);
	return m[2] === 'm' ? n * 60 : n;
}

// The handler of a probe without its timings: what it checks (kube-score's pod-probes-identical compares the
// same: an httpGet's path and port, a tcpSocket's port, an exec's command; we add grpc and the scheme).
function probeHandler(p: Probe): string | undefined {
	if (p.httpGet) return `http ${p.httpGet.scheme ?? 'HTTP'} ${p.httpGet.host ?? ''} ${p.httpGet.port ?? ''} ${p.httpGet.path ?? '/'}`;
	if (p.tcpSocket) return `tcp ${p.tcpSocket.host ?? ''} ${p.tcpSocket.port ?? ''}`;
	if (p.exec) return `exec ${JSON.stringify(p.exec.command ?? [])}`;
	if (p.grpc) return `grpc ${p.grpc.port ?? ''} ${p.grpc.service ?? ''}`;
	return undefined;
}

// True when readiness and liveness check the same thing: a slow moment then restarts the container (liveness)
// at the same time as it takes it out of rotation (readiness), where leaving rotation alone would do.
export function probesIdentical(c: Container): boolean {
	if (!c.readinessProbe || !c.livenessProbe) return false;
	const r = probeHandler(c.readinessProbe);
	return r !== undefined && r === probeHandler(c.livenessProbe);
}

// True when the readiness probe passes at its first check: no initial delay and one success is enough.
export function readinessPassesAtOnce(p: Probe): boolean {
	return (p.initialDelaySeconds ?? 0) <= 0 && (p.successThreshold ?? 1) <= 1;
}

// The PodDisruptionBudgets that cover the deployment's pods (their selector matches the template's labels).
export function coveringBudgets(deployment: Deployment, pdbs: readonly PodDisruptionBudget[]): PodDisruptionBudget[] {
	const labels = deployment.spec?.template?.metadata?.labels;
	const ns = deployment.metadata?.namespace;
	return pdbs.filter(
		(b) =>
			(ns === undefined || b.metadata?.namespace === undefined || b.metadata.namespace === ns) &&
			labelSelectorMatches(b.spec?.selector, labels),
	);
}

// Settings in a Deployment that let its rollouts drop requests. Empty when the rollout can be graceful.
export function gracefulCheck(deployment: Deployment, context: GracefulContext = {}): GracefulFinding[] {
	const findings: GracefulFinding[] = [];
	const spec = deployment.spec ?? {};
	const replicas = spec.replicas ?? 1;
	const recreate = spec.strategy?.type === 'Recreate';

	if (recreate) {
		findings.push({
			id: 'recreate-strategy',
			why: 'strategy Recreate stops every old pod before any new one starts, so the Service has no endpoints for a while',
			fix: 'use strategy RollingUpdate (e.g. maxUnavailable: 0, maxSurge: 1)',
		});
	}
	if (replicas === 1) {
		findings.push({
			id: 'single-replica',
			why: 'with 1 replica, a crash, eviction or node drain leaves nothing serving',
			fix: 'run at least 2 replicas (and a PodDisruptionBudget)',
		});
	}
	if (!recreate && replicas >= 1) {
		try {
			const {maxSurge, maxUnavailable} = resolveSurgeUnavailable(deployment);
			const ru = spec.strategy?.rollingUpdate;
			const surgeGiven = ru?.maxSurge ?? DEFAULT_SURGE_UNAVAILABLE;
			const unavailableGiven = ru?.maxUnavailable ?? DEFAULT_SURGE_UNAVAILABLE;
			const bothZero = maxSurge === 0 && scaledValue(unavailableGiven, replicas, false) === 0;
			if (replicas - maxUnavailable < 1) {
				findings.push({
					id: 'max-unavailable-all',
					why: `maxUnavailable resolves to ${maxUnavailable} of ${replicas} replicas (maxSurge ${maxSurge}), so the rollout may take down every ready pod at once`,
					fix: 'set maxUnavailable: 0 and maxSurge: 1 so a new pod is ready before an old one stops',
				});
			} else if (replicas >= 2 && replicas - maxUnavailable === 1) {
				findings.push({
					id: 'too-few-serving',
					why: `maxUnavailable ${maxUnavailable} of ${replicas} replicas leaves a single ready pod at the low point of the rollout, carrying all the traffic`,
					fix: `lower maxUnavailable (e.g. 0, with maxSurge: 1) or run more replicas`,
				});
			}
			if (bothZero) {
				findings.push({
					id: 'surge-unavailable-zero',
					why: `maxSurge ${JSON.stringify(surgeGiven)} and maxUnavailable ${JSON.stringify(unavailableGiven)} both resolve to 0 of ${replicas}; the controller then takes 1 pod down before its replacement starts`,
					fix: 'set maxSurge: 1 (and maxUnavailable: 0) so each new pod is ready before an old one stops',
				});
			}
		} catch (error) {
			findings.push({
				id: 'invalid-rolling-update',
				why: `rollingUpdate cannot be resolved: ${(error as Error).message}`,
				fix: 'use an integer or a percentage such as "25%" for maxSurge and maxUnavailable',
			});
		}
	}

	const grace = spec.template?.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS;
	const minReady = spec.minReadySeconds ?? 0;
	for (const c of spec.template?.spec?.containers ?? []) {
		const name = c.name ?? '';
		if (!c.readinessProbe) {
			findings.push({
				id: 'no-readiness-probe',
				container: name,
				why: `container ${name} has no readinessProbe, so it receives traffic as soon as it starts, before the app can serve`,
				fix: `add a readinessProbe to ${name} (e.g. httpGet on a health path)`,
			});
		} else {
			if (probesIdentical(c)) {
				findings.push({
					id: 'probes-identical',
					container: name,
					why: `container ${name}'s readinessProbe checks the same as its livenessProbe, so a slow moment restarts it where taking it out of rotation was enough`,
					fix: `make the livenessProbe of ${name} check only that the process lives (another path or port), or drop it`,
				});
			}
			if (minReady <= 0 && readinessPassesAtOnce(c.readinessProbe)) {
				findings.push({
					id: 'min-ready-seconds-zero',
					container: name,
					why: `minReadySeconds is 0 and ${name}'s readinessProbe passes at its first check, so an old pod is stopped the moment a new one answers once`,
					fix: 'set minReadySeconds (e.g. 10) so a new pod must stay ready for a while before old pods go',
				});
			}
		}
		const sleep = preStopSleepSeconds(c);
		if (!c.lifecycle?.preStop) {
			findings.push({
				id: 'no-prestop',
				container: name,
				why: `container ${name} has no preStop delay, so it gets SIGTERM while Services and proxies still route to it`,
				fix: `add lifecycle.preStop to ${name} that sleeps a few seconds (e.g. sleep: {seconds: 5}) before shutdown`,
			});
		} else if (sleep !== undefined && grace <= sleep) {
			findings.push({
				id: 'grace-period-too-short',
				container: name,
				why: `terminationGracePeriodSeconds ${grace} is not longer than the ${sleep}s preStop sleep of ${name}, so it is killed before it can drain`,
				fix: `set terminationGracePeriodSeconds above ${sleep} (e.g. ${Math.ceil(sleep) + 30})`,
			});
		}
	}
	if (context.pdbs !== undefined && replicas >= 2 && coveringBudgets(deployment, context.pdbs).length === 0) {
		// kube-score asks the same of deployments with 2 replicas or more (one replica has its own finding).
		findings.push({
			id: 'no-pdb',
			why: 'no PodDisruptionBudget covers these pods, so a node drain (a rollout of the nodes) may evict all of them at once',
			fix: `add a PodDisruptionBudget selecting ${labelsText(deployment)} with maxUnavailable: 1`,
		});
	}
	return findings;
}

// The template's labels as a selector, for the PodDisruptionBudget fix.
function labelsText(deployment: Deployment): string {
	const labels = Object.entries(deployment.spec?.template?.metadata?.labels ?? {});
	return labels.length === 0 ? 'the pods' : labels.map(([k, v]) => `${k}=${v}`).join(',');
}
