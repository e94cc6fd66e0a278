// The retry policy as a table: each row on its own, the order between them, and the table as text.
import { describe, expect, it } from 'vitest';
import { errors } from '../../../lib/llm/errors';
import { decideRetry, describeRetryRules, type RetryFacts } from '../../../lib/llm/retry-policy';

const NOW = 1_000_000;

/** A retryable server error on the first of four attempts, with time and budget to spare. */
function facts(over: Partial<RetryFacts> = {}): RetryFacts {
  return {
    error: errors.server(500),
    attempt: 1,
    maxAttempts: 4,
    delivered: '',
    now: NOW,
    deadline: NOW + 300_000,
    maxRetryAfterMs: 60_000,
    circuitOpen: false,
    budget: 10,
    backoffMs: () => 250,
    ...over,
  };
}

describe('retry policy', () => {
  it('prints as a numbered table, one rule a line', () => {
    expect(describeRetryRules()).toBe(
      [
        '1. text-delivered: answer text was already delivered → fail. Why: shown text cannot be unsent and a silent retry would repeat it; the error keeps the text, the caller decides.',
        "2. not-retryable: the error is not retryable → fail. Why: auth, quota, a refused request, the caller's deadline or the server's x-should-retry: false; another try fails the same way.",
        '3. attempts-spent: attempt >= maxAttempts → fail. Why: the attempts allowed per request are used up.',
        '4. wait-too-long: retry-after > maxRetryAfterMs → fail. Why: fail now, with retryAfterMs, rather than hold the caller that long.',
        '5. past-deadline: now + (retry-after, else backoff unless the circuit is open) >= deadline → fail. Why: a retry that cannot start in time only delays the failure.',
        "6. server-scheduled: the server said when (retry-after) → retry when admitted. Why: admission's client-wide pause already waits, for every request; a retry the server scheduled is not paid from the budget.",
        '7. circuit-open: the circuit is open or half-open → retry when admitted. Why: admission lets one probe through per cool-down, so the wait and the cap on load are there; not paid from the budget.',
        '8. budget-empty: the retry budget is empty → fail. Why: only successes refill it: with the upstream down, each request gets one attempt, not maxAttempts.',
        '9. backoff: none of the above → retry after backoff. Why: our own guess, paid from the budget; full jitter keeps clients that failed together from retrying together.',
      ].join('\n'),
    );
  });

  it('text-delivered: fails with the text kept, not retryable, and the attempts made', () => {
    const error = errors.streamCut('');
    const decision = decideRetry(facts({ error, delivered: 'Hel', attempt: 2 }));
    expect(decision).toMatchObject({ action: 'fail', rule: 'text-delivered' });
    expect(decision.action === 'fail' && decision.error).toMatchObject({ kind: 'stream_cut', partialText: 'Hel', retryable: false, attempts: 2 });
    // A copy: the error the attempt reported is unchanged.
    expect(error).toMatchObject({ partialText: '', retryable: true, attempts: undefined });
  });

  it('not-retryable: fails, carrying the attempts made', () => {
    const decision = decideRetry(facts({ error: errors.auth(401) }));
    expect(decision).toMatchObject({ action: 'fail', rule: 'not-retryable', error: { kind: 'auth', attempts: 1 } });
    expect(decision.action === 'fail' && decision.error.partialText).toBeUndefined();
  });

  it('attempts-spent: the last attempt is final', () => {
    expect(decideRetry(facts({ attempt: 4 }))).toMatchObject({ action: 'fail', rule: 'attempts-spent', error: { attempts: 4 } });
    expect(decideRetry(facts({ attempt: 3 }))).toMatchObject({ action: 'retry' });
  });

  it('wait-too-long: a retry-after beyond maxRetryAfterMs fails at once, with the wait', () => {
    const decision = decideRetry(facts({ error: errors.rateLimited(429, 60_001) }));
    expect(decision).toMatchObject({ action: 'fail', rule: 'wait-too-long', error: { kind: 'rate_limited', retryAfterMs: 60_001 } });
    expect(decideRetry(facts({ error: errors.rateLimited(429, 60_000) }))).toMatchObject({ action: 'retry', rule: 'server-scheduled' });
  });

  it.each([
    ['our backoff', facts({ backoffMs: () => 5_000, deadline: NOW + 5_000 }), facts({ backoffMs: () => 5_000, deadline: NOW + 5_001 })],
    ['the server’s retry-after', facts({ error: errors.rateLimited(429, 2_000), deadline: NOW + 2_000 }), facts({ error: errors.rateLimited(429, 2_000), deadline: NOW + 2_001 })],
    ['the breaker (no wait of our own)', facts({ circuitOpen: true, backoffMs: () => 9_999, deadline: NOW }), facts({ circuitOpen: true, backoffMs: () => 9_999, deadline: NOW + 1 })],
  ])('past-deadline: the next attempt must start before the deadline; the wait is %s', (_name, late, inTime) => {
    expect(decideRetry(late)).toMatchObject({ action: 'fail', rule: 'past-deadline' });
    expect(decideRetry(inTime)).toMatchObject({ action: 'retry' });
  });

  it('server-scheduled: retried when admitted (the pause waits), free of the budget', () => {
    expect(decideRetry(facts({ error: errors.rateLimited(429, 2_000), budget: 0 }))).toEqual({
      action: 'retry',
      rule: 'server-scheduled',
      delayMs: 0,
      waitReason: 'rate_limited',
      spendsBudget: false,
    });
  });

  it('circuit-open: retried when admitted (behind the breaker), free of the budget', () => {
    expect(decideRetry(facts({ circuitOpen: true, budget: 0 }))).toEqual({
      action: 'retry',
      rule: 'circuit-open',
      delayMs: 0,
      waitReason: 'server_error',
      spendsBudget: false,
    });
  });

  it('budget-empty: our own retries stop when the budget is spent', () => {
    expect(decideRetry(facts({ budget: 0.9 }))).toMatchObject({ action: 'fail', rule: 'budget-empty', error: { kind: 'server', attempts: 1 } });
  });

  it.each([
    [errors.server(503), 'server_error'],
    [errors.rateLimited(429), 'rate_limited'],
    [errors.network(), 'network'],
    [errors.timeout('first_byte', 30_000), 'network'],
    [errors.streamCut(), 'network'],
  ] as const)('backoff: %s waits the jittered backoff, paid from the budget, shown as %s', (error, waitReason) => {
    expect(decideRetry(facts({ error, budget: 1 }))).toEqual({ action: 'retry', rule: 'backoff', delayMs: 250, waitReason, spendsBudget: true });
  });

  it('draws the backoff at most once, and only when a rule needs it', () => {
    let draws = 0;
    const backoffMs = () => {
      draws += 1;
      return 100;
    };
    decideRetry(facts({ error: errors.auth(401), backoffMs }));
    decideRetry(facts({ error: errors.rateLimited(429, 1_000), backoffMs }));
    decideRetry(facts({ circuitOpen: true, backoffMs }));
    expect(draws).toBe(0);
    expect(decideRetry(facts({ backoffMs }))).toMatchObject({ delayMs: 100 });
    expect(draws).toBe(1);
  });

  it('the first rule that applies decides', () => {
    // Delivered text and a non-retryable error: the text is what the caller needs to know about.
    expect(decideRetry(facts({ error: errors.auth(401), delivered: 'x' })).rule).toBe('text-delivered');
    // Out of attempts and asked to wait too long: attempts come first.
    expect(decideRetry(facts({ attempt: 4, error: errors.rateLimited(429, 120_000) })).rule).toBe('attempts-spent');
    // A scheduled retry past the deadline fails, even though the budget would not be charged.
    expect(decideRetry(facts({ error: errors.rateLimited(429, 10_000), deadline: NOW + 5_000 })).rule).toBe('past-deadline');
  });
});
