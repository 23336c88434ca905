// Keys that arrive together, tried as a new user over SSH would: the built CLI in tmux at 80x24, TERM=screen,
// NO_COLOR=1, each group of keys sent as one write (tmux writes a send-keys to the terminal at once), so the
// cockpit reads them in one read, as it does when keys come fast over SSH or a key is held down.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {CLI, ensureBuilt, lineOf, TmuxPane} from '../helpers/tmux.js';

const RUNNING = /nginx-[0-9a-z]+-[0-9a-z]{5}\s+1\/1\s+Running/g;
const running = (screen: string) => (screen.match(RUNNING) ?? []).length;
// The pod rows in screen order, and which one carries the selection marker.
function podRows(screen: string): {names: string[]; selected: number} {
	const rows = screen.split('\n').filter((l) => /^[›> ] nginx-[0-9a-z]+-[0-9a-z]{5}\s+\d\/\d/.test(l));
	return {names: rows.map((l) => l.slice(2).split(/\s+/)[0]), selected: rows.findIndex((l) => /^[›>]/.test(l))};
}

test('in tmux at 80x24 (TERM=screen, NO_COLOR): "5"+Enter in one write opens the scale review, "jjj" moves three rows, an image+Enter opens the set-image review, a bracketed paste is text and sends nothing', async (t) => {
	await ensureBuilt();
	const pane = new TmuxPane();
	t.after(() => pane.stop());
	await pane.start([process.execPath, CLI, '--demo'], {columns: 80, rows: 24, env: {TERM: 'screen', NO_COLOR: '1'}});
	await pane.until('three Running pods, live', (s) => running(s) === 3 && /\slive\n/.test(s), 20_000);

	// s opens the prompt with the current count; Ctrl-U clears it; then 5 and Enter in one write.
	await pane.type('s');
	await pane.until('the scale prompt', (s) => /replicas: 3/.test(s));
	await pane.type('\u0015');
	await pane.until('the cleared prompt', (s) => /replicas: █?\s*$/m.test(s) || /replicas: _?\s*$/m.test(s));
	await pane.type('5\r');
	let screen = await pane.until('the scale review', (s) => /Confirm kubectl scale deployment\/nginx --replicas=5/.test(s));
	assert.match(screen, /nginx: replicas 3 -> 5/);
	assert.match(screen, /Apply to deployment\/nginx in default\? \[y\/N\]/);
	await pane.type('y');
	screen = await pane.until('five Running pods', (s) => running(s) === 5, 20_000);
	assert.equal(podRows(screen).selected, 0, 'the first pod is selected');

	// j three times in one write: three rows down.
	const before = podRows(screen);
	await pane.type('jjj');
	screen = await pane.until('the selection three rows down', (s) => podRows(s).selected === 3);
	assert.equal(podRows(screen).names[3], before.names[3], 'the same pods, the fourth one selected');

	// An image and Enter in one write: the set-image review.
	await pane.type('i');
	await pane.until('the image prompt', (s) => /image: nginx:1\.18/.test(s));
	await pane.type('\u0015');
	await pane.type('nginx:1.20.1\r');
	screen = await pane.until('the set-image review', (s) => /Confirm kubectl set image deployment\/nginx nginx=nginx:1\.20\.1/.test(s));
	assert.match(screen, /nginx: image nginx:1\.18 -> nginx:1\.20\.1/);
	await pane.type('n');
	await pane.until('the review cancelled', (s) => /cancelled: set image/.test(s));

	// A bracketed paste with a newline and a y after it: inserted as text, nothing is reviewed or sent.
	await pane.type('i');
	await pane.until('the image prompt again', (s) => /image: nginx:1\.18/.test(s));
	await pane.type('\u0015');
	await pane.paste('nginx:1.21.0\ny');
	screen = await pane.until('the pasted text in the prompt', (s) => /image: nginx:1\.21\.0y/.test(s));
	// Give a wrongly taken newline time to show: the prompt must still be there, and no review.
	await new Promise((resolve) => setTimeout(resolve, 500));
	screen = await pane.capture();
	assert.match(screen, /Set image 1\/1: container nginx/);
	assert.doesNotMatch(screen, /Confirm kubectl|sending:/);
	await pane.keys('Escape');
	screen = await pane.until('the prompt cancelled', (s) => /cancelled: nothing was sent/.test(s));
	assert.match(lineOf(screen, 'Rollout nginx') ?? '', /rev 1 nginx:1\.18/, 'no new revision: the image was never changed');
	// No colour or attribute codes anywhere.
	assert.doesNotMatch(await pane.capture(true), /\u001B\[/);
	await pane.keys('q');
	assert.equal(await pane.exitStatus(), 0, 'the cockpit exits on q, with 0');
});
