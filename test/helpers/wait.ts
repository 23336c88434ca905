// Waiting in tests, always with a deadline of seconds: a broken behaviour fails the test with what was
// awaited, instead of hanging the run until the runner's own timeout.

// Waits until check() returns a truthy value, polling every few ms, or fails after timeoutMs.
export async function waitFor<T>(check: () => T | undefined | false | null, timeoutMs = 5000, what = 'condition'): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 5));
	}
}

// The promise's value, or a failure naming `what` if it has not settled within timeoutMs.
export async function within<T>(promise: PromiseLike<T>, timeoutMs: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
	});
	try {
		return await Promise.race([promise, late]);
	} finally {
		clearTimeout(timer);
	}
}

// The promise, bounded from the moment it is awaited: a helper can hand out a stream's end or a server's answer that
// a test may or may not wait for, and a wait on it fails naming `what` after timeoutMs instead of hanging (a deadline
// started at once would reject unawaited while the test is still busy elsewhere).
export function bounded<T>(promise: Promise<T>, timeoutMs: number, what: string): PromiseLike<T> {
	// biome-ignore lint/suspicious/noThenProperty: a thenable is the point: `await` starts the deadline.
	return {then: (onFulfilled, onRejected) => within(promise, timeoutMs, what).then(onFulfilled, onRejected)};
}
