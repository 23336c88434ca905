// A small virtual terminal for tests: it applies what the cockpit writes (cursor positions, erase, SGR, DEC modes,
// text) to a grid of cells, so a test reads the screen a person would see, whatever the frame writer chose to send.
// It understands the sequences the frame writer uses and refuses anything else, so a new sequence cannot slip by.
import {cellsOf} from '../../source/app/text.js';

export class VirtualTerminal {
	private cells: string[][];
	private styles: string[][];
	private x = 0;
	private y = 0;
	private sgr = '';
	// The last column was written: the next character would wrap (the frame writer never lets it).
	private pending = false;
	// Bytes and writes received.
	bytes = 0;
	writes = 0;

	constructor(
		public columns: number,
		public rows: number,
	) {
		this.cells = this.blank();
		this.styles = this.blank('');
	}

	private blank(fill = ' '): string[][] {
		return Array.from({length: this.rows}, () => new Array<string>(this.columns).fill(fill));
	}

	// A new size: the content is cut or padded as a terminal's alternate screen does.
	resize(columns: number, rows: number): void {
		const cells = Array.from({length: rows}, (_, y) => Array.from({length: columns}, (_, x) => this.cells[y]?.[x] ?? ' '));
		const styles = Array.from({length: rows}, (_, y) => Array.from({length: columns}, (_, x) => this.styles[y]?.[x] ?? ''));
		this.columns = columns;
		this.rows = rows;
		this.cells = cells;
		this.styles = styles;
		this.x = Math.min(this.x, columns - 1);
		this.y = Math.min(this.y, rows - 1);
	}

	write(data: string): void {
		this.bytes += Buffer.byteLength(data);
		if (data !== '') this.writes++;
		let i = 0;
		while (i < data.length) {
			const c = data[i];
			if (c === '\u001B') {
				const m = /^\u001B\[(\??)([0-9;]*)([A-Za-z])/.exec(data.slice(i, i + 32));
				if (!m) throw new Error(`virtual terminal: unknown escape sequence ${JSON.stringify(data.slice(i, i + 12))}`);
				this.control(m[1], m[2], m[3]);
				i += m[0].length;
				continue;
			}
			let j = i;
			while (j < data.length && data[j] !== '\u001B') j++;
			this.text(data.slice(i, j));
			i = j;
		}
	}

	private control(privateMode: string, params: string, final: string): void {
		if (privateMode === '?') {
			if (final === 'h' || final === 'l') return;
			throw new Error(`virtual terminal: unknown private sequence ?${params}${final}`);
		}
		const n = params.split(';').map((p) => (p === '' ? 0 : Number(p)));
		switch (final) {
			case 'H':
				this.pending = false;
				this.y = Math.min(this.rows - 1, Math.max(0, (n[0] || 1) - 1));
				this.x = Math.min(this.columns - 1, Math.max(0, (n[1] || 1) - 1));
				return;
			case 'J':
				if (n[0] === 2) {
					this.cells = this.blank();
					this.styles = this.blank('');
					return;
				}
				throw new Error(`virtual terminal: unsupported erase ${params}J`);
			case 'K':
				for (let x = this.x; x < this.columns; x++) {
					this.cells[this.y][x] = ' ';
					this.styles[this.y][x] = '';
				}
				return;
			case 'm':
				this.sgr = params === '' || params === '0' ? '' : params;
				return;
			default:
				throw new Error(`virtual terminal: unsupported sequence ${params}${final}`);
		}
	}

	private text(text: string): void {
		for (const c of cellsOf(text, 0)) {
			if (this.pending || this.x + c.width > this.columns)
				throw new Error(`virtual terminal: text written past the last column: ${JSON.stringify(text)}`);
			const row = this.cells[this.y];
			// Half of a wide character overwritten loses the other half too, as xterm and tmux do.
			if (row[this.x] === '' && this.x > 0) row[this.x - 1] = ' ';
			const after = this.x + c.width;
			if (after < this.columns && row[after] === '') row[after] = ' ';
			row[this.x] = c.ch;
			this.styles[this.y][this.x] = this.sgr;
			if (c.width === 2) row[this.x + 1] = '';
			this.x += c.width;
			// The cursor waits at the last column (pending wrap), as xterm and tmux keep it.
			if (this.x >= this.columns) {
				this.x = this.columns - 1;
				this.pending = true;
			}
		}
	}

	// The screen as text, one line per row, trailing spaces and blank rows at the bottom removed.
	screen(): string {
		const lines = this.cells.map((row) => row.join('').trimEnd());
		while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
		return lines.join('\n');
	}

	// The SGR parameters of the cell at (x, y) ('' for the default style), for tests of colour.
	styleAt(x: number, y: number): string {
		return this.styles[y]?.[x] ?? '';
	}
}
