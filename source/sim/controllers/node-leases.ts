// The kubelets' heartbeats, as the Leases in kube-node-lease carry them on a real cluster: a running kubelet
// renews its node's Lease every 10 s, and the node lifecycle controller judges a node by the last renewal. Here a
// running kubelet is taken as renewing continuously (no object is written every 10 s), and a stopped one as having
// renewed last when it stopped; the node lifecycle controller reads renewTime() and hears when a kubelet stops.

/** The renewals of every node's lease, in simulated milliseconds. */
export class NodeLeases {
	// Node -> simulated ms of the last renewal, for kubelets that are stopped; a node not in it is renewing.
	private readonly stoppedAt = new Map<string, number>();
	private readonly listeners = new Set<(node: string) => void>();

	/** The kubelet of `node` stopped at simulated ms `at`: its lease is renewed no more. */
	stop(node: string, at: number): void {
		if (this.stoppedAt.has(node)) return;
		this.stoppedAt.set(node, at);
		this.notify(node);
	}

	/** The kubelet of `node` runs again: it renews from now on. */
	start(node: string): void {
		if (!this.stoppedAt.delete(node)) return;
		this.notify(node);
	}

	/** Whether the node's kubelet renews its lease. */
	renewing(node: string): boolean {
		return !this.stoppedAt.has(node);
	}

	/** The last renewal of the node's lease: `now` while its kubelet runs. */
	renewTime(node: string, now: number): number {
		return this.stoppedAt.get(node) ?? now;
	}

	/** The nodes whose kubelet is stopped. */
	stopped(): string[] {
		return [...this.stoppedAt.keys()];
	}

	/** Calls fn with the node's name whenever a kubelet stops or starts; returns the remover. */
	onChange(fn: (node: string) => void): () => void {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}

	private notify(node: string): void {
		for (const fn of [...this.listeners]) fn(node);
	}
}
