// The boot screen in Ink: the header's shape and a spinner that says what is being waited for, until the cockpit is
// ready. Its first frame is on screen already (app/boot-frame.ts draws it before Ink is loaded); this turns the spinner.
import {bootScreen, type BootInfo} from '../screen/boot.js';
import type {Theme} from '../state/ui.js';
import {useFrame} from './use-frame.js';
import {useTerminalSize} from './use-terminal-size.js';

export type BootProps = BootInfo & {theme: Theme};

// The boot screen; it draws through the frame writer and renders nothing into Ink's tree.
export function Boot({theme, ...info}: BootProps) {
	const {columns, rows} = useTerminalSize();
	useFrame(bootScreen(info, theme, columns, rows));
	return null;
}
