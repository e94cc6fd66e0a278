// Rate-limit headers as a pacing signal, and a breaker whose cool-down grows with the outage.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AimdLimit, INITIAL_WINDOW } from '../../../lib/llm/aimd';
import { CircuitBreaker } from '../../../lib/llm/breaker';
import { readLimits, serverWait } from '../../../lib/llm/retry-hints';
import { LIMIT_DIALECTS } from '../../support/mock-llm';
import { simulate } from './pacer-sim';
import { completionJson, jsonResponse } from './fakes';
import { ask, outcome, settle, setup, statusLog } from './harness';

const emptyWindow = { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' };

describe('readLimits and serverWait', () => {
  it('read every dialect’s windows, and the most precise wait a 429 names', () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(readLimits(h(emptyWindow), 0)).toEqual({ requests: { remaining: 0, limit: 10, resetMs: 1_000 }, tokens: {} });
    expect(readLimits(h({ 'x-ratelimit-remaining-tokens': '0' }), 0)).toEqual({ requests: {}, tokens: { remaining: 0 } });
    expect(readLimits(h({}), 0)).toEqual({ requests: {}, tokens: {} });
    expect(readLimits(h({ ...emptyWindow, 'x-ratelimit-limit-requests': 'many' }), 0).requests).toEqual({ remaining: 0, resetMs: 1_000 });
    // A whole-second retry-after is the exact wait rounded up: the same 429's sub-second reset wins.
    expect(serverWait(h({ 'retry-after': '1', 'x-ratelimit-reset-requests': '120ms' }), 0, 429)).toEqual({ ms: 120, exact: true });
    expect(serverWait(h({ 'retry-after': '1' }), 0, 429)).toEqual({ ms: 1_000, exact: false });
    expect(serverWait(h({ 'retry-after-ms': '80', 'retry-after': '1' }), 0, 429)).toEqual({ ms: 80, exact: true });
    const now = Date.UTC(2026, 0, 1, 0, 0, 0, 300);
    expect(serverWait(h({ 'retry-after': new Date(Date.UTC(2026, 0, 1, 0, 0, 2)).toUTCString() }), now, 429)).toEqual({ ms: 1_700, exact: false });
    expect(serverWait(h({}), 0, 429)).toBeUndefined();
  });
});

describe('Pacer, on a fake clock against a simulated bucket', () => {
  const base = { count: 150, ratePerSec: 20, burst: 10, latencyMs: 200, window: 16 } as const;

  it.each(LIMIT_DIALECTS.filter((d) => d !== 'azure'))('learns the admitted rate whatever the server says (%s), with few 429s', (dialect) => {
    const result = simulate({ ...base, dialect });
    expect(result.learned).toBeGreaterThan(20 * 0.9);
    expect(result.learned).toBeLessThan(20 * 1.15);
    // The first wave (16 against a burst of 10) finds the limit; after that, a few per probe. A
    // ramp that ran on past twice the rate, once the refusals that bounded it aged, made 15.
    expect(result.refused).toBeLessThanOrEqual(12);
  });

  it('with only `remaining` (Azure), learns the rate from how it refills and holds when it is spent: few 429s', () => {
    const result = simulate({ ...base, dialect: 'azure' });
    // The first wave only: 16 at once, before any answer, against a burst of 10.
    expect(result.refused).toBeLessThanOrEqual(16 - 10);
    expect(result.learned).toBeGreaterThan(20 * 0.9);
    expect(result.learned).toBeLessThan(20 * 1.1);
  });

  it('on a key other clients spend too, paces at what they leave rather than at what the headers describe', () => {
    const alone = simulate({ ...base, count: 200, dialect: 'openai' });
    expect(alone.learned).toBeGreaterThan(20 * 0.9);
    // Others take 10 of the 20 a second: `remaining` falls faster than we spend.
    const shared = simulate({ ...base, count: 200, dialect: 'openai', foreignPerSec: 10 });
    expect(shared.learned).toBeGreaterThan(10 * 0.7);
    expect(shared.learned).toBeLessThan(10 * 1.05);
    expect(shared.refused).toBeLessThanOrEqual(0.15 * 200);
    // Time: what is left for us, 10 a second, a little under.
    expect(shared.doneMs).toBeLessThan(200 * 1_000 / (10 * 0.7));
  });

  it.each(['429-only', 'none'] as const)('follows a limit that drops and rises mid-run (%s)', (dialect) => {
    const down = simulate({ ...base, count: 400, dialect, change: { atMs: 4_000, ratePerSec: 10 } });
    // Sampled each second: the estimate settles near 20, then near 10 once the drop is seen. Over
    // the last 10 s, the median: a sample may fall on a probe, which raises it for a moment.
    expect(down.samples[3]).toBeGreaterThan(16);
    const settled = down.samples.slice(-10).map(Number).sort((a, b) => a - b)[5];
    expect(settled).toBeLessThan(12.5);
    expect(settled).toBeGreaterThan(8);
    const up = simulate({ ...base, count: 300, dialect, change: { atMs: 3_000, ratePerSec: 40 } });
    expect(up.samples.at(-1)).toBeGreaterThan(26);
  });

  it('paces by tokens when the token window is the tighter one', () => {
    const result = simulate({ ...base, dialect: 'openai', ratePerSec: 100, burst: 100, tokens: { perRequest: 1_000, perSec: 5_000, burst: 10_000 } });
    // The first wave, sent before anything was known (16 × 1000 tokens against 10 000), and hardly more.
    expect(result.refused).toBeLessThanOrEqual(8);
  });
});

describe('AIMD after an outage', () => {
  it('grows back by one a success, not one a window, once the server answers again', () => {
    const limit = new AimdLimit(8);
    limit.restore(8);
    for (let i = 0; i < 3; i += 1) limit.on503(limit.epoch);
    limit.onLoss(limit.epoch);
    limit.onLoss(limit.epoch);
    expect(limit.current).toBe(1);
    limit.onRecovery();
    for (let i = 0; i < 7; i += 1) limit.onSuccess();
    expect(limit.current).toBe(8);
  });
});

describe('AIMD under a rate limit', () => {
  it('does not grow on successes that found the window empty', () => {
    const limit = new AimdLimit(8);
    limit.restore(8);
    limit.onLoss(limit.epoch);
    expect(limit.current).toBe(4);
    for (let i = 0; i < 20; i += 1) expect(limit.onSuccess(true)).toBe(false);
    expect(limit.current).toBe(4);
    for (let i = 0; i < 4; i += 1) limit.onSuccess();
    expect(limit.current).toBe(5);
  });
});

describe('breaker cool-down', () => {
  it('grows to half the outage so far, up to the maximum, and starts over after a recovery', () => {
    const b = new CircuitBreaker(1, 1_000, 30_000);
    expect(b.onFailure(0, false)).toBe(true);
    const until = (): number => {
      const verdict = b.peek(0);
      return verdict.pass ? 0 : (verdict.until ?? 0);
    };
    const probes: number[] = [];
    let now = 0;
    for (let i = 0; i < 12; i += 1) {
      now = until();
      probes.push(now);
      expect(b.take(now)).toEqual({ pass: true, probe: true });
      b.onFailure(now, true);
    }
    expect(probes).toEqual([1_000, 2_000, 3_000, 4_500, 6_750, 10_125, 15_187.5, 22_781.25, 34_171.875, 51_257.8125, 76_886.71875, 106_886.71875]);
    b.onSuccess();
    expect(b.onFailure(200_000, false)).toBe(true);
    expect(until()).toBe(201_000);
  });

  it('keeps the outage start across a restart, and copes with state saved before it existed', () => {
    const b = new CircuitBreaker(1, 1_000, 30_000);
    b.onFailure(0, false);
    b.take(1_000);
    b.onFailure(1_000, true);
    const saved = b.snapshot();
    expect(saved).toMatchObject({ open: true, openUntil: 2_000, openedAt: 0 });
    const restored = new CircuitBreaker(1, 1_000, 30_000);
    restored.restore(saved);
    restored.take(10_000);
    restored.onFailure(10_000, true);
    expect(restored.peek(10_000)).toEqual({ pass: false, until: 15_000 });
    const legacy = new CircuitBreaker(1, 1_000, 30_000);
    legacy.restore({ open: true, openUntil: 2_000, failures: 1 });
    legacy.take(2_000);
    legacy.onFailure(2_000, true);
    expect(legacy.peek(2_000)).toEqual({ pass: false, until: 3_000 });
  });
});

/** Records when each request was sent, in ms after the test's start, around a handler. */
function sendLog() {
  const start = Date.now();
  const sentAt: number[] = [];
  const timed = (respond: () => Response) => () => {
    sentAt.push(Date.now() - start);
    return respond();
  };
  return { start, sentAt, timed };
}

describe('client pacing and breaker', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends no faster than the rate-limit window refills once a response says it is empty', async () => {
    const { sentAt, timed } = sendLog();
    const { client, calls } = setup([timed(() => jsonResponse(200, completionJson('ok'), emptyWindow))], { options: { maxConcurrency: 2 } });
    const status = statusLog();
    const pending = [1, 2, 3, 4, 5].map((i) => client.complete(ask(String(i)))).concat(client.complete(ask('6'), { onStatus: status.onStatus }));
    await settle();
    // Two at once (nothing known yet), then about one per 100 ms: 10 requests per 1 s window, read
    // as 9.5 (remaining is rounded down), each a few ms after the mirror's moment (the guard).
    expect(sentAt).toEqual([0, 0]);
    await vi.advanceTimersByTimeAsync(99);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(pending);
    const gaps = sentAt.slice(2).map((t, i) => t - (sentAt[i + 1] ?? 0));
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(100);
      expect(gap).toBeLessThanOrEqual(115);
    }
    // Waiting for a turn is queueing, not an error the UI should announce.
    expect(status.types()).not.toContain('waiting');
  });

  it('keeps the pace it was told when responses stop describing the window', async () => {
    const { sentAt, timed } = sendLog();
    const record = (headers: Record<string, string>) => timed(() => jsonResponse(200, completionJson('ok'), headers));
    const { client } = setup([record(emptyWindow), record({})], { options: { maxConcurrency: 1 } });
    const pending = Promise.all([1, 2, 3].map((i) => client.complete(ask(String(i)))));
    await vi.advanceTimersByTimeAsync(1_000);
    await pending;
    expect(sentAt).toEqual([0, 111, 216]);
  });

  it('does not raise the concurrency limit on successes that found the window empty', async () => {
    const { client } = setup(
      [
        () => jsonResponse(429, {}, { 'retry-after-ms': '10' }),
        () => jsonResponse(200, completionJson('ok'), { ...emptyWindow, 'x-ratelimit-limit-requests': '1000', 'x-ratelimit-reset-requests': '10ms' }),
      ],
      { options: { maxConcurrency: 8, resumeSpreadMs: 0 } },
    );
    for (let i = 0; i < 12; i += 1) {
      const pending = client.complete(ask(String(i)));
      await vi.advanceTimersByTimeAsync(20);
      await pending;
    }
    expect(client.stats().concurrency).toBe(INITIAL_WINDOW);
  });

  it('a retry held behind the open circuit does not spend the retry budget', async () => {
    const { start, sentAt, timed } = sendLog();
    const { client } = setup(
      [timed(() => jsonResponse(500, {})), timed(() => jsonResponse(200, completionJson('ok')))],
      { options: { retryBudgetMax: 0, breakerFailureThreshold: 1, breakerCoolDownMs: 1_000, maxAttempts: 3 } },
    );
    const status = statusLog();
    const pending = client.complete(ask(), { onStatus: status.onStatus });
    await settle();
    expect(status.log).toContainEqual({ type: 'waiting', reason: 'circuit_open', until: start + 1_000, attempt: 2 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await pending).text).toBe('ok');
    expect(sentAt).toEqual([0, 1_000]);
  });

  it('through a 2 s outage at the defaults: probes 0.6 s apart within 2 failures a second, and sees the end within 0.6 s', async () => {
    const { start, sentAt, timed } = sendLog();
    const statuses: number[] = [];
    const { client } = setup([
      timed(() => {
        const status = Date.now() - start < 2_000 ? 503 : 200;
        statuses.push(status);
        return status === 503 ? jsonResponse(503, {}) : jsonResponse(200, completionJson('back'));
      }),
    ]);
    const pending = Promise.all([1, 2, 3, 4, 5, 6].map((i) => outcome(client.complete(ask(String(i))))));
    await vi.advanceTimersByTimeAsync(3_000);
    const results = await pending;
    expect(results.every((r) => !(r instanceof Error))).toBe(true);
    const failed = statuses.filter((s) => s === 503).length;
    expect(failed).toBeLessThanOrEqual(4);
    const firstSuccess = sentAt[statuses.indexOf(200)] ?? Number.POSITIVE_INFINITY;
    expect(firstSuccess).toBeGreaterThanOrEqual(2_000);
    expect(firstSuccess).toBeLessThanOrEqual(2_600);
  });

  it('after a brownout the first probe comes within max(cool-down, half the outage)', async () => {
    const { start, sentAt, timed } = sendLog();
    const { client } = setup(
      [timed(() => (Date.now() - start < 3_500 ? jsonResponse(503, {}) : jsonResponse(200, completionJson('back'))))],
      { options: { breakerFailureThreshold: 1, breakerCoolDownMs: 1_000, breakerMaxCoolDownMs: 30_000, maxAttempts: 10 } },
    );
    const pending = outcome(client.complete(ask()));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await pending).toMatchObject({ text: 'back' });
    // Probes at 1, 2 and 3 s (cool-downs of 1 s), then 1.5 s (half of the 3 s outage so far).
    expect(sentAt).toEqual([0, 1_000, 2_000, 3_000, 4_500]);
  });
});
