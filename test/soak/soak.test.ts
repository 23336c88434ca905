// The short soak, in the suite: at least 200 seeded faults against the cockpit's data layer, with rollouts, scale
// changes, restarts and a node loss; after every quiet period the cockpit equals the cluster (within 2 s of its end),
// nothing crashed, no rejection went unhandled, no retry came sooner than the backoff allows, no resource saw a burst,
// and the heap after the soak is within 64 MB of the heap before it. The long soak: npm run soak.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runSoak} from './soak.js';

// The heap may grow this much over the short soak (the sim's store and history included): more is a leak.
const HEAP_GROWTH_BOUND_MB = 64;

test('soak (short): 200+ faults with rollouts, scales and a node loss; converged after every quiet period; no storm; bounded heap', async () => {
	const report = await runSoak({durationMs: 45_000, speed: 20, seed: 11, nodeDownMs: 20_000, log: (line) => console.log(`# ${line}`)});
	console.log(
		`# soak: ${report.faults} faults in ${report.periods} periods ${JSON.stringify(report.faultCounts)}; workload ${JSON.stringify(report.workload)}; convergence p50 ${report.p50} ms, p99 ${report.p99} ms; ${report.requests} requests (${report.requestsPerFault} per fault, at most ${report.maxPerSecond}/s per resource); heap ${report.heapStartMb} -> ${report.heapEndMb} MB, rss ${report.rssEndMb} MB; ${report.evictions} pods evicted from the killed node`,
	);
	assert.ok(report.faults >= 200, `at least 200 faults, got ${report.faults}`);
	assert.ok(
		(report.workload.rollouts ?? 0) > 0 && (report.workload.scales ?? 0) > 0 && report.workload.nodeLosses === 1,
		JSON.stringify(report.workload),
	);
	assert.ok(report.evictions > 0, 'the node loss evicted pods (their replacements are compared like any other)');
	assert.ok(
		report.faultCounts['kill-node'] === 1 && report.faultCounts.restart! > 0 && report.faultCounts['drop-watches']! > 0,
		JSON.stringify(report.faultCounts),
	);
	assert.deepEqual(report.divergences, [], 'the cockpit equals the cluster after every quiet period');
	assert.equal(report.convergenceMs.length, report.periods);
	assert.deepEqual(report.crashes, [], 'no crash, no unhandled rejection');
	assert.deepEqual(report.backoffViolations, [], 'every retry after a 500 or 429 waited its backoff');
	assert.ok(report.maxPerSecond <= 20, `no burst: at most ${report.maxPerSecond} requests per second for one resource`);
	assert.deepEqual(report.simErrors, []);
	assert.ok(
		report.heapEndMb - report.heapStartMb <= HEAP_GROWTH_BOUND_MB,
		`heap ${report.heapStartMb} -> ${report.heapEndMb} MB: more than ${HEAP_GROWTH_BOUND_MB} MB of growth`,
	);
});
