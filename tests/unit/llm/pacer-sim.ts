// Drives the Pacer against a simulated server on a fake clock: a request and a token bucket
// (tests/support/token-bucket.ts) that describe themselves in one header dialect
// (tests/support/mock-llm/limit-headers.ts), a fixed latency, and a client that keeps `window`
// requests in flight when the pacer lets it. Deterministic: no timers, no network.
import { Pacer, type Sent } from '../../../lib/llm/pacer';
import { readLimits, serverWait } from '../../../lib/llm/retry-hints';
import { admittedHeaders, limitedHeaders, type LimitDialect, type LimitState, type Refusal } from '../../support/mock-llm/limit-headers';
import { TokenBucket } from '../../support/token-bucket';

export interface SimPlan {
  dialect: LimitDialect;
  count: number;
  ratePerSec: number;
  burst: number;
  latencyMs: number;
  window: number;
  /** Tokens per request and the token bucket (per second, burst); none by default. */
  tokens?: { perRequest: number; perSec: number; burst: number };
  /** At this time (ms from the start) the request rate becomes `ratePerSec`. */
  change?: { atMs: number; ratePerSec: number };
  /** Other clients of the same key take this many requests a second from the bucket, evenly. */
  foreignPerSec?: number;
}

export interface SimResult {
  doneMs: number;
  refused: number;
  /** The pacer's learned request rate (per second) at the end, and sampled each second. */
  learned: number | undefined;
  samples: (number | undefined)[];
}

const EPOCH = Date.UTC(2026, 0, 1);

export function simulate(plan: SimPlan): SimResult {
  let now = EPOCH;
  const clock = () => now;
  let requests = new TokenBucket(plan.ratePerSec, plan.burst, clock);
  const tokens = plan.tokens && new TokenBucket(plan.tokens.perSec, plan.tokens.burst, clock);
  const pacer = new Pacer();
  const inFlight: { at: number; sent: Sent; ok: boolean; headers: Headers }[] = [];
  let queued = plan.count;
  let done = 0;
  let refused = 0;
  let changed = false;
  const samples: (number | undefined)[] = [];
  let nextSample = EPOCH + 1_000;
  const units = plan.tokens?.perRequest ?? 0;
  let foreignDue = 0;
  let foreignAt = EPOCH;

  for (let steps = 0; done < plan.count && steps < 100_000; steps += 1) {
    if (plan.change && !changed && now >= EPOCH + plan.change.atMs) {
      changed = true;
      requests = new TokenBucket(plan.change.ratePerSec, plan.burst, clock);
    }
    if (plan.foreignPerSec) {
      foreignDue += ((now - foreignAt) / 1_000) * plan.foreignPerSec;
      foreignAt = now;
      for (; foreignDue >= 1; foreignDue -= 1) requests.take();
    }
    while (now >= nextSample) {
      samples.push(pacer.view().requestsPerSec);
      nextSample += 1_000;
    }
    inFlight.sort((a, b) => a.at - b.at);
    while (inFlight[0] !== undefined && inFlight[0].at <= now) {
      const r = inFlight.shift()!;
      if (r.ok) {
        pacer.admitted(r.sent, readLimits(r.headers, r.sent.at), now);
        done += 1;
      } else {
        refused += 1;
        queued += 1;
        const limits = readLimits(r.headers, r.sent.at);
        const window = limits.tokens.remaining === 0 && limits.requests.remaining !== 0 ? 'tokens' : 'requests';
        pacer.refused(r.sent, window, serverWait(r.headers, r.sent.at, 429), now);
      }
    }
    while (queued > 0 && inFlight.length < plan.window && pacer.readyAt(now, units) === 0) {
      queued -= 1;
      const sent = pacer.take(now, units);
      const r = requests.take();
      const t = r.ok && tokens ? tokens.take(units) : undefined;
      const state: LimitState = {};
      if (r.ok) state.requests = { limit: plan.burst, remaining: r.remaining, msUntilFull: r.msUntilFull };
      if (t?.ok) state.tokens = { limit: tokens!.burst, remaining: t.remaining, msUntilFull: t.msUntilFull };
      let refusal: Refusal | undefined;
      if (!r.ok) refusal = { window: 'requests', msUntilRetry: r.msUntilToken, state: { requests: { limit: plan.burst, ...requests.view() } } };
      else if (t && !t.ok) {
        requests.refund();
        refusal = { window: 'tokens', msUntilRetry: t.msUntilToken, state: { tokens: { limit: tokens!.burst, ...tokens!.view() } } };
      }
      const headers = new Headers(refusal ? limitedHeaders(plan.dialect, refusal, now) : admittedHeaders(plan.dialect, state, now));
      inFlight.push({ at: now + plan.latencyMs, sent, ok: refusal === undefined, headers });
    }
    const ready = queued > 0 && inFlight.length < plan.window ? pacer.readyAt(now, units) : 0;
    const next = Math.min(inFlight[0]?.at ?? Number.POSITIVE_INFINITY, ready > 0 ? ready : Number.POSITIVE_INFINITY, ...inFlight.map((x) => x.at));
    if (!Number.isFinite(next)) break;
    now = Math.max(now + 1, Math.min(next, nextSample));
  }
  return { doneMs: now - EPOCH, refused, learned: pacer.view().requestsPerSec, samples };
}
