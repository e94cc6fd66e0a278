// OpenAI's Chat Completions, as OpenAI and every compatible server speak it: a bearer key, the
// chat body, server-sent `chat.completion.chunk` events ending in `[DONE]`, and error bodies in
// whichever of the usual layouts the server chose, Anthropic's included (a gateway passes it
// through). Azure reuses most of it (./azure.ts).

import { readJsonBody, type BodyContext, type BodyReader } from '../attempt';
import { afterText, classifyStatus, errors, isContextLength, isQuota, readServerError, snippet, type LlmError } from '../errors';
import type { ChatRequest, ChatResult, ProviderConfig, Usage } from '../types';
import { anthropicErrorFrom } from './anthropic-errors';
import { composeHeaders, endpoint } from './http';
import type { ChatBodyOptions, Dialect, StreamAssembler } from './types';

function readUsage(value: unknown): Usage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const u = value as Record<string, unknown>;
  if (typeof u.prompt_tokens !== 'number' && typeof u.completion_tokens !== 'number') return undefined;
  return {
    promptTokens: typeof u.prompt_tokens === 'number' ? u.prompt_tokens : 0,
    completionTokens: typeof u.completion_tokens === 'number' ? u.completion_tokens : 0,
  };
}

/**
 * Server-sent events of a chat stream → answer text, finish reason and usage. Parsing is by hand
 * rather than with a schema: this runs once per token.
 */
class ChatStreamAssembler implements StreamAssembler {
  text = '';
  finishReason: string | undefined;
  usage: Usage | undefined;
  /** `[DONE]` arrived. */
  done = false;

  constructor(private readonly secrets: readonly string[] = []) {}

  /**
   * Takes one event's data; returns the new answer text it carries ('' if none). Throws an LlmError
   * for an error event or for data that is not a chat chunk.
   */
  accept(data: string, eventName?: string): string {
    const trimmed = data.trim();
    if (trimmed === '[DONE]') {
      this.done = true;
      return '';
    }
    if (trimmed === '') return '';
    let chunk: unknown;
    try {
      chunk = JSON.parse(trimmed);
    } catch {
      throw errors.badResponse(snippet(trimmed, this.secrets));
    }
    if (typeof chunk !== 'object' || chunk === null) throw errors.badResponse(snippet(trimmed, this.secrets));
    const record = chunk as Record<string, unknown>;
    if (record.error !== undefined || eventName === 'error') {
      throw afterText(errorFromPayload(record.error === undefined ? record : chunk, this.secrets), this.text);
    }
    const usage = readUsage(record.usage);
    if (usage !== undefined) this.usage = usage;

    const choices = record.choices;
    if (!Array.isArray(choices)) return '';
    let piece = '';
    for (const choice of choices) {
      if (typeof choice !== 'object' || choice === null) continue;
      const c = choice as Record<string, unknown>;
      if (typeof c.index === 'number' && c.index !== 0) continue;
      const delta = c.delta as Record<string, unknown> | undefined;
      if (delta && typeof delta.content === 'string') piece += delta.content;
      if (typeof c.finish_reason === 'string' && c.finish_reason !== '') this.finishReason = c.finish_reason;
    }
    this.text += piece;
    return piece;
  }

  /** A stream is complete with `[DONE]` or a finish reason; anything less was cut. */
  get complete(): boolean {
    return this.done || this.finishReason !== undefined;
  }

  result(): ChatResult {
    const result: ChatResult = { text: this.text, finishReason: this.finishReason ?? 'stop' };
    if (this.usage !== undefined) result.usage = this.usage;
    return result;
  }
}

/** A whole (non-streamed) chat completion body → result; undefined if it is not one. */
function readCompletion(body: unknown): ChatResult | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  if (!Array.isArray(record.choices)) return undefined;
  const first = record.choices[0] as Record<string, unknown> | undefined;
  if (typeof first !== 'object' || first === null) return undefined;
  const message = first.message as Record<string, unknown> | undefined;
  const content = message?.content;
  if (content !== undefined && content !== null && typeof content !== 'string') return undefined;
  const result: ChatResult = {
    text: typeof content === 'string' ? content : typeof first.text === 'string' ? first.text : '',
    finishReason: typeof first.finish_reason === 'string' ? first.finish_reason : 'stop',
  };
  const usage = readUsage(record.usage);
  if (usage !== undefined) result.usage = usage;
  return result;
}

/** The Chat Completions body; `withModel: false` where the URL names the model (an Azure deployment). */
export function completionBody(provider: ProviderConfig, req: ChatRequest, opts: ChatBodyOptions, withModel = true): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (withModel) body.model = req.model ?? provider.model;
  body.messages = req.messages.map((m) => ({ role: m.role, content: m.content }));
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.max_tokens !== undefined) body.max_tokens = req.max_tokens;
  body.stream = opts.stream;
  if (opts.stream && opts.includeUsage && provider.streamUsage !== false) body.stream_options = { include_usage: true };
  return body;
}

/** Model ids from `GET /models`; accepts OpenAI's `{data:[{id}]}` and the `{models:[…]}` some servers use. */
export async function readModelIds(ctx: BodyContext, dialect: Pick<Dialect, 'errorFromPayload'>): Promise<string[]> {
  const json = await readJsonBody(ctx, dialect);
  const record = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const list = Array.isArray(record.data) ? record.data : Array.isArray(record.models) ? record.models : Array.isArray(json) ? json : undefined;
  if (list === undefined) throw errors.badResponse('the JSON is not a model list', ctx.response.status);
  const ids: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') ids.push(item);
    else if (typeof item === 'object' && item !== null) {
      const { id, name } = item as Record<string, unknown>;
      if (typeof id === 'string') ids.push(id);
      else if (typeof name === 'string') ids.push(name);
    }
  }
  return ids;
}

const readModelList: BodyReader<string[]> = (ctx) => readModelIds(ctx, openaiDialect);

function errorFromBody(status: number, json: unknown, bodyText: string, retryAfterMs: number | undefined, secrets: readonly string[]): LlmError {
  const anthropic = anthropicErrorFrom(json, { status, retryAfterMs, secrets });
  if (anthropic !== undefined) return anthropic;
  const server = readServerError(json);
  const detail = snippet(server?.message ?? bodyText, secrets) || undefined;
  return classifyStatus(status, server ?? {}, detail, retryAfterMs);
}

/** An `error` object that arrived inside a 200: classify by its status, code or type; default to server. */
function errorFromPayload(payload: unknown, secrets: readonly string[] = []): LlmError {
  const anthropic = anthropicErrorFrom(payload, { secrets });
  if (anthropic !== undefined) return anthropic;
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

export const openaiDialect: Dialect = {
  chatEndpoint: (provider) => endpoint(provider, 'chat/completions'),
  modelsEndpoint: (provider) => endpoint(provider, 'models'),
  requestHeaders: (provider, shape) => composeHeaders(provider, shape, {}, (key) => ['authorization', `Bearer ${key}`]),
  chatBody: (provider, req, opts) => completionBody(provider, req, opts),
  streamAssembler: (secrets) => new ChatStreamAssembler(secrets),
  readAnswer: readCompletion,
  answerName: 'a chat completion',
  modelsReader: () => readModelList,
  errorFromBody,
  errorFromPayload,
};
