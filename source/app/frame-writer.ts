// The frame writer: sends a terminal only the cells of a frame that differ from the frame before, each run placed
// with an absolute cursor position, the whole frame in one write between synchronized-output marks. Absolute
// positions keep it exact in tmux and screen: Ink's incremental mode moved the cursor relative to where it believed
// the last frame ended, and when a full-height frame scrolled the terminal by a row (ink#1023, ink#971) that belief
// was off by one and a stale line stayed on screen. Overwriting in place, never erasing first, means a capture
// taken while a frame is only partly applied shows old and new rows, never blank ones.
import {type Canvas, sgr, WIDE_TAIL} from './canvas.js';

// Where frames go: a terminal's stdout, or a test's recorder.
export type FrameOutput = {write(data: string): unknown};

// What one draw did, for the benchmark's timings.
export type DrawInfo = {bytes: number; full: boolean};

const SYNC_START = '\u001B[?2026h';
const SYNC_END = '\u001B[?2026l';
const HIDE_CURSOR = '\u001B[?25l';
const CLEAR = '\u001B[H\u001B[2J';

// Unchanged cells between two changed runs of a row that are rewritten rather than skipped: a cursor move costs
// about as many bytes.
const MERGE_GAP = 6;

const cup = (y: number, x: number) => `\u001B[${y + 1};${x + 1}H`;

// Draws frames on one terminal; keep one per output (frameWriterFor), so every frame is diffed against what is
// really on screen.
export class FrameWriter {
	private last: Canvas | undefined;
	/** Bytes written so far. */
	bytes = 0;
	/** Draws that wrote something. */
	frames = 0;
	/** Called after every draw, also when nothing had changed (bytes 0). */
	onDraw: ((info: DrawInfo) => void) | undefined;

	constructor(private readonly out: FrameOutput) {}

	// The next draw repaints every cell (after something else wrote to the terminal).
	invalidate(): void {
		this.last = undefined;
	}

	// Writes what changed since the last frame: everything on the first draw and after a resize.
	draw(frame: Canvas): void {
		const last = this.last;
		const full = !last || last.width !== frame.width || last.height !== frame.height;
		let data = full ? HIDE_CURSOR + CLEAR + this.rows(frame, undefined) : this.rows(frame, last);
		this.last = frame;
		if (data !== '') {
			data = SYNC_START + data + SYNC_END;
			this.out.write(data);
			this.bytes += Buffer.byteLength(data);
			this.frames++;
		}
		this.onDraw?.({bytes: data === '' ? 0 : Buffer.byteLength(data), full});
	}

	// The escape sequences and text that turn `last` (undefined: a cleared screen) into `frame`.
	private rows(frame: Canvas, last: Canvas | undefined): string {
		const {width, height, chars, styles} = frame;
		let out = '';
		let current = -1;
		for (let y = 0; y < height; y++) {
			const row = y * width;
			let x = 0;
			while (x < width) {
				// The next cell that differs (on a cleared screen: that is not a plain space).
				while (x < width && !this.differs(frame, last, row + x)) x++;
				if (x >= width) break;
				let end = x + 1;
				let gap = 0;
				for (let i = end; i < width && gap <= MERGE_GAP; i++) {
					if (this.differs(frame, last, row + i)) {
						end = i + 1;
						gap = 0;
					} else gap++;
				}
				// A run never starts on the right half of a wide character.
				let start = x;
				if (start > 0 && chars[row + start] === WIDE_TAIL) start--;
				out += cup(y, start);
				for (let i = start; i < end; i++) {
					const ch = chars[row + i];
					if (ch === WIDE_TAIL) continue;
					if (styles[row + i] !== current) {
						current = styles[row + i];
						out += sgr(current);
					}
					out += ch;
				}
				x = end;
			}
		}
		if (current > 0) out += sgr(0);
		return out;
	}

	private differs(frame: Canvas, last: Canvas | undefined, i: number): boolean {
		if (!last) return frame.chars[i] !== ' ' || frame.styles[i] !== 0;
		return frame.chars[i] !== last.chars[i] || frame.styles[i] !== last.styles[i];
	}
}

const writers = new WeakMap<object, FrameWriter>();

// The one writer of an output (the boot screen and the cockpit draw through the same one).
export function frameWriterFor(out: FrameOutput): FrameWriter {
	let writer = writers.get(out);
	if (!writer) {
		writer = new FrameWriter(out);
		writers.set(out, writer);
	}
	return writer;
}
