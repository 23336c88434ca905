// Which pods accept connections right now, as the kubelet runs them: the NodePort router forwards only to
// these. A pod serves from its container's start until SIGTERM (a preStop hook delays SIGTERM, so the pod
// keeps serving through it), whether or not the endpoints still list it.

/** A container that answers HTTP. */
export type ServingContainer = {name: string; image: string; server: string; ports: number[]};

/** A pod that is serving now. */
export type ServingPod = {namespace: string; name: string; uid: string; podIP: string; nodeName: string; containers: ServingContainer[]};

/** The registry the kubelet writes and the router reads. */
export class ServingPods {
	private readonly pods = new Map<string, ServingPod>();

	private static key(namespace: string, name: string): string {
		return `${namespace}/${name}`;
	}

	/** Marks one container of a pod as serving (adds the pod if needed). */
	start(pod: Omit<ServingPod, 'containers'>, container: ServingContainer): void {
		const key = ServingPods.key(pod.namespace, pod.name);
		let entry = this.pods.get(key);
		if (!entry || entry.uid !== pod.uid) {
			entry = {...pod, containers: []};
			this.pods.set(key, entry);
		}
		entry.containers = [...entry.containers.filter((c) => c.name !== container.name), container];
	}

	/** Stops one container serving; the pod leaves when none is left. */
	stop(namespace: string, name: string, uid: string, container: string): void {
		const key = ServingPods.key(namespace, name);
		const entry = this.pods.get(key);
		if (!entry || entry.uid !== uid) return;
		entry.containers = entry.containers.filter((c) => c.name !== container);
		if (entry.containers.length === 0) this.pods.delete(key);
	}

	/** Forgets a pod entirely. */
	remove(namespace: string, name: string, uid?: string): void {
		const key = ServingPods.key(namespace, name);
		const entry = this.pods.get(key);
		if (entry && (!uid || entry.uid === uid)) this.pods.delete(key);
	}

	/** The pod if it serves now. */
	get(namespace: string, name: string): ServingPod | undefined {
		return this.pods.get(ServingPods.key(namespace, name));
	}

	/** The container of a serving pod that listens on `port`, if any. */
	containerFor(namespace: string, name: string, port: number): {pod: ServingPod; container: ServingContainer} | undefined {
		const pod = this.get(namespace, name);
		const container = pod?.containers.find((c) => c.ports.includes(port));
		return pod && container ? {pod, container} : undefined;
	}

	/** Every serving pod. */
	list(): ServingPod[] {
		return [...this.pods.values()];
	}
}
