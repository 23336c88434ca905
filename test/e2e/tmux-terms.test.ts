// The terminals a user reaches over SSH: the built CLI's demo in tmux at 80x24 under TERM=xterm, tmux-256color and
// linux (the console), in a UTF-8 locale. Each shows every part of the screen with the three pods Running and quits
// on q with status 0; the console, whose fonts lack box drawing, gets ASCII rules and bars instead.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {CLI, ensureBuilt, TmuxPane} from '../helpers/tmux.js';

const RUNNING = /nginx-[0-9a-z]+-[0-9a-z]{5}\s+1\/1\s+Running/g;
// Drawing characters of the Unicode theme: rules, bars, the selection marker.
const UNICODE_DRAWING = /[─█▓▒░›]/;

for (const term of ['xterm', 'tmux-256color', 'linux']) {
	test(`TERM=${term} at 80x24: header, rollout, probe, pods and events panes; q exits 0`, async (t) => {
		await ensureBuilt();
		const pane = new TmuxPane();
		t.after(() => pane.stop());
		await pane.start([process.execPath, CLI, '--demo'], {columns: 80, rows: 24, env: {TERM: term, LANG: 'C.UTF-8'}});
		const screen = await pane.until(
			'three pods Running, the probe answering, the watches live',
			(s) => (s.match(RUNNING) ?? []).length === 3 && /last 200/.test(s) && /\slive\n/.test(s),
			30_000,
		);
		const lines = screen.split('\n');
		assert.match(lines[0] ?? '', /^ctx rollout-cockpit-sim\s+server v\d+\.\d+\.\d+\s+ns default\s+deploy nginx/);
		for (const part of [/Rollout nginx rev 1/, /Probe http:\/\/127\.0\.0\.1:\d+\//, /Pods 3/, /Events \d+/, /\? help$/m])
			assert.match(screen, part, `${part} on screen`);
		if (term === 'linux') assert.doesNotMatch(screen, UNICODE_DRAWING, 'the console gets ASCII drawing');
		else assert.match(screen, UNICODE_DRAWING, 'Unicode drawing');
		await pane.type('q');
		assert.equal(await pane.exitStatus(30_000), 0, 'exit 0 on q');
	});
}

// A shell in a CI job (or a user's profile) may export CI=true, under which Ink draws only its last frame, at exit.
// The cockpit draws through its own frame writer and is interactive on a terminal whatever CI says: the frames must
// come while it runs.
test('CI=true in the environment: the demo still draws its frames live, and q exits 0', async (t) => {
	await ensureBuilt();
	const pane = new TmuxPane();
	t.after(() => pane.stop());
	await pane.start([process.execPath, CLI, '--demo'], {columns: 100, rows: 30, env: {CI: 'true', CONTINUOUS_INTEGRATION: 'true'}});
	const screen = await pane.until(
		'three pods Running while the program runs',
		(s) => (s.match(RUNNING) ?? []).length === 3 && /\slive\n/.test(s),
		30_000,
	);
	assert.match(screen, /Rollout nginx rev 1/);
	await pane.type('q');
	assert.equal(await pane.exitStatus(30_000), 0, 'exit 0 on q');
});
