// Whether a failed attempt is tried again, and after what wait: one ordered table of rules, the
// first that applies decides (the last row, when none does). It holds the whole decision: the
// failure's kind and what the server said of it, the attempt, the answer text already delivered,
// the time left and the retry budget. Pure: everything it looks at comes in as a fact, so a test
// can walk every row and print the table.
//
// Not here: admission's own refusals before an attempt (a pause or an open circuit that outlasts
// the deadline), which fail the request without an attempt to retry.

import type { LlmErrorKind } from '../errors';
import type { LlmError } from './errors';
import type { ClientStatus } from './types';

export type WaitReason = Extract<ClientStatus, { type: 'waiting' }>['reason'];

export interface RetryFacts {
  /** What failed: its kind, status, timeout phase, the server's retry-after and x-should-retry. */
  error: LlmError;
  /** The attempt that failed, from 1. */
  attempt: number;
  /** An upper bound the caller may set; by default retries run until the deadline. */
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
  /** Until the retry budget has a retry to give: 0 while it holds one. */
  budgetWaitMs: number;
  /** Admission paces requests to a rate it learned or was told, so a 429's retry waits its turn there. */
  paced?: boolean;
  /** The full-jitter backoff for this attempt. Called at most once, and only when a rule needs it. */
  backoffMs: () => number;
}

export type RuleName =
  | 'text-delivered'
  | 'quota'
  | 'server-says-no'
  | 'cannot-help'
  | 'unreachable'
  | 'attempts-spent'
  | 'wait-too-long'
  | 'past-deadline'
  | 'server-scheduled'
  | 'paced'
  | 'circuit-open'
  | 'budget-empty'
  | 'backoff';

type Outcome = 'fail' | 'retry when admitted' | 'retry after backoff';

export type RetryDecision =
  | { action: 'retry'; rule: RuleName; delayMs: number; waitReason: WaitReason; spendsBudget: boolean }
  | { action: 'fail'; rule: RuleName; error: LlmError };

interface Situation extends RetryFacts {
  /** From now until the next attempt could start: the server's wait, else our backoff (and the budget's) unless the breaker holds it. */
  waitMs(): number;
}

interface Row {
  name: RuleName;
  when: string;
  then: Outcome;
  why: string;
}

interface Rule extends Row {
  applies(s: Situation): boolean;
}

/** Kinds where the key, the URL, the request or the account must change first, or the caller stopped waiting. */
const FINAL_KINDS: ReadonlySet<LlmErrorKind> = new Set<LlmErrorKind>([
  'auth',
  'not_found',
  'bad_request',
  'context_length',
  'bad_response',
  'aborted',
  'circuit_open',
]);

function cannotHelp(error: LlmError): boolean {
  return (
    FINAL_KINDS.has(error.kind) ||
    // 501 Not Implemented stays so; the caller's own deadline has passed.
    error.status === 501 ||
    (error.kind === 'timeout' && error.timeoutPhase === 'deadline')
  );
}

/** Attempts after which a connection that never got an answer (refused, DNS, offline) is reported. */
const unreachableAttempts = 3;

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
    name: 'quota',
    when: 'the error is quota',
    then: 'fail',
    why: 'no wait lifts a spent quota or credit, whatever x-should-retry says',
    applies: (s) => s.error.kind === 'quota',
  },
  {
    name: 'server-says-no',
    when: 'the server sent x-should-retry: false',
    then: 'fail',
    why: "the server's own verdict on this failure outranks our reading of its status",
    applies: (s) => s.error.shouldRetry === false,
  },
  {
    name: 'cannot-help',
    when: `the error is ${[...FINAL_KINDS].join(', ')}, a 501, or a timeout at the caller's deadline; and no x-should-retry: true`,
    then: 'fail',
    why: 'another try fails the same way until someone changes something; a server that asks for a retry knows of a passing cause',
    applies: (s) => cannotHelp(s.error) && s.error.shouldRetry !== true,
  },
  {
    name: 'unreachable',
    when: `the error is network and attempt >= ${unreachableAttempts}`,
    then: 'fail',
    why: 'a server that could not be reached this many times in a row is not coming back while the user watches; they can fix the URL or the connection',
    applies: (s) => s.error.kind === 'network' && s.attempt >= unreachableAttempts,
  },
  {
    name: 'attempts-spent',
    when: 'attempt >= maxAttempts (unbounded unless the caller sets it)',
    then: 'fail',
    why: 'the caller bounded the attempts; by default only the deadline does',
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
    when: 'now + (retry-after, else the longer of backoff and the budget wait, unless the circuit is open) >= deadline',
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
    name: 'paced',
    when: 'a 429 without retry-after (each one sets or lowers the pace, so this is every such 429)',
    then: 'retry when admitted',
    why: "the pacer already slowed down for this refusal (×0.8 or less per refusal) and holds the retry to the rate, which bounds the load as the budget would; a backoff on top only leaves the bucket idle (up to seconds at the end of a run)",
    applies: (s) => pacedRefusal(s),
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
    when: 'the retry budget is empty (the wait is the longer of backoff and its refill)',
    then: 'retry after backoff',
    why: 'the budget slows retries to its refill (a share of successes, a few a second), so a failing server is not swamped; it never fails a request the deadline can still carry',
    applies: (s) => s.budgetWaitMs > 0,
  },
];

/** The table's last row: what happens when no rule applies. */
const OTHERWISE: Row = {
  name: 'backoff',
  when: 'none of the above',
  then: 'retry after backoff',
  why: 'our own guess, paid from the budget; full jitter keeps clients that failed together from retrying together',
};

function pacedRefusal(facts: RetryFacts): boolean {
  return facts.error.kind === 'rate_limited' && facts.paced === true;
}

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
    waitMs: () => facts.error.retryAfterMs ?? (facts.circuitOpen || pacedRefusal(facts) ? 0 : Math.max((backoff ??= facts.backoffMs()), facts.budgetWaitMs)),
  };
  const rule: Row = RETRY_RULES.find((r) => r.applies(situation)) ?? OTHERWISE;
  if (rule.then === 'fail') {
    const { error, attempt, delivered } = facts;
    return { action: 'fail', rule: rule.name, error: error.with(delivered === '' ? { attempts: attempt } : { attempts: attempt, partialText: delivered }) };
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
  return [...RETRY_RULES, OTHERWISE].map((r, i) => `${i + 1}. ${r.name}: ${r.when} → ${r.then}. Why: ${r.why}.`).join('\n');
}
