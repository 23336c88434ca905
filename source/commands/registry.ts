// The cockpit's commands as data: each one's keys, its name in messages, where it applies, whether it changes
// the cluster, and why it may be unavailable. The keys dispatch through this table (commands.ts), and the help
// is generated from it (screen/help.ts), so the two cannot drift.
import {needKey, type AccessNeed, type AccessReview} from '../kube/access.js';
import {clockTime} from '../screen/header.js';
import type {CockpitState} from '../state/store.js';
import {topView, type PodSortColumn, type UiState} from '../state/ui.js';
import {LINE_VERBS} from './command-line.js';
import {ctrl, matches, plain, special, type Binding, type KeyInfo} from './keys.js';

export type CommandId =
	| 'quit'
	| 'interrupt'
	| 'help'
	| 'graceful'
	| 'up'
	| 'down'
	| 'pageUp'
	| 'pageDown'
	| 'first'
	| 'last'
	| 'nextPane'
	| 'prevPane'
	| 'open'
	| 'back'
	| 'restart'
	| 'set-image'
	| 'scale'
	| 'history'
	| 'undo'
	| 'pause'
	| 'diff'
	| 'logs'
	| 'deployment-logs'
	| 'previous'
	| 'timeline'
	| 'timeline-svg'
	| 'apply'
	| 'cancel'
	| 'command-line'
	| 'filter'
	| 'sort-name'
	| 'sort-age'
	| 'sort-status'
	| 'sort-restarts'
	| 'sort-revision';

// Where the keys go: the overlay if one is up, else the view on top (a history showing a revision is 'revision').
export type Scope = 'picker' | 'deployment' | 'pod' | 'history' | 'revision' | 'logs' | 'timeline' | 'help' | 'graceful' | 'confirm';

export type Command = {
	id: CommandId;
	// What it needs the right to do (the access review at start asks for each; a denied one makes it unavailable).
	needs?: readonly AccessNeed[];
	keys: readonly Binding[];
	// Its name in messages ("read-only: r (restart) is disabled").
	name: string;
	scopes: readonly Scope[];
	// Changes the cluster: refused under --readonly, unavailable without a runner, busy while a change is sent.
	changes?: boolean;
};

const NAVIGATE: readonly Scope[] = ['picker', 'deployment', 'pod', 'history', 'revision', 'logs', 'timeline'];
// kubectl's own requests: restart, set image, undo, pause and resume patch the deployment; scale patches its scale.
const PATCH_DEPLOYMENT: readonly AccessNeed[] = [{verb: 'patch', group: 'apps', resource: 'deployments'}];
const PATCH_SCALE: readonly AccessNeed[] = [{verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale'}];
const ACT: readonly Scope[] = ['deployment', 'pod'];

// Every command, in the order a key is looked up within a scope.
export const COMMANDS: readonly Command[] = [
	{id: 'interrupt', keys: [ctrl('c')], name: 'quit', scopes: [...NAVIGATE, 'help', 'graceful', 'confirm']},
	{id: 'quit', keys: [plain('q')], name: 'quit', scopes: [...NAVIGATE, 'help', 'graceful']},
	{id: 'help', keys: [plain('?')], name: 'help', scopes: ['picker', 'deployment', 'pod', 'logs', 'timeline', 'help', 'graceful']},
	{id: 'graceful', keys: [plain('g')], name: 'graceful check', scopes: ['picker', 'deployment', 'pod', 'graceful']},
	{id: 'restart', keys: [plain('r')], name: 'restart', scopes: ACT, changes: true, needs: PATCH_DEPLOYMENT},
	{id: 'set-image', keys: [plain('i')], name: 'set image', scopes: ACT, changes: true, needs: PATCH_DEPLOYMENT},
	{id: 'scale', keys: [plain('s')], name: 'scale', scopes: ACT, changes: true, needs: PATCH_SCALE},
	{id: 'history', keys: [plain('h')], name: 'history', scopes: [...ACT, 'history', 'revision']},
	{id: 'undo', keys: [plain('u')], name: 'undo', scopes: [...ACT, 'history', 'revision'], changes: true, needs: PATCH_DEPLOYMENT},
	{id: 'pause', keys: [plain('p')], name: 'pause/resume', scopes: ACT, changes: true, needs: PATCH_DEPLOYMENT},
	{id: 'diff', keys: [plain('d')], name: 'diff', scopes: ['history', 'revision']},
	{id: 'logs', keys: [plain('l')], name: 'logs', scopes: ['deployment', 'pod']},
	{id: 'deployment-logs', keys: [plain('L')], name: 'deployment logs', scopes: ['deployment', 'pod']},
	{id: 'previous', keys: [plain('p')], name: 'previous container', scopes: ['logs']},
	{id: 'timeline', keys: [plain('t')], name: 'timeline', scopes: ['deployment', 'pod', 'timeline']},
	{id: 'timeline-svg', keys: [plain('T')], name: 'timeline SVG', scopes: ['deployment', 'pod', 'timeline']},
	{id: 'back', keys: [special('escape', 'Esc')], name: 'back', scopes: [...NAVIGATE, 'help', 'graceful']},
	{id: 'nextPane', keys: [special('tab', 'Tab', false)], name: 'next pane', scopes: ['deployment']},
	{id: 'prevPane', keys: [special('tab', 'Shift-Tab', true)], name: 'previous pane', scopes: ['deployment']},
	{id: 'up', keys: [special('upArrow', '↑'), plain('k')], name: 'up', scopes: NAVIGATE},
	{id: 'down', keys: [special('downArrow', '↓'), plain('j')], name: 'down', scopes: NAVIGATE},
	{id: 'pageUp', keys: [special('pageUp', 'PgUp'), ctrl('b', true)], name: 'page up', scopes: NAVIGATE},
	{id: 'pageDown', keys: [special('pageDown', 'PgDn'), ctrl('f', true)], name: 'page down', scopes: NAVIGATE},
	{id: 'first', keys: [special('home', 'Home')], name: 'first', scopes: ['picker', 'deployment', 'history', 'revision', 'logs']},
	{id: 'last', keys: [plain('G'), special('end', 'End')], name: 'last', scopes: ['picker', 'deployment', 'history', 'revision', 'logs']},
	{id: 'open', keys: [special('return', 'Enter')], name: 'open', scopes: ['picker', 'deployment', 'history', 'revision']},
	{id: 'command-line', keys: [plain(':')], name: 'command line', scopes: ['picker', 'deployment', 'pod']},
	{id: 'filter', keys: [plain('/')], name: 'filter', scopes: ['picker', 'deployment', 'logs']},
	{id: 'sort-name', keys: [plain('N')], name: 'sort by name', scopes: ['deployment']},
	{id: 'sort-age', keys: [plain('A')], name: 'sort by age', scopes: ['deployment']},
	{id: 'sort-status', keys: [plain('S')], name: 'sort by status', scopes: ['deployment']},
	{id: 'sort-restarts', keys: [plain('R')], name: 'sort by restarts', scopes: ['deployment']},
	{id: 'sort-revision', keys: [plain('V')], name: 'sort by revision', scopes: ['deployment']},
	// At the confirmation only a plain y sends; every other key cancels (n and Esc are the ones the help names).
	{id: 'apply', keys: [plain('y')], name: 'apply', scopes: ['confirm']},
	{id: 'cancel', keys: [plain('n'), special('escape', 'Esc')], name: 'cancel', scopes: []},
];

const BY_ID = new Map(COMMANDS.map((c) => [c.id, c]));

// The command of an id.
export function command(id: CommandId): Command {
	return BY_ID.get(id) as Command;
}

// One row of the help: the keys of its commands and what they do. Keys of one command are joined with "/",
// commands with a space (or `joiner`); aliases are named after the text.
export type HelpRow = {ids: readonly CommandId[]; does: string; joiner?: string};

// The help, in the order it lists the keys.
export const HELP_ROWS: readonly HelpRow[] = [
	{ids: ['up', 'down'], does: 'move the selection'},
	{ids: ['pageUp', 'pageDown'], does: 'move a page'},
	{ids: ['first', 'last'], does: 'first / last row (events: follow the newest)'},
	{ids: ['nextPane', 'prevPane'], does: 'next / previous pane (pods, events)'},
	{ids: ['open'], does: 'pod detail; in the picker, open the deployment'},
	{ids: ['graceful'], does: 'was it graceful? settings that let a rollout drop requests'},
	{ids: ['restart', 'set-image', 'scale'], does: 'restart; set image (per container); scale'},
	{ids: ['undo', 'pause'], does: 'undo to the previous revision; pause, or resume'},
	{ids: ['history', 'diff'], does: 'history: Enter template, d diff, u undo to the selected one'},
	{
		ids: ['command-line'],
		does: `command: ${LINE_VERBS.filter((v) => v.arg)
			.map((v) => `:${v.verb} ${v.arg?.name}`)
			.join(', ')} (Tab completes)`,
	},
	{ids: ['filter'], does: 'filter pods, events, deployments: text or /regex/'},
	{
		ids: ['sort-name', 'sort-age', 'sort-status', 'sort-restarts', 'sort-revision'],
		does: 'sort by name, age, status, restarts, revision; twice: reverse',
	},
	// One row for both (the help fits 80x24): logs of the pod or the deployment, the timeline and its SVG.
	{ids: ['logs', 'deployment-logs', 'previous', 'timeline', 'timeline-svg'], does: 'logs: pod, deployment, p previous; timeline, T as SVG'},
	{ids: ['apply', 'cancel'], does: 'changes are shown first: y sends, any other key cancels', joiner: '  '},
	{ids: ['back'], does: 'back: clear filter, close help, leave detail, pick deployment'},
	{ids: ['help', 'quit', 'interrupt'], does: 'this help (?); quit (q, Ctrl-C)'},
];

// A help row as text: its keys ("↑/k ↓/j"), what they do (aliases added: "(also Ctrl-B / Ctrl-F)"), and
// whether its commands change the cluster.
export function helpRow(row: HelpRow, registry: readonly Command[] = COMMANDS): {keys: string; does: string; changes: boolean} {
	const commands = row.ids.map((id) => registry.find((c) => c.id === id)).filter((c): c is Command => c !== undefined);
	const keys = commands
		.map((c) =>
			c.keys
				.filter((b) => !b.alias)
				.map((b) => b.label)
				.join('/'),
		)
		.join(row.joiner ?? ' ');
	const aliases = commands.flatMap((c) => c.keys.filter((b) => b.alias).map((b) => b.label));
	const does = aliases.length > 0 ? `${row.does} (also ${aliases.join(' / ')})` : row.does;
	return {keys, does, changes: commands.some((c) => c.changes === true)};
}

// The help's rows for a registry: HELP_ROWS where they name its commands, then one row for each command no row
// names (its name as the text), so a key added to the registry is in the help even before it gets its own words.
export function helpRows(
	registry: readonly Command[] = COMMANDS,
): {keys: string; does: string; changes: boolean; ids: readonly CommandId[]}[] {
	const ids = new Set(registry.map((c) => c.id));
	const rows = HELP_ROWS.filter((r) => r.ids.some((id) => ids.has(id)));
	const named = new Set(rows.flatMap((r) => r.ids));
	const rest = registry.filter((c) => !named.has(c.id) && c.keys.length > 0).map((c): HelpRow => ({ids: [c.id], does: c.name}));
	return [...rows, ...rest].map((r) => ({...helpRow(r, registry), ids: r.ids}));
}

// The pods' sort column of each sort command.
export const SORT_COLUMNS: Partial<Record<CommandId, PodSortColumn>> = {
	'sort-name': 'name',
	'sort-age': 'age',
	'sort-status': 'status',
	'sort-restarts': 'restarts',
	'sort-revision': 'revision',
};

// Where a key goes now.
export function scopeOf(ui: UiState): Scope {
	if (ui.bar?.kind === 'confirm') return 'confirm';
	if (ui.overlay) return ui.overlay.kind;
	const view = topView(ui);
	if (view.kind === 'history') return view.show === 'list' ? 'history' : 'revision';
	return view.kind;
}

// The command a keystroke means in this scope, if any (in the registry the keys dispatch through).
export function commandFor(scope: Scope, input: string, key: KeyInfo, registry: readonly Command[] = COMMANDS): Command | undefined {
	return registry.find((c) => c.scopes.includes(scope) && c.keys.some((b) => matches(b, input, key)));
}

// Every need of every command, for the access review at start.
export function accessNeeds(): AccessNeed[] {
	return COMMANDS.flatMap((c) => c.needs ?? []);
}

// Why the user may not run a command at all, from the access review (undefined: allowed, or not known).
export function forbidden(c: Command, access: AccessReview | undefined): string | undefined {
	for (const need of c.needs ?? []) {
		const verdict = access?.verdicts[needKey(need)];
		if (verdict && !verdict.allowed)
			return `forbidden: ${c.keys[0].label} (${c.name}) needs ${needKey(need)} in namespace ${access?.namespace}, which your user may not do (access review)`;
	}
	return undefined;
}

// The commands the user may not run (read-only, or denied by the access review), with the reason: the help and the
// hint mark them before anyone presses them.
export function unavailableCommands(state: CockpitState): ReadonlyMap<CommandId, string> {
	const out = new Map<CommandId, string>();
	for (const c of COMMANDS) {
		if (!c.changes) continue;
		const why = state.ui.session.readonly ? 'read-only' : forbidden(c, state.access);
		if (why) out.set(c.id, why);
	}
	return out;
}

// What the access review denied, in one line for the help: "Your user may not patch deployments.apps in namespace ...".
export function accessNote(access: AccessReview | undefined): string | undefined {
	if (!access) return undefined;
	const denied = [...new Set(accessNeeds().map(needKey))].filter((k) => access.verdicts[k]?.allowed === false);
	return denied.length === 0
		? undefined
		: `Your user may not ${denied.join(', nor ')} in namespace ${access.namespace} (access review at start).`;
}

// A change planned on a view that is not live would be planned on stale data: refused until the watches are back.
function disconnected(state: CockpitState): string | undefined {
	for (const kind of ['deployments', 'replicaSets'] as const) {
		const watch = state.connection.byKind[kind];
		if (watch && watch.phase !== 'watching' && watch.lostAt !== undefined) return `the view is stale since ${clockTime(watch.lostAt)}`;
	}
	return undefined;
}

// Why a command cannot run now (read-only, no runner, forbidden, disconnected, nothing loaded, a change in flight), or undefined.
export function unavailable(c: Command, state: CockpitState): string | undefined {
	const key = c.keys[0].label;
	if (c.changes) {
		const {session} = state.ui;
		if (session.readonly) return `read-only: ${key} (${c.name}) is disabled (started with --readonly)`;
		if (!session.canSend) return `${key} (${c.name}) is not available here`;
		const denied = forbidden(c, state.access);
		if (denied) return denied;
		const stale = disconnected(state);
		if (stale)
			return `disconnected: ${key} (${c.name}) was not sent, ${stale}; nothing is queued: press it again once the header says live`;
	}
	const deploymentName = state.deploymentName;
	if ((c.changes || c.id === 'history') && (deploymentName === undefined || !state.deployments.has(deploymentName)))
		return c.id === 'history'
			? 'no deployment to show the history of: it is not loaded (yet)'
			: `no deployment to ${c.name}: it is not loaded (yet)`;
	if (c.changes && state.ui.sending)
		return `busy: ${state.ui.sending.command} is still being sent; ${key} (${c.name}) was not sent, wait for it to finish`;
	return undefined;
}
