// The event printer, whose LAST SEEN/COUNT come from either the old or the series fields; separate because no other printer has those rules.
import {since} from './age.js';
import {column, wide, type Printer} from './printer.js';

/** `kubectl get events`: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME with -o wide. */
export const eventPrinter: Printer = {
	columns: [
		column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
		column('Type', 'Type of this event (Normal, Warning).'),
		column('Reason', 'A short, machine understandable string that gives the reason for the transition.'),
		column('Object', 'The object that this event is about.'),
		column('Subobject', 'The part of the object the event is about, like a container.', wide),
		column('Source', 'The component reporting this event.', wide),
		column('Message', 'A human-readable description of the status of this operation.'),
		column('First Seen', 'The time at which the event was first recorded.', wide),
		column('Count', 'The number of times this event has occurred.', wide),
		column('Name', 'Name must be unique within a namespace.', {format: 'name', priority: 1}),
	],
	row(ev, now) {
		const firstSeen = ev.firstTimestamp ? since(ev.firstTimestamp, now) : since(ev.eventTime, now);
		let lastSeen = ev.lastTimestamp ? since(ev.lastTimestamp, now) : firstSeen;
		let count: number = ev.count ?? 0;
		if (ev.series) {
			lastSeen = since(ev.series.lastObservedTime, now);
			count = ev.series.count ?? 0;
		} else if (count === 0) {
			count = 1;
		}
		const involved = ev.involvedObject ?? {};
		const kind = String(involved.kind ?? '').toLowerCase();
		const target = involved.name ? `${kind}/${involved.name}` : kind;
		const component = ev.source?.component || ev.reportingComponent || '';
		const instance = ev.source?.host || ev.reportingInstance || '';
		return {
			cells: [
				lastSeen,
				ev.type ?? '',
				ev.reason ?? '',
				target,
				involved.fieldPath ?? '',
				instance ? `${component}, ${instance}` : component,
				String(ev.message ?? '').trim(),
				firstSeen,
				count,
				ev.metadata.name ?? '',
			],
		};
	},
};
