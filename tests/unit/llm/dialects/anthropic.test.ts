// Anthropic's Messages API in the client: the request body, stream parsing (event by event and
// byte by byte), whole messages, error bodies and events, retry hints, and the retries, timeouts
// and single-flight that apply to it unchanged.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLlmClient, type ChatRequest, type ProviderConfig } from '../../../../lib/llm';
import { exchange, readWholeAnswer } from '../../../../lib/llm/attempt';
import { realSleep } from '../../../../lib/llm/clock';
import { anthropicDialect } from '../../../../lib/llm/dialects/anthropic';
import { errorFromResponse as responseError, LlmError } from '../../../../lib/llm/errors';
import { readLimits, retryHintFromHeaders } from '../../../../lib/llm/retry-hints';
import { controlledStream, jsonResponse, scriptedFetch, splitBytes, sseResponse } from '../fakes';
import { exchangeHelpers } from '../exchange';
import { outcome, settle, statusLog } from '../harness';
import { retryVerdict } from '../retry-facts';

const KEY = 'sk-ant-api03-test-key-abcdef123456';
const anthropic: ProviderConfig = { kind: 'anthropic', baseUrl: 'https://api.anthropic.test/v1', apiKey: KEY, model: 'claude-x' };

/** One SSE event as Anthropic writes it: named after its type, data with that type. */
function ev(type: string, payload: object = {}): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;
}

const start = (inputTokens = 12) =>
  ev('message_start', {
    message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'claude-x', stop_reason: null, usage: { input_tokens: inputTokens, output_tokens: 1 } },
  });
const blockStart = (index = 0, block: object = { type: 'text', text: '' }) => ev('content_block_start', { index, content_block: block });
const text = (t: string, index = 0) => ev('content_block_delta', { index, delta: { type: 'text_delta', text: t } });
const blockStop = (index = 0) => ev('content_block_stop', { index });
const delta = (stopReason: string, outputTokens = 5) => ev('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } });
const stop = () => ev('message_stop');
const ping = () => ev('ping');

function messageStream(pieces: string[], opts: { stopReason?: string; end?: boolean } = {}): string {
  let out = start() + blockStart() + ping();
  for (const p of pieces) out += text(p);
  out += blockStop();
  if (opts.stopReason !== undefined) out += delta(opts.stopReason);
  if (opts.end !== false) out += stop();
  return out;
}

const { input, readChatStream, stream, streamError } = exchangeHelpers({ url: 'https://api.anthropic.test/v1/messages', secrets: [KEY] }, anthropicDialect);
const { chatEndpoint, requestHeaders, errorFromPayload: errorFromStreamPayload, readAnswer: readAnthropicMessage } = anthropicDialect;
const anthropicBody = (provider: ProviderConfig, req: ChatRequest, { stream }: { stream: boolean }) =>
  anthropicDialect.chatBody(provider, req, { stream, includeUsage: true });
const errorFromResponse = (status: number, headers: Headers, bodyText: string, now: number, secrets?: string[]) =>
  responseError(anthropicDialect, status, headers, bodyText, now, secrets);

afterEach(() => {
  vi.useRealTimers();
});

describe('request shape', () => {
  it('puts the system prompt apart, joins same-role turns, drops empty ones and requires max_tokens', () => {
    const body = anthropicBody(
      anthropic,
      {
        messages: [
          { role: 'system', content: 'Rule one.' },
          { role: 'user', content: 'First.' },
          { role: 'user', content: 'Second.' },
          { role: 'assistant', content: '' },
          { role: 'system', content: 'Rule two.' },
          { role: 'assistant', content: 'Answer.' },
          { role: 'user', content: 'More?' },
        ],
        temperature: 1.6,
      },
      { stream: true },
    );
    expect(body).toEqual({
      model: 'claude-x',
      max_tokens: 4096,
      system: 'Rule one.\n\nRule two.',
      messages: [
        { role: 'user', content: 'First.\n\nSecond.' },
        { role: 'assistant', content: 'Answer.' },
        { role: 'user', content: 'More?' },
      ],
      // OpenAI's scale runs to 2, Anthropic's to 1.
      temperature: 1,
      stream: true,
    });
  });

  it('a request of instructions only becomes one user turn; a bad stored max_tokens falls back to the default', () => {
    const body = anthropicBody({ ...anthropic, maxTokens: -3 }, { messages: [{ role: 'system', content: 'Summarise.' }] }, { stream: false });
    expect(body).toEqual({ model: 'claude-x', max_tokens: 4096, messages: [{ role: 'user', content: 'Summarise.' }], stream: false });
  });

  it('headers: x-api-key and anthropic-version; custom headers add to them but never replace the key', () => {
    const headers = requestHeaders(
      { ...anthropic, headers: { 'anthropic-beta': 'prompt-caching-2024-07-31', 'X-API-Key': 'not-this-one', 'anthropic-version': '2023-01-01' } },
      { stream: true, hasBody: true },
    );
    expect(headers).toEqual({
      accept: 'text/event-stream',
      'anthropic-version': '2023-01-01',
      'anthropic-dangerous-direct-browser-access': 'true',
      'anthropic-beta': 'prompt-caching-2024-07-31',
      'content-type': 'application/json',
      'x-api-key': KEY,
    });
    expect(chatEndpoint({ ...anthropic, baseUrl: 'https://api.anthropic.test/v1/' })).toBe('https://api.anthropic.test/v1/messages');
  });

  it('refuses header names and values fetch could not send, before any request', () => {
    expect(() => requestHeaders({ ...anthropic, headers: { 'Bad Header': 'x' } }, { stream: false, hasBody: false })).toThrow(/header name/);
    expect(() => requestHeaders({ ...anthropic, headers: { 'X-Ok': 'line\r\nInjected: 1' } }, { stream: false, hasBody: false })).toThrow(/header "x-ok"/);
  });
});

describe('stream parsing', () => {
  it('assembles text deltas, stop reason and usage (input from message_start, output from message_delta)', async () => {
    const { result, deltas } = await stream(sseResponse(messageStream(['Hel', 'lo', '!'], { stopReason: 'end_turn' })));
    expect(deltas).toEqual(['Hel', 'lo', '!']);
    expect(result).toEqual({ text: 'Hello!', finishReason: 'stop', usage: { promptTokens: 12, completionTokens: 5 } });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'pause_turn'],
  ])('stop reason %s → %s', async (stopReason, finish) => {
    expect(readAnthropicMessage({ content: [], stop_reason: stopReason })?.finishReason).toBe(finish);
    const { result } = await stream(sseResponse(messageStream(['x'], { stopReason })));
    expect(result.finishReason).toBe(finish);
  });

  it('reassembles characters split across every byte, whatever the line ending', async () => {
    const body = messageStream(['Ça marche 👍 — ', '日本語 テキスト'], { stopReason: 'end_turn' });
    for (const eol of ['\n', '\r\n', '\r']) {
      const { result, deltas } = await stream(sseResponse(splitBytes(body.replace(/\n/g, eol), 1)));
      expect(result.text).toBe('Ça marche 👍 — 日本語 テキスト');
      expect(deltas.join('')).toBe(result.text);
    }
  });

  it('shows only text: thinking, signatures and tool input are skipped; a text block may start with text', async () => {
    const body =
      start() +
      blockStart(0, { type: 'thinking', thinking: '' }) +
      ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think…' } }) +
      ev('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'EqQB…' } }) +
      blockStop(0) +
      blockStart(1, { type: 'text', text: 'Sure: ' }) +
      text('the answer.', 1) +
      blockStop(1) +
      blockStart(2, { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} }) +
      ev('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '{"q":' } }) +
      blockStop(2) +
      delta('end_turn') +
      stop();
    const { result, deltas } = await stream(sseResponse(body));
    expect(deltas).toEqual(['Sure: ', 'the answer.']);
    expect(result.text).toBe('Sure: the answer.');
  });

  it('ignores event types added after this was written', async () => {
    const body = start() + blockStart() + text('a') + ev('content_block_citation', { citation: { url: 'x' } }) + text('b') + delta('end_turn') + stop();
    const { result } = await stream(sseResponse(body));
    expect(result.text).toBe('ab');
  });

  it('counts cached prompt tokens as prompt tokens', () => {
    const assembler = anthropicDialect.streamAssembler([]);
    assembler.accept(JSON.stringify({ type: 'message_start', message: { usage: { input_tokens: 3, cache_creation_input_tokens: 100, cache_read_input_tokens: 50, output_tokens: 1 } } }));
    assembler.accept(JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }));
    expect(assembler.result().usage).toEqual({ promptTokens: 153, completionTokens: 9 });
  });

  it('a ping carries no text and does not count as progress for the idle timeout', async () => {
    vi.useFakeTimers({ now: 0 });
    const body = controlledStream();
    const { fetch } = scriptedFetch(() => sseResponse(body.stream));
    const deltas: string[] = [];
    const pending = outcome(
      exchange(
        input(fetch, { now: () => Date.now(), sleep: realSleep, deadline: 300_000, idleTimeoutMs: 1_000, firstByteTimeoutMs: 1_000 }),
        readChatStream({ onDelta: (t) => deltas.push(t) }),
      ),
    );
    await settle();
    body.push(start() + blockStart() + text('Hi'));
    await settle();
    expect(deltas).toEqual(['Hi']);
    // Pings keep coming, but the answer does not move: the idle timeout still fires.
    for (let t = 0; t < 4; t += 1) {
      await vi.advanceTimersByTimeAsync(300);
      body.push(ping());
    }
    await vi.advanceTimersByTimeAsync(300);
    const error = await pending;
    expect(error).toMatchObject({ kind: 'timeout', timeoutPhase: 'idle', partialText: 'Hi' });
  });

  it('an error event is classified by its type and keeps the partial text', async () => {
    const body = start() + blockStart() + text('Half an') + ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } });
    const error = await streamError(sseResponse(body));
    expect(error).toMatchObject({ kind: 'server', status: 529, detail: 'Overloaded', partialText: 'Half an' });
    expect(retryVerdict(error)).toBe('fail');
  });

  it('an error event before any text is retryable', async () => {
    const error = await streamError(sseResponse(start() + ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } })));
    expect(error).toMatchObject({ kind: 'server', partialText: '' });
    expect(retryVerdict(error)).toBe('retry');
  });

  it('a stream that ends without message_stop or a stop reason is stream_cut with the partial text', async () => {
    const error = await streamError(sseResponse(messageStream(['one ', 'two'], { end: false })));
    expect(error).toMatchObject({ kind: 'stream_cut', partialText: 'one two' });
    expect(retryVerdict(error)).toBe('fail');
    const early = await streamError(sseResponse(start()));
    expect(early).toMatchObject({ kind: 'stream_cut' });
    expect(retryVerdict(early)).toBe('retry');
  });

  it('a stream whose message_stop went missing after the stop reason is whole (nothing was left to say)', async () => {
    const { result } = await stream(sseResponse(messageStream(['whole'], { stopReason: 'end_turn', end: false })));
    expect(result).toMatchObject({ text: 'whole', finishReason: 'stop' });
  });

  it('a connection dropped mid-answer is stream_cut', async () => {
    const body = controlledStream();
    const { fetch } = scriptedFetch(() => sseResponse(body.stream));
    const pending = outcome(exchange(input(fetch), readChatStream({ onDelta: () => undefined })));
    body.push(start() + blockStart() + text('par'));
    await new Promise((r) => setTimeout(r, 5));
    body.error(new TypeError('terminated'));
    expect(await pending).toMatchObject({ kind: 'stream_cut', partialText: 'par' });
  });

  it('data that is not JSON is bad_response', async () => {
    const error = await streamError(sseResponse('event: message_start\ndata: {not json\n\n'));
    expect(error.kind).toBe('bad_response');
  });

  it('a server that ignores stream: true and answers a whole message is still read', async () => {
    const { result, deltas } = await stream(
      jsonResponse(200, { type: 'message', content: [{ type: 'text', text: 'All at once.' }], stop_reason: 'end_turn', usage: { input_tokens: 4, output_tokens: 3 } }),
    );
    expect(deltas).toEqual(['All at once.']);
    expect(result).toEqual({ text: 'All at once.', finishReason: 'stop', usage: { promptTokens: 4, completionTokens: 3 } });
  });
});

describe('whole messages', () => {
  it('joins the text blocks, maps the stop reason and reads usage', () => {
    expect(
      readAnthropicMessage({
        id: 'msg',
        type: 'message',
        content: [
          { type: 'thinking', thinking: 'hmm' },
          { type: 'text', text: 'One. ' },
          { type: 'tool_use', id: 't', name: 'n', input: {} },
          { type: 'text', text: 'Two.' },
        ],
        stop_reason: 'max_tokens',
        usage: { input_tokens: 10, output_tokens: 20 },
      }),
    ).toEqual({ text: 'One. Two.', finishReason: 'length', usage: { promptTokens: 10, completionTokens: 20 } });
    expect(readAnthropicMessage({ choices: [] })).toBeUndefined();
  });

  it('an OpenAI-shaped answer from an "Anthropic" URL is bad_response; an error body in a 200 is classified', async () => {
    const read = readWholeAnswer(anthropicDialect);
    const { fetch } = scriptedFetch(
      () => jsonResponse(200, { choices: [{ message: { content: 'x' } }] }),
      () => jsonResponse(200, { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }),
    );
    await expect(exchange(input(fetch), read)).rejects.toMatchObject({ kind: 'bad_response' });
    await expect(exchange(input(fetch), read)).rejects.toMatchObject({ kind: 'rate_limited', detail: 'slow down' });
  });
});

describe('error bodies', () => {
  const body = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_1' });
  const none = new Headers();

  it.each([
    [400, 'invalid_request_error', 'messages: Field required', 'bad_request', false],
    [400, 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum', 'context_length', false],
    [400, 'invalid_request_error', 'Your credit balance is too low to access the Anthropic API.', 'quota', false],
    [401, 'authentication_error', 'invalid x-api-key', 'auth', false],
    [403, 'permission_error', 'Your API key does not have permission to use the specified resource.', 'auth', false],
    [404, 'not_found_error', 'model: claude-nope', 'not_found', false],
    [413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.', 'context_length', false],
    [429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', 'rate_limited', true],
    [429, 'rate_limit_error', 'You have reached your specified API usage limits.', 'quota', false],
    [500, 'api_error', 'Internal server error', 'server', true],
    [529, 'overloaded_error', 'Overloaded', 'server', true],
  ] as const)('%i %s → %s', (status, type, message, kind, retried) => {
    const error = errorFromResponse(status, none, body(type, message), 0, [KEY]);
    expect(error).toMatchObject({ kind, status, detail: message });
    expect(retryVerdict(error)).toBe(retried ? 'retry' : 'fail');
  });

  it('never echoes the key', () => {
    const error = errorFromResponse(401, none, body('authentication_error', `invalid x-api-key ${KEY}`), 0, [KEY]);
    expect(error.detail).not.toContain(KEY);
  });

  it('error payloads inside streams are classified by type alone', () => {
    const overloaded = errorFromStreamPayload({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(overloaded).toMatchObject({ kind: 'server', status: 529 });
    expect(retryVerdict(overloaded)).toBe('retry');
    const limited = errorFromStreamPayload({ type: 'error', error: { type: 'rate_limit_error', message: 'x' } });
    expect(limited).toMatchObject({ kind: 'rate_limited' });
    expect(retryVerdict(limited)).toBe('retry');
    expect(errorFromStreamPayload({ type: 'error', error: { type: 'permission_error', message: 'x' } })).toMatchObject({ kind: 'auth', status: 403 });
    expect(errorFromStreamPayload({ type: 'error', error: { type: 'brand_new_error', message: 'x' } })).toMatchObject({ kind: 'server' });
  });
});

describe('retry hints from Anthropic headers', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');

  it('retry-after wins; without it a 429 waits for the exhausted window\'s RFC 3339 reset', () => {
    expect(retryHintFromHeaders(new Headers({ 'retry-after': '7', 'anthropic-ratelimit-requests-reset': '2025-06-01T12:00:30Z' }), now, 429).retryAfterMs).toBe(7_000);
    const headers = new Headers({
      'anthropic-ratelimit-requests-remaining': '12',
      'anthropic-ratelimit-requests-reset': '2025-06-01T12:00:02Z',
      'anthropic-ratelimit-input-tokens-remaining': '0',
      'anthropic-ratelimit-input-tokens-reset': '2025-06-01T12:00:20Z',
    });
    expect(retryHintFromHeaders(headers, now, 429).retryAfterMs).toBe(20_000);
    // Reset headers on a success describe the window, they do not ask for a wait.
    expect(retryHintFromHeaders(headers, now, 200).retryAfterMs).toBeUndefined();
    expect(retryHintFromHeaders(new Headers({ 'anthropic-ratelimit-requests-reset': 'soon' }), now, 429).retryAfterMs).toBeUndefined();
  });

  it('a 429 carries the hint into the error', () => {
    const error = errorFromResponse(
      429,
      new Headers({ 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': '2025-06-01T12:00:05Z' }),
      JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'rate limited' } }),
      now,
    );
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 5_000 });
    expect(retryVerdict(error)).toBe('retry');
  });

  it('successful responses feed the request and input-token windows to the client\'s pacing', () => {
    const limits = readLimits(
      new Headers({
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '49',
        'anthropic-ratelimit-requests-reset': '2025-06-01T12:00:01.200Z',
        'anthropic-ratelimit-tokens-remaining': '30000',
        'anthropic-ratelimit-input-tokens-remaining': '20000',
      }),
      now,
    );
    expect(limits).toEqual({ requests: { remaining: 49, limit: 50, resetMs: 1_200 }, tokens: { remaining: 20_000 } });
    expect(readLimits(new Headers({ 'anthropic-ratelimit-tokens-remaining': '7' }), now).tokens).toEqual({ remaining: 7 });
  });
});

describe('the client with Anthropic: retries, pauses and single-flight unchanged', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });

  function setup(...handlers: Parameters<typeof scriptedFetch>) {
    const scripted = scriptedFetch(...handlers);
    const client = createLlmClient({ fetch: scripted.fetch, getProvider: () => anthropic, random: () => 0.5, options: { persistDebounceMs: 50 } });
    return { client, calls: scripted.calls };
  }
  const ask = { messages: [{ role: 'system' as const, content: 'Brief.' }, { role: 'user' as const, content: 'hi' }] };
  const error = (status: number, type: string, headers: Record<string, string> = {}) =>
    jsonResponse(status, { type: 'error', error: { type, message: type } }, headers);

  it('529 overloaded is retried with backoff, then the stream succeeds', async () => {
    const { client, calls } = setup(
      () => error(529, 'overloaded_error'),
      () => sseResponse(messageStream(['Back'], { stopReason: 'end_turn' })),
    );
    const status = statusLog();
    const pending = outcome(client.chat(ask, { onStatus: status.onStatus }));
    await settle();
    expect(status.log.at(-1)).toMatchObject({ type: 'waiting', reason: 'server_error', attempt: 2 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await pending).toMatchObject({ text: 'Back', finishReason: 'stop' });
    expect(calls).toHaveLength(2);
    expect(calls[0]!.url).toBe('https://api.anthropic.test/v1/messages');
    expect(calls[1]!.body).toEqual(calls[0]!.body);
  });

  it('429 with retry-after pauses, then succeeds', async () => {
    const { client, calls } = setup(
      () => error(429, 'rate_limit_error', { 'retry-after': '2' }),
      () => jsonResponse(200, { type: 'message', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn' }),
    );
    const pending = outcome(client.complete(ask));
    await settle();
    expect(client.stats().pausedUntil).toBe(1_000_000 + 2_000);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(calls).toHaveLength(1);
    // Traffic resumes spread over resumeSpreadMs after the pause.
    await vi.advanceTimersByTimeAsync(1_001);
    expect(await pending).toMatchObject({ text: 'ok' });
    expect(calls).toHaveLength(2);
  });

  it('401 is final', async () => {
    const { client, calls } = setup(() => error(401, 'authentication_error'));
    expect(await outcome(client.chat(ask))).toMatchObject({ kind: 'auth', status: 401 });
    expect(calls).toHaveLength(1);
  });

  it('identical concurrent requests make one upstream call', async () => {
    const { client, calls } = setup(() => sseResponse(messageStream(['Same'], { stopReason: 'end_turn' })));
    const [a, b] = await Promise.all([client.chat(ask), client.chat(ask)]);
    expect(a.text).toBe('Same');
    expect(b.text).toBe('Same');
    expect(calls).toHaveLength(1);
  });

  it('scrubs the key, and credentials in custom headers, from what the server says back', async () => {
    const gateway = 'gw-secret-token-9876543210';
    const scripted = scriptedFetch(() =>
      jsonResponse(400, { type: 'error', error: { type: 'invalid_request_error', message: `bad ${KEY} for ${gateway}` } }),
    );
    const client = createLlmClient({
      fetch: scripted.fetch,
      getProvider: () => ({ ...anthropic, headers: { 'X-Gateway-Token': gateway } }),
      options: { persistDebounceMs: 50 },
    });
    const failure = (await outcome(client.chat(ask))) as LlmError;
    expect(failure.kind).toBe('bad_request');
    expect(failure.detail).toBe('bad [redacted] for [redacted]');
    expect(scripted.calls[0]!.headers['x-gateway-token']).toBe(gateway);
  });
});
