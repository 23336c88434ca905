// How the cockpit may draw on this terminal: colours (off under NO_COLOR) and Unicode (off on
// terminals or locales that would garble box drawing), decided once at start-up.
import {createContext, useContext} from 'react';

export type Theme = {
	// False under NO_COLOR: no colour, bold or inverse; selection is shown by a marker instead.
	color: boolean;
	// False for ASCII-only terminals: borders, bars and spinners use plain characters.
	unicode: boolean;
};

// Colour unless NO_COLOR is set to anything non-empty (https://no-color.org); Unicode when the locale says UTF-8.
export function themeFromEnv(env: Record<string, string | undefined>): Theme {
	const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
	const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
	// TERM=linux (the console) has no box-drawing glyphs in most fonts; dumb terminals have nothing.
	const term = env.TERM ?? '';
	const unicode = /utf-?8/i.test(locale) && term !== 'linux' && term !== 'dumb';
	return {color: !noColor, unicode};
}

// Full colour and Unicode: what tests render with unless they say otherwise.
export const DEFAULT_THEME: Theme = {color: true, unicode: true};

export const ThemeContext = createContext<Theme>(DEFAULT_THEME);

// The theme of the surrounding cockpit.
export function useTheme(): Theme {
	return useContext(ThemeContext);
}

// The glyphs a theme draws with.
export function glyphs(theme: Theme) {
	return theme.unicode
		? {
				bar: {available: '█', ready: '▓', created: '▒', empty: '░'},
				marker: '›',
				border: 'single' as const,
				spinner: 'dots' as const,
				arrow: '→',
			}
		: {
				bar: {available: '#', ready: '=', created: '-', empty: '.'},
				marker: '>',
				border: 'classic' as const,
				spinner: 'line' as const,
				arrow: '->',
			};
}
