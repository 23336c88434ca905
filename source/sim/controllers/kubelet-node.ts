// The node status a kubelet posts when it starts: Ready and the pressure conditions as a healthy node reports them,
// with the heartbeat at now and a new transition time for each condition whose status changes (after a node was
// Unknown, Ready goes back to True). Separate from kubelet.ts because it is pure.
import type {KubeObject} from '../store.js';
import {isoSeconds} from './util.js';

const healthy: Record<string, {status: string; reason: string; message: string}> = {
	MemoryPressure: {status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available'},
	DiskPressure: {status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure'},
	PIDPressure: {status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available'},
	Ready: {status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status'},
};

/** The node's status as its kubelet posts it at `now` (wall-clock ms). */
export function postedNodeStatus(node: KubeObject, now: number): any {
	const at = isoSeconds(now);
	const previous: any[] = node.status?.conditions ?? [];
	const conditions = Object.entries(healthy).map(([type, want]) => {
		const old = previous.find((c) => c.type === type);
		return {
			type,
			status: want.status,
			lastHeartbeatTime: at,
			lastTransitionTime: old && old.status === want.status ? old.lastTransitionTime : at,
			reason: want.reason,
			message: want.message,
		};
	});
	return {...node.status, conditions};
}
