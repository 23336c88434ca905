// Running containers in the simulated kubelet: what the process does (serve, command, crash), startup and
// readiness probes, exits, and the restart decision with CrashLoopBackOff; separate from start-up and termination.
import {commandExitCode, commandRunMs} from './kubelet-process.js';
import type {KubeletRuntime} from './kubelet-runtime.js';
import {willRestart} from './kubelet-status.js';
import {type Ctr, initialBackOffMs, maxBackOffMs, type PodRt} from './kubelet-types.js';
import {goDuration, isoSeconds, simNow} from './util.js';

/** What the process does once running: serve, run its command, or crash; and when it counts as started/ready. */
export function onRunning(k: KubeletRuntime, rt: PodRt, c: Ctr, options: {adopted?: boolean} = {}): void {
	const info = c.info!;
	if (c.init) {
		const ms =
			info.behaviour === 'command' ? commandRunMs(c.spec, k.timings.commandMs) : info.behaviour === 'crash' ? k.timings.crashAfterMs : 500;
		if (info.behaviour === 'crash') k.later(rt, c, ms, () => exitContainer(k, rt, c, 1, 'Error'));
		else if (Number.isFinite(ms)) k.later(rt, c, ms, () => exitContainer(k, rt, c, 0, 'Completed'));
		return;
	}
	if (info.behaviour === 'serve') {
		k.serving.start(
			{namespace: rt.namespace, name: rt.name, uid: rt.uid, podIP: rt.podIP ?? '', nodeName: rt.node},
			{name: c.name, image: c.spec.image, server: info.server ?? '', ports: info.ports},
		);
	} else if (info.behaviour === 'crash') {
		k.later(rt, c, k.timings.crashAfterMs, () => exitContainer(k, rt, c, 1, 'Error'));
	} else {
		const ms = commandRunMs(c.spec, k.timings.commandMs);
		const code = commandExitCode(c.spec);
		if (Number.isFinite(ms)) k.later(rt, c, ms, () => exitContainer(k, rt, c, code, code === 0 ? 'Completed' : 'Error'));
	}
	// An adopted container was started and probed before: a ready one stays ready until something changes.
	if (options.adopted && c.started && c.ready) return;
	const startup = c.spec.startupProbe;
	if (startup && !(options.adopted && c.started)) {
		k.later(rt, c, (startup.initialDelaySeconds ?? 0) * 1000, () => {
			if (c.phase !== 'running') return;
			c.started = true;
			k.writeStatus(rt);
			scheduleReadiness(k, rt, c);
		});
	} else {
		c.started = true;
		scheduleReadiness(k, rt, c);
	}
}

function scheduleReadiness(k: KubeletRuntime, rt: PodRt, c: Ctr): void {
	const probe = c.spec.readinessProbe;
	if (!probe) {
		c.ready = true;
		return;
	}
	const check = () => {
		if (c.phase !== 'running' || rt.terminating) return;
		const failure = probeFailure(k, rt, c, probe);
		if (!failure) {
			if (!c.ready) {
				c.ready = true;
				k.writeStatus(rt);
			}
			return;
		}
		k.record(rt, 'Warning', 'Unhealthy', `Readiness probe failed: ${failure}`, c);
		k.later(rt, c, (probe.periodSeconds ?? 10) * 1000, check);
	};
	k.later(rt, c, (probe.initialDelaySeconds ?? 0) * 1000, check);
}

// An HTTP or TCP probe fails when the process does not listen on the port (or has had SIGTERM).
function probeFailure(_k: KubeletRuntime, rt: PodRt, c: Ctr, probe: any): string | undefined {
	const action = probe.httpGet ?? probe.tcpSocket;
	if (!action) return undefined;
	let port = action.port;
	if (typeof port === 'string' && !/^\d+$/.test(port)) port = (c.spec.ports ?? []).find((p: any) => p.name === port)?.containerPort;
	port = Number(port);
	const listening = c.info?.behaviour === 'serve' && c.info.ports.includes(port) && !c.sigterm;
	if (listening) return undefined;
	const dial = `dial tcp ${rt.podIP}:${port}: connect: connection refused`;
	if (probe.httpGet) {
		const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
		return `Get "${scheme}://${rt.podIP}:${port}${probe.httpGet.path ?? '/'}": ${dial}`;
	}
	return dial;
}

/** A running container exits: the pod finishes if terminating, an init container completes, or a restart is due. */
export function exitContainer(k: KubeletRuntime, rt: PodRt, c: Ctr, exitCode: number, reason: string): void {
	if (c.phase !== 'running') return;
	k.cancelTimers(c, rt);
	const now = k.m.clock.now();
	c.exited = {exitCode, reason, startedAt: isoSeconds(c.startedAt ?? now), finishedAt: isoSeconds(now), containerID: c.containerID ?? ''};
	c.phase = 'exited';
	c.exitedSim = simNow(k.m.clock);
	c.ready = false;
	c.started = false;
	k.serving.stop(rt.namespace, rt.name, rt.uid, c.name);
	k.hooks.exited(rt.uid, c.name, exitCode);
	if (rt.terminating) {
		k.writeStatus(rt);
		k.life.finishIfStopped(rt);
		return;
	}
	if (c.init && exitCode === 0) {
		c.phase = 'done';
		k.writeStatus(rt);
		k.life.advance(rt);
		return;
	}
	k.writeStatus(rt);
	if (!willRestart(rt, c)) return;
	k.later(rt, c, k.timings.restartDecisionMs, () => restart(k, rt, c));
}

// doBackOff: the first restart is at once; each later one waits 10 s, 20 s, 40 s … up to 5 min after the exit.
function restart(k: KubeletRuntime, rt: PodRt, c: Ctr): void {
	if (rt.terminating || !c.exited) return;
	const now = simNow(k.m.clock);
	const finishedAt = c.exitedSim ?? now;
	if (c.crashBackOff !== undefined && now - finishedAt < c.crashBackOff) {
		c.phase = 'backoff';
		c.message = `back-off ${goDuration(c.crashBackOff)} restarting failed container=${c.name} pod=${rt.name}_${rt.namespace}(${rt.uid})`;
		k.record(rt, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${rt.name}_${rt.namespace}(${rt.uid})`, c);
		k.writeStatus(rt);
		k.later(rt, c, finishedAt + c.crashBackOff - now, () => restart(k, rt, c));
		return;
	}
	c.crashBackOff = c.crashBackOff === undefined ? initialBackOffMs : Math.min(c.crashBackOff * 2, maxBackOffMs);
	c.last = c.exited;
	c.restartCount++;
	k.life.startContainer(rt, c);
}

/**
 * A readiness flap: the container's readiness probe fails (an Unhealthy event, the pod not ready) and passes again
 * `downMs` later. Returns false when the container is not running and ready.
 */
export function flapReadiness(k: KubeletRuntime, rt: PodRt, c: Ctr, downMs: number): boolean {
	if (c.phase !== 'running' || !c.ready || rt.terminating) return false;
	c.ready = false;
	k.record(rt, 'Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', c);
	k.writeStatus(rt);
	k.later(rt, c, downMs, () => {
		if (c.phase !== 'running' || rt.terminating || c.ready) return;
		c.ready = true;
		k.writeStatus(rt);
	});
	return true;
}
