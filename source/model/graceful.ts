// The graceful-rollout check: Deployment settings that let a rollout drop requests, each with one line
// of why and one line of what to change. The surge/unavailable arithmetic is Kubernetes' own
// (apimachinery intstr.GetScaledValueFromIntOrPercent; kubectl/controller deploymentutil.ResolveFenceposts).
import type {Container, Deployment, IntOrString, LifecycleHandler} from './types.js';

// One finding of the check.
export interface GracefulFinding {
	id:
		| 'recreate-strategy'
		| 'single-replica'
		| 'max-unavailable-all'
		| 'invalid-rolling-update'
		| 'no-readiness-probe'
		| 'no-prestop'
		| 'grace-period-too-short';
	// The container concerned, for per-container findings.
	container?: string;
	why: string;
	fix: string;
}

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

// Settings in a Deployment that let its rollouts drop requests. Empty when the rollout can be graceful.
export function gracefulCheck(deployment: Deployment): GracefulFinding[] {
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
			if (replicas - maxUnavailable < 1) {
				findings.push({
					id: 'max-unavailable-all',
					why: `maxUnavailable resolves to ${maxUnavailable} of ${replicas} replicas (maxSurge ${maxSurge}), so the rollout may take down every ready pod at once`,
					fix: 'set maxUnavailable: 0 and maxSurge: 1 so a new pod is ready before an old one stops',
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
	for (const c of spec.template?.spec?.containers ?? []) {
		const name = c.name ?? '';
		if (!c.readinessProbe) {
			findings.push({
				id: 'no-readiness-probe',
				container: name,
				why: `container ${name} has no readinessProbe, so it receives traffic as soon as it starts, before the app can serve`,
				fix: `add a readinessProbe to ${name} (e.g. httpGet on a health path)`,
			});
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
	return findings;
}
