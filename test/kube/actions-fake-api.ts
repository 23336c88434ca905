// A scripted API server on 127.0.0.1 for the action tests: it records every request (verb, path,
// query, Content-Type, body) and answers what the test's handler says.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {KubeConfig} from '@kubernetes/client-node';
import {connectionFrom, type Connection} from '../../source/kube/connect.js';

export type Recorded = {method: string; path: string; query: URLSearchParams; contentType?: string; body?: unknown};
// What the handler answers; 'hang' keeps the request open until release(), 'drop' destroys the socket.
export type Answer = {status: number; body?: unknown} | 'drop' | {hold: Promise<{status: number; body?: unknown}>};
export type FakeApi = {conn: Connection; url: string; requests: Recorded[]; close(): Promise<void>};

// Starts the fake API; its Connection carries a token, as a kubeconfig user would.
export async function startFakeApi(handler: (req: Recorded, index: number) => Answer | Promise<Answer>): Promise<FakeApi> {
	const requests: Recorded[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', async () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const text = Buffer.concat(chunks).toString('utf8');
			const recorded: Recorded = {
				method: req.method ?? '',
				path: url.pathname,
				query: url.searchParams,
				contentType: req.headers['content-type'],
				body: text === '' ? undefined : JSON.parse(text),
			};
			requests.push(recorded);
			let answer = await handler(recorded, requests.length - 1);
			if (answer === 'drop') {
				req.socket.destroy();
				return;
			}
			if ('hold' in answer) answer = await answer.hold;
			res.writeHead(answer.status, {'Content-Type': 'application/json'});
			res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const kc = new KubeConfig();
	kc.loadFromOptions({
		clusters: [{name: 'fake', server: url, skipTLSVerify: true}],
		users: [{name: 'me', token: 'secret-token'}],
		contexts: [{name: 'fake', cluster: 'fake', user: 'me', namespace: 'default'}],
		currentContext: 'fake',
	});
	return {
		conn: connectionFrom(kc),
		url,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

// A metav1.Status body as the API server sends with errors.
export function status(code: number, reason: string, message: string, causes?: {field: string; message: string; reason?: string}[]) {
	return {
		kind: 'Status',
		apiVersion: 'v1',
		metadata: {},
		status: 'Failure',
		message,
		reason,
		code,
		details: causes ? {name: 'nginx', group: 'apps', kind: 'deployments', causes} : undefined,
	};
}
