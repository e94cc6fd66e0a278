// One error type for everything the client can fail with. `kind` is what code (and the UI's
// translations) switch on; `message` is a readable English fallback.

import { redact } from '../security/redact';
import type { LlmErrorKind } from './types';
import { retryHintFromHeaders } from './retry-hints';

export type TimeoutPhase = 'first_byte' | 'idle' | 'response' | 'deadline';

export interface LlmErrorFields {
  status?: number;
  retryAfterMs?: number;
  /** The server's own words, redacted and shortened. */
  detail?: string;
  /** Worth another attempt, as far as this one failure can tell. */
  retryable?: boolean;
  /** Answer text that had already been delivered before the failure. */
  partialText?: string;
  timeoutPhase?: TimeoutPhase;
  cause?: unknown;
}

export class LlmError extends Error {
  override readonly name = 'LlmError';
  readonly kind: LlmErrorKind;
  status?: number;
  retryAfterMs?: number;
  detail?: string;
  retryable: boolean;
  partialText?: string;
  /** For `timeout`: which clock ran out. Only `deadline` (the caller's whole budget) is final. */
  timeoutPhase?: TimeoutPhase;
  /** Attempts made before giving up (set by the client). */
  attempts?: number;

  constructor(kind: LlmErrorKind, message: string, fields: LlmErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.kind = kind;
    this.retryable = fields.retryable ?? false;
    if (fields.status !== undefined) this.status = fields.status;
    if (fields.retryAfterMs !== undefined) this.retryAfterMs = fields.retryAfterMs;
    if (fields.detail !== undefined && fields.detail !== '') this.detail = fields.detail;
    if (fields.partialText !== undefined) this.partialText = fields.partialText;
    if (fields.timeoutPhase !== undefined) this.timeoutPhase = fields.timeoutPhase;
  }
}

export function isLlmError(value: unknown): value is LlmError {
  return value instanceof LlmError;
}

const SNIPPET_CHARS = 300;

/** A short, single-line, key-free excerpt of whatever the server sent. */
export function snippet(text: string, secrets: readonly string[] = []): string {
  const plain = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const redacted = redact(plain, secrets);
  return redacted.length > SNIPPET_CHARS ? `${redacted.slice(0, SNIPPET_CHARS - 1)}…` : redacted;
}

function seconds(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1_000))} s`;
}

function withDetail(message: string, detail: string | undefined): string {
  return detail ? `${message} The server said: ${detail}` : message;
}

// Messages live together so they read as one voice and are easy to hand to translators.
export const errors = {
  auth(status: number, detail?: string): LlmError {
    const message =
      status === 403
        ? 'The API key is not allowed to do this (403). Check it, and the model, in Options.'
        : `The API key was rejected (${status}). Check it in Options.`;
    return new LlmError('auth', message, { status, detail });
  },
  notFound(detail?: string): LlmError {
    return new LlmError('not_found', 'Nothing at this address (404): check the base URL and model name.', {
      status: 404,
      detail,
    });
  },
  badRequest(status: number, detail?: string, retryable = false): LlmError {
    return new LlmError('bad_request', withDetail(`The server refused the request (${status}).`, detail), {
      status,
      detail,
      retryable,
    });
  },
  contextLength(status: number | undefined, detail?: string): LlmError {
    return new LlmError(
      'context_length',
      "The text is too long for this model's context window. Try a shorter text or a model with a larger context.",
      { status, detail },
    );
  },
  rateLimited(status: number | undefined, retryAfterMs?: number, detail?: string, retryable = true): LlmError {
    const when = retryAfterMs === undefined ? 'Try again in a moment.' : `Try again in ${seconds(retryAfterMs)}.`;
    const code = status === undefined ? '' : ` (${status})`;
    return new LlmError('rate_limited', `The API is limiting how fast requests can be sent${code}. ${when}`, {
      status,
      retryAfterMs,
      detail,
      retryable,
    });
  },
  quota(status: number | undefined, detail?: string): LlmError {
    return new LlmError(
      'quota',
      'The account has no credit or quota left. Check your plan and billing with the provider.',
      { status, detail },
    );
  },
  server(status: number | undefined, detail?: string, retryable = true, retryAfterMs?: number): LlmError {
    const code = status === undefined ? '' : ` (${status})`;
    return new LlmError('server', `The API server had a problem${code}. Try again later.`, {
      status,
      detail,
      retryable,
      retryAfterMs,
    });
  },
  network(cause?: unknown): LlmError {
    return new LlmError('network', 'Could not reach the API. Check the base URL and your connection.', {
      retryable: true,
      cause,
    });
  },
  timeout(phase: TimeoutPhase, afterMs: number): LlmError {
    const messages = {
      first_byte: `The API did not start answering within ${seconds(afterMs)}.`,
      idle: `The API stopped sending for ${seconds(afterMs)} in the middle of the answer.`,
      response: `The API did not answer within ${seconds(afterMs)}.`,
      deadline: `The request took longer than ${seconds(afterMs)} in all and was stopped.`,
    };
    // The overall deadline is the caller's budget: retrying past it makes no sense.
    return new LlmError('timeout', messages[phase], { retryable: phase !== 'deadline', timeoutPhase: phase });
  },
  aborted(): LlmError {
    return new LlmError('aborted', 'The request was cancelled.');
  },
  badResponse(detail?: string, status?: number): LlmError {
    return new LlmError(
      'bad_response',
      'The server did not answer like an OpenAI-compatible API. Check the base URL (it usually ends in /v1).',
      { detail, status },
    );
  },
  streamCut(partialText?: string): LlmError {
    return new LlmError('stream_cut', 'The answer was cut off before it finished.', {
      // Nothing delivered yet means nothing to duplicate: a fresh attempt is safe.
      retryable: partialText === undefined || partialText === '',
      partialText,
    });
  },
  circuitOpen(retryAfterMs?: number): LlmError {
    return new LlmError(
      'circuit_open',
      'The API has been failing repeatedly, and it did not recover in time for this request. Try again in a moment.',
      { retryAfterMs },
    );
  },
  invalidProvider(problem: string): LlmError {
    return new LlmError('bad_request', `The provider settings are not usable: ${problem}. Check them in Options.`);
  },
};

/** The fields OpenAI-style servers put in an error body, in whichever layout they chose. */
export interface ServerErrorBody {
  message?: string;
  type?: string;
  code?: string;
  status?: number;
}

export function readServerError(body: unknown): ServerErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const inner = record.error ?? record.detail;
  if (typeof inner === 'string') return { message: inner };
  const source =
    typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : 'message' in record ? record : undefined;
  if (source === undefined) return undefined;
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  const statusValue = source.status ?? source.status_code ?? source.code;
  const numericStatus = typeof statusValue === 'number' ? statusValue : Number(statusValue);
  return {
    message: text(source.message),
    type: text(source.type),
    code: text(source.code),
    status: Number.isInteger(numericStatus) && numericStatus >= 400 && numericStatus < 600 ? numericStatus : undefined,
  };
}

const CONTEXT_LENGTH_TEXT =
  /context[ _]length|context window|maximum context|too many tokens|prompt is too long|input is too long|reduce the length/i;
const QUOTA_TEXT = /insufficient_quota|exceeded your current quota|billing|out of credits|insufficient (credits|balance)/i;

function isQuota(e: ServerErrorBody): boolean {
  return e.code === 'insufficient_quota' || e.type === 'insufficient_quota' || QUOTA_TEXT.test(e.message ?? '');
}

function isContextLength(e: ServerErrorBody): boolean {
  return e.code === 'context_length_exceeded' || e.type === 'context_length_exceeded' || CONTEXT_LENGTH_TEXT.test(e.message ?? '');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Turns a non-2xx response (status, headers, body text) into the matching LlmError. */
export function errorFromResponse(
  status: number,
  headers: Headers,
  bodyText: string,
  now: number,
  secrets: readonly string[] = [],
): LlmError {
  const json = parseJson(bodyText);
  const hint = retryHintFromHeaders(headers, now, status);
  let error: LlmError;
  if (isAnthropicError(json)) {
    const message = typeof json.error.message === 'string' ? json.error.message : undefined;
    error = anthropicError(json.error.type, message, { status, retryAfterMs: hint.retryAfterMs, secrets });
  } else {
    const server = readServerError(json);
    const detail = snippet(server?.message ?? bodyText, secrets) || undefined;
    error = classifyStatus(status, server ?? {}, detail, hint.retryAfterMs);
  }
  if (hint.shouldRetry !== undefined && error.kind !== 'quota') error.retryable = hint.shouldRetry;
  return error;
}

function classifyStatus(status: number, server: ServerErrorBody, detail: string | undefined, retryAfterMs?: number): LlmError {
  if (status === 401 || status === 403) return errors.auth(status, detail);
  if (status === 404) return errors.notFound(detail);
  if (status === 429) return isQuota(server) ? errors.quota(status, detail) : errors.rateLimited(status, retryAfterMs, detail);
  if (status === 408) {
    return new LlmError('timeout', 'The server gave up waiting for the request (408).', {
      status,
      detail,
      retryable: true,
      timeoutPhase: 'response',
    });
  }
  if (status === 413 || ((status === 400 || status === 422) && isContextLength(server))) return errors.contextLength(status, detail);
  if (status >= 500) return errors.server(status, detail, status !== 501, retryAfterMs);
  return errors.badRequest(status, detail);
}

/** An `error` object that arrived inside a 200 stream: classify by its code/type, default to server. */
export function errorFromStreamPayload(payload: unknown, secrets: readonly string[] = []): LlmError {
  if (isAnthropicError(payload)) {
    const message = typeof payload.error.message === 'string' ? payload.error.message : undefined;
    return anthropicError(payload.error.type, message, { secrets });
  }
  const server = readServerError(payload) ?? {};
  const detail = server.message === undefined ? undefined : snippet(server.message, secrets);
  if (server.status !== undefined) return classifyStatus(server.status, server, detail);
  const label = `${server.code ?? ''} ${server.type ?? ''}`.toLowerCase();
  if (isQuota(server)) return errors.quota(undefined, detail);
  if (isContextLength(server)) return errors.contextLength(undefined, detail);
  if (/rate_limit|rate limit|too_many_requests/.test(label)) return errors.rateLimited(undefined, undefined, detail);
  if (/auth|invalid_api_key|permission/.test(label)) return errors.auth(401, detail);
  if (/invalid_request/.test(label)) return errors.badRequest(400, detail);
  return errors.server(undefined, detail);
}

// Anthropic ------------------------------------------------------------------------------------

/** `{type: 'error', error: {type, message}}`: the shape of every Anthropic error, in a body or an event. */
export function isAnthropicError(body: unknown): body is { type: 'error'; error: { type: string; message?: unknown } } {
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
export function anthropicError(
  type: string,
  message: string | undefined,
  opts: { status?: number; retryAfterMs?: number; secrets?: readonly string[] } = {},
): LlmError {
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
      return errors.server(status ?? 529, detail, true, opts.retryAfterMs);
    case 'api_error':
    case 'timeout_error':
      return errors.server(status ?? 500, detail, true, opts.retryAfterMs);
    case 'invalid_request_error':
      if (ANTHROPIC_CONTEXT_TEXT.test(message ?? '')) return errors.contextLength(status ?? 400, detail);
      if (/credit balance is too low/i.test(message ?? '')) return errors.quota(status ?? 400, detail);
      return errors.badRequest(status ?? 400, detail);
    default:
      if (status !== undefined && status < 500) return errors.badRequest(status, detail);
      return errors.server(status, detail, status !== 501, opts.retryAfterMs);
  }
}
