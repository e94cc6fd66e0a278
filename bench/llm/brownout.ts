// Brownout: every request gets 503 for the first 3 s, then the server is healthy again.

import type { Target } from '../lib/types';
import { ratio, seconds, table } from '../lib/format';
import { describeErrors, runLoad, type LoadOutcome } from './load';
import type { Peer } from './peers';
import type { ScenarioReport } from './burst';

// The issue does not name a latency here. With 200 ms, no client capped at 4–8 parallel requests
// could even serve 200 healthy requests in 2 s (200 × 0.2 s / 8 = 5 s), so the target would only
// measure the concurrency cap. A short latency keeps it about the outage.
export const BROWNOUT = { count: 200, outageMs: 3_000, latencyMs: 10, capMs: 60_000 } as const;
export const BROWNOUT_TARGET = { afterOutageMs: 2_000, max503: 20 } as const;

/** An outage and what Precis must do with it: be done within `afterOutageMs` of its end, with at most `max503` 503s upstream. */
export interface BrownoutPlan {
  outageMs: number;
  afterOutageMs: number;
  max503: number;
}

export async function runBrownout(
  peers: Peer[],
  precisNames: string[],
  log: (line?: string) => void,
  plan: BrownoutPlan = { outageMs: BROWNOUT.outageMs, ...BROWNOUT_TARGET },
): Promise<ScenarioReport> {
  const outcomes: LoadOutcome[] = [];
  for (const peer of peers) {
    log(`  brownout ${plan.outageMs / 1000} s: ${peer.name}…`);
    const outcome = await runLoad(peer, {
      count: BROWNOUT.count,
      capMs: BROWNOUT.capMs,
      behaviour: { latencyMs: BROWNOUT.latencyMs, always: { kind: 'status', status: 503 } },
      during(mock) {
        const timer = setTimeout(() => mock.set({ always: undefined }), plan.outageMs);
        return () => clearTimeout(timer);
      },
    });
    outcomes.push(outcome);
    log(`    ${outcome.ok}/${outcome.total} ok in ${seconds(outcome.elapsedMs)}, 503s: ${outcome.upstream.status[503] ?? 0}`);
  }

  const limit = plan.outageMs + plan.afterOutageMs;
  const rows = outcomes.map((o) => [
    o.peer,
    `${o.ok}/${o.total}`,
    seconds(o.elapsedMs) + (o.capped ? ' (cap)' : ''),
    seconds(o.elapsedMs - plan.outageMs),
    String(o.upstream.status[503] ?? 0),
    String(o.upstream.completions),
    String(o.upstream.maxConcurrent),
    describeErrors(o),
  ]);
  const targets: Target[] = [];
  for (const o of outcomes.filter((x) => precisNames.includes(x.peer))) {
    const n503 = o.upstream.status[503] ?? 0;
    targets.push(
      { name: `brownout ${plan.outageMs / 1000} s, ${o.peer}: ${o.total}/${o.total} succeed`, pass: o.ok === o.total, measured: `${o.ok}/${o.total}` },
      {
        name: `brownout ${plan.outageMs / 1000} s, ${o.peer}: done within outage + ${plan.afterOutageMs / 1000} s (${seconds(limit)})`,
        pass: !o.capped && o.elapsedMs <= limit,
        measured: seconds(o.elapsedMs),
      },
      { name: `brownout ${plan.outageMs / 1000} s, ${o.peer}: upstream 503s ≤ ${plan.max503}`, pass: n503 <= plan.max503, measured: String(n503) },
    );
  }

  const lines = [
    `${BROWNOUT.count} requests at once; every request answered 503 (no retry-after) for the first ${plan.outageMs / 1000} s, then healthy; ${BROWNOUT.latencyMs} ms latency, no rate limit.`,
    '',
    table(['peer', 'ok', 'time', 'after outage', 'upstream 503s', 'upstream calls', 'max in flight', 'failures'], rows),
  ];
  const reference = outcomes.find((o) => o.peer === precisNames[precisNames.length - 1]);
  if (reference) {
    lines.push('', `Against ${reference.peer}:`);
    for (const o of outcomes.filter((x) => x !== reference)) {
      lines.push(
        `- ${o.peer}: ${o.ok}/${o.total} vs ${reference.ok}/${reference.total} ok; time ${ratio(o.elapsedMs / reference.elapsedMs)}; 503s ${o.upstream.status[503] ?? 0} vs ${reference.upstream.status[503] ?? 0}.`,
      );
    }
  }
  return { markdown: lines.join('\n'), targets };
}
