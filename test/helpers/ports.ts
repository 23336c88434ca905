// Loopback servers for tests: listening and closing with a deadline (a wait that fails names what it waited for,
// instead of holding the file until the runner's limit), and a port nothing listens on.
import type http from 'node:http';
import net from 'node:net';

const DEFAULT_TIMEOUT_MS = 10_000;

// Rejects after ms with what was awaited; clear() releases the timer once the wait is over.
function deadline(what: string, ms: number): {expired: Promise<never>; clear(): void} {
	let timer: NodeJS.Timeout | undefined;
	const expired = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
	});
	return {expired, clear: () => clearTimeout(timer)};
}

/** Listens on 127.0.0.1 (port 0: a free one) and returns the port; fails on a listen error or after timeoutMs. */
export async function listenOnLoopback(server: net.Server, port = 0, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
	const limit = deadline('listen on 127.0.0.1', timeoutMs);
	try {
		await Promise.race([
			new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, '127.0.0.1', () => {
					server.off('error', reject);
					resolve();
				});
			}),
			limit.expired,
		]);
	} finally {
		limit.clear();
	}
	return (server.address() as net.AddressInfo).port;
}

/**
 * Closes a server, ending the connections still open on an HTTP server (a watch that streams, a keep-alive socket:
 * close() alone waits for them); fails after timeoutMs.
 */
export async function closeServer(server: net.Server, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
	if (!server.listening) return;
	(server as Partial<http.Server>).closeAllConnections?.();
	const limit = deadline('close the loopback server', timeoutMs);
	try {
		await Promise.race([new Promise<void>((resolve) => server.close(() => resolve())), limit.expired]);
	} finally {
		limit.clear();
	}
}

/** A port on 127.0.0.1 that nothing listens on (bound once, then closed): a connection to it is refused at once. */
export async function closedPort(): Promise<number> {
	const server = net.createServer();
	const port = await listenOnLoopback(server);
	await closeServer(server);
	return port;
}
