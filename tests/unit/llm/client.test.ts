import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLlmClient, LlmError } from '../../../lib/llm';
import { completionJson, controlledStream, chunk, deferred, jsonResponse, sseBody, sseResponse } from './fakes';
import { ask, outcome, provider, settle, setup, statusLog } from './harness';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('requests', () => {
  it('streams a chat to the chat/completions endpoint with the key and provider headers', async () => {
    const { client, calls } = setup([() => sseResponse(sseBody(['Hel', 'lo'], { finish: 'stop', usage: true }))]);
    const deltas: string[] = [];
    const status = statusLog();
    const result = await client.chat({ ...ask(), temperature: 0.2, max_tokens: 9 }, { onDelta: (t) => deltas.push(t), onStatus: status.onStatus });
    expect(result).toEqual({ text: 'Hello', finishReason: 'stop', usage: { promptTokens: 7, completionTokens: 3 } });
    expect(deltas).toEqual(['Hel', 'lo']);
    expect(status.types()).toEqual(['connecting', 'streaming']);
    const [call] = calls;
    expect(call!.url).toBe('https://api.test/v1/chat/completions');
    expect(call!.init.method).toBe('POST');
    expect(call!.headers.authorization).toBe(`Bearer ${provider.apiKey}`);
    expect(call!.headers['x-title']).toBe('Precis');
    expect(call!.headers['content-type']).toBe('application/json');
    expect(call!.body).toEqual({
      model: 'm-1',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.2,
      max_tokens: 9,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('completes without streaming', async () => {
    const { client, calls } = setup([() => jsonResponse(200, completionJson('done'))]);
    const result = await client.complete({ ...ask(), model: 'other' });
    expect(result.text).toBe('done');
    expect(calls[0]!.body).toMatchObject({ model: 'other', stream: false });
    expect(calls[0]!.body).not.toHaveProperty('stream_options');
  });

  it('sends no Authorization header when there is no key (local servers)', async () => {
    const { client, calls } = setup([() => jsonResponse(200, completionJson('x'))], {
      getProvider: async () => ({ baseUrl: 'http://localhost:11434/v1', apiKey: '', model: 'llama3' }),
    });
    await client.complete(ask());
    expect(calls[0]!.url).toBe('http://localhost:11434/v1/chat/completions');
    expect(calls[0]!.headers).not.toHaveProperty('authorization');
  });

  it('rejects an unusable base URL before any request', async () => {
    const { client, calls } = setup([() => jsonResponse(200, completionJson('x'))], {
      getProvider: () => ({ baseUrl: 'not a url', apiKey: 'k', model: 'm' }),
    });
    await expect(client.chat(ask())).rejects.toMatchObject({ kind: 'bad_request' });
    expect(calls).toHaveLength(0);
  });

  it('withProvider uses the settings it is given, without reading them again, and still checks them', async () => {
    let reads = 0;
    const { client, calls } = setup([() => jsonResponse(200, completionJson('x')), () => sseResponse(sseBody(['y'], { finish: 'stop' }))], {
      getProvider: () => {
        reads += 1;
        return provider;
      },
    });
    const other = { ...provider, baseUrl: 'https://other.test/v1', apiKey: 'sk-other' };
    expect((await client.withProvider(other).complete(ask())).text).toBe('x');
    expect((await client.withProvider(other).chat(ask())).text).toBe('y');
    expect(reads).toBe(0);
    expect(calls.map((c) => [c.url, c.headers.authorization])).toEqual([
      ['https://other.test/v1/chat/completions', 'Bearer sk-other'],
      ['https://other.test/v1/chat/completions', 'Bearer sk-other'],
    ]);
    await expect(client.withProvider({ ...other, baseUrl: ' ' }).chat(ask())).rejects.toMatchObject({ kind: 'bad_request' });
    expect(calls).toHaveLength(2);
  });

  it('lists models and warms up with GET /models; warmUp never throws', async () => {
    const { client, calls } = setup([
      () => jsonResponse(200, { data: [{ id: 'gpt-x' }, { id: 'gpt-y' }] }),
      () => jsonResponse(200, { data: [] }),
      () => {
        throw new TypeError('fetch failed');
      },
    ]);
    expect(await client.listModels()).toEqual(['gpt-x', 'gpt-y']);
    expect(calls[0]!.url).toBe('https://api.test/v1/models');
    expect(calls[0]!.init.method).toBe('GET');
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${provider.apiKey}`);
    await expect(client.warmUp()).resolves.toBeUndefined();
    await expect(client.warmUp()).resolves.toBeUndefined();
    expect(calls.map((c) => c.url)).toEqual(Array(3).fill('https://api.test/v1/models'));
    const broken = createLlmClient({ fetch: globalThis.fetch, getProvider: () => Promise.reject(new Error('no settings')) });
    await expect(broken.warmUp()).resolves.toBeUndefined();
  });

  it('keeps the API key out of every error', async () => {
    const { client } = setup([
      () => jsonResponse(401, { error: { message: `Incorrect API key provided: ${provider.apiKey}. You can find your key at …` } }),
    ]);
    const error = (await outcome(client.chat(ask()))) as LlmError;
    expect(error.kind).toBe('auth');
    expect(`${error.message} ${error.detail} ${JSON.stringify(error)}`).not.toContain('abcdef123456');
  });

  it('a callback that throws does not break the stream', async () => {
    const { client } = setup([() => sseResponse(sseBody(['a', 'b'], { finish: 'stop' }))]);
    const result = await client.chat(ask(), {
      onDelta: () => {
        throw new Error('UI bug');
      },
    });
    expect(result.text).toBe('ab');
  });
});

describe('retries', () => {
  it('retries a 500 with full-jitter backoff and reports the wait', async () => {
    const { client, calls } = setup([() => jsonResponse(500, { error: { message: 'boom' } }), () => sseResponse(sseBody(['ok'], { finish: 'stop' }))], {
      options: { backoffBaseMs: 1_000 },
    });
    const status = statusLog();
    const pending = client.chat(ask(), { onStatus: status.onStatus });
    await settle();
    expect(calls).toHaveLength(1);
    // random() = 0.5 → half of base * 2^0.
    expect(status.log).toContainEqual({ type: 'waiting', reason: 'server_error', until: Date.now() + 500, attempt: 2 });
    await vi.advanceTimersByTimeAsync(499);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).text).toBe('ok');
    expect(calls).toHaveLength(2);
  });

  it('grows the backoff exponentially up to the cap and stops after maxAttempts', async () => {
    const { client, calls } = setup([() => jsonResponse(503, 'overloaded')], {
      options: { backoffBaseMs: 1_000, backoffCapMs: 3_000, maxAttempts: 4, breakerFailureThreshold: 100 },
      random: () => 0.999,
    });
    const started = Date.now();
    const starts: number[] = [];
    const pending = outcome(client.chat(ask(), { onStatus: (s) => s.type === 'connecting' && starts.push(Date.now() - started) }));
    await vi.advanceTimersByTimeAsync(20_000);
    const error = (await pending) as LlmError;
    expect(error).toMatchObject({ kind: 'server', status: 503, attempts: 4, detail: 'overloaded' });
    expect(calls).toHaveLength(4);
    // Waits of ~1 s, ~2 s, then capped at ~3 s.
    expect(starts).toEqual([0, 999, 999 + 1_998, 999 + 1_998 + 2_997]);
  });

  it.each([
    [401, {}],
    [404, {}],
    [400, { error: { message: 'bad' } }],
    [400, { error: { code: 'context_length_exceeded', message: 'too long' } }],
    [429, { error: { code: 'insufficient_quota', message: 'quota' } }],
  ])('does not retry %i %j', async (status, body) => {
    const { client, calls } = setup([() => jsonResponse(status, body)]);
    await expect(client.chat(ask())).rejects.toBeInstanceOf(LlmError);
    expect(calls).toHaveLength(1);
  });

  it('obeys x-should-retry', async () => {
    const no = setup([() => jsonResponse(500, {}, { 'x-should-retry': 'false' })]);
    await expect(no.client.chat(ask())).rejects.toMatchObject({ kind: 'server' });
    expect(no.calls).toHaveLength(1);

    const yes = setup([() => jsonResponse(409, {}, { 'x-should-retry': 'true' }), () => sseResponse(sseBody(['ok'], { finish: 'stop' }))]);
    const pending = yes.client.chat(ask());
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await pending).text).toBe('ok');
  });

  it('retries network failures and empty cut streams', async () => {
    const { client, calls } = setup([
      () => {
        throw new TypeError('fetch failed');
      },
      () => sseResponse(''),
      () => sseResponse(sseBody(['ok'], { finish: 'stop' })),
    ]);
    const pending = client.chat(ask());
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await pending).text).toBe('ok');
    expect(calls).toHaveLength(3);
  });

  it('does not silently retry a stream that already delivered text', async () => {
    const { client, calls } = setup([() => sseResponse(sseBody(['par', 'tial'], { done: false })), () => sseResponse(sseBody(['again'], { finish: 'stop' }))]);
    const deltas: string[] = [];
    const error = (await outcome(client.chat(ask(), { onDelta: (t) => deltas.push(t) }))) as LlmError;
    expect(error).toMatchObject({ kind: 'stream_cut', partialText: 'partial' });
    expect(deltas).toEqual(['par', 'tial']);
    expect(calls).toHaveLength(1);
  });

  it('keeps the partial text when the idle timeout hits mid-answer, and does not retry', async () => {
    const body = controlledStream();
    const { client, calls } = setup([() => sseResponse(body.stream)], { options: { idleTimeoutMs: 1_000 } });
    const pending = outcome(client.chat(ask()));
    await settle();
    body.push(chunk('so far'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await pending).toMatchObject({ kind: 'timeout', partialText: 'so far' });
    expect(calls).toHaveLength(1);
  });

  it('honours retry-after-ms, Retry-After seconds and HTTP dates, and x-ratelimit-reset', async () => {
    const cases: [Record<string, string>, number][] = [
      // First, while the fake clock is on a whole second: HTTP dates have no milliseconds.
      [{ 'retry-after': new Date(Date.now() + 3_000).toUTCString() }, 3_000],
      [{ 'retry-after-ms': '1500' }, 1_500],
      [{ 'retry-after': '2' }, 2_000],
      [{ 'x-ratelimit-reset-requests': '1.5s', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-tokens': '6m0s' }, 1_500],
    ];
    for (const [headers, expected] of cases) {
      const { client, calls } = setup([() => jsonResponse(429, { error: { message: 'slow down' } }, headers), () => jsonResponse(200, completionJson('ok'))], {
        options: { resumeSpreadMs: 0 },
      });
      const pending = client.complete(ask());
      await settle();
      await vi.advanceTimersByTimeAsync(expected - 1);
      expect(calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await settle();
      expect(calls).toHaveLength(2);
      await pending;
    }
  });

  it('fails at once when the server asks for a longer wait than maxRetryAfterMs', async () => {
    const { client, calls } = setup([() => jsonResponse(429, {}, { 'retry-after': '120' })], { options: { maxRetryAfterMs: 60_000 } });
    const error = (await outcome(client.chat(ask()))) as LlmError;
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 120_000 });
    expect(error.message).toMatch(/Try again in 120 s/);
    expect(calls).toHaveLength(1);
    // The pause still holds for everyone: a new request whose deadline ends sooner fails fast.
    client.setOptions({ deadlineMs: 30_000 });
    const next = (await outcome(client.chat(ask('other')))) as LlmError;
    expect(next.kind).toBe('rate_limited');
    expect(calls).toHaveLength(1);
  });

  it('spends a retry budget that successes and time refill: an empty budget delays retries, it does not fail them', async () => {
    const { client, calls } = setup([() => jsonResponse(500, {})], {
      options: { retryBudgetMax: 2, retryBudgetRatio: 0.5, retryBudgetPerSec: 1, maxAttempts: 4, breakerFailureThreshold: 100, backoffBaseMs: 10 },
    });
    const first = outcome(client.complete(ask('1')));
    await vi.advanceTimersByTimeAsync(500);
    // Two retries from the bucket; the third waits for it to refill (one a second).
    expect(calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(4);
    expect(await first).toMatchObject({ kind: 'server', attempts: 4 });
  });

  it('retries the server scheduled (retry-after) do not spend the budget', async () => {
    const { client, calls } = setup(
      [
        () => jsonResponse(429, {}, { 'retry-after-ms': '100' }),
        () => jsonResponse(429, {}, { 'retry-after-ms': '100' }),
        () => jsonResponse(200, completionJson('ok')),
      ],
      { options: { retryBudgetMax: 0, resumeSpreadMs: 0 } },
    );
    const pending = client.complete(ask());
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await pending).text).toBe('ok');
    expect(calls).toHaveLength(3);
  });

  it('an abort during the backoff wait ends the request at once', async () => {
    const { client, calls } = setup([() => jsonResponse(500, {})], { options: { backoffBaseMs: 10_000 } });
    const caller = new AbortController();
    const pending = outcome(client.chat(ask(), { signal: caller.signal }));
    await settle();
    caller.abort();
    expect(await pending).toMatchObject({ kind: 'aborted' });
    expect(calls).toHaveLength(1);
  });
});

describe('cancellation', () => {
  it('aborting a streaming request cancels the upstream fetch and frees its slot for the next one', async () => {
    const body = controlledStream();
    const { client, calls } = setup([() => sseResponse(body.stream), () => sseResponse(sseBody(['next'], { finish: 'stop' }))], {
      options: { maxConcurrency: 1 },
    });
    const caller = new AbortController();
    const first = outcome(client.chat(ask('1'), { signal: caller.signal }));
    const status = statusLog();
    const second = client.chat(ask('2'), { onStatus: status.onStatus });
    await settle();
    expect(client.stats()).toMatchObject({ inFlight: 1, queued: 1 });
    expect(status.types()).toEqual(['queued']);
    body.push(chunk('a'));
    await settle();
    caller.abort();
    expect(await first).toMatchObject({ kind: 'aborted' });
    expect(calls[0]!.init.signal!.aborted).toBe(true);
    await body.cancelled;
    expect((await second).text).toBe('next');
    expect(client.stats()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('a queued request can be aborted, and leaves the queue', async () => {
    const gate = deferred<Response>();
    const { client, calls } = setup([() => gate.promise, () => sseResponse(sseBody(['x'], { finish: 'stop' }))], {
      options: { maxConcurrency: 1 },
    });
    const first = client.chat(ask('1'));
    const caller = new AbortController();
    const second = outcome(client.chat(ask('2'), { signal: caller.signal }));
    await settle();
    expect(client.stats().queued).toBe(1);
    caller.abort();
    expect(await second).toMatchObject({ kind: 'aborted' });
    expect(client.stats().queued).toBe(0);
    gate.resolve(sseResponse(sseBody(['one'], { finish: 'stop' })));
    expect((await first).text).toBe('one');
    expect(calls).toHaveLength(1);
    // The abandoned queue entry handed its turn straight back.
    expect((await client.chat(ask('3'))).text).toBe('x');
  });

  it('an already-aborted signal fails before any request', async () => {
    const { client, calls } = setup([() => jsonResponse(200, completionJson('x'))]);
    await expect(client.complete(ask(), { signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: 'aborted' });
    expect(calls).toHaveLength(0);
  });

  it('the overall deadline bounds time spent queued', async () => {
    const { client } = setup([() => new Promise<Response>(() => undefined)], {
      options: { maxConcurrency: 1, deadlineMs: 5_000, firstByteTimeoutMs: 60_000 },
    });
    const first = outcome(client.chat(ask('1')));
    const second = outcome(client.chat(ask('2')));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await first).toMatchObject({ kind: 'timeout', timeoutPhase: 'deadline' });
    expect(await second).toMatchObject({ kind: 'timeout', timeoutPhase: 'deadline' });
  });
});
