// Rate-limit headers as a pacing signal, and a breaker whose cool-down grows with the outage.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AimdLimit } from '../../../lib/llm/aimd';
import { CircuitBreaker } from '../../../lib/llm/breaker';
import { RateGate } from '../../../lib/llm/rate-gate';
import { readQuota } from '../../../lib/llm/retry-hints';
import { completionJson, jsonResponse } from './fakes';
import { ask, outcome, settle, setup, statusLog } from './harness';

const emptyWindow = { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' };

describe('readQuota', () => {
  it('reads the request window and whether any window is empty', () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(readQuota(h(emptyWindow))).toEqual({ exhausted: true, requests: { remaining: 0, limit: 10, resetMs: 1_000 } });
    expect(readQuota(h({ ...emptyWindow, 'x-ratelimit-remaining-requests': '7', 'x-ratelimit-reset-requests': '300ms' }))).toEqual({
      exhausted: false,
      requests: { remaining: 7, limit: 10, resetMs: 300 },
    });
    expect(readQuota(h({ 'x-ratelimit-remaining-tokens': '0' }))).toEqual({ exhausted: true });
    expect(readQuota(h({}))).toEqual({ exhausted: false });
    // A window it cannot fully make out describes no pace.
    expect(readQuota(h({ ...emptyWindow, 'x-ratelimit-limit-requests': 'many' })).requests).toBeUndefined();
    expect(readQuota(h({ ...emptyWindow, 'x-ratelimit-reset-requests': 'soon' })).requests).toBeUndefined();
  });
});

describe('RateGate', () => {
  it('is open until a response describes the window', () => {
    const gate = new RateGate();
    for (let i = 0; i < 100; i += 1) gate.take(0);
    expect(gate.readyAt(0)).toBe(0);
  });

  it('counts the requests sent after the one that reported, and refills at the window’s pace', () => {
    const gate = new RateGate();
    const first = gate.take(0);
    gate.take(0);
    // 10 per second: one every 100 ms. The first request left 0 behind; the second took one more.
    gate.sync({ remaining: 0, limit: 10, resetMs: 1_000 }, first, 0, 50);
    expect(gate.readyAt(50)).toBe(200);
    expect(gate.readyAt(199)).toBe(200);
    expect(gate.readyAt(200)).toBe(0);
    gate.take(200);
    expect(gate.readyAt(200)).toBe(300);
  });

  it('never refills past the limit, and opens when the server stops describing the window', () => {
    const gate = new RateGate();
    gate.sync({ remaining: 0, limit: 3, resetMs: 300 }, gate.take(0), 0, 0);
    for (let i = 0; i < 3; i += 1) gate.take(10_000);
    expect(gate.readyAt(10_000)).toBe(10_100);
    gate.sync(undefined, 4, 10_000, 10_000);
    expect(gate.readyAt(10_000)).toBe(0);
    gate.sync({ remaining: 3, limit: 3, resetMs: 0 }, 5, 10_000, 10_000);
    expect(gate.readyAt(10_000)).toBe(0);
  });
});

describe('AIMD under a rate limit', () => {
  it('does not grow on successes that found the window empty', () => {
    const limit = new AimdLimit(8);
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
    // Two at once (nothing known yet), then one per 100 ms: 10 requests per 1 s window.
    expect(sentAt).toEqual([0, 0]);
    await vi.advanceTimersByTimeAsync(99);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(pending);
    expect(sentAt).toEqual([0, 0, 100, 200, 300, 400]);
    // Waiting for a turn is queueing, not an error the UI should announce.
    expect(status.types()).not.toContain('waiting');
  });

  it('stops pacing when responses no longer describe the window', async () => {
    const { sentAt, timed } = sendLog();
    const record = (headers: Record<string, string>) => timed(() => jsonResponse(200, completionJson('ok'), headers));
    const { client } = setup([record(emptyWindow), record({})], { options: { maxConcurrency: 1 } });
    const pending = Promise.all([1, 2, 3].map((i) => client.complete(ask(String(i)))));
    await vi.advanceTimersByTimeAsync(1_000);
    await pending;
    expect(sentAt).toEqual([0, 100, 100]);
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
    expect(client.stats().concurrency).toBe(4);
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
