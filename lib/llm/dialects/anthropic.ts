// Anthropic's Messages API: the request body, the streamed events and the whole-message JSON,
// mapped onto the same ChatResult and LlmError kinds as OpenAI-compatible servers, so everything
// above (retries, admission, breaker, single-flight, timeouts) stays unchanged. Its error shape is
// read by every dialect (./anthropic-errors.ts).

import { afterText, errors, snippet } from '../errors';
import type { ChatRequest, ChatResult, ProviderConfig, Usage } from '../types';
import { anthropicError } from './anthropic-errors';
import { composeHeaders, endpoint } from './http';
import { openaiDialect, readModelIds } from './openai';
import type { Dialect, StreamAssembler } from './types';

/** The `anthropic-version` header every request carries. */
const ANTHROPIC_VERSION = '2023-06-01';

const PROTOCOL_HEADERS = {
  'anthropic-version': ANTHROPIC_VERSION,
  // Anthropic refuses requests that carry an Origin (the worker's fetch does) unless told that
  // the key is meant to be used from a browser: here it is the user's own key, kept in the worker.
  'anthropic-dangerous-direct-browser-access': 'true',
};

/** `max_tokens` is required by the Messages API; this is what a request that sets none asks for. */
const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

type Turn = { role: 'user' | 'assistant'; content: string };

/**
 * The Messages API takes the system prompt apart from the turns, and only user and assistant
 * turns in `messages`. Consecutive turns of one role are joined (the API would merge them anyway,
 * and some compatible servers refuse them), and empty turns (an answer that failed before its
 * first word) are dropped: the API rejects empty text.
 */
function anthropicBody(provider: ProviderConfig, req: ChatRequest, opts: { stream: boolean }): Record<string, unknown> {
  const system: string[] = [];
  const turns: Turn[] = [];
  for (const message of req.messages) {
    if (message.content.trim() === '') continue;
    if (message.role === 'system') {
      system.push(message.content);
      continue;
    }
    const last = turns.at(-1);
    if (last && last.role === message.role) last.content = `${last.content}\n\n${message.content}`;
    else turns.push({ role: message.role, content: message.content });
  }
  let systemText = system.join('\n\n');
  // A request that is only instructions still needs one user turn.
  if (turns.length === 0 && systemText !== '') {
    turns.push({ role: 'user', content: systemText });
    systemText = '';
  }
  const maxTokens = req.max_tokens ?? provider.maxTokens;
  const body: Record<string, unknown> = {
    model: req.model ?? provider.model,
    max_tokens: typeof maxTokens === 'number' && Number.isInteger(maxTokens) && maxTokens > 0 ? maxTokens : ANTHROPIC_DEFAULT_MAX_TOKENS,
  };
  if (systemText !== '') body.system = systemText;
  body.messages = turns;
  // OpenAI's scale runs to 2, Anthropic's to 1.
  if (req.temperature !== undefined) body.temperature = Math.min(1, Math.max(0, req.temperature));
  body.stream = opts.stream;
  return body;
}

/** Anthropic's stop reasons in the client's (OpenAI's) vocabulary; unknown ones pass through. */
function finishReasonOf(stopReason: string): string {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return stopReason;
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Prompt tokens are the uncached input plus what was written to and read from the prompt cache. */
function promptTokensOf(usage: Record<string, unknown>): number | undefined {
  const parts = [usage.input_tokens, usage.cache_creation_input_tokens, usage.cache_read_input_tokens].map(count);
  if (parts.every((p) => p === undefined)) return undefined;
  return parts.reduce<number>((sum, p) => sum + (p ?? 0), 0);
}

function readUsage(value: unknown): Usage | undefined {
  const usage = record(value);
  if (!usage) return undefined;
  const prompt = promptTokensOf(usage);
  const completion = count(usage.output_tokens);
  if (prompt === undefined && completion === undefined) return undefined;
  return { promptTokens: prompt ?? 0, completionTokens: completion ?? 0 };
}

/** A whole (non-streamed) message → result; undefined if the JSON is not one. */
function readAnthropicMessage(body: unknown): ChatResult | undefined {
  const message = record(body);
  if (!message || !Array.isArray(message.content)) return undefined;
  let text = '';
  for (const block of message.content) {
    const b = record(block);
    if (b?.type === 'text' && typeof b.text === 'string') text += b.text;
  }
  const result: ChatResult = {
    text,
    finishReason: typeof message.stop_reason === 'string' ? finishReasonOf(message.stop_reason) : 'stop',
  };
  const usage = readUsage(message.usage);
  if (usage !== undefined) result.usage = usage;
  return result;
}

/**
 * Server-sent events of a Messages stream → answer text, stop reason and usage. Only text deltas
 * are answer text: thinking, signatures and tool input are not shown. The stream is complete at
 * `message_stop`, or once `message_delta` gave the stop reason (the last event that carries
 * anything); a stream cut before either is `stream_cut`.
 */
class AnthropicStreamAssembler implements StreamAssembler {
  text = '';
  finishReason: string | undefined;
  done = false;
  idle = false;
  private promptTokens: number | undefined;
  private completionTokens: number | undefined;

  constructor(private readonly secrets: readonly string[] = []) {}

  accept(data: string, eventName?: string): string {
    this.idle = false;
    const trimmed = data.trim();
    if (trimmed === '') {
      this.idle = eventName === 'ping';
      return '';
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw errors.badResponse(snippet(trimmed, this.secrets));
    }
    const event = record(parsed);
    if (!event) throw errors.badResponse(snippet(trimmed, this.secrets));
    // The data's own `type` is authoritative; the SSE event name is the same word, when present.
    const type = typeof event.type === 'string' ? event.type : eventName;

    switch (type) {
      case 'ping':
        this.idle = true;
        return '';
      case 'message_start': {
        const usage = record(record(event.message)?.usage);
        if (usage) this.takeUsage(usage);
        return '';
      }
      case 'content_block_start': {
        // A text block may start with text already in it.
        const block = record(event.content_block);
        return block?.type === 'text' && typeof block.text === 'string' ? this.add(block.text) : '';
      }
      case 'content_block_delta': {
        const delta = record(event.delta);
        return delta?.type === 'text_delta' && typeof delta.text === 'string' ? this.add(delta.text) : '';
      }
      case 'message_delta': {
        const delta = record(event.delta);
        if (typeof delta?.stop_reason === 'string') this.finishReason = finishReasonOf(delta.stop_reason);
        const usage = record(event.usage);
        if (usage) this.takeUsage(usage);
        return '';
      }
      case 'message_stop':
        this.done = true;
        return '';
      case 'error': {
        const inner = record(event.error);
        const failure = anthropicError(
          typeof inner?.type === 'string' ? inner.type : 'api_error',
          typeof inner?.message === 'string' ? inner.message : undefined,
          { secrets: this.secrets },
        );
        throw afterText(failure, this.text);
      }
      default:
        // content_block_stop, and event types added after this was written.
        return '';
    }
  }

  private add(piece: string): string {
    this.text += piece;
    return piece;
  }

  private takeUsage(usage: Record<string, unknown>): void {
    const prompt = promptTokensOf(usage);
    if (prompt !== undefined) this.promptTokens = prompt;
    // `output_tokens` in message_delta is the running total, not an increment.
    const completion = count(usage.output_tokens);
    if (completion !== undefined) this.completionTokens = completion;
  }

  get complete(): boolean {
    return this.done || this.finishReason !== undefined;
  }

  result(): ChatResult {
    const result: ChatResult = { text: this.text, finishReason: this.finishReason ?? 'stop' };
    if (this.promptTokens !== undefined || this.completionTokens !== undefined) {
      result.usage = { promptTokens: this.promptTokens ?? 0, completionTokens: this.completionTokens ?? 0 };
    }
    return result;
  }
}

export const anthropicDialect: Dialect = {
  chatEndpoint: (provider) => endpoint(provider, 'messages'),
  // Anthropic pages its list 20 at a time unless asked for more.
  modelsEndpoint(provider) {
    const url = new URL(endpoint(provider, 'models'));
    url.searchParams.set('limit', '1000');
    return url.toString();
  },
  requestHeaders: (provider, shape) => composeHeaders(provider, shape, PROTOCOL_HEADERS, (key) => ['x-api-key', key]),
  chatBody: anthropicBody,
  streamAssembler: (secrets) => new AnthropicStreamAssembler(secrets),
  readAnswer: readAnthropicMessage,
  answerName: 'a message',
  modelsReader: () => (ctx) => readModelIds(ctx, anthropicDialect),
  // Every dialect reads both error shapes (./anthropic-errors.ts): a gateway may answer in OpenAI's.
  errorFromBody: openaiDialect.errorFromBody,
  errorFromPayload: openaiDialect.errorFromPayload,
};
