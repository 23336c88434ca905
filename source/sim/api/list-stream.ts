// Large response bodies written in chunks: a list of 20,000 pods is 60 MB of JSON, and encoding it in one go would
// hold the event loop (and every other request) for the whole time. A long list is written a chunk of items at a
// time; between chunks the server waits for the socket to drain or yields to the event loop. The items are the
// store's frozen objects taken at the list's resourceVersion, so the body stays consistent while writes go on.
import type {ServerResponse} from 'node:http';
import {setImmediate as yieldToEventLoop} from 'node:timers/promises';

/** Lists up to this many items are encoded and sent in one piece (with a Content-Length). */
export const chunkItems = 250;

/**
 * Sends `head` + the items' texts joined by commas + `tail`; `encode` turns a run of items into their texts. Short
 * lists go out at once; long ones in chunks, with chunked transfer encoding. Stops early if the client goes away.
 */
export async function sendItems<T>(
	res: ServerResponse,
	head: string,
	items: readonly T[],
	encode: (items: readonly T[]) => string[],
	tail: string,
	contentType = 'application/json',
): Promise<void> {
	if (items.length <= chunkItems) {
		const body = Buffer.from(head + encode(items).join(',') + tail, 'utf8');
		res.writeHead(200, {'Content-Type': contentType, 'Content-Length': body.length, 'Cache-Control': 'no-cache, private'});
		res.end(body);
		return;
	}
	res.writeHead(200, {'Content-Type': contentType, 'Cache-Control': 'no-cache, private'});
	let gone = false;
	const onClose = () => {
		gone = true;
	};
	res.once('close', onClose);
	try {
		let ok = res.write(head);
		for (let i = 0; i < items.length && !gone; i += chunkItems) {
			const text = encode(items.slice(i, i + chunkItems)).join(',');
			ok = res.write(i === 0 ? text : `,${text}`);
			if (!ok) await drained(res);
			else await yieldToEventLoop();
		}
		if (!gone) res.end(tail);
	} finally {
		res.off('close', onClose);
	}
}

/** Resolves when the socket can take more, or when the response closes (the writer's loop then stops). */
export function drained(res: ServerResponse): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			resolve();
		};
		res.once('drain', done);
		res.once('close', done);
	});
}
