// The Printer shape and the column helpers all printers share; separate so printer files need not import table.ts (no import cycle).
import type {KubeObject} from '../../store.js';
import type {TableColumnDefinition, TableRow} from '../table.js';

/** One resource's columns and the rule that fills a row's cells (and conditions) from an object. */
export type Printer = {columns: TableColumnDefinition[]; row: (o: KubeObject, now: number) => Pick<TableRow, 'cells' | 'conditions'>};

/** A column definition with the server's defaults: a string, no format, shown without -o wide. */
export const column = (
	name: string,
	description: string,
	options: {type?: string; format?: string; priority?: number} = {},
): TableColumnDefinition => ({
	name,
	type: options.type ?? 'string',
	format: options.format ?? '',
	description,
	priority: options.priority ?? 0,
});

/** NAME, the first column of nearly every printer; format 'name' is what kubectl keys on for -o name. */
export const nameColumn = column('Name', 'Name must be unique within a namespace.', {format: 'name'});
/** AGE, as every printer but events words it. */
export const ageColumn = column('Age', 'When the object was created (CreationTimestamp).');
/** Column options for the ones kubectl shows only with -o wide. */
export const wide = {priority: 1};
