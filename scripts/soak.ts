// npm run soak: the long soak (10 minutes by default; SOAK_MINUTES, SOAK_SEED, SOAK_SPEED change it), printing its
// figures: faults, convergence p50/p99, requests per fault, the heap before and after. Exits 1 when a check fails.
import process from 'node:process';
import {runSoak} from '../test/soak/soak.js';

const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const seed = Number(process.env.SOAK_SEED ?? 7);
const speed = Number(process.env.SOAK_SPEED ?? 10);
const report = await runSoak({durationMs: minutes * 60_000, speed, seed, nodeDownMs: 60_000, log: (line) => console.log(line)});
const {convergenceMs: _all, ...figures} = report;
console.log(JSON.stringify(figures, null, 2));
const failed = [
	report.faults < 200 && 'fewer than 200 faults',
	report.divergences.length > 0 && 'the cockpit differed from the cluster after a quiet period',
	report.crashes.length > 0 && 'a crash or an unhandled rejection',
	report.backoffViolations.length > 0 && 'a retry sooner than the backoff',
	report.maxPerSecond > 20 && 'a burst of requests',
	report.heapEndMb - report.heapStartMb > 64 && 'the heap grew by more than 64 MB',
].filter(Boolean);
console.log(failed.length === 0 ? 'soak: all checks hold' : `soak: FAILED: ${failed.join('; ')}`);
process.exit(failed.length === 0 ? 0 : 1);
