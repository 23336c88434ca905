// The theme of the surrounding cockpit (colours, Unicode), given by the screen model at the root of the frame.
import {createContext, useContext} from 'react';
import {DEFAULT_THEME, type Theme} from '../state/ui.js';

export const ThemeContext = createContext<Theme>(DEFAULT_THEME);

// The theme of the surrounding cockpit.
export function useTheme(): Theme {
	return useContext(ThemeContext);
}
