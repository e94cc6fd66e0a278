// Every tunable of the client in one place, so the Options page, the benchmarks and the tests all
// talk about the same knobs.

export interface ClientOptions {
  /** Upper bound of the adaptive concurrency limit (the user's "max parallel requests"). */
  maxConcurrency: number;
  /**
   * At most this many attempts per request, the first included. Retries otherwise run until the
   * deadline (default: no bound but the deadline).
   */
  maxAttempts: number;
  /** Full-jitter backoff: attempt n waits random() * min(cap, base * 2^(n-1)). */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** A server asking for a longer wait than this fails the request at once (with retryAfterMs). */
  maxRetryAfterMs: number;
  /** Requests released together after a server-error pause start spread over this window. */
  resumeSpreadMs: number;
  /** Streaming: from sending the request to the first real data event. */
  firstByteTimeoutMs: number;
  /** Streaming: longest silence between data events (keep-alive comments do not count). */
  idleTimeoutMs: number;
  /** Non-streaming: servers send nothing until the whole answer is ready, so one longer bound. */
  nonStreamingTimeoutMs: number;
  /** Whole request, queueing, waiting and retries included. */
  deadlineMs: number;
  /** Consecutive server/network/timeout failures that open the circuit breaker. */
  breakerFailureThreshold: number;
  /**
   * How long the breaker stays open before letting one probe through, at first. Later cool-downs
   * of the same outage grow to half its length so far, up to `breakerMaxCoolDownMs`.
   */
  breakerCoolDownMs: number;
  breakerMaxCoolDownMs: number;
  /** Retries earned per success (token bucket), so a failing upstream cannot multiply its load. */
  retryBudgetRatio: number;
  /** Bucket size, and the retries available before any success. */
  retryBudgetMax: number;
  /** Retries earned per second whatever happens: an empty budget delays retries to this pace, it never fails them. */
  retryBudgetPerSec: number;
  /** Coalesces state writes: the breaker and pause change in bursts. */
  persistDebounceMs: number;
  /** Ask for a final usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
}

export const DEFAULT_CLIENT_OPTIONS: Readonly<ClientOptions> = Object.freeze({
  maxConcurrency: 8,
  maxAttempts: Number.POSITIVE_INFINITY,
  backoffBaseMs: 500,
  backoffCapMs: 20_000,
  maxRetryAfterMs: 60_000,
  resumeSpreadMs: 1_000,
  firstByteTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  nonStreamingTimeoutMs: 120_000,
  deadlineMs: 300_000,
  breakerFailureThreshold: 2,
  breakerCoolDownMs: 600,
  breakerMaxCoolDownMs: 600,
  retryBudgetRatio: 0.2,
  retryBudgetMax: 10,
  retryBudgetPerSec: 5,
  persistDebounceMs: 200,
  includeUsage: true,
});

/** Merges and sanitises: a bad value from storage must not wedge the client (e.g. concurrency 0). */
export function resolveOptions(base: ClientOptions, patch: Partial<ClientOptions> = {}): ClientOptions {
  const merged: ClientOptions = { ...base };
  for (const [name, value] of Object.entries(patch) as [keyof ClientOptions, unknown][]) {
    if (value === undefined) continue;
    if (name === 'includeUsage') {
      if (typeof value === 'boolean') merged.includeUsage = value;
      continue;
    }
    // Only the attempt bound may be lifted altogether.
    const unbounded = name === 'maxAttempts' && value === Number.POSITIVE_INFINITY;
    if (typeof value === 'number' && (Number.isFinite(value) || unbounded) && value >= 0) merged[name] = value;
  }
  merged.maxConcurrency = Math.max(1, Math.floor(merged.maxConcurrency));
  merged.maxAttempts = Math.max(1, Math.floor(merged.maxAttempts));
  merged.breakerFailureThreshold = Math.max(1, Math.floor(merged.breakerFailureThreshold));
  return merged;
}
