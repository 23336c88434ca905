// The first frame is drawn before Ink and React are loaded (app/boot-frame.ts); Ink's Boot, once loaded, paints the
// same frame: the screen does not change and nothing more is sent for it.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {render as inkRender} from 'ink';
import {Boot} from '../../source/app/Boot.js';
import {drawBootFrame} from '../../source/app/boot-frame.js';
import {frameWriterFor} from '../../source/app/frame-writer.js';
import {DEFAULT_THEME} from '../../source/state/ui.js';
import {FakeStdin, FakeStdout, tick} from './harness.js';

test('the boot frame drawn before Ink is the frame Boot draws: the same screen, and nothing more sent for it', async () => {
	const out = new FakeStdout(100, 30);
	const info = {context: 'embedded', deployment: 'nginx', step: 'starting the embedded cluster…'};
	drawBootFrame(out as unknown as NodeJS.WriteStream, info, DEFAULT_THEME);
	const screen = out.lastFrame() ?? '';
	assert.match(screen, /embedded/);
	assert.match(screen, /nginx/);
	assert.match(screen, /starting the embedded cluster…/);
	const writer = frameWriterFor(out);
	// Boot's first draw must send nothing; later ones turn the spinner (one glyph each).
	const draws: {bytes: number; screen: string | undefined}[] = [];
	writer.onDraw = (info) => draws.push({bytes: info.bytes, screen: out.lastFrame()});
	const instance = inkRender(<Boot theme={DEFAULT_THEME} {...info} />, {
		stdout: out as unknown as NodeJS.WriteStream,
		stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	try {
		const deadline = Date.now() + 10_000;
		while (draws.length === 0 && Date.now() < deadline) await tick();
		assert.ok(draws.length > 0, 'Boot drew within 10 s');
		assert.equal(draws[0]!.bytes, 0, 'Boot sent nothing for its first frame: it was on screen already');
		assert.equal(draws[0]!.screen, screen);
	} finally {
		instance.unmount();
	}
});
