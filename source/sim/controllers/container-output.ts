// What a simulated container's process prints, by image. nginx prints what the official image prints
// (nginxinc/docker-nginx): the entrypoint's configuration notes on stdout, the master's start-up notices on stderr
// (error.log is linked to /dev/stderr), one access-log line per request in the image's `main` format (nginx's
// `combined` plus "$http_x_forwarded_for") on stdout, and, on its stop signal (STOPSIGNAL SIGQUIT since the
// 1.18.0-2 builds), the graceful shutdown notices. busybox prints what its command echoes. Other images print nothing.
import type {ImageInfo} from './images.js';

/** A line a process writes. */
export type OutputLine = {stream: 'stdout' | 'stderr'; text: string};

/** A request the server answered, as its access log records it. */
export type AccessEntry = {
	/** When the response was sent (wall-clock ms). */
	at: number;
	remoteAddr: string;
	method: string;
	/** The request target as sent: `/`, `/?n=3`. */
	url: string;
	httpVersion: string;
	status: number;
	bodyBytes: number;
	referer?: string;
	userAgent?: string;
	forwardedFor?: string;
};

/** The output of one container run: at start, on the stop signal, at exit, and per request served. */
export type ContainerProcess = {
	start(now: number): OutputLine[];
	/** How many lines start() writes, without writing them. */
	startCount(): number;
	stop(now: number): OutputLine[];
	exit(now: number, exitCode: number): OutputLine[];
	access(entry: AccessEntry): OutputLine[];
};

/** What the node tells a process about itself: the kernel (`uname -r`) and how many CPUs it sees. */
export type NodeFacts = {kernel: string; cpus: number};

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** nginx's error-log time, in the container's time zone (UTC): 2024/01/01 12:00:00. */
export function nginxErrorTime(ms: number): string {
	const d = new Date(ms);
	return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** nginx's $time_local (UTC): 01/Jan/2024:12:00:00 +0000. */
export function nginxTimeLocal(ms: number): string {
	const d = new Date(ms);
	return `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

// ngx_http_log_escape: '"', '\' and bytes outside printable ASCII become \xHH.
function logEscape(value: string): string {
	let out = '';
	for (const byte of Buffer.from(value, 'utf8')) {
		out +=
			byte === 0x22 || byte === 0x5c || byte < 0x20 || byte >= 0x7f
				? `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`
				: String.fromCharCode(byte);
	}
	return out;
}

// A variable as the log prints it: "-" when the request did not have it.
const logVar = (value: string | undefined) => (value === undefined ? '-' : logEscape(value));

/**
 * One access-log line in the official image's `main` format:
 * `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"`.
 */
export function nginxAccessLine(e: AccessEntry): string {
	const request = logEscape(`${e.method} ${e.url} HTTP/${e.httpVersion}`);
	return `${e.remoteAddr} - - [${nginxTimeLocal(e.at)}] "${request}" ${e.status} ${e.bodyBytes} "${logVar(e.referer)}" "${logVar(e.userAgent)}" "${logVar(e.forwardedFor)}"`;
}

// The Debian release each tag's last build was made on (docker-nginx's Dockerfiles), and its compiler.
function gccOf(version: string): string {
	const [major, minor] = version.split('.').map(Number) as [number, number];
	if (major === 1 && minor <= 19) return 'gcc 8.3.0 (Debian 8.3.0-6) ';
	if (major === 1 && minor <= 24) return 'gcc 10.2.1 20210110 (Debian 10.2.1-6) ';
	return 'gcc 12.2.0 (Debian 12.2.0-14) ';
}

/**
 * The official nginx image's output, for nginx `version` (1.18.0 ...) on a node. A class, not closures: one lives
 * per running container, and the sim holds 20,000 of them.
 */
export class NginxProcess implements ContainerProcess {
	private signalled = false;

	constructor(
		private readonly version: string,
		private readonly node: NodeFacts,
	) {}

	private get minor(): number {
		return Number(this.version.split('.')[1]);
	}

	// The entrypoint's helpers use up the first PIDs; one worker per CPU comes after them.
	private workers(): number[] {
		const first = this.minor >= 25 ? 29 : 31;
		return Array.from({length: Math.max(1, this.node.cpus)}, (_, i) => first + i);
	}

	startCount(): number {
		// Two opening lines, one per script (four, or three before 1.25), two from the IPv6 script, the closing
		// line, six notices and one per worker.
		return 2 + (this.minor >= 25 ? 4 : 3) + 2 + 1 + 6 + this.workers().length;
	}

	start(now: number): OutputLine[] {
		// 15-local-resolvers.envsh joined the entrypoint scripts in the 1.25 images.
		const scripts = [
			'10-listen-on-ipv6-by-default.sh',
			...(this.minor >= 25 ? ['15-local-resolvers.envsh'] : []),
			'20-envsubst-on-templates.sh',
			'30-tune-worker-processes.sh',
		];
		const lines: OutputLine[] = [
			stdout('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration'),
			stdout('/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/'),
		];
		for (const script of scripts) {
			lines.push(stdout(`/docker-entrypoint.sh: ${script.endsWith('.envsh') ? 'Sourcing' : 'Launching'} /docker-entrypoint.d/${script}`));
			if (script.startsWith('10-')) {
				lines.push(stdout('10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf'));
				lines.push(stdout('10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf'));
			}
		}
		lines.push(stdout('/docker-entrypoint.sh: Configuration complete; ready for start up'));
		lines.push(
			notice(now, 1, 'using the "epoll" event method'),
			notice(now, 1, `nginx/${this.version}`),
			notice(now, 1, `built by ${gccOf(this.version)}`),
			notice(now, 1, `OS: Linux ${this.node.kernel}`),
			notice(now, 1, 'getrlimit(RLIMIT_NOFILE): 1048576:1048576'),
			notice(now, 1, 'start worker processes'),
			...this.workers().map((pid) => notice(now, 1, `start worker process ${pid}`)),
		);
		return lines;
	}

	stop(now: number): OutputLine[] {
		this.signalled = true;
		const workers = this.workers();
		return [
			notice(now, 1, 'signal 3 (SIGQUIT) received, shutting down'),
			...workers.map((pid) => notice(now, pid, 'gracefully shutting down')),
			...workers.map((pid) => notice(now, pid, 'exiting')),
			...workers.map((pid) => notice(now, pid, 'exit')),
		];
	}

	exit(now: number, exitCode: number): OutputLine[] {
		// SIGKILL (137) leaves no last words; a graceful stop ends with the master reaping its workers.
		if (!this.signalled || exitCode !== 0) return [];
		return [
			...this.workers().flatMap((pid) => [
				notice(now, 1, `signal 17 (SIGCHLD) received from ${pid}`),
				notice(now, 1, `worker process ${pid} exited with code 0`),
			]),
			notice(now, 1, 'exit'),
		];
	}

	access(e: AccessEntry): OutputLine[] {
		return [stdout(nginxAccessLine(e))];
	}
}

const stdout = (text: string): OutputLine => ({stream: 'stdout', text});
// nginx's error.log goes to /dev/stderr in the image.
const notice = (now: number, pid: number, text: string): OutputLine => ({
	stream: 'stderr',
	text: `${nginxErrorTime(now)} [notice] ${pid}#${pid}: ${text}`,
});

/** The official nginx image's output (see NginxProcess). */
export function nginxProcess(version: string, node: NodeFacts): ContainerProcess {
	return new NginxProcess(version, node);
}

// The `echo` statements of a shell command line, split at the first `sleep`: what prints at start and at exit.
function echoes(spec: any): {atStart: string[]; atExit: string[]} {
	const argv: string[] = [...(spec?.command ?? []), ...(spec?.args ?? [])];
	const script = argv.length >= 3 && /(^|\/)sh$/.test(argv[0]!) && argv[1] === '-c' ? argv.slice(2).join(' ') : argv.join(' ');
	const atStart: string[] = [];
	const atExit: string[] = [];
	let slept = false;
	for (const statement of script.split(/;|&&|\n/).map((s) => s.trim())) {
		if (/^sleep\s/.test(statement)) slept = true;
		const m = /^echo(?:\s+(.*))?$/.exec(statement);
		if (!m) continue;
		const text = (m[1] ?? '').replace(/^(["'])(.*)\1$/, '$2');
		(slept ? atExit : atStart).push(text);
	}
	return {atStart, atExit};
}

/** busybox running its command: the text its `echo` statements print, on stdout. */
export class CommandProcess implements ContainerProcess {
	private stopped = false;

	constructor(private readonly spec: any) {}

	start(): OutputLine[] {
		return echoes(this.spec).atStart.map(stdout);
	}

	startCount(): number {
		return echoes(this.spec).atStart.length;
	}

	stop(): OutputLine[] {
		this.stopped = true;
		return [];
	}

	exit(): OutputLine[] {
		return this.stopped ? [] : echoes(this.spec).atExit.map(stdout);
	}

	access(): OutputLine[] {
		return [];
	}
}

/** busybox's output (see CommandProcess). */
export function commandProcess(spec: any): ContainerProcess {
	return new CommandProcess(spec);
}

/** The process an image runs, or undefined for images whose output is not simulated. */
export function outputOf(info: ImageInfo | undefined, spec: any, node: NodeFacts): ContainerProcess | undefined {
	if (!info) return undefined;
	if (info.behaviour === 'serve' && info.server?.startsWith('nginx/')) return nginxProcess(info.server.slice('nginx/'.length), node);
	if (info.behaviour === 'command') return commandProcess(spec);
	return undefined;
}
