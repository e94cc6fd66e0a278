// What the server tells us about when to come back. Providers disagree on the header, so we read
// them all; the most specific one wins.

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
  const wait = serverWait(headers, now, status);
  if (wait !== undefined) hint.retryAfterMs = wait.ms;
  return hint;
}

/** How long the server asked us to wait, and whether to the millisecond or only rounded up. */
export interface ServerWait {
  ms: number;
  /** `retry-after-ms` or a window's reset; false for whole seconds or an HTTP date (an upper bound). */
  exact: boolean;
}

/**
 * The most precise wait the response names. A whole-second `retry-after` is the exact wait rounded
 * up, so a sub-second reset of the exhausted window in the same 429 is the better answer.
 */
export function serverWait(headers: Headers, now: number, status: number): ServerWait | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return { ms: Number(ms.trim()), exact: true };
  const after = headers.get('retry-after');
  const parsed = after === null ? undefined : parseRetryAfter(after, now);
  // The reset headers describe the window on every response; they only mean "wait" on a 429.
  const reset = status === 429 ? (rateLimitResetMs(headers) ?? anthropicResetMs(headers, now)) : undefined;
  // Only within the rounding: a retry-after far longer than the reset speaks of another window.
  if (reset !== undefined && (parsed === undefined || (reset <= parsed && reset > parsed - 1_000))) return { ms: reset, exact: true };
  if (parsed === undefined) return undefined;
  return { ms: parsed, exact: /^\d+\.\d+$/.test(after?.trim() ?? '') };
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

/** One rate-limit window as a response describes it; any part may be missing. */
export interface WindowReport {
  /** Left right after this request took its share. */
  remaining?: number;
  limit?: number;
  /** Until the window is full again. */
  resetMs?: number;
}

/** What a response's rate-limit headers say, in whichever dialect it speaks. */
export interface LimitReport {
  requests: WindowReport;
  /** The window counted before sending (input tokens where the server tells them apart). */
  tokens: WindowReport;
}

function headerNumber(headers: Headers, name: string): number | undefined {
  const text = headers.get(name)?.trim();
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function windowReport(remaining: number | undefined, limit: number | undefined, resetMs: number | undefined): WindowReport {
  const w: WindowReport = {};
  if (remaining !== undefined) w.remaining = Math.max(0, remaining);
  if (limit !== undefined && limit >= 1) w.limit = limit;
  if (resetMs !== undefined) w.resetMs = resetMs;
  return w;
}

/** OpenAI's and Azure's `x-ratelimit-*`, or Anthropic's `anthropic-ratelimit-*` (RFC 3339 resets). */
export function readLimits(headers: Headers, now: number): LimitReport {
  if ([...headers.keys()].some((k) => k.startsWith('anthropic-ratelimit-'))) {
    const anthropic = (name: string) =>
      windowReport(
        headerNumber(headers, `anthropic-ratelimit-${name}-remaining`),
        headerNumber(headers, `anthropic-ratelimit-${name}-limit`),
        anthropicReset(headers, name, now),
      );
    const input = anthropic('input-tokens');
    return { requests: anthropic('requests'), tokens: input.remaining !== undefined ? input : anthropic('tokens') };
  }
  const openai = (name: string) =>
    windowReport(
      headerNumber(headers, `x-ratelimit-remaining-${name}`),
      headerNumber(headers, `x-ratelimit-limit-${name}`),
      parseDuration(headers.get(`x-ratelimit-reset-${name}`) ?? ''),
    );
  return { requests: openai('requests'), tokens: openai('tokens') };
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
