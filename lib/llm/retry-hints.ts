// What the server tells us about when to come back. Providers disagree on the header, so we read
// them all; the most specific one wins.

import type { RequestWindow } from './rate-gate';

export interface RetryHint {
  /** Wait the server asked for, if it said. */
  retryAfterMs?: number;
  /** `x-should-retry`: the server's own verdict overrides our status-code guess. */
  shouldRetry?: boolean;
}

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Parses Go-style durations as OpenAI sends them in `x-ratelimit-reset-*`: `1s`, `6m0s`, `20ms`, `1.5s`. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  // A bare number is seconds (some gateways send `x-ratelimit-reset-requests: 2`).
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1_000;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(DURATION_PART)) {
    const [whole, amount, unit] = match;
    if (match.index !== consumed || amount === undefined || unit === undefined) return undefined;
    total += Number(amount) * (UNIT_MS[unit] ?? 0);
    consumed += whole.length;
  }
  return consumed === trimmed.length ? total : undefined;
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1_000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function retryHintFromHeaders(headers: Headers, now: number, status: number): RetryHint {
  const hint: RetryHint = {};
  const should = headers.get('x-should-retry')?.trim().toLowerCase();
  if (should === 'true') hint.shouldRetry = true;
  if (should === 'false') hint.shouldRetry = false;

  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) {
    hint.retryAfterMs = Number(ms.trim());
    return hint;
  }
  const after = headers.get('retry-after');
  const parsed = after === null ? undefined : parseRetryAfter(after, now);
  if (parsed !== undefined) {
    hint.retryAfterMs = parsed;
    return hint;
  }
  // The reset headers describe the window on every response; they only mean "wait" on a 429.
  if (status === 429) {
    const reset = rateLimitResetMs(headers) ?? anthropicResetMs(headers, now);
    if (reset !== undefined) hint.retryAfterMs = reset;
  }
  return hint;
}

// Anthropic describes each window with `anthropic-ratelimit-{window}-remaining/-limit/-reset`,
// the reset an RFC 3339 timestamp rather than a duration.
const ANTHROPIC_WINDOWS = ['requests', 'tokens', 'input-tokens', 'output-tokens'];

function anthropicReset(headers: Headers, window: string, now: number): number | undefined {
  const text = headers.get(`anthropic-ratelimit-${window}-reset`)?.trim();
  if (!text) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Like rateLimitResetMs, for Anthropic's headers: the exhausted window's reset, else the latest one. */
function anthropicResetMs(headers: Headers, now: number): number | undefined {
  const windows = ANTHROPIC_WINDOWS.map((name) => ({
    reset: anthropicReset(headers, name, now),
    exhausted: headers.get(`anthropic-ratelimit-${name}-remaining`)?.trim() === '0',
  }));
  const known = windows.filter((w) => w.reset !== undefined);
  const exhausted = known.filter((w) => w.exhausted);
  const relevant = exhausted.length > 0 ? exhausted : known;
  if (relevant.length === 0) return undefined;
  return Math.max(...relevant.map((w) => w.reset ?? 0));
}

/** What a successful response's rate-limit headers say about the room left upstream. */
export interface QuotaSignal {
  /**
   * A rate-limit window is empty (`x-ratelimit-remaining-requests` or `-tokens` is 0): this request
   * got through, but one more on top of it would not. A congestion mark without a loss.
   */
  exhausted: boolean;
  /** The request window, when the server describes it in full (remaining, limit and reset). */
  requests?: RequestWindow;
}

function headerNumber(headers: Headers, name: string): number | undefined {
  const text = headers.get(name)?.trim();
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

export function readQuota(headers: Headers, now: number = Date.now()): QuotaSignal {
  if (headers.has('anthropic-ratelimit-requests-remaining') || headers.has('anthropic-ratelimit-tokens-remaining')) {
    return readAnthropicQuota(headers, now);
  }
  const remainingRequests = headerNumber(headers, 'x-ratelimit-remaining-requests');
  const remainingTokens = headerNumber(headers, 'x-ratelimit-remaining-tokens');
  const signal: QuotaSignal = {
    exhausted: (remainingRequests !== undefined && remainingRequests <= 0) || (remainingTokens !== undefined && remainingTokens <= 0),
  };
  // Only the request window says how fast to send: a token window's pace depends on request size.
  const limit = headerNumber(headers, 'x-ratelimit-limit-requests');
  const resetMs = parseDuration(headers.get('x-ratelimit-reset-requests') ?? '');
  if (remainingRequests !== undefined && limit !== undefined && limit >= 1 && resetMs !== undefined) {
    signal.requests = { remaining: Math.max(0, remainingRequests), limit, resetMs };
  }
  return signal;
}

/** The reset of whichever window ran out; if the server does not say which, the longer one. */
function rateLimitResetMs(headers: Headers): number | undefined {
  const windows = ['requests', 'tokens'].map((name) => ({
    reset: parseDuration(headers.get(`x-ratelimit-reset-${name}`) ?? ''),
    exhausted: headers.get(`x-ratelimit-remaining-${name}`)?.trim() === '0',
  }));
  const known = windows.filter((w) => w.reset !== undefined);
  const exhausted = known.filter((w) => w.exhausted);
  const relevant = exhausted.length > 0 ? exhausted : known;
  if (relevant.length === 0) return undefined;
  return Math.max(...relevant.map((w) => w.reset ?? 0));
}

function readAnthropicQuota(headers: Headers, now: number): QuotaSignal {
  const remaining = ANTHROPIC_WINDOWS.map((name) => headerNumber(headers, `anthropic-ratelimit-${name}-remaining`));
  const signal: QuotaSignal = { exhausted: remaining.some((r) => r !== undefined && r <= 0) };
  const remainingRequests = remaining[0];
  const limit = headerNumber(headers, 'anthropic-ratelimit-requests-limit');
  const resetMs = anthropicReset(headers, 'requests', now);
  if (remainingRequests !== undefined && limit !== undefined && limit >= 1 && resetMs !== undefined) {
    signal.requests = { remaining: Math.max(0, remainingRequests), limit, resetMs };
  }
  return signal;
}
