// Anthropic's error shape, `{type: 'error', error: {type, message}}`, in a body or a stream event.
// Every dialect reads it: a gateway in front of an OpenAI-compatible endpoint passes it through.

import { errors, snippet, type LlmError } from '../errors';

interface AnthropicErrorOptions {
  status?: number;
  retryAfterMs?: number;
  secrets?: readonly string[];
}

function isAnthropicError(body: unknown): body is { type: 'error'; error: { type: string; message?: unknown } } {
  if (typeof body !== 'object' || body === null) return false;
  const r = body as Record<string, unknown>;
  const inner = r.error;
  return r.type === 'error' && typeof inner === 'object' && inner !== null && typeof (inner as Record<string, unknown>).type === 'string';
}

const ANTHROPIC_CONTEXT_TEXT = /prompt is too long|too many tokens|context window|maximum context|exceeds? the (?:model'?s? )?context/i;
const ANTHROPIC_QUOTA_TEXT = /credit balance|billing|spend limit|usage limits?/i;

/**
 * Anthropic's error `type` (and the HTTP status, when there is one) → LlmError. Errors inside a
 * 200 stream carry no status; the type says the same thing the status would have.
 */
export function anthropicError(type: string, message: string | undefined, opts: AnthropicErrorOptions = {}): LlmError {
  const detail = message === undefined ? undefined : snippet(message, opts.secrets ?? []) || undefined;
  const status = opts.status;
  switch (type) {
    case 'authentication_error':
      return errors.auth(status ?? 401, detail);
    case 'permission_error':
      return errors.auth(status ?? 403, detail);
    case 'not_found_error':
      return errors.notFound(detail);
    case 'request_too_large':
      return errors.contextLength(status ?? 413, detail);
    case 'billing_error':
      return errors.quota(status ?? 402, detail);
    case 'rate_limit_error':
      // A spend limit is also reported as a rate limit, but no wait will lift it.
      return ANTHROPIC_QUOTA_TEXT.test(message ?? '') ? errors.quota(status ?? 429, detail) : errors.rateLimited(status ?? 429, opts.retryAfterMs, detail);
    case 'overloaded_error':
      return errors.server(status ?? 529, detail, opts.retryAfterMs);
    case 'api_error':
    case 'timeout_error':
      return errors.server(status ?? 500, detail, opts.retryAfterMs);
    case 'invalid_request_error':
      if (ANTHROPIC_CONTEXT_TEXT.test(message ?? '')) return errors.contextLength(status ?? 400, detail);
      if (/credit balance is too low/i.test(message ?? '')) return errors.quota(status ?? 400, detail);
      return errors.badRequest(status ?? 400, detail);
    default:
      if (status !== undefined && status < 500) return errors.badRequest(status, detail);
      return errors.server(status, detail, opts.retryAfterMs);
  }
}

/** An Anthropic-shaped error body or event → LlmError; undefined for any other shape. */
export function anthropicErrorFrom(body: unknown, opts: AnthropicErrorOptions): LlmError | undefined {
  if (!isAnthropicError(body)) return undefined;
  return anthropicError(body.error.type, typeof body.error.message === 'string' ? body.error.message : undefined, opts);
}
