import {test} from 'node:test';
import assert from 'node:assert/strict';
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

import {Canvas, styleOf} from '../../source/app/canvas.js';
import {FrameWriter} from '../../source/app/frame-writer.js';
import {paintScreen} from '../../source/app/paint.js';
import {cellsOf, textWidth, truncateCells, wrapCells} from '../../source/app/text.js';
import {bootScreen} from '../../source/screen/boot.js';
import {DEFAULT_THEME} from '../../source/state/ui.js';
import {VirtualTerminal} from '../helpers/vt.js';

const text = (cells: {ch: string}[]) => cells.map((c) => c.ch).join('');

// Ink drew text with cli-truncate and wrap-ansi (hard, no trim); the painter must cut and wrap the same way.
test('lines are cut and wrapped exactly as Ink cut and wrapped them (cli-truncate, wrap-ansi)', () => {
	const narrow = [
		'Waiting for deployment "nginx" rollout to finish: 2 out of 3 new replicas have been updated...',
		'a  b   c    double  spaces',
		'averyveryverylongwordthatmustbebrokenacrossrows and then short words',
		'  leading and trailing  ',
		'pod/nginx-6888c79454-g24tx Stopping container nginx',
		'',
		'x',
		'a ✓ check … and › marks ─ rules █ bars ✗ ballot',
	];
	for (const s of narrow) {
		for (const width of [1, 2, 5, 10, 17, 30, 76, 200]) {
			const cells = cellsOf(s, 0);
			assert.equal(text(truncateCells(cells, width)), cliTruncate(s, width), `truncate end ${JSON.stringify(s)} at ${width}`);
			assert.equal(
				text(truncateCells(cells, width, 'start')),
				cliTruncate(s, width, {position: 'start'}),
				`truncate start ${JSON.stringify(s)} at ${width}`,
			);
			assert.equal(
				wrapCells(cells, width).map(text).join('\n'),
				wrapAnsi(s, width, {hard: true, trim: false}),
				`wrap ${JSON.stringify(s)} at ${width}`,
			);
		}
	}
	// With wide characters cli-truncate can return more columns than asked ('日…' for 2); the painter never does.
	const wide = cellsOf('日本語のメッセージ wide characters 漢字', 0);
	for (let width = 1; width < 40; width++) {
		for (const from of ['end', 'start'] as const) {
			const cut = truncateCells(wide, width, from);
			assert.ok(textWidth(text(cut)) <= width, `${from} cut at ${width}: ${text(cut)}`);
			assert.ok(textWidth(text(cut)) >= width - 1, `${from} cut at ${width} wastes columns: ${text(cut)}`);
		}
		for (const row of wrapCells(wide, Math.max(2, width))) assert.ok(textWidth(text(row)) <= Math.max(2, width));
	}
});

test('Braille patterns (the spinner) are one column each, as string-width says, without asking it', () => {
	for (let c = 0x2800; c < 0x2900; c++) {
		const ch = String.fromCodePoint(c);
		assert.deepEqual(
			cellsOf(`${ch}x`, 0).map((cell) => cell.width),
			[stringWidth(ch), 1],
			`U+${c.toString(16)}`,
		);
	}
});

test('text from the cluster cannot break a row or reach the terminal as an escape sequence', () => {
	const cells = cellsOf('line one\nline two\u001B[2J\ttab', 0);
	assert.equal(text(cells), 'line one line two [2J tab');
	assert.equal(textWidth('日本'), 4);
	assert.equal(textWidth('a\u0301'), 1, 'a combining mark shares its base character’s cell');
});

test('the boot screen: the header, a turning spinner and the step, and the status line with the hint', () => {
	const screen = bootScreen({context: 'kind-dev', namespace: 'shop', step: 'loading kubeconfig…'}, DEFAULT_THEME, 80, 24);
	const first = paintScreen(screen, 0);
	const second = paintScreen(screen, 1);
	assert.equal(first.animated, true);
	const lines = first.canvas.text().split('\n');
	assert.match(lines[0], /^ctx kind-dev {2}server … {2}ns shop {2}deploy \(pick one\)$/);
	assert.match(lines[1], /⠋ connecting$/);
	assert.match(lines[3], /^ {2}⠋ loading kubeconfig…$/);
	assert.match(lines.at(-1) ?? '', /^loading kubeconfig…\s+\? help {2}q quit$/);
	assert.equal(lines.length, 23, 'one row is kept spare below the frame');
	assert.match(second.canvas.text(), /⠙ loading kubeconfig…/);
});

test('the header: the sort and filter in force sit whole before the connection, the strategy gets what is left', () => {
	const base = bootScreen({context: 'kind-dev', namespace: 'shop', step: 'x'}, DEFAULT_THEME, 60, 24);
	const header = {
		...base.header,
		strategy: 'RollingUpdate maxSurge 25% maxUnavailable 25%',
		connection: {text: 'live', tone: 'ok' as const},
		view: 'sort: age, newest first  /crash',
	};
	const row = (h: typeof header) =>
		paintScreen({...base, header: h})
			.canvas.text()
			.split('\n')[1];
	assert.equal(row(header), 'RollingUpdate maxSurge… sort: age, newest first  /crash live');
	assert.equal(row({...header, view: ''}), 'RollingUpdate maxSurge 25% maxUnavailable 25%           live');
});

// A canvas with random text in random styles, so the writer meets every kind of change.
function randomCanvas(width: number, height: number, seed: number, from?: Canvas): Canvas {
	let s = seed;
	const rand = () => {
		s = (s * 1103515245 + 12345) & 0x7fffffff;
		return s / 0x7fffffff;
	};
	const c = new Canvas(width, height);
	if (from) {
		c.chars.splice(0, c.chars.length, ...from.chars);
		c.styles.set(from.styles);
	}
	const words = ['nginx', 'Running', '1/1', '日本', '…', '─────', ' ', 'x', '›'];
	for (let n = 0; n < (from ? 6 : 60); n++) {
		const y = Math.floor(rand() * height);
		const x = Math.floor(rand() * width);
		const style =
			rand() < 0.5 ? 0 : styleOf(['red', 'green', 'cyan', undefined][Math.floor(rand() * 4)], rand() < 0.3, rand() < 0.2, rand() < 0.1);
		c.put(x, y, cellsOf(words[Math.floor(rand() * words.length)], style));
	}
	return c;
}

test('the frame writer: what the terminal shows after every write is exactly the frame, whatever changed', () => {
	const vt = new VirtualTerminal(40, 12);
	const writer = new FrameWriter({write: (d: string) => vt.write(d)});
	let frame = randomCanvas(40, 11, 1);
	writer.draw(frame);
	assert.equal(vt.screen(), frame.text());
	for (let i = 2; i < 400; i++) {
		frame = randomCanvas(40, 11, i, frame);
		writer.draw(frame);
		assert.equal(vt.screen(), frame.text(), `after frame ${i}`);
	}
});

test('the frame writer sends only what changed: nothing for the same frame, a few bytes for one cell', () => {
	const vt = new VirtualTerminal(160, 50);
	const writer = new FrameWriter({write: (d: string) => vt.write(d)});
	const frame = randomCanvas(160, 49, 7);
	writer.draw(frame);
	const afterFirst = vt.writes;
	const same = new Canvas(160, 49);
	same.chars.splice(0, same.chars.length, ...frame.chars);
	same.styles.set(frame.styles);
	writer.draw(same);
	assert.equal(vt.writes, afterFirst, 'an identical frame writes nothing');
	const one = new Canvas(160, 49);
	one.chars.splice(0, one.chars.length, ...frame.chars);
	one.styles.set(frame.styles);
	one.put(10, 20, cellsOf('Z', 0));
	const before = vt.bytes;
	writer.draw(one);
	assert.ok(vt.bytes - before < 40, `one changed cell cost ${vt.bytes - before} bytes`);
	assert.equal(vt.screen(), one.text());
});

test('after a resize the writer repaints the whole frame at the new size', () => {
	const vt = new VirtualTerminal(60, 20);
	const writer = new FrameWriter({write: (d: string) => vt.write(d)});
	writer.draw(randomCanvas(60, 19, 3));
	vt.resize(40, 12);
	const small = randomCanvas(40, 11, 4);
	writer.draw(small);
	assert.equal(vt.screen(), small.text());
});
