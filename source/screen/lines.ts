// What the screen model hands the components: lines of styled text. A pane is a title line and its lines;
// the components only draw them (colour, bold, dim and inverse only when the theme has colour).
import type {Theme} from '../state/ui.js';

// A run of text with one style; `spinner`: a turning spinner in place of the text (it animates on its own).
export type Segment = {text: string; color?: string; bold?: boolean; dim?: boolean; spinner?: boolean};

// One line of a pane. `wrap`: it may take several rows (`rows` of them are budgeted), else it is cut at the end
// (or at the start with `cutStart`); `indent`: columns kept free on the left of every row it takes; `lead`: a
// fixed-width column before the text, which wraps beside it (a hanging indent).
export type Line = {
	key: string;
	segments: Segment[];
	wrap?: boolean;
	rows?: number;
	cutStart?: boolean;
	indent?: number;
	lead?: Segment & {width: number};
	inverse?: boolean;
};

// A pane: a title rule and the lines under it, in a box of width x height; `border`: a box drawn around the lines
// (one column of padding inside it) instead of a title rule.
export type Pane = {width: number; height: number; title?: Line; lines: Line[]; border?: boolean};

// A line of one segment.
export function line(key: string, text: string, style: Omit<Segment, 'text'> = {}, extra: Omit<Line, 'key' | 'segments'> = {}): Line {
	return {key, segments: [{text, ...style}], ...extra};
}

// The glyphs a theme draws with.
export function glyphs(theme: Theme) {
	return theme.unicode
		? {
				bar: {available: '█', ready: '▓', created: '▒', empty: '░'},
				marker: '›',
				rule: '─',
				arrow: '→',
				cross: '✗',
				tick: '✓',
				cursor: '█',
			}
		: {
				bar: {available: '#', ready: '=', created: '-', empty: '.'},
				marker: '>',
				rule: '-',
				arrow: '->',
				cross: 'x',
				tick: 'ok',
				cursor: '_',
			};
}

// The rule line above a pane, "─ Pods 3 ─────" (or "- Pods 3 -----"); the focused pane's title is marked with
// the selection marker, so focus shows without colour too.
export function titleLine(theme: Theme, title: string, width: number, focused = false, detail?: string): Line {
	const g = glyphs(theme);
	const lead = focused ? `${g.marker} ` : `${g.rule} `;
	const label = `${lead}${title}${detail ? ` ${detail}` : ''} `;
	const text = label.length >= width ? label.slice(0, width) : label + g.rule.repeat(width - label.length);
	return {key: 'title', segments: [{text, bold: focused, color: focused ? 'cyan' : 'gray'}]};
}

// What every list pane is drawn from besides its rows: the selected row (-1: none), the window's first row as
// kept, its focus and size, and what it says when there are no rows.
export type ListOptions = {
	theme: Theme;
	selected: number;
	windowStart: number;
	focused: boolean;
	width: number;
	height: number;
	empty: string;
	/** The list's length before the `/` filter: the title shows "shown/of" while a filter hides rows. */
	of?: number;
};

// A list's count for its title: "12" or, while a filter hides some, "12/3000".
export function countOf(shown: number, of: number | undefined): string {
	return of === undefined || of === shown ? `${shown}` : `${shown}/${of}`;
}
