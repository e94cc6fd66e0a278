// The client against a real local HTTP server (tests/support/mock-llm.ts): the same fetch, socket
// and stream path as production. Real timers, so every wait here is short and bounded.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLlmClient, type ClientOptions, type ProviderConfig } from '../../../lib/llm';
import { startMockLlm, type MockLlm } from '../../support/mock-llm';
import { failure } from './harness';

let mock: MockLlm;
const KEY = 'sk-integration-key-0123456789';

beforeAll(async () => {
  mock = await startMockLlm({ apiKey: KEY });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

function client(options: Partial<ClientOptions> = {}, over: Partial<ProviderConfig> = {}) {
  return createLlmClient({
    fetch: globalThis.fetch,
    getProvider: () => ({ baseUrl: `${mock.baseUrl}/`, apiKey: KEY, model: 'mock-model', ...over }),
    random: () => 0.5,
    options: { backoffBaseMs: 10, backoffCapMs: 50, resumeSpreadMs: 20, ...options },
  });
}

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

describe('against the mock OpenAI-compatible server', () => {
  it('streams end to end, with usage', async () => {
    const deltas: string[] = [];
    const result = await client().chat(ask('the quick brown fox'), { onDelta: (t) => deltas.push(t) });
    expect(result.text).toBe('Summary: the quick brown fox');
    expect(deltas.join('')).toBe(result.text);
    expect(deltas.length).toBeGreaterThan(1);
    expect(result.finishReason).toBe('stop');
    expect(result.usage?.completionTokens).toBeGreaterThan(0);
    expect(mock.completions()[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it.each([
    ['\n', 1],
    ['\r\n', 3],
    ['\r', 2],
  ] as const)('survives line ending %j, bytes split every %i, keep-alives and data: without a space', async (lineEnding, splitBytes) => {
    mock.set({ lineEnding, splitBytes, keepAliveComments: true, dataNoSpace: true, reply: 'Ça marche 👍 — 日本語 テキスト' });
    const deltas: string[] = [];
    const result = await client().chat(ask('x'), { onDelta: (t) => deltas.push(t) });
    expect(result.text).toBe('Ça marche 👍 — 日本語 テキスト');
    expect(deltas.join('')).toBe(result.text);
  });

  it('completes without streaming', async () => {
    const result = await client().complete(ask('plain'));
    expect(result.text).toBe('Summary: plain');
    expect(mock.completions()[0]!.body.stream).toBe(false);
  });

  it('401 for a wrong key, with a readable message and no key in it', async () => {
    const error = await failure(client({}, { apiKey: 'sk-wrong-key-9876543210' }).chat(ask('x')));
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(error.message).toBe('The provider answered 401 Unauthorized. Check the key in Options.');
    expect(`${error.message} ${error.detail}`).not.toMatch(/9876543210|sk-wrong/);
    expect(mock.stats().completions).toBe(1);
  });

  it('404 for an unknown model or a wrong base URL', async () => {
    mock.set({ strictModels: true });
    const model = await failure(client({}, { model: 'gpt-nope' }).chat(ask('x')));
    expect(model).toMatchObject({ kind: 'not_found', status: 404 });
    const url = await failure(client({}, { baseUrl: `${mock.url}/v2` }).chat(ask('x')));
    expect(url).toMatchObject({ kind: 'not_found', status: 404 });
    expect(url.message).toMatch(/Check the base URL .* and the model name/);
  });

  it('an HTML page with 200 is bad_response', async () => {
    mock.fail({ kind: 'not-openai' });
    const error = await failure(client().chat(ask('x')));
    expect(error.kind).toBe('bad_response');
    expect(error.detail).toContain('Guest Wi-Fi');
    expect(mock.stats().completions).toBe(1);
  });

  it('429 with retry-after-ms: waits, then succeeds, pausing the whole client meanwhile', async () => {
    mock.fail({ kind: 'status', status: 429, headers: { 'retry-after-ms': '150' } });
    const c = client({ maxConcurrency: 4 });
    const started = Date.now();
    const [a, b] = await Promise.all([c.chat(ask('first')), (async () => {
      await vi.waitFor(() => expect(c.stats().pausedUntil).toBeGreaterThan(0), { interval: 2 });
      return c.chat(ask('second'));
    })()]);
    expect(a.text).toBe('Summary: first');
    expect(b.text).toBe('Summary: second');
    const [, retried, second] = mock.completions();
    expect(retried!.at - started).toBeGreaterThanOrEqual(140);
    expect(second!.at - started).toBeGreaterThanOrEqual(140);
    // Halved by the 429 (4 → 2), then one window of 2 successes grew it by one.
    expect(c.stats().concurrency).toBe(3);
  });

  it('a token-bucket rate limit: every request eventually succeeds, none is lost', async () => {
    mock.set({ rateLimit: { ratePerSec: 10, burst: 1 } });
    // Generous attempts: on a busy machine one request can lose the race for a token several times.
    const c = client({ maxConcurrency: 4, maxRetryAfterMs: 5_000, maxAttempts: 12 });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => c.complete(ask(`r${i}`))));
    expect(results.map((r) => r.text)).toEqual(Array.from({ length: 6 }, (_, i) => `Summary: r${i}`));
    expect(mock.stats().status[429] ?? 0).toBeGreaterThan(0);
  });

  it('a stream cut after some text is stream_cut with the partial text, not retried', async () => {
    mock.set({ reply: 'one two three four five' });
    mock.fail({ kind: 'cut', afterChunks: 2 });
    const deltas: string[] = [];
    const error = await failure(client().chat(ask('x'), { onDelta: (t) => deltas.push(t) }));
    expect(error.kind).toBe('stream_cut');
    expect(error.partialText).toBe('one two');
    expect(deltas.join('')).toBe('one two');
    expect(mock.stats().completions).toBe(1);
  });

  it('a stream that ends cleanly but early is stream_cut too', async () => {
    mock.fail({ kind: 'end-early', afterChunks: 1 });
    const error = await failure(client().chat(ask('x')));
    expect(error.kind).toBe('stream_cut');
  });

  it('a cut before any text is retried transparently', async () => {
    mock.fail({ kind: 'cut', afterChunks: 0 }, { kind: 'status', status: 502, body: '<html>bad gateway</html>' });
    const result = await client().chat(ask('again'));
    expect(result.text).toBe('Summary: again');
    expect(mock.stats().completions).toBe(3);
  });

  it('an error event inside the 200 stream is a server error', async () => {
    mock.fail({ kind: 'error-event', afterChunks: 1, message: 'upstream exploded' });
    const error = await failure(client().chat(ask('x')));
    expect(error).toMatchObject({ kind: 'server', detail: 'upstream exploded' });
    expect(error.partialText).toBe('Summary:');
  });

  it('a stalled stream hits the idle timeout and the connection is closed', async () => {
    mock.fail({ kind: 'stall', afterChunks: 1 });
    const error = await failure(client({ idleTimeoutMs: 200 }).chat(ask('x')));
    expect(error).toMatchObject({ kind: 'timeout', timeoutPhase: 'idle' });
    await vi.waitFor(() => expect(mock.stats().inFlight).toBe(0), { interval: 5 });
  });

  it('a slow first byte hits the first-byte timeout, then the retry succeeds', async () => {
    mock.fail({ kind: 'slow', latencyMs: 2_000 });
    const result = await client({ firstByteTimeoutMs: 300 }).chat(ask('late'));
    expect(result.text).toBe('Summary: late');
  });

  it('aborting closes the upstream connection', async () => {
    mock.set({ tokenDelayMs: 20, reply: 'a b c d e f g h i j k l m n o p' });
    const caller = new AbortController();
    const deltas: string[] = [];
    const pending = failure(client().chat(ask('x'), { signal: caller.signal, onDelta: (t) => deltas.push(t) }));
    await vi.waitFor(() => expect(deltas.length).toBeGreaterThan(0), { interval: 2 });
    caller.abort();
    expect(await pending).toMatchObject({ kind: 'aborted' });
    await vi.waitFor(() => expect(mock.stats().inFlight).toBe(0), { interval: 5 });
  });

  it('never exceeds the concurrency limit', async () => {
    mock.set({ tokenDelayMs: 5 });
    const c = client({ maxConcurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => c.chat(ask(`c${i}`))));
    expect(mock.stats().maxConcurrent).toBe(2);
  });

  it('identical concurrent requests make one upstream call', async () => {
    mock.set({ tokenDelayMs: 5 });
    const c = client();
    const [a, b] = await Promise.all([c.chat(ask('same')), c.chat(ask('same'))]);
    expect(a.text).toBe(b.text);
    expect(mock.stats().completions).toBe(1);
  });

  it('lists models and warms up', async () => {
    const c = client();
    expect(await c.listModels()).toEqual(['mock-model', 'gpt-4o-mini']);
    await c.warmUp();
    expect(mock.requests.filter((r) => r.path === '/v1/models')).toHaveLength(2);
    await expect(client({}, { apiKey: 'bad-key-000000' }).listModels()).rejects.toMatchObject({ kind: 'auth' });
  });

  it('a refused connection is network, and warmUp swallows it', async () => {
    const dead = createLlmClient({
      fetch: globalThis.fetch,
      getProvider: () => ({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: KEY, model: 'm' }),
      options: { maxAttempts: 1 },
    });
    expect(await failure(dead.chat(ask('x')))).toMatchObject({ kind: 'network' });
    await expect(dead.warmUp()).resolves.toBeUndefined();
  });
});
