import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LIMIT_DIALECTS, requestTokens, startMockLlm, type MockLlm } from '../../support/mock-llm';
import { TokenBucket, formatResetDuration } from '../../support/token-bucket';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const QUESTION = 'The quick brown fox jumps over the lazy dog';
const chat = (extra: object = {}) => ({ model: 'mock-model', messages: [{ role: 'user', content: QUESTION }], ...extra });

function post(body: unknown, init: { headers?: Record<string, string>; signal?: AbortSignal; base?: string } = {}) {
  return fetch(`${init.base ?? mock.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

/** Reads an SSE response incrementally with the same parser the client uses. */
function sse(res: Response) {
  if (!res.body) throw new Error('no body');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const events: string[] = [];
  const comments: string[] = [];
  const rawChunks: Uint8Array[] = [];
  const parser = createParser({ onEvent: (e) => events.push(e.data), onComment: (c) => comments.push(c) });
  let ended = false;
  const pump = async (): Promise<boolean> => {
    const { done, value } = await reader.read();
    if (done) {
      // A stream ending in a lone CR has a complete last line, but the parser holds the CR back
      // in case an LF follows; an LF completes it without adding a line.
      parser.feed(`${decoder.decode()}\n`);
      ended = true;
      return false;
    }
    rawChunks.push(value);
    parser.feed(decoder.decode(value, { stream: true }));
    return true;
  };
  return {
    reader,
    events,
    comments,
    rawChunks,
    get ended() {
      return ended;
    },
    async untilEvents(n: number) {
      while (events.length < n && (await pump()));
    },
    async all() {
      while (await pump());
      return events;
    },
  };
}

const json = (events: string[]): any[] => events.filter((e) => e !== '[DONE]').map((e) => JSON.parse(e));
const text = (events: string[]) => json(events).map((c) => c.choices?.[0]?.delta?.content ?? '').join('');

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('mock LLM: happy path', () => {
  it('streams chat.completion.chunk events ending with finish_reason and [DONE]', async () => {
    const res = await post(chat({ stream: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await sse(res).all();
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = json(events);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    for (const c of chunks) {
      expect(c).toMatchObject({ object: 'chat.completion.chunk', model: 'mock-model', id: chunks[0].id });
    }
    expect(chunks.at(-1).choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop' });
    expect(chunks.slice(0, -1).every((c) => c.choices[0].finish_reason === null)).toBe(true);
    expect(text(events)).toBe(`Summary: ${QUESTION}`);
    expect(chunks.some((c) => 'usage' in c)).toBe(false);
  });

  it('adds a usage chunk only when stream_options.include_usage is asked for', async () => {
    const events = await sse(await post(chat({ stream: true, stream_options: { include_usage: true } }))).all();
    const chunks = json(events);
    const last = chunks.at(-1);
    expect(last.choices).toEqual([]);
    expect(last.usage.prompt_tokens).toBeGreaterThan(0);
    expect(last.usage.total_tokens).toBe(last.usage.prompt_tokens + last.usage.completion_tokens);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);

    mock.set({ includeUsage: false });
    const without = json(await sse(await post(chat({ stream: true, stream_options: { include_usage: true } }))).all());
    expect(without.at(-1).choices[0].finish_reason).toBe('stop');
  });

  it('answers non-streaming requests with chat.completion JSON and usage', async () => {
    mock.set({ reply: ({ messages, model }) => `${model}:${messages.length}` });
    const res = await post(chat({ model: 'gpt-4o-mini' }));
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await res.json();
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'gpt-4o-mini:1' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) },
    });
  });

  it.each([
    ['CRLF lines', { lineEnding: '\r\n' as const }, '\r\n\r\n'],
    ['CR lines', { lineEnding: '\r' as const }, '\r\r'],
    ['data: without the space', { dataNoSpace: true }, 'data:{'],
    ['keep-alive comments', { keepAliveComments: true }, ': keep-alive'],
    ['3-character chunks', { chunkSize: 3 }, '"content":"Hel"'],
    ['7-byte writes that straddle events', { splitBytes: 7 }, 'data: '],
  ])('keeps the same answer with %s', async (_name, variant, rawMarker) => {
    mock.set({ ...variant, reply: 'Hello wörld, 你好🌍 again' });
    const s = sse(await post(chat({ stream: true })));
    const events = await s.all();
    expect(events.at(-1)).toBe('[DONE]');
    expect(text(events)).toBe('Hello wörld, 你好🌍 again');
    expect(Buffer.concat(s.rawChunks).toString('utf8')).toContain(rawMarker);
    if ('keepAliveComments' in variant) expect(s.comments.length).toBeGreaterThan(0);
  });

  it('splitBytes splits multi-byte characters across reads and still reassembles', async () => {
    mock.set({ reply: '你好🌍', splitBytes: 1 });
    const s = sse(await post(chat({ stream: true })));
    const events = await s.all();
    expect(text(events)).toBe('你好🌍');
    expect(events.at(-1)).toBe('[DONE]');
    // Reads of a lone non-ASCII byte prove characters really arrived in pieces.
    expect(s.rawChunks.length).toBeGreaterThan(100);
    expect(s.rawChunks.filter((c) => c.length === 1 && (c[0] ?? 0) >= 0x80).length).toBeGreaterThanOrEqual(6);
  });

  it('lists models and only rejects unknown ones when strictModels is set', async () => {
    mock.set({ models: ['a', 'b'] });
    const list = await (await fetch(`${mock.baseUrl}/models`)).json();
    expect(list).toEqual({
      object: 'list',
      data: [
        { id: 'a', object: 'model', created: 0, owned_by: 'mock' },
        { id: 'b', object: 'model', created: 0, owned_by: 'mock' },
      ],
    });
    expect((await post(chat({ model: 'zzz' }))).status).toBe(200);
    mock.set({ strictModels: true });
    const res = await post(chat({ model: 'zzz' }));
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatchObject({ code: 'model_not_found', message: expect.stringContaining('The model `zzz` does not exist') });
  });

  it('records every request with lower-cased headers, including rejected ones', async () => {
    await post(chat(), { headers: { 'X-Custom-Thing': 'yes' } });
    const bad = await post('{not json');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.type).toBe('invalid_request_error');
    const missing = await fetch(`${mock.url}/v2/nothing`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toBeDefined();

    expect(mock.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/v1/chat/completions'],
      ['POST', '/v1/chat/completions'],
      ['GET', '/v2/nothing'],
    ]);
    expect(mock.requests[0]?.headers['x-custom-thing']).toBe('yes');
    expect(mock.requests[0]?.body.messages[0].content).toBe(QUESTION);
    expect(mock.requests[1]?.body).toBe('{not json');
    expect(mock.completions()).toHaveLength(2);
    expect(mock.stats()).toMatchObject({ completions: 2, status: { 200: 1, 400: 1 } });
  });
});

describe('mock LLM: auth and rate limits', () => {
  it('rejects a wrong or missing key with an OpenAI-style 401 and accepts both header styles', async () => {
    mock.set({ apiKey: 'sk-right-key-0000' });
    const wrong = await post(chat(), { headers: { authorization: 'Bearer sk-wrong-key-123456789' } });
    expect(wrong.status).toBe(401);
    const err = (await wrong.json()).error;
    expect(err).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    expect(err.message).toMatch(/^Incorrect API key provided: sk-\*+6789/);
    expect(err.message).not.toContain('sk-wrong-key-123456789');

    expect((await post(chat())).status).toBe(401);
    expect((await fetch(`${mock.baseUrl}/models`)).status).toBe(401);
    expect((await post(chat(), { headers: { authorization: 'Bearer sk-right-key-0000' } })).status).toBe(200);
    expect((await post(chat(), { headers: { 'api-key': 'sk-right-key-0000' } })).status).toBe(200);
  });

  it('returns 429 with retry headers once the burst is used up', async () => {
    mock.set({ rateLimit: { ratePerSec: 0.5, burst: 2 } });
    const first = await post(chat());
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect((await post(chat())).status).toBe(200);
    const limited = await post(chat());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    const ms = Number(limited.headers.get('retry-after-ms'));
    expect(ms).toBeGreaterThan(1500);
    expect(ms).toBeLessThanOrEqual(2000);
    expect(limited.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(limited.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset-requests')).toMatch(/^(\d+ms|\d+(\.\d+)?s)$/);
    expect((await limited.json()).error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    expect(mock.stats().status).toEqual({ 200: 2, 429: 1 });

    mock.reset();
    expect((await post(chat())).status).toBe(200);
  });

  it('describes its limits in the header dialect it is given, on answers and on 429s', async () => {
    const headersOf = (r: Response) => Object.fromEntries([...r.headers].filter(([k]) => /ratelimit|retry-after/.test(k)));
    const seen: Record<string, { ok: Record<string, string>; limited: Record<string, string> }> = {};
    for (const dialect of LIMIT_DIALECTS) {
      mock.reset();
      mock.set({ rateLimit: { ratePerSec: 2, burst: 1 }, limitHeaders: dialect });
      const ok = await post(chat());
      const limited = await post(chat());
      expect(ok.status).toBe(200);
      expect(limited.status).toBe(429);
      seen[dialect] = { ok: headersOf(ok), limited: headersOf(limited) };
    }
    expect(Object.keys(seen.openai!.ok).sort()).toEqual(['x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests']);
    expect(seen.azure!.ok).toEqual({ 'x-ratelimit-remaining-requests': '0' });
    expect(Number(seen.azure!.limited['retry-after-ms'])).toBeGreaterThan(0);
    expect(Date.parse(seen.anthropic!.ok['anthropic-ratelimit-requests-reset'] ?? '')).toBeGreaterThan(Date.now() - 1_000);
    expect(seen['429-only']!.ok).toEqual({});
    expect(seen['429-only']!.limited['retry-after']).toBe('1');
    expect(seen['429-only']!.limited['x-ratelimit-reset-requests']).toMatch(/^\d+ms$/);
    expect(seen['http-date']!.ok).toEqual({});
    expect(Object.keys(seen['http-date']!.limited)).toEqual(['retry-after']);
    expect(Date.parse(seen['http-date']!.limited['retry-after'] ?? '')).toBeGreaterThan(Date.now());
    expect(seen.none).toEqual({ ok: {}, limited: {} });
  });

  it('limits tokens per minute, counting each request’s prompt, and refuses a request only as a whole', async () => {
    const prompt = 'x'.repeat(400);
    const tokens = requestTokens(chat({ messages: [{ role: 'user', content: prompt }] }));
    expect(tokens).toBe(100);
    mock.set({ tokenLimit: { perMinute: 600, burst: 250 }, rateLimit: { ratePerSec: 0.01, burst: 100 } });
    const big = () => post(chat({ messages: [{ role: 'user', content: prompt }] }));
    const first = await big();
    expect(first.headers.get('x-ratelimit-remaining-tokens')).toBe('150');
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('250');
    expect((await big()).status).toBe(200);
    const limited = await big();
    expect(limited.status).toBe(429);
    expect((await limited.json()).error).toMatchObject({ type: 'tokens', code: 'rate_limit_exceeded' });
    // 50 tokens left, 100 wanted: 50 more at 10 a second.
    expect(Number(limited.headers.get('retry-after-ms'))).toBeGreaterThan(4_000);
    expect(limited.headers.get('x-ratelimit-reset-tokens')).toMatch(/s$/);
    // The refused request took no request turn either.
    expect(limited.headers.get('x-ratelimit-remaining-requests')).toBe('98');
  });

  it('token bucket refills with time', () => {
    let now = 0;
    const bucket = new TokenBucket(4, 2, () => now);
    expect(bucket.take().ok).toBe(true);
    expect(bucket.take()).toMatchObject({ ok: true, remaining: 0, msUntilFull: 500 });
    expect(bucket.take()).toEqual({ ok: false, msUntilToken: 250 });
    now = 249;
    expect(bucket.take().ok).toBe(false);
    now = 250;
    expect(bucket.take().ok).toBe(true);
    now = 10_000;
    expect(bucket.take()).toMatchObject({ ok: true, remaining: 1 });
  });

  it('formats reset durations the way OpenAI does', () => {
    expect(formatResetDuration(250)).toBe('250ms');
    expect(formatResetDuration(1000)).toBe('1s');
    expect(formatResetDuration(1500)).toBe('1.5s');
    expect(formatResetDuration(360_000)).toBe('6m0s');
    expect(formatResetDuration(3_723_000)).toBe('1h2m3s');
  });
});

describe('mock LLM: faults', () => {
  it('consumes one-shot faults in order, then `always`, then succeeds', async () => {
    mock.fail(
      { kind: 'status', status: 500 },
      { kind: 'status', status: 502, body: '<html><body>Bad Gateway</body></html>' },
      { kind: 'status', status: 429, headers: { 'Retry-After': '1' }, body: { error: { code: 'insufficient_quota', type: 'insufficient_quota', message: 'quota' } } },
    );
    mock.set({ always: { kind: 'status', status: 503 } });

    const r1 = await post(chat());
    expect(r1.status).toBe(500);
    expect((await r1.json()).error.type).toBe('server_error');
    const r2 = await post(chat());
    expect(r2.status).toBe(502);
    expect(r2.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await r2.text()).toBe('<html><body>Bad Gateway</body></html>');
    const r3 = await post(chat());
    expect(r3.status).toBe(429);
    expect(r3.headers.get('retry-after')).toBe('1');
    expect((await r3.json()).error.code).toBe('insufficient_quota');
    expect((await post(chat())).status).toBe(503);

    mock.set({ always: undefined });
    expect((await post(chat())).status).toBe(200);
  });

  it('does not spend a queued fault on a request rejected for auth', async () => {
    mock.set({ apiKey: 'k' });
    mock.fail({ kind: 'status', status: 500 });
    expect((await post(chat())).status).toBe(401);
    expect((await post(chat(), { headers: { authorization: 'Bearer k' } })).status).toBe(500);
  });

  it('cut: destroys the socket after N chunks, without finish_reason or [DONE]', async () => {
    mock.fail({ kind: 'cut', afterChunks: 2 });
    const s = sse(await post(chat({ stream: true })));
    await expect(s.all()).rejects.toThrow();
    expect(s.events).toHaveLength(2);
    expect(text(s.events)).toBe('Summary: The');

    mock.fail({ kind: 'cut', afterChunks: 0 });
    const res = await post(chat());
    await expect(res.json()).rejects.toThrow();
  });

  it('end-early: ends cleanly after N chunks without finish_reason or [DONE]', async () => {
    mock.fail({ kind: 'end-early', afterChunks: 3 });
    const s = sse(await post(chat({ stream: true })));
    const events = await s.all();
    expect(s.ended).toBe(true);
    expect(events).toHaveLength(3);
    expect(json(events).every((c) => c.choices[0].finish_reason === null)).toBe(true);
  });

  it('afterChunks beyond the answer still never completes the stream', async () => {
    mock.set({ reply: 'one two' });
    mock.fail({ kind: 'end-early', afterChunks: 99 });
    const events = await sse(await post(chat({ stream: true }))).all();
    expect(text(events)).toBe('one two');
    expect(events).not.toContain('[DONE]');
  });

  it('error-event: sends an error object in the stream, then ends', async () => {
    mock.fail({ kind: 'error-event', afterChunks: 1, message: 'overloaded' });
    const events = await sse(await post(chat({ stream: true }))).all();
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[1] ?? '')).toEqual({ error: { message: 'overloaded', type: 'server_error' } });
  });

  it('not-openai: answers with an HTML page for streaming and non-streaming requests', async () => {
    mock.fail({ kind: 'not-openai' }, { kind: 'not-openai' });
    for (const stream of [true, false]) {
      const res = await post(chat({ stream }));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toMatch(/^<!DOCTYPE html>/);
    }
  });

  it('stall: goes silent after N chunks; aborting the request stops it server-side', async () => {
    mock.fail({ kind: 'stall', afterChunks: 1 });
    const ac = new AbortController();
    const s = sse(await post(chat({ stream: true }), { signal: ac.signal }));
    await s.untilEvents(1);
    expect(s.events).toHaveLength(1);
    // Proving silence needs some window; the rest of the answer would arrive in well under 50 ms.
    const next = s.reader.read();
    const winner = await Promise.race([next.then(() => 'data'), new Promise((r) => setTimeout(r, 50, 'silence'))]);
    expect(winner).toBe('silence');
    expect(mock.stats().inFlight).toBe(1);
    ac.abort();
    await expect(next).rejects.toThrow();
    await waitFor(() => mock.stats().inFlight === 0, 'the stalled request to be released');
  });

  it('slow: delays one request only; aborting mid-stream clears the timers', async () => {
    mock.fail({ kind: 'slow', latencyMs: 30 });
    const t0 = performance.now();
    await (await post(chat())).json();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);

    mock.set({ tokenDelayMs: 60_000 });
    const ac = new AbortController();
    const s = sse(await post(chat({ stream: true }), { signal: ac.signal }));
    await s.untilEvents(1);
    ac.abort();
    await waitFor(() => mock.stats().inFlight === 0, 'the aborted stream to be released');
  });

  it('tracks concurrent completions', async () => {
    mock.set({ latencyMs: 40 });
    await Promise.all([1, 2, 3].map(async () => (await post(chat())).json()));
    await waitFor(() => mock.stats().inFlight === 0, 'requests to finish');
    expect(mock.stats()).toMatchObject({ completions: 3, maxConcurrent: 3, status: { 200: 3 } });
  });

  it('reset() restores behaviour, clears the fault queue, requests and stats', async () => {
    mock.set({ reply: 'custom' });
    mock.fail({ kind: 'status', status: 500 });
    await post(chat());
    mock.fail({ kind: 'status', status: 500 });
    mock.reset();
    expect(mock.requests).toHaveLength(0);
    expect(mock.stats()).toEqual({ completions: 0, status: {}, maxConcurrent: 0, inFlight: 0 });
    const body = await (await post(chat())).json();
    expect(body.choices[0].message.content).toBe(`Summary: ${QUESTION}`);
  });
});

describe('mock LLM: close()', () => {
  it('returns promptly with a stalled stream and a keep-alive connection open', async () => {
    const own = await startMockLlm({ reply: 'a b c' });
    await (await post(chat(), { base: own.baseUrl })).json();
    own.fail({ kind: 'stall', afterChunks: 1 });
    const s = sse(await post(chat({ stream: true }), { base: own.baseUrl }));
    await s.untilEvents(1);

    const t0 = performance.now();
    await own.close();
    expect(performance.now() - t0).toBeLessThan(500);
    await expect(s.all()).rejects.toThrow();
    await expect(fetch(`${own.baseUrl}/models`)).rejects.toThrow();
  });
});
