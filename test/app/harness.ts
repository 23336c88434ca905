// A small harness over Ink: write keys and wait for the frame to change, never sleep for a fixed time. The cockpit
// draws through its frame writer, which sends only what changed; a virtual terminal applies those writes, so a
// frame here is the screen a person would see (plain text, trailing spaces and blank bottom rows removed).
import {EventEmitter} from 'node:events';
import {render as inkRender} from 'ink';
import type {ReactElement} from 'react';
import {VirtualTerminal} from '../helpers/vt.js';

// A terminal of a given size that keeps the screen after every write (ink-testing-library's is always 100 columns).
export class FakeStdout extends EventEmitter {
	readonly isTTY = true;
	readonly vt: VirtualTerminal;
	frames: string[] = [];
	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
		this.vt = new VirtualTerminal(columns, rows);
	}
	write = (data: string) => {
		if (data === '') return true;
		this.vt.write(data);
		this.frames.push(this.vt.screen());
		return true;
	};
	lastFrame = () => this.frames.at(-1);
	// Changes the size and tells Ink, as a terminal's SIGWINCH would.
	resize(columns: number, rows: number) {
		this.columns = columns;
		this.rows = rows;
		this.vt.resize(columns, rows);
		this.emit('resize');
	}
}

// Keys typed into the app, delivered the way a raw-mode TTY delivers them.
export class FakeStdin extends EventEmitter {
	readonly isTTY = true;
	private data: string | null = null;
	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};
	read = () => {
		const data = this.data;
		this.data = null;
		return data;
	};
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

// Renders into a terminal of the given size (default 100x30); every frame is kept in `frames`.
export function render(element: ReactElement, size: {columns: number; rows: number} = {columns: 100, rows: 30}) {
	const stdout = new FakeStdout(size.columns, size.rows);
	const stdin = new FakeStdin();
	const stderr = new FakeStdout(size.columns, size.rows);
	const instance = inkRender(element, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: stderr as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	return {
		rerender: instance.rerender,
		unmount: instance.unmount,
		waitUntilExit: instance.waitUntilExit,
		stdin,
		stdout,
		frames: stdout.frames,
		lastFrame: stdout.lastFrame,
	};
}

export type Rendered = ReturnType<typeof render>;

// The frame as text (frames are screens of plain text already; undefined before the first one).
export function plain(frame: string | undefined): string {
	return frame ?? '';
}

// Resolves on the next turn of the event loop (after timers and I/O that are due).
export function tick(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

// Waits until the last frame satisfies `check`, polling every few ms; fails with the last frame after `timeoutMs`.
export async function waitForFrame(r: Rendered, check: (frame: string) => boolean, timeoutMs = 10_000, what = 'frame'): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const frame = plain(r.lastFrame());
		if (check(frame)) return frame;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last frame:\n${frame}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

// Key sequences as a terminal sends them.
export const KEYS = {
	up: '\u001B[A',
	down: '\u001B[B',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	home: '\u001B[H',
	end: '\u001B[F',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	shiftTab: '\u001B[Z',
	ctrlC: '\u0003',
} as const;

// Writes one key after a tick (Ink attaches its input listener in an effect) and waits until the
// frame satisfies `check`.
export async function press(
	r: Rendered,
	key: string,
	check: (frame: string) => boolean,
	what = `frame after ${JSON.stringify(key)}`,
): Promise<string> {
	await tick();
	r.stdin.write(key);
	return waitForFrame(r, check, 10_000, what);
}

// Renders (at `size`, default 100x30) and waits for the first frame that passes `check`.
export async function mount(
	element: ReactElement,
	check: (frame: string) => boolean = (f) => f.length > 0,
	size?: {columns: number; rows: number},
): Promise<Rendered> {
	const r = render(element, size);
	await waitForFrame(r, check, 10_000, 'first frame');
	// Effects (input listeners) are attached after the first commit.
	await tick();
	return r;
}

// The line of a frame that contains `text`, or undefined.
export function lineWith(frame: string, text: string): string | undefined {
	return frame.split('\n').find((l) => l.includes(text));
}
