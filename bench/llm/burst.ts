// Burst: 200 requests at once against a token bucket of 20 requests/s (burst 20), 200 ms latency.

import type { Target } from '../lib/types';
import { ratio, seconds, table } from '../lib/format';
import { describeErrors, runLoad, type LoadOutcome } from './load';
import type { Peer } from './peers';

export const BURST = { count: 200, ratePerSec: 20, burst: 20, latencyMs: 200, capMs: 60_000 } as const;

/** The last request cannot take a token before (N − burst) / rate, and then needs one latency. */
export const BURST_MIN_MS = ((BURST.count - BURST.burst) / BURST.ratePerSec) * 1000 + BURST.latencyMs;

export const BURST_TARGET = { maxRatio: 1.15, max429Share: 0.1 } as const;

export interface ScenarioReport {
  markdown: string;
  targets: Target[];
}

export async function runBurst(peers: Peer[], precisNames: string[], log: (line?: string) => void): Promise<ScenarioReport> {
  const outcomes: LoadOutcome[] = [];
  for (const peer of peers) {
    log(`  burst: ${peer.name}…`);
    const outcome = await runLoad(peer, {
      count: BURST.count,
      capMs: BURST.capMs,
      behaviour: { latencyMs: BURST.latencyMs, rateLimit: { ratePerSec: BURST.ratePerSec, burst: BURST.burst } },
    });
    outcomes.push(outcome);
    log(`    ${outcome.ok}/${outcome.total} ok in ${seconds(outcome.elapsedMs)}, 429s: ${outcome.upstream.status[429] ?? 0}`);
  }

  const reference = outcomes.find((o) => o.peer === precisNames[precisNames.length - 1]);
  const littleMs = (n: number) => Math.ceil(BURST.count / n) * BURST.latencyMs;
  const rows = outcomes.map((o) => {
    const n429 = o.upstream.status[429] ?? 0;
    return [
      o.peer,
      `${o.ok}/${o.total}`,
      seconds(o.elapsedMs) + (o.capped ? ' (cap)' : ''),
      ratio(o.elapsedMs / BURST_MIN_MS),
      `${n429} (${((n429 / o.total) * 100).toFixed(0)}%)`,
      String(o.upstream.completions),
      String(o.upstream.maxConcurrent),
      describeErrors(o),
    ];
  });
  const targets: Target[] = [];
  for (const o of outcomes.filter((x) => precisNames.includes(x.peer))) {
    const n429 = o.upstream.status[429] ?? 0;
    targets.push(
      { name: `burst, ${o.peer}: ${o.total}/${o.total} succeed`, pass: o.ok === o.total, measured: `${o.ok}/${o.total}` },
      {
        name: `burst, ${o.peer}: time ≤ ${BURST_TARGET.maxRatio}× min (${seconds(BURST_MIN_MS * BURST_TARGET.maxRatio)})`,
        pass: !o.capped && o.elapsedMs <= BURST_MIN_MS * BURST_TARGET.maxRatio,
        measured: `${seconds(o.elapsedMs)} = ${ratio(o.elapsedMs / BURST_MIN_MS)}`,
      },
      {
        name: `burst, ${o.peer}: upstream 429s ≤ ${BURST_TARGET.max429Share * 100}% of requests`,
        pass: n429 <= BURST_TARGET.max429Share * o.total,
        measured: `${n429}`,
      },
    );
  }

  const lines = [
    `${BURST.count} requests at once; token bucket ${BURST.ratePerSec} req/s, burst ${BURST.burst}; ${BURST.latencyMs} ms latency (429s too).`,
    `Theoretical minimum: the last request cannot take a token before (N − burst) / rate = (${BURST.count} − ${BURST.burst}) / ${BURST.ratePerSec} = ${((BURST.count - BURST.burst) / BURST.ratePerSec).toFixed(1)} s, then needs ${BURST.latencyMs} ms: min = ${seconds(BURST_MIN_MS)}.`,
    '',
    table(['peer', 'ok', 'time', '× min', 'upstream 429s', 'upstream calls', 'max in flight', 'failures'], rows),
    '',
    `A client that never has more than c requests in flight needs at least ⌈N / c⌉ × latency: ${seconds(littleMs(4))} (${ratio(littleMs(4) / BURST_MIN_MS, 3)} min) at c = 4, ${seconds(littleMs(8))} at c = 8, so at c = 4 only ${seconds(BURST_MIN_MS * BURST_TARGET.maxRatio - littleMs(4), 2)} of per-request overhead in all fits under the ${BURST_TARGET.maxRatio}× target.`,
  ];
  if (reference) {
    lines.push('', `Against ${reference.peer}:`);
    for (const o of outcomes.filter((x) => x !== reference)) {
      const a = reference.upstream.status[429] ?? 0;
      const b = o.upstream.status[429] ?? 0;
      lines.push(
        `- ${o.peer}: ${o.ok}/${o.total} vs ${reference.ok}/${reference.total} ok; time ${ratio(o.elapsedMs / reference.elapsedMs)}; upstream calls ${ratio(o.upstream.completions / reference.upstream.completions)}; 429s ${b} vs ${a}.`,
      );
    }
  }
  return { markdown: lines.join('\n'), targets };
}
