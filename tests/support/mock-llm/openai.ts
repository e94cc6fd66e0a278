// The mock's OpenAI Chat Completions (and Azure OpenAI) responder: OpenAI's error bodies and
// rate-limit headers, `chat.completion` answers and `chat.completion.chunk` events ending in `[DONE]`.

import type { IncomingMessage } from 'node:http';
import { formatResetDuration } from '../token-bucket';
import type { ErrorEventFault, Rejection, Responder } from './types';
import { approxTokens, headerValue, isObject, normaliseMessages, type ParseResult } from './wire';

export function oaiError(message: string, type: string, code: string | null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

export function azureNotFound(): object {
  return { error: { code: '404', message: 'Resource not found' } };
}

// Like OpenAI, never echo a whole key back: error messages end up in logs and screenshots.
function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 40))}${key.slice(-4)}`;
}

function authError(req: IncomingMessage, apiKey: string | undefined): object | undefined {
  if (apiKey === undefined) return undefined;
  const bearer = /^Bearer\s+(.*)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  const apiKeyHeader = headerValue(req.headers['api-key']);
  if (bearer === apiKey || apiKeyHeader === apiKey) return undefined;
  const presented = bearer ?? apiKeyHeader;
  return oaiError(
    presented
      ? `Incorrect API key provided: ${maskKey(presented)}. You can find your API key at https://platform.openai.com/account/api-keys.`
      : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    'invalid_request_error',
    'invalid_api_key',
  );
}

function checkRequest(_req: IncomingMessage, parsed: ParseResult, raw: string): Rejection | undefined {
  if (!parsed.ok || !isObject(parsed.value)) {
    const message = `We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.) Received: ${raw.slice(0, 40)}`;
    return { status: 400, body: oaiError(message, 'invalid_request_error', null) };
  }
  if (!Array.isArray(parsed.value.messages)) {
    return { status: 400, body: oaiError("Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter', 'messages') };
  }
  return undefined;
}

function errorBody(status: number): object {
  if (status === 429) return oaiError('Rate limit reached for requests. Please try again later.', 'requests', 'rate_limit_exceeded');
  if (status === 401) return oaiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
  if (status === 404) return oaiError('Not found.', 'invalid_request_error', null);
  if (status >= 500) {
    return oaiError('The server had an error while processing your request. Sorry about that!', 'server_error', null);
  }
  return oaiError(`Mock error ${status}.`, 'invalid_request_error', null);
}

function errorPayload(fault: ErrorEventFault): object {
  return { error: { message: fault.message ?? 'The server had an error while processing your request.', type: fault.errorType ?? 'server_error' } };
}

export const openaiResponder: Responder = {
  authError,
  checkRequest,
  conversation: (body) => normaliseMessages(body.messages as unknown[]),

  rateLimited(window, limit, msUntilRetry) {
    const [unit, abbr] = window === 'requests' ? ['requests', 'RPM'] : ['tokens', 'TPM'];
    return {
      status: 429,
      body: {
        error: {
          message: `Rate limit reached for mock-model in organization org-mock on ${unit} per min (${abbr}): Limit ${limit}, Used ${limit}, Requested 1. Please try again in ${formatResetDuration(msUntilRetry)}.`,
          type: unit,
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
    };
  },

  limitHeaders: 'openai',

  unknownModel(model, deployment) {
    if (deployment !== undefined) {
      return { status: 404, body: { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' } } };
    }
    return model
      ? { status: 404, body: oaiError(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found') }
      : { status: 400, body: oaiError('you must provide a model parameter', 'invalid_request_error', null) };
  },

  errorBody,
  errorPayload,

  answer({ body, model, messages, text, seq, includeUsage: usageOn }) {
    const includeUsage = usageOn && isObject(body.stream_options) && body.stream_options.include_usage === true;
    const usage = { prompt_tokens: approxTokens(messages.map((m) => m.content).join('')), completion_tokens: approxTokens(text), total_tokens: 0 };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const id = `chatcmpl-mock${seq}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: object, finish: string | null) =>
      JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finish }],
        // OpenAI sends `usage: null` on every chunk once usage was asked for; clients must cope.
        ...(includeUsage ? { usage: null } : {}),
      });
    return {
      // The OpenAI side keeps its whole answer, whatever max_tokens says.
      text,
      whole: {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: 'stop' }],
        usage,
      },
      stream: {
        start: async () => undefined,
        piece: (out, piece, i) => out.data(chunk(i === 0 ? { role: 'assistant', content: piece } : { content: piece }, null)),
        keepAlive: (out) => out.comment('keep-alive'),
        error: (out, fault) => out.data(JSON.stringify(errorPayload(fault))),
        async finish(out) {
          await out.data(chunk({}, 'stop'));
          if (includeUsage) await out.data(JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage }));
          await out.data('[DONE]');
        },
      },
    };
  },

  notFound: (message) => oaiError(message, 'invalid_request_error', 'unknown_url'),

  models: (ids) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'mock' })) }),
};
