// Runs a command on this terminal (no shell), then checks the terminal it left behind, as the next
// program in an SSH session would find it: prints the command's exit status, then reads one line in
// the terminal's normal (cooked, echoing) mode and prints it back. The tmux test drives it.
import {spawnSync} from 'node:child_process';
import readline from 'node:readline';

const [command, ...args] = process.argv.slice(2);
const result = spawnSync(command, args, {stdio: 'inherit'});
const status = result.status ?? 128 + (result.signal ? 1 : 0);
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
