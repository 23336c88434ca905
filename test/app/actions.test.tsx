// The rollout actions from the keyboard, against a recording API server through the real runner:
// every flow shows what will change and sends exactly one write on y, and nothing at all on n, Esc
// or any other key; bad input and --readonly are refused before any request.
import {test} from 'node:test';
import assert from 'node:assert/strict';

import {App} from '../../source/app/App.js';
import {KEYS, lineWith, mount, plain, press, tick, waitForFrame, type Rendered} from './harness.js';
import {actionApi, actionStore, DEPLOYMENT_PATH, NOW, RS1, RS2, type Api, type Options} from './action-fixtures.js';
import {formatRFC3339} from '../../source/kube/actions/index.js';

const SIZE = {columns: 120, rows: 40};
const has = (text: string | RegExp) => (frame: string) => (typeof text === 'string' ? frame.includes(text) : text.test(frame));

// The status line: the last line of the frame.
function statusLine(frame: string): string {
	return frame.trimEnd().split('\n').at(-1) ?? '';
}

const BACKSPACE = '\u007F';
const CTRL_U = '\u0015';

async function cockpit(
	t: {after(fn: () => unknown): void},
	options: Options & {
		readonly?: boolean;
		patch?: Parameters<typeof actionApi>[0] extends infer O ? (O extends {patch?: infer P} ? P : never) : never;
	} = {},
): Promise<{r: Rendered; api: Api}> {
	const api = await actionApi(options);
	t.after(() => api.close());
	const store = actionStore(options);
	t.after(() => store.dispose());
	// --readonly has no runner, as the CLI starts it.
	const r = await mount(<App store={store} runner={options.readonly ? undefined : api.runner} />, has('Rollout nginx'), SIZE);
	t.after(() => r.unmount());
	return {r, api};
}

// Waits for the status line to match.
function statusSays(r: Rendered, text: string | RegExp, what = String(text)): Promise<string> {
	return waitForFrame(
		r,
		(f) => (typeof text === 'string' ? statusLine(f).includes(text) : text.test(statusLine(f))),
		10_000,
		`status line: ${what}`,
	);
}

// Gives a wrongly sent request time to arrive before asserting that none did.
async function settle(): Promise<void> {
	for (let i = 0; i < 5; i++) await tick();
}

test('r: the confirmation names the restart; n, Esc and any other key send nothing, y sends one patch', async (t) => {
	const {r, api} = await cockpit(t);
	let frame = await press(r, 'r', has('Confirm'));
	assert.match(frame, /Confirm kubectl rollout restart deployment\/nginx/);
	assert.match(frame, /nginx: restart every pod \(kubectl\.kubernetes\.io\/restartedAt set to the time you confirm\) \(revision 3\)/);
	assert.match(frame, /change-cause: rollout-cockpit rollout restart deployment\/nginx/);
	assert.match(frame, /Apply to deployment\/nginx in default\? \[y\/N\]/);
	frame = await press(r, 'n', (f) => !f.includes('[y/N]'));
	assert.match(statusLine(frame), /cancelled: rollout restart deployment\/nginx was not sent/);
	await press(r, 'r', has('[y/N]'));
	await press(r, KEYS.escape, (f) => !f.includes('[y/N]'));
	await press(r, 'r', has('[y/N]'));
	// Anything but y is a no, even a key that means something elsewhere.
	frame = await press(r, 'j', (f) => !f.includes('[y/N]'));
	assert.match(statusLine(frame), /cancelled/);
	await settle();
	assert.equal(api.requests.length, 0, 'no request at all after three cancels');

	await press(r, 'r', has('[y/N]'));
	frame = await press(r, 'y', (f) => statusLine(f).includes('deployment.apps/nginx restarted'));
	assert.doesNotMatch(frame, /\[y\/N\]/);
	const patches = api.patches();
	assert.equal(patches.length, 1);
	assert.equal(patches[0].path, DEPLOYMENT_PATH);
	assert.equal(patches[0].contentType, 'application/strategic-merge-patch+json');
	const body = patches[0].body as {spec: {template: {metadata: {annotations: Record<string, string>}}}};
	assert.equal(
		body.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'],
		formatRFC3339(new Date(NOW)),
		'stamped when sent',
	);
});

test('i: a prompt per container, init container first, prefilled; an invalid image is refused in the prompt; y sends the new image by container name', async (t) => {
	const {r, api} = await cockpit(t, {init: 'busybox:1.36'});
	let frame = await press(r, 'i', has('Set image 1/2'));
	assert.match(frame, /Set image 1\/2: init container warmup/);
	assert.match(lineWith(frame, 'image: ') ?? '', /image: busybox:1\.36█/);
	// Enter keeps the init container's image and moves on.
	frame = await press(r, KEYS.enter, has('Set image 2/2'));
	assert.match(frame, /Set image 2\/2: container nginx/);
	assert.match(lineWith(frame, 'image: ') ?? '', /image: nginx:1\.20\.1█/);
	// Backspace takes one character, Ctrl-U the whole line.
	frame = await press(r, BACKSPACE, has('image: nginx:1.20.█'));
	frame = await press(r, CTRL_U, (f) => /image: █/.test(f));
	await press(r, 'nginx:1.18:latest', has('image: nginx:1.18:latest█'));
	frame = await press(r, KEYS.enter, has('invalid tag'));
	assert.match(frame, /^nginx: invalid tag "1\.18:latest"/m);
	assert.match(frame, /Set image 2\/2: container nginx/, 'still in the prompt to fix it');
	await press(r, CTRL_U, (f) => /image: █/.test(f));
	await press(r, 'nginx:1.18', has('image: nginx:1.18█'));
	frame = await press(r, KEYS.enter, has('[y/N]'));
	assert.match(frame, /Confirm kubectl set image deployment\/nginx nginx=nginx:1\.18/);
	assert.match(frame, /^\s+nginx: image nginx:1\.20\.1 -> nginx:1\.18 \(revision 3\)$/m);
	assert.doesNotMatch(frame, /warmup \(init\): image/, 'the unchanged init container is not a change');
	await settle();
	assert.equal(api.requests.length, 0, 'nothing is sent before y');
	await press(r, 'y', (f) => statusLine(f).includes('deployment.apps/nginx image updated'));
	const patches = api.patches();
	assert.equal(patches.length, 1);
	const spec = (patches[0].body as {spec: {template: {spec: Record<string, unknown>}}}).spec.template.spec;
	assert.deepEqual(spec.containers, [{image: 'nginx:1.18', name: 'nginx'}]);
	assert.equal(spec.initContainers, undefined);
});

test('i: an init container image change is confirmed as one; Esc in a prompt cancels with nothing sent', async (t) => {
	const {r, api} = await cockpit(t, {init: 'busybox:1.36'});
	await press(r, 'i', has('Set image 1/2'));
	await press(r, CTRL_U, (f) => /image: █/.test(f));
	await press(r, 'busybox:1.37', has('image: busybox:1.37█'));
	await press(r, KEYS.enter, has('Set image 2/2'));
	let frame = await press(r, KEYS.escape, (f) => !f.includes('Set image'));
	assert.match(statusLine(frame), /cancelled: nothing was sent/);
	await settle();
	assert.equal(api.requests.length, 0);

	// Again, through to the confirmation: the init container is named as such; n sends nothing.
	await press(r, 'i', has('Set image 1/2'));
	await press(r, CTRL_U, (f) => /image: █/.test(f));
	await press(r, 'busybox:1.37', has('image: busybox:1.37█'));
	await press(r, KEYS.enter, has('Set image 2/2'));
	frame = await press(r, KEYS.enter, has('[y/N]'));
	assert.match(frame, /warmup \(init\): image busybox:1\.36 -> busybox:1\.37 \(revision 3\)/);
	await press(r, 'n', (f) => !f.includes('[y/N]'));
	await settle();
	assert.equal(api.requests.length, 0);
	// Unchanged images everywhere: nothing to confirm, nothing sent.
	await press(r, 'i', has('Set image 1/2'));
	await press(r, KEYS.enter, has('Set image 2/2'));
	frame = await press(r, KEYS.enter, (f) => statusLine(f).includes('nothing to change'));
	assert.doesNotMatch(frame, /\[y\/N\]/);
	await settle();
	assert.equal(api.requests.length, 0);
});

test('s: negative and non-numeric counts are refused in the prompt; y sends one scale patch', async (t) => {
	const {r, api} = await cockpit(t);
	let frame = await press(r, 's', has('Scale'));
	assert.match(lineWith(frame, 'replicas: ') ?? '', /replicas: 3█/);
	await press(r, CTRL_U, (f) => /replicas: █/.test(f));
	await press(r, '-1', has('replicas: -1█'));
	frame = await press(r, KEYS.enter, has('replicas must be 0 or more, not -1'));
	await press(r, CTRL_U, (f) => /replicas: █/.test(f));
	await press(r, 'five', has('replicas: five█'));
	frame = await press(r, KEYS.enter, has('replicas must be a whole number (0 or more), not "five"'));
	// The typed q is text, not quit.
	await press(r, CTRL_U, (f) => /replicas: █/.test(f));
	await press(r, 'q', has('replicas: q█'));
	await press(r, KEYS.escape, (f) => !f.includes('replicas: '));
	await settle();
	assert.equal(api.requests.length, 0);

	await press(r, 's', has('replicas: 3█'));
	await press(r, CTRL_U, (f) => /replicas: █/.test(f));
	await press(r, '5', has('replicas: 5█'));
	frame = await press(r, KEYS.enter, has('[y/N]'));
	assert.match(frame, /Confirm kubectl scale deployment\/nginx --replicas=5/);
	assert.match(frame, /^\s+nginx: replicas 3 -> 5$/m);
	await press(r, 'y', (f) => statusLine(f).includes('deployment.apps/nginx scaled'));
	const patches = api.patches();
	assert.equal(patches.length, 1);
	assert.equal(patches[0].path, `${DEPLOYMENT_PATH}/scale`);
	assert.deepEqual(patches[0].body, {spec: {replicas: 5}});
});

test('h: the history lists each revision; Enter shows its template, d the diff, u undoes to it after y', async (t) => {
	const {r, api} = await cockpit(t);
	let frame = await press(r, 'h', has('History'));
	assert.match(frame, /History deployment\/nginx \(2 revisions\)/);
	assert.match(frame, /REVISION\s+CHANGE-CAUSE\s+IMAGES\s+AGE\s+REPLICASET\s+PODS/);
	assert.match(
		lineWith(frame, RS1) ?? '',
		/^\s+1\s+kubectl create deployment nginx --image=nginx:1\.18\s+nginx:1\.18\s+60m\s+nginx-5d59d67564\s+0$/,
	);
	assert.match(
		lineWith(frame, RS2) ?? '',
		/^›\s+2 \(current\)\s+kubectl set image deployment\/nginx nginx=nginx:1\.20\.1\s+nginx:1\.20\.1\s+10m\s+nginx-7c79c4bf97\s+3$/,
	);
	// On the current revision, u has nothing to do: kubectl's "skipped rollback".
	frame = await press(r, 'u', (f) => statusLine(f).includes('skipped rollback'));
	assert.match(statusLine(frame), /skipped rollback \(current template already matches revision 2\)/);
	frame = await press(r, 'k', (f) => /^›/.test(lineWith(f, RS1) ?? ''));
	// Enter: the template as `kubectl rollout history --revision=1` describes it.
	frame = await press(r, KEYS.enter, has('with revision #1'));
	assert.match(frame, /deployment\.apps\/nginx with revision #1/);
	assert.match(frame, /^Pod Template:$/m);
	assert.match(frame, /^ {2}Labels:\s+app=nginx$/m);
	assert.match(frame, /^ {2}Annotations:\s+kubernetes\.io\/change-cause: kubectl create deployment nginx --image=nginx:1\.18$/m);
	assert.match(frame, /^ {4}Image:\s+nginx:1\.18$/m);
	frame = await press(r, KEYS.escape, has('REVISION'));
	// d: the diff against the current template.
	frame = await press(r, 'd', has('against the current template'));
	assert.match(frame, /revision 1 against the current template \(revision 2\)/);
	assert.match(frame, /^- {5}image: nginx:1\.20\.1$/m);
	assert.match(frame, /^\+ {5}image: nginx:1\.18$/m);
	assert.doesNotMatch(frame, /pod-template-hash/);
	await press(r, KEYS.escape, has('REVISION'));
	// u: the confirmation says what changes; n goes back to the history with nothing sent.
	frame = await press(r, 'u', has('[y/N]'));
	assert.match(frame, /Confirm kubectl rollout undo deployment\/nginx --to-revision=1/);
	assert.match(frame, /^\s+nginx: image nginx:1\.20\.1 -> nginx:1\.18 \(revision 1\)$/m);
	assert.match(frame, /History deployment\/nginx/, 'the history stays in view behind the question');
	frame = await press(r, 'n', (f) => !f.includes('[y/N]'));
	assert.match(frame, /History deployment\/nginx/);
	await settle();
	assert.equal(api.requests.length, 0);
	await press(r, 'u', has('[y/N]'));
	frame = await press(r, 'y', (f) => statusLine(f).includes('deployment.apps/nginx rolled back'));
	assert.doesNotMatch(frame, /History deployment\/nginx/, 'after y the rollout is in view');
	const patches = api.patches();
	assert.equal(patches.length, 1);
	assert.equal(patches[0].contentType, 'application/json-patch+json');
	const ops = patches[0].body as {
		op: string;
		path: string;
		value: {spec?: {containers?: {image?: string}[]}; metadata?: {labels?: Record<string, string>}};
	}[];
	const template = ops.find((o) => o.path === '/spec/template')?.value;
	assert.equal(template?.spec?.containers?.[0]?.image, 'nginx:1.18');
	assert.deepEqual(template?.metadata?.labels, {app: 'nginx'}, 'the pod-template-hash label is not copied');
});

test('h: Esc closes the history; in it, keys of the screen underneath do nothing', async (t) => {
	const {r, api} = await cockpit(t);
	await press(r, 'h', has('History'));
	// r would restart from the main view; here it is swallowed.
	await press(r, 'r', has('History'));
	await settle();
	assert.doesNotMatch(plain(r.lastFrame()), /\[y\/N\]/);
	await press(r, KEYS.escape, (f) => !f.includes('History') && f.includes('Rollout nginx'));
	assert.equal(api.requests.length, 0);
});

test('u outside the history undoes to the previous revision; with no previous revision it says so and sends nothing', async (t) => {
	const {r, api} = await cockpit(t);
	let frame = await press(r, 'u', has('[y/N]'));
	assert.match(frame, /Confirm kubectl rollout undo deployment\/nginx --to-revision=1/);
	assert.match(frame, /nginx: image nginx:1\.20\.1 -> nginx:1\.18 \(revision 1\)/);
	await press(r, KEYS.escape, (f) => !f.includes('[y/N]'));
	await settle();
	assert.equal(api.requests.length, 0);
	await press(r, 'u', has('[y/N]'));
	await press(r, 'y', (f) => statusLine(f).includes('rolled back'));
	// Planned once, on what the cockpit shows, and sent once, guarded by that copy's resourceVersion: no reads first.
	assert.deepEqual(
		api.requests.map((q) => `${q.method} ${q.path}`),
		[`PATCH ${DEPLOYMENT_PATH}`],
	);
	assert.deepEqual((api.patches()[0].body as {path: string; value: unknown}[]).at(-1), {
		op: 'replace',
		path: '/metadata/resourceVersion',
		value: '100',
	});

	const only = await cockpit(t, {onlyFirst: true});
	frame = await press(only.r, 'u', (f) => statusLine(f).includes('no rollout history'));
	assert.match(statusLine(frame), /no rollout history found for deployment "nginx"/);
	await settle();
	assert.equal(only.api.requests.length, 0);
});

test('p pauses a running rollout and resumes a paused one, each after y; undo on a paused deployment is refused as kubectl does', async (t) => {
	const running = await cockpit(t);
	let frame = await press(running.r, 'p', has('[y/N]'));
	assert.match(frame, /Confirm kubectl rollout pause deployment\/nginx/);
	assert.match(frame, /nginx: pause the rollout/);
	await press(running.r, 'n', (f) => !f.includes('[y/N]'));
	await settle();
	assert.equal(running.api.requests.length, 0);
	await press(running.r, 'p', has('[y/N]'));
	await press(running.r, 'y', (f) => statusLine(f).includes('deployment.apps/nginx paused'));
	assert.deepEqual(
		running.api.patches().map((p) => p.body),
		[{metadata: {resourceVersion: '100'}, spec: {paused: true}}],
	);

	const paused = await cockpit(t, {paused: true});
	frame = await press(paused.r, 'p', has('[y/N]'));
	assert.match(frame, /Confirm kubectl rollout resume deployment\/nginx/);
	await press(paused.r, KEYS.escape, (f) => !f.includes('[y/N]'));
	await settle();
	assert.equal(paused.api.requests.length, 0);
	frame = await press(paused.r, 'u', (f) => statusLine(f).includes('paused'));
	assert.match(statusLine(frame), /you cannot rollback a paused deployment; resume it first/);
	await press(paused.r, 'p', has('[y/N]'));
	await press(paused.r, 'y', (f) => statusLine(f).includes('deployment.apps/nginx resumed'));
	assert.deepEqual(
		paused.api.patches().map((p) => p.body),
		[{metadata: {resourceVersion: '100'}, spec: {paused: null}}],
	);
});

test('--readonly: r, i, s, u and p say they are disabled and send nothing; h still shows the history but u in it is refused', async (t) => {
	const {r, api} = await cockpit(t, {readonly: true});
	for (const [key, label] of [
		['r', 'restart'],
		['i', 'set image'],
		['s', 'scale'],
		['u', 'undo'],
		['p', 'pause/resume'],
	] as const) {
		const frame = await press(r, key, (f) => statusLine(f).includes(`read-only: ${key} (${label}) is disabled`));
		assert.doesNotMatch(frame, /\[y\/N\]|Set image|replicas: /);
	}
	let frame = await press(r, 'h', has('History'));
	assert.doesNotMatch(frame, /u undo to it/, 'the hint leaves out u');
	await press(r, 'k', (f) => /^›/.test(lineWith(f, RS1) ?? ''));
	frame = await press(r, 'u', (f) => statusLine(f).includes('read-only: u (undo) is disabled'));
	assert.doesNotMatch(frame, /\[y\/N\]/);
	await settle();
	assert.equal(api.requests.length, 0);
});

test('a second change while one is being sent says busy and sends nothing; the first one ends in the status line', async (t) => {
	let release: (answer: {status: number; body?: unknown}) => void = () => {};
	// wait-ok: the server's answer, held until the test releases it; closing the server cuts it.
	const held = new Promise<{status: number; body?: unknown}>((resolve) => (release = resolve));
	const {r, api} = await cockpit(t, {patch: () => ({hold: held})});
	await press(r, 'r', has('[y/N]'));
	await press(r, 'y', (f) => statusLine(f).includes('sending: rollout restart deployment/nginx'));
	await waitForFrame(r, () => api.patches().length === 1, 10_000, 'the patch to reach the server');
	const sent = r.frames.length;
	// Each refusal names the key it refused, so each press is seen to be refused on its own.
	let frame = await press(r, 'p', (f) => statusLine(f).includes('p (pause/resume) was not sent'));
	assert.match(statusLine(frame), /^busy: rollout restart deployment\/nginx is still being sent; p \(pause\/resume\) was not sent/);
	frame = await press(r, 'r', (f) => statusLine(f).includes('r (restart) was not sent'));
	assert.match(statusLine(frame), /^busy: rollout restart deployment\/nginx is still being sent; r \(restart\) was not sent/);
	assert.ok(
		r.frames.slice(sent).every((f) => !plain(f).includes('[y/N]')),
		'no confirmation opened while the first change was being sent',
	);
	release({status: 200, body: {}});
	frame = await statusSays(r, 'deployment.apps/nginx restarted');
	assert.equal(api.patches().length, 1, 'exactly one write');
});

test('API errors are shown in plain words and the cockpit keeps running', async (t) => {
	const forbidden = {
		kind: 'Status',
		apiVersion: 'v1',
		status: 'Failure',
		reason: 'Forbidden',
		code: 403,
		message: 'deployments.apps "nginx" is forbidden',
	};
	const {r, api} = await cockpit(t, {patch: () => ({status: 403, body: forbidden})});
	await press(r, 's', has('replicas: 3█'));
	await press(r, CTRL_U, (f) => /replicas: █/.test(f));
	await press(r, '4', has('replicas: 4█'));
	await press(r, KEYS.enter, has('[y/N]'));
	let frame = await press(r, 'y', (f) => statusLine(f).includes('forbidden'));
	assert.match(statusLine(frame), /forbidden: you may not patch deployments\.apps\/scale in namespace default/);
	assert.equal(api.patches().length, 1, 'a 403 is not retried');
	// Still running: the history opens and closes.
	frame = await press(r, 'h', has('History'));
	await press(r, KEYS.escape, (f) => !f.includes('History'));
});

test('? lists the action keys; with --readonly they are marked disabled', async (t) => {
	const {r} = await cockpit(t, {readonly: true});
	const frame = await press(r, '?', has('Keys'));
	assert.match(lineWith(frame, 'r i s') ?? '', /r i s\s+\(disabled\) restart; set image/);
	assert.match(lineWith(frame, 'u p') ?? '', /u p\s+\(disabled\) undo to the previous revision/);
	assert.match(lineWith(frame, 'history:') ?? '', /\bh d\s+history: Enter template, d diff, u undo/);
	assert.match(frame, /y {2}n\/Esc\s+changes are shown first: y sends, any other key cancels/);
	assert.match(frame, /Keys \(read-only mode: keys that change the cluster are disabled\)/);
});

test('at 80x24 the history, a confirmation and a prompt fit the screen', async (t) => {
	const api = await actionApi({init: 'busybox:1.36'});
	t.after(() => api.close());
	const store = actionStore({init: 'busybox:1.36'});
	t.after(() => store.dispose());
	const r = await mount(<App store={store} runner={api.runner} />, has('Rollout nginx'), {columns: 80, rows: 24});
	t.after(() => r.unmount());
	const fits = (frame: string) => {
		const lines = frame.split('\n');
		assert.ok(lines.length <= 23, `${lines.length} lines:\n${frame}`);
		for (const line of lines) assert.ok(line.length <= 80, `too wide: ${JSON.stringify(line)}`);
	};
	let frame = await press(r, 'h', has('History'));
	fits(frame);
	// A long change-cause is cut; images, age, ReplicaSet and pods stay.
	assert.match(frame, /REVISION\s+CHANGE-CAUSE\s+IMAGES\s+AGE\s+REPLICASET\s+PODS/);
	assert.match(lineWith(frame, RS1) ?? '', /^\s+1\s+kubectl create deployment.*…\s+nginx:1\.18\s+60m\s+nginx-5d59d67564\s+0$/);
	await press(r, 'k', (f) => /^›/.test(lineWith(f, ' 1 ') ?? ''));
	frame = await press(r, 'u', has('[y/N]'));
	fits(frame);
	assert.match(frame, /nginx: image nginx:1\.20\.1 -> nginx:1\.18 \(revision 1\)/);
	assert.match(statusLine(frame), /y apply {2}n cancel/);
	await press(r, 'n', (f) => !f.includes('[y/N]'));
	await press(r, KEYS.escape, (f) => !f.includes('History'));
	frame = await press(r, 'i', has('Set image 1/2'));
	fits(frame);
	assert.match(frame, /Rollout nginx/, 'the rollout stays in view above the prompt');
	await press(r, KEYS.escape, (f) => !f.includes('Set image'));
	await settle();
	assert.equal(api.requests.length, 0);
});
