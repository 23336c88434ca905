// What the simulated processes do, read from their specs: image references, preStop durations, how long a
// command runs and its exit code; separate because these are pure text rules with no kubelet state.

/** `docker.io/library/nginx:9.9` for an image as the user wrote it. */
export function fullReference(image: string): string {
	let s = image.trim();
	if (!/:[^/]+$/.test(s) && !s.includes('@')) s += ':latest';
	const first = s.split('/')[0]!;
	if (s.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return s;
	return s.includes('/') ? `docker.io/${s}` : `docker.io/library/${s}`;
}

/** How long a preStop hook runs: a sleep action or an exec of `sleep N`; other hooks are quick; none is undefined. */
export function preStopMs(preStop: any): number | undefined {
	if (!preStop) return undefined;
	if (preStop.sleep && typeof preStop.sleep.seconds === 'number') return preStop.sleep.seconds * 1000;
	const command: string[] = preStop.exec?.command ?? [];
	const m = /(?:^|[\s;&|/])sleep\s+(\d+(?:\.\d+)?)/.exec(command.join(' '));
	if (m) return Number(m[1]) * 1000;
	return 50;
}

/** How long a command-running container (busybox) runs: `sleep N`, forever for loops and `sleep infinity`. */
export function commandRunMs(spec: any, quickMs: number): number {
	const text = [...(spec.command ?? []), ...(spec.args ?? [])].join(' ');
	if (/sleep\s+inf(inity)?\b|tail\s+-f|while\s+(true|:)|for\s*\(\(\s*;\s*;\s*\)\)/.test(text)) return Number.POSITIVE_INFINITY;
	const m = /(?:^|[\s;&|/])sleep\s+(\d+(?:\.\d+)?)/.exec(text);
	if (m) return Number(m[1]) * 1000;
	return quickMs;
}

/** The exit code of a command that ends with `exit N` (0 otherwise). */
export function commandExitCode(spec: any): number {
	const text = [...(spec.command ?? []), ...(spec.args ?? [])].join(' ');
	const m = /\bexit\s+(\d+)/.exec(text);
	return m ? Number(m[1]) : 0;
}
