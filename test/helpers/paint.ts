// Panes drawn as the cockpit draws them (source/app/paint.ts), read back as plain text.
import {paintPaneAlone} from '../../source/app/paint.js';
import type {Pane} from '../../source/screen/lines.js';
import {DEFAULT_THEME, type Theme} from '../../source/state/ui.js';

// The pane painted in a canvas of its size, as text: one line per row, trailing spaces removed.
export function paneText(pane: Pane, theme: Theme = DEFAULT_THEME): string {
	return paintPaneAlone(pane, theme).text();
}

// True when any cell of the painted pane carries a colour or an attribute.
export function paneStyled(pane: Pane, theme: Theme = DEFAULT_THEME): boolean {
	return paintPaneAlone(pane, theme).styles.some((s) => s !== 0);
}
