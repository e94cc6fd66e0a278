// The mock server's public types, and the contract between its core (server.ts) and the dialect
// responders (openai.ts, anthropic.ts).

import type { IncomingMessage } from 'node:http';
import type { LimitDialect } from './limit-headers';
import type { ParseResult } from './wire';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Query parameters (`api-version`…); the last value of a repeated name. */
  query: Record<string, string>;
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, the raw text when it is not, undefined when empty. */
  body: any;
  /** Epoch ms at which the request arrived. */
  at: number;
}

export interface ReplyContext {
  messages: { role: string; content: string }[];
  model: string;
  body: any;
}

export type ErrorEventFault = {
  kind: 'error-event';
  afterChunks: number;
  message?: string;
  /** The error's `type`: default `server_error` (OpenAI), `overloaded_error` (Anthropic). */
  errorType?: string;
};

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string | object }
  | { kind: 'stall'; afterChunks: number }
  | { kind: 'cut'; afterChunks: number }
  | { kind: 'end-early'; afterChunks: number }
  | ErrorEventFault
  | { kind: 'not-openai' }
  | { kind: 'slow'; firstByteDelayMs?: number; latencyMs?: number };

export interface MockBehaviour {
  reply: string | ((req: ReplyContext) => string);
  /**
   * When set, requests must present it as `Authorization: Bearer …` or `api-key: …` (OpenAI and
   * Azure routes) or `x-api-key: …` (Anthropic route).
   */
  apiKey?: string;
  models: string[];
  /** Reject models not in `models` with 404, as OpenAI does; off by default so tests need not care. */
  strictModels: boolean;
  /** Before the response headers. */
  latencyMs: number;
  /** After the headers, before the first SSE event. */
  firstByteDelayMs: number;
  /** Between SSE events. */
  tokenDelayMs: number;
  /** A streamed answer waits for it before its last piece: a test sees the answer mid-stream however slow the machine. */
  beforeLastPiece?: Promise<void>;
  /** Characters (code points) of answer per SSE event; unset means a word at a time. */
  chunkSize?: number;
  /** Write the SSE byte stream in pieces of this many bytes, ignoring event and UTF-8 boundaries. */
  splitBytes?: number;
  lineEnding: '\n' | '\r\n' | '\r';
  /** Honour `stream_options.include_usage` with a final usage chunk. */
  includeUsage: boolean;
  keepAliveComments: boolean;
  /** `data:{…}` instead of `data: {…}`; both are valid SSE and some servers send the former. */
  dataNoSpace: boolean;
  /** Token bucket over completion requests. */
  rateLimit?: { ratePerSec: number; burst: number };
  /**
   * Token bucket over the tokens of completion requests (tokens per minute), each request's tokens
   * estimated from its body (prompt text at four characters a token).
   */
  tokenLimit?: { perMinute: number; burst: number };
  /** How rate limits are described in headers; default the responder's own (`openai` or `anthropic`). */
  limitHeaders?: LimitDialect;
  /** Applied to every completion request once the one-shot queue is empty. */
  always?: Fault;
  /**
   * Path prefixes the API lives under (`/v1` → `/v1/chat/completions`, `/v1/messages`, `/v1/models`).
   * Azure deployment paths are answered under any root.
   */
  apiRoots: string[];
  /**
   * Answer 403 with an empty body to any request whose `Origin` is a browser extension
   * (`chrome-extension://…`, `moz-extension://…`), as Ollama does when OLLAMA_ORIGINS does not list it.
   */
  rejectExtensionOrigins: boolean;
}

export interface MockLlm {
  url: string;
  baseUrl: string;
  requests: RecordedRequest[];
  /** OpenAI-style chat completion requests (Azure's included). */
  completions(): RecordedRequest[];
  /** Anthropic Messages requests. */
  messages(): RecordedRequest[];
  set(b: Partial<MockBehaviour>): void;
  reset(): void;
  fail(...faults: Fault[]): void;
  close(): Promise<void>;
  /** All counts are about generation requests only (completions and messages), since reset(). */
  stats(): { completions: number; status: Record<number, number>; maxConcurrent: number; inFlight: number };
}

/** A refusal before any answer: status, JSON body and extra headers. */
export interface Rejection {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The SSE writer a responder formats its events with. */
export interface SseEvents {
  /** A bare `data:` event. */
  data(payload: string): Promise<void>;
  /** An `event:` named after its type, its data carrying the same `type`. */
  named(type: string, payload: object): Promise<void>;
  comment(text: string): Promise<void>;
}

/** One answer as events; the core decides when each is sent, and where a fault cuts in. */
export interface StreamScript {
  /** Before the first piece of text. */
  start(out: SseEvents): Promise<void>;
  piece(out: SseEvents, text: string, index: number): Promise<void>;
  keepAlive(out: SseEvents): Promise<void>;
  error(out: SseEvents, fault: ErrorEventFault): Promise<void>;
  finish(out: SseEvents): Promise<void>;
}

export interface AnswerInput {
  body: Record<string, unknown>;
  model: string;
  messages: ReplyContext['messages'];
  /** The reply the behaviour asked for. */
  text: string;
  /** A number unique to this answer in this server. */
  seq: number;
  /** The behaviour's `includeUsage`. */
  includeUsage: boolean;
}

export interface Answer {
  /** The text as the dialect delivers it (Anthropic stops at max_tokens). */
  text: string;
  /** The body of a non-streamed answer. */
  whole: object;
  stream: StreamScript;
}

/** What a wire protocol's server says, and how. */
export interface Responder {
  /** The 401 body for a request without the expected key; undefined when the key is right (or none is set). */
  authError(req: IncomingMessage, apiKey: string | undefined): object | undefined;
  /** What the server checks before answering: headers, that the body is a JSON object, required fields. */
  checkRequest(req: IncomingMessage, parsed: ParseResult, raw: string): Rejection | undefined;
  /** The turns the reply is made from. */
  conversation(body: Record<string, unknown>): ReplyContext['messages'];
  /** The 429 body when `window` ran out (its headers come from the behaviour's header dialect). */
  rateLimited(window: 'requests' | 'tokens', limit: number, msUntilRetry: number): Rejection;
  /** The header dialect this server speaks unless the behaviour says otherwise. */
  limitHeaders: LimitDialect;
  /** `strictModels` and a model it does not know; `deployment` is the Azure deployment in the path. */
  unknownModel(model: string, deployment: string | undefined): Rejection;
  /** The body of a `status` fault that brings none. */
  errorBody(status: number): object;
  /** The body of an `error-event` fault, in a JSON answer or a stream's error event. */
  errorPayload(fault: ErrorEventFault): object;
  answer(input: AnswerInput): Answer;
  /** A 404 for a URL the server does not route. */
  notFound(message: string): object;
  models(ids: string[]): object;
}
