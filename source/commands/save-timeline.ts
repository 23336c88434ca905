// T: the timeline on screen written as files for an incident write-up: the SVG picture and the same data as JSON,
// named after the deployment and the time, in the working directory. Never overwrites an existing file.
import {open} from 'node:fs/promises';
import path from 'node:path';
import {timelineJson} from '../model/timeline.js';
import {timelineSvg} from '../screen/timeline-svg.js';
import {selectTimeline} from '../state/selectors.js';
import type {CockpitState} from '../state/store.js';

// "timeline-nginx-20260101-120000": the deployment and the local time, safe as a file name.
export function timelineFileStem(deployment: string, at: number): string {
	const d = new Date(at);
	const p = (n: number) => String(n).padStart(2, '0');
	const stamp = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
	return `timeline-${deployment.replace(/[^a-zA-Z0-9.-]/g, '_')}-${stamp}`;
}

// Writes <stem>.svg and <stem>.json into `dir`; resolves with their paths. An existing file is never replaced.
export async function saveTimeline(state: CockpitState, dir: string): Promise<{svg: string; json: string}> {
	const now = Date.now();
	const timeline = selectTimeline(state, now);
	const stem = path.join(dir, timelineFileStem(timeline.deployment || 'deployment', now));
	const files = {svg: `${stem}.svg`, json: `${stem}.json`};
	await write(files.svg, timelineSvg(timeline));
	await write(files.json, `${JSON.stringify(timelineJson(timeline), null, 2)}\n`);
	return files;
}

async function write(file: string, text: string): Promise<void> {
	// 'wx': fails if the file exists, so a second T in the same second does not overwrite the first.
	const handle = await open(file, 'wx', 0o644);
	try {
		await handle.writeFile(text);
	} finally {
		await handle.close();
	}
}
