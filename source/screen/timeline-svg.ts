// The timeline as an SVG file (`T`, `status --timeline-svg FILE`), for an incident write-up: the same data as
// the `t` view (model/timeline.ts), drawn as stacked step areas of ready pods per revision in the pods pane's
// colours, the markers as labelled vertical lines, the failure episodes as red bands with each failed probe as a
// tick, and the latency p99 per interval as bars under the chart. Plain SVG 1.1, no script, no external resource.
import type {Timeline} from '../model/timeline.js';
import {readyAt} from '../model/timeline.js';
import {formatClock, formatLatency} from '../probe/stats.js';
import {markerGlyph} from './timeline.js';

// The pods pane's terminal colours as the SVG paints them.
const PALETTE: Record<string, string> = {green: '#2e9e44', yellow: '#d4a017', magenta: '#b03cc4', blue: '#2f6fd0', cyan: '#1a9fb3'};
const OLD = ['yellow', 'magenta', 'blue', 'cyan'];

// The fill of a revision: green for the newest, the old ones by number as the pods pane colours them.
export function revisionFill(revision: number, newest: boolean): string {
	return PALETTE[newest ? 'green' : (OLD[revision % OLD.length] as string)] as string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (n: number) => (Math.round(n * 10) / 10).toString();

export type SvgOptions = {width?: number; height?: number};

// Where things go in the SVG: the time and pod scales, the chart, the probe lane and the p99 bars.
export function svgGeometry(t: Timeline, o: SvgOptions = {}) {
	const width = o.width ?? 960;
	const height = o.height ?? 420;
	const left = 56;
	const right = 16;
	const top = 40;
	const chartH = Math.round(height * 0.5);
	const laneTop = top + chartH + 28;
	const laneH = 16;
	const p99Top = laneTop + laneH + 14;
	const p99H = 40;
	const plotW = width - left - right;
	const span = Math.max(1, t.to - t.from);
	const maxReady = Math.max(1, t.maxReady);
	return {
		width,
		height,
		left,
		top,
		chartH,
		laneTop,
		laneH,
		p99Top,
		p99H,
		plotW,
		maxReady,
		x: (at: number) => left + ((Math.min(t.to, Math.max(t.from, at)) - t.from) / span) * plotW,
		y: (pods: number) => top + chartH - (pods / maxReady) * chartH,
	};
}

// The SVG document.
export function timelineSvg(t: Timeline, o: SvgOptions = {}): string {
	const {width, height, left, top, chartH, laneTop, laneH, p99Top, p99H, plotW, maxReady, x, y} = svgGeometry(t, o);
	const newest = t.revisions[0]?.revision;
	const out: string[] = [];
	out.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
	);
	out.push(
		`<title>Rollout timeline of deployment ${esc(t.deployment)}, ${new Date(t.from).toISOString()} to ${new Date(t.to).toISOString()}</title>`,
	);
	out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
	out.push(
		`<text x="${left}" y="20" font-size="14" font-weight="bold">Rollout of deployment ${esc(t.deployment)}: ready pods per revision</text>`,
	);

	// Failure episodes behind everything: a red band over the chart and the lanes.
	for (const e of t.episodes) {
		const x0 = x(e.from);
		const w = Math.max(2, x(e.to) - x0);
		out.push(
			`<rect class="episode" data-kind="${e.kind}" x="${num(x0)}" y="${top}" width="${num(w)}" height="${p99Top + p99H - top}" fill="#e53935" fill-opacity="0.13"><title>${esc(e.text)}</title></rect>`,
		);
	}

	// The stacked areas: the step points of every series, oldest revision at the bottom. No outline: where a revision
	// has no ready pod its area has no height, and an outline there drew its colour along the top of the revisions
	// below (a new revision shown before it served one request).
	const order = [...t.revisions].sort((a, b) => a.revision - b.revision);
	const steps = [
		...new Set([t.from, ...t.series.flatMap((s) => s.points.map((p) => p.at)).filter((at) => at > t.from && at < t.to), t.to]),
	].sort((a, b) => a - b);
	const below = steps.map(() => 0);
	for (const r of order) {
		const s = t.series.find((x0) => x0.revision === r.revision);
		if (!s) continue;
		const upper = steps.map((at, i) => (below[i] as number) + readyAt(s.points, at));
		const pts: string[] = [];
		for (let i = 0; i < steps.length; i++) {
			const x0 = x(steps[i] as number);
			const x1 = i + 1 < steps.length ? x(steps[i + 1] as number) : x0;
			pts.push(`${num(x0)},${num(y(upper[i] as number))}`, `${num(x1)},${num(y(upper[i] as number))}`);
		}
		for (let i = steps.length - 1; i >= 0; i--) {
			const x0 = x(steps[i] as number);
			const x1 = i + 1 < steps.length ? x(steps[i + 1] as number) : x0;
			pts.push(`${num(x1)},${num(y(below[i] as number))}`, `${num(x0)},${num(y(below[i] as number))}`);
		}
		const fill = revisionFill(r.revision, r.revision === newest);
		const data = s.points.map((p) => `${p.at}:${p.ready}`).join(' ');
		out.push(
			`<polygon class="series" data-revision="${r.revision}" data-points="${data}" points="${pts.join(' ')}" fill="${fill}"><title>revision ${r.revision} (${esc(r.replicaSet)}${r.image ? `, ${esc(r.image)}` : ''})</title></polygon>`,
		);
		for (let i = 0; i < steps.length; i++) below[i] = upper[i] as number;
	}

	// Axes: pods on the left, time under the lanes.
	out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + chartH}" stroke="#555"/>`);
	out.push(`<line x1="${left}" y1="${top + chartH}" x2="${left + plotW}" y2="${top + chartH}" stroke="#555"/>`);
	for (let k = 0; k <= maxReady; k++) {
		if (maxReady > 10 && k % Math.ceil(maxReady / 10) !== 0) continue;
		out.push(`<text x="${left - 6}" y="${num(y(k) + 4)}" text-anchor="end" fill="#555">${k}</text>`);
	}
	out.push(
		`<text x="14" y="${top + chartH / 2}" transform="rotate(-90 14 ${top + chartH / 2})" text-anchor="middle" fill="#555">ready pods</text>`,
	);

	// Markers: a dashed line through the chart with its letter on top.
	for (const m of t.markers) {
		const mx = x(m.at);
		const color = m.kind === 'deadline' ? '#c62828' : m.kind === 'complete' ? '#2e7d32' : '#455a64';
		out.push(
			`<g class="marker" data-kind="${m.kind}"><line x1="${num(mx)}" y1="${top - 4}" x2="${num(mx)}" y2="${top + chartH}" stroke="${color}" stroke-dasharray="3,3"/><text x="${num(mx)}" y="${top - 7}" text-anchor="middle" fill="${color}" font-weight="bold">${esc(markerGlyph(m))}</text><title>${esc(formatClock(m.at))} ${esc(m.text)}</title></g>`,
		);
	}

	// The probe lane: each failure as a red tick.
	out.push(`<text x="${left - 6}" y="${laneTop + 12}" text-anchor="end" fill="#555">probe</text>`);
	out.push(`<rect x="${left}" y="${laneTop}" width="${plotW}" height="${laneH}" fill="#f1f8e9" stroke="#c5e1a5"/>`);
	for (const f of t.failures) {
		out.push(
			`<rect class="failure" x="${num(x(f.at) - 1)}" y="${laneTop}" width="2" height="${laneH}" fill="#d32f2f"><title>${esc(formatClock(f.at))} ${esc(f.error ?? 'failed')}</title></rect>`,
		);
	}

	// p99 per interval.
	const maxP99 = Math.max(0, ...t.intervals.map((i) => i.p99 ?? 0));
	out.push(`<text x="${left - 6}" y="${p99Top + p99H / 2 + 4}" text-anchor="end" fill="#555">p99</text>`);
	for (const i of t.intervals) {
		if (i.p99 === undefined || maxP99 <= 0) continue;
		const h = Math.max(1, (i.p99 / maxP99) * p99H);
		out.push(
			`<rect class="p99" x="${num(x(i.from))}" y="${num(p99Top + p99H - h)}" width="${num(Math.max(1, x(i.to) - x(i.from) - 1))}" height="${num(h)}" fill="#1a9fb3"><title>p99 ${esc(formatLatency(i.p99))}</title></rect>`,
		);
	}
	if (maxP99 > 0)
		out.push(`<text x="${left + plotW}" y="${p99Top - 3}" text-anchor="end" fill="#555">p99 up to ${esc(formatLatency(maxP99))}</text>`);

	// Time labels.
	const axisY = p99Top + p99H + 14;
	for (const [at, anchor] of [
		[t.from, 'start'],
		[(t.from + t.to) / 2, 'middle'],
		[t.to, 'end'],
	] as const)
		out.push(`<text x="${num(x(at))}" y="${axisY}" text-anchor="${anchor}" fill="#555">${esc(formatClock(at))}</text>`);

	// Legend: revisions, then the episodes in words.
	let ly = axisY + 18;
	let lx = left;
	for (const r of t.revisions) {
		const fill = revisionFill(r.revision, r.revision === newest);
		const label = `revision ${r.revision}${r.image ? ` ${r.image}` : ''}`;
		out.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${fill}"/><text x="${lx + 14}" y="${ly}">${esc(label)}</text>`);
		lx += 24 + label.length * 6;
	}
	for (const e of t.episodes.slice(0, 3)) {
		ly += 14;
		if (ly > height - 4) break;
		out.push(`<text x="${left}" y="${ly}" fill="#c62828">${esc(e.text)}</text>`);
	}
	out.push('</svg>');
	return `${out.join('\n')}\n`;
}
