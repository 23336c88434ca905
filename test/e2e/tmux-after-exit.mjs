// Runs a command on this terminal (no shell), then checks the terminal it left behind, as the next
// program in an SSH session would find it: prints the command's exit status, then reads one line in
// the terminal's normal (cooked, echoing) mode and prints it back. The tmux test drives it.
import {spawnSync} from 'node:child_process';
import os from 'node:os';
import readline from 'node:readline';

const [command, ...args] = process.argv.slice(2);
// As a shell waiting for its foreground job: a Ctrl-C typed while the terminal is not raw signals the whole process
// group, and only the job may act on it.
process.on('SIGINT', () => {});
const result = spawnSync(command, args, {stdio: 'inherit'});
// A job ended by a signal shows as 128+N, as shells report it.
const status = result.status ?? 128 + (os.constants.signals[result.signal] ?? 0);
process.stdout.write(`\n[exited ${status}] type a line: `);
// terminal: false, so readline leaves the tty modes alone: echo and line editing come from the kernel.
const rl = readline.createInterface({input: process.stdin, terminal: false});
rl.once('line', (line) => {
	process.stdout.write(`[read ${JSON.stringify(line)}]\n`);
	rl.close();
	// Stay alive a moment so the test can read the screen and the terminal's modes.
	setTimeout(() => process.exit(status), 30_000).unref();
	setInterval(() => {}, 1000);
});
