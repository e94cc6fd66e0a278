// The mock server's core: routing, recording, CORS, the rate limit, fault modes, timing and the
// byte stream. What differs between OpenAI-compatible and Anthropic servers is in the responders
// (openai.ts, anthropic.ts); this file never asks which one it is running.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenBucket } from '../token-bucket';
import { anthropicResponder } from './anthropic';
import { azureNotFound, oaiError, openaiResponder } from './openai';
import { admittedHeaders, limitedHeaders, type LimitState, type Refusal } from './limit-headers';
import type { Fault, MockBehaviour, MockLlm, RecordedRequest, Rejection, ReplyContext, Responder, SseEvents } from './types';
import {
  approxTokens,
  ByteWriter,
  flattenHeaders,
  headerValue,
  lowerKeys,
  normaliseMessages,
  parseJson,
  readBody,
  sendJson,
  sleep,
  untilAborted,
  writeAll,
  type ParseResult,
  type WriteHead,
} from './wire';

interface Route {
  responder: Responder;
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
    'x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens, ' +
    'anthropic-ratelimit-requests-limit, anthropic-ratelimit-requests-remaining, anthropic-ratelimit-requests-reset, ' +
    'anthropic-ratelimit-tokens-limit, anthropic-ratelimit-tokens-remaining, anthropic-ratelimit-tokens-reset',
};

const EXTENSION_ORIGIN = /^(chrome|moz)-extension:\/\//i;

export async function startMockLlm(
  initial: Partial<MockBehaviour> = {},
  options: { port?: number } = {},
): Promise<MockLlm> {
  const base: MockBehaviour = { ...DEFAULTS, ...initial };
  let behaviour: MockBehaviour = { ...base };
  let bucket = makeBucket(behaviour.rateLimit);
  let tokenBucket = makeTokenBucket(behaviour.tokenLimit);
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

    const head: WriteHead = (status, headers) => {
      statusCounts[status] = (statusCounts[status] ?? 0) + 1;
      res.writeHead(status, headers);
    };
    const b: MockBehaviour = { ...behaviour };
    if (b.rejectExtensionOrigins && EXTENSION_ORIGIN.test(headerValue(req.headers.origin) ?? '')) {
      // Ollama's CORS middleware: no CORS headers, no body, before any route runs.
      const reject: WriteHead = isCompletion || isMessages ? head : (status, headers) => res.writeHead(status, headers);
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

    // Outside the generation routes, the anthropic-version header tells which server to play.
    const anthropicClient = req.headers['anthropic-version'] !== undefined;
    const listing = anthropicClient ? anthropicResponder : openaiResponder;
    const azureModels = rootOf(path, '/openai/models') !== undefined;
    if (method === 'GET' && (under('/models') || azureModels)) {
      const denied = listing.authError(req, b.apiKey);
      if (denied) return sendJson(res, 401, denied);
      // Azure's resource-level list needs an api-version like every Azure data-plane call.
      if (!anthropicClient && azureModels && !url.searchParams.has('api-version')) return sendJson(res, 404, azureNotFound());
      return sendJson(res, 200, listing.models(b.models));
    }
    if (isMessages) return completion(res, b, raw, parsed, head, abort.signal, { responder: anthropicResponder });
    if (!isCompletion) return sendJson(res, 404, listing.notFound(`Unknown request URL: ${method} ${path}.`));
    if (azure) {
      // Without api-version Azure does not route the request at all.
      if (!url.searchParams.has('api-version')) return sendJson(res, 404, azureNotFound(), head);
      return completion(res, b, raw, parsed, head, abort.signal, { responder: openaiResponder, deployment: decodeURIComponent(azure[2] ?? '') });
    }
    return completion(res, b, raw, parsed, head, abort.signal, { responder: openaiResponder });
  }

  /**
   * One request's turn at the request and token buckets: both or neither, as a server that counts
   * a refused request against no window. The headers describe the buckets in the behaviour's dialect.
   */
  function takeTurn(
    b: MockBehaviour,
    body: Record<string, unknown>,
    responder: Responder,
  ): { headers: Record<string, string>; refused?: Rejection } {
    const dialect = b.limitHeaders ?? responder.limitHeaders;
    const state: LimitState = {};
    const taken: ['requests' | 'tokens', TokenBucket, number][] = [];
    let refusal: Refusal | undefined;
    const wanted: ['requests' | 'tokens', TokenBucket | undefined, number][] = [
      ['requests', bucket, 1],
      ['tokens', tokenBucket, requestTokens(body)],
    ];
    for (const [window, from, n] of wanted) {
      if (from === undefined) continue;
      const t = refusal === undefined ? from.take(n) : { ok: false as const, msUntilToken: 0 };
      if (t.ok) {
        taken.push([window, from, n]);
        state[window] = { limit: from.burst, remaining: t.remaining, msUntilFull: t.msUntilFull };
      } else {
        state[window] = { limit: from.burst, ...from.view() };
        refusal ??= { window, msUntilRetry: t.msUntilToken, state };
      }
    }
    if (refusal === undefined) return { headers: admittedHeaders(dialect, state) };
    for (const [window, from, n] of taken) {
      from.refund(n);
      state[window] = { limit: from.burst, ...from.view() };
    }
    const limit = refusal.state[refusal.window]?.limit ?? 0;
    const rejection = responder.rateLimited(refusal.window, limit, refusal.msUntilRetry);
    return { headers: {}, refused: { ...rejection, headers: limitedHeaders(dialect, refusal) } };
  }

  async function completion(
    res: ServerResponse,
    b: MockBehaviour,
    raw: string,
    parsed: ParseResult,
    head: WriteHead,
    signal: AbortSignal,
    route: Route,
  ): Promise<void> {
    const { responder } = route;
    const wait = (ms: number) => sleep(ms, signal);
    const reject = async (status: number, body: unknown, headers: Record<string, string> = {}) => {
      await wait(b.latencyMs);
      if (signal.aborted) return;
      const text = JSON.stringify(body);
      head(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };

    // Rejections come first and do not consume a queued fault: a fault describes what happens
    // to a request the server would otherwise have answered.
    const denied = responder.authError(res.req, b.apiKey);
    if (denied) return reject(401, denied);
    const refused = responder.checkRequest(res.req, parsed, raw);
    if (refused) return reject(refused.status, refused.body);
    // checkRequest made sure it is a JSON object.
    const body = (parsed as { value: Record<string, unknown> }).value;

    const limited = takeTurn(b, body, responder);
    if (limited.refused) return reject(limited.refused.status, limited.refused.body, limited.refused.headers);
    const rateHeaders = limited.headers;

    // An Azure deployment is the model, whatever the body says.
    const model = route.deployment ?? (typeof body.model === 'string' ? body.model : '');
    if (b.strictModels && !b.models.includes(model)) {
      const unknown = responder.unknownModel(model, route.deployment);
      return reject(unknown.status, unknown.body);
    }

    const fault = faults.shift() ?? b.always;
    const latencyMs = fault?.kind === 'slow' ? (fault.latencyMs ?? b.latencyMs) : b.latencyMs;
    const firstByteDelayMs = fault?.kind === 'slow' ? (fault.firstByteDelayMs ?? b.firstByteDelayMs) : b.firstByteDelayMs;

    await wait(latencyMs);
    if (signal.aborted) return;

    if (fault?.kind === 'status') {
      const headers = { ...rateHeaders, ...lowerKeys(fault.headers ?? {}) };
      const payload = fault.body ?? responder.errorBody(fault.status);
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

    const messages = responder.conversation(body);
    const replyModel = model || b.models[0] || 'mock-model';
    const asked = typeof b.reply === 'function' ? b.reply({ messages, model: replyModel, body }) : b.reply;
    const answer = responder.answer({ body, model: replyModel, messages, text: asked, seq: nextId++, includeUsage: b.includeUsage });
    const pieces = splitReply(answer.text, b.chunkSize);

    if (body.stream !== true) {
      // A non-streaming server only answers once it has generated everything.
      await wait(firstByteDelayMs + b.tokenDelayMs * pieces.length);
      if (signal.aborted) return;
      const json = JSON.stringify(answer.whole);
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
          return sendJson(res, 200, responder.errorPayload(fault), head, rateHeaders);
        default:
          head(200, { ...rateHeaders, 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
          res.end(json);
          return;
      }
    }

    const eol = b.lineEnding;
    const out = new ByteWriter(res, signal, b.splitBytes);
    const data = (payload: string) => `data:${b.dataNoSpace ? '' : ' '}${payload}${eol}${eol}`;
    const events: SseEvents = {
      data: (payload) => out.send(data(payload)),
      named: (type, payload) => out.send(`event: ${type}${eol}${data(JSON.stringify({ type, ...payload }))}`),
      comment: (text) => out.send(`: ${text}${eol}${eol}`),
    };
    const script = answer.stream;
    const pause = async (ms: number) => {
      // Whatever was sent before a pause must have reached the client, or the pause would
      // look like a partial line to the client instead of a quiet stream.
      if (ms > 0) await out.flush();
      await wait(ms);
    };
    const keepAlive = async () => {
      if (b.keepAliveComments) await script.keepAlive(events);
    };

    head(200, { ...rateHeaders, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.flushHeaders();
    await script.start(events);
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
        if (i === count - 1 && b.beforeLastPiece) {
          await out.flush();
          await Promise.race([b.beforeLastPiece, untilAborted(signal)]);
        }
        if (signal.aborted) return;
      }
      await script.piece(events, pieces[i]!, i);
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
        await script.error(events, streamFault);
        await out.flush();
        res.end();
        return;
    }

    if (count > 0) {
      await keepAlive();
      await pause(b.tokenDelayMs);
      if (signal.aborted) return;
    }
    await script.finish(events);
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
      if ('tokenLimit' in patch) tokenBucket = makeTokenBucket(behaviour.tokenLimit);
    },
    reset() {
      behaviour = { ...base };
      bucket = makeBucket(behaviour.rateLimit);
      tokenBucket = makeTokenBucket(behaviour.tokenLimit);
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

function makeBucket(limit: MockBehaviour['rateLimit']): TokenBucket | undefined {
  return limit ? new TokenBucket(limit.ratePerSec, limit.burst) : undefined;
}

function makeTokenBucket(limit: MockBehaviour['tokenLimit']): TokenBucket | undefined {
  return limit ? new TokenBucket(limit.perMinute / 60, limit.burst) : undefined;
}

/** What a server counts against its token window before answering: the prompt's tokens. */
export function requestTokens(body: Record<string, unknown>): number {
  const messages = Array.isArray(body.messages) ? normaliseMessages(body.messages as unknown[]) : [];
  const system = typeof body.system === 'string' ? body.system : '';
  return approxTokens(system + messages.map((m) => m.content).join(''));
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
