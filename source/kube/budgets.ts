// The namespace's PodDisruptionBudgets (policy/v1), read when the graceful check opens: whether a node drain,
// which is a rollout too, may take a deployment's pods down together (model/graceful.ts 'no-pdb').
import type {PodDisruptionBudget} from '../model/types.js';
import type {Connection} from './connect.js';
import {requestJson} from './http.js';

// Lists the budgets of `namespace`; throws what the request met (describeError words it).
export async function listBudgets(conn: Connection, namespace = conn.namespace): Promise<PodDisruptionBudget[]> {
	const list = await requestJson<{items?: PodDisruptionBudget[]}>(
		conn,
		`/apis/policy/v1/namespaces/${encodeURIComponent(namespace)}/poddisruptionbudgets`,
		{signal: AbortSignal.timeout(15_000)},
	);
	return list.items ?? [];
}
