import { describe, expect, it } from 'vitest';
import { redact } from '../../../lib/security/redact';
import { parseDuration, parseRetryAfter, retryHintFromHeaders } from '../../../lib/llm/retry-hints';
import { fullJitterDelay } from '../../../lib/llm/backoff';
import { RetryBudget } from '../../../lib/llm/retry-budget';
import { AimdLimit, INITIAL_WINDOW } from '../../../lib/llm/aimd';
import { CircuitBreaker } from '../../../lib/llm/breaker';
import { openaiDialect } from '../../../lib/llm/dialects/openai';
import { LlmError, snippet } from '../../../lib/llm/errors';
import { DEFAULT_CLIENT_OPTIONS, resolveOptions } from '../../../lib/llm/options';
import { endpoint } from '../../../lib/llm/dialects/http';

const { errorFromPayload: errorFromStreamPayload } = openaiDialect;

describe('redact', () => {
  it.each([
    ['Incorrect API key provided: sk-proj-abcDEF123456789xyz.', 'Incorrect API key provided: [redacted].'],
    ['Authorization: Bearer abc.def-ghi_123', 'Authorization: Bearer [redacted]'],
    ['key sk-ant-api03-AAAAAAAAAAAAAAAA leaked', 'key [redacted] leaked'],
    ['groq gsk_0123456789abcdef and google AIzaSyA1234567890abcdefghijklmnop', 'groq [redacted] and google [redacted]'],
    ['url?api_key=supersecretvalue&x=1', 'url?api_key=[redacted]&x=1'],
    ['{"apiKey": "0123456789abcdef"}', '{"apiKey": "[redacted]"}'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('removes the exact secret in any shape, and leaves ordinary prose alone', () => {
    expect(redact('the key custom-key-value-777 was wrong', ['custom-key-value-777'])).toBe('the key [redacted] was wrong');
    const prose = 'This model has a maximum context length of 8192 tokens; the token limit was reached. Basic plan.';
    expect(redact(prose, [''])).toBe(prose);
  });
});

describe('snippet', () => {
  it('strips markup, collapses space, shortens, and redacts', () => {
    const s = snippet(`<html><style>x{}</style><body><h1>Error</h1>\n\n<p>Bearer sk-abcdefghijkl ${'y'.repeat(500)}</p></body></html>`);
    expect(s.startsWith('Error Bearer [redacted]')).toBe(true);
    expect(s.length).toBeLessThanOrEqual(300);
  });
});

describe('retry hints', () => {
  it.each([
    ['1s', 1_000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['1.5s', 1_500],
    ['1h2m3s', 3_723_000],
    ['2', 2_000],
    ['', undefined],
    ['soon', undefined],
    ['1s later', undefined],
  ])('parseDuration(%j) = %j', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('whenever', now)).toBeUndefined();
  });

  it('prefers retry-after-ms, then Retry-After, then the exhausted rate-limit window (429 only)', () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(retryHintFromHeaders(h({ 'retry-after-ms': '250', 'retry-after': '9' }), 0, 429).retryAfterMs).toBe(250);
    expect(retryHintFromHeaders(h({ 'retry-after': '9', 'x-ratelimit-reset-requests': '1s' }), 0, 429).retryAfterMs).toBe(9_000);
    const windows = { 'x-ratelimit-reset-requests': '2s', 'x-ratelimit-reset-tokens': '40ms' };
    expect(retryHintFromHeaders(h({ ...windows, 'x-ratelimit-remaining-tokens': '0' }), 0, 429).retryAfterMs).toBe(40);
    expect(retryHintFromHeaders(h(windows), 0, 429).retryAfterMs).toBe(2_000);
    expect(retryHintFromHeaders(h(windows), 0, 200).retryAfterMs).toBeUndefined();
    expect(retryHintFromHeaders(h({ 'x-should-retry': 'false' }), 0, 500)).toEqual({ shouldRetry: false });
  });
});

describe('backoff and budget', () => {
  it('full jitter stays within [0, min(cap, base·2^(n-1)))', () => {
    expect(fullJitterDelay(1, 500, 20_000, () => 0.999)).toBe(499);
    expect(fullJitterDelay(3, 500, 20_000, () => 0.5)).toBe(1_000);
    expect(fullJitterDelay(10, 500, 20_000, () => 0.5)).toBe(10_000);
    expect(fullJitterDelay(4, 500, 20_000, () => 0)).toBe(0);
  });

  it('the retry budget empties, refills by a fraction per success and by time, and delays rather than refuses', () => {
    const budget = new RetryBudget(0.5, 2, 2, 0);
    expect(budget.waitMs(0)).toBe(0);
    budget.spend(0);
    budget.spend(0);
    expect(budget.waitMs(0)).toBe(500);
    budget.onSuccess(0);
    expect(budget.waitMs(0)).toBe(250);
    // Spending into debt queues the next retry behind this one.
    budget.spend(0);
    expect(budget.waitMs(0)).toBe(750);
    expect(budget.waitMs(750)).toBe(0);
    for (let i = 0; i < 100; i += 1) budget.onSuccess(1_000);
    budget.spend(1_000);
    budget.spend(1_000);
    expect(budget.waitMs(1_000)).toBe(500);
  });
});

describe('AIMD limit', () => {
  it('starts small and grows by half per round trip until a limit shows, then halves once per congestion event and grows by one per window', () => {
    const limit = new AimdLimit(8);
    expect(limit.current).toBe(INITIAL_WINDOW);
    const described = () => limit.onSuccess(false, true);
    expect([described(), described(), described(), described()]).toEqual([false, true, false, true]);
    expect(limit.current).toBe(4);
    const epoch = limit.epoch;
    expect(limit.onLoss(epoch)).toBe(true);
    expect(limit.current).toBe(2);
    expect(limit.onLoss(epoch)).toBe(false);
    expect(limit.current).toBe(2);
    expect(described()).toBe(false);
    expect(described()).toBe(true);
    expect(limit.current).toBe(3);
    for (let i = 0; i < 5; i += 1) limit.onLoss(limit.epoch);
    expect(limit.current).toBe(1);
    for (let i = 0; i < 100; i += 1) limit.onSuccess();
    expect(limit.current).toBe(8);
  });

  it('against a server that never described its limit, slow start grows at a pace set in time, not per round trip', () => {
    // The first success doubles the window at once (the server is up, the key has quota). Then about
    // e-fold each second: at 50 ms round trips, one more per 20 successes (a window sends ~20
    // round trips a second); at 200 ms, one per 5; at a second or more, one per 2.
    const successesToGrow = (rttMs: number, described = false) => {
      const limit = new AimdLimit(50);
      // Against a silent server, the first success grows the window by itself.
      if (!described) expect(limit.onSuccess(false, false, rttMs)).toBe(true);
      let n = 0;
      while (!limit.onSuccess(false, described, rttMs)) n += 1;
      return n + 1;
    };
    expect(successesToGrow(50)).toBe(20);
    expect(successesToGrow(200)).toBe(5);
    expect(successesToGrow(1_000)).toBe(2);
    // Once the server describes its limit (the pacer holds requests to it): about e-fold each
    // 150 ms, doubling per round trip at most.
    const describedToGrow = (rttMs: number) => successesToGrow(rttMs, true);
    expect(describedToGrow(50)).toBe(3);
    expect(describedToGrow(100)).toBe(2);
    expect(describedToGrow(180)).toBe(1);
    // Untimed: the first success doubles the window, then one more per three.
    const limit = new AimdLimit(50);
    expect([limit.onSuccess(), limit.onSuccess(), limit.onSuccess(), limit.onSuccess()]).toEqual([true, false, false, true]);
    expect(limit.current).toBe(2 * INITIAL_WINDOW + 1);
    // One answer with rate headers: the pacer holds requests to the limit, so half per round trip.
    expect([limit.onSuccess(false, true), limit.onSuccess()]).toEqual([false, true]);
    expect(limit.current).toBe(2 * INITIAL_WINDOW + 2);
  });

  it('a 429 ends slow start without a cut: the pacer owns the rate', () => {
    const limit = new AimdLimit(50);
    limit.onSuccess(false, true);
    limit.onSuccess(false, true);
    limit.onRateLimited();
    expect(limit.current).toBe(3);
    for (let i = 0; i < 3; i += 1) limit.onSuccess();
    expect(limit.current).toBe(4);
  });

  it('counts only consecutive 503s', () => {
    const limit = new AimdLimit(4);
    limit.restore(4);
    limit.on503(0);
    limit.on503(0);
    limit.onOther();
    limit.on503(0);
    expect(limit.current).toBe(4);
    limit.on503(0);
    limit.on503(0);
    expect(limit.current).toBe(2);
  });
});

describe('circuit breaker', () => {
  it('closed → open after the threshold → half-open with one probe → closed or open again', () => {
    const b = new CircuitBreaker(3, 1_000);
    expect(b.onFailure(0, false)).toBe(false);
    expect(b.onFailure(0, false)).toBe(false);
    b.onSuccess();
    b.onFailure(0, false);
    b.onFailure(0, false);
    expect(b.onFailure(10, false)).toBe(true);
    expect(b.view(500)).toBe('open');
    // The cool-down is 1 s, but the three failures that opened it already cost 1.5 s of the outage's budget (2 a second).
    expect(b.peek(500)).toEqual({ pass: false, until: 1_510 });
    expect(b.view(1_010)).toBe('open');
    expect(b.view(1_510)).toBe('half-open');
    expect(b.take(1_510)).toEqual({ pass: true, probe: true });
    expect(b.take(1_510)).toEqual({ pass: false, until: undefined });
    // Four failures: 2 s after it opened, and a cool-down after this one: whichever is later.
    expect(b.onFailure(1_600, true)).toBe(true);
    expect(b.peek(1_700)).toEqual({ pass: false, until: 2_600 });
    expect(b.take(2_600)).toEqual({ pass: true, probe: true });
    b.onSuccess();
    expect(b.view(2_600)).toBe('closed');
  });
});

describe('odds and ends', () => {
  it('classifies error payloads inside streams', () => {
    expect(errorFromStreamPayload({ error: { code: 'insufficient_quota', message: 'x' } }).kind).toBe('quota');
    expect(errorFromStreamPayload({ error: { code: 'context_length_exceeded', message: 'x' } }).kind).toBe('context_length');
    expect(errorFromStreamPayload({ error: { message: 'x', code: 429 } }).kind).toBe('rate_limited');
    expect(errorFromStreamPayload({ error: 'plain text failure' }).kind).toBe('server');
  });

  it('LlmError.with() keeps every field but the ones it changes (each is a constructor field of the same name)', () => {
    const original = new LlmError('rate_limited', 'Too many requests.', {
      status: 429,
      retryAfterMs: 2_000,
      detail: 'slow down',
      shouldRetry: true,
      partialText: 'Hel',
      timeoutPhase: 'response',
      attempts: 1,
      cause: 'the cause',
    });
    const copy = original.with({ attempts: 2, detail: 'slower' });
    expect({ ...copy }).toEqual({ ...original, attempts: 2, detail: 'slower' });
    expect(copy).toBeInstanceOf(LlmError);
    expect(copy.cause).toBe('the cause');
    expect(original).toMatchObject({ attempts: 1, detail: 'slow down' });
  });

  it('sanitises options so a bad stored value cannot wedge the client', () => {
    const o = resolveOptions(DEFAULT_CLIENT_OPTIONS, { maxConcurrency: 0, maxAttempts: Number.NaN, idleTimeoutMs: -5 });
    expect(o.maxConcurrency).toBe(1);
    expect(o.maxAttempts).toBe(DEFAULT_CLIENT_OPTIONS.maxAttempts);
    expect(o.idleTimeoutMs).toBe(DEFAULT_CLIENT_OPTIONS.idleTimeoutMs);
  });

  it('joins base URLs with or without a trailing slash', () => {
    const p = { apiKey: '', model: 'm' };
    expect(endpoint({ ...p, baseUrl: 'https://x.test/v1' }, 'models')).toBe('https://x.test/v1/models');
    expect(endpoint({ ...p, baseUrl: 'https://x.test/v1//' }, 'models')).toBe('https://x.test/v1/models');
    expect(() => endpoint({ ...p, baseUrl: 'ftp://x.test' }, 'models')).toThrow(/http/);
  });
});
