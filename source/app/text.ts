// Text as terminal cells: each grapheme with its width (1, or 2 for East Asian wide and emoji) and its style, cut
// or wrapped to a width the way the cockpit has always drawn it (Ink's Text: cli-truncate's "…" at the end or
// the start, wrap-ansi's word wrap with `hard: true, trim: false`). Control characters become spaces, so text
// from the cluster (an event's message) can neither break a row nor send the terminal an escape sequence.
import stringWidth from 'string-width';

// One cell of text: a grapheme (one character in practice) and its style; `width` 2 takes two columns.
export type Cell = {ch: string; width: 1 | 2; style: number};

// Made on first use: building it loads ICU's break rules, and the first frames need none (their text is simple()).
let segmenter: Intl.Segmenter | undefined;

// True when every UTF-16 unit is a plain one-column character: printable ASCII, Latin, and the punctuation,
// arrows, box drawing, blocks and shapes the cockpit draws with (U+2000-U+25FF minus the zero-width ones), and
// Braille patterns.
function simple(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c >= 0x20 && c < 0x7f) continue;
		if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x300 && c < 0x370)) return false;
		if (c >= 0x2000 && c < 0x2600) {
			if (c <= 0x200f || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f)) return false;
			// Emoji presentation characters in this range (⌚⌛⏩-⏳⏸-⏺ and the like) take two columns.
			if ((c >= 0x231a && c <= 0x231b) || (c >= 0x23e9 && c <= 0x23fa) || (c >= 0x25fd && c <= 0x25fe)) return false;
			continue;
		}
		if (c >= 0xa0 && c < 0x1100) continue;
		// Braille patterns (the spinner's frames): one column each, no emoji among them. Without this the boot frame's
		// spinner sent the first frame through string-width, whose emoji regex took ~0.1 s of CPU to compile.
		if (c >= 0x2800 && c < 0x2900) continue;
		// The check mark and the ballot X the cockpit marks verdicts with (one column, no emoji): a diagnosis line with
		// ✗ in it otherwise went through the segmenter and string-width on every frame that painted it.
		if (c === 0x2713 || c === 0x2717) continue;
		return false;
	}
	return true;
}

// The cells of `text` in `style`; control characters (newline, tab, escape) become one space each.
export function cellsOf(text: string, style: number, out: Cell[] = []): Cell[] {
	if (simple(text)) {
		for (let i = 0; i < text.length; i++) out.push({ch: text[i], width: 1, style});
		return out;
	}
	segmenter ??= new Intl.Segmenter();
	for (const {segment} of segmenter.segment(text)) {
		const code = segment.codePointAt(0) ?? 0;
		if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
			out.push({ch: ' ', width: 1, style});
			continue;
		}
		const w = stringWidth(segment);
		// Zero-width clusters (a lone combining mark, a format character) are dropped: they have no cell.
		if (w === 0) continue;
		out.push({ch: segment, width: w >= 2 ? 2 : 1, style});
	}
	return out;
}

// Columns the cells take.
export function widthOf(cells: readonly Cell[], from = 0, to = cells.length): number {
	let w = 0;
	for (let i = from; i < to; i++) w += cells[i].width;
	return w;
}

// Columns `text` takes on a terminal.
export function textWidth(text: string): number {
	return simple(text) ? text.length : widthOf(cellsOf(text, 0));
}

// The cells cut to `columns`: the end replaced by "…" (`from: 'end'`) or the start (`from: 'start'`), the "…"
// in the style of the text beside it, as cli-truncate does.
export function truncateCells(cells: readonly Cell[], columns: number, from: 'end' | 'start' = 'end'): Cell[] {
	if (columns < 1) return [];
	const total = widthOf(cells);
	if (total <= columns) return cells as Cell[];
	if (cells.length === 0) return [];
	if (from === 'end') {
		const out: Cell[] = [];
		let w = 0;
		for (const c of cells) {
			if (w + c.width > columns - 1) break;
			out.push(c);
			w += c.width;
		}
		const style = (out.at(-1) ?? cells[0]).style;
		out.push({ch: '…', width: 1, style});
		return out;
	}
	const tail: Cell[] = [];
	let w = 0;
	for (let i = cells.length - 1; i >= 0; i--) {
		const c = cells[i];
		if (w + c.width > columns - 1) break;
		tail.push(c);
		w += c.width;
	}
	tail.reverse();
	return [{ch: '…', width: 1, style: (tail[0] ?? cells.at(-1)!).style}, ...tail];
}

// Appends `word`'s cells to the rows, breaking it wherever a row is full (wrap-ansi's wrapWord).
function wrapWord(rows: Cell[][], word: readonly Cell[], columns: number): void {
	let visible = widthOf(rows[rows.length - 1]);
	for (let i = 0; i < word.length; i++) {
		const c = word[i];
		if (visible + c.width <= columns) rows[rows.length - 1].push(c);
		else {
			rows.push([c]);
			visible = 0;
		}
		visible += c.width;
		if (visible === columns && i < word.length - 1) {
			rows.push([]);
			visible = 0;
		}
	}
}

// The cells in rows of at most `columns`: words (split at spaces) move to the next row when they do not fit, words
// longer than a row are broken, and every space is kept (wrap-ansi with hard: true, trim: false).
export function wrapCells(cells: readonly Cell[], columns: number): Cell[][] {
	if (columns < 1) return [];
	const words: Cell[][] = [[]];
	const spaces: Cell[] = [];
	for (const c of cells) {
		if (c.ch === ' ') {
			spaces.push(c);
			words.push([]);
		} else words[words.length - 1].push(c);
	}
	const rows: Cell[][] = [[]];
	for (let index = 0; index < words.length; index++) {
		const word = words[index];
		let rowLength = widthOf(rows[rows.length - 1]);
		if (index !== 0) {
			if (rowLength >= columns) {
				rows.push([]);
				rowLength = 0;
			}
			rows[rows.length - 1].push(spaces[index - 1]);
			rowLength++;
		}
		const length = widthOf(word);
		if (length > columns) {
			const remaining = columns - rowLength;
			const breaksStartingThisLine = 1 + Math.floor((length - remaining - 1) / columns);
			const breaksStartingNextLine = Math.floor((length - 1) / columns);
			if (breaksStartingNextLine < breaksStartingThisLine) rows.push([]);
			wrapWord(rows, word, columns);
			continue;
		}
		if (rowLength + length > columns && rowLength > 0 && length > 0) rows.push([]);
		rows[rows.length - 1].push(...word);
	}
	return rows;
}
