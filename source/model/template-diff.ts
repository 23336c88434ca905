// Line diff of two pod templates for the history's `d` key: templateLines (YAML-ish), templateDiff (LCS, elided context), formatDiff.
import type {PodTemplateSpec} from './types.js';
import {templateWithoutHash} from './util.js';

// One line of a template diff: unchanged (' '), removed ('-'), added ('+'), or elided context ('…').
export interface DiffLine {
	op: ' ' | '-' | '+' | '…';
	text: string;
}

const PLAIN_SCALAR = /^[A-Za-z0-9_./@%+=,-][A-Za-z0-9_./@%+=,: -]*$/;

function scalar(v: unknown): string {
	if (typeof v === 'string') {
		// Quote what YAML would read as another type (bools, numbers, timestamps) or as structure.
		const risky =
			v === '' ||
			v !== v.trim() ||
			/: |:$| #/.test(v) ||
			/^(true|false|null|yes|no|on|off|~|[-+]?[0-9.]+(e[-+]?[0-9]+)?)$/i.test(v) ||
			/^\d{4}-\d{2}-\d{2}/.test(v);
		return !risky && PLAIN_SCALAR.test(v) ? v : JSON.stringify(v);
	}
	if (v instanceof Date) return v.toISOString();
	if (typeof v === 'object' && v !== null) return JSON.stringify(v);
	return String(v);
}

function isEmpty(v: unknown): boolean {
	if (v === undefined || v === null) return true;
	if (Array.isArray(v)) return v.length === 0;
	if (typeof v === 'object' && !(v instanceof Date)) return Object.keys(v).every((k) => isEmpty((v as Record<string, unknown>)[k]));
	return false;
}

function orderedKeys(o: Record<string, unknown>): string[] {
	return Object.keys(o)
		.filter((k) => !isEmpty(o[k]))
		.sort((a, b) => (a === 'name' ? -1 : b === 'name' ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

function yamlLines(v: unknown, indent: string, out: string[]): void {
	if (Array.isArray(v)) {
		for (const item of v) {
			if (item !== null && typeof item === 'object' && !(item instanceof Date) && !Array.isArray(item)) {
				const sub: string[] = [];
				yamlLines(item, `${indent}  `, sub);
				if (sub.length === 0) out.push(`${indent}- {}`);
				else out.push(`${indent}- ${sub[0].slice(indent.length + 2)}`, ...sub.slice(1));
			} else {
				out.push(`${indent}- ${scalar(item)}`);
			}
		}
		return;
	}
	const o = v as Record<string, unknown>;
	for (const k of orderedKeys(o)) {
		const val = o[k];
		const key = PLAIN_SCALAR.test(k) && !k.includes(': ') ? k : JSON.stringify(k);
		if (val !== null && typeof val === 'object' && !(val instanceof Date)) {
			out.push(`${indent}${key}:`);
			yamlLines(val, Array.isArray(val) ? indent : `${indent}  `, out);
		} else {
			out.push(`${indent}${key}: ${scalar(val)}`);
		}
	}
}

// A pod template as YAML-ish lines (keys sorted, "name" first, empty values and pod-template-hash left out).
export function templateLines(template: PodTemplateSpec | null | undefined): string[] {
	const out: string[] = [];
	yamlLines(templateWithoutHash(template), '', out);
	return out;
}

// Line diff (longest common subsequence) of two pod templates, e.g. revision N against the current one.
// context: unchanged lines kept around each change; longer unchanged runs collapse to one '…' line.
export function templateDiff(a: PodTemplateSpec | null | undefined, b: PodTemplateSpec | null | undefined, context = 3): DiffLine[] {
	const x = templateLines(a);
	const y = templateLines(b);
	const n = x.length;
	const m = y.length;
	// lcs[i][j]: LCS length of x[i..] and y[j..].
	const lcs: Uint16Array[] = Array.from({length: n + 1}, () => new Uint16Array(m + 1));
	for (let i = n - 1; i >= 0; i--) {
		for (let j = m - 1; j >= 0; j--) {
			lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
		}
	}
	const full: DiffLine[] = [];
	let i = 0;
	let j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && x[i] === y[j]) {
			full.push({op: ' ', text: x[i]});
			i++;
			j++;
		} else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
			// On a tie the removal comes first, so a changed line reads "- old" then "+ new".
			full.push({op: '-', text: x[i]});
			i++;
		} else {
			full.push({op: '+', text: y[j]});
			j++;
		}
	}
	if (context < 0) return full;
	const keep = new Array<boolean>(full.length).fill(false);
	full.forEach((line, k) => {
		if (line.op === ' ') return;
		for (let d = Math.max(0, k - context); d <= Math.min(full.length - 1, k + context); d++) keep[d] = true;
	});
	const out: DiffLine[] = [];
	for (let k = 0; k < full.length; k++) {
		if (keep[k]) {
			out.push(full[k]);
			continue;
		}
		let end = k;
		while (end + 1 < full.length && !keep[end + 1]) end++;
		out.push({op: '…', text: `${end - k + 1} unchanged line${end === k ? '' : 's'}`});
		k = end;
	}
	return out;
}

// Diff lines as text: "- old", "+ new", "  same", "… 12 unchanged lines".
export function formatDiff(lines: DiffLine[]): string {
	return lines.map((l) => `${l.op} ${l.text}`).join('\n');
}
