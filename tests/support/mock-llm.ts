// An OpenAI-compatible chat-completions server for unit tests, e2e tests and benchmarks.
// It is a real HTTP server on 127.0.0.1 so the client under test goes through the same
// fetch/socket/stream path as in production, including the failure modes (stalls, cut
// sockets, bytes split mid-character) that an in-process fake could never produce.
//
// Routes, under any of the API roots in `apiRoots` (by default the provider presets' own: /v1,
// /openai/v1, /api/v3…; any other root is a wrong base URL and gets a 404):
//   POST …/chat/completions                       OpenAI Chat Completions (streaming and not)
//   POST …/openai/deployments/{name}/chat/completions?api-version=…   Azure OpenAI; the model is {name}
//   POST …/messages                               Anthropic Messages (streaming and not)
//   GET  …/models                                 model list (Anthropic's shape with anthropic-version)
// Behaviour, faults and the rate limit apply to both dialects; `completions()` lists the OpenAI
// requests, `messages()` the Anthropic ones, and `stats()` counts both.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenBucket, formatResetDuration } from './token-bucket';

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

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string | object }
  | { kind: 'stall'; afterChunks: number }
  | { kind: 'cut'; afterChunks: number }
  | { kind: 'end-early'; afterChunks: number }
  | {
      kind: 'error-event';
      afterChunks: number;
      message?: string;
      /** The error's `type`: default `server_error` (OpenAI), `overloaded_error` (Anthropic). */
      errorType?: string;
    }
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

type Dialect = 'openai' | 'anthropic';

interface Route {
  dialect: Dialect;
  /** Azure: the deployment named in the path, which is the model. */
  deployment?: string;
}

/** The API roots of the provider presets (lib/providers/presets.ts), where the mock answers by default. */
export const DEFAULT_API_ROOTS = ['/v1', '/openai/v1', '/api/v1', '/api/v3', '/compatible-mode/v1', '/anthropic/v1'];

const AZURE_PATH = /^(.*)\/openai\/deployments\/([^/]+)\/chat\/completions$/;

/** The API root of a path ending in `suffix`, or undefined if it does not end so. */
function rootOf(path: string, suffix: string): string | undefined {
  return path.endsWith(suffix) ? path.slice(0, path.length - suffix.length) : undefined;
}

const DEFAULTS: MockBehaviour = {
  reply: defaultReply,
  models: ['mock-model', 'gpt-4o-mini'],
  strictModels: false,
  latencyMs: 0,
  firstByteDelayMs: 0,
  tokenDelayMs: 0,
  lineEnding: '\n',
  includeUsage: true,
  keepAliveComments: false,
  dataNoSpace: false,
  rejectExtensionOrigins: false,
  apiRoots: DEFAULT_API_ROOTS,
};

const CAPTIVE_PORTAL_HTML =
  '<!DOCTYPE html><html><head><title>Sign in to network</title></head>' +
  '<body><h1>Welcome to Guest Wi-Fi</h1><p>Please accept the terms to continue.</p></body></html>';

// Browser-side callers (extension pages in e2e) can only read these if they are exposed.
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers':
    'retry-after, retry-after-ms, x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests, ' +
    'anthropic-ratelimit-requests-limit, anthropic-ratelimit-requests-remaining, anthropic-ratelimit-requests-reset',
};

const EXTENSION_ORIGIN = /^(chrome|moz)-extension:\/\//i;

export async function startMockLlm(
  initial: Partial<MockBehaviour> = {},
  options: { port?: number } = {},
): Promise<MockLlm> {
  const base: MockBehaviour = { ...DEFAULTS, ...initial };
  let behaviour: MockBehaviour = { ...base };
  let bucket = makeBucket(behaviour.rateLimit);
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  let completionCount = 0;
  let statusCounts: Record<number, number> = {};
  let inFlight = 0;
  let maxConcurrent = 0;
  let nextId = 1;

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // A bug in the mock must surface as a failed request, never as a hung test.
      if (!res.headersSent) sendJson(res, 500, oaiError('Mock server error', 'server_error', null));
      else res.destroy();
    });
  });
  // Without this, splitBytes pieces could be coalesced by Nagle before they reach the client.
  server.on('connection', (socket) => socket.setNoDelay(true));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const roots = behaviour.apiRoots;
    const under = (suffix: string) => {
      const root = rootOf(path, suffix);
      return root !== undefined && roots.includes(root);
    };
    const azure = AZURE_PATH.exec(path);
    const isCompletion = method === 'POST' && (under('/chat/completions') || azure !== null);
    const isMessages = method === 'POST' && under('/messages');
    // Recorded on arrival so `requests` is in arrival order even when bodies finish out of order.
    const record: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(req),
      body: undefined,
      at: Date.now(),
    };
    requests.push(record);

    const abort = new AbortController();
    res.once('close', () => abort.abort());
    if (isCompletion || isMessages) {
      completionCount++;
      inFlight++;
      maxConcurrent = Math.max(maxConcurrent, inFlight);
      res.once('close', () => inFlight--);
    }

    const raw = await readBody(req);
    const parsed = parseJson(raw);
    record.body = raw === '' ? undefined : parsed.ok ? parsed.value : raw;

    const head = (status: number, headers: Record<string, string | number> = {}) => {
      statusCounts[status] = (statusCounts[status] ?? 0) + 1;
      res.writeHead(status, headers);
    };
    const b: MockBehaviour = { ...behaviour };
    if (b.rejectExtensionOrigins && EXTENSION_ORIGIN.test(headerValue(req.headers.origin) ?? '')) {
      // Ollama's CORS middleware: no CORS headers, no body, before any route runs.
      const reject = isCompletion || isMessages ? head : (status: number, headers: Record<string, string | number>) => res.writeHead(status, headers);
      reject(403, { 'content-length': 0 });
      res.end();
      return;
    }

    for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
    if (method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': '*',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }

    const anthropicClient = req.headers['anthropic-version'] !== undefined;
    const azureModels = rootOf(path, '/openai/models') !== undefined;
    if (method === 'GET' && (under('/models') || azureModels)) {
      if (anthropicClient) {
        const denied = anthropicAuthError(req, b);
        if (denied) return sendJson(res, 401, denied);
        const data = b.models.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }));
        return sendJson(res, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
      }
      const denied = authError(req, b);
      if (denied) return sendJson(res, 401, denied);
      // Azure's resource-level list needs an api-version like every Azure data-plane call.
      if (azureModels && !url.searchParams.has('api-version')) return sendJson(res, 404, azureNotFound());
      return sendJson(res, 200, {
        object: 'list',
        data: b.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'mock' })),
      });
    }
    if (isMessages) {
      await completion(res, b, raw, parsed, head, abort.signal, { dialect: 'anthropic' });
      return;
    }
    if (!isCompletion) {
      const message = `Unknown request URL: ${method} ${path}.`;
      return sendJson(res, 404, anthropicClient ? anthropicErrorBody('not_found_error', message) : oaiError(message, 'invalid_request_error', 'unknown_url'));
    }
    if (azure) {
      // Without api-version Azure does not route the request at all.
      if (!url.searchParams.has('api-version')) return sendJson(res, 404, azureNotFound(), head);
      await completion(res, b, raw, parsed, head, abort.signal, { dialect: 'openai', deployment: decodeURIComponent(azure[2] ?? '') });
      return;
    }
    await completion(res, b, raw, parsed, head, abort.signal, { dialect: 'openai' });
  }

  async function completion(
    res: ServerResponse,
    b: MockBehaviour,
    raw: string,
    parsed: ParseResult,
    head: (status: number, headers?: Record<string, string | number>) => void,
    signal: AbortSignal,
    route: Route,
  ): Promise<void> {
    const anthropic = route.dialect === 'anthropic';
    const wait = (ms: number) => sleep(ms, signal);
    const reject = async (status: number, body: unknown, headers: Record<string, string> = {}) => {
      await wait(b.latencyMs);
      if (signal.aborted) return;
      const text = JSON.stringify(body);
      head(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };
    const invalid = (message: string) => reject(400, anthropicErrorBody('invalid_request_error', message));

    // Rejections come first and do not consume a queued fault: a fault describes what happens
    // to a request the server would otherwise have answered.
    const denied = anthropic ? anthropicAuthError(res.req, b) : authError(res.req, b);
    if (denied) return reject(401, denied);
    if (anthropic && res.req.headers['anthropic-version'] === undefined) return invalid('anthropic-version: header is required');
    if (!parsed.ok || !isObject(parsed.value)) {
      if (anthropic) return invalid('There was an issue with the format or content of your request: the body is not valid JSON.');
      return reject(400, oaiError(
        `We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.) Received: ${raw.slice(0, 40)}`,
        'invalid_request_error', null));
    }
    const body = parsed.value;
    if (anthropic) {
      // What the Messages API checks first, so a badly shaped request fails here as it would there.
      if (typeof body.model !== 'string' || body.model === '') return invalid('model: Field required');
      if (typeof body.max_tokens !== 'number') return invalid('max_tokens: Field required');
      if (!Array.isArray(body.messages)) return invalid('messages: Field required');
      const badRole = body.messages.findIndex((m: unknown) => !isObject(m) || (m.role !== 'user' && m.role !== 'assistant'));
      if (badRole >= 0) return invalid(`messages.${badRole}.role: Input should be 'user' or 'assistant'`);
      if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system)) return invalid('system: Input should be a valid string');
    } else if (!Array.isArray(body.messages)) {
      return reject(400, oaiError("Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter', 'messages'));
    }

    let rateHeaders: Record<string, string> = {};
    if (bucket && b.rateLimit) {
      const t = bucket.take();
      const limit = String(b.rateLimit.burst);
      if (!t.ok) {
        const reset = formatResetDuration(t.msUntilToken);
        if (anthropic) {
          return reject(429, anthropicErrorBody('rate_limit_error', `This request would exceed your organization's rate limit of ${limit} requests per minute. Please try again later.`), {
            'retry-after': String(Math.max(1, Math.ceil(t.msUntilToken / 1000))),
            'anthropic-ratelimit-requests-limit': limit,
            'anthropic-ratelimit-requests-remaining': '0',
            'anthropic-ratelimit-requests-reset': new Date(Date.now() + t.msUntilToken).toISOString(),
          });
        }
        return reject(429, {
          error: {
            message: `Rate limit reached for mock-model in organization org-mock on requests per min (RPM): Limit ${limit}, Used ${limit}, Requested 1. Please try again in ${reset}.`,
            type: 'requests',
            param: null,
            code: 'rate_limit_exceeded',
          },
        }, {
          'retry-after': String(Math.max(1, Math.ceil(t.msUntilToken / 1000))),
          'retry-after-ms': String(t.msUntilToken),
          'x-ratelimit-limit-requests': limit,
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': reset,
        });
      }
      rateHeaders = anthropic
        ? {
            'anthropic-ratelimit-requests-limit': limit,
            'anthropic-ratelimit-requests-remaining': String(t.remaining),
            // Anthropic gives the moment the bucket is full again, as an RFC 3339 timestamp.
            'anthropic-ratelimit-requests-reset': new Date(Date.now() + t.msUntilFull).toISOString(),
          }
        : {
            'x-ratelimit-limit-requests': limit,
            'x-ratelimit-remaining-requests': String(t.remaining),
            // On success OpenAI means "until the budget is full again"; on a 429, "until the next slot".
            'x-ratelimit-reset-requests': formatResetDuration(t.msUntilFull),
          };
    }

    // An Azure deployment is the model, whatever the body says.
    const model = route.deployment ?? (typeof body.model === 'string' ? body.model : '');
    if (b.strictModels && !b.models.includes(model)) {
      if (anthropic) return reject(404, anthropicErrorBody('not_found_error', `model: ${model}`));
      if (route.deployment !== undefined) {
        return reject(404, { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' } });
      }
      return model
        ? reject(404, oaiError(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found'))
        : reject(400, oaiError('you must provide a model parameter', 'invalid_request_error', null));
    }

    const fault = faults.shift() ?? b.always;
    const latencyMs = fault?.kind === 'slow' ? (fault.latencyMs ?? b.latencyMs) : b.latencyMs;
    const firstByteDelayMs = fault?.kind === 'slow' ? (fault.firstByteDelayMs ?? b.firstByteDelayMs) : b.firstByteDelayMs;

    await wait(latencyMs);
    if (signal.aborted) return;

    if (fault?.kind === 'status') {
      const headers = { ...rateHeaders, ...lowerKeys(fault.headers ?? {}) };
      const payload = fault.body ?? (anthropic ? anthropicDefaultErrorBody(fault.status) : defaultErrorBody(fault.status));
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      headers['content-type'] ??= typeof payload !== 'string'
        ? 'application/json'
        : payload.trimStart().startsWith('<') ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8';
      head(fault.status, { ...headers, 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if (fault?.kind === 'not-openai') {
      head(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(CAPTIVE_PORTAL_HTML) });
      res.end(CAPTIVE_PORTAL_HTML);
      return;
    }

    const messages = normaliseMessages(body.messages);
    if (anthropic && body.system !== undefined) {
      const system = normaliseMessages([{ role: 'system', content: body.system }]);
      messages.unshift(...system);
    }
    const replyModel = model || b.models[0] || 'mock-model';
    let text = typeof b.reply === 'function' ? b.reply({ messages, model: replyModel, body }) : b.reply;
    const promptTokens = approxTokens(messages.map((m) => m.content).join(''));
    // Anthropic stops at max_tokens (always given) and says so; the OpenAI side keeps its whole answer.
    let stopReason = 'end_turn';
    if (anthropic && typeof body.max_tokens === 'number' && approxTokens(text) > body.max_tokens) {
      text = Array.from(text).slice(0, Math.max(0, body.max_tokens) * 4).join('');
      stopReason = 'max_tokens';
    }
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: approxTokens(text),
      total_tokens: 0,
    };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const id = anthropic ? `msg_mock${nextId++}` : `chatcmpl-mock${nextId++}`;
    const created = Math.floor(Date.now() / 1000);
    const pieces = splitReply(text, b.chunkSize);
    const errorMessage = (f: { message?: string }) =>
      f.message ?? (anthropic ? 'Overloaded' : 'The server had an error while processing your request.');
    const errorPayload = (f: { message?: string; errorType?: string }) =>
      anthropic
        ? anthropicErrorBody(f.errorType ?? 'overloaded_error', errorMessage(f))
        : { error: { message: errorMessage(f), type: f.errorType ?? 'server_error' } };

    if (body.stream !== true) {
      // A non-streaming server only answers once it has generated everything.
      await wait(firstByteDelayMs + b.tokenDelayMs * pieces.length);
      if (signal.aborted) return;
      const json = JSON.stringify(
        anthropic
          ? {
              id,
              type: 'message',
              role: 'assistant',
              model: replyModel,
              content: [{ type: 'text', text }],
              stop_reason: stopReason,
              stop_sequence: null,
              usage: { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens },
            }
          : {
              id,
              object: 'chat.completion',
              created,
              model: replyModel,
              choices: [{ index: 0, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: 'stop' }],
              usage,
            },
      );
      const half = Buffer.from(json).subarray(0, Math.ceil(Buffer.byteLength(json) / 2));
      switch (fault?.kind) {
        case 'stall':
          return untilAborted(signal);
        case 'cut':
          head(200, { ...rateHeaders, 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
          await writeAll(res, half, signal);
          res.destroy();
          return;
        case 'end-early':
          head(200, { ...rateHeaders, 'content-type': 'application/json' });
          res.end(half);
          return;
        case 'error-event':
          return sendJson(res, 200, errorPayload(fault), head, rateHeaders);
        default:
          head(200, { ...rateHeaders, 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
          res.end(json);
          return;
      }
    }

    const includeUsage = b.includeUsage && isObject(body.stream_options) && body.stream_options.include_usage === true;
    const eol = b.lineEnding;
    const out = new ByteWriter(res, signal, b.splitBytes);
    const data = (payload: string) => `data:${b.dataNoSpace ? '' : ' '}${payload}${eol}${eol}`;
    // OpenAI sends bare `data:` lines; Anthropic names every event after its `type`.
    const event = (payload: string) => out.send(data(payload));
    const named = (type: string, payload: object) => out.send(`event: ${type}${eol}${data(JSON.stringify({ type, ...payload }))}`);
    const chunk = (delta: object, finish: string | null) =>
      JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model: replyModel,
        choices: [{ index: 0, delta, finish_reason: finish }],
        // OpenAI sends `usage: null` on every chunk once usage was asked for; clients must cope.
        ...(includeUsage ? { usage: null } : {}),
      });
    const piece = (i: number) =>
      anthropic
        ? named('content_block_delta', { index: 0, delta: { type: 'text_delta', text: pieces[i] } })
        : event(chunk(i === 0 ? { role: 'assistant', content: pieces[i] } : { content: pieces[i] }, null));
    const pause = async (ms: number) => {
      // Whatever was sent before a pause must have reached the client, or the pause would
      // look like a partial line to the client instead of a quiet stream.
      if (ms > 0) await out.flush();
      await wait(ms);
    };
    const keepAlive = async () => {
      if (!b.keepAliveComments) return;
      // Anthropic's keep-alive is a `ping` event rather than a comment.
      if (anthropic) await named('ping', {});
      else await out.send(`: keep-alive${eol}${eol}`);
    };

    head(200, { ...rateHeaders, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.flushHeaders();
    if (anthropic) {
      await named('message_start', {
        message: {
          id,
          type: 'message',
          role: 'assistant',
          content: [],
          model: replyModel,
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: usage.prompt_tokens, output_tokens: 1 },
        },
      });
      await named('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    }
    await keepAlive();
    await pause(firstByteDelayMs);

    // Faults cut in before the finish chunk even if afterChunks exceeds the answer, so a
    // faulted stream never looks complete.
    const streamFault = fault && 'afterChunks' in fault ? fault : undefined;
    const count = streamFault ? Math.min(Math.max(0, streamFault.afterChunks), pieces.length) : pieces.length;
    for (let i = 0; i < count && !signal.aborted; i++) {
      if (i > 0) {
        await keepAlive();
        await pause(b.tokenDelayMs);
        if (signal.aborted) return;
      }
      await piece(i);
    }
    if (signal.aborted) return;

    switch (streamFault?.kind) {
      case 'stall':
        await out.flush();
        return untilAborted(signal);
      case 'cut':
        await out.flush();
        res.destroy();
        return;
      case 'end-early':
        await out.flush();
        res.end();
        return;
      case 'error-event':
        if (anthropic) await named('error', { error: errorPayload(streamFault).error });
        else await event(JSON.stringify(errorPayload(streamFault)));
        await out.flush();
        res.end();
        return;
    }

    if (count > 0) {
      await keepAlive();
      await pause(b.tokenDelayMs);
      if (signal.aborted) return;
    }
    if (anthropic) {
      await named('content_block_stop', { index: 0 });
      await named('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.completion_tokens } });
      await named('message_stop', {});
    } else {
      await event(chunk({}, 'stop'));
      if (includeUsage) {
        await event(JSON.stringify({ id, object: 'chat.completion.chunk', created, model: replyModel, choices: [], usage }));
      }
      await event('[DONE]');
    }
    await out.flush();
    res.end();
  }

  const { port } = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve(server.address() as AddressInfo));
  });
  const url = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;

  return {
    url,
    baseUrl: `${url}/v1`,
    requests,
    completions: () =>
      requests.filter((r) => r.method === 'POST' && (AZURE_PATH.test(r.path) || behaviour.apiRoots.includes(rootOf(r.path, '/chat/completions') ?? '\0'))),
    messages: () => requests.filter((r) => r.method === 'POST' && behaviour.apiRoots.includes(rootOf(r.path, '/messages') ?? '\0')),
    set(patch) {
      behaviour = { ...behaviour, ...patch };
      if ('rateLimit' in patch) bucket = makeBucket(behaviour.rateLimit);
    },
    reset() {
      behaviour = { ...base };
      bucket = makeBucket(behaviour.rateLimit);
      faults.length = 0;
      requests.length = 0;
      completionCount = 0;
      statusCounts = {};
      // Requests still in flight will decrement inFlight when they finish, so it is not zeroed.
      maxConcurrent = inFlight;
    },
    fail(...more) {
      faults.push(...more);
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // server.close() alone waits for keep-alive and stalled sockets, which would hang tests.
        server.closeAllConnections();
      });
      return closing;
    },
    stats: () => ({ completions: completionCount, status: { ...statusCounts }, maxConcurrent, inFlight }),
  };
}

/** Writes text as bytes, optionally in fixed-size pieces that ignore every boundary. */
class ByteWriter {
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly res: ServerResponse,
    private readonly signal: AbortSignal,
    private readonly splitBytes: number | undefined,
  ) {}

  async send(text: string): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    if (!this.splitBytes || this.splitBytes <= 0) return writeAll(this.res, bytes, this.signal);
    // The tail that does not fill a piece is held back so that pieces can straddle events.
    this.pending = Buffer.concat([this.pending, bytes]);
    while (this.pending.length >= this.splitBytes && !this.signal.aborted) {
      await this.piece(this.splitBytes);
    }
  }

  async flush(): Promise<void> {
    if (this.pending.length > 0 && !this.signal.aborted) await this.piece(this.pending.length);
  }

  private async piece(n: number): Promise<void> {
    const head = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    await writeAll(this.res, head, this.signal);
    // Yielding to the event loop lets each piece leave as its own TCP segment instead of
    // being read together with the next one.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function writeAll(res: ServerResponse, bytes: Uint8Array, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted || res.destroyed) return resolve();
    // Node skips the write callback when the socket is already gone, so abort also resolves.
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    res.write(bytes, done);
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

function makeBucket(limit: MockBehaviour['rateLimit']): TokenBucket | undefined {
  return limit ? new TokenBucket(limit.ratePerSec, limit.burst) : undefined;
}

function authError(req: IncomingMessage, b: MockBehaviour): object | undefined {
  if (b.apiKey === undefined) return undefined;
  const bearer = /^Bearer\s+(.*)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  const apiKeyHeader = headerValue(req.headers['api-key']);
  if (bearer === b.apiKey || apiKeyHeader === b.apiKey) return undefined;
  const presented = bearer ?? apiKeyHeader;
  return oaiError(
    presented
      ? `Incorrect API key provided: ${maskKey(presented)}. You can find your API key at https://platform.openai.com/account/api-keys.`
      : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    'invalid_request_error',
    'invalid_api_key',
  );
}

function anthropicAuthError(req: IncomingMessage, b: MockBehaviour): object | undefined {
  if (b.apiKey === undefined) return undefined;
  const presented = headerValue(req.headers['x-api-key'])?.trim();
  if (presented === b.apiKey) return undefined;
  return anthropicErrorBody('authentication_error', presented ? 'invalid x-api-key' : 'x-api-key header is required');
}

let anthropicRequestId = 1;

/** Anthropic's error shape: `{type: 'error', error: {type, message}, request_id}`. */
function anthropicErrorBody(type: string, message: string) {
  return { type: 'error', error: { type, message }, request_id: `req_mock${anthropicRequestId++}` };
}

function anthropicDefaultErrorBody(status: number): object {
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
  return anthropicErrorBody(type, message);
}

function azureNotFound(): object {
  return { error: { code: '404', message: 'Resource not found' } };
}

// Like OpenAI, never echo a whole key back: error messages end up in logs and screenshots.
function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 40))}${key.slice(-4)}`;
}

function oaiError(message: string, type: string, code: string | null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

function defaultErrorBody(status: number): object {
  if (status === 429) return oaiError('Rate limit reached for requests. Please try again later.', 'requests', 'rate_limit_exceeded');
  if (status === 401) return oaiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
  if (status === 404) return oaiError('Not found.', 'invalid_request_error', null);
  if (status >= 500) {
    return oaiError('The server had an error while processing your request. Sorry about that!', 'server_error', null);
  }
  return oaiError(`Mock error ${status}.`, 'invalid_request_error', null);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  head: (status: number, headers: Record<string, string | number>) => void = (s, h) => res.writeHead(s, h),
  extraHeaders: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  head(status, { ...extraHeaders, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function defaultReply({ messages }: ReplyContext): string {
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const text = (lastUser?.content ?? '').replace(/\s+/g, ' ').trim();
  return `Summary: ${Array.from(text).slice(0, 60).join('') || '(empty)'}`;
}

// Pieces look like real tokens: a word with its leading space. Code points, never halves of a
// surrogate pair, so every event is valid JSON text.
function splitReply(text: string, chunkSize: number | undefined): string[] {
  let pieces: string[];
  if (chunkSize && chunkSize > 0) {
    const cps = Array.from(text);
    pieces = [];
    for (let i = 0; i < cps.length; i += chunkSize) pieces.push(cps.slice(i, i + chunkSize).join(''));
  } else {
    pieces = text.match(/\s*\S+|\s+$/g) ?? [];
  }
  return pieces.length > 0 ? pieces : [''];
}

function normaliseMessages(raw: unknown[]): ReplyContext['messages'] {
  return raw.map((m) => {
    const msg = isObject(m) ? m : {};
    const content = msg.content;
    const text = typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? content.map((p: unknown) => (isObject(p) && typeof p.text === 'string' ? p.text : '')).join('')
        : '';
    return { role: typeof msg.role === 'string' ? msg.role : '', content: text };
  });
}

function approxTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

type ParseResult = { ok: true; value: unknown } | { ok: false };

function parseJson(raw: string): ParseResult {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    const value = headerValue(v);
    if (value !== undefined) out[k.toLowerCase()] = value;
  }
  return out;
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
