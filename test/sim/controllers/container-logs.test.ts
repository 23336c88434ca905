// What the simulated containers print (container-output.ts) and how the log store keeps it (container-logs.ts):
// nginx's start-up, access and shutdown lines in the official image's shapes, busybox's echoes, one bounded log per
// container instance with the previous one kept, and followers told of new lines and of the end.
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {ManualClock} from '../../../source/sim/clock.js';
import {ContainerLogs} from '../../../source/sim/controllers/container-logs.js';
import {commandProcess, nginxAccessLine, nginxProcess, outputOf} from '../../../source/sim/controllers/container-output.js';
import {lookupImage} from '../../../source/sim/controllers/images.js';

const at = Date.UTC(2024, 0, 2, 3, 4, 5);
const node = {kernel: '5.15.0-122-generic', cpus: 2};

describe('nginx output', () => {
	test('start-up: the 1.18 image entrypoint on stdout, then the master notices on stderr', () => {
		const process = nginxProcess('1.18.0', node);
		const lines = process.start(at);
		assert.equal(process.startCount(), lines.length);
		assert.deepEqual(
			lines.map((l) => `${l.stream} ${l.text}`),
			[
				'stdout /docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
				'stdout /docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
				'stdout /docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
				'stdout 10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
				'stdout 10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
				'stdout /docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
				'stdout /docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
				'stdout /docker-entrypoint.sh: Configuration complete; ready for start up',
				'stderr 2024/01/02 03:04:05 [notice] 1#1: using the "epoll" event method',
				'stderr 2024/01/02 03:04:05 [notice] 1#1: nginx/1.18.0',
				'stderr 2024/01/02 03:04:05 [notice] 1#1: built by gcc 8.3.0 (Debian 8.3.0-6) ',
				'stderr 2024/01/02 03:04:05 [notice] 1#1: OS: Linux 5.15.0-122-generic',
				'stderr 2024/01/02 03:04:05 [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576',
				'stderr 2024/01/02 03:04:05 [notice] 1#1: start worker processes',
				'stderr 2024/01/02 03:04:05 [notice] 1#1: start worker process 31',
				'stderr 2024/01/02 03:04:05 [notice] 1#1: start worker process 32',
			],
		);
	});

	test('the 1.25 image sources 15-local-resolvers.envsh and was built on bookworm; 1.20.1 on bullseye', () => {
		const v125 = nginxProcess('1.25.5', node)
			.start(at)
			.map((l) => l.text);
		assert.ok(v125.includes('/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh'));
		assert.ok(v125.some((l) => l.endsWith('built by gcc 12.2.0 (Debian 12.2.0-14) ')));
		assert.ok(v125.some((l) => l.endsWith('start worker process 29')));
		assert.equal(nginxProcess('1.25.5', node).startCount(), v125.length);
		const v120 = nginxProcess('1.20.1', node)
			.start(at)
			.map((l) => l.text);
		assert.ok(v120.some((l) => l.endsWith('built by gcc 10.2.1 20210110 (Debian 10.2.1-6) ')));
		assert.ok(!v120.some((l) => l.includes('15-local-resolvers')));
	});

	test('shutdown on the stop signal (SIGQUIT): the workers finish, then the master reaps them and exits', () => {
		const p = nginxProcess('1.20.1', node);
		const stop = p.stop(at).map((l) => l.text.slice(20));
		const exit = p.exit(at + 100, 0).map((l) => l.text.slice(20));
		assert.deepEqual(
			[...stop, ...exit],
			[
				'[notice] 1#1: signal 3 (SIGQUIT) received, shutting down',
				'[notice] 31#31: gracefully shutting down',
				'[notice] 32#32: gracefully shutting down',
				'[notice] 31#31: exiting',
				'[notice] 32#32: exiting',
				'[notice] 31#31: exit',
				'[notice] 32#32: exit',
				'[notice] 1#1: signal 17 (SIGCHLD) received from 31',
				'[notice] 1#1: worker process 31 exited with code 0',
				'[notice] 1#1: signal 17 (SIGCHLD) received from 32',
				'[notice] 1#1: worker process 32 exited with code 0',
				'[notice] 1#1: exit',
			],
		);
		// SIGKILL at the end of the grace period leaves no last words.
		const killed = nginxProcess('1.20.1', node);
		killed.stop(at);
		assert.deepEqual(killed.exit(at, 137), []);
	});

	test("access lines in the image's main format: combined plus x-forwarded-for, escapes, HEAD sends 0 bytes", () => {
		const base = {at, remoteAddr: '10.244.1.1', method: 'GET', url: '/', httpVersion: '1.1', status: 200, bodyBytes: 615};
		assert.equal(
			nginxAccessLine({...base, userAgent: 'curl/7.88.1'}),
			'10.244.1.1 - - [02/Jan/2024:03:04:05 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/7.88.1" "-"',
		);
		assert.equal(
			nginxAccessLine({
				...base,
				method: 'HEAD',
				bodyBytes: 0,
				url: '/?q="x"',
				referer: 'http://a/',
				forwardedFor: '1.2.3.4',
				userAgent: 'ü',
			}),
			'10.244.1.1 - - [02/Jan/2024:03:04:05 +0000] "HEAD /?q=\\x22x\\x22 HTTP/1.1" 200 0 "http://a/" "\\xC3\\xBC" "1.2.3.4"',
		);
	});
});

describe('busybox output', () => {
	test('echoes before a sleep print at start, after it at exit; a stopped command prints no more', () => {
		const spec = {command: ['sh', '-c', 'echo "starting up"; echo two && sleep 3; echo done; exit 1']};
		const p = commandProcess(spec);
		assert.deepEqual(
			p.start(at).map((l) => l.text),
			['starting up', 'two'],
		);
		assert.deepEqual(
			p.exit(at, 1).map((l) => l.text),
			['done'],
		);
		const stopped = commandProcess(spec);
		stopped.start(at);
		stopped.stop(at);
		assert.deepEqual(stopped.exit(at, 137), []);
	});
	test('images whose output is not simulated print nothing', () => {
		assert.equal(outputOf(lookupImage('httpd:2.4'), {}, node), undefined);
		assert.equal(outputOf(undefined, {}, node), undefined);
	});
});

describe('ContainerLogs', () => {
	const pod = {uid: 'u1', namespace: 'default', name: 'web', node: 'node1', podIP: '10.244.1.2'};
	const nginx = (id: string) => ({name: 'nginx', image: 'nginx:1.18', containerID: id, info: lookupImage('nginx:1.18'), spec: {}});
	const access = {at, remoteAddr: '10.244.1.1', method: 'GET', url: '/', httpVersion: '1.1', status: 200, bodyBytes: 10};

	test('a restart keeps the previous instance; access lines go to the running one; timestamps only increase', () => {
		const clock = new ManualClock(at);
		const logs = new ContainerLogs(clock, () => node);
		logs.started(pod, nginx('containerd://a'));
		logs.served('u1', 'nginx', access);
		logs.exited('u1', 'nginx', 1);
		logs.served('u1', 'nginx', access);
		logs.started(pod, nginx('containerd://b'));
		const current = logs.instance('u1', 'nginx', false)!;
		const previous = logs.instance('u1', 'nginx', true)!;
		assert.equal(current.containerID, 'containerd://b');
		assert.equal(previous.containerID, 'containerd://a');
		assert.equal(previous.running, false);
		assert.equal(previous.kept().filter((l) => l.text.includes('"GET / HTTP/1.1"')).length, 1, 'a stopped container logs no request');
		const ns = [...previous.kept(), ...current.kept()].map((l) => l.ns);
		assert.ok(
			ns.every((n, i) => i === 0 || n > ns[i - 1]!),
			'strictly increasing',
		);
		logs.removed('u1');
		assert.equal(logs.instance('u1', 'nginx', false), undefined);
		assert.equal(logs.podCount, 0);
	});

	test('each instance keeps at most its byte limit, dropping the oldest lines', () => {
		const logs = new ContainerLogs(new ManualClock(at), () => node, 2000);
		logs.started(pod, nginx('containerd://a'));
		for (let i = 0; i < 500; i++) logs.served('u1', 'nginx', {...access, url: `/?n=${i}`});
		const kept = logs.instance('u1', 'nginx', false)!.kept();
		const bytes = kept.reduce((sum, l) => sum + l.text.length + 1, 0);
		assert.ok(bytes <= 2000, `${bytes} bytes kept`);
		assert.match(kept.at(-1)!.text, /"GET \/\?n=499 HTTP\/1\.1"/);
		assert.ok(!kept.some((l) => l.text.includes('docker-entrypoint')), 'the start-up lines were the first to go');
	});

	test('followers get new lines, then the end when the container stops', () => {
		const logs = new ContainerLogs(new ManualClock(at), () => node);
		logs.started(pod, nginx('containerd://a'));
		const got: string[] = [];
		let ended = 0;
		logs.instance('u1', 'nginx', false)!.follow({line: (l) => got.push(l.text), end: () => ended++});
		logs.served('u1', 'nginx', access);
		logs.stopping('u1', 'nginx');
		logs.exited('u1', 'nginx', 0);
		assert.equal(ended, 1);
		assert.match(got[0]!, /"GET \/ HTTP\/1\.1" 200 10/);
		assert.match(got.at(-1)!, /\[notice\] 1#1: exit$/);
		// Following a stopped instance ends at once.
		let late = 0;
		logs.instance('u1', 'nginx', false)!.follow({line: () => {}, end: () => late++});
		assert.equal(late, 1);
	});
});
