// The shape of a Kubernetes object as the embedded cluster handles it: plain JSON. Separate from the store so
// that the modules the store is built from (indexes, frozen values) need not import the store.

/** A Kubernetes object as JSON. Objects read from the store are frozen: copy (thaw) one to change it. */
export type KubeObject = {
	apiVersion?: string;
	kind?: string;
	metadata: ObjectMeta;
	[key: string]: any;
};

export type ObjectMeta = {
	name?: string;
	generateName?: string;
	namespace?: string;
	uid?: string;
	resourceVersion?: string;
	generation?: number;
	creationTimestamp?: string;
	deletionTimestamp?: string;
	deletionGracePeriodSeconds?: number;
	labels?: Record<string, string>;
	annotations?: Record<string, string>;
	ownerReferences?: OwnerReference[];
	finalizers?: string[];
	[key: string]: any;
};

export type OwnerReference = {
	apiVersion: string;
	kind: string;
	name: string;
	uid: string;
	controller?: boolean;
	blockOwnerDeletion?: boolean;
};
