// The whole client (admission, pacer, breaker, retries) on a virtual clock against a simulated
// token-bucket server (tests/support/sim-llm.ts): issue #13's targets, checked without timing noise.
import { describe, expect, it } from 'vitest';
import { rateBounds, type Verdict } from '../../../lib/llm/rate-bounds';
import { simLoad } from '../../support/sim-run';

const minMs = (count: number, burst: number, ratePerSec: number, latencyMs: number) => ((count - burst) / ratePerSec) * 1_000 + latencyMs;
const refused = (o: { upstream: { status: Record<number, number> } }) => o.upstream.status[429] ?? 0;

describe('rateBounds', () => {
  const v = (seq: number, at: number, refused: boolean): Verdict => ({ seq, at, units: 1, refused });

  it('bounds the refill rate from both sides: refusals from above, admissions from below', () => {
    // Empty at 0; 4 admitted over the next 200 ms, then refused again at 300 ms.
    const anchor = v(1, 0, true);
    const after = [v(2, 50, false), v(3, 100, false), v(4, 150, false), v(5, 200, false), v(6, 300, true)];
    const { lo, hi } = rateBounds([anchor], after);
    // The 4th admitted at 200 ms found one unit after 3 were taken: over 3 / 210 ms (arrival slack 10 ms);
    // refused at 300 ms with 4 taken: under 5 / 290 ms.
    expect(lo).toBeCloseTo(3 / 210, 5);
    expect(hi).toBeCloseTo(5 / 290, 5);
  });

  it('stops at the first request without a verdict: a refusal after it is not yet placed', () => {
    const { lo, hi } = rateBounds([v(1, 0, true)], [v(2, 50, false), v(3, 100, false), 'pending', v(5, 300, true)]);
    expect(hi).toBe(Number.POSITIVE_INFINITY);
    expect(lo).toBeGreaterThan(0);
  });
});

describe('against a server that names no limit (virtual clock)', () => {
  // Sweep points (seeds 782447 #2, 782448 #2 of the bench) where the old pacer drew 12–13% 429s at
  // maxConcurrency 50: the first wave of slow start, then a wave per guess.
  const points = [
    { ratePerSec: 24, burst: 11, latencyMs: 91, count: 91, seed: 7824471 },
    { ratePerSec: 18, burst: 7, latencyMs: 108, count: 65, seed: 7824481 },
  ];

  it.each(['429-only', 'http-date', 'none'] as const)('%s: at maxConcurrency 50, all succeed near the minimum with 429s at most a tenth of the requests', async (dialect) => {
    for (const p of points) {
      const o = await simLoad({
        seed: p.seed,
        count: p.count,
        options: { maxConcurrency: 50 },
        behaviour: { latencyMs: p.latencyMs, jitterMs: p.latencyMs / 10, dialect, rateLimit: { ratePerSec: p.ratePerSec, burst: p.burst } },
      });
      expect(o.ok).toBe(p.count);
      expect(refused(o)).toBeLessThanOrEqual(0.1 * p.count);
      expect(o.elapsedMs).toBeLessThanOrEqual((dialect === 'none' ? 1.25 : 1.1) * minMs(p.count, p.burst, p.ratePerSec, p.latencyMs));
    }
  });

  it('three clients on one key that answers only 429s: within 1.3× the minimum of the combined load, at most 25% 429s', async () => {
    // Seeds where the old pacer took ×1.44–1.50 (a client that fell behind finished alone, regrowing every 2 s).
    for (const seed of [782449, 782451, 782455]) {
      const o = await simLoad({
        seed,
        clients: 3,
        count: 60,
        behaviour: { latencyMs: 100, jitterMs: 10, dialect: '429-only', rateLimit: { ratePerSec: 20, burst: 10 } },
      });
      expect(o.ok).toBe(180);
      expect(o.elapsedMs).toBeLessThanOrEqual(1.3 * minMs(180, 10, 20, 100));
      expect(refused(o)).toBeLessThanOrEqual(0.25 * 180);
    }
  });

  it('a rate the server describes still paces as before: OpenAI headers, no more than the first wave refused', async () => {
    const o = await simLoad({
      seed: 1,
      count: 100,
      options: { maxConcurrency: 50 },
      behaviour: { latencyMs: 100, jitterMs: 10, dialect: 'openai', rateLimit: { ratePerSec: 20, burst: 10 } },
    });
    expect(o.ok).toBe(100);
    expect(refused(o)).toBeLessThanOrEqual(5);
    expect(o.elapsedMs).toBeLessThanOrEqual(1.1 * minMs(100, 10, 20, 100));
  });

  it('a 5 s outage: done within a second of its end, at most 2 upstream 503s a second', async () => {
    const o = await simLoad({ seed: 1, count: 200, behaviour: { latencyMs: 10, jitterMs: 1, outageUntilMs: 5_000 } });
    expect(o.ok).toBe(200);
    expect(o.elapsedMs - 5_000).toBeLessThanOrEqual(1_000);
    expect(o.upstream.status[503] ?? 0).toBeLessThanOrEqual(10);
  });
});
