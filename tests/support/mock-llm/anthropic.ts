// The mock's Anthropic Messages responder: `{type: 'error', error: {type, message}}` bodies,
// `anthropic-ratelimit-*` headers, whole messages, and named events from message_start to message_stop.

import type { IncomingMessage } from 'node:http';
import type { ErrorEventFault, Rejection, Responder } from './types';
import { approxTokens, headerValue, isObject, normaliseMessages, type ParseResult } from './wire';

let requestId = 1;

/** Anthropic's error shape: `{type: 'error', error: {type, message}, request_id}`. */
function errorBodyOf(type: string, message: string) {
  return { type: 'error', error: { type, message }, request_id: `req_mock${requestId++}` };
}

function invalid(message: string): Rejection {
  return { status: 400, body: errorBodyOf('invalid_request_error', message) };
}

function authError(req: IncomingMessage, apiKey: string | undefined): object | undefined {
  if (apiKey === undefined) return undefined;
  const presented = headerValue(req.headers['x-api-key'])?.trim();
  if (presented === apiKey) return undefined;
  return errorBodyOf('authentication_error', presented ? 'invalid x-api-key' : 'x-api-key header is required');
}

// What the Messages API checks first, so a badly shaped request fails here as it would there.
function checkRequest(req: IncomingMessage, parsed: ParseResult): Rejection | undefined {
  if (req.headers['anthropic-version'] === undefined) return invalid('anthropic-version: header is required');
  if (!parsed.ok || !isObject(parsed.value)) {
    return invalid('There was an issue with the format or content of your request: the body is not valid JSON.');
  }
  const body = parsed.value;
  if (typeof body.model !== 'string' || body.model === '') return invalid('model: Field required');
  if (typeof body.max_tokens !== 'number') return invalid('max_tokens: Field required');
  if (!Array.isArray(body.messages)) return invalid('messages: Field required');
  const badRole = body.messages.findIndex((m: unknown) => !isObject(m) || (m.role !== 'user' && m.role !== 'assistant'));
  if (badRole >= 0) return invalid(`messages.${badRole}.role: Input should be 'user' or 'assistant'`);
  if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system)) return invalid('system: Input should be a valid string');
  return undefined;
}

function errorBody(status: number): object {
  const types: Record<number, [string, string]> = {
    400: ['invalid_request_error', 'Invalid request.'],
    401: ['authentication_error', 'invalid x-api-key'],
    402: ['billing_error', 'Your credit balance is too low to access the Anthropic API.'],
    403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
    404: ['not_found_error', 'Not found.'],
    413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
    429: ['rate_limit_error', 'Number of requests has exceeded your rate limit. Please try again later.'],
    500: ['api_error', 'Internal server error'],
    529: ['overloaded_error', 'Overloaded'],
  };
  const [type, message] = types[status] ?? (status >= 500 ? ['api_error', 'Internal server error'] : ['invalid_request_error', `Mock error ${status}.`]);
  return errorBodyOf(type, message);
}

function errorPayload(fault: ErrorEventFault) {
  return errorBodyOf(fault.errorType ?? 'overloaded_error', fault.message ?? 'Overloaded');
}

export const anthropicResponder: Responder = {
  authError,
  checkRequest,
  conversation(body) {
    const messages = normaliseMessages(body.messages as unknown[]);
    if (body.system !== undefined) messages.unshift(...normaliseMessages([{ role: 'system', content: body.system }]));
    return messages;
  },

  rateLimited: (window, limit) => ({
    status: 429,
    body: errorBodyOf(
      'rate_limit_error',
      `This request would exceed your organization's rate limit of ${limit} ${window === 'requests' ? 'requests' : 'input tokens'} per minute. Please try again later.`,
    ),
  }),

  limitHeaders: 'anthropic',

  unknownModel: (model) => ({ status: 404, body: errorBodyOf('not_found_error', `model: ${model}`) }),
  errorBody,
  errorPayload,

  answer({ body, model, messages, text: asked, seq }) {
    // Anthropic stops at max_tokens (always given) and says so.
    let text = asked;
    let stopReason = 'end_turn';
    if (typeof body.max_tokens === 'number' && approxTokens(text) > body.max_tokens) {
      text = Array.from(text).slice(0, Math.max(0, body.max_tokens) * 4).join('');
      stopReason = 'max_tokens';
    }
    const inputTokens = approxTokens(messages.map((m) => m.content).join(''));
    const outputTokens = approxTokens(text);
    const id = `msg_mock${seq}`;
    return {
      text,
      whole: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text }],
        stop_reason: stopReason,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: outputTokens },
      },
      stream: {
        async start(out) {
          await out.named('message_start', {
            message: {
              id,
              type: 'message',
              role: 'assistant',
              content: [],
              model,
              stop_reason: null,
              stop_sequence: null,
              usage: { input_tokens: inputTokens, output_tokens: 1 },
            },
          });
          await out.named('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
        },
        piece: (out, piece) => out.named('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } }),
        // Anthropic's keep-alive is a `ping` event rather than a comment.
        keepAlive: (out) => out.named('ping', {}),
        error: (out, fault) => out.named('error', { error: errorPayload(fault).error }),
        async finish(out) {
          await out.named('content_block_stop', { index: 0 });
          await out.named('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } });
          await out.named('message_stop', {});
        },
      },
    };
  },

  notFound: (message) => errorBodyOf('not_found_error', message),

  models(ids) {
    const data = ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }));
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  },
};
