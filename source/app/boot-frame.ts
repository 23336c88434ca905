// The boot screen written straight to the terminal, before Ink and React are loaded: compiling them costs about 0.3 s
// of CPU (seconds of wall time on a loaded machine), and the header and what is being waited for should be on screen
// at once. Ink's Boot then paints the same frame, for which the frame writer sends nothing, and turns the spinner.
import {bootScreen, type BootInfo} from '../screen/boot.js';
import type {Theme} from '../state/ui.js';
import {frameWriterFor} from './frame-writer.js';
import {paintScreen} from './paint.js';

/** Paints the boot screen at the terminal's size (80x24 when it does not say) through its frame writer. */
export function drawBootFrame(out: NodeJS.WriteStream, info: BootInfo, theme: Theme): void {
	frameWriterFor(out).draw(paintScreen(bootScreen(info, theme, out.columns || 80, out.rows || 24)).canvas);
}
