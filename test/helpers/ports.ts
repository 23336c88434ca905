// Loopback servers for tests: listening and closing with a deadline (a wait that fails names what it waited for,
// instead of holding the file until the runner's limit), and a port nothing listens on.
import type http from 'node:http';
import net from 'node:net';
import {within} from './wait.js';

const DEFAULT_TIMEOUT_MS = 10_000;

/** Listens on 127.0.0.1 (port 0: a free one) and returns the port; fails on a listen error or after timeoutMs. */
export async function listenOnLoopback(server: net.Server, port = 0, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
	await within(
		new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		}),
		timeoutMs,
		'listen on 127.0.0.1',
	);
	return (server.address() as net.AddressInfo).port;
}

/**
 * Closes a server, ending the connections still open on an HTTP server (a watch that streams, a keep-alive socket:
 * close() alone waits for them); fails after timeoutMs.
 */
export async function closeServer(server: net.Server, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
	if (!server.listening) return;
	(server as Partial<http.Server>).closeAllConnections?.();
	await within(new Promise<void>((resolve) => server.close(() => resolve())), timeoutMs, 'the loopback server to close');
}

/** A port on 127.0.0.1 that nothing listens on (bound once, then closed): a connection to it is refused at once. */
export async function closedPort(): Promise<number> {
	const server = net.createServer();
	const port = await listenOnLoopback(server);
	await closeServer(server);
	return port;
}
