// Facts for the retry policy, and its verdict on one failure: the tests of the table and those of
// the code that reports failures (what a failure means for retrying is the table's to say).
import { errors, type LlmError } from '../../../lib/llm/errors';
import { decideRetry, type RetryFacts } from '../../../lib/llm/retry-policy';

export const NOW = 1_000_000;

/** A server error on the first of four attempts, with time and budget to spare. */
export function facts(over: Partial<RetryFacts> = {}): RetryFacts {
  return {
    error: errors.server(500),
    attempt: 1,
    maxAttempts: 4,
    delivered: '',
    now: NOW,
    deadline: NOW + 300_000,
    maxRetryAfterMs: 60_000,
    circuitOpen: false,
    budgetWaitMs: 0,
    backoffMs: () => 250,
    ...over,
  };
}

/** What the policy does with this failure on a first attempt, the text it carries delivered as in the client. */
export function retryVerdict(error: LlmError): 'retry' | 'fail' {
  return decideRetry(facts({ error, delivered: error.partialText ?? '' })).action;
}
