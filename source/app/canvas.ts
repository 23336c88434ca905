// A frame as the terminal holds it: width x height cells, each a character and a style. The painter fills one per
// frame; the frame writer compares it with the last one written and sends only the cells that changed.

// A style in one small number: the foreground colour (0 = the terminal's) and bold, dim, inverse.
export const BOLD = 0x10;
export const DIM = 0x20;
export const INVERSE = 0x40;
const COLOR_MASK = 0x0f;

// The colours the screen model names, as their SGR foreground codes (chalk's: gray is bright black).
const COLORS: Record<string, number> = {black: 1, red: 2, green: 3, yellow: 4, blue: 5, magenta: 6, cyan: 7, white: 8, gray: 9, grey: 9};
const COLOR_SGR = [0, 30, 31, 32, 33, 34, 35, 36, 37, 90];

// The style number for a colour name and attributes.
export function styleOf(color: string | undefined, bold?: boolean, dim?: boolean, inverse?: boolean): number {
	return (color ? (COLORS[color] ?? 0) : 0) | (bold ? BOLD : 0) | (dim ? DIM : 0) | (inverse ? INVERSE : 0);
}

// The SGR sequence that sets exactly `style` from any previous one.
export function sgr(style: number): string {
	if (style === 0) return '\u001B[m';
	let codes = '0';
	if (style & BOLD) codes += ';1';
	if (style & DIM) codes += ';2';
	if (style & INVERSE) codes += ';7';
	const color = style & COLOR_MASK;
	if (color) codes += `;${COLOR_SGR[color]}`;
	return `\u001B[${codes}m`;
}

// The continuation of a two-column character: the cell right of it holds nothing of its own.
export const WIDE_TAIL = '';

// The cells of one frame, row by row.
export class Canvas {
	readonly chars: string[];
	readonly styles: Uint8Array;

	constructor(
		readonly width: number,
		readonly height: number,
	) {
		this.chars = new Array<string>(width * height).fill(' ');
		this.styles = new Uint8Array(width * height);
	}

	// Writes cells from column x of row y, never past column `right` (exclusive) nor the canvas' edge; a wide
	// character that would straddle the edge is left out. Returns the column after the last cell written.
	put(x: number, y: number, cells: readonly {ch: string; width: number; style: number}[], right = this.width): number {
		if (y < 0 || y >= this.height) return x;
		const end = Math.min(right, this.width);
		const row = y * this.width;
		for (const c of cells) {
			if (x + c.width > end) break;
			if (x >= 0) {
				// Half of a wide character overwritten loses the other half too, as on a terminal.
				if (this.chars[row + x] === WIDE_TAIL && x > 0) this.chars[row + x - 1] = ' ';
				const after = x + c.width;
				if (after < this.width && this.chars[row + after] === WIDE_TAIL) this.chars[row + after] = ' ';
				this.chars[row + x] = c.ch;
				this.styles[row + x] = c.style;
				if (c.width === 2) {
					this.chars[row + x + 1] = WIDE_TAIL;
					this.styles[row + x + 1] = c.style;
				}
			}
			x += c.width;
		}
		return x;
	}

	// Row y as plain text, trailing spaces removed (what a screen capture shows).
	rowText(y: number): string {
		return this.chars
			.slice(y * this.width, (y + 1) * this.width)
			.join('')
			.trimEnd();
	}

	// The whole frame as plain text, one line per row, without the blank rows at the bottom.
	text(): string {
		const rows: string[] = [];
		for (let y = 0; y < this.height; y++) rows.push(this.rowText(y));
		while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
		return rows.join('\n');
	}
}
