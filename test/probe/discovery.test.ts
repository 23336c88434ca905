import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {discoverProbeTarget, matchingServices, nodeAddress, targetForService} from '../../source/probe/discovery.js';
import type {NodeLike, ServiceLike, ServicePortLike} from '../../source/probe/discovery.js';
import type {Deployment} from '../../source/model/types.js';

const deployment: Deployment = {
	metadata: {name: 'nginx', namespace: 'default'},
	spec: {template: {metadata: {labels: {app: 'nginx', tier: 'web'}}}},
};

function svc(
	name: string,
	type: string,
	selector: Record<string, string> | undefined,
	ports: ServicePortLike[],
	extra: Partial<ServiceLike> = {},
): ServiceLike {
	return {metadata: {name, namespace: 'default'}, spec: {type, selector, clusterIP: '10.96.0.10', ports}, ...extra};
}
function node(name: string, ready: boolean, addresses: Array<[string, string]>): NodeLike {
	return {
		metadata: {name},
		status: {
			conditions: [{type: 'Ready', status: ready ? 'True' : 'False'}],
			addresses: addresses.map(([type, address]) => ({type, address})),
		},
	};
}

// The embedded cluster's nodes: Ready, InternalIP on loopback, as in the sim contracts.
const simNodes = [
	node('node2', true, [
		['InternalIP', '127.0.0.1'],
		['Hostname', 'node2'],
	]),
	node('node1', true, [['InternalIP', '127.0.0.1']]),
];

describe('matchingServices', () => {
	it('keeps services whose whole selector is on the pod template, sorted by name', () => {
		const services = [
			svc('web', 'ClusterIP', {app: 'nginx'}, [{port: 80}]),
			svc('all-labels', 'ClusterIP', {app: 'nginx', tier: 'web'}, [{port: 80}]),
			svc('other-app', 'ClusterIP', {app: 'httpd'}, [{port: 80}]),
			svc('too-specific', 'ClusterIP', {app: 'nginx', track: 'canary'}, [{port: 80}]),
			svc('no-selector', 'ClusterIP', undefined, [{port: 80}]),
			svc('empty-selector', 'ClusterIP', {}, [{port: 80}]),
			svc('external', 'ExternalName', {app: 'nginx'}, []),
		];
		assert.deepEqual(
			matchingServices(deployment, services).map((s) => s.metadata?.name),
			['all-labels', 'web'],
		);
	});
});

describe('nodeAddress', () => {
	it('picks a Ready node, preferring an ExternalIP, then an InternalIP', () => {
		assert.deepEqual(nodeAddress(simNodes), {node: 'node1', address: '127.0.0.1'});
		assert.deepEqual(
			nodeAddress([
				node('a', true, [['InternalIP', '10.0.0.4']]),
				node('b', true, [
					['InternalIP', '10.0.0.5'],
					['ExternalIP', '203.0.113.7'],
				]),
			]),
			{node: 'b', address: '203.0.113.7'},
		);
		assert.deepEqual(nodeAddress([node('a', false, [['InternalIP', '10.0.0.4']]), node('b', true, [['InternalIP', '10.0.0.5']])]), {
			node: 'b',
			address: '10.0.0.5',
		});
		assert.equal(nodeAddress([node('a', false, [['InternalIP', '10.0.0.4']])]), undefined);
		assert.equal(nodeAddress([]), undefined);
	});
});

describe('discoverProbeTarget', () => {
	it('NodePort: probes the node address at the nodePort (loopback on the embedded cluster)', () => {
		const t = discoverProbeTarget(
			deployment,
			[svc('nginx', 'NodePort', {app: 'nginx'}, [{port: 80, nodePort: 30353, protocol: 'TCP'}])],
			simNodes,
		);
		assert.deepEqual(t, {
			kind: 'url',
			url: 'http://127.0.0.1:30353/',
			service: 'nginx',
			how: 'NodePort 30353 of service nginx on node node1',
		});
	});

	it('NodePort with several ports: the one named http, else port 80', () => {
		const ports = [
			{name: 'metrics', port: 9113, nodePort: 31000},
			{name: 'http', port: 8000, nodePort: 31001},
			{port: 80, nodePort: 31002},
		];
		const t = targetForService(svc('nginx', 'NodePort', {app: 'nginx'}, ports), simNodes);
		assert.equal(t.kind === 'url' && t.url, 'http://127.0.0.1:31001/');
		const t2 = targetForService(
			svc('nginx', 'NodePort', {app: 'nginx'}, [
				{port: 9113, nodePort: 31000},
				{port: 80, nodePort: 31002},
				{port: 53, protocol: 'UDP', nodePort: 31003},
			]),
			simNodes,
		);
		assert.equal(t2.kind === 'url' && t2.url, 'http://127.0.0.1:31002/');
	});

	it('an IPv6 node address is bracketed', () => {
		const t = targetForService(svc('nginx', 'NodePort', {app: 'nginx'}, [{port: 80, nodePort: 30080}]), [
			node('n', true, [['InternalIP', 'fd00::5']]),
		]);
		assert.equal(t.kind === 'url' && t.url, 'http://[fd00::5]:30080/');
	});

	it('ClusterIP only: says it is not reachable from here, suggesting --probe and a port-forward', () => {
		const t = discoverProbeTarget(deployment, [svc('nginx', 'ClusterIP', {app: 'nginx'}, [{port: 80}])], simNodes);
		assert.equal(t.kind, 'unreachable');
		assert.equal(t.service, 'nginx');
		assert.match(t.kind === 'unreachable' ? t.message : '', /service nginx is ClusterIP only: not reachable from here/);
		assert.match(t.kind === 'unreachable' ? t.message : '', /--probe URL/);
		assert.match(t.kind === 'unreachable' ? t.message : '', /kubectl port-forward svc\/nginx 8080:80/);
	});

	it('a ClusterIP on port 3000 forwards the same local port', () => {
		const t = discoverProbeTarget(deployment, [svc('api', 'ClusterIP', {app: 'nginx'}, [{port: 3000}])], simNodes);
		assert.match(
			t.kind === 'unreachable' ? t.message : '',
			/kubectl port-forward svc\/api 3000:3000` and probe http:\/\/127\.0\.0\.1:3000\//,
		);
	});

	it('no Service selects the pods: says so and how to expose the deployment', () => {
		const t = discoverProbeTarget(deployment, [svc('other', 'NodePort', {app: 'httpd'}, [{port: 80, nodePort: 30001}])], simNodes);
		assert.equal(t.kind, 'unreachable');
		assert.equal(t.kind === 'unreachable' ? t.service : 'x', undefined);
		assert.match(t.kind === 'unreachable' ? t.message : '', /no Service selects the pods of deployment nginx \(app=nginx,tier=web\)/);
		assert.match(t.kind === 'unreachable' ? t.message : '', /kubectl expose deployment nginx --type=NodePort --port=80/);
	});

	it('multiple services: a reachable NodePort wins over an earlier ClusterIP', () => {
		const services = [
			svc('a-internal', 'ClusterIP', {app: 'nginx'}, [{port: 80}]),
			svc('b-public', 'NodePort', {app: 'nginx'}, [{port: 80, nodePort: 30353}]),
			svc('c-public', 'NodePort', {app: 'nginx'}, [{port: 80, nodePort: 30354}]),
		];
		const t = discoverProbeTarget(deployment, services, simNodes);
		assert.equal(t.kind === 'url' && t.service, 'b-public');
		assert.equal(t.kind === 'url' && t.url, 'http://127.0.0.1:30353/');
	});

	it('NodePort but no Ready node: says why instead of guessing an address', () => {
		const t = discoverProbeTarget(
			deployment,
			[svc('nginx', 'NodePort', {app: 'nginx'}, [{port: 80, nodePort: 30353}])],
			[node('n', false, [['InternalIP', '127.0.0.1']])],
		);
		assert.match(t.kind === 'unreachable' ? t.message : '', /NodePort 30353, but no Ready node has an address/);
	});

	it('LoadBalancer with an ingress IP probes the load balancer; without one, its NodePort', () => {
		const lb = svc('nginx', 'LoadBalancer', {app: 'nginx'}, [{port: 80, nodePort: 30999}], {
			status: {loadBalancer: {ingress: [{ip: '127.0.0.2'}]}},
		});
		assert.equal(((t) => t.kind === 'url' && t.url)(discoverProbeTarget(deployment, [lb], simNodes)), 'http://127.0.0.2:80/');
		const pending = svc('nginx', 'LoadBalancer', {app: 'nginx'}, [{port: 80, nodePort: 30999}]);
		assert.equal(((t) => t.kind === 'url' && t.url)(discoverProbeTarget(deployment, [pending], simNodes)), 'http://127.0.0.1:30999/');
	});

	it('https when the port is named https or is 443', () => {
		const t = targetForService(svc('nginx', 'NodePort', {app: 'nginx'}, [{name: 'https', port: 443, nodePort: 30443}]), simNodes);
		assert.equal(t.kind === 'url' && t.url, 'https://127.0.0.1:30443/');
	});
});
