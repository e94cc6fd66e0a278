// A dialect is one wire protocol: everything the client does differently for OpenAI-compatible
// servers, Azure OpenAI and Anthropic's Messages API. Everything else (the exchange, timeouts,
// retries, admission) is the same for all of them and never asks which dialect it is talking to.

import type { BodyReader } from '../attempt';
import type { LlmError } from '../errors';
import type { ChatRequest, ChatResult, ProviderConfig } from '../types';

export interface RequestShape {
  stream: boolean;
  hasBody: boolean;
}

export interface ChatBodyOptions {
  stream: boolean;
  includeUsage: boolean;
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

export interface Dialect {
  /** Where chat requests go. */
  chatEndpoint(provider: ProviderConfig): string;
  /** Where the model list comes from. */
  modelsEndpoint(provider: ProviderConfig): string;
  /** Accept, protocol and custom headers, and the key in this protocol's header. */
  requestHeaders(provider: ProviderConfig, shape: RequestShape): Record<string, string>;
  chatBody(provider: ProviderConfig, req: ChatRequest, opts: ChatBodyOptions): Record<string, unknown>;
  streamAssembler(secrets: readonly string[]): StreamAssembler;
  /** A whole (non-streamed) answer → result; undefined if the JSON is not one. */
  readAnswer(json: unknown): ChatResult | undefined;
  /** What a whole answer is called, for "the JSON is not …". */
  answerName: string;
  /** Reads a 2xx answer to `GET modelsEndpoint` as model ids. */
  modelsReader(provider: ProviderConfig): BodyReader<string[]>;
  /** A non-2xx answer's body (`json` when it parsed) → the error it means. */
  errorFromBody(status: number, json: unknown, bodyText: string, retryAfterMs: number | undefined, secrets: readonly string[]): LlmError;
  /** An error object inside a 200: a stream's error event, or an error in a JSON answer. */
  errorFromPayload(payload: unknown, secrets?: readonly string[]): LlmError;
}
