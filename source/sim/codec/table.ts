// Server-side printing: `kubectl get` asks for a meta.k8s.io/v1 Table (Accept: application/json;as=Table;...)
// and prints its columns as they come; without one it can only show NAME and AGE. These are the real API server's
// columns and cell rules (pkg/printers/internalversion in Kubernetes), written again here. The server always fills
// every column; kubectl hides priority-1 columns unless -o wide.
// This file holds the Table envelope and picks the printer; the printers live in printers/, one file per family.
import type {KubeObject} from '../store.js';
import {eventFromV1} from './events-v1.js';
import {eventPrinter} from './printers/events.js';
import {namespacePrinter, nodePrinter} from './printers/nodes.js';
import {podPrinter} from './printers/pods.js';
import {column, nameColumn, type Printer} from './printers/printer.js';
import {endpointsPrinter, servicePrinter} from './printers/services.js';
import {deploymentPrinter, replicaSetPrinter} from './printers/workloads.js';
import {roleBindingPrinter} from './printers/rbac.js';
import {podDisruptionBudgetPrinter} from './printers/policy.js';

// Re-exported so callers keep importing the printing helpers from table.ts.
export {humanDuration} from './printers/age.js';
export {podRowSummary} from './printers/pods.js';

/** What a row carries besides its cells, as the `includeObject` query parameter asks. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** How toTable fills the Table: the query's includeObject, the list's resourceVersion/continue, the clock. */
export type TableOptions = {
	includeObject: IncludeObject;
	listMeta: {resourceVersion: string; continue?: string};
	/** Wall-clock ms that ages are measured against. */
	now: number;
	/** Leave out columnDefinitions, as the server does for watch events after the first. @default false */
	noHeaders?: boolean;
};

/** A column as kubectl reads it: priority 1 columns appear only with -o wide. */
export type TableColumnDefinition = {name: string; type: string; format: string; description: string; priority: number};

/** Cells are strings, except the integer columns (DESIRED, COUNT, ...), as the server sends them. */
export type TableCell = string | number | boolean;

/** One row per object; `conditions` marks finished pods as Completed, as the server does. */
export type TableRow = {
	cells: TableCell[];
	conditions?: Array<{type: string; status: string; reason?: string; message?: string}>;
	object?: unknown;
};

/** The meta.k8s.io/v1 Table body. */
export type Table = {
	kind: 'Table';
	apiVersion: 'meta.k8s.io/v1';
	metadata: {resourceVersion: string; continue?: string};
	columnDefinitions: TableColumnDefinition[];
	rows: TableRow[];
};

// Resources without a printer of their own get the server's default columns.
const defaultPrinter: Printer = {
	columns: [nameColumn, column('Created At', 'When the object was created.', {type: 'date'})],
	row: (o) => ({cells: [o.metadata.name ?? '', o.metadata.creationTimestamp ?? '']}),
};

const printers: Record<string, Printer> = {
	pods: podPrinter,
	replicasets: replicaSetPrinter,
	deployments: deploymentPrinter,
	services: servicePrinter,
	endpoints: endpointsPrinter,
	nodes: nodePrinter,
	namespaces: namespacePrinter,
	events: eventPrinter,
	rolebindings: roleBindingPrinter,
	clusterrolebindings: roleBindingPrinter,
	poddisruptionbudgets: podDisruptionBudgetPrinter,
};

/** The row's `object`: the object, its PartialObjectMetadata, or nothing. */
function rowObject(o: KubeObject, includeObject: IncludeObject): unknown {
	if (includeObject === 'None') return null;
	if (includeObject === 'Metadata') return {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata};
	return o;
}

// The server prints from its internal object, so an events.k8s.io/v1 Event prints as its stored core form does.
function printable(o: KubeObject): KubeObject {
	return o.apiVersion === 'events.k8s.io/v1' ? eventFromV1(o) : o;
}

// The row's `object` for includeObject=Metadata as JSON text, per stored (frozen, so never stale) metadata: a pod's
// PartialObjectMetadata is most of its row (managedFields included), and kubectl asks for it on every page.
const metadataTexts = new WeakMap<object, string>();

function metadataJson(o: KubeObject): string {
	const frozen = Object.isFrozen(o.metadata);
	let text = frozen ? metadataTexts.get(o.metadata) : undefined;
	if (text === undefined) {
		text = JSON.stringify(rowObject(o, 'Metadata'));
		if (frozen) metadataTexts.set(o.metadata, text);
	}
	return text;
}

/** How tableRowTexts gets a stored object in the served form, and that form's JSON text (the caller's cache of it). */
export type RowEncoding = {typed: (stored: KubeObject) => KubeObject; json: (stored: KubeObject) => string};

/**
 * The rows of toTable as JSON texts, each what JSON.stringify gives of toTable's row for the typed object, for
 * lists: the cells are printed afresh (ages move on), the row's object is encoded once per stored version.
 */
export function tableRowTexts(
	resource: string,
	stored: readonly KubeObject[],
	options: Pick<TableOptions, 'includeObject' | 'now'>,
	encoding: RowEncoding,
): string[] {
	const printer = printers[resource] ?? defaultPrinter;
	return stored.map((s) => {
		const o = encoding.typed(s);
		const {cells, conditions} = printer.row(printable(o), options.now);
		const object = options.includeObject === 'None' ? 'null' : options.includeObject === 'Object' ? encoding.json(s) : metadataJson(o);
		return conditions === undefined
			? `{"cells":${JSON.stringify(cells)},"object":${object}}`
			: `{"cells":${JSON.stringify(cells)},"conditions":${JSON.stringify(conditions)},"object":${object}}`;
	});
}

/**
 * A meta.k8s.io/v1 Table of the objects of one resource (plural, e.g. 'pods'), with the real API server's
 * columns and cells. For a GET of one object, pass it alone. Objects should carry apiVersion and kind, as the
 * row's object is handed to the client as is.
 */
export function toTable(resource: string, objects: KubeObject[], options: TableOptions): Table {
	const printer = printers[resource] ?? defaultPrinter;
	return {
		kind: 'Table',
		apiVersion: 'meta.k8s.io/v1',
		metadata: {
			resourceVersion: options.listMeta.resourceVersion,
			...(options.listMeta.continue ? {continue: options.listMeta.continue} : {}),
		},
		columnDefinitions: options.noHeaders ? [] : printer.columns,
		rows: objects.map((o) => ({...printer.row(printable(o), options.now), object: rowObject(o, options.includeObject)})),
	};
}
