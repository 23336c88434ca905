import assert from 'node:assert/strict';
import {test} from 'node:test';

import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {CockpitStore, type CockpitState} from '../../source/state/store.js';
import {selectPods} from '../../source/state/selectors.js';
import {podInfo} from '../../source/model/pod-status.js';
import {useCockpit} from '../../source/state/use-store.js';
import {deployment, pod, replicaSet} from '../helpers/objects.js';

const rs = replicaSet({hash: 'aaaaaaaaaa', revision: 1, image: 'nginx:1.19', replicas: 3});

async function until(check: () => boolean, what: string) {
	const deadline = Date.now() + 3000;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 5));
	}
}

test('useCockpit re-renders when its slice changes, and not for unrelated changes', async () => {
	const store = new CockpitStore(
		{context: 'c', server: 's', namespace: 'default', deploymentName: 'nginx'},
		{flushIntervalMs: false, tickMs: false},
	);
	let renders = 0;
	function Pods() {
		const pods = useCockpit(store, selectPods);
		renders++;
		return <Text>{pods.map((p) => `${p.metadata?.name}:${podInfo(p).status}`).join(' ') || 'none'}</Text>;
	}
	const view = render(<Pods />);
	try {
		assert.equal(view.lastFrame(), 'none');
		store.sync('deployments', [deployment({name: 'nginx'})]);
		store.sync('replicaSets', [rs]);
		store.sync('pods', [pod({rs, suffix: 'aaaaa'})]);
		store.flush();
		await until(() => (view.lastFrame() ?? '').includes('nginx-aaaaaaaaaa-aaaaa:Running'), 'the pod');
		const after = renders;
		// Another deployment changes and the status line is set: the deployment's pods are the same list.
		store.event('deployments', 'MODIFIED', deployment({name: 'web'}));
		store.flush();
		store.setStatus('hello');
		await new Promise((r) => setImmediate(r));
		assert.equal(renders, after, 'no re-render for changes outside the slice');
		store.event('pods', 'MODIFIED', pod({rs, suffix: 'aaaaa', phase: 'Terminating'}));
		store.flush();
		await until(() => (view.lastFrame() ?? '').includes('nginx-aaaaaaaaaa-aaaaa:Terminating'), 'the change');
	} finally {
		view.unmount();
		store.dispose();
	}
});

test('useCockpit with an inline selector and isEqual keeps the previous value when equal', async () => {
	const store = new CockpitStore({context: 'c', server: 's', namespace: 'default'}, {flushIntervalMs: false, tickMs: false});
	let renders = 0;
	const names = (s: CockpitState) => [...s.deployments.keys()].sort();
	const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
	function Names() {
		const list = useCockpit(store, names, sameList);
		renders++;
		return <Text>{list.join(',') || 'none'}</Text>;
	}
	const view = render(<Names />);
	try {
		store.sync('deployments', [deployment({name: 'a'}), deployment({name: 'b'})]);
		store.flush();
		await until(() => view.lastFrame() === 'a,b', 'names');
		const after = renders;
		store.event('deployments', 'MODIFIED', deployment({name: 'a', replicas: 9}));
		store.flush();
		await new Promise((r) => setImmediate(r));
		assert.equal(renders, after, 'equal lists do not re-render');
		store.event('deployments', 'ADDED', deployment({name: 'c'}));
		store.flush();
		await until(() => view.lastFrame() === 'a,b,c', 'new name');
	} finally {
		view.unmount();
		store.dispose();
	}
});
