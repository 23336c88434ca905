// The boot screen as a screen model: the header's shape and a spinner that says what is being waited for, drawn
// before the store (and client-node or the embedded cluster) exists.
import type {Theme} from '../state/ui.js';
import {SPARE_ROWS} from './layout.js';
import type {Screen} from './screen.js';

export type BootInfo = {
	context?: string;
	namespace?: string;
	deployment?: string;
	// What is being waited for, e.g. "starting the embedded cluster".
	step: string;
};

// The boot screen at this size.
export function bootScreen(info: BootInfo, theme: Theme, columns: number, rows: number): Screen {
	const height = Math.max(10, rows - SPARE_ROWS);
	const hint = '? help  q quit';
	return {
		theme,
		width: columns,
		height,
		header: {
			width: columns,
			context: info.context ?? '…',
			namespace: info.namespace ?? '…',
			deployment: info.deployment,
			strategy: '',
			connection: {text: 'connecting', tone: 'busy'},
			readonly: false,
			view: '',
		},
		bodyHeight: height - 3,
		body: {
			kind: 'pane',
			pane: {
				width: columns,
				height: height - 3,
				lines: [
					{key: 'gap', segments: [{text: ' '}]},
					{
						key: 'step',
						segments: [
							{text: '', spinner: true, color: 'yellow'},
							{text: ` ${info.step}`, color: 'yellow'},
						],
						indent: 2,
					},
				],
			},
		},
		status: {width: columns, text: info.step, color: 'cyan', hint, room: Math.max(0, columns - hint.length - 1)},
		nav: {},
	};
}
