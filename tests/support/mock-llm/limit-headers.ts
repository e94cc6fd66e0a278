// How the mock describes its rate limits, in the header dialects real servers speak. Independent
// of the wire protocol: an OpenAI-compatible gateway may send only `retry-after` on its 429s, and
// the pacer must find the limit whatever it is told.

import { formatResetDuration } from '../token-bucket';
import { retryAfterSeconds } from './wire';

/**
 * - `openai`: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` on every answer; a 429 adds
 *   `retry-after` (whole seconds) and `retry-after-ms`.
 * - `azure`: `x-ratelimit-remaining-{requests,tokens}` on every answer (no limit, no reset); a 429
 *   says `retry-after-ms` and `retry-after`.
 * - `anthropic`: `anthropic-ratelimit-{requests,tokens,input-tokens}-{limit,remaining,reset}`, the
 *   reset an RFC 3339 time; a 429 adds `retry-after` (whole seconds).
 * - `429-only`: nothing on answers; a 429 says `retry-after` in whole seconds and
 *   `x-ratelimit-reset-{requests,tokens}` (what many gateways send).
 * - `http-date`: nothing on answers; a 429 says `Retry-After` as an HTTP date only.
 * - `none`: a bare 429.
 */
export type LimitDialect = 'openai' | 'azure' | 'anthropic' | '429-only' | 'http-date' | 'none';

export const LIMIT_DIALECTS: readonly LimitDialect[] = ['openai', 'azure', 'anthropic', '429-only', 'http-date', 'none'];

/** One bucket as a response sees it, right after this request took (or failed to take) its share. */
export interface WindowState {
  limit: number;
  remaining: number;
  /** Until the bucket is full again. */
  msUntilFull: number;
}

export interface LimitState {
  requests?: WindowState;
  tokens?: WindowState;
}

export interface Refusal {
  /** The bucket that said no. */
  window: 'requests' | 'tokens';
  /** Until that bucket holds enough for this request. */
  msUntilRetry: number;
  state: LimitState;
}

type Windows = [name: 'requests' | 'tokens', window: WindowState][];

function windows(state: LimitState): Windows {
  const out: Windows = [];
  if (state.requests) out.push(['requests', state.requests]);
  if (state.tokens) out.push(['tokens', state.tokens]);
  return out;
}

function openaiWindows(state: LimitState): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [name, w] of windows(state)) {
    h[`x-ratelimit-limit-${name}`] = String(w.limit);
    h[`x-ratelimit-remaining-${name}`] = String(Math.max(0, Math.floor(w.remaining)));
    h[`x-ratelimit-reset-${name}`] = formatResetDuration(w.msUntilFull);
  }
  return h;
}

function anthropicWindows(state: LimitState, now: number): Record<string, string> {
  const h: Record<string, string> = {};
  // Anthropic reports the input-token window beside the combined one; the mock has one token bucket.
  const named: [string, WindowState][] = windows(state).flatMap(([name, w]): [string, WindowState][] =>
    name === 'tokens' ? [['tokens', w], ['input-tokens', w]] : [[name, w]],
  );
  for (const [name, w] of named) {
    h[`anthropic-ratelimit-${name}-limit`] = String(w.limit);
    h[`anthropic-ratelimit-${name}-remaining`] = String(Math.max(0, Math.floor(w.remaining)));
    h[`anthropic-ratelimit-${name}-reset`] = new Date(now + Math.ceil(w.msUntilFull)).toISOString();
  }
  return h;
}

/** Headers on an admitted request. */
export function admittedHeaders(dialect: LimitDialect, state: LimitState, now: number = Date.now()): Record<string, string> {
  switch (dialect) {
    case 'openai':
      return openaiWindows(state);
    case 'azure': {
      const h: Record<string, string> = {};
      for (const [name, w] of windows(state)) h[`x-ratelimit-remaining-${name}`] = String(Math.max(0, Math.floor(w.remaining)));
      return h;
    }
    case 'anthropic':
      return anthropicWindows(state, now);
    default:
      return {};
  }
}

/** Headers on a 429. */
export function limitedHeaders(dialect: LimitDialect, refusal: Refusal, now: number = Date.now()): Record<string, string> {
  const wait = Math.max(0, Math.ceil(refusal.msUntilRetry));
  // On a 429 the reset of the window that refused means "until there is room for you".
  const state: LimitState = { ...refusal.state, [refusal.window]: { ...refusal.state[refusal.window], remaining: 0, msUntilFull: wait } };
  switch (dialect) {
    case 'openai':
      return { 'retry-after': retryAfterSeconds(wait), 'retry-after-ms': String(wait), ...openaiWindows(state) };
    case 'azure':
      return { 'retry-after-ms': String(wait), 'retry-after': retryAfterSeconds(wait), ...admittedHeaders('azure', state, now) };
    case 'anthropic':
      return { 'retry-after': retryAfterSeconds(wait), ...anthropicWindows(state, now) };
    case '429-only': {
      const h: Record<string, string> = { 'retry-after': retryAfterSeconds(wait) };
      for (const [name, w] of windows(state)) h[`x-ratelimit-reset-${name}`] = formatResetDuration(w.msUntilFull);
      return h;
    }
    case 'http-date':
      // HTTP dates have whole seconds: round up, or the client comes back too early.
      return { 'retry-after': new Date(Math.ceil((now + wait) / 1000) * 1000).toUTCString() };
    case 'none':
      return {};
  }
}
