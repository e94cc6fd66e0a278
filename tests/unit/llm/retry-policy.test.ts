// The retry policy as a table: each rule's case and the decision it makes, the order between the
// rules, and the table as printed.
import { describe, expect, it } from 'vitest';
import { classifyStatus, errors, type LlmError } from '../../../lib/llm/errors';
import { decideRetry, describeRetryRules, type RuleName } from '../../../lib/llm/retry-policy';
import { facts, NOW } from './retry-facts';

/** Every rule, in the order they are tried. */
const RULES: readonly RuleName[] = [
  'text-delivered',
  'quota',
  'server-says-no',
  'cannot-help',
  'unreachable',
  'attempts-spent',
  'wait-too-long',
  'past-deadline',
  'server-scheduled',
  'paced',
  'circuit-open',
  'budget-empty',
  'backoff',
];

const serverSays = (error: LlmError, shouldRetry: boolean) => error.with({ shouldRetry });

describe('retry policy', () => {
  it('prints every rule, in order, one numbered line each', () => {
    const lines = describeRetryRules().split('\n');
    expect(lines.map((line) => line.slice(0, line.indexOf(':')))).toEqual(RULES.map((rule, i) => `${i + 1}. ${rule}`));
    for (const line of lines) expect(line).toMatch(/ → (fail|retry when admitted|retry after backoff)\. Why: .+\.$/);
  });

  it('text-delivered: fails with the text kept and the attempts made, leaving the reported error as it was', () => {
    const error = errors.streamCut('');
    const decision = decideRetry(facts({ error, delivered: 'Hel', attempt: 2 }));
    expect(decision).toMatchObject({ action: 'fail', rule: 'text-delivered' });
    expect(decision.action === 'fail' && decision.error).toMatchObject({ kind: 'stream_cut', partialText: 'Hel', attempts: 2 });
    expect(error).toMatchObject({ partialText: '', attempts: undefined });
  });

  it('quota: fails, even when the server asks for a retry', () => {
    expect(decideRetry(facts({ error: errors.quota(429) }))).toMatchObject({ action: 'fail', rule: 'quota', error: { kind: 'quota', attempts: 1 } });
    expect(decideRetry(facts({ error: serverSays(errors.quota(429), true) }))).toMatchObject({ action: 'fail', rule: 'quota' });
  });

  it('server-says-no: x-should-retry: false fails a failure that would otherwise be retried', () => {
    expect(decideRetry(facts({ error: errors.server(503) }))).toMatchObject({ action: 'retry' });
    expect(decideRetry(facts({ error: serverSays(errors.server(503), false) }))).toMatchObject({ action: 'fail', rule: 'server-says-no' });
  });

  it.each([
    ['auth', errors.auth(401)],
    ['not_found', errors.notFound()],
    ['bad_request', errors.badRequest(409)],
    ['context_length', errors.contextLength(413)],
    ['bad_response', errors.badResponse()],
    ['aborted', errors.aborted()],
    ['circuit_open', errors.circuitOpen(1_000)],
    ['a 501', errors.server(501)],
    ["the caller's deadline", errors.timeout('deadline', 300_000)],
  ])('cannot-help: %s fails, carrying the attempts made; x-should-retry: true retries it', (_name, error) => {
    const decision = decideRetry(facts({ error }));
    expect(decision).toMatchObject({ action: 'fail', rule: 'cannot-help', error: { kind: error.kind, attempts: 1 } });
    expect(decision.action === 'fail' && decision.error.partialText).toBeUndefined();
    expect(decideRetry(facts({ error: serverSays(error, true) }))).toMatchObject({ action: 'retry' });
  });

  it.each([
    ['a 5xx', errors.server(503)],
    ['a 5xx inside a stream', errors.server(undefined)],
    ['a rate limit', errors.rateLimited(429)],
    ['a network failure', errors.network()],
    ['a first-byte timeout', errors.timeout('first_byte', 30_000)],
    ['an idle timeout', errors.timeout('idle', 30_000)],
    ['a 408', classifyStatus(408, {}, undefined)],
    ['a cut stream', errors.streamCut()],
  ])('cannot-help does not apply to %s: it is retried', (_name, error) => {
    expect(decideRetry(facts({ error }))).toMatchObject({ action: 'retry' });
  });

  it('unreachable: a server not reached three times running is reported, not retried to the deadline', () => {
    expect(decideRetry(facts({ attempt: 2, maxAttempts: Infinity, error: errors.network() }))).toMatchObject({ action: 'retry' });
    expect(decideRetry(facts({ attempt: 3, maxAttempts: Infinity, error: errors.network() }))).toMatchObject({ action: 'fail', rule: 'unreachable' });
    // Only a connection that got no answer: a failing server still gets its retries.
    expect(decideRetry(facts({ attempt: 3, maxAttempts: Infinity, error: errors.server(503) }))).toMatchObject({ action: 'retry' });
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

  it('paced: a 429 that names no wait, while admission paces to a rate, is retried when admitted: no backoff, free of the budget', () => {
    const bare = errors.rateLimited(429);
    expect(decideRetry(facts({ error: bare, paced: true, backoffMs: () => 4_000, budgetWaitMs: 5_000 }))).toEqual({
      action: 'retry',
      rule: 'paced',
      delayMs: 0,
      waitReason: 'rate_limited',
      spendsBudget: false,
    });
    // Not yet paced (no rate learned): our own backoff, as before.
    expect(decideRetry(facts({ error: bare, backoffMs: () => 4_000 }))).toMatchObject({ action: 'retry', rule: 'backoff', delayMs: 4_000 });
    // A paced retry's wait is the pacer's, so the deadline alone does not rule it out.
    expect(decideRetry(facts({ error: bare, paced: true, backoffMs: () => 9_999, deadline: NOW + 1 }))).toMatchObject({ action: 'retry', rule: 'paced' });
  });

  it('server-scheduled: retried when admitted (the pause waits), free of the budget', () => {
    expect(decideRetry(facts({ error: errors.rateLimited(429, 2_000), budgetWaitMs: 5_000 }))).toEqual({
      action: 'retry',
      rule: 'server-scheduled',
      delayMs: 0,
      waitReason: 'rate_limited',
      spendsBudget: false,
    });
  });

  it('circuit-open: retried when admitted (behind the breaker), free of the budget', () => {
    expect(decideRetry(facts({ circuitOpen: true, budgetWaitMs: 5_000 }))).toEqual({
      action: 'retry',
      rule: 'circuit-open',
      delayMs: 0,
      waitReason: 'server_error',
      spendsBudget: false,
    });
  });

  it('budget-empty: our own retries wait for the budget to refill, they do not fail', () => {
    expect(decideRetry(facts({ budgetWaitMs: 900 }))).toEqual({ action: 'retry', rule: 'budget-empty', delayMs: 900, waitReason: 'server_error', spendsBudget: true });
    // The backoff still applies when it is the longer wait.
    expect(decideRetry(facts({ budgetWaitMs: 100 }))).toMatchObject({ rule: 'budget-empty', delayMs: 250 });
    // A budget wait past the deadline is a retry that cannot start in time.
    expect(decideRetry(facts({ budgetWaitMs: 400_000 }))).toMatchObject({ action: 'fail', rule: 'past-deadline' });
  });

  it.each([
    [errors.server(503), 'server_error'],
    [errors.rateLimited(429), 'rate_limited'],
    [errors.network(), 'network'],
    [errors.timeout('first_byte', 30_000), 'network'],
    [errors.streamCut(), 'network'],
  ] as const)('backoff: %s waits the jittered backoff, paid from the budget, shown as %s', (error, waitReason) => {
    expect(decideRetry(facts({ error, budgetWaitMs: 0 }))).toEqual({ action: 'retry', rule: 'backoff', delayMs: 250, waitReason, spendsBudget: true });
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
    // Delivered text and an error no retry fixes: the text is what the caller needs to know about.
    expect(decideRetry(facts({ error: errors.auth(401), delivered: 'x' })).rule).toBe('text-delivered');
    // A server that asks for a retry still gets no more attempts than allowed.
    expect(decideRetry(facts({ attempt: 4, error: serverSays(errors.badRequest(409), true) })).rule).toBe('attempts-spent');
    // Out of attempts and asked to wait too long: attempts come first.
    expect(decideRetry(facts({ attempt: 4, error: errors.rateLimited(429, 120_000) })).rule).toBe('attempts-spent');
    // A scheduled retry past the deadline fails, even though the budget would not be charged.
    expect(decideRetry(facts({ error: errors.rateLimited(429, 10_000), deadline: NOW + 5_000 })).rule).toBe('past-deadline');
  });
});
