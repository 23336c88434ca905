// Changing a deployment from a test as kubectl does, through the cockpit's own client, answered within seconds.
import type {Connection} from '../../source/kube/connect.js';
import {requestJson} from '../../source/kube/http.js';
import {within} from './wait.js';

/** The strategic merge patch `kubectl set image deployment/NAME CONTAINER=IMAGE` sends. */
export const setImagePatch = (container: string, image: string) => ({spec: {template: {spec: {containers: [{name: container, image}]}}}});

/** PATCHes deployment `name` in default (a strategic merge patch unless contentType says otherwise); fails after 20 s. */
export function patchDeployment(
	conn: Connection,
	name: string,
	body: object,
	contentType = 'application/strategic-merge-patch+json',
): Promise<unknown> {
	const path = `/apis/apps/v1/namespaces/default/deployments/${name}`;
	return within(requestJson(conn, path, {method: 'PATCH', contentType, body: JSON.stringify(body)}), 20_000, `PATCH ${path}`);
}
