// What the model's API can fail with: LlmError, the application's one error type (lib/errors.ts)
// with the fields the client and the views need, and the dialect-neutral pieces every dialect
// classifies with (status codes, the error-body fields most servers share, the server's retry hints).

import { AppError, type AppErrorFields, type LlmErrorKind } from '../errors';
import { redact } from '../security/redact';
import type { Dialect } from './dialects/types';
import { retryHintFromHeaders } from './retry-hints';

export type TimeoutPhase = 'first_byte' | 'idle' | 'response' | 'deadline';

/** Each under the name of the field it sets (`with()` relies on it). */
export interface LlmErrorFields extends AppErrorFields {
  status?: number;
  retryAfterMs?: number;
  /** The server's own words, redacted and shortened. */
  detail?: string;
  /** The server's `x-should-retry` header. */
  shouldRetry?: boolean;
  /** Answer text that had already been delivered before the failure. */
  partialText?: string;
  timeoutPhase?: TimeoutPhase;
  attempts?: number;
}

export class LlmError extends AppError<LlmErrorKind> {
  override readonly name = 'LlmError';
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly detail?: string;
  /** The server's own verdict on this failure (`x-should-retry`); the retry policy weighs it. */
  readonly shouldRetry?: boolean;
  readonly partialText?: string;
  /** For `timeout`: which clock ran out. Only `deadline` (the caller's whole budget) is final. */
  readonly timeoutPhase?: TimeoutPhase;
  /** Attempts made before giving up (set by the client). */
  readonly attempts?: number;

  constructor(kind: LlmErrorKind, message: string, fields: LlmErrorFields = {}) {
    super(kind, message, fields);
    if (fields.status !== undefined) this.status = fields.status;
    if (fields.retryAfterMs !== undefined) this.retryAfterMs = fields.retryAfterMs;
    if (fields.detail !== undefined && fields.detail !== '') this.detail = fields.detail;
    if (fields.shouldRetry !== undefined) this.shouldRetry = fields.shouldRetry;
    if (fields.partialText !== undefined) this.partialText = fields.partialText;
    if (fields.timeoutPhase !== undefined) this.timeoutPhase = fields.timeoutPhase;
    if (fields.attempts !== undefined) this.attempts = fields.attempts;
  }
}

export function isLlmError(value: unknown): value is LlmError {
  return value instanceof LlmError;
}

/** The error, carrying the answer text shown before it (the caller keeps it; the retry policy will not repeat it). */
export function afterText(error: LlmError, text: string): LlmError {
  return error.with({ partialText: text });
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

// Messages live together so they read as one voice and are easy to hand to translators. Views
// show each under its kind's heading ("The API key was rejected"), so a message adds the evidence
// and what to do; it does not say the heading again.
export const errors = {
  auth(status: number, detail?: string): LlmError {
    const message =
      status === 403
        ? 'The provider answered 403 Forbidden: this key may not use this model or endpoint. Check both in Options.'
        : `The provider answered ${status} Unauthorized. Check the key in Options.`;
    return new LlmError('auth', message, { status, detail });
  },
  notFound(detail?: string): LlmError {
    return new LlmError('not_found', 'The provider answered 404 Not Found. Check the base URL (it usually ends in /v1) and the model name.', {
      status: 404,
      detail,
    });
  },
  badRequest(status: number, detail?: string): LlmError {
    return new LlmError('bad_request', withDetail(`The server refused the request (${status}).`, detail), { status, detail });
  },
  contextLength(status: number | undefined, detail?: string): LlmError {
    return new LlmError('context_length', 'Try a shorter text, or a model with a larger context window.', { status, detail });
  },
  rateLimited(status: number | undefined, retryAfterMs?: number, detail?: string): LlmError {
    const when = retryAfterMs === undefined ? 'Try again in a moment.' : `Try again in ${seconds(retryAfterMs)}.`;
    const code = status === undefined ? '' : ` (${status})`;
    return new LlmError('rate_limited', `Too many requests for the provider${code}. ${when}`, {
      status,
      retryAfterMs,
      detail,
    });
  },
  quota(status: number | undefined, detail?: string): LlmError {
    return new LlmError('quota', 'Add credit or raise the spending limit with the provider, then try again.', { status, detail });
  },
  /** A team gateway's own failure (it says so in a header), not the provider's: asking again will not help. */
  gateway(status: number, detail?: string): LlmError {
    return new LlmError('server', withDetail(`Your gateway failed by itself (${status}), before or after the provider answered. Tell whoever runs it.`, detail), {
      status,
      detail,
      shouldRetry: false,
    });
  },
  server(status: number | undefined, detail?: string, retryAfterMs?: number): LlmError {
    const code = status === undefined ? '' : ` (${status})`;
    return new LlmError('server', `The provider's server failed${code}. Try again later.`, { status, detail, retryAfterMs });
  },
  network(cause?: unknown): LlmError {
    return new LlmError('network', 'Check the base URL and your connection.', { cause });
  },
  timeout(phase: TimeoutPhase, afterMs: number): LlmError {
    const messages = {
      first_byte: `The API did not start answering within ${seconds(afterMs)}.`,
      idle: `The API stopped sending for ${seconds(afterMs)} in the middle of the answer.`,
      response: `The API did not answer within ${seconds(afterMs)}.`,
      deadline: `The request took longer than ${seconds(afterMs)} in all and was stopped.`,
    };
    return new LlmError('timeout', messages[phase], { timeoutPhase: phase });
  },
  aborted(): LlmError {
    return new LlmError('aborted', 'The request was cancelled.');
  },
  badResponse(detail?: string, status?: number): LlmError {
    return new LlmError(
      'bad_response',
      'Check the base URL: for most providers it ends in /v1.',
      { detail, status },
    );
  },
  streamCut(partialText?: string): LlmError {
    return new LlmError('stream_cut', 'The connection ended before the answer was finished.', { partialText });
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

export function isQuota(e: ServerErrorBody): boolean {
  return e.code === 'insufficient_quota' || e.type === 'insufficient_quota' || QUOTA_TEXT.test(e.message ?? '');
}

export function isContextLength(e: ServerErrorBody): boolean {
  return e.code === 'context_length_exceeded' || e.type === 'context_length_exceeded' || CONTEXT_LENGTH_TEXT.test(e.message ?? '');
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A non-2xx response (status, headers, body text) → the matching LlmError, the body read by the dialect. */
export function errorFromResponse(
  dialect: Pick<Dialect, 'errorFromBody'>,
  status: number,
  headers: Headers,
  bodyText: string,
  now: number,
  secrets: readonly string[] = [],
): LlmError {
  const hint = retryHintFromHeaders(headers, now, status);
  const error = dialect.errorFromBody(status, parseJson(bodyText), bodyText, hint.retryAfterMs, secrets);
  // Portkey's gateway marks the errors it raised itself, as opposed to those it passes on.
  if (headers.get('x-portkey-gateway-exception') === 'true') return errors.gateway(status, error.detail);
  return hint.shouldRetry === undefined ? error : error.with({ shouldRetry: hint.shouldRetry });
}

/** The HTTP status, refined by the body's fields where the status alone is ambiguous (429, 400). */
export function classifyStatus(status: number, server: ServerErrorBody, detail: string | undefined, retryAfterMs?: number): LlmError {
  if (status === 401 || status === 403) return errors.auth(status, detail);
  if (status === 404) return errors.notFound(detail);
  if (status === 429) return isQuota(server) ? errors.quota(status, detail) : errors.rateLimited(status, retryAfterMs, detail);
  if (status === 408) {
    return new LlmError('timeout', 'The server gave up waiting for the request (408).', { status, detail, timeoutPhase: 'response' });
  }
  if (status === 413 || ((status === 400 || status === 422) && isContextLength(server))) return errors.contextLength(status, detail);
  // 405/501 to a POST is a web server without the API (a static file server, a site's front page),
  // unless the body is an API's own error object.
  if ((status === 405 || status === 501) && server.message === undefined) return errors.badResponse(detail, status);
  if (status >= 500) return errors.server(status, detail, retryAfterMs);
  return errors.badRequest(status, detail);
}
