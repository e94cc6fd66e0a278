// Server-sent events of an OpenAI-compatible chat stream → answer text, finish reason and usage.
// Parsing is by hand rather than with a schema: this runs once per token.

import { errorFromStreamPayload, errors, snippet } from './errors';
import type { ChatResult, Usage } from './types';

export function readUsage(value: unknown): Usage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const u = value as Record<string, unknown>;
  if (typeof u.prompt_tokens !== 'number' && typeof u.completion_tokens !== 'number') return undefined;
  return {
    promptTokens: typeof u.prompt_tokens === 'number' ? u.prompt_tokens : 0,
    completionTokens: typeof u.completion_tokens === 'number' ? u.completion_tokens : 0,
  };
}

/** Turns one protocol's stream events into answer text; one per streamed answer. */
export interface StreamAssembler {
  /** Answer text so far. */
  readonly text: string;
  readonly finishReason: string | undefined;
  /** The stream's own end marker arrived (`[DONE]`, `message_stop`): stop reading. */
  readonly done: boolean;
  /** The last event was a keep-alive (Anthropic's `ping`): the connection lives, the answer did not progress. */
  readonly idle?: boolean;
  /** The answer is whole: the end marker or a finish reason was seen. */
  readonly complete: boolean;
  /** Takes one event; returns the new answer text it carries ('' if none). Throws an LlmError for an error event. */
  accept(data: string, eventName?: string): string;
  result(): ChatResult;
}

export class ChatStreamAssembler implements StreamAssembler {
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
      const failure = errorFromStreamPayload(record.error === undefined ? record : chunk, this.secrets);
      failure.partialText = this.text;
      // Text already shown cannot be taken back, so a retry would duplicate it.
      if (this.text !== '') failure.retryable = false;
      throw failure;
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
export function readCompletion(body: unknown): ChatResult | undefined {
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
