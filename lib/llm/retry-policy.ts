// Whether a failed attempt is tried again, and after what wait: one ordered table of rules, the
// first that applies decides. Pure: everything it looks at comes in as a fact, so a test can walk
// every row and print the table.
//
// Not here: admission's own refusals before an attempt (a pause or an open circuit that outlasts
// the deadline), which fail the request without an attempt to retry; and what the failure itself
// says (`error.retryable`: its kind's default, or the server's `x-should-retry`).

import type { LlmError } from './errors';
import type { ClientStatus } from './types';

export type WaitReason = Extract<ClientStatus, { type: 'waiting' }>['reason'];

export interface RetryFacts {
  error: LlmError;
  /** The attempt that failed, from 1. */
  attempt: number;
  maxAttempts: number;
  /** Answer text the caller was already given during this request. */
  delivered: string;
  now: number;
  /** Epoch ms by which the whole request must be over. */
  deadline: number;
  /** A server asking for a longer wait than this fails the request at once. */
  maxRetryAfterMs: number;
  /** Admission holds requests behind the circuit breaker (open or half-open). */
  circuitOpen: boolean;
  /** Retries left in the budget. */
  budget: number;
  /** The full-jitter backoff for this attempt. Called at most once, and only when a rule needs it. */
  backoffMs: () => number;
}

export type RuleName =
  | 'text-delivered'
  | 'not-retryable'
  | 'attempts-spent'
  | 'wait-too-long'
  | 'past-deadline'
  | 'server-scheduled'
  | 'circuit-open'
  | 'budget-empty'
  | 'backoff';

type Outcome = 'fail' | 'retry when admitted' | 'retry after backoff';

export type RetryDecision =
  | { action: 'retry'; rule: RuleName; delayMs: number; waitReason: WaitReason; spendsBudget: boolean }
  | { action: 'fail'; rule: RuleName; error: LlmError };

interface Situation extends RetryFacts {
  /** From now until the next attempt could start: the server's wait, else our backoff unless the breaker holds it. */
  waitMs(): number;
}

interface Rule {
  name: RuleName;
  when: string;
  then: Outcome;
  why: string;
  applies(s: Situation): boolean;
}

/** The table, in order. `retry when admitted`: no wait here, admission holds it (the pause, or the breaker). */
const RETRY_RULES: readonly Rule[] = [
  {
    name: 'text-delivered',
    when: 'answer text was already delivered',
    then: 'fail',
    why: 'shown text cannot be unsent and a silent retry would repeat it; the error keeps the text, the caller decides',
    applies: (s) => s.delivered !== '',
  },
  {
    name: 'not-retryable',
    when: 'the error is not retryable',
    then: 'fail',
    why: "auth, quota, a refused request, the caller's deadline or the server's x-should-retry: false; another try fails the same way",
    applies: (s) => !s.error.retryable,
  },
  {
    name: 'attempts-spent',
    when: 'attempt >= maxAttempts',
    then: 'fail',
    why: 'the attempts allowed per request are used up',
    applies: (s) => s.attempt >= s.maxAttempts,
  },
  {
    name: 'wait-too-long',
    when: 'retry-after > maxRetryAfterMs',
    then: 'fail',
    why: 'fail now, with retryAfterMs, rather than hold the caller that long',
    applies: (s) => s.error.retryAfterMs !== undefined && s.error.retryAfterMs > s.maxRetryAfterMs,
  },
  {
    name: 'past-deadline',
    when: 'now + (retry-after, else backoff unless the circuit is open) >= deadline',
    then: 'fail',
    why: 'a retry that cannot start in time only delays the failure',
    applies: (s) => s.now + s.waitMs() >= s.deadline,
  },
  {
    name: 'server-scheduled',
    when: 'the server said when (retry-after)',
    then: 'retry when admitted',
    why: "admission's client-wide pause already waits, for every request; a retry the server scheduled is not paid from the budget",
    applies: (s) => s.error.retryAfterMs !== undefined,
  },
  {
    name: 'circuit-open',
    when: 'the circuit is open or half-open',
    then: 'retry when admitted',
    why: 'admission lets one probe through per cool-down, so the wait and the cap on load are there; not paid from the budget',
    applies: (s) => s.circuitOpen,
  },
  {
    name: 'budget-empty',
    when: 'the retry budget is empty',
    then: 'fail',
    why: 'only successes refill it: with the upstream down, each request gets one attempt, not maxAttempts',
    applies: (s) => s.budget < 1,
  },
  {
    name: 'backoff',
    when: 'none of the above',
    then: 'retry after backoff',
    why: 'our own guess, paid from the budget; full jitter keeps clients that failed together from retrying together',
    applies: () => true,
  },
];

function waitReason(error: LlmError): WaitReason {
  if (error.kind === 'rate_limited') return 'rate_limited';
  if (error.kind === 'server') return 'server_error';
  return 'network';
}

/** Applies the first rule of RETRY_RULES that fits. A failure carries the attempts made (and any text delivered). */
export function decideRetry(facts: RetryFacts): RetryDecision {
  let backoff: number | undefined;
  const situation: Situation = {
    ...facts,
    waitMs: () => facts.error.retryAfterMs ?? (facts.circuitOpen ? 0 : (backoff ??= facts.backoffMs())),
  };
  const rule = RETRY_RULES.find((r) => r.applies(situation)) ?? RETRY_RULES[RETRY_RULES.length - 1]!;
  if (rule.then === 'fail') {
    const { error, attempt, delivered } = facts;
    const patch = delivered === '' ? { attempts: attempt } : { attempts: attempt, partialText: delivered, retryable: false };
    return { action: 'fail', rule: rule.name, error: error.with(patch) };
  }
  const later = rule.then === 'retry after backoff';
  return {
    action: 'retry',
    rule: rule.name,
    delayMs: later ? situation.waitMs() : 0,
    waitReason: waitReason(facts.error),
    spendsBudget: later,
  };
}

/** The table as text, one numbered rule a line. */
export function describeRetryRules(): string {
  return RETRY_RULES.map((r, i) => `${i + 1}. ${r.name}: ${r.when} → ${r.then}. Why: ${r.why}.`).join('\n');
}
