// The keyboard flow of an SSH session, as pure functions over real store states (the half-way rollout of
// test/app/fixtures.ts): `/` filters, Shift and a letter sorts, `:` switches deployment, namespace or context
// with Tab completion, and `?` lists every key of the registry the keys dispatch through.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {applyKeystroke, type Effect} from '../../source/commands/commands.js';
import {completeCommandLine, parseCommandLine} from '../../source/commands/command-line.js';
import {KeystrokeReader} from '../../source/commands/keystrokes.js';
import {plain} from '../../source/commands/keys.js';
import {COMMANDS, commandFor, helpRows, type Command, type CommandId} from '../../source/commands/registry.js';
import {helpPane} from '../../source/screen/help.js';
import {screen} from '../../source/screen/screen.js';
import type {CockpitState} from '../../source/state/store.js';
import {DEFAULT_THEME} from '../../source/state/ui.js';
import {NEW_RS, OLD_RS, rolloutStore} from '../app/fixtures.js';

const SIZE = {columns: 120, rows: 40};
const main = () => rolloutStore('nginx', {terminal: SIZE}).getState();
const picker = () => rolloutStore(null, {terminal: SIZE}).getState();

// Types reads (as a terminal delivers them) into the commands; returns the state and every effect.
function type(state: CockpitState, ...reads: string[]): {state: CockpitState; effects: Effect[]} {
	const reader = new KeystrokeReader();
	const effects: Effect[] = [];
	for (const read of reads)
		for (const k of reader.push(read)) {
			const next = applyKeystroke(state, k);
			state = next.state;
			effects.push(...next.effects);
		}
	return {state, effects};
}

const shortNames = (state: CockpitState) => (screen(state, SIZE).nav.pods?.names ?? []).map((n) => n.split('-').pop());
const titleOf = (state: CockpitState, pane: 'pods' | 'events') => {
	const body = screen(state, SIZE).body;
	return body.kind === 'deployment' ? (body[pane]?.title?.segments.map((s) => s.text).join('') ?? '') : '';
};
const ENTER = '\r';
const ESC = '\u001B';

test('/ filters the pods and the events as it is typed ("Pods 1/5"), Enter keeps it, Esc clears it', () => {
	let {state} = type(main(), '/', 'v4l');
	assert.equal(state.ui.bar?.kind, 'filter');
	assert.deepEqual(shortNames(state), ['v4lwp'], 'applied while typing');
	assert.match(titleOf(state, 'pods'), /^› Pods 1\/5 /);
	assert.match(titleOf(state, 'events'), /Events 1\/5 /, 'the BackOff event of that pod');
	({state} = type(state, 'wp', ENTER));
	assert.equal(state.ui.bar, undefined);
	assert.equal(state.ui.filter, 'v4lwp');
	assert.equal(screen(state, SIZE).header.view, '/v4lwp', 'the header shows the filter in force');
	// The keys move within what is shown; Enter opens the one pod shown.
	({state} = type(state, 'j', ENTER));
	assert.deepEqual(state.ui.views.at(-1), {kind: 'pod', pod: `${NEW_RS}-v4lwp`, scroll: 0});
	({state} = type(state, ESC));
	assert.equal(state.ui.filter, 'v4lwp', 'Esc from the detail goes back, the filter stays');
	({state} = type(state, ESC));
	assert.equal(state.ui.filter, undefined, 'Esc clears the filter first');
	assert.deepEqual(state.ui.views, [{kind: 'deployment'}], 'and does not leave the deployment');
	assert.equal(shortNames(state).length, 5);
	assert.match(state.ui.message?.text ?? '', /filter cleared/);
});

test('/ matches STATUS case-insensitively, a /regex/ by its rules; a bad regex is said and not applied; Esc in the bar puts back the filter before', () => {
	assert.deepEqual(shortNames(type(main(), '/crash\r').state), ['v4lwp']);
	assert.deepEqual(shortNames(type(main(), '/running\r').state), ['gldmc', 'dhhts']);
	const regex = type(main(), `//^${OLD_RS}-/\r`).state;
	assert.deepEqual(shortNames(regex), ['dhhts', 'g24tx']);
	assert.match(titleOf(regex, 'events'), /Events 0\/5 /);
	let {state} = type(main(), '/', '/[a-/');
	assert.equal(state.ui.bar?.kind, 'filter');
	assert.match(state.ui.bar?.kind === 'filter' ? (state.ui.bar.error ?? '') : '', /^not a regular expression/);
	assert.equal(shortNames(state).length, 5, 'an invalid filter filters nothing');
	({state} = type(state, ENTER));
	assert.equal(state.ui.bar?.kind, 'filter', 'Enter keeps the bar open to fix it');
	({state} = type(main(), '/kfg\r', '/', 'xyz'));
	assert.deepEqual(shortNames(state), [], 'the new text applies while typed');
	assert.match(titleOf(state, 'pods'), /Pods 0\/5/);
	({state} = type(state, ESC));
	assert.equal(state.ui.filter, 'kfg', 'Esc in the bar puts back the filter before');
	assert.deepEqual(shortNames(state), ['kfgb4']);
	// The deployment list is filtered too.
	const names = (s: CockpitState) => screen(s, SIZE).nav.picker?.names;
	assert.deepEqual(names(picker()), ['api', 'nginx']);
	assert.deepEqual(names(type(picker(), '/ngi\r').state), ['nginx']);
});

test('Shift-N/A/S/R/V sort the pods k9s style (twice: reverse), shown in the header; ties go by name', () => {
	const table: [string, string[], string][] = [
		['A', ['kfgb4', 'gldmc', 'v4lwp', 'dhhts', 'g24tx'], 'sort: age, newest first'],
		['AA', ['gldmc', 'v4lwp', 'dhhts', 'g24tx', 'kfgb4'], 'sort: age, oldest first'],
		['S', ['kfgb4', 'v4lwp', 'gldmc', 'dhhts', 'g24tx'], 'sort: status, A to Z'],
		['R', ['v4lwp', 'gldmc', 'kfgb4', 'dhhts', 'g24tx'], 'sort: restarts, most first'],
		['NN', ['g24tx', 'dhhts', 'v4lwp', 'kfgb4', 'gldmc'], 'sort: name, Z to A'],
		['V', ['dhhts', 'g24tx', 'gldmc', 'kfgb4', 'v4lwp'], 'sort: revision, oldest first'],
		['VV', ['gldmc', 'kfgb4', 'v4lwp', 'dhhts', 'g24tx'], ''],
		['AN', ['gldmc', 'kfgb4', 'v4lwp', 'dhhts', 'g24tx'], 'sort: name, A to Z'],
	];
	for (const [keys, order, header] of table) {
		const {state} = type(main(), keys);
		assert.deepEqual(shortNames(state), order, keys);
		assert.equal(screen(state, SIZE).header.view, header, keys);
	}
	// The selection follows its pod through a sort; the filter and the sort work together.
	const moved = type(main(), 'jj', 'R').state;
	assert.equal(moved.ui.selection.pods.name, `${NEW_RS}-v4lwp`);
	assert.deepEqual(shortNames(type(main(), '/running\r', 'NN').state), ['dhhts', 'gldmc']);
	// Sort keys are not taken in the picker, nor as text in a prompt.
	assert.equal(type(picker(), 'A').state.ui.sort, undefined);
});

test(': runs a command: Tab completes the verb and the names; :deploy, :ns and :ctx are checked and become effects', () => {
	const withLists = (s: CockpitState): CockpitState => ({
		...s,
		contexts: ['kind-sim', 'kind-staging', 'prod'],
		namespaceList: {names: ['default', 'kube-system', 'staging']},
	});
	// Opening the line lists the namespaces again (ones made since are in it).
	assert.deepEqual(type(main(), ':').effects, [{type: 'namespaces'}]);
	assert.deepEqual(type(withLists(main()), ':').effects, [{type: 'namespaces'}]);
	let {state} = type(withLists(main()), ':', 'd', '\t');
	assert.equal(state.ui.bar?.kind === 'command' && state.ui.bar.value, 'deploy ');
	({state} = type(state, '\t'));
	assert.equal(state.ui.bar?.kind === 'command' && state.ui.bar.note, 'api  nginx', 'Tab lists the deployments');
	({state} = type(state, 'a\t'));
	assert.equal(state.ui.bar?.kind === 'command' && state.ui.bar.value, 'deploy api');
	let done = type(state, ENTER);
	assert.deepEqual(done.effects, [{type: 'scope', deployment: 'api'}]);
	// Past the namespaces listing that opening the line asks for, what a command line ends in.
	const ran = (effects: Effect[]) => effects.filter((e) => e.type !== 'namespaces');
	assert.equal(done.state.ui.bar, undefined);
	// Unknown names are refused in the bar, which stays open; nothing switches.
	done = type(withLists(main()), ':deploy web\r');
	assert.deepEqual(done.effects, [{type: 'namespaces'}], 'only the listing');
	assert.match(done.state.ui.bar?.kind === 'command' ? (done.state.ui.bar.error ?? '') : '', /no deployment "web" in namespace "default"/);
	done = type(withLists(main()), ':ns sta\t\r');
	assert.deepEqual(ran(done.effects), [{type: 'switch', namespace: 'staging'}]);
	done = type(withLists(main()), ':ns prod\r');
	assert.match(done.state.ui.bar?.kind === 'command' ? (done.state.ui.bar.error ?? '') : '', /no namespace "prod" in context "kind-sim"/);
	done = type(withLists(main()), ':ctx kind-st\t\r');
	assert.deepEqual(ran(done.effects), [{type: 'switch', context: 'kind-staging'}]);
	done = type(withLists(main()), ':ctx nope\r');
	assert.match(
		done.state.ui.bar?.kind === 'command' ? (done.state.ui.bar.error ?? '') : '',
		/no context "nope" in the kubeconfig \(Tab lists them: kind-sim, kind-staging, prod\)/,
	);
	assert.deepEqual(ran(done.effects), []);
	// A namespace that cannot be listed (RBAC) can still be typed.
	const unlisted: CockpitState = {...withLists(main()), namespaceList: {error: 'forbidden'}};
	const tabbed = type(unlisted, ':ns x\t').state;
	assert.match(
		tabbed.ui.bar?.kind === 'command' ? (tabbed.ui.bar.note ?? '') : '',
		/cannot list the namespaces \(forbidden\): type the name/,
	);
	assert.deepEqual(ran(type(unlisted, ':ns anything\r').effects), [{type: 'switch', namespace: 'anything'}]);
	// :deploy alone goes to the list; :q quits; Esc cancels; a paste goes into the line.
	assert.deepEqual(type(main(), ':deploy\r').effects.at(-1), {type: 'scope', deployment: undefined});
	assert.deepEqual(type(main(), ':q\r').effects.at(-1), {type: 'quit'});
	assert.equal(type(main(), ':ns', ESC).state.ui.bar, undefined);
	const pasted = type(main(), ':', '\u001B[200~ctx prod\n\u001B[201~').state;
	assert.equal(pasted.ui.bar?.kind === 'command' && pasted.ui.bar.value, 'ctx prod');
});

test('the command line parses and completes as a shell would', () => {
	const ns = parseCommandLine('ns  staging ');
	assert.ok(ns.ok && ns.verb.verb === 'ns' && ns.arg === 'staging');
	assert.match((parseCommandLine('pods') as {error: string}).error, /unknown command "pods": try deploy, ns, ctx, quit/);
	assert.match((parseCommandLine('ns') as {error: string}).error, /ns needs a NAME/);
	assert.match((parseCommandLine('ns a b') as {error: string}).error, /ns takes one NAME, got 2/);
	assert.equal((parseCommandLine('namespace kube-system') as {arg: string}).arg, 'kube-system');
	const from = {deployments: ['nginx', 'nginx-canary', 'api'], contexts: ['a']};
	assert.deepEqual(completeCommandLine('', from).candidates, ['deploy', 'ns', 'ctx', 'quit']);
	assert.deepEqual(completeCommandLine('deploy ng', from), {
		text: 'deploy nginx',
		candidates: ['nginx', 'nginx-canary'],
		source: 'deployments',
	});
	assert.deepEqual(completeCommandLine('ns de', from), {text: 'ns de', candidates: [], source: 'namespaces'}, 'namespaces not known yet');
	assert.equal(completeCommandLine('ctx ', from).text, 'ctx a');
});

test('? lists every key of the registry the keys dispatch through: a command added to it is in the help and is dispatched', () => {
	const text = (registry?: readonly Command[]) =>
		helpPane({theme: DEFAULT_THEME, width: 100, height: 40, readonly: false, notes: [], registry})
			.lines.map((l) => l.segments.map((s) => s.text).join(''))
			.join('\n');
	const help = text();
	for (const c of COMMANDS) for (const b of c.keys) assert.ok(help.includes(b.label), `${c.id}: its key ${b.label} is in the help`);
	assert.match(help, /:deploy NAME, :ns NAME, :ctx NAME \(Tab completes\)/);
	assert.match(help, /N A S R V\s+sort by name, age, status, restarts, revision/);
	// A new command in the registry (say, an export on x): the help lists it, and the key dispatches to it.
	const exported: Command = {id: 'export' as CommandId, keys: [plain('x')], name: 'export the selected pod', scopes: ['deployment']};
	const extended = [...COMMANDS, exported];
	assert.match(text(extended), /\bx\s+export the selected pod/);
	assert.equal(commandFor('deployment', 'x', {}, extended)?.id, 'export');
	assert.equal(commandFor('deployment', 'x', {}), undefined);
	assert.equal(helpRows(extended).length, helpRows().length + 1);
	// At 80x24 the help keeps every row and its closing line, uncut.
	const small = helpPane({theme: DEFAULT_THEME, width: 80, height: 20, readonly: true, notes: ['a demo note'], registry: COMMANDS});
	assert.ok(small.lines.length <= 18, `${small.lines.length} lines in 18 rows`);
	for (const l of small.lines)
		assert.ok(l.segments.map((s) => s.text).join('').length <= 76, `fits: ${l.segments.map((s) => s.text).join('')}`);
	assert.equal(small.lines.at(-1)?.segments[0].text, 'Esc or ? closes this help.');
});
