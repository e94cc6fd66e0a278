// The mock server's Anthropic Messages endpoint: its wire format as a raw client sees it, its
// checks, and its faults driven through the real client. Real timers, short bounded waits.
import { createParser } from 'eventsource-parser';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLlmClient, type ClientOptions, type ProviderConfig } from '../../../lib/llm';
import { startMockLlm, type MockLlm } from '../../support/mock-llm';
import { failure } from '../llm/harness';

const KEY = 'sk-ant-mock-key-0123456789';
let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm({ apiKey: KEY });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

const headers = { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01' };
const message = (extra: object = {}) => ({ model: 'claude-x', max_tokens: 256, messages: [{ role: 'user', content: 'The quick brown fox' }], ...extra });

function post(body: unknown, extraHeaders: Record<string, string> = {}) {
  return fetch(`${mock.baseUrl}/messages`, { method: 'POST', headers: { ...headers, ...extraHeaders }, body: JSON.stringify(body) });
}

async function events(res: Response): Promise<{ event: string | undefined; data: any }[]> {
  const out: { event: string | undefined; data: any }[] = [];
  const parser = createParser({ onEvent: (e) => out.push({ event: e.event, data: JSON.parse(e.data) }) });
  parser.feed(await res.text());
  return out;
}

function client(options: Partial<ClientOptions> = {}, over: Partial<ProviderConfig> = {}) {
  return createLlmClient({
    fetch: globalThis.fetch,
    getProvider: () => ({ kind: 'anthropic', baseUrl: mock.baseUrl, apiKey: KEY, model: 'claude-x', ...over }),
    random: () => 0.5,
    options: { backoffBaseMs: 10, backoffCapMs: 50, resumeSpreadMs: 20, ...options },
  });
}

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

describe('mock Messages endpoint: wire format', () => {
  it('streams named events in Anthropic\'s order', async () => {
    mock.set({ keepAliveComments: true });
    const res = await post(message({ stream: true, system: 'Be brief.' }));
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const all = await events(res);
    for (const e of all) expect(e.event).toBe(e.data.type);
    const types = [...new Set(all.map((e) => e.event))];
    expect(types).toEqual(['message_start', 'content_block_start', 'ping', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(all[0]!.data.message).toMatchObject({ role: 'assistant', model: 'claude-x', usage: { input_tokens: expect.any(Number) } });
    const text = all.filter((e) => e.event === 'content_block_delta').map((e) => e.data.delta.text).join('');
    expect(text).toBe('Summary: The quick brown fox');
    expect(all.find((e) => e.event === 'message_delta')!.data).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: expect.any(Number) } });
    expect(mock.messages()[0]!.body.system).toBe('Be brief.');
  });

  it('answers a whole message without stream', async () => {
    const body = await (await post(message())).json();
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'Summary: The quick brown fox' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
    });
  });

  it.each([
    ['no x-api-key', message(), { 'x-api-key': '' }, 401, 'authentication_error'],
    ['no anthropic-version', message(), { 'anthropic-version': '' }, 400, 'invalid_request_error'],
    ['no max_tokens', { model: 'claude-x', messages: [] }, {}, 400, 'invalid_request_error'],
    ['a system turn in messages', message({ messages: [{ role: 'system', content: 'x' }] }), {}, 400, 'invalid_request_error'],
  ])('rejects %s like the real API', async (_name, body, extra, status, type) => {
    const stripped: Record<string, string> = { ...headers, ...extra };
    for (const [k, v] of Object.entries(stripped)) if (v === '') delete stripped[k];
    const res = await fetch(`${mock.baseUrl}/messages`, { method: 'POST', headers: stripped, body: JSON.stringify(body) });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type } });
  });

  it('a wrong API root is a 404 in Anthropic\'s shape', async () => {
    const res = await fetch(`${mock.url}/v2/messages`, { method: 'POST', headers, body: JSON.stringify(message()) });
    expect(res.status).toBe(404);
    expect((await res.json()).error.type).toBe('not_found_error');
  });
});

describe('mock Messages endpoint: faults through the client', () => {
  it('a 529 overloaded is retried, then the stream succeeds', async () => {
    mock.fail({ kind: 'status', status: 529 });
    const result = await client().chat(ask('again'));
    expect(result.text).toBe('Summary: again');
    expect(mock.stats()).toMatchObject({ completions: 2, status: { 529: 1, 200: 1 } });
  });

  it('default error bodies are Anthropic\'s: 429 rate_limit_error with retry-after waits and succeeds', async () => {
    mock.fail({ kind: 'status', status: 429, headers: { 'retry-after': '0' } });
    const result = await client().complete(ask('later'));
    expect(result.text).toBe('Summary: later');
  });

  it('a rate limit answers 429 with retry-after and anthropic-ratelimit headers, RFC 3339 resets included', async () => {
    mock.set({ rateLimit: { ratePerSec: 1, burst: 1 } });
    const first = await post(message());
    expect(first.status).toBe(200);
    expect(first.headers.get('anthropic-ratelimit-requests-limit')).toBe('1');
    expect(first.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    const limited = await post(message());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    const reset = Date.parse(limited.headers.get('anthropic-ratelimit-requests-reset') ?? '');
    expect(reset - Date.now()).toBeGreaterThan(0);
    expect(reset - Date.now()).toBeLessThanOrEqual(1_000);
    expect((await limited.json()).error.type).toBe('rate_limit_error');
  });

  it('an error event mid-stream is a server error with the partial text, not retried', async () => {
    mock.fail({ kind: 'error-event', afterChunks: 1, message: 'Overloaded' });
    const error = await failure(client().chat(ask('x')));
    expect(error).toMatchObject({ kind: 'server', detail: 'Overloaded', partialText: 'Summary:' });
    expect(mock.stats().completions).toBe(1);
  });

  it('an error event of another type maps by its type', async () => {
    mock.fail({ kind: 'error-event', afterChunks: 0, errorType: 'rate_limit_error', message: 'slow down' });
    const error = await failure(client({ maxAttempts: 1 }).chat(ask('x')));
    expect(error).toMatchObject({ kind: 'rate_limited', detail: 'slow down' });
  });

  it('a cut stream is stream_cut with the partial text; a clean early end too', async () => {
    mock.set({ reply: 'one two three four' });
    mock.fail({ kind: 'cut', afterChunks: 2 });
    expect(await failure(client().chat(ask('x')))).toMatchObject({ kind: 'stream_cut', partialText: 'one two' });
    mock.fail({ kind: 'end-early', afterChunks: 1 });
    expect(await failure(client().chat(ask('x')))).toMatchObject({ kind: 'stream_cut', partialText: 'one' });
  });

  it('a stall hits the idle timeout even while pings keep coming', async () => {
    mock.set({ keepAliveComments: true });
    mock.fail({ kind: 'stall', afterChunks: 1 });
    const error = await failure(client({ idleTimeoutMs: 200, maxAttempts: 1 }).chat(ask('x')));
    expect(error).toMatchObject({ kind: 'timeout', timeoutPhase: 'idle' });
    await vi.waitFor(() => expect(mock.stats().inFlight).toBe(0), { interval: 5 });
  });

  it('an HTML page is bad_response', async () => {
    mock.fail({ kind: 'not-openai' });
    expect(await failure(client({ maxAttempts: 1 }).chat(ask('x')))).toMatchObject({ kind: 'bad_response' });
  });

  it('strictModels: an unknown model is not_found', async () => {
    mock.set({ strictModels: true });
    expect(await failure(client({}, { model: 'claude-nope' }).chat(ask('x')))).toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('survives CRLF, bytes split every byte and data: without a space', async () => {
    mock.set({ lineEnding: '\r\n', splitBytes: 1, dataNoSpace: true, reply: 'Ça marche 👍 — 日本語' });
    const deltas: string[] = [];
    const result = await client().chat(ask('x'), { onDelta: (t) => deltas.push(t) });
    expect(result.text).toBe('Ça marche 👍 — 日本語');
    expect(deltas.join('')).toBe(result.text);
  });
});
