// Every preset's request shape (URL path and query, headers and auth style, body) as the mock
// server receives it, through the real client: the preset's base URL is moved to the mock with its
// path kept, so `/openai/v1`, `/api/v3`, `/compatible-mode/v1`… are exercised as they are.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLlmClient, type ChatRequest, type ProviderConfig } from '../../../lib/llm';
import { PRESETS, presetById, resolveProvider, type ProviderPreset, type ProviderSettings } from '../../../lib/providers';
import { startMockLlm, type MockLlm, type RecordedRequest } from '../../support/mock-llm';

const KEY = 'sk-preset-test-key-0123456789';
const APP_URL = 'https://precis.example/';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm({ models: ['mock-model', 'gpt-4o-mini', 'claude-sonnet-4-5'] });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

function client(config: ProviderConfig) {
  return createLlmClient({ fetch: globalThis.fetch, getProvider: () => config, random: () => 0.5, options: { maxAttempts: 1 } });
}

/** The preset's base URL with the mock's origin: same path, same shape. */
function onMock(preset: ProviderPreset): string {
  return `${mock.url}${new URL(preset.baseUrl).pathname}`;
}

const conversation: ChatRequest = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'the quick brown fox' },
  ],
  temperature: 0.3,
};

const only = (requests: RecordedRequest[]): RecordedRequest => {
  expect(requests).toHaveLength(1);
  return requests[0]!;
};

const openAiPresets = PRESETS.filter((p) => p.kind === 'openai' && p.id !== 'custom');

describe('OpenAI-compatible presets against the mock server', () => {
  it('covers every OpenAI-compatible preset the issue names', () => {
    expect(openAiPresets.map((p) => p.id).sort()).toEqual(
      ['deepseek', 'groq', 'lmstudio', 'mistral', 'moonshot', 'ollama', 'openai', 'openrouter', 'qwen', 'volcengine'].sort(),
    );
  });

  it.each(openAiPresets.map((p) => [p.id, p] as const))('%s: path, auth, headers and body', async (_id, preset) => {
    mock.set({ apiKey: preset.needsKey ? KEY : undefined });
    const settings: ProviderSettings = { presetId: preset.id, baseUrl: onMock(preset), apiKey: preset.needsKey ? KEY : '' };
    if (preset.defaultModel === '') settings.model = 'local-model-7b';
    const config = resolveProvider(settings, { appUrl: APP_URL });
    const model = preset.defaultModel || 'local-model-7b';

    const deltas: string[] = [];
    const streamed = await client(config).chat(conversation, { onDelta: (t) => deltas.push(t) });
    expect(streamed.text).toBe('Summary: the quick brown fox');
    expect(deltas.join('')).toBe(streamed.text);

    const request = only(mock.completions());
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`${new URL(preset.baseUrl).pathname}/chat/completions`);
    expect(request.query).toEqual({});
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.accept).toBe('text/event-stream');
    if (preset.needsKey) expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    else expect(request.headers).not.toHaveProperty('authorization');
    expect(request.headers).not.toHaveProperty('api-key');
    expect(request.headers).not.toHaveProperty('x-api-key');
    for (const [name, value] of Object.entries(preset.headers ?? {})) {
      expect(request.headers[name.toLowerCase()]).toBe(value.replace('{appUrl}', APP_URL));
    }
    const expectedBody: Record<string, unknown> = {
      model,
      messages: conversation.messages,
      temperature: 0.3,
      stream: true,
    };
    if (preset.streamUsage !== false) expectedBody.stream_options = { include_usage: true };
    expect(request.body).toEqual(expectedBody);

    mock.reset();
    mock.set({ apiKey: preset.needsKey ? KEY : undefined });
    const whole = await client(config).complete(conversation);
    expect(whole).toMatchObject({ text: 'Summary: the quick brown fox', finishReason: 'stop' });
    const plain = only(mock.completions());
    expect(plain.headers.accept).toBe('application/json');
    expect(plain.body).toEqual({ model, messages: conversation.messages, temperature: 0.3, stream: false });
  });

  it('OpenRouter identifies the app with HTTP-Referer and X-Title, and leaves the referer out without an app URL', async () => {
    const preset = presetById('openrouter')!;
    await client(resolveProvider({ presetId: 'openrouter', baseUrl: onMock(preset), apiKey: KEY }, { appUrl: APP_URL })).complete(conversation);
    await client(resolveProvider({ presetId: 'openrouter', baseUrl: onMock(preset), apiKey: KEY })).complete({ messages: [{ role: 'user', content: 'b' }] });
    const [withApp, without] = mock.completions();
    expect(withApp!.headers).toMatchObject({ 'http-referer': APP_URL, 'x-title': 'Precis' });
    expect(without!.headers['x-title']).toBe('Precis');
    expect(without!.headers).not.toHaveProperty('http-referer');
  });

  it('Mistral never gets stream_options (it answers 422 to unknown fields) but still streams', async () => {
    const preset = presetById('mistral')!;
    const result = await client(resolveProvider({ presetId: 'mistral', baseUrl: onMock(preset), apiKey: KEY })).chat(conversation);
    expect(result.text).toBe('Summary: the quick brown fox');
    expect(only(mock.completions()).body).not.toHaveProperty('stream_options');
  });

  it('a custom endpoint sends the user\'s headers; a gateway token in a custom header survives when there is no key', async () => {
    const headers = { 'X-Team': 'research', Authorization: 'Bearer gateway-token-abcdef', 'X-Title': 'Team Precis' };
    await client(resolveProvider({ presetId: 'custom', baseUrl: `${mock.baseUrl}/`, model: 'team-model', headers })).complete(conversation);
    await client(resolveProvider({ presetId: 'custom', baseUrl: mock.baseUrl, model: 'team-model', apiKey: KEY, headers })).complete(conversation);
    const [gateway, keyed] = mock.completions();
    expect(gateway!.path).toBe('/v1/chat/completions');
    expect(gateway!.headers).toMatchObject({ 'x-team': 'research', authorization: 'Bearer gateway-token-abcdef', 'x-title': 'Team Precis' });
    expect(gateway!.body.model).toBe('team-model');
    // The key's own header is written last: a custom header cannot replace it by accident.
    expect(keyed!.headers).toMatchObject({ 'x-team': 'research', authorization: `Bearer ${KEY}` });
  });

  it('lists models with the bearer key', async () => {
    mock.set({ apiKey: KEY, models: ['deepseek-chat', 'deepseek-reasoner'] });
    const preset = presetById('deepseek')!;
    const models = await client(resolveProvider({ presetId: 'deepseek', baseUrl: onMock(preset), apiKey: KEY })).listModels();
    expect(models).toEqual(['deepseek-chat', 'deepseek-reasoner']);
    const request = only(mock.requests);
    expect([request.method, request.path]).toEqual(['GET', '/v1/models']);
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
  });
});

describe('Azure OpenAI against the mock server', () => {
  const azure = (over: Partial<NonNullable<ProviderSettings['azure']>> = {}): ProviderSettings => ({
    presetId: 'azure',
    apiKey: KEY,
    azure: { resource: mock.url, deployment: 'gpt-4o-prod', ...over },
  });

  it('posts to the deployment with api-version and an api-key header; the deployment is the model', async () => {
    mock.set({ apiKey: KEY });
    const result = await client(resolveProvider(azure())).chat(conversation);
    expect(result.text).toBe('Summary: the quick brown fox');
    const request = only(mock.completions());
    expect(request.path).toBe('/openai/deployments/gpt-4o-prod/chat/completions');
    expect(request.query).toEqual({ 'api-version': '2024-10-21' });
    expect(request.headers['api-key']).toBe(KEY);
    expect(request.headers).not.toHaveProperty('authorization');
    expect(request.body).toEqual({ messages: conversation.messages, temperature: 0.3, stream: true, stream_options: { include_usage: true } });
  });

  it('takes another api-version from the settings, or from a pasted target URL', async () => {
    await client(resolveProvider(azure({ apiVersion: '2025-01-01-preview' }))).complete(conversation);
    const pasted = `${mock.url}/openai/deployments/mini/chat/completions?api-version=2024-08-01-preview`;
    await client(resolveProvider({ presetId: 'azure', apiKey: KEY, baseUrl: pasted })).complete(conversation);
    const [fromSettings, fromUrl] = mock.completions();
    expect(fromSettings!.query).toEqual({ 'api-version': '2025-01-01-preview' });
    expect([fromUrl!.path, fromUrl!.query]).toEqual(['/openai/deployments/mini/chat/completions', { 'api-version': '2024-08-01-preview' }]);
    expect(fromUrl!.body).not.toHaveProperty('model');
  });

  it('the resource v1 API (…/openai/v1) takes the deployment as the model, without api-version', async () => {
    const config = resolveProvider({ presetId: 'azure', apiKey: KEY, baseUrl: `${mock.url}/openai/v1`, model: 'gpt-4o-prod' });
    await client(config).complete(conversation);
    const request = only(mock.completions());
    expect([request.path, request.query]).toEqual(['/openai/v1/chat/completions', {}]);
    expect(request.headers['api-key']).toBe(KEY);
    expect(request.body.model).toBe('gpt-4o-prod');
  });

  it('has no model list: checks the key against the resource and answers with the deployment', async () => {
    mock.set({ apiKey: KEY });
    expect(await client(resolveProvider(azure())).listModels()).toEqual(['gpt-4o-prod']);
    const request = only(mock.requests);
    expect([request.method, request.path, request.query]).toEqual(['GET', '/openai/models', { 'api-version': '2024-10-21' }]);
    expect(request.headers['api-key']).toBe(KEY);
    await expect(client(resolveProvider({ ...azure(), apiKey: 'wrong-key-000000' })).listModels()).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });
});

describe('Anthropic against the mock server', () => {
  const anthropic = (over: Partial<ProviderSettings> = {}) =>
    resolveProvider({ presetId: 'anthropic', baseUrl: `${mock.url}/v1`, apiKey: KEY, ...over });

  it('streams from /v1/messages with x-api-key, anthropic-version and the browser-access header', async () => {
    mock.set({ apiKey: KEY });
    const deltas: string[] = [];
    const result = await client(anthropic()).chat(conversation, { onDelta: (t) => deltas.push(t) });
    expect(result.text).toBe('Summary: the quick brown fox');
    expect(deltas.length).toBeGreaterThan(1);
    expect(result.finishReason).toBe('stop');
    expect(result.usage?.promptTokens).toBeGreaterThan(0);
    expect(result.usage?.completionTokens).toBeGreaterThan(0);

    const request = only(mock.messages());
    expect(mock.completions()).toHaveLength(0);
    expect(request.path).toBe('/v1/messages');
    expect(request.headers).toMatchObject({
      'x-api-key': KEY,
      'anthropic-version': '2023-06-01',
      'anthropic-dangerous-direct-browser-access': 'true',
      'content-type': 'application/json',
      accept: 'text/event-stream',
    });
    expect(request.headers).not.toHaveProperty('authorization');
    expect(request.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'the quick brown fox' }],
      temperature: 0.3,
      stream: true,
    });
    expect(mock.stats()).toMatchObject({ completions: 1, status: { 200: 1 } });
  });

  it('completes without streaming, and max_tokens from the request or the settings wins over the default', async () => {
    const whole = await client(anthropic({ maxTokens: 1024 })).complete({ ...conversation, model: 'claude-haiku-4-5' });
    expect(whole).toMatchObject({ text: 'Summary: the quick brown fox', finishReason: 'stop' });
    await client(anthropic()).complete({ ...conversation, max_tokens: 3 });
    const [first, second] = mock.messages();
    expect(first!.headers.accept).toBe('application/json');
    expect(first!.body).toMatchObject({ model: 'claude-haiku-4-5', max_tokens: 1024, stream: false });
    expect(second!.body.max_tokens).toBe(3);
  });

  it('a reply cut at max_tokens finishes with length', async () => {
    mock.set({ reply: 'word '.repeat(40).trim() });
    const result = await client(anthropic()).chat({ ...conversation, max_tokens: 5 });
    expect(result.finishReason).toBe('length');
    expect(result.text).toHaveLength(20);
  });

  it('a wrong key is auth (401) with Anthropic\'s error body', async () => {
    mock.set({ apiKey: KEY });
    const error = await client(anthropic({ apiKey: 'sk-ant-wrong-000000000' })).chat(conversation).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', status: 401, detail: 'invalid x-api-key' });
  });

  it('lists models with x-api-key and a page size that fits every model', async () => {
    mock.set({ apiKey: KEY, models: ['claude-sonnet-4-5', 'claude-haiku-4-5'] });
    expect(await client(anthropic()).listModels()).toEqual(['claude-sonnet-4-5', 'claude-haiku-4-5']);
    const request = only(mock.requests);
    expect([request.method, request.path, request.query]).toEqual(['GET', '/v1/models', { limit: '1000' }]);
    expect(request.headers).toMatchObject({ 'x-api-key': KEY, 'anthropic-version': '2023-06-01' });
  });

  it('a custom Anthropic-compatible gateway uses the Messages API too', async () => {
    const config = resolveProvider({ presetId: 'custom', kind: 'anthropic', baseUrl: `${mock.url}/anthropic/v1`, model: 'kimi-k2.5', apiKey: KEY });
    await client(config).complete(conversation);
    const request = only(mock.messages());
    expect(request.path).toBe('/anthropic/v1/messages');
    expect(request.headers['x-api-key']).toBe(KEY);
  });
});
