// Fixed-width cells for table rows drawn as one line of text (cheaper than a Box per cell when a
// pane shows dozens of rows, and exact: a cell never pushes the next one).

// `text` cut or padded to exactly `width` characters; a cut ends with `ellipsis`.
export function cell(text: string, width: number, ellipsis = '…'): string {
	if (width <= 0) return '';
	if (text.length <= width) return text.padEnd(width);
	if (width <= ellipsis.length) return text.slice(0, width);
	return text.slice(0, width - ellipsis.length) + ellipsis;
}

// How worrying a pod STATUS is: drives its colour (and nothing else, so NO_COLOR loses no meaning).
export type StatusTone = 'ok' | 'progress' | 'ending' | 'bad' | 'done';

const BAD =
	/^(Err|ImagePull|CrashLoop|OOMKilled|Error|Unknown|Evicted|Failed|CreateContainer|InvalidImageName|RunContainerError|Init:(?!\d)|Signal:|ExitCode:|NodeLost|ContainerStatusUnknown|DeadlineExceeded)/;

// The tone of a pod STATUS as kubectl prints it.
export function statusTone(status: string, ready?: string): StatusTone {
	if (status === 'Terminating') return 'ending';
	if (status === 'Completed' || status === 'Succeeded') return 'done';
	if (BAD.test(status)) return 'bad';
	if (status === 'Running') {
		// Running but not all containers ready is still on its way (or failing a probe).
		if (ready !== undefined) {
			const [a, b] = ready.split('/');
			if (a !== b) return 'progress';
		}
		return 'ok';
	}
	return 'progress';
}

// Colours of the tones.
export const TONE_COLOR: Record<StatusTone, string> = {ok: 'green', progress: 'yellow', ending: 'magenta', bad: 'red', done: 'gray'};

// Colours for revisions: the new ReplicaSet's pods are green, old ones cycle through the rest.
const OLD_REVISION_COLORS = ['yellow', 'magenta', 'blue', 'cyan'];

// The colour of a revision's pods; old revisions get stable colours by number.
export function revisionColor(revision: string, current: boolean): string {
	if (current) return 'green';
	const n = Number.parseInt(revision, 10);
	return OLD_REVISION_COLORS[(Number.isFinite(n) ? n : 0) % OLD_REVISION_COLORS.length];
}
