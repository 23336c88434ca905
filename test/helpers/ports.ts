// A port on 127.0.0.1 that nothing listens on (bound once, then closed): a connection to it is refused at once.
import net from 'node:net';

export async function closedPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}
