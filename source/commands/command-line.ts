// The `:` command line, k9s style: `:deploy NAME`, `:ns NAME`, `:ctx NAME` (and `:q`), with Tab completion of the
// verb and of the names (the namespace's deployments, the cluster's namespaces, the kubeconfig's contexts). The
// verbs are data: the bar parses and completes with this table, and the help lists it.

// Where a verb's argument is completed from.
export type NameSource = 'deployments' | 'namespaces' | 'contexts';

export type LineVerb = {
	verb: 'deploy' | 'ns' | 'ctx' | 'quit';
	// Other spellings, as kubectl's short names and k9s's aliases.
	aliases: readonly string[];
	arg?: {name: string; source: NameSource; optional?: boolean};
	does: string;
};

export const LINE_VERBS: readonly LineVerb[] = [
	{
		verb: 'deploy',
		aliases: ['deployment', 'deployments', 'deploy', 'dp'],
		arg: {name: 'NAME', source: 'deployments', optional: true},
		does: 'watch deployment NAME (no NAME: the list)',
	},
	{verb: 'ns', aliases: ['namespace', 'namespaces', 'ns'], arg: {name: 'NAME', source: 'namespaces'}, does: 'switch to namespace NAME'},
	{
		verb: 'ctx',
		aliases: ['context', 'contexts', 'ctx'],
		arg: {name: 'NAME', source: 'contexts'},
		does: 'switch to kubeconfig context NAME (reconnects)',
	},
	{verb: 'quit', aliases: ['q', 'quit', 'q!'], does: 'quit'},
];

// A command line read: the verb and its argument, or what is wrong with it.
export type ParsedLine = {ok: true; verb: LineVerb; arg?: string} | {ok: false; error: string};

const verbNames = () => LINE_VERBS.map((v) => v.verb).join(', ');

// Reads a command line (without its leading ':').
export function parseCommandLine(text: string): ParsedLine {
	const words = text
		.trim()
		.split(/\s+/)
		.filter((w) => w !== '');
	if (words.length === 0) return {ok: false, error: `type a command: ${verbNames()} (Tab completes)`};
	const [word, ...rest] = words;
	const verb = LINE_VERBS.find((v) => v.aliases.includes(word.toLowerCase()));
	if (!verb) return {ok: false, error: `unknown command ${JSON.stringify(word)}: try ${verbNames()} (Tab completes)`};
	if (!verb.arg) return rest.length > 0 ? {ok: false, error: `${verb.verb} takes no argument`} : {ok: true, verb};
	if (rest.length > 1) return {ok: false, error: `${verb.verb} takes one ${verb.arg.name}, got ${rest.length}: ${rest.join(' ')}`};
	if (rest.length === 0 && !verb.arg.optional)
		return {ok: false, error: `${verb.verb} needs a ${verb.arg.name} (Tab lists the ${verb.arg.source})`};
	return {ok: true, verb, arg: rest[0]};
}

// What Tab can complete from: undefined when a source is not known (yet).
export type Completions = Partial<Record<NameSource, readonly string[]>>;

// Tab's answer: the line completed as far as it is unambiguous, and the candidates left (empty: nothing matches).
export type Completion = {text: string; candidates: readonly string[]; source?: NameSource};

function commonPrefix(words: readonly string[]): string {
	if (words.length === 0) return '';
	let prefix = words[0];
	for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
	return prefix;
}

// Completes the verb, then its argument, as a shell does: the longest common prefix of the candidates, plus a
// space when only one is left.
export function completeCommandLine(text: string, from: Completions): Completion {
	const leading = text.replace(/^\s+/, '');
	const space = leading.search(/\s/);
	if (space < 0) {
		const candidates = LINE_VERBS.map((v) => v.verb).filter((v) => v.startsWith(leading.toLowerCase()));
		if (candidates.length === 1) return {text: `${candidates[0]} `, candidates};
		const prefix = commonPrefix(candidates);
		return {text: prefix.length > leading.length ? prefix : text, candidates};
	}
	const word = leading.slice(0, space);
	const verb = LINE_VERBS.find((v) => v.aliases.includes(word.toLowerCase()));
	if (!verb?.arg) return {text, candidates: []};
	const partial = leading.slice(space).trim();
	const names = from[verb.arg.source];
	if (!names) return {text, candidates: [], source: verb.arg.source};
	const candidates = [...names].filter((n) => n.startsWith(partial)).sort();
	if (candidates.length === 0) return {text, candidates, source: verb.arg.source};
	const completed = candidates.length === 1 ? candidates[0] : commonPrefix(candidates);
	return {text: `${verb.verb} ${completed.length >= partial.length ? completed : partial}`, candidates, source: verb.arg.source};
}
