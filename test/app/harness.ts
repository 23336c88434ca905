// A small harness over ink-testing-library: write keys and wait for the frame to change, never sleep
// for a fixed time. Frames are compared without ANSI codes so assertions read like the screen.
import {render} from 'ink-testing-library';
import type {ReactElement} from 'react';

export type Rendered = ReturnType<typeof render>;

// ANSI escape sequences (colours, cursor) removed.
export function plain(frame: string | undefined): string {
	// eslint-disable-next-line no-control-regex
	return (frame ?? '').replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
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
export async function press(r: Rendered, key: string, check: (frame: string) => boolean, what = `frame after ${JSON.stringify(key)}`): Promise<string> {
	await tick();
	r.stdin.write(key);
	return waitForFrame(r, check, 10_000, what);
}

// Renders and waits for the first frame.
export async function mount(element: ReactElement, check: (frame: string) => boolean = (f) => f.length > 0): Promise<Rendered> {
	const r = render(element);
	await waitForFrame(r, check, 10_000, 'first frame');
	// Effects (input listeners) are attached after the first commit.
	await tick();
	return r;
}

// The line of a frame that contains `text`, or undefined.
export function lineWith(frame: string, text: string): string | undefined {
	return frame.split('\n').find((l) => l.includes(text));
}
