// What the benchmark reads (scripts/bench.mjs), when ROLLOUT_COCKPIT_TIMINGS names a file: start-up marks, and one
// line per frame drawn with when it was drawn, the bytes the process had written to its terminal, the pods the
// frame counts, the newest pod change in the state it was painted from, and the pods on screen whose row now
// shows a newer version. Loaded only then; the cockpit pays nothing for it otherwise.
import {appendFileSync} from 'node:fs';
import type {CockpitStore} from '../state/store.js';
import type {FrameWriter} from './frame-writer.js';

const file = process.env.ROLLOUT_COCKPIT_TIMINGS ?? '';
let written = 0;

// Counts every byte the process writes to stdout (frames, and the alternate screen's codes around them).
export function countStdout(): void {
	const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
	process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
		written += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
		return write(chunk, ...rest);
	}) as typeof process.stdout.write;
}

// Each line also has the CPU time spent so far (cpuMs): the machine is shared, and wall time waits for the cores.
function record(entry: Record<string, unknown>): void {
	// Appended at once, so the benchmark reads them while the cockpit runs; Date.now() is the clock the sim logs with.
	const cpu = process.cpuUsage();
	const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
	appendFileSync(file, `${JSON.stringify({...entry, t: Date.now(), ms: Math.round(performance.now()), cpuMs})}\n`);
}

// A start-up mark: ms since the process started, and the resident memory then.
export function mark(name: string): void {
	record({name, rssMb: Math.round(process.memoryUsage.rss() / 1048576)});
}

// One line per draw of the cockpit's frames. The screen model is loaded here, not at start: the start-up marks must
// not make the first frame wait for it.
export async function traceDraws(store: CockpitStore, writer: FrameWriter): Promise<void> {
	const {screen} = await import('../screen/screen.js');
	const shown = new Map<string, string>();
	let window = new Set<string>();
	writer.onDraw = (info) => {
		const state = store.getState();
		const model = screen(state, {columns: process.stdout.columns || 80, rows: process.stdout.rows || 24});
		const nav = model.nav.pods;
		// Rows on screen whose pod changed since they were last drawn (visible), rows that came onto the screen
		// (entered: the pane grew, or the list moved) and rows that went off it (left): a change made while its row
		// was off screen is not a late row.
		const visible: Record<string, string> = {};
		const entered: Record<string, string> = {};
		const now = new Set<string>();
		if (nav) {
			for (const name of nav.names.slice(nav.start, nav.start + nav.rows)) {
				now.add(name);
				const rv = state.pods.get(name)?.metadata?.resourceVersion ?? '';
				if (!window.has(name)) entered[name] = rv;
				else if (shown.get(name) !== rv) visible[name] = rv;
				shown.set(name, rv);
			}
		}
		const left = [...window].filter((name) => !now.has(name));
		window = now;
		record({
			name: 'draw',
			bytes: info.bytes,
			out: written,
			pods: nav?.names.length ?? 0,
			podsRv: store.appliedVersion('pods'),
			visible,
			entered,
			left,
		});
	};
}
