import { afterEach, describe, expect, it, vi } from 'vitest';
import { exchange, readWholeAnswer } from '../../../lib/llm/attempt';
import { openaiDialect } from '../../../lib/llm/dialects/openai';
import { LlmError } from '../../../lib/llm/errors';
import { exchangeHelpers } from './exchange';
import { bytesStream, chunk, completionJson, controlledStream, jsonResponse, scriptedFetch, splitBytes, sseBody, sseResponse } from './fakes';
import { provider } from './harness';
import { retryVerdict } from './retry-facts';

const { input, readChatStream, stream, streamError } = exchangeHelpers({ url: 'https://api.test/v1/chat/completions', secrets: ['sk-secret-key-123456'] });
const readChatJson = readWholeAnswer(openaiDialect);

afterEach(() => {
  vi.useRealTimers();
});

describe('streaming chat completions', () => {
  it('assembles text, finish reason and the usage chunk that has empty choices', async () => {
    const { result, deltas } = await stream(sseResponse(sseBody(['Hel', 'lo', '!'], { finish: 'stop', usage: true })));
    expect(deltas).toEqual(['Hel', 'lo', '!']);
    expect(result).toEqual({ text: 'Hello!', finishReason: 'stop', usage: { promptTokens: 7, completionTokens: 3 } });
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('parses %s line endings, data: without a space, and keep-alive comments', async (_name, eol) => {
    const body = [
      ': keep-alive',
      '',
      `data:${JSON.stringify({ choices: [{ index: 0, delta: { content: 'a' } }] })}`,
      '',
      ': ping',
      '',
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'b' }, finish_reason: 'length' }] })}`,
      '',
      'data: [DONE]',
      '',
      '',
    ].join(eol);
    const { result, deltas } = await stream(sseResponse(splitBytes(body, 7)));
    expect(deltas.join('')).toBe('ab');
    expect(result.finishReason).toBe('length');
  });

  it('decodes multi-byte characters split across network chunks', async () => {
    const text = 'héllo 👋 世界 — ça va?';
    const body = sseBody([text], { finish: 'stop' });
    for (const size of [1, 2, 3, 5]) {
      const { result } = await stream(() => sseResponse(splitBytes(body, size)));
      expect(result.text).toBe(text);
    }
  });

  it('accepts a stream that has a finish reason but no [DONE]', async () => {
    const { result } = await stream(sseResponse(sseBody(['ok'], { finish: 'stop', done: false })));
    expect(result.text).toBe('ok');
  });

  it('accepts [DONE] without a finish reason', async () => {
    const { result } = await stream(sseResponse(sseBody(['ok'])));
    expect(result).toEqual({ text: 'ok', finishReason: 'stop' });
  });

  it('reports a stream that ends without [DONE] or finish_reason as stream_cut, keeping the partial text', async () => {
    const error = await streamError(sseResponse(sseBody(['par', 'tial'], { done: false })));
    expect(error.kind).toBe('stream_cut');
    expect(error.partialText).toBe('partial');
  });

  it('reports a connection dropped mid-body as stream_cut', async () => {
    const body = controlledStream();
    const deltas: string[] = [];
    const { fetch } = scriptedFetch(() => sseResponse(body.stream));
    const pending = exchange(input(fetch), readChatStream({ onDelta: (t) => deltas.push(t) })).catch((e: unknown) => e);
    body.push(chunk('abc'));
    await vi.waitFor(() => expect(deltas).toEqual(['abc']));
    body.error(new TypeError('terminated'));
    const error = (await pending) as LlmError;
    expect(error.kind).toBe('stream_cut');
    expect(error.partialText).toBe('abc');
    expect(retryVerdict(error)).toBe('fail');
  });

  it('a stream that fails or stalls after its finish_reason is still a complete answer', async () => {
    const cut = controlledStream();
    const deltas: string[] = [];
    const { fetch } = scriptedFetch(() => sseResponse(cut.stream));
    const cutResult = exchange(input(fetch), readChatStream({ onDelta: (t) => deltas.push(t) }));
    cut.push(sseBody(['whole'], { finish: 'stop', done: false }));
    await vi.waitFor(() => expect(deltas).toEqual(['whole']));
    cut.error(new TypeError('terminated'));
    expect((await cutResult).text).toBe('whole');

    vi.useFakeTimers();
    const stalled = controlledStream();
    const stallResult = stream(sseResponse(stalled.stream), { idleTimeoutMs: 1_000 });
    stalled.push(sseBody(['whole'], { finish: 'length', done: false }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await stallResult).result).toEqual({ text: 'whole', finishReason: 'length' });
    expect(stalled.isCancelled).toBe(true);
  });

  it('treats an empty 200 stream as cut (and safe to retry)', async () => {
    const error = await streamError(sseResponse(''));
    expect(error.kind).toBe('stream_cut');
    expect(retryVerdict(error)).toBe('retry');
  });

  it('turns an error object inside a 200 stream into the matching error', async () => {
    const body =
      chunk('Hi') + `data: ${JSON.stringify({ error: { message: 'Rate limit reached', type: 'rate_limit_error', code: 'rate_limit_exceeded' } })}\n\n`;
    const error = await streamError(sseResponse(body));
    expect(error.kind).toBe('rate_limited');
    expect(error.partialText).toBe('Hi');
    expect(retryVerdict(error)).toBe('fail');

    const server = await streamError(sseResponse(`event: error\ndata: ${JSON.stringify({ message: 'overloaded' })}\n\n`));
    expect(server.kind).toBe('server');
    expect(retryVerdict(server)).toBe('retry');
    expect(server.detail).toBe('overloaded');
  });

  it('classifies an HTML page served with 200 as bad_response', async () => {
    const html = '<!doctype html><html><head><title>Login</title></head><body><h1>Sign in</h1></body></html>';
    const asHtml = await streamError(new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } }));
    expect(asHtml.kind).toBe('bad_response');
    expect(asHtml.message).toMatch(/Check the base URL/);
    expect(asHtml.detail).toContain('Sign in');
    const asText = await streamError(new Response(`${html}\n`, { status: 200, headers: { 'content-type': 'text/plain' } }));
    expect(asText.kind).toBe('bad_response');
  });

  it('classifies garbage data lines as bad_response', async () => {
    const error = await streamError(sseResponse('data: this is not json\n\n'));
    expect(error.kind).toBe('bad_response');
  });

  it('accepts a JSON completion when the server ignored stream: true', async () => {
    const { result, deltas } = await stream(jsonResponse(200, completionJson('whole answer')));
    expect(deltas).toEqual(['whole answer']);
    expect(result.text).toBe('whole answer');
  });
});

describe('HTTP errors', () => {
  it.each([
    [401, { error: { message: 'Incorrect API key provided: sk-secret-key-123456.', type: 'invalid_request_error', code: 'invalid_api_key' } }, 'auth'],
    [403, { error: { message: 'forbidden' } }, 'auth'],
    [404, { error: { message: 'The model `gpt-9` does not exist' } }, 'not_found'],
    [400, { error: { message: 'bad temperature', type: 'invalid_request_error' } }, 'bad_request'],
    [422, { detail: [{ msg: 'field required' }] }, 'bad_request'],
    [400, { error: { message: 'too long', code: 'context_length_exceeded' } }, 'context_length'],
    [400, { error: { message: "This model's maximum context length is 8192 tokens." } }, 'context_length'],
    [413, 'Request Entity Too Large', 'context_length'],
    [408, 'Request Timeout', 'timeout'],
    [429, { error: { message: 'Rate limit reached for requests', code: 'rate_limit_exceeded' } }, 'rate_limited'],
    [429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } }, 'quota'],
    [500, { error: { message: 'oops' } }, 'server'],
    [503, { error: { message: 'overloaded' } }, 'server'],
  ] as const)('%i %j → %s', async (status, body, kind) => {
    const error = await streamError(jsonResponse(status, body));
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.message.length).toBeGreaterThan(10);
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('sk-secret-key-123456');
  });

  it('writes messages a user can act on', async () => {
    expect((await streamError(jsonResponse(401, {}))).message).toBe('The provider answered 401 Unauthorized. Check the key in Options.');
    expect((await streamError(jsonResponse(404, {}))).message).toBe(
      'The provider answered 404 Not Found. Check the base URL (it usually ends in /v1) and the model name.',
    );
  });

  it('calls a web server without the API (405/501 to a POST, no API error body) not OpenAI-compatible, not failing', async () => {
    const staticServer = await streamError(new Response('<h1>Error response</h1><p>Error code: 501</p><p>Unsupported method (\'POST\')</p>', { status: 501, headers: { 'content-type': 'text/html' } }));
    expect(staticServer).toMatchObject({ kind: 'bad_response', status: 501 });
    expect(retryVerdict(staticServer)).toBe('fail');
    expect((await streamError(new Response('Method Not Allowed', { status: 405 }))).kind).toBe('bad_response');
    // An API that says so in its own error object is still an API.
    expect((await streamError(jsonResponse(501, { error: { message: 'streaming not implemented' } }))).kind).toBe('server');
  });

  it('keeps a short redacted snippet of a non-JSON error body', async () => {
    const page = `<html><body><h1>502 Bad Gateway</h1><p>upstream said Authorization: Bearer sk-abcdefghijklmnop${'x'.repeat(1000)}</p></body></html>`;
    const error = await streamError(new Response(page, { status: 502, headers: { 'content-type': 'text/html' } }));
    expect(error.kind).toBe('server');
    expect(error.status).toBe(502);
    expect(error.detail).toContain('502 Bad Gateway');
    expect(error.detail).not.toMatch(/sk-abc|<h1>/);
    expect(error.detail!.length).toBeLessThanOrEqual(300);
  });

  it('reads retry hints and x-should-retry', async () => {
    const limited = await streamError(jsonResponse(429, { error: { message: 'slow down' } }, { 'retry-after': '3' }));
    expect(limited.retryAfterMs).toBe(3000);
    expect(retryVerdict(limited)).toBe('retry');
    const no = await streamError(jsonResponse(503, {}, { 'x-should-retry': 'false' }));
    expect(retryVerdict(no)).toBe('fail');
    const yes = await streamError(jsonResponse(409, {}, { 'x-should-retry': 'true' }));
    expect(retryVerdict(yes)).toBe('retry');
    const quota = await streamError(jsonResponse(429, { error: { code: 'insufficient_quota', message: 'q' } }, { 'x-should-retry': 'true' }));
    expect(retryVerdict(quota)).toBe('fail');
  });

  it('maps a fetch TypeError to network', async () => {
    const fetchFn = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const error = (await exchange(input(fetchFn), readChatStream({ onDelta: () => undefined })).catch((e: unknown) => e)) as LlmError;
    expect(error).toMatchObject({ kind: 'network' });
    expect(retryVerdict(error)).toBe('retry');
  });
});

describe('non-streaming bodies', () => {
  it('reads a chat completion', async () => {
    const { fetch } = scriptedFetch(() => jsonResponse(200, completionJson('done', 'length')));
    const result = await exchange(input(fetch), readChatJson);
    expect(result).toEqual({ text: 'done', finishReason: 'length', usage: { promptTokens: 5, completionTokens: 2 } });
  });

  it('rejects HTML and non-completion JSON as bad_response', async () => {
    const html = scriptedFetch(() => new Response('<html>hi</html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    await expect(exchange(input(html.fetch), readChatJson)).rejects.toMatchObject({ kind: 'bad_response' });
    const odd = scriptedFetch(() => jsonResponse(200, { hello: 'world' }));
    await expect(exchange(input(odd.fetch), readChatJson)).rejects.toMatchObject({ kind: 'bad_response' });
  });

  it('reads model lists in the common shapes', async () => {
    const openai = scriptedFetch(() => jsonResponse(200, { object: 'list', data: [{ id: 'a' }, { id: 'b' }] }));
    const readModelList = openaiDialect.modelsReader(provider);
    expect(await exchange(input(openai.fetch), readModelList)).toEqual(['a', 'b']);
    const other = scriptedFetch(() => jsonResponse(200, { models: [{ name: 'llama3' }] }));
    expect(await exchange(input(other.fetch), readModelList)).toEqual(['llama3']);
  });
});

describe('timeouts and cancellation', () => {
  it('times out waiting for the first byte', async () => {
    vi.useFakeTimers();
    const { fetch, calls } = scriptedFetch(() => new Promise<Response>(() => undefined));
    const pending = exchange(input(fetch, { firstByteTimeoutMs: 1_000 }), readChatStream({ onDelta: () => undefined })).catch(
      (e: unknown) => e as LlmError,
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(calls[0]!.init.signal!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await pending;
    expect(error).toMatchObject({ kind: 'timeout', timeoutPhase: 'first_byte' });
    expect(retryVerdict(error as LlmError)).toBe('retry');
    expect(calls[0]!.init.signal!.aborted).toBe(true);
  });

  it('first-byte timer waits for real data: headers and comments alone do not stop it', async () => {
    vi.useFakeTimers();
    const body = controlledStream();
    const pending = stream(sseResponse(body.stream), { firstByteTimeoutMs: 1_000 }).catch((e: unknown) => e as LlmError);
    body.push(': still thinking\n\n');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await pending).toMatchObject({ kind: 'timeout', timeoutPhase: 'first_byte' });
    expect(body.isCancelled).toBe(true);
  });

  it('idle timer is reset by data but not by keep-alive comments', async () => {
    vi.useFakeTimers();
    const body = controlledStream();
    const deltas: string[] = [];
    const { fetch } = scriptedFetch(() => sseResponse(body.stream));
    const pending = exchange(
      input(fetch, { firstByteTimeoutMs: 5_000, idleTimeoutMs: 1_000 }),
      readChatStream({ onDelta: (t) => deltas.push(t) }),
    ).catch((e: unknown) => e as LlmError);
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 5; i += 1) {
      body.push(chunk(String(i)));
      await vi.advanceTimersByTimeAsync(900);
    }
    expect(deltas).toEqual(['0', '1', '2', '3', '4']);
    body.push(': keep-alive\n\n');
    await vi.advanceTimersByTimeAsync(100);
    const error = await pending;
    expect(error).toMatchObject({ kind: 'timeout', timeoutPhase: 'idle' });
    expect(body.isCancelled).toBe(true);
  });

  it('stops at the overall deadline, not retryable', async () => {
    vi.useFakeTimers();
    const body = controlledStream();
    const pending = stream(sseResponse(body.stream), { deadline: Date.now() + 2_500, deadlineMs: 2_500, idleTimeoutMs: 1_000 }).catch(
      (e: unknown) => e as LlmError,
    );
    for (let i = 0; i < 10; i += 1) {
      body.push(chunk('x'));
      await vi.advanceTimersByTimeAsync(500);
    }
    const error = (await pending) as LlmError;
    expect(error).toMatchObject({ kind: 'timeout', timeoutPhase: 'deadline' });
    expect(retryVerdict(error)).toBe('fail');
  });

  it('the caller’s abort cancels at once, aborting the fetch and the body', async () => {
    const body = controlledStream();
    const caller = new AbortController();
    const { fetch, calls } = scriptedFetch(() => sseResponse(body.stream));
    const deltas: string[] = [];
    const pending = exchange(input(fetch, { signal: caller.signal }), readChatStream({ onDelta: (t) => deltas.push(t) })).catch(
      (e: unknown) => e as LlmError,
    );
    body.push(chunk('a'));
    await vi.waitFor(() => expect(deltas).toEqual(['a']));
    caller.abort();
    expect(await pending).toMatchObject({ kind: 'aborted' });
    expect(calls[0]!.init.signal!.aborted).toBe(true);
    await body.cancelled;
  });

  it('cancels the body after [DONE] so the connection is released', async () => {
    const body = controlledStream();
    const pending = stream(sseResponse(body.stream));
    body.push(sseBody(['x'], { finish: 'stop' }));
    await pending;
    await body.cancelled;
  });

  it('works on a stream delivered one byte at a time', async () => {
    const { result } = await stream(sseResponse(bytesStream(splitBytes(sseBody(['a', 'b', 'c'], { finish: 'stop', usage: true }), 1))));
    expect(result.text).toBe('abc');
  });
});
