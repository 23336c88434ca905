// The `/` filter over the lists on screen: a substring (any case), or a regular expression between slashes
// (`/^nginx-7c/`, flags after the closing slash, `/crash/i`). Pure and memoisable: a filter is parsed once per
// text, and the screen filters a list once per (list, filter), so 20,000 pods cost one pass when either changes.
import type {CockpitState} from '../state/store.js';
import {topView, type View} from '../state/ui.js';

// A parsed filter: its text and its test, or why the text is no filter.
export type ParsedFilter = {ok: true; text: string; test: (s: string) => boolean} | {ok: false; text: string; error: string};

const MATCH_ALL: ParsedFilter = {ok: true, text: '', test: () => true};

// Parses the filter text the user typed.
export function parseFilter(text: string): ParsedFilter {
	if (text === '') return MATCH_ALL;
	const regex = /^\/(.*)\/([a-z]*)$/s.exec(text);
	if (regex && text.length >= 2) {
		const [, source, flags] = regex;
		if (/[^imsu]/.test(flags))
			return {ok: false, text, error: `unknown regular expression flag in ${JSON.stringify(flags)} (i, m, s or u)`};
		try {
			const re = new RegExp(source, flags);
			return {ok: true, text, test: (s) => re.test(s)};
		} catch (error) {
			const why = (error as Error).message.replace(/^Invalid regular expression: /, '');
			return {ok: false, text, error: `not a regular expression: ${why}`};
		}
	}
	const needle = text.toLowerCase();
	return {ok: true, text, test: (s) => s.toLowerCase().includes(needle)};
}

const parsed = new Map<string, ParsedFilter>();

// The filter of a text, parsed once (a few texts are kept: the one in force and the one being typed), so the
// same text gives the same object and memoised lists keep their result.
export function filterOf(text: string): ParsedFilter {
	let filter = parsed.get(text);
	if (!filter) {
		filter = parseFilter(text);
		if (parsed.size >= 16) parsed.delete(parsed.keys().next().value as string);
		parsed.set(text, filter);
	}
	return filter;
}

// The items whose text passes; the same array when the filter matches everything.
export function filterList<T>(items: readonly T[], filter: ParsedFilter, textOf: (item: T) => string): readonly T[] {
	if (!filter.ok || filter.text === '') return items;
	return items.filter((item) => filter.test(textOf(item)));
}

// The filter the lists are shown with: the one being typed while it is valid, else the one in force. Over a log
// view the bar edits the view's own filter (logFilter), not the lists'.
export function shownFilter(state: CockpitState): ParsedFilter {
	const bar = state.ui.bar;
	if (bar?.kind === 'filter' && bar.error === undefined && topView(state.ui).kind !== 'logs') return filterOf(bar.value);
	return filterOf(state.ui.filter ?? '');
}

// The filter a log view's lines are shown with: the one being typed while it is valid, else the view's own.
export function logFilter(state: CockpitState, view: Extract<View, {kind: 'logs'}>): ParsedFilter {
	const bar = state.ui.bar;
	if (bar?.kind === 'filter' && bar.error === undefined) return filterOf(bar.value);
	return filterOf(view.filter ?? '');
}
