// Column widths for the cockpit's tables: size each column to its widest cell, as kubectl's tabwriter
// does, then fit the terminal by shrinking the flexible column and dropping the least important ones.
// Pure layout math, tested without a terminal.

// One column of a table.
export type ColumnSpec = {
	key: string;
	header: string;
	// Never narrower than this (a flexible column shrinks down to it before anything is dropped).
	min?: number;
	// Never wider than this, however long its cells.
	max?: number;
	// Lower is dropped first when the table does not fit; columns without a priority are never dropped.
	priority?: number;
	// Takes the width left over (at most one column should flex, e.g. NAME or MESSAGE).
	flex?: boolean;
	// For the flexible column: columns are dropped to give it up to this width; past it, it shrinks
	// (down to min) instead, so a very long name does not push every other column off.
	prefer?: number;
};

// A column placed on screen.
export type FittedColumn = {key: string; header: string; width: number};

// Widths for a table `width` cells wide with `gap` spaces between columns. `cellWidths[key]` is the
// widest cell of each column (the caller measures, so it can cache over thousands of rows).
export function fitColumns(
	specs: readonly ColumnSpec[],
	cellWidths: Readonly<Record<string, number>>,
	width: number,
	gap = 1,
): FittedColumn[] {
	const natural = (s: ColumnSpec) => {
		const w = Math.max(s.header.length, cellWidths[s.key] ?? 0, s.min ?? 0);
		return s.max === undefined ? w : Math.min(w, Math.max(s.max, s.header.length));
	};
	const smallest = (s: ColumnSpec) => (s.flex ? Math.max(s.min ?? s.header.length, 1) : natural(s));
	const wanted = (s: ColumnSpec) => (s.flex ? Math.max(smallest(s), Math.min(natural(s), s.prefer ?? 0)) : natural(s));
	let kept = [...specs];
	const total = (cols: ColumnSpec[], size: (s: ColumnSpec) => number) =>
		cols.reduce((sum, s) => sum + size(s), 0) + gap * Math.max(0, cols.length - 1);
	// Drop the lowest-priority columns until the table fits with the flexible column at its preferred width.
	while (total(kept, wanted) > width) {
		let drop = -1;
		for (let i = 0; i < kept.length; i++) {
			const p = kept[i].priority;
			if (p === undefined) continue;
			if (drop < 0 || p < (kept[drop].priority as number)) drop = i;
		}
		if (drop < 0) break;
		kept = kept.filter((_, i) => i !== drop);
	}
	const widths = kept.map(natural);
	const flexAt = kept.findIndex((s) => s.flex);
	const used = widths.reduce((a, b) => a + b, 0) + gap * Math.max(0, kept.length - 1);
	if (flexAt >= 0) {
		// The flexible column gives up space when too wide, and takes what is left when there is room.
		const others = used - widths[flexAt];
		widths[flexAt] = Math.max(smallest(kept[flexAt]), width - others);
	} else if (used > width) {
		// Nothing flexes and nothing more can be dropped: cut the last column.
		const last = widths.length - 1;
		if (last >= 0) widths[last] = Math.max(1, widths[last] - (used - width));
	}
	return kept.map((s, i) => ({key: s.key, header: s.header, width: widths[i]}));
}

// The widest value of each key over some rows (string length; cells are ASCII in practice).
export function measureCells<R extends object>(rows: readonly R[], keys: readonly (keyof R & string)[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const k of keys) out[k] = 0;
	for (const row of rows) {
		for (const k of keys) {
			const v = row[k];
			const n = v === undefined || v === null ? 0 : String(v).length;
			if (n > out[k]) out[k] = n;
		}
	}
	return out;
}

// Where a window of `height` rows starts so that `selected` stays visible, moving as little as possible
// from `previousStart` (the view scrolls only when the selection leaves it, as in k9s and less).
export function windowStart(previousStart: number, selected: number, height: number, total: number): number {
	if (height <= 0 || total <= height) return 0;
	const maxStart = total - height;
	let start = Math.max(0, Math.min(previousStart, maxStart));
	if (selected < 0) return start;
	if (selected < start) start = selected;
	else if (selected >= start + height) start = selected - height + 1;
	return Math.max(0, Math.min(start, maxStart));
}
